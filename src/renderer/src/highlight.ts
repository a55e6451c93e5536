import type { Highlight } from '../../shared/reports.ts';

export interface Segment {
  text: string;
  mark: boolean;
}

/** Splits text at highlight ranges so React can render marks without any HTML injection. */
export function segmentsOf(text: string, highlights: readonly Highlight[]): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const [start, end] of [...highlights].sort((a, b) => a[0] - b[0])) {
    if (start < at || end > text.length) continue;
    if (start > at) segments.push({ text: text.slice(at, start), mark: false });
    segments.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), mark: false });
  return segments;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** Ranges of whole words in text equal (ignoring case) to any of the given words. */
export function findWords(text: string, words: readonly string[]): Highlight[] {
  const unique = [...new Set(words.map((w) => w.trim()).filter((w) => w.length > 0))];
  if (unique.length === 0) return [];
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${unique.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length] as Highlight);
}

/** The words a search actually matched, as they appear in a hit's snippet. */
export const matchedWords = (snippet: string, highlights: readonly Highlight[]): string[] =>
  highlights.map(([start, end]) => snippet.slice(start, end));
