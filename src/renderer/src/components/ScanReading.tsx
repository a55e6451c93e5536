import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DocumentWithText, type OcrLanguage, type RereadStatus, ocrLanguages } from '../../../shared/document.ts';
import { api } from '../api.ts';
import { languageName } from '../format.ts';
import { capitalised } from '../features/shared/util.ts';
import '../features/features.css';
import './scan-reading.css';

/** Tesseract's codes as the language tags the interface names languages by. */
const tagOf: Record<OcrLanguage, string> = { rus: 'ru', ukr: 'uk', eng: 'en' };
const POLL_MS = 300;

type Outcome = { kind: 'finished' } | { kind: 'cancelled' } | { kind: 'failed'; reason: string };

/**
 * How a scan's text was recognised (languages, confidence, pages), and reading it again by OCR in
 * languages the archivist picks: a Russian scan read as English comes out as Latin letters, and a
 * search in Cyrillic misses it. The reading runs in the background, page by page, and can be stopped;
 * the document keeps its text until the new one is in.
 */
export function ScanReading({ doc, onChange, onError }: { doc: DocumentWithText; onChange: (doc: DocumentWithText) => void; onError: (e: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [status, setStatus] = useState<RereadStatus | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<OcrLanguage[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const watching = useRef(false);
  const form = useRef<HTMLFormElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasChoosing = useRef(false);
  // The form takes the focus when it opens, and gives it back to its button when it closes.
  useEffect(() => {
    if (choosing) form.current?.querySelector<HTMLInputElement>('input')?.focus();
    else if (wasChoosing.current) opener.current?.focus();
    wasChoosing.current = choosing;
  }, [choosing]);
  const { ocr } = doc;

  // Follows a reading while this document is shown: one started here, or still running from before.
  const follow = (): void => {
    if (watching.current) return;
    watching.current = true;
    const poll = (): void => {
      if (!watching.current) return;
      api['documents.rereadStatus']({ id: doc.id })
        .then((next) => {
          if (!watching.current) return;
          setStatus(next);
          if (next?.state === 'reading') {
            setTimeout(poll, POLL_MS);
            return;
          }
          watching.current = false;
          if (!next) return;
          if (next.state === 'finished' && next.document) {
            setOutcome({ kind: 'finished' });
            onChange(next.document);
          } else if (next.state === 'cancelled') setOutcome({ kind: 'cancelled' });
          else if (next.error) setOutcome({ kind: 'failed', reason: t(`error.${next.error.code}`, { defaultValue: next.error.message }) });
        })
        .catch((e: unknown) => {
          watching.current = false;
          onError(e);
        });
    };
    poll();
  };

  useEffect(() => {
    let stale = false;
    api['documents.rereadStatus']({ id: doc.id })
      .then((found) => {
        if (!stale && found?.state === 'reading') follow();
      })
      .catch(onError);
    return () => {
      stale = true;
      watching.current = false;
    };
    // Once per document (the view is keyed by it): `follow` reads the latest state by its own requests.
  }, [doc.id]);

  if (!ocr) return null;
  const nameOf = (code: OcrLanguage): string => languageName(tagOf[code], i18n.language);
  const names = (codes: readonly OcrLanguage[]): string => capitalised(codes.map(nameOf).join(', '), i18n.language);
  const reading = status?.state === 'reading';
  const summary = [
    t('ocr.summary', { list: ocr.languages.length > 0 ? names(ocr.languages) : capitalised(t('ocr.unknownLanguages'), i18n.language), count: ocr.pages }),
    ocr.confidence === null ? null : t('ocr.confidence', { confidence: ocr.confidence }),
  ]
    .filter(Boolean)
    .join(' · ');

  const start = (): void => {
    if (chosen.length === 0) return;
    setChoosing(false);
    setOutcome(null);
    api['documents.reread']({ id: doc.id, ocrLanguages: chosen })
      .then((started) => {
        setStatus(started);
        follow();
      })
      .catch(onError);
  };
  const stop = (): void => {
    api['documents.rereadCancel']({ id: doc.id }).catch(onError);
  };

  return (
    <div className="metadata-row scan-reading">
      <dt>{t('ocr.field')}</dt>
      <dd>
        <div className="inline-controls">
          <span>{summary}</span>
          {!reading && !choosing && (
            <button
              ref={opener}
              type="button"
              className="secondary small"
              aria-expanded={false}
              aria-controls={`${id}-form`}
              onClick={() => {
                setChosen(ocr.languages.length > 0 ? [...ocr.languages] : [...ocrLanguages]);
                setChoosing(true);
                setOutcome(null);
              }}
            >
              {t('ocr.readAgain')}
            </button>
          )}
        </div>
        {choosing && (
          <form
            ref={form}
            id={`${id}-form`}
            className="scan-reading-form"
            aria-label={t('ocr.formLabel')}
            onSubmit={(e) => {
              e.preventDefault();
              start();
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.stopPropagation();
                setChoosing(false);
              }
            }}
          >
            <fieldset>
              <legend>{t('ocr.languages')}</legend>
              {ocrLanguages.map((code) => (
                <label key={code} className="ft-check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(code)}
                    onChange={(e) => setChosen(e.target.checked ? ocrLanguages.filter((c) => c === code || chosen.includes(c)) : chosen.filter((c) => c !== code))}
                  />
                  {capitalised(nameOf(code), i18n.language)}
                </label>
              ))}
            </fieldset>
            {chosen.length === 0 && <p className="ft-hint">{t('ocr.chooseOne')}</p>}
            <div className="inline-controls">
              <button type="submit" className="small" disabled={chosen.length === 0}>
                {t('ocr.start')}
              </button>
              <button type="button" className="secondary small" onClick={() => setChoosing(false)}>
                {t('ocr.cancel')}
              </button>
            </div>
          </form>
        )}
        {reading && (
          <div className="scan-reading-progress inline-controls" role="status">
            <progress max={status.page?.pages ?? 1} value={status.page?.page ?? 0} aria-label={t('ocr.reading')} />
            <span>{status.page ? t('ocr.readingPage', { page: status.page.page, pages: status.page.pages }) : t('ocr.reading')}</span>
            <button type="button" className="secondary small" onClick={stop}>
              {t('ocr.stop')}
            </button>
          </div>
        )}
        {outcome && (
          <p className={outcome.kind === 'failed' ? 'scan-reading-outcome problem' : 'scan-reading-outcome'} role={outcome.kind === 'failed' ? 'alert' : 'status'}>
            {outcome.kind === 'failed' ? t('ocr.failed', { reason: outcome.reason }) : t(`ocr.${outcome.kind}`)}
          </p>
        )}
      </dd>
    </div>
  );
}
