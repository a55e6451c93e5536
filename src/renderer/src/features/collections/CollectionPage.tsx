import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSummary } from '../../../../shared/document.ts';
import type { Collection } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { nav } from '../nav.ts';
import { ConfirmButton } from '../shared/ConfirmButton.tsx';
import type { PageContext } from '../shared/context.ts';
import { DocumentRows } from '../shared/DocumentRows.tsx';
import { PageFrame } from '../shared/PageFrame.tsx';
import { errorText } from '../shared/util.ts';

const PAGE = 100;

/** Renames a collection in place: the name as a field, Enter saves, Escape gives up. */
export function RenameForm({ collection, onDone }: { collection: Collection; onDone: (saved: Collection | null) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState(collection.name);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.select();
  }, []);
  return (
    <form
      className="ft-inline-form"
      aria-label={t('collections.renameLabel')}
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim() === '') {
          setProblem(t('collections.nameRequired'));
          return;
        }
        api['collections.save']({ id: collection.id, name: name.trim() })
          .then((saved) => {
            nav.changed();
            onDone(saved);
          })
          .catch((err: unknown) => setProblem(errorText(t, err, 'collections.conflict')));
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onDone(null);
        }
      }}
    >
      <label htmlFor={`${id}-name`}>{t('collections.name')}</label>
      <input id={`${id}-name`} ref={input} type="text" value={name} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-error` : undefined} onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="small">
        {t('features.save')}
      </button>
      <button type="button" className="secondary small" onClick={() => onDone(null)}>
        {t('features.cancel')}
      </button>
      {problem && (
        <p id={`${id}-error`} className="ft-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** A collection: its name (renamed in place), its documents a page at a time, each removable. */
export function CollectionPage({ id, ctx }: { id: string; ctx: PageContext }) {
  const { t } = useTranslation();
  const [collection, setCollection] = useState<Collection | null>(null);
  const [documents, setDocuments] = useState<DocumentSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [renaming, setRenaming] = useState(false);
  const seq = useRef(0);

  const load = (count = PAGE): void => {
    const mine = ++seq.current;
    Promise.all([api['collections.list']({}), api['collections.documents']({ id, offset: 0, limit: Math.min(1000, Math.max(PAGE, count)) })])
      .then(([all, page]) => {
        if (mine !== seq.current) return;
        const found = all.find((c) => c.id === id) ?? null;
        if (!found) {
          nav.close();
          return;
        }
        setCollection(found);
        setDocuments(page.items);
        setTotal(page.total);
      })
      .catch(ctx.onError);
  };
  useEffect(() => {
    setRenaming(false);
    setDocuments([]);
    load();
  }, [id]);

  const more = (): void => {
    api['collections.documents']({ id, offset: documents.length, limit: PAGE })
      .then((page) => {
        setDocuments((current) => [...current, ...page.items.filter((d) => !current.some((c) => c.id === d.id))]);
        setTotal(page.total);
      })
      .catch(ctx.onError);
  };

  const remove = (doc: DocumentSummary): void => {
    api['collections.remove']({ id, documentIds: [doc.id] })
      .then(() => {
        nav.changed();
        load(documents.length);
      })
      .catch(ctx.onError);
  };

  return (
    <PageFrame
      kind={t('collections.kind')}
      heading={collection?.name ?? '…'}
      focusKey={`collection-${id}`}
      actions={
        collection && (
          <>
            {!renaming && (
              <button type="button" className="secondary small" onClick={() => setRenaming(true)}>
                {t('collections.rename')}
              </button>
            )}
            <ConfirmButton
              label={t('collections.delete')}
              question={t('collections.confirmDelete', { name: collection.name })}
              confirmLabel={t('features.delete')}
              onConfirm={() => {
                api['collections.delete']({ id })
                  .then(() => {
                    nav.changed();
                    nav.close();
                  })
                  .catch(ctx.onError);
              }}
            />
          </>
        )
      }
    >
      {collection && renaming && (
        <RenameForm
          collection={collection}
          onDone={(saved) => {
            setRenaming(false);
            if (saved) setCollection(saved);
          }}
        />
      )}
      <p className="ft-hint">{t('collections.hint')}</p>
      <section className="ft-section" aria-labelledby="collection-documents-heading">
        <h3 id="collection-documents-heading">{t('collections.documents', { count: total })}</h3>
        {collection && documents.length === 0 ? (
          <p className="ft-muted">{t('collections.empty')}</p>
        ) : (
          <DocumentRows
            documents={documents}
            onOpen={(doc) => ctx.openDocument(doc.id, collection?.name ?? '')}
            extra={(doc) => (
              <button type="button" className="secondary small ft-row-button" aria-label={t('collections.removeOne', { title: doc.title })} onClick={() => remove(doc)}>
                {t('collections.remove')}
              </button>
            )}
          />
        )}
        {documents.length < total && (
          <button type="button" className="secondary small" onClick={more}>
            {t('collections.more', { shown: documents.length, total })}
          </button>
        )}
      </section>
    </PageFrame>
  );
}
