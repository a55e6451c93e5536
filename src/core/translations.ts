import { strToU8, zipSync } from 'fflate';
import { DocumentMetadata, type DocumentWithText } from '../shared/document.ts';
import type { AlignedParagraphs, ExportedFile, Paragraph, SavedSegment, TranslationExportFormat, TranslationProgress } from '../shared/entities.ts';
import { KartotekaError } from '../shared/errors.ts';
import type { Archive } from './archive.ts';
import { newDocumentId } from './clock.ts';
import { getDocument, insertDocument } from './documents.ts';
import { listRedactions, redactedText, shiftRedactions } from './redactions.ts';
import { reindexDocument } from './search/indexing.ts';

/** Paragraphs end at a blank line (one holding nothing but spaces); a single line break stays inside. */
const PARAGRAPH_BREAK = /\n(?:[^\S\n]*\n)+/gu;
const SPACE = /\s/u;

/**
 * A text's paragraphs with their [start, end) offsets (UTF-16 code units): paragraphs are separated
 * by blank lines; single line breaks (an address, a poem) stay inside; spaces around are left out.
 */
export function paragraphsOf(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  const push = (from: number, to: number): void => {
    let start = from;
    let end = to;
    while (start < end && SPACE.test(text[start] ?? '')) start++;
    while (end > start && SPACE.test(text[end - 1] ?? '')) end--;
    if (end > start) out.push({ index: out.length, start, end, text: text.slice(start, end) });
  };
  let last = 0;
  for (const match of text.matchAll(PARAGRAPH_BREAK)) {
    push(last, match.index);
    last = match.index + match[0].length;
  }
  push(last, text.length);
  return out;
}

interface TranslationRow {
  n: number;
  id: string;
  title: string;
  language: string;
  text: string;
  translation_of: string | null;
  translator: string;
  translation_status: string | null;
  files: number;
}

function translationRow(archive: Archive, id: string): TranslationRow {
  const row = archive
    .sql(
      `SELECT n, id, title, language, text, translation_of, translator, translation_status,
         (SELECT count(*) FROM document_files f WHERE f.document_id = d.id) AS files
       FROM documents d WHERE id = ?`,
    )
    .get(id) as TranslationRow | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No document ${id} in this archive.`);
  return row;
}

function originalText(archive: Archive, id: string): string {
  const row = archive.sql('SELECT text FROM documents WHERE id = ?').get(id) as { text: string } | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No document ${id} in this archive.`);
  return row.text;
}

/** A translation made in the app has no original file; its text is its saved paragraphs. */
const madeInApp = (row: TranslationRow): boolean => row.files === 0;

const TITLE_MAX = 500;

/**
 * Starts a translation in the app: a new document (the original's kind, dates, people, cases, tags
 * and sensitivity: a translation of a confidential letter is as confidential) with no text yet,
 * titled "<original title> (<language>)", marked as a draft by `translator`.
 */
export function startTranslation(archive: Archive, originalId: string, options: { language: string; translator?: string | undefined }): DocumentWithText {
  const original = getDocument(archive, originalId);
  const suffix = ` (${options.language})`;
  const id = newDocumentId(archive.clock());
  archive.transaction(() => {
    const existing = archive
      .sql(
        `SELECT id FROM documents d WHERE translation_of = ? AND lower(language) = lower(?)
           AND NOT EXISTS (SELECT 1 FROM document_files f WHERE f.document_id = d.id) LIMIT 1`,
      )
      .get(originalId, options.language) as { id: string } | undefined;
    if (existing) {
      throw new KartotekaError('CONFLICT', `A translation of this document into ${options.language} is already being made in the app.`, { id: existing.id });
    }
    const meta = DocumentMetadata.parse({
      kind: original.kind,
      title: `${original.title.slice(0, TITLE_MAX - suffix.length)}${suffix}`,
      language: options.language,
      date: original.date,
      dateApproximate: original.dateApproximate,
      authors: original.authors,
      recipients: original.recipients,
      source: '',
      sensitivity: original.sensitivity,
      tags: original.tags,
      cases: original.cases,
      notes: '',
      translationOf: originalId,
      translator: options.translator?.trim() ?? '',
      translationStatus: 'draft',
    });
    insertDocument(archive, id, meta, '', { textSource: 'text', textHash: null, extraction: { importer: 'translation' } });
    archive.audit('translation.start', id, { original: originalId, language: meta.language, translator: meta.translator });
  });
  return getDocument(archive, id);
}

interface SegmentRow {
  seq: number;
  text: string;
}

