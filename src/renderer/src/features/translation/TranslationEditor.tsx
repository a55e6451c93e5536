import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlignedParagraphs, GlossaryMatch, TranslationExportFormat, TranslationProgress } from '../../../../shared/entities.ts';
import type { TranslationStatus } from '../../../../shared/document.ts';
import { translationStatuses } from '../../../../shared/document.ts';
import { api } from '../../api.ts';
import { languageName } from '../../format.ts';
import { nav } from '../nav.ts';
import type { PageContext } from '../shared/context.ts';
import { PageFrame } from '../shared/PageFrame.tsx';
import { downloadFile } from '../shared/util.ts';
import { GlossaryPanel } from './GlossaryPanel.tsx';
import { type SaveState, SegmentSaver } from './saver.ts';
import './translation.css';

/** The original paragraph with the glossary's terms in it marked (their translation on hover). */
function TermsMarked({ text, matches }: { text: string; matches: readonly GlossaryMatch[] }) {
  const spans = matches
    .flatMap((m) => m.matches.map(([start, end]) => ({ start, end, title: `${m.entry.term} = ${m.entry.translation}` })))
    .filter((s) => s.start < s.end && s.end <= text.length)
    .sort((a, b) => a.start - b.start);
  const out: React.ReactNode[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    if (span.start > at) out.push(text.slice(at, span.start));
    out.push(
      <mark key={span.start} className="gl-mark" title={span.title}>
        {text.slice(span.start, span.end)}
      </mark>,
    );
    at = span.end;
  }
  out.push(text.slice(at));
  return <>{out}</>;
}

/**
 * Translating in the app, offline: the original's paragraphs down the left, the translation of
 * each beside it, one paragraph edited at a time. What is typed is saved as one types (400 ms
 * after the last key, and at once on moving to another paragraph), and "Saved" says when it is.
 * Alt+↓ and Alt+↑ (or Ctrl+Enter) move between paragraphs. The glossary beside the paragraph
 * shows the archive's agreed translations of the terms in it.
 */
