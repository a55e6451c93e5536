import { readFile } from 'node:fs/promises';
import { KartotekaError } from '../../shared/errors.ts';
import type { DocumentMetadata, DocumentWithText } from '../../shared/document.ts';
import { defaultOcrLanguages } from '../ocr.ts';
import type { Archive } from '../archive.ts';
import { getDocument, type StoredExtraction } from '../documents.ts';
import { defaultLimits } from '../importers/types.ts';
import { realignRedactions } from '../redactions.ts';
import { reindexDocument } from '../search/indexing.ts';
import { createExtractor, mayNeedOcr } from './extractors.ts';
import type { ImportOptions } from './pipeline.ts';

export interface ReextractOptions {
  /** A WHATWG encoding label, or null to go back to detection; undefined keeps the current choice. */
  encoding?: string | null | undefined;
  /** false reverts a mojibake repair; undefined keeps the current choice. */
  repairMojibake?: boolean | undefined;
  /** Where OCR's language data is (and the worker's entry in a built app): a scan is read by OCR again. */
  tessdata?: ImportOptions['tessdata'];
  workerUrl?: ImportOptions['workerUrl'];
  /** The languages to recognise a scan in; by default the three the archive reads. */
  ocrLanguages?: readonly string[] | undefined;
  /** Stops the reading (a long scan's OCR): the document stays as it was. */
  signal?: AbortSignal | undefined;
  /** Told as each page of a paged original is taken up. */
  onPage?: ((page: number, pages: number) => void) | undefined;
}

/** Fields re-extraction may refresh from new suggestions, unless a person set them. */
const suggestible = ['title', 'language', 'date', 'kind'] as const;

/**
 * Reads a document's original again, with another encoding or without the mojibake repair, and
 * replaces its text. The original is never touched; fields a person edited are kept.
 */
export async function reextractDocument(archive: Archive, id: string, options: ReextractOptions): Promise<DocumentWithText> {
  const doc = getDocument(archive, id);
  const original = doc.files[0];
  if (!original) throw new KartotekaError('NOT_FOUND', 'This document has no original file to read again.');
  const row = archive.db.prepare('SELECT n, extraction FROM documents WHERE id = ?').get(id) as { n: number; extraction: string };
  const previous = JSON.parse(row.extraction) as StoredExtraction & { encodingOverride?: string | null };
  const encodingOverride = options.encoding === undefined ? (previous.encodingOverride ?? undefined) : (options.encoding ?? undefined);
  const repairMojibake = options.repairMojibake ?? previous.repairReverted !== true;
  const bytes = await readFile(archive.blobs.pathOf(original.sha256));
  // A scan is read in a worker thread, as an import reads it, so that stopping ends its OCR at once.
  const extractor = createExtractor({
    limits: defaultLimits,
    ocrLanguages: [...(options.ocrLanguages ?? defaultOcrLanguages)],
    tessdata: options.tessdata,
    workers: mayNeedOcr(original.fileName) ? 1 : 0,
    workerUrl: options.workerUrl,
    fileTimeoutMs: 10 * 60_000,
  });
  const stop = (): void => void extractor.close();
  options.signal?.addEventListener('abort', stop, { once: true });
  const result = await extractor
    .run({ key: 0, file: original.fileName, name: original.fileName, bytes, encodingOverride, repairMojibake }, options.onPage)
    .finally(() => {
      options.signal?.removeEventListener('abort', stop);
      return extractor.close();
    });
  if (options.signal?.aborted) throw new KartotekaError('CANCELLED', 'Reading the original again was stopped; the document is as it was.');
  if (!result.ok) throw new KartotekaError(result.code, result.message);
  const { extraction } = result;
  // Without the repair the decoder reports none; keep the steps so the UI can offer to redo it.
  const repair = extraction.repair ?? (repairMojibake ? undefined : previous.repair);
  const stored: StoredExtraction & { encodingOverride?: string | null } = {
    importer: result.importerId,
    encoding: extraction.encoding,
    repair,
    repairReverted: repair !== undefined && !repairMojibake,
    warnings: extraction.warnings,
    details: extraction.details,
    encodingOverride: encodingOverride ?? null,
  };
  archive.transaction(() => {
    const db = archive.db;
    const refreshed: Partial<DocumentMetadata> = {};
    for (const field of suggestible) {
      const value = extraction.suggested[field];
      if (value !== undefined && !doc.userFields.includes(field)) Object.assign(refreshed, { [field]: value });
    }
    const meta = { ...doc, ...refreshed };
    db.prepare(
      'UPDATE documents SET text = ?, text_length = ?, text_source = ?, text_hash = ?, extraction = ?, title = ?, language = ?, date = ?, kind = ?, updated_at = ? WHERE id = ?',
    ).run(
      extraction.text,
      extraction.text.length,
      extraction.textSource,
      result.textHash,
      JSON.stringify(stored),
      meta.title,
      meta.language,
      meta.date,
      meta.kind,
      archive.now(),
      id,
    );
    reindexDocument(archive, row.n);
    // The text changed under the redactions: keep them on the words they covered, drop what no longer fits.
    realignRedactions(archive, id, doc.text, extraction.text);
    db.prepare('DELETE FROM document_pages WHERE document_id = ?').run(id);
    db.prepare('DELETE FROM document_cues WHERE document_id = ?').run(id);
    const page = db.prepare('INSERT INTO document_pages (document_id, page, start, "end") VALUES (?, ?, ?, ?)');
    for (const p of extraction.pages ?? []) page.run(id, p.page, p.start, p.end);
    const cue = db.prepare(
      'INSERT INTO document_cues (document_id, seq, start_seconds, end_seconds, text_start, text_end, speaker) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    (extraction.cues ?? []).forEach((c, seq) => cue.run(id, seq, c.start, c.end, c.textStart, c.textEnd, c.speaker ?? null));
    archive.audit('document.reextract', id, {
      encoding: { from: previous.encoding?.name ?? null, to: extraction.encoding?.name ?? null, override: encodingOverride ?? null },
      repair: { steps: repair?.steps ?? [], applied: extraction.repair !== undefined },
      refreshed,
    });
  });
  return getDocument(archive, id);
}
