import type { Highlight } from '../../../shared/reports.ts';
import { segmentsOf } from '../highlight.ts';

/** Text with some ranges marked as search hits. */
export function Marked({ text, highlights }: { text: string; highlights: readonly Highlight[] }) {
  return (
    <>
      {segmentsOf(text, highlights).map((segment, i) =>
        segment.mark ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>,
      )}
    </>
  );
}
