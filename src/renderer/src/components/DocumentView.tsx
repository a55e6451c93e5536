import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentWithText } from '../../../shared/document.ts';
import type { Highlight } from '../../../shared/reports.ts';
import { api } from '../api.ts';
import { languageName } from '../format.ts';
import { Marked } from './Marked.tsx';

interface Props {
  document: DocumentWithText;
  highlights: readonly Highlight[];
  onOpen: (id: string) => void;
  onChange: (document: DocumentWithText) => void;
  onError: (error: unknown) => void;
}

/** Encodings a person may choose when a text came out garbled. */
const encodings = ['utf-8', 'windows-1251', 'koi8-r', 'koi8-u', 'ibm866', 'iso-8859-5', 'windows-1252', 'iso-8859-1', 'iso-8859-2', 'utf-16le', 'utf-16be'];

/** How the text was read, and the means to read it again another way. */
function TextOrigin({ doc, onChange, onError }: { doc: DocumentWithText; onChange: Props['onChange']; onError: Props['onError'] }) {
  const { t } = useTranslation();
  const reextract = (request: { encoding?: string | null; repairMojibake?: boolean }): void => {
    api['documents.reextract']({ id: doc.id, ...request }).then(onChange).catch(onError);
  };
  return (
    <>
      {doc.textSource !== 'text' && (
        <div className="metadata-row">
          <dt>{t('field.textSource')}</dt>
          <dd>{t(`textSource.${doc.textSource}`)}</dd>
        </div>
      )}
      {doc.encoding && (
        <div className="metadata-row">
          <dt>
            <label htmlFor="encoding-select">{t('field.encoding')}</label>
          </dt>
          <dd className="inline-controls">
            <select
              id="encoding-select"
              value={doc.encoding.source === 'override' ? doc.encoding.name : ''}
              onChange={(e) => reextract({ encoding: e.target.value === '' ? null : e.target.value })}
            >
              <option value="">{t('encoding.detected', { name: doc.encoding.name, confidence: Math.round(doc.encoding.confidence * 100) })}</option>
              {encodings.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </dd>
        </div>
      )}
      {doc.repair && (
        <div className="metadata-row">
          <dt>{t('field.repair')}</dt>
          <dd className="inline-controls">
            <span>{doc.repair.reverted ? t('repair.reverted') : t('repair.applied', { steps: doc.repair.steps.join(' → ') })}</span>
            <button type="button" className="secondary small" onClick={() => reextract({ repairMojibake: doc.repair?.reverted === true })}>
              {doc.repair.reverted ? t('repair.redo') : t('repair.undo')}
            </button>
          </dd>
        </div>
      )}
    </>
  );
}

/** One document: its metadata, its links to original and translations, its originals, its text. */
export function DocumentView({ document: doc, highlights, onOpen, onChange, onError }: Props) {
  const { t, i18n } = useTranslation();
  const text = useRef<HTMLElement>(null);
  const firstHit = highlights[0]?.[0] ?? null;
  // Opened from a search: bring the first highlighted word into view.
  useEffect(() => {
    const mark = firstHit === null ? null : text.current?.querySelector('mark');
    const pane = mark?.closest('.detail-pane');
    if (!mark || !pane) return;
    const [m, p] = [mark.getBoundingClientRect(), pane.getBoundingClientRect()];
    if (m.top < p.top || m.bottom > p.bottom) mark.scrollIntoView({ block: 'center' });
  }, [doc.id, firstHit]);
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
        {doc.links.map((link) => (
          <div key={`${link.kind}-${link.direction}-${link.id}`} className="metadata-row">
            <dt>{t(`link.${link.kind}.${link.direction}`)}</dt>
            <dd>
              <button type="button" className="link" onClick={() => onOpen(link.id)}>
                {link.title}
              </button>
            </dd>
          </div>
        ))}
        {doc.pages.length > 0 && (
          <div className="metadata-row">
            <dt>{t('field.pages')}</dt>
            <dd>{doc.pages.length}</dd>
          </div>
        )}
        <TextOrigin doc={doc} onChange={onChange} onError={onError} />
        {doc.warnings.map((warning) => (
          <div key={warning} className="metadata-row warning">
            <dt>{t('field.warning')}</dt>
            <dd>{warning}</dd>
          </div>
        ))}
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
      <section ref={text} className="document-text" aria-label={t('document.text')}>
        <Marked text={doc.text} highlights={highlights} />
      </section>
    </article>
  );
}
