import { type RefObject, useEffect, useState } from 'react';

/** A stretch of a document's text: [start, end) in UTF-16 code units, as the core counts them. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Where a point of the page falls in the document's text. Every piece of text drawn carries
 * data-text-start, its offset in the document's text (the whole text view is one piece; a
 * transcript has one per cue), so a point inside a piece is that offset plus the characters before
 * it. A point between pieces (on a cue's time, between two cues) goes to the nearest text inward:
 * the next piece's start for the start of a selection, the last piece's end for its end.
 */
export function textOffsetOf(root: HTMLElement, node: Node, offset: number, edge: 'start' | 'end'): number | null {
  if (!root.contains(node)) return null;
  const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  const piece = element?.closest<HTMLElement>('[data-text-start]');
  if (piece && root.contains(piece)) {
    const range = document.createRange();
    range.setStart(piece, 0);
    range.setEnd(node, offset);
    return Number(piece.dataset['textStart']) + range.toString().length;
  }
  const pieces = [...root.querySelectorAll<HTMLElement>('[data-text-start]')];
  const point = document.createRange();
  point.setStart(node, offset);
  point.collapse(true);
  if (edge === 'start') {
    const next = pieces.find((p) => point.comparePoint(p, 0) >= 0);
    return next ? Number(next.dataset['textStart']) : null;
  }
  const before = pieces.filter((p) => point.comparePoint(p, p.childNodes.length) <= 0).pop();
  return before ? Number(before.dataset['textStart']) + (before.textContent ?? '').length : null;
}

/**
 * The words selected inside `root`, as a span of the document's text (spaces at its ends left
 * out, they are not worth a bar); null when nothing is selected there. A selection reaching outside
 * the root leaves the last answer standing.
 */
export function useSelectedSpan(root: RefObject<HTMLElement | null>, text: string): [Span | null, () => void] {
  const [picked, setPicked] = useState<Span | null>(null);
  useEffect(() => {
    setPicked(null);
    const onChange = (): void => {
      const selection = document.getSelection();
      const element = root.current;
      if (!selection || !element || selection.rangeCount === 0) return;
      const range = selection.getRangeAt(0);
      if (selection.isCollapsed) {
        if (element.contains(range.startContainer)) setPicked(null);
        return;
      }
      const a = textOffsetOf(element, range.startContainer, range.startOffset, 'start');
      const b = textOffsetOf(element, range.endContainer, range.endOffset, 'end');
      if (a === null || b === null) return;
      let start = Math.max(0, Math.min(a, b));
      let end = Math.min(text.length, Math.max(a, b));
      while (start < end && /\s/u.test(text[start] ?? '')) start++;
      while (end > start && /\s/u.test(text[end - 1] ?? '')) end--;
      setPicked(end > start ? { start, end } : null);
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [root, text]);
  return [picked, () => setPicked(null)];
}