const segmentsOf = (archive: Archive, id: string): SegmentRow[] =>
  archive.sql('SELECT seq, text FROM translation_segments WHERE document_id = ? ORDER BY seq').all(id) as unknown as SegmentRow[];

/** The paragraphs of an in-app translation, placed in the text its segments make (joined by blank lines). */
function segmentParagraphs(segments: readonly SegmentRow[]): { text: string; paragraphs: Paragraph[] } {
  const paragraphs: Paragraph[] = [];
  let text = '';
  for (const segment of segments) {
    const trimmed = segment.text.trim();
    if (trimmed === '') continue;
    if (text !== '') text += '\n\n';
    paragraphs.push({ index: segment.seq, start: text.length, end: text.length + trimmed.length, text: trimmed });
    text += trimmed;
  }
  return { text, paragraphs };
}

function progressOf(archive: Archive, row: TranslationRow, total: number): TranslationProgress {
  if (madeInApp(row)) {
    const { c } = archive.sql('SELECT count(*) AS c FROM translation_segments WHERE document_id = ? AND seq < ?').get(row.id, total) as { c: number };
    return { done: c, total };
  }
  return { done: Math.min(paragraphsOf(row.text).length, total), total };
}

function assertTranslation(row: TranslationRow): string {
  if (row.translation_of === null) throw new KartotekaError('INVALID_REQUEST', `Document ${row.id} is not a translation (it names no original).`);
  return row.translation_of;
}

/** How many of the original's paragraphs a translation has. */
export function translationProgress(archive: Archive, translationId: string): TranslationProgress {
  const row = translationRow(archive, translationId);
  return progressOf(archive, row, paragraphsOf(originalText(archive, assertTranslation(row))).length);
}

/**
 * Saves the translation of one paragraph of the original (seq: its index in paragraphsOf) in an
 * in-app translation; empty text takes it away. The translation's text becomes its paragraphs
 * joined by blank lines and is indexed again. Meant to be called as the translator types
 * (debounced): one small transaction, the translation's own text analyzed again.
 */
export function saveSegment(archive: Archive, translationId: string, seq: number, text: string): SavedSegment {
  return archive.transaction(() => {
    const row = translationRow(archive, translationId);
    const originalId = assertTranslation(row);
    if (!madeInApp(row)) {
      throw new KartotekaError('INVALID_REQUEST', 'This translation was imported from a file; its text comes from the file and is not edited here.');
    }
    const paragraphs = paragraphsOf(originalText(archive, originalId));
    const source = paragraphs[seq];
    if (!Number.isInteger(seq) || source === undefined) {
      throw new KartotekaError('INVALID_REQUEST', `The original has ${paragraphs.length} paragraphs (0 to ${paragraphs.length - 1}); there is no paragraph ${seq}.`);
    }
    const now = archive.now();
    const value = text.replace(/\r\n?/gu, '\n');
    const before = segmentParagraphs(segmentsOf(archive, translationId)).paragraphs.find((p) => p.index === seq);
    if (value.trim() === '') archive.sql('DELETE FROM translation_segments WHERE document_id = ? AND seq = ?').run(translationId, seq);
    else {
      archive
        .sql(
          `INSERT INTO translation_segments (document_id, seq, source_start, source_end, text, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (document_id, seq) DO UPDATE SET source_start = excluded.source_start, source_end = excluded.source_end,
             text = excluded.text, updated_at = excluded.updated_at`,
        )
        .run(translationId, seq, source.start, source.end, value, now);
    }
    const joined = segmentParagraphs(segmentsOf(archive, translationId));
    if (joined.text !== row.text) {
      // Redactions on the translation stay on what they covered. A paragraph edited is one edit as
      // a whole (a span in it is widened over all of it); one added or taken away is where the texts differ.
      const after = joined.paragraphs.find((p) => p.index === seq);
      if (before && after) shiftRedactions(archive, translationId, before.start, before.end, after.end - after.start);
      else {
        const old = row.text;
        const fresh = joined.text;
        let prefix = 0;
        while (prefix < fresh.length && prefix < old.length && fresh[prefix] === old[prefix]) prefix++;
        let suffix = 0;
        while (suffix < fresh.length - prefix && suffix < old.length - prefix && fresh[fresh.length - 1 - suffix] === old[old.length - 1 - suffix]) suffix++;
        shiftRedactions(archive, translationId, prefix, old.length - suffix, fresh.length - prefix - suffix);
      }
      archive.sql('UPDATE documents SET text = ?, text_length = ?, updated_at = ? WHERE id = ?').run(joined.text, joined.text.length, now, translationId);
      reindexDocument(archive, row.n);
    } else {
      archive.sql('UPDATE documents SET updated_at = ? WHERE id = ?').run(now, translationId);
    }
    archive.audit('translation.segment', translationId, { seq, length: value.trim().length });
    return { seq, updatedAt: now, progress: progressOf(archive, row, paragraphs.length) };
  });
}

