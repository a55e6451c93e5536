import { type ReactNode, type RefObject, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentRecord } from '../../../shared/document.ts';
import type { Highlight } from '../../../shared/reports.ts';
import { clock } from '../format.ts';
import { Marked } from './Marked.tsx';

export type Cue = DocumentRecord['cues'][number];

/** A request to play from a moment; a new object each time, so the same moment can be asked twice. */
export interface StartAt {
  time: number;
}

/**
 * The audio original of a call: the browser's own player (keyboard and screen reader friendly),
 * told where to start when the document was opened from a hit in its transcript.
 */
export function AudioPlayer({ src, fileName, startAt, audioRef, onTime }: { src: string; fileName: string; startAt: StartAt | null; audioRef: React.RefObject<HTMLAudioElement | null>; onTime: (seconds: number) => void }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [src]);

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio || !startAt) return;
    const go = (): void => {
      audio.currentTime = startAt.time;
      onTime(startAt.time);
      // Playing may be refused (no user gesture yet): the player then waits at that moment.
      audio.play().catch(() => undefined);
    };
    if (audio.readyState >= HTMLMediaElement.HAVE_METADATA) go();
    else {
      audio.addEventListener('loadedmetadata', go, { once: true });
      return () => audio.removeEventListener('loadedmetadata', go);
    }
  }, [startAt, audioRef, onTime, src]);

  return (
    <div className="audio-player">
      <audio
        ref={audioRef}
        src={src}
        controls
        preload="metadata"
        aria-label={t('preview.audio', { name: fileName })}
        onTimeUpdate={(e) => onTime(e.currentTarget.currentTime)}
        onSeeked={(e) => onTime(e.currentTarget.currentTime)}
        onError={() => setFailed(true)}
      />
      {failed && <p className="preview-note">{t('preview.audioFailed')}</p>}
    </div>
  );
}

interface TranscriptProps {
  text: string;
  cues: readonly Cue[];
  highlights: readonly Highlight[];
  /** The player's moment, when there is a player. */
  time: number | null;
  onSeek: ((seconds: number) => void) | null;
  language: string | undefined;
  /** Draws [start, end) of the text (the redactions' view); without it, the text with its hits marked. */
  renderText?: ((start: number, end: number) => ReactNode) | undefined;
  /** The list of cues, for the redactions to read a selection in. */
  listRef?: RefObject<HTMLOListElement | null> | undefined;
  className?: string | undefined;
  /** Drawn above the cues (the redaction tools). */
  tools?: ReactNode;
}

/** Highlights inside [start, end), shifted to start at 0. */
const within = (highlights: readonly Highlight[], start: number, end: number): Highlight[] =>
  highlights.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s - start, e - start]);

/**
 * A transcript, cue by cue with its moment. With a player, the cue being said is marked and kept in
 * view, and a cue's moment (or the cue itself) plays from there.
 */
export function Transcript({ text, cues, highlights, time, onSeek, language, renderText, listRef, className, tools }: TranscriptProps) {
  const { t } = useTranslation();
  const ownList = useRef<HTMLOListElement>(null);
  const list = listRef ?? ownList;
  const sorted = [...cues].sort((a, b) => a.textStart - b.textStart);
  // Each cue shows its stretch of the text, from where the one before ended (so a speaker's name, and
  // any word between cues, is shown and can be marked).
  const parts = sorted.map((cue, i) => {
    const start = i === 0 ? 0 : Math.min(cue.textStart, sorted[i - 1]?.textEnd ?? 0);
    const end = i === sorted.length - 1 ? text.length : Math.max(cue.textEnd, start);
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    return { cue, start: start + lead, end, index: i };
  });
  const current = time === null ? [] : parts.filter((p) => time >= p.cue.start && time < p.cue.end).map((p) => p.index);
  const firstCurrent = current[0] ?? -1;

  useEffect(() => {
    if (firstCurrent < 0) return;
    const element = list.current?.querySelector<HTMLElement>(`[data-cue="${firstCurrent}"]`);
    element?.scrollIntoView({ block: 'nearest' });
  }, [firstCurrent]);

  return (
    <section className="document-text transcript" aria-label={t('document.transcript')}>
      {tools}
      <ol ref={list} className={`cues${className ? ` ${className}` : ''}`} lang={language}>
        {parts.map(({ cue, start, end, index }) => {
          const isCurrent = current.includes(index);
          const shown = text.slice(start, end).trimEnd();
          return (
            <li
              key={index}
              data-cue={index}
              className={`cue${isCurrent ? ' current' : ''}${onSeek ? ' seekable' : ''}`}
              aria-current={isCurrent ? 'time' : undefined}
              onClick={() => {
                if (onSeek && (window.getSelection()?.isCollapsed ?? true)) onSeek(cue.start);
              }}
            >
              {onSeek ? (
                <button
                  type="button"
                  className="cue-time"
                  aria-label={t('preview.playFrom', { time: clock(cue.start) })}
                  onClick={(e) => {
                    e.stopPropagation();
                    onSeek(cue.start);
                  }}
                >
                  {clock(cue.start)}
                </button>
              ) : (
                <span className="cue-time">{clock(cue.start)}</span>
              )}
              {/* data-text-start: where the cue's words are in the document's text (redactions count from there). */}
              <span className="cue-text" data-text-start={start}>
                {renderText ? renderText(start, start + shown.length) : <Marked text={shown} highlights={within(highlights, start, end)} />}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
