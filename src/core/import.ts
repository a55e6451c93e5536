import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { KartotekaError, toEnvelope, type ErrorCode } from '../shared/errors.ts';
import { DocumentMetadata } from '../shared/document.ts';
import type { ImportReport } from '../shared/reports.ts';
import type { Archive } from './archive.ts';
import { newDocumentId } from './clock.ts';
import { assertTranslationTarget, insertDocument } from './documents.ts';
import { sha256Hex } from './hash.ts';
import { importerFor, supportedExtensions } from './importers/registry.ts';

/** Text formats are read whole into memory; past this a file is refused rather than exhausting it. */
export const MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024;

/** One file to import: `file` is how reports name it, `load` reads its bytes. */
export interface ImportSource {
  file: string;
  name: string;
  load: () => Promise<Uint8Array>;
  /** Metadata the caller already knows (the sample manifest, a future import dialog). */
  metadata?: Partial<DocumentMetadata>;
}

export const emptyReport = (): ImportReport => ({ imported: [], duplicates: [], failed: [] });

const fsCodes: Record<string, ErrorCode> = {
  ENOENT: 'FILE_NOT_FOUND',
  ENOTDIR: 'FILE_NOT_FOUND',
  EACCES: 'PERMISSION_DENIED',
  EPERM: 'PERMISSION_DENIED',
  EISDIR: 'NOT_A_FILE',
};

/** Turns whatever a file operation threw into a per-file failure with a stable code. */
function failureOf(file: string, error: unknown): ImportReport['failed'][number] {
  if (error instanceof KartotekaError) return { file, code: error.code, message: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code in fsCodes) {
    const mapped = fsCodes[code] ?? 'FILE_UNREADABLE';
    const messages: Partial<Record<ErrorCode, string>> = {
      FILE_NOT_FOUND: 'No such file or folder.',
      PERMISSION_DENIED: 'Permission denied: Kartoteka may not read this.',
      NOT_A_FILE: 'This is a folder where a file was expected.',
    };
    return { file, code: mapped, message: messages[mapped] ?? String(error) };
  }
  if (code === 'ERR_SQLITE_ERROR') {
    return { file, code: 'STORAGE_FAILED', message: `The catalogue refused the change, so nothing of this file was kept: ${(error as Error).message}` };
  }
  if (typeof (error as NodeJS.ErrnoException).syscall === 'string') {
    return { file, code: 'FILE_UNREADABLE', message: `The file could not be read (${String(code)}).` };
  }
  const envelope = toEnvelope(error);
  return { file, code: envelope.code, message: envelope.message };
}

function existingDocumentFor(archive: Archive, sha256: string): string | undefined {
  const row = archive.db.prepare('SELECT document_id FROM document_files WHERE sha256 = ? LIMIT 1').get(sha256) as
    | { document_id: string }
    | undefined;
  return row?.document_id;
}

const titleFromFileName = (name: string): string => basename(name, extname(name)).replace(/[-_]+/gu, ' ').trim() || name;

/** Imports one file into the report; failures are recorded, never thrown. */
export async function importSource(archive: Archive, source: ImportSource, report: ImportReport): Promise<string | undefined> {
  const importer = importerFor(source.name);
  if (!importer) {
    report.failed.push({
      file: source.file,
      code: 'UNSUPPORTED_FORMAT',
      message: `Kartoteka cannot read ${extname(source.name) || 'files without an extension'} yet; it reads ${supportedExtensions().join(', ')}.`,
    });
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = await source.load();
  } catch (error) {
    report.failed.push(failureOf(source.file, error));
    return undefined;
  }
  if (bytes.length === 0) {
    report.failed.push({ file: source.file, code: 'EMPTY_FILE', message: 'The file is empty.' });
    return undefined;
  }
  const sha256 = sha256Hex(bytes);
  const existing = existingDocumentFor(archive, sha256);
  if (existing) {
    report.duplicates.push({ file: source.file, id: existing });
    return existing;
  }
  let created = false;
  try {
    const extraction = importer.extract(bytes, source.name);
    if (extraction.text.trim().length === 0) {
      throw new KartotekaError('EMPTY_FILE', 'The file holds no text.');
    }
    const id = newDocumentId(archive.clock());
    const meta = DocumentMetadata.parse({
      kind: extraction.suggested.kind ?? 'other',
      title: extraction.suggested.title ?? titleFromFileName(source.name),
      language: extraction.suggested.language ?? 'und',
      date: null,
      dateApproximate: false,
      authors: [],
      recipients: [],
      source: '',
      sensitivity: 'internal',
      tags: [],
      notes: '',
      translationOf: null,
      ...source.metadata,
    });
    try {
      created = archive.blobs.put(sha256, bytes);
    } catch (error) {
      throw new KartotekaError('STORAGE_FAILED', `The original could not be written into the archive: ${(error as Error).message}`);
    }
    archive.transaction(() => {
      assertTranslationTarget(archive, meta.translationOf);
      archive.db
        .prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)')
        .run(sha256, bytes.length, archive.now());
      insertDocument(archive, id, meta, extraction.text);
      archive.db
        .prepare('INSERT INTO document_files (document_id, sha256, file_name, media_type, role, position) VALUES (?, ?, ?, ?, ?, 0)')
        .run(id, sha256, source.name, extraction.mediaType, 'original');
      archive.audit('document.import', id, {
        file: source.name,
        sha256,
        size: bytes.length,
        importer: importer.id,
        ...extraction.details,
      });
    });
    report.imported.push({ id, file: source.file, sha256 });
    return id;
  } catch (error) {
    // The catalogue rolled back; take back a blob this import wrote so nothing half-done stays.
    if (created && !existingDocumentFor(archive, sha256)) archive.blobs.remove(sha256);
    report.failed.push(failureOf(source.file, error));
    return undefined;
  }
}

async function* walk(path: string, report: ImportReport): AsyncGenerator<string> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    report.failed.push(failureOf(path, error));
    return;
  }
  if (!info.isDirectory()) {
    yield path;
    return;
  }
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    report.failed.push(failureOf(path, error));
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    // Hidden files (.DS_Store, editor swap files) are not documents.
    if (entry.name.startsWith('.')) continue;
    yield* walk(join(path, entry.name), report);
  }
}

/** Imports files and folders (recursively) from disk. */
export async function importPaths(archive: Archive, paths: readonly string[]): Promise<ImportReport> {
  const report = emptyReport();
  for (const given of paths) {
    for await (const file of walk(resolve(given), report)) {
      await importSource(archive, {
        file,
        name: basename(file),
        load: async () => {
          const info = await stat(file);
          if (!info.isFile()) throw new KartotekaError('NOT_A_FILE', 'Not a regular file.');
          if (info.size > MAX_TEXT_FILE_BYTES) {
            throw new KartotekaError('FILE_TOO_LARGE', `The file is ${info.size} bytes; text files over 256 MB are refused.`);
          }
          return readFile(file);
        },
      }, report);
    }
  }
  return report;
}

/** Imports files whose bytes are already in memory (the UI's file picker and drag and drop). */
export async function importBuffers(archive: Archive, files: readonly { name: string; bytes: Uint8Array }[]): Promise<ImportReport> {
  const report = emptyReport();
  for (const { name, bytes } of files) {
    const safeName = basename(name.replaceAll('\\', '/'));
    await importSource(archive, { file: safeName, name: safeName, load: () => Promise.resolve(bytes) }, report);
  }
  return report;
}
