import { ZodError } from 'zod';
import { type ErrorCode, KartotekaError } from '../shared/errors.ts';
import {
  DocumentMetadata,
  type DocumentFile,
  type DocumentKind,
  type DocumentMetadataPatch,
  type DocumentSummary,
  type DocumentWithText,
  type Sensitivity,
  type TextSource,
  type TranslationStatus,
  type DocumentLink,
  type DocumentRecord,
  OcrLanguage,
} from '../shared/document.ts';
import type { AuditEntry } from '../shared/reports.ts';
import type { Archive } from './archive.ts';
import { fold, type AnalyzedText } from './search/analyzer.ts';
import { indexDocument, indexedPeopleText, reindexDocument } from './search/indexing.ts';

interface DocumentRow {
  n: number;
  id: string;
  kind: string;
  title: string;
  language: string;
  date: string | null;
  date_approximate: number;
  authors: string;
  recipients: string;
  source: string;
  sensitivity: string;
  tags: string;
  cases: string;
  notes: string;
  translation_of: string | null;
  text: string;
  created_at: string;
  updated_at: string;
  text_source: string;
  text_hash: string | null;
  extraction: string;
  user_fields: string;
  translator: string;
  translation_status: string | null;
}

/** What the import pipeline stores about how a document's text was obtained (documents.extraction). */
export interface StoredExtraction {
  importer: string;
  encoding?: { name: string; confidence: number; bom: boolean; source: string } | undefined;
  repair?: { steps: string[]; scoreBefore: number; scoreAfter: number } | undefined;
  repairReverted?: boolean | undefined;
  warnings?: string[] | undefined;
  details?: Record<string, unknown> | undefined;
}

export interface InsertExtras {
  textSource: TextSource;
  textHash: string | null;
  extraction: StoredExtraction;
  /** The body already analyzed for the index, in the document's language (by an import worker). */
  analyzedBody?: AnalyzedText | undefined;
}

const parseList = (json: string): string[] => JSON.parse(json) as string[];

function metadataOf(row: DocumentRow): DocumentMetadata {
  return {
    kind: row.kind as DocumentKind,
    title: row.title,
    language: row.language,
    date: row.date,
    dateApproximate: row.date_approximate === 1,
    authors: parseList(row.authors),
    recipients: parseList(row.recipients),
    source: row.source,
    sensitivity: row.sensitivity as Sensitivity,
    tags: parseList(row.tags),
    cases: parseList(row.cases),
    notes: row.notes,
    translationOf: row.translation_of,
    translator: row.translator,
    translationStatus: row.translation_status as TranslationStatus | null,
  };
}

export function assertTranslationTarget(archive: Archive, id: string | null, self?: string): void {
  if (id === null) return;
  if (id === self) throw new KartotekaError('INVALID_REQUEST', 'A document cannot be a translation of itself.');
  const found = archive.sql('SELECT 1 AS x FROM documents WHERE id = ?').get(id);
  if (!found) throw new KartotekaError('NOT_FOUND', `translationOf names ${id}, which is not in this archive.`);
}

/** Metadata as insertDocument takes it: the translation fields, added later, may be left out by older callers. */
export type InsertMetadata = Omit<DocumentMetadata, 'translator' | 'translationStatus'> &
  Partial<Pick<DocumentMetadata, 'translator' | 'translationStatus'>>;

