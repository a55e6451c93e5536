import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSummary } from '../../../../shared/document.ts';
import { formatPartialDate } from '../timeline/dates.ts';

/** Documents listed on a page (a person's, a case's, a collection's): title to open, kind, date, language. */
export function DocumentRows({
  documents,
  onOpen,
  extra,
}: {
  documents: readonly DocumentSummary[];
  onOpen: (document: DocumentSummary) => void;
  /** More for each row: how the person is named in it, a button to take it out of a collection. */
  extra?: (document: DocumentSummary) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="ft-documents">
      {documents.map((doc) => (
        <li key={doc.id}>
          <button type="button" className="link ft-doc-title" lang={doc.language === 'und' ? undefined : doc.language} onClick={() => onOpen(doc)}>
            {doc.title}
          </button>
          <span className="ft-doc-meta">
            {[t(`kind.${doc.kind}`), doc.date ? formatPartialDate(doc.date, i18n.language) : t('features.undated'), doc.language === 'und' ? null : doc.language.toUpperCase(), doc.authors.join(', ') || null]
              .filter(Boolean)
              .join(' · ')}
          </span>
          {extra?.(doc)}
        </li>
      ))}
    </ul>
  );
}
