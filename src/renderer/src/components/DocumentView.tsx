import { useTranslation } from 'react-i18next';
import type { DocumentWithText } from '../../../shared/document.ts';
import type { Highlight } from '../../../shared/reports.ts';
import { Marked } from './Marked.tsx';

interface Props {
  document: DocumentWithText;
  highlights: readonly Highlight[];
  onOpen: (id: string) => void;
}

const languageName = (code: string, uiLanguage: string): string => {
  if (code === 'und') return '—';
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};

/** One document: its metadata, its links to original and translations, its originals, its text. */
export function DocumentView({ document: doc, highlights, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const rows: [string, string][] = [
    [t('field.kind'), t(`kind.${doc.kind}`)],
    [t('field.language'), languageName(doc.language, i18n.language)],
    [t('field.date'), doc.date ? `${doc.date}${doc.dateApproximate ? ` (${t('field.approximate')})` : ''}` : '—'],
    [t('field.authors'), doc.authors.join(', ') || '—'],
    [t('field.recipients'), doc.recipients.join(', ') || '—'],
    [t('field.source'), doc.source || '—'],
    [t('field.sensitivity'), t(`sensitivity.${doc.sensitivity}`)],
    [t('field.tags'), doc.tags.join(', ') || '—'],
  ];
  return (
    <article className="document" aria-labelledby="document-title" lang={doc.language === 'und' ? undefined : doc.language}>
      <header className="document-header">
        <h2 id="document-title">{doc.title}</h2>
        <span className={`badge sensitivity-${doc.sensitivity}`}>{t(`sensitivity.${doc.sensitivity}`)}</span>
      </header>
      <dl className="metadata" lang={i18n.language}>
        {rows.map(([label, value]) => (
          <div key={label} className="metadata-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        {doc.translationOf && (
          <div className="metadata-row">
            <dt>{t('field.translationOf')}</dt>
            <dd>
              <button type="button" className="link" onClick={() => onOpen(doc.translationOf ?? '')}>
                {t('document.openOriginal')}
              </button>
            </dd>
          </div>
        )}
        {doc.translations.length > 0 && (
          <div className="metadata-row">
            <dt>{t('field.translations')}</dt>
            <dd className="translations">
              {doc.translations.map((tr) => (
                <button key={tr.id} type="button" className="link" onClick={() => onOpen(tr.id)}>
                  {languageName(tr.language, i18n.language)}
                </button>
              ))}
            </dd>
          </div>
        )}
        {doc.files.map((file) => (
          <div key={file.sha256} className="metadata-row">
            <dt>{t('field.original')}</dt>
            <dd>
              {file.fileName} · {t('document.bytes', { count: file.size })} ·{' '}
              <code title={file.sha256}>sha256 {file.sha256.slice(0, 12)}…</code>
            </dd>
          </div>
        ))}
        {doc.notes && (
          <div className="metadata-row">
            <dt>{t('field.notes')}</dt>
            <dd>{doc.notes}</dd>
          </div>
        )}
      </dl>
      <section className="document-text" aria-label={t('document.text')}>
        <Marked text={doc.text} highlights={highlights} />
      </section>
    </article>
  );
}
