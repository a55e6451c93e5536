import { useTranslation } from 'react-i18next';
import type { DocumentWithText } from '../../../shared/document.ts';
import { DocumentCollections } from './collections/DocumentCollections.tsx';
import { DocumentPeople } from './people/DocumentPeople.tsx';
import { TranslationBox } from './translation/TranslationBox.tsx';
import './features.css';

/**
 * What issue 5 adds to the document view: the people the document names (and linking more),
 * its translations (and translating it), and the collections it is in.
 */
export function DocumentExtras({ doc, onSaved, onError }: { doc: DocumentWithText; onSaved: (doc: DocumentWithText) => void; onError: (e: unknown) => void }) {
  const { i18n } = useTranslation();
  return (
    <div className="ft-extras" lang={i18n.language}>
      <DocumentPeople documentId={doc.id} onError={onError} />
      <TranslationBox doc={doc} onSaved={onSaved} onError={onError} />
      <DocumentCollections documentId={doc.id} onError={onError} />
    </div>
  );
}
