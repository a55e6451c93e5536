import { type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Redaction } from '../../../../shared/entities.ts';
import type { Highlight } from '../../../../shared/reports.ts';
import { api } from '../../api.ts';
import { errorText } from '../shared/util.ts';
import { type Span, useSelectedSpan } from './text-offsets.ts';
import './redaction.css';

/** A document's redactions, read when it is opened; the tools replace them with what the core answers. */
export function useRedactions(documentId: string, onError: (e: unknown) => void): [Redaction[], (next: Redaction[]) => void] {
  const [redactions, setRedactions] = useState<Redaction[]>([]);
  useEffect(() => {
    let stale = false;
    setRedactions([]);
    api['redactions.list']({ documentId })
      .then((found) => {
        if (!stale) setRedactions(found);
      })
      .catch(onError);
    return () => {
      stale = true;
    };
  }, [documentId, onError]);
  return [redactions, setRedactions];
}

/**
 * [start, end) of the text with search hits marked and redactions drawn as black bars (struck
 * through, the reason on hover). Offsets are the document text's; hits and redactions may reach
 * beyond the stretch, only what lies inside it is drawn.
 */
export function redactedText(text: string, start: number, end: number, highlights: readonly Highlight[], redactions: readonly Redaction[], t: TFunction): ReactNode[] {
  const cuts = new Set([start, end]);
  const inside = (n: number): boolean => n > start && n < end;
  for (const [s, e] of highlights) {
    if (s >= e) continue;
    if (inside(s)) cuts.add(s);
    if (inside(e)) cuts.add(e);
  }
  for (const r of redactions) {
    if (inside(r.start)) cuts.add(r.start);
    if (inside(r.end)) cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: { start: number; end: number; mark: boolean; redaction: Redaction | null }[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i] ?? 0;
    const to = points[i + 1] ?? 0;
    if (to <= from) continue;
    pieces.push({
      start: from,
      end: to,
      mark: highlights.some(([s, e]) => s <= from && e >= to),
      redaction: redactions.find((r) => r.start <= from && r.end >= to) ?? null,
    });
  }
  const content = (p: (typeof pieces)[number]): ReactNode =>
    p.mark ? <mark key={p.start}>{text.slice(p.start, p.end)}</mark> : <span key={p.start}>{text.slice(p.start, p.end)}</span>;
  const rendered: ReactNode[] = [];
  for (let i = 0; i < pieces.length; ) {
    const piece = pieces[i];
    if (!piece) break;
    if (!piece.redaction) {
      rendered.push(content(piece));
      i++;
      continue;
    }
    const redaction = piece.redaction;
    const covered: ReactNode[] = [];
    while (i < pieces.length && pieces[i]?.redaction === redaction) {
      const p = pieces[i];
      if (p) covered.push(content(p));
      i++;
    }
    rendered.push(
      <del key={`r${redaction.id}-${piece.start}`} className="redacted" data-redaction={redaction.id} title={redaction.reason ? t('redaction.reasonTitle', { reason: redaction.reason }) : t('redaction.noReason')}>
        {covered}
      </del>,
    );
  }
  return rendered;
}

const EXCERPT = 60;
export const excerptOf = (text: string): string => {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat;
};

interface ToolsProps {
  documentId: string;
  text: string;
  /** The words selected in the text, as a span of it. */
  picked: Span | null;
  redactions: readonly Redaction[];
  onRedactions: (next: Redaction[]) => void;
  asBundle: boolean;
  onAsBundle: (value: boolean) => void;
  /** A redaction was added: the selection it came from is gone. */
  onAdded: () => void;
  onError: (e: unknown) => void;
}

/**
 * Above a text or a transcript: "Mark as redacted" for the words selected (with a reason), the list
 * of redactions (each can be taken away) and a view of the text as a bundle would show it.
 * Redactions never change the archive's text: they are blacked out wherever the text leaves it.
 */
