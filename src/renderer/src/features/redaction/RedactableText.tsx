import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Highlight } from '../../../../shared/reports.ts';
import { RedactionTools, redactedText, useRedactions } from './RedactionTools.tsx';
import { useSelectedSpan } from './text-offsets.ts';

/**
 * A document's text with its search hits marked and its redactions drawn as black bars. Select
 * words in the text and "Mark as redacted" to add one; the list of redactions says why each is
 * there and takes it away.
 */
export function RedactableText({ documentId, text, highlights, onError }: { documentId: string; text: string; highlights: readonly Highlight[]; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const body = useRef<HTMLSpanElement>(null);
  const [redactions, setRedactions] = useRedactions(documentId, onError);
  const [picked, clearPicked] = useSelectedSpan(body, text);
  const [asBundle, setAsBundle] = useState(false);
  return (
    <>
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
      {/* One piece of text from offset 0: a selection's offsets are the document text's. */}
      <span ref={body} className={`redaction-body${asBundle ? ' as-bundle' : ''}`} data-text-start={0}>
        {redactedText(text, 0, text.length, highlights, redactions, t)}
      </span>
    </>
  );
}
