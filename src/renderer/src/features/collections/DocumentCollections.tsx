import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Collection } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { nav, useNav } from '../nav.ts';
import { errorText } from '../shared/util.ts';

/**
 * The collections the open document is in (each opens its page, and × takes the document out),
 * and putting it into another one, or into a new one named here.
 */
export function DocumentCollections({ documentId, onError }: { documentId: string; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const { version } = useNav();
  const [mine, setMine] = useState<Collection[] | null>(null);
  const [all, setAll] = useState<Collection[]>([]);
  const [chosen, setChosen] = useState('');
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let stale = false;
    Promise.all([api['collections.forDocument']({ documentId }), api['collections.list']({})])
      .then(([of, every]) => {
        if (stale) return;
        setMine(of);
        setAll(every);
      })
      .catch(onError);
    return () => {
      stale = true;
    };
  }, [documentId, version, onError]);

  useEffect(() => {
    setStatus(null);
    setProblem(null);
    setCreating(false);
  }, [documentId]);

  useEffect(() => {
    if (creating) nameInput.current?.focus();
  }, [creating]);

  const inIt = new Set(mine?.map((c) => c.id) ?? []);
  const others = all.filter((c) => !inIt.has(c.id));

  const add = (collectionId: string): void => {
    setProblem(null);
    api['collections.add']({ id: collectionId, documentIds: [documentId] })
      .then((saved) => {
        setChosen('');
        setStatus(t('collections.added', { name: saved.name }));
        nav.changed();
      })
      .catch((e: unknown) => setProblem(errorText(t, e)));
  };

  const remove = (collection: Collection): void => {
    setProblem(null);
    api['collections.remove']({ id: collection.id, documentIds: [documentId] })
      .then(() => {
        setStatus(t('collections.removed', { name: collection.name }));
        nav.changed();
      })
      .catch((e: unknown) => setProblem(errorText(t, e)));
  };

  const create = (): void => {
    const wanted = name.trim();
    if (!wanted) {
      setProblem(t('collections.nameRequired'));
      nameInput.current?.focus();
      return;
    }
    setProblem(null);
    api['collections.save']({ name: wanted })
      .then((made) => api['collections.add']({ id: made.id, documentIds: [documentId] }))
      .then((made) => {
        setCreating(false);
        setName('');
        setStatus(t('collections.createdWith', { name: made.name }));
        nav.changed();
      })
      .catch((e: unknown) => setProblem(errorText(t, e, 'collections.conflict')));
  };

  return (
    <section className="ft-box ft-doc-collections" aria-labelledby={`${id}-heading`}>
      <div className="ft-box-head">
        <h3 id={`${id}-heading`}>{t('collections.boxHeading')}</h3>
      </div>
      {mine && mine.length === 0 && <p className="ft-muted">{t('collections.noneForDocument')}</p>}
      {mine && mine.length > 0 && (
        <ul className="ft-doc-collection-list" aria-label={t('collections.boxLabel')}>
          {mine.map((collection) => (
            <li key={collection.id} className="ft-chip linked">
              <button type="button" className="link" onClick={() => nav.open({ type: 'collection', id: collection.id })}>
                {collection.name}
              </button>
              <button
                type="button"
                className="ft-chip-remove"
                aria-label={t('collections.removeFrom', { name: collection.name })}
                title={t('collections.removeFrom', { name: collection.name })}
                onClick={() => remove(collection)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="ft-collection-add">
        {others.length > 0 && (
          <>
            <label htmlFor={`${id}-collection`}>{t('collections.addTo')}</label>
            <select id={`${id}-collection`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">{t('bulk.chooseCollection')}</option>
              {others.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="button" className="secondary small" disabled={chosen === ''} onClick={() => add(chosen)}>
              {t('collections.add')}
            </button>
          </>
        )}
        <button type="button" className="link" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          {t('collections.newForDocument')}
        </button>
      </div>
      {creating && (
        <form
          className="ft-inline-form"
          aria-label={t('collections.newLabel')}
          onSubmit={(e) => {
            e.preventDefault();
            create();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setCreating(false);
            }
          }}
        >
          <label htmlFor={`${id}-name`}>{t('collections.name')}</label>
          <input id={`${id}-name`} ref={nameInput} type="text" value={name} placeholder={t('collections.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="small">
            {t('collections.createAdd')}
          </button>
          <button type="button" className="secondary small" onClick={() => setCreating(false)}>
            {t('features.cancel')}
          </button>
        </form>
      )}
      {problem && (
        <p className="ft-error" role="alert">
          {problem}
        </p>
      )}
      {status && !problem && (
        <p className="ft-hint" role="status">
          {status}
        </p>
      )}
    </section>
  );
}