/**
 * The original's and the translation's paragraphs side by side, paired by paragraph index: an
 * in-app translation by the original paragraph each segment translates, an imported one by the
 * order of its paragraphs.
 */
export function alignedParagraphs(archive: Archive, originalId: string, translationId: string): AlignedParagraphs {
  const row = translationRow(archive, translationId);
  if (row.translation_of !== originalId) {
    throw new KartotekaError('INVALID_REQUEST', `Document ${translationId} is not a translation of ${originalId}.`);
  }
  const original = translationRow(archive, originalId);
  const left = paragraphsOf(original.text);
  const inApp = madeInApp(row);
  const right = inApp ? segmentParagraphs(segmentsOf(archive, translationId)).paragraphs : paragraphsOf(row.text);
  const byIndex = new Map(right.map((p) => [p.index, p]));
  const count = Math.max(left.length, ...right.map((p) => p.index + 1));
  const pairs = Array.from({ length: count }, (_, index) => ({ index, original: left[index] ?? null, translation: byIndex.get(index) ?? null }));
  return {
    original: { id: original.id, title: original.title, language: original.language },
    translation: {
      id: row.id,
      title: row.title,
      language: row.language,
      translator: row.translator,
      status: row.translation_status as AlignedParagraphs['translation']['status'],
      inApp,
    },
    progress: progressOf(archive, row, left.length),
    pairs,
  };
}

/** A file name from a title: no path separators or characters Windows refuses, not too long. */
export function fileNameOf(title: string, extension: string): string {
  const base = title
    .normalize('NFC')
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^\.+/u, '')
    .slice(0, 120)
    .trim();
  return `${base || 'document'}.${extension}`;
}

/** Characters XML 1.0 does not allow, even escaped (control characters are the point here). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

export const xmlEscape = (value: string): string =>
  value.replace(NOT_XML, '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** One run per paragraph, line breaks and tabs as Word writes them; the language lets Word check spelling. */
function paragraphXml(paragraph: string, language: string): string {
  const properties = language === 'und' ? '' : `<w:rPr><w:lang w:val="${xmlEscape(language)}"/></w:rPr>`;
  const lines = paragraph.split('\n').map((line, i) => {
    const parts = line.split('\t').map((part) => (part === '' ? '' : `<w:t xml:space="preserve">${xmlEscape(part)}</w:t>`));
    return `${i > 0 ? '<w:br/>' : ''}${parts.join('<w:tab/>')}`;
  });
  return `<w:p><w:r>${properties}${lines.join('')}</w:r></w:p>`;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * A minimal Word document: one paragraph per paragraph of the text. Written by hand (three parts
 * zipped with fflate): nothing more is needed for Word and LibreOffice to open it.
 */
export function docxOf(text: string, language = 'und'): Uint8Array {
  const paragraphs = paragraphsOf(text.replace(/\r\n?/gu, '\n')).map((p) => paragraphXml(p.text, language));
  const body = paragraphs.length > 0 ? paragraphs.join('') : '<w:p/>';
  return zipSync(
    {
      '[Content_Types].xml': strToU8(
        XML_HEAD +
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
          '</Types>',
      ),
      '_rels/.rels': strToU8(
        XML_HEAD +
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
          '</Relationships>',
      ),
      'word/document.xml': strToU8(
        XML_HEAD +
          `<w:document xmlns:w="${W}"><w:body>${body}` +
          // A4 with Word's default margins; without a section Word falls back to Letter.
          '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>' +
          '</w:body></w:document>',
      ),
    },
    // A fixed time: the same text makes the same file.
    { level: 6, mtime: new Date('2000-01-01T00:00:00Z') },
  );
}

/**
 * A document's text as a file to save: TXT (UTF-8) or DOCX. Redacted spans are blacked out, as in
 * every file that leaves the archive.
 */
export function exportTranslation(archive: Archive, id: string, format: TranslationExportFormat): ExportedFile {
  const row = translationRow(archive, id);
  const text = redactedText(row.text, listRedactions(archive, id));
  if (format === 'txt') {
    return { fileName: fileNameOf(row.title, 'txt'), mediaType: 'text/plain; charset=utf-8', dataBase64: Buffer.from(text, 'utf8').toString('base64') };
  }
  return {
    fileName: fileNameOf(row.title, 'docx'),
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    dataBase64: Buffer.from(docxOf(text, row.language)).toString('base64'),
  };
}
