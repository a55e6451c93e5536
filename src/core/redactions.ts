import type { Redaction } from '../shared/entities.ts';
import { KartotekaError } from '../shared/errors.ts';
import type { Archive } from './archive.ts';

/**
 * Redactions: spans of a document's text (a relative's address, a source's name) that are blacked
 * out wherever the text leaves the archive. Offsets are UTF-16 code units of documents.text.
 */

export const REDACTED = '█';

interface RedactionRow {
  id: number;
  document_id: string;
  start: number;
  end: number;
  reason: string;
  created_at: string;
}

const redactionOf = (row: RedactionRow): Redaction => ({
  id: row.id,
  documentId: row.document_id,
  start: row.start,
  end: row.end,
  reason: row.reason,
  createdAt: row.created_at,
});

export function listRedactions(archive: Archive, documentId: string): Redaction[] {
  const rows = archive.sql('SELECT * FROM redactions WHERE document_id = ? ORDER BY start, id').all(documentId) as unknown as RedactionRow[];
  return rows.map(redactionOf);
}

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Widens a span so that it never cuts a character written as two code units (an emoji, a rare CJK character) in half. */
function wholeCharacters(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  if (s > 0 && isLow(text.charCodeAt(s)) && isHigh(text.charCodeAt(s - 1))) s--;
  if (e < text.length && isLow(text.charCodeAt(e)) && isHigh(text.charCodeAt(e - 1))) e++;
  return [s, e];
}

/**
 * The text with every redacted character replaced by █; line breaks stay, so paragraphs and page
 * offsets are kept (the result is as long as the text).
 */
export function redactedText(text: string, spans: readonly { start: number; end: number }[]): string {
  if (spans.length === 0) return text;
  const chars = text.split('');
  for (const span of spans) {
    const [start, end] = wholeCharacters(text, Math.max(0, span.start), Math.min(text.length, span.end));
    for (let i = start; i < end; i++) {
      if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = REDACTED;
    }
  }
  return chars.join('');
}

