import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentWithText } from '../../../shared/document.ts';
import type { Collection } from '../../../shared/entities.ts';
import { api } from '../api.ts';
import { nav, useNav } from './nav.ts';
import { DocumentPeople } from './people/DocumentPeople.tsx';
import { TranslationBox } from './translation/TranslationBox.tsx';
import './features.css';

/** Puts the open document into a collection. */
function CollectionAdd({ documentId, onError }: { documentId: string; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const { version } = useNav();
  const [collections, setCollections] = useState<Collection[]>([]);
  const [chosen, setChosen] = useState('');
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    api['collections.list']({}).then(setCollections).catch(onError);
  }, [version, onError]);
  useEffect(() => setDone(null), [documentId]);
  if (collections.length === 0) return null;
  return (
    <div className="ft-collection-add">
      <label htmlFor={`${id}-collection`}>{t('collections.addThis')}</label>
      <select id={`${id}-collection`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
        <option value="">{t('bulk.chooseCollection')}</option>
        {collections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="secondary small"
        disabled={chosen === ''}
        onClick={() => {
          api['collections.add']({ id: chosen, documentIds: [documentId] })
            .then((saved) => {
              nav.changed();
              setDone(t('collections.added', { name: saved.name }));
            })
            .catch(onError);
        }}
      >
        {t('collections.add')}
      </button>
      {done && (
        <span className="ft-hint" role="status">
          {done}
        </span>
      )}
    </div>
  );
}

/**
 * What issue 5 adds to the document view: the people the document names (and linking more),
 * its translations (and translating it), and putting it into a collection.
 */
export function DocumentExtras({ doc, onSaved, onError }: { doc: DocumentWithText; onSaved: (doc: DocumentWithText) => void; onError: (e: unknown) => void }) {
  const { i18n } = useTranslation();
  return (
    <div className="ft-extras" lang={i18n.language}>
      <DocumentPeople documentId={doc.id} onError={onError} />
      <TranslationBox doc={doc} onSaved={onSaved} onError={onError} />
      <CollectionAdd documentId={doc.id} onError={onError} />
    </div>
  );
}