/** Inserts a document row and its index entry; the caller holds the transaction. */
export function insertDocument(archive: Archive, id: string, meta: InsertMetadata, text: string, extras: InsertExtras): void {
  const now = archive.now();
  const result = archive
    .sql(
      `INSERT INTO documents (id, kind, title, language, date, date_approximate, authors, recipients, source,
         sensitivity, tags, notes, translation_of, text, created_at, updated_at, text_source, text_hash, extraction, text_length, cases,
         translator, translation_status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      meta.kind,
      meta.title,
      meta.language,
      meta.date,
      meta.dateApproximate ? 1 : 0,
      JSON.stringify(meta.authors),
      JSON.stringify(meta.recipients),
      meta.source,
      meta.sensitivity,
      JSON.stringify(meta.tags),
      meta.notes,
      meta.translationOf,
      text,
      now,
      now,
      extras.textSource,
      extras.textHash,
      JSON.stringify(extras.extraction),
      text.length,
      JSON.stringify(meta.cases),
      meta.translator ?? '',
      meta.translationStatus ?? null,
    );
  indexDocument(
    archive,
    Number(result.lastInsertRowid),
    { title: meta.title, people: indexedPeopleText(archive, id, meta), language: meta.language, text },
    extras.analyzedBody,
  );
}

function rowOf(archive: Archive, id: string): DocumentRow {
  const row = archive.sql('SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No document ${id} in this archive.`);
  return row;
}

