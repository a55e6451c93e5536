import { useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Highlight } from '../../../../shared/reports.ts';
import { type Cue, Transcript } from '../../components/Transcript.tsx';
import { redactedText, useRedactable } from './RedactionTools.tsx';

interface Props {
  /** The transcript's document: its own, or the one linked to a recording. */
  documentId: string;
  text: string;
  cues: readonly Cue[];
  highlights: readonly Highlight[];
  time: number | null;
  onSeek: ((seconds: number) => void) | null;
  language: string | undefined;
  onError: (e: unknown) => void;
}

/**
 * A transcript whose words can be redacted as a text's can: each cue shows a stretch of the
 * document's text (cues keep their offsets into it), so words selected across one cue or several
 * are a span of that text, redacted with the same call and blacked out in every bundle.
 */
export function RedactableTranscript({ documentId, text, cues, highlights, time, onSeek, language, onError }: Props) {
  const { t } = useTranslation();
  const list = useRef<HTMLOListElement>(null);
  const { redactions, asBundle, tools } = useRedactable(documentId, text, list, onError);
  const renderText = useCallback((start: number, end: number) => redactedText(text, start, end, highlights, redactions, t), [text, highlights, redactions, t]);
  return (
    <Transcript
      text={text}
      cues={cues}
      highlights={highlights}
      time={time}
      onSeek={onSeek}
      language={language}
      listRef={list}
      renderText={renderText}
      className={asBundle ? 'redaction-body as-bundle' : 'redaction-body'}
      tools={tools}
    />
  );
}