export function TranslationEditor({ originalId, translationId, ctx }: { originalId: string; translationId: string; ctx: PageContext }) {
  const { t, i18n } = useTranslation();
  const [aligned, setAligned] = useState<AlignedParagraphs | null>(null);
  const [drafts, setDrafts] = useState<Map<number, string>>(new Map());
  const [current, setCurrent] = useState(0);
  const [progress, setProgress] = useState<TranslationProgress>({ done: 0, total: 0 });
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [matches, setMatches] = useState<GlossaryMatch[]>([]);
  const [exporting, setExporting] = useState<TranslationExportFormat | null>(null);
  const [status, setStatus] = useState<TranslationStatus>('draft');
  const editor = useRef<HTMLTextAreaElement>(null);
  const focusEditor = useRef(false);
  const originalCell = useRef<HTMLDivElement>(null);

  const saver = useMemo(
    () =>
      new SegmentSaver(
        (seq, text) => api['translations.saveSegment']({ translationId, seq, text }),
        (state, next) => {
          setSaveState(state);
          if (next) setProgress(next);
        },
      ),
    [translationId],
  );

  useEffect(() => {
    let stale = false;
    setAligned(null);
    api['translations.aligned']({ originalId, translationId })
      .then((found) => {
        if (stale) return;
        setAligned(found);
        setProgress(found.progress);
        setStatus(found.translation.status ?? 'draft');
        setDrafts(new Map(found.pairs.flatMap((p) => (p.translation ? [[p.index, p.translation.text] as const] : []))));
        // Start at the first paragraph not translated yet.
        const first = found.pairs.find((p) => p.original && !p.translation);
        setCurrent(first?.index ?? 0);
        focusEditor.current = true;
      })
      .catch(ctx.onError);
    return () => {
      stale = true;
    };
  }, [originalId, translationId, ctx.onError]);

  // Leaving the page (or the app) sends what is not saved yet; the browser asks before closing meanwhile.
  useEffect(() => {
    const onUnload = (event: BeforeUnloadEvent): void => {
      if (!saver.dirty) return;
      void saver.flush();
      event.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      void saver.flush().then(() => ctx.onArchiveChanged());
    };
  }, [saver, ctx]);

  useEffect(() => {
    if (!focusEditor.current) return;
    focusEditor.current = false;
    const area = editor.current;
    if (!area) return;
    area.focus({ preventScroll: true });
    area.setSelectionRange(area.value.length, area.value.length);
    area.closest('.tr-row')?.scrollIntoView({ block: 'nearest' });
  });

  const paragraphs = aligned?.pairs.filter((p) => p.original !== null) ?? [];
  const position = paragraphs.findIndex((p) => p.index === current);

  const goTo = useCallback(
    (index: number) => {
      void saver.flush();
      setMatches([]);
      focusEditor.current = true;
      setCurrent(index);
    },
    [saver],
  );

  const move = (step: number): void => {
    const next = paragraphs[position + step];
    if (next) goTo(next.index);
  };

  const type = (text: string): void => {
    setDrafts((map) => new Map(map).set(current, text));
    saver.schedule(current, text);
  };

  const insert = (words: string): void => {
    const area = editor.current;
    const value = drafts.get(current) ?? '';
    const start = area?.selectionStart ?? value.length;
    const end = area?.selectionEnd ?? value.length;
    const next = `${value.slice(0, start)}${words}${value.slice(end)}`;
    type(next);
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + words.length, start + words.length);
    });
  };

  const exportAs = (format: TranslationExportFormat): void => {
    setExporting(format);
    saver
      .flush()
      .then(() => api['translations.export']({ id: translationId, format }))
      .then(downloadFile)
      .catch(ctx.onError)
      .finally(() => setExporting(null));
  };

  const changeStatus = (next: TranslationStatus): void => {
    setStatus(next);
    api['documents.update']({ id: translationId, patch: { translationStatus: next } })
      .then(() => ctx.onArchiveChanged())
      .catch(ctx.onError);
  };

  const pickTerm = (): string => {
    const selection = document.getSelection();
    const cell = originalCell.current;
    if (!selection || selection.isCollapsed || !cell || !cell.contains(selection.anchorNode)) return '';
    return selection.toString().trim().slice(0, 300);
  };

  const source = aligned?.original.language ?? 'und';
  const target = aligned?.translation.language ?? 'und';
  const heading = aligned ? t('translation.editorHeading', { title: aligned.original.title, language: languageName(target, i18n.language) }) : '…';
  const currentPair = paragraphs[position];
  const percent = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  const stateText = {
    saved: t('translation.saved'),
    pending: t('translation.pending'),
    saving: t('translation.saving'),
    error: t('translation.saveFailed'),
  }[saveState];

  return (
    <PageFrame
      kind={t('translation.kind')}
      heading={heading}
      focusKey={`translate-${translationId}`}
      className="tr-page"
      toolbar={
        aligned?.translation.inApp ? (
          <div className="tr-toolbar">
            <div className="tr-progress">
              <progress max={Math.max(1, progress.total)} value={progress.done} aria-label={t('translation.progressLabel')} />
              <span data-testid="translation-progress">{t('translation.progress', { done: progress.done, count: progress.total, percent })}</span>
            </div>
            <span className={`tr-save tr-save-${saveState}`} role="status" aria-live="polite" data-state={saveState}>
              {stateText}
              {saveState === 'error' && (
                <button type="button" className="link" onClick={() => void saver.flush()}>
                  {t('translation.retry')}
                </button>
              )}
            </span>
            <label className="tr-status">
              {t('translation.status')}{' '}
              <select value={status} onChange={(e) => changeStatus(e.target.value as TranslationStatus)}>
                {translationStatuses.map((s) => (
                  <option key={s} value={s}>
                    {t(`translation.statusValue.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            {aligned.translation.translator && <span className="ft-hint">{t('translation.by', { name: aligned.translation.translator })}</span>}
          </div>
        ) : null
      }
      actions={
        aligned && (
          <>
            <button type="button" className="secondary small" onClick={() => nav.open({ type: 'aligned', originalId, translationId })}>
              {t('translation.sideBySide')}
            </button>
            <button type="button" className="secondary small" disabled={exporting !== null} onClick={() => exportAs('docx')}>
              {t('translation.exportDocx')}
            </button>
            <button type="button" className="secondary small" disabled={exporting !== null} onClick={() => exportAs('txt')}>
              {t('translation.exportTxt')}
            </button>
          </>
        )
      }
    >
      {!aligned ? (
        <p className="ft-muted">{t('features.loading')}</p>
      ) : !aligned.translation.inApp ? (
        <p className="ft-muted">{t('translation.notInApp')}</p>
      ) : (
        <>
          <p id="tr-keys-hint" className="ft-hint tr-keys">
            {t('translation.keys')}
          </p>
          <div className="tr-workspace">
            <ol className="tr-rows" aria-label={t('translation.paragraphs')}>
              <li className="tr-row tr-head" aria-hidden="true">
                <span className="tr-num" />
                <span>{languageName(source, i18n.language)}</span>
                <span>{languageName(target, i18n.language)}</span>
              </li>
              {paragraphs.map((pair, i) => {
                const isCurrent = pair.index === current;
                const text = drafts.get(pair.index) ?? '';
                return (
                  <li key={pair.index} className={`tr-row${isCurrent ? ' current' : ''}${text.trim() ? ' done' : ''}`} data-paragraph={pair.index}>
                    <span className="tr-num" aria-hidden="true">
                      {i + 1}
                    </span>
                    <div ref={isCurrent ? originalCell : undefined} className="tr-original" lang={source}>
                      {isCurrent ? <TermsMarked text={pair.original?.text ?? ''} matches={matches} /> : pair.original?.text}
                    </div>
                    {isCurrent ? (
                      <div className="tr-target">
                        <label htmlFor="tr-editor" className="visually-hidden">
                          {t('translation.editorLabel', { n: i + 1, count: paragraphs.length })}
                        </label>
                        <textarea
                          id="tr-editor"
                          ref={editor}
                          lang={target}
                          value={text}
                          rows={Math.min(14, Math.max(3, Math.ceil((pair.original?.text.length ?? 0) / 60) + 1))}
                          aria-describedby="tr-keys-hint"
                          onChange={(e) => type(e.target.value)}
                          onBlur={() => void saver.flush()}
                          onKeyDown={(e) => {
                            if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
                              e.preventDefault();
                              move(e.key === 'ArrowDown' ? 1 : -1);
                            } else if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
                              e.preventDefault();
                              move(1);
                            }
                          }}
                        />
                      </div>
                    ) : (
                      <button
                        type="button"
                        className={`tr-target tr-pick${text.trim() ? '' : ' empty'}`}
                        lang={text.trim() ? target : i18n.language}
                        aria-label={t('translation.editParagraph', { n: i + 1 })}
                        onClick={() => goTo(pair.index)}
                      >
                        {text.trim() ? text : t('translation.notYet')}
                      </button>
                    )}
                  </li>
                );
              })}
            </ol>
            {currentPair && (
              <GlossaryPanel
                text={currentPair.original?.text ?? ''}
                paragraph={position + 1}
                sourceLanguage={source}
                targetLanguage={target}
                pickTerm={pickTerm}
                onMatches={setMatches}
                onInsert={insert}
                onError={ctx.onError}
              />
            )}
          </div>
        </>
      )}
    </PageFrame>
  );
}