export function RedactionTools({ documentId, text, picked, redactions, onRedactions, asBundle, onAsBundle, onAdded, onError }: ToolsProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [form, setForm] = useState<Span | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [listOpen, setListOpen] = useState(false);
  const reasonInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (form) reasonInput.current?.focus();
  }, [form]);

  const add = (): void => {
    if (!form) return;
    setProblem(null);
    api['redactions.add']({ documentId, start: form.start, end: form.end, reason: reason.trim() })
      .then((found) => {
        onRedactions(found);
        setForm(null);
        setReason('');
        setListOpen(true);
        document.getSelection()?.removeAllRanges();
        onAdded();
      })
      .catch((e: unknown) => setProblem(errorText(t, e)));
  };

  const remove = (redaction: Redaction): void => {
    api['redactions.remove']({ id: redaction.id }).then(onRedactions).catch(onError);
  };

  return (
    // Stays in view while the text scrolls: select words anywhere, then mark them here.
    <div className="redaction-tools">
      <div className="redaction-bar" lang={i18n.language}>
        <button
          type="button"
          className="secondary small"
          disabled={!picked}
          // Pressing the button must not take the selection away.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            if (!picked) return;
            setForm(picked);
            setProblem(null);
          }}
          title={picked ? undefined : t('redaction.selectFirst')}
          aria-describedby={`${id}-hint`}
        >
          {t('redaction.mark')}
        </button>
        <span id={`${id}-hint`} className="ft-hint">
          {picked ? t('redaction.selected', { text: excerptOf(text.slice(picked.start, picked.end)) }) : t('redaction.selectFirst')}
        </span>
        {redactions.length > 0 && (
          <>
            <button type="button" className="link ft-push" aria-expanded={listOpen} aria-controls={`${id}-list`} onClick={() => setListOpen(!listOpen)}>
              {t('redaction.count', { count: redactions.length })}
            </button>
            <label className="ft-check">
              <input type="checkbox" checked={asBundle} onChange={(e) => onAsBundle(e.target.checked)} />
              {t('redaction.asBundle')}
            </label>
          </>
        )}
      </div>
      {form && (
        <form
          className="redaction-form"
          lang={i18n.language}
          aria-label={t('redaction.formLabel')}
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setForm(null);
            }
          }}
        >
          <p className="redaction-excerpt">
            <del className="redacted">{excerptOf(text.slice(form.start, form.end))}</del>
          </p>
          <label htmlFor={`${id}-reason`}>{t('redaction.reason')}</label>
          <input id={`${id}-reason`} ref={reasonInput} type="text" value={reason} placeholder={t('redaction.reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" className="small">
            {t('redaction.confirm')}
          </button>
          <button type="button" className="secondary small" onClick={() => setForm(null)}>
            {t('features.cancel')}
          </button>
          <p className="ft-hint redaction-explain">{t('redaction.explain')}</p>
          {problem && (
            <p className="ft-error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
      {redactions.length > 0 && listOpen && (
        <div id={`${id}-list`} className="redaction-list" lang={i18n.language}>
          <p className="ft-hint">{t('redaction.explain')}</p>
          <ul>
            {redactions.map((r) => (
              <li key={r.id}>
                <del className="redacted">{excerptOf(text.slice(r.start, r.end))}</del>
                <span className="redaction-reason">{r.reason || t('redaction.noReason')}</span>
                <button type="button" className="secondary small" aria-label={t('redaction.removeOne', { text: excerptOf(text.slice(r.start, r.end)) })} onClick={() => remove(r)}>
                  {t('redaction.remove')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/**
 * What a redactable text and a redactable transcript share: the document's redactions, the words
 * selected inside `root`, the "as in a bundle" view, and the tools drawn above them.
 */
export function useRedactable(
  documentId: string,
  text: string,
  root: RefObject<HTMLElement | null>,
  onError: (e: unknown) => void,
): { redactions: Redaction[]; asBundle: boolean; tools: ReactNode } {
  const [redactions, setRedactions] = useRedactions(documentId, onError);
  const [picked, clearPicked] = useSelectedSpan(root, text);
  const [asBundle, setAsBundle] = useState(false);
  const tools = (
    <RedactionTools
      documentId={documentId}
      text={text}
      picked={picked}
      redactions={redactions}
      onRedactions={setRedactions}
      asBundle={asBundle}
      onAsBundle={setAsBundle}
      onAdded={clearPicked}
      onError={onError}
    />
  );
  return { redactions, asBundle, tools };
}