export function getDocument(archive: Archive, id: string): DocumentWithText {
  const row = rowOf(archive, id);
  const files = archive
    .sql(
      `SELECT f.sha256, f.file_name AS fileName, f.media_type AS mediaType, b.size, f.role
       FROM document_files f JOIN blobs b ON b.sha256 = f.sha256
       WHERE f.document_id = ? ORDER BY f.position`,
    )
    .all(id) as unknown as DocumentFile[];
  const translations = archive
    .sql('SELECT id, language, title FROM documents WHERE translation_of = ? ORDER BY language, n')
    .all(id) as unknown as { id: string; language: string; title: string }[];
  const extraction = JSON.parse(row.extraction) as Partial<StoredExtraction>;
  const pages = archive
    .sql('SELECT page, start, "end" FROM document_pages WHERE document_id = ? ORDER BY page')
    .all(id) as unknown as { page: number; start: number; end: number }[];
  const cues = archive
    .sql(
      `SELECT start_seconds AS start, end_seconds AS "end", text_start AS textStart, text_end AS textEnd, speaker
       FROM document_cues WHERE document_id = ? ORDER BY seq`,
    )
    .all(id) as unknown as { start: number; end: number; textStart: number; textEnd: number; speaker: string | null }[];
  const links = archive
    .sql(
      `SELECT l.to_id AS id, d.title, l.kind, 'from' AS direction FROM document_links l JOIN documents d ON d.id = l.to_id WHERE l.from_id = ?
       UNION ALL
       SELECT l.from_id AS id, d.title, l.kind, 'to' AS direction FROM document_links l JOIN documents d ON d.id = l.from_id WHERE l.to_id = ?`,
    )
    .all(id, id) as unknown as DocumentLink[];
  return {
    id: row.id,
    ...metadataOf(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    files: files.map((f) => ({ ...f })),
    translations: translations.map((t) => ({ ...t })),
    textSource: row.text_source as TextSource,
    encoding: extraction.encoding
      ? { name: extraction.encoding.name, confidence: extraction.encoding.confidence, source: extraction.encoding.source }
      : null,
    repair: extraction.repair ? { steps: extraction.repair.steps, reverted: extraction.repairReverted === true } : null,
    ocr: ocrOf(extraction.details),
    pages: pages.map((p) => ({ ...p })),
    cues: cues.map((c) => ({ ...c })),
    links: links.map((l) => ({ ...l })),
    warnings: extraction.warnings ?? [],
    userFields: parseList(row.user_fields),
    text: row.text,
  };
}

/** What the importers recorded of a scan's OCR (details.ocrPages, ocrConfidence, ocrLanguages). */
function ocrOf(details: Record<string, unknown> | undefined): DocumentRecord['ocr'] {
  const pages = details?.['ocrPages'];
  if (typeof pages !== 'number' || pages === 0) return null;
  const confidence = details?.['ocrConfidence'];
  const languages = details?.['ocrLanguages'];
  return {
    pages,
    confidence: typeof confidence === 'number' ? confidence : null,
    languages: Array.isArray(languages) ? languages.filter((l): l is OcrLanguage => OcrLanguage.safeParse(l).success) : [],
  };
}

/** A document row with the name of its first original file, as summaries are read. */
export type SummaryRow = DocumentRow & { file_name: string | null };

/** The SELECT list summaries are read with: every column of d, and its first file's name. */
export const SUMMARY_COLUMNS =
  'd.*, (SELECT file_name FROM document_files f WHERE f.document_id = d.id ORDER BY position LIMIT 1) AS file_name';

export function summaryOf(row: SummaryRow): DocumentSummary {
  const meta = metadataOf(row);
  return {
    id: row.id,
    kind: meta.kind,
    title: meta.title,
    language: meta.language,
    date: meta.date,
    dateApproximate: meta.dateApproximate,
    authors: meta.authors,
    sensitivity: meta.sensitivity,
    translationOf: meta.translationOf,
    fileName: row.file_name,
  };
}

/** Metadata of a stored row, for modules that read documents with their own SELECT of d.*. */
export const metadataOfRow = (row: SummaryRow): DocumentMetadata => metadataOf(row);

/**
 * A page of the library, newest first, undated last. The page is found on the date index alone (n is
 * the rowid, so the index covers it), then only its rows are read: sorting every row with its text
 * took seconds a page at 100,000 documents.
 */
export function listDocuments(archive: Archive, offset: number, limit: number): { total: number; items: DocumentSummary[] } {
  const total = (archive.sql('SELECT count(*) AS c FROM documents').get() as { c: number }).c;
  const rows = archive
    .sql(
      `SELECT ${SUMMARY_COLUMNS} FROM (SELECT n FROM documents ORDER BY date DESC, n DESC LIMIT ? OFFSET ?) page
       JOIN documents d ON d.n = page.n ORDER BY d.date DESC, d.n DESC`,
    )
    .all(limit, offset) as unknown as SummaryRow[];
  return { total, items: rows.map(summaryOf) };
}

/**
 * Applies a metadata patch to one document and writes the audit row; the caller holds the
 * transaction. Returns whether anything changed.
 */
export function applyDocumentPatch(archive: Archive, id: string, patch: DocumentMetadataPatch, action = 'document.update'): boolean {
  const row = rowOf(archive, id);
  const before = metadataOf(row);
  const after = DocumentMetadata.parse({ ...before, ...patch });
  if (patch.translationOf !== undefined) assertTranslationTarget(archive, after.translationOf, id);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof DocumentMetadata)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
  }
  if (Object.keys(changes).length === 0) return false;
  const userFields = [...new Set([...parseList(row.user_fields), ...Object.keys(changes)])].sort();
  archive
    .sql(
      `UPDATE documents SET kind = ?, title = ?, language = ?, date = ?, date_approximate = ?, authors = ?,
         recipients = ?, source = ?, sensitivity = ?, tags = ?, cases = ?, notes = ?, translation_of = ?, translator = ?,
         translation_status = ?, updated_at = ?, user_fields = ?
       WHERE id = ?`,
    )
    .run(
      after.kind,
      after.title,
      after.language,
      after.date,
      after.dateApproximate ? 1 : 0,
      JSON.stringify(after.authors),
      JSON.stringify(after.recipients),
      after.source,
      after.sensitivity,
      JSON.stringify(after.tags),
      JSON.stringify(after.cases),
      after.notes,
      after.translationOf,
      after.translator,
      after.translationStatus,
      archive.now(),
      JSON.stringify(userFields),
      id,
    );
  if (['title', 'authors', 'recipients', 'language'].some((field) => field in changes)) reindexDocument(archive, row.n);
  archive.audit(action, id, changes);
  return true;
}

/** Changes metadata; the fields that changed, old and new, go to the audit log. */
export function updateDocument(archive: Archive, id: string, patch: DocumentMetadataPatch): DocumentWithText {
  archive.transaction(() => applyDocumentPatch(archive, id, patch));
  return getDocument(archive, id);
}

