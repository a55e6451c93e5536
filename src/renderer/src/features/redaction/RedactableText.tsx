import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Highlight } from '../../../../shared/reports.ts';
import { redactedText, useRedactable } from './RedactionTools.tsx';

/**
 * A document's text with its search hits marked and its redactions drawn as black bars. Select
 * words in the text and "Mark as redacted" to add one; the list of redactions says why each is
 * there and takes it away.
 */
export function RedactableText({ documentId, text, highlights, onError }: { documentId: string; text: string; highlights: readonly Highlight[]; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const body = useRef<HTMLSpanElement>(null);
  const { redactions, asBundle, tools } = useRedactable(documentId, text, body, onError);
  return (
    <>
      {tools}
      {/* One piece of text from offset 0: a selection's offsets are the document text's. */}
      <span ref={body} className={`redaction-body${asBundle ? ' as-bundle' : ''}`} data-text-start={0}>
        {redactedText(text, 0, text.length, highlights, redactions, t)}
      </span>
    </>
  );
}
