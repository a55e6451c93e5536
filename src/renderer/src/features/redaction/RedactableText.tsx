import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Redaction } from '../../../../shared/entities.ts';
import type { Highlight } from '../../../../shared/reports.ts';
import { api } from '../../api.ts';
import { errorText } from '../shared/util.ts';
import './redaction.css';

/** The offset in the text of a point of the selection, counted from the start of `root` (which holds the text alone). */
function offsetIn(root: Node, node: Node, offset: number): number | null {
  if (!root.contains(node)) return null;
  const range = document.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

interface Picked {
  start: number;
  end: number;
}

/** The text cut where a highlight or a redaction starts or ends; each piece knows what covers it. */
function piecesOf(text: string, highlights: readonly Highlight[], redactions: readonly Redaction[]) {
  const cuts = new Set([0, text.length]);
  for (const [s, e] of highlights) if (s < e && e <= text.length) cuts.add(s).add(e);
  for (const r of redactions) cuts.add(Math.min(r.start, text.length)).add(Math.min(r.end, text.length));
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: { start: number; end: number; mark: boolean; redaction: Redaction | null }[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i] ?? 0;
    const end = points[i + 1] ?? 0;
    if (end <= start) continue;
    pieces.push({
      start,
      end,
      mark: highlights.some(([s, e]) => s <= start && e >= end),
      redaction: redactions.find((r) => r.start <= start && r.end >= end) ?? null,
    });
  }
  return pieces;
}

const EXCERPT = 60;
const excerptOf = (text: string): string => {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat;
};

/**
 * A document's text with its search hits marked and its redactions drawn as black bars (struck
 * through, the reason on hover). Select words in the text and "Mark as redacted" to add one; the
 * list of redactions says why each is there and takes it away. Redactions never change the
 * archive's text: they are blacked out wherever the text leaves it (bundles, exports).
 */
export function RedactableText({ documentId, text, highlights, onError }: { documentId: string; text: string; highlights: readonly Highlight[]; onError: (e: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const body = useRef<HTMLSpanElement>(null);
  const [redactions, setRedactions] = useState<Redaction[]>([]);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [form, setForm] = useState<Picked | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [asBundle, setAsBundle] = useState(false);
  const [listOpen, setListOpen] = useState(false);
  const reasonInput = useRef<HTMLInputElement>(null);

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

  // The words selected in the text, as offsets: what "Mark as redacted" would cover.
  useEffect(() => {
    const onChange = (): void => {
      const selection = document.getSelection();
      const root = body.current;
      if (!selection || !root || selection.rangeCount === 0) return;
      const range = selection.getRangeAt(0);
      if (selection.isCollapsed) {
        if (root.contains(range.startContainer)) setPicked(null);
        return;
      }
      const a = offsetIn(root, range.startContainer, range.startOffset);
      const b = offsetIn(root, range.endContainer, range.endOffset);
      if (a === null || b === null) return;
      // Spaces at the ends of a selection are not worth a bar.
      let start = Math.min(a, b);
      let end = Math.max(a, b);
      while (start < end && /\s/u.test(text[start] ?? '')) start++;
      while (end > start && /\s/u.test(text[end - 1] ?? '')) end--;
      setPicked(end > start ? { start, end } : null);
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [text]);

  useEffect(() => {
    if (form) reasonInput.current?.focus();
  }, [form]);

  const add = (): void => {
    if (!form) return;
    setProblem(null);
    api['redactions.add']({ documentId, start: form.start, end: form.end, reason: reason.trim() })
      .then((found) => {
        setRedactions(found);
        setForm(null);
        setPicked(null);
        setReason('');
        setListOpen(true);
        document.getSelection()?.removeAllRanges();
      })
      .catch((e: unknown) => setProblem(errorText(t, e)));
  };

  const remove = (redaction: Redaction): void => {
    api['redactions.remove']({ id: redaction.id })
      .then(setRedactions)
      .catch(onError);
  };

  const pieces = piecesOf(text, highlights, redactions);
  const rendered: ReactNode[] = [];
  for (let i = 0; i < pieces.length; ) {
    const piece = pieces[i];
    if (!piece) break;
    const content = (p: (typeof pieces)[number]): ReactNode => (p.mark ? <mark key={p.start}>{text.slice(p.start, p.end)}</mark> : <span key={p.start}>{text.slice(p.start, p.end)}</span>);
    if (!piece.redaction) {
      rendered.push(content(piece));
      i++;
      continue;
    }
    const redaction = piece.redaction;
    const inside: ReactNode[] = [];
    while (i < pieces.length && pieces[i]?.redaction === redaction) {
      const p = pieces[i];
      if (p) inside.push(content(p));
      i++;
    }
    rendered.push(
      <del key={`r${redaction.id}`} className="redacted" data-redaction={redaction.id} title={redaction.reason ? t('redaction.reasonTitle', { reason: redaction.reason }) : t('redaction.noReason')}>
        {inside}
      </del>,
    );
  }

  return (
    <>
      {/* Stays in view while the text scrolls: select words anywhere, then mark them here. */}
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
              <input type="checkbox" checked={asBundle} onChange={(e) => setAsBundle(e.target.checked)} />
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
      <span ref={body} className={`redaction-body${asBundle ? ' as-bundle' : ''}`}>
        {rendered}
      </span>
    </>
  );
}