/** What a bulk edit changes on every document it is given (a list field: values to add and to remove). */
export interface BulkPatch {
  kind?: DocumentKind | undefined;
  sensitivity?: Sensitivity | undefined;
  language?: string | undefined;
  tags?: { add?: readonly string[] | undefined; remove?: readonly string[] | undefined } | undefined;
  cases?: { add?: readonly string[] | undefined; remove?: readonly string[] | undefined } | undefined;
}

export interface BulkUpdateResult {
  /** Documents that changed. */
  updated: string[];
  /** Documents that already were as asked. */
  unchanged: string[];
  /** Documents that could not be changed, with why; the others were changed all the same. */
  failed: { id: string; code: ErrorCode; message: string }[];
}

/** Tags and cases compare as the search's tag: and case: filters do: folded. */
export const listKey = (value: string): string => fold(value.trim());

/** A list with `add` appended (when missing) and `remove` taken out, compared as the search compares them. */
function editList(list: readonly string[], edit: BulkPatch['tags']): string[] {
  if (!edit) return [...list];
  const removed = new Set((edit.remove ?? []).map(listKey));
  const out = list.filter((value) => !removed.has(listKey(value)));
  const present = new Set(out.map(listKey));
  for (const value of edit.add ?? []) {
    const key = listKey(value);
    if (present.has(key) || removed.has(key)) continue;
    present.add(key);
    out.push(value.trim());
  }
  return out;
}

/**
 * Changes kind, sensitivity, language, tags and cases of many documents in one transaction, with
 * one audit row per document changed. A document that cannot be changed (no longer there) is
 * reported in `failed` and the others are changed all the same; each document's change is all or
 * nothing (a savepoint each).
 */
export function updateDocuments(archive: Archive, ids: readonly string[], patch: BulkPatch): BulkUpdateResult {
  const result: BulkUpdateResult = { updated: [], unchanged: [], failed: [] };
  archive.transaction(() => {
    for (const id of new Set(ids)) {
      archive.db.exec('SAVEPOINT bulk_document');
      try {
        const row = rowOf(archive, id);
        const before = metadataOf(row);
        const single: DocumentMetadataPatch = {};
        if (patch.kind !== undefined) single.kind = patch.kind;
        if (patch.sensitivity !== undefined) single.sensitivity = patch.sensitivity;
        if (patch.language !== undefined) single.language = patch.language;
        if (patch.tags) single.tags = editList(before.tags, patch.tags);
        if (patch.cases) single.cases = editList(before.cases, patch.cases);
        const changed = applyDocumentPatch(archive, id, single);
        archive.db.exec('RELEASE bulk_document');
        (changed ? result.updated : result.unchanged).push(id);
      } catch (error) {
        archive.db.exec('ROLLBACK TO bulk_document');
        archive.db.exec('RELEASE bulk_document');
        if (error instanceof KartotekaError) result.failed.push({ id, code: error.code, message: error.message });
        else if (error instanceof ZodError) result.failed.push({ id, code: 'INVALID_REQUEST', message: error.issues.map((i) => i.message).join('; ') });
        else throw error;
      }
    }
  });
  return result;
}

export function documentHistory(archive: Archive, id: string): AuditEntry[] {
  rowOf(archive, id);
  const rows = archive.db
    .prepare('SELECT seq, at, action, subject, details, hash FROM audit_log WHERE subject = ? ORDER BY seq')
    .all(id) as unknown as { seq: number; at: string; action: string; subject: string | null; details: string; hash: string }[];
  return rows.map((r) => ({ seq: r.seq, at: r.at, action: r.action, subject: r.subject, details: JSON.parse(r.details) as unknown, hash: r.hash }));
}

export function documentCount(archive: Archive): number {
  return (archive.db.prepare('SELECT count(*) AS c FROM documents').get() as { c: number }).c;
}