function documentText(archive: Archive, documentId: string): string {
  const row = archive.sql('SELECT text FROM documents WHERE id = ?').get(documentId) as { text: string } | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No document ${documentId} in this archive.`);
  return row.text;
}

/**
 * Redacts a span of a document's text. Spans it overlaps or touches are merged into one (their
 * reasons kept), so the list stays a set of separate spans. Returns the document's spans.
 */
export function addRedaction(archive: Archive, input: { documentId: string; start: number; end: number; reason?: string | undefined }): Redaction[] {
  const { documentId } = input;
  archive.transaction(() => {
    const text = documentText(archive, documentId);
    if (!Number.isInteger(input.start) || !Number.isInteger(input.end) || input.start < 0 || input.end <= input.start || input.end > text.length) {
      throw new KartotekaError(
        'INVALID_REQUEST',
        `A redaction must lie within the text (0 to ${text.length}) and end after it starts; got ${input.start} to ${input.end}.`,
      );
    }
    let [start, end] = wholeCharacters(text, input.start, input.end);
    const reasons = [input.reason?.trim() ?? ''];
    const merged: number[] = [];
    for (const span of listRedactions(archive, documentId)) {
      if (span.start > end || span.end < start) continue;
      start = Math.min(start, span.start);
      end = Math.max(end, span.end);
      reasons.push(span.reason);
      merged.push(span.id);
    }
    const reason = [...new Set(reasons.filter((r) => r !== ''))].join('; ');
    const remove = archive.sql('DELETE FROM redactions WHERE id = ?');
    for (const id of merged) remove.run(id);
    archive.sql('INSERT INTO redactions (document_id, start, "end", reason, created_at) VALUES (?, ?, ?, ?, ?)').run(documentId, start, end, reason, archive.now());
    archive.audit('redaction.add', documentId, { start, end, reason, merged });
  });
  return listRedactions(archive, documentId);
}

/** Takes a redaction away; returns the spans its document still has. */
export function removeRedaction(archive: Archive, id: number): Redaction[] {
  const documentId = archive.transaction(() => {
    const row = archive.sql('SELECT * FROM redactions WHERE id = ?').get(id) as RedactionRow | undefined;
    if (!row) throw new KartotekaError('NOT_FOUND', `No redaction ${id} in this archive.`);
    archive.sql('DELETE FROM redactions WHERE id = ?').run(id);
    archive.audit('redaction.remove', row.document_id, { id, start: row.start, end: row.end, reason: row.reason });
    return row.document_id;
  });
  return listRedactions(archive, documentId);
}

/** The occurrence of `needle` in `text` nearest to `near`, or -1. */
function nearestOccurrence(text: string, needle: string, near: number): number {
  let best = -1;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (best < 0 || Math.abs(at - near) < Math.abs(best - near)) best = at;
    if (at > near) break;
  }
  return best;
}

/**
 * Keeps a document's redactions on the words they covered after its text was read again (another
 * encoding, a mojibake repair undone): a span whose words are still at its offsets stays; one whose
 * words moved follows them (the nearest place they occur); one that no longer fits the text and
 * whose words are gone is dropped. Moves and drops go to the audit log. The caller holds the transaction.
 */
export function realignRedactions(archive: Archive, documentId: string, before: string, after: string): { moved: number; dropped: number } {
  if (before === after) return { moved: 0, dropped: 0 };
  const moved: { id: number; from: [number, number]; to: [number, number] }[] = [];
  const dropped: { id: number; start: number; end: number; reason: string }[] = [];
  for (const span of listRedactions(archive, documentId)) {
    const covered = before.slice(span.start, span.end);
    const fits = span.end <= after.length;
    if (fits && after.slice(span.start, span.end) === covered) continue;
    const at = covered.length > 0 ? nearestOccurrence(after, covered, span.start) : -1;
    if (at >= 0) {
      archive.sql('UPDATE redactions SET start = ?, "end" = ? WHERE id = ?').run(at, at + covered.length, span.id);
      moved.push({ id: span.id, from: [span.start, span.end], to: [at, at + covered.length] });
    } else if (!fits) {
      archive.sql('DELETE FROM redactions WHERE id = ?').run(span.id);
      dropped.push({ id: span.id, start: span.start, end: span.end, reason: span.reason });
    }
  }
  if (moved.length > 0 || dropped.length > 0) {
    archive.audit('redaction.realign', documentId, { cause: 'text changed', textLength: after.length, moved, dropped });
  }
  return { moved: moved.length, dropped: dropped.length };
}

/**
 * Keeps redactions in step with an edit that replaced [editStart, oldEnd) of a text by `newLength`
 * characters (a translation's paragraph saved again): spans after it move with it; a span touching
 * it is widened over the whole edited stretch, since what it covered may now be anywhere in there
 * (better too much blacked out than a name let out). The caller holds the transaction.
 */
export function shiftRedactions(archive: Archive, documentId: string, editStart: number, oldEnd: number, newLength: number): void {
  const delta = editStart + newLength - oldEnd;
  const changed: { id: number; from: [number, number]; to: [number, number] }[] = [];
  let touched = false;
  for (const span of listRedactions(archive, documentId)) {
    if (span.end <= editStart) continue;
    let start: number;
    let end: number;
    if (span.start >= oldEnd) {
      start = span.start + delta;
      end = span.end + delta;
    } else {
      touched = true;
      start = Math.min(span.start, editStart);
      end = Math.max(span.end + delta, editStart + newLength);
    }
    if (end <= start) archive.sql('DELETE FROM redactions WHERE id = ?').run(span.id);
    else archive.sql('UPDATE redactions SET start = ?, "end" = ? WHERE id = ?').run(start, end, span.id);
    changed.push({ id: span.id, from: [span.start, span.end], to: [start, end] });
  }
  // Spans only moved along follow from the edit (audited by the caller); one the edit touched gets a row of its own.
  if (touched) archive.audit('redaction.adjust', documentId, { editStart, oldEnd, newLength, changed });
}
