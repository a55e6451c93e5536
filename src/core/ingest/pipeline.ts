import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { DocumentMetadata } from '../../shared/document.ts';
import { emptyImportReport, type ImportProgress, type ImportReport, initialImportProgress } from '../../shared/reports.ts';
import type { Archive } from '../archive.ts';
import { newDocumentId } from '../clock.ts';
import { assertTranslationTarget, insertDocument, type StoredExtraction } from '../documents.ts';
import { type ImportLimits, defaultLimits } from '../importers/types.ts';
import { createExtractor, defaultWorkerCount, type ExtractorOptions, mayNeedOcr } from './extractors.ts';
import { describeFailure, type ExtractJob, type Prepared, type PrepareResult } from './prepare.ts';
import { defaultOcrLanguages } from '../ocr.ts';
import type { UploadFeed, UploadedFile } from './upload-feed.ts';

export interface ImportInput {
  /** Files and folders on disk; folders are walked recursively, hidden entries skipped. */
  paths?: readonly string[] | undefined;
  /** Files already in memory (the UI's uploads, the sample archive). */
  files?: readonly { name: string; bytes: Uint8Array; file?: string; metadata?: Partial<DocumentMetadata> }[] | undefined;
  /** Files still arriving (the UI's uploads, batch by batch): taken as the import gets to them, until it is sealed. */
  feed?: UploadFeed | undefined;
}

export type ImportEvent =
  | { status: 'imported'; file: string; id: string; sha256: string }
  | { status: 'duplicate'; file: string; id: string }
  | { status: 'possible-duplicate'; file: string; id: string; sha256: string; duplicateOf: string }
  | { status: 'failed'; file: string; code: string; message: string };

export interface ImportOptions {
  signal?: AbortSignal | undefined;
  /** Called as files are scanned and committed; at most every `progressEveryMs`. */
  onProgress?: ((progress: Omit<ImportProgress, 'jobId'>) => void) | undefined;
  progressEveryMs?: number | undefined;
  /** Called for each file once its outcome is durable (committed), so a crash never un-reports it. */
  onFile?: ((event: ImportEvent) => void) | undefined;
  /** 0: extract in this thread. Default: a pool of worker threads when there are many files. */
  workers?: number | undefined;
  limits?: Partial<ImportLimits> | undefined;
  ocrLanguages?: string[] | undefined;
  tessdata?: string | undefined;
  workerUrl?: URL | undefined;
  fileTimeoutMs?: number | undefined;
}

interface Entry {
  key: number;
  file: string;
  name: string;
  path?: string | undefined;
  bytes?: Uint8Array | undefined;
  size?: number | undefined;
  mtimeMs?: number | undefined;
  metadata?: Partial<DocumentMetadata> | undefined;
  /** Files with the same group and base name pair up (an audio message and its transcript). */
  group: string;
  parentId?: string | undefined;
}


/**
 * Files committed in one transaction, at most. Committing indexes their text on the main thread:
 * 64 at a time held it for 100-300 ms, which a user typing in the search box felt; 16 keeps a
 * commit near 30 ms.
 */
const COMMIT_GROUP = 16;

/** A file read and stored, waiting for its commit; `stopped`: cut off by a cancel, so neither committed nor reported. */
interface Ready {
  entry: Entry;
  result: PrepareResult;
  blobCreated: boolean;
  stopped?: boolean;
}

const baseOf = (name: string): string => basename(name, extname(name)).toLowerCase();

async function scan(path: string, entries: Entry[], failed: { key: number; file: string; code: string; message: string }[], next: () => number): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    failed.push({ key: next(), file: path, ...describeFailure(error) });
    return;
  }
  if (!info.isDirectory()) {
    entries.push({ key: next(), file: path, name: basename(path), path, size: info.size, mtimeMs: Math.trunc(info.mtimeMs), group: dirname(path) });
    return;
  }
  let children;
  try {
    children = await readdir(path, { withFileTypes: true });
  } catch (error) {
    failed.push({ key: next(), file: path, ...describeFailure(error) });
    return;
  }
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) {
    // Hidden files (.DS_Store, editors' swap files) are not documents.
    if (child.name.startsWith('.')) continue;
    await scan(join(path, child.name), entries, failed, next);
  }
}

/**
 * Imports files and folders: scans, extracts in worker threads, and commits each file's outcome
 * durably (small group transactions) before reporting it. Cancelling stops taking new files;
 * running the same import again skips what is already in (same path, size and time, or same bytes).
 */
export async function runImport(archive: Archive, input: ImportInput, options: ImportOptions = {}): Promise<ImportReport> {
  const limits: ImportLimits = { ...defaultLimits, ...options.limits };
  const report = emptyImportReport();
  const order = new Map<object, number>();
  let counter = 0;
  const next = (): number => counter++;
  const started = Date.now();
  const progress = initialImportProgress();
  let lastProgress = 0;
  const emitProgress = (force = false): void => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastProgress < (options.progressEveryMs ?? 250))) return;
    lastProgress = now;
    const seconds = (now - started) / 1000;
    progress.filesPerSecond = seconds > 0 ? Math.round((progress.done / seconds) * 10) / 10 : 0;
    progress.secondsLeft = progress.filesPerSecond > 0 && progress.phase === 'importing' ? Math.round((progress.total - progress.done) / progress.filesPerSecond) : null;
    options.onProgress({ ...progress });
  };

  const record = (event: ImportEvent, key: number): void => {
    progress.done++;
    if (progress.currentPage?.file === event.file) progress.currentPage = null;
    if (event.status === 'imported') {
      progress.imported++;
      const item = { id: event.id, file: event.file, sha256: event.sha256 };
      order.set(item, key);
      report.imported.push(item);
    } else if (event.status === 'duplicate') {
      progress.duplicates++;
      const item = { file: event.file, id: event.id };
      order.set(item, key);
      report.duplicates.push(item);
    } else if (event.status === 'possible-duplicate') {
      progress.possibleDuplicates++;
      const item = { file: event.file, id: event.id, sha256: event.sha256, duplicateOf: event.duplicateOf };
      order.set(item, key);
      report.possibleDuplicates.push(item);
    } else {
      progress.failed++;
      const item = { file: event.file, code: event.code as ImportReport['failed'][number]['code'], message: event.message };
      order.set(item, key);
      report.failed.push(item);
    }
    options.onFile?.(event);
    emitProgress();
  };

  // Scanning.
  emitProgress(true);
  const entries: Entry[] = [];
  const scanFailures: { key: number; file: string; code: string; message: string }[] = [];
  for (const path of input.paths ?? []) await scan(resolve(path), entries, scanFailures, next);
  for (const f of input.files ?? []) {
    const name = basename(f.name.replaceAll('\\', '/'));
    entries.push({ key: next(), file: f.file ?? name, name, bytes: f.bytes, metadata: f.metadata, group: 'in-memory' });
  }
  // An upload's files as they come; those the page could not send are failures from the start.
  const { feed } = input;
  const uploadedNames: string[] = [];
  let outstanding = 0;
  const fromFeed = (files: readonly UploadedFile[], failures: { key: number; file: string; code: string; message: string }[]): Entry[] => {
    const taken: Entry[] = [];
    for (const f of files) {
      const name = basename(f.name.replaceAll('\\', '/')) || 'unnamed';
      uploadedNames.push(name);
      if ('failure' in f) failures.push({ key: next(), file: name, ...f.failure });
      else taken.push({ key: next(), file: name, name, bytes: f.bytes, group: 'in-memory' });
    }
    return taken;
  };
  if (feed) {
    entries.push(...fromFeed(feed.take(), scanFailures));
    outstanding = feed.outstanding;
  }
  progress.total = entries.length + scanFailures.length + outstanding;
  progress.phase = 'importing';
  const scanFailed = scanFailures.map((f): { key: number; event: ImportEvent } => ({ key: f.key, event: { status: 'failed', file: f.file, code: f.code, message: f.message } }));

  const runId = Number(
    archive.transaction(() => {
      const id = archive.db
        .prepare("INSERT INTO import_runs (pid, started_at, status, roots) VALUES (?, ?, 'running', ?)")
        .run(process.pid, archive.now(), JSON.stringify([...(input.paths ?? []), ...(input.files ?? []).map((f) => f.name), ...uploadedNames])).lastInsertRowid;
      for (const { key, event } of scanFailed) keepOutcome(archive, Number(id), key, event);
      return id;
    }),
  );
  for (const { key, event } of scanFailed) record(event, key);
  // How many files there are is known now (an upload's first batch says how many will come): shown before the first is read.
  emitProgress(true);

  // A handful of files is quicker in this thread than starting worker threads for them, unless one
  // may need OCR: minutes of work that only a worker thread can be stopped in the middle of.
  // An upload still arriving may bring a scan in a later batch.
  const workers = options.workers ?? (entries.length >= 8 || entries.some((e) => mayNeedOcr(e.name)) || (feed !== undefined && !feed.sealed) ? defaultWorkerCount() : 0);
  const extractorOptions: ExtractorOptions = {
    limits,
    ocrLanguages: options.ocrLanguages ?? [...defaultOcrLanguages],
    tessdata: options.tessdata,
    workers,
    workerUrl: options.workerUrl,
    fileTimeoutMs: options.fileTimeoutMs ?? 10 * 60_000,
  };
  const extractor = createExtractor(extractorOptions);
  // Cancelling stops the files being read too (an OCR of a long scan): they stay out, for the next run.
  const stopReading = (): void => void extractor.close();
  options.signal?.addEventListener('abort', stopReading, { once: true });
  const pairs = new Map<string, { id: string; importer: string }>();
  const bySha = archive.db.prepare('SELECT document_id AS id FROM document_files WHERE sha256 = ? LIMIT 1');
  const byPath = archive.db.prepare('SELECT document_id AS id FROM file_sources WHERE path = ? AND size = ? AND mtime_ms = ?');

  // Results are committed in the order files were taken, whatever order the workers finish in,
  // so that of two files with the same bytes or text the first one is always the original.
  const ready = new Map<number, Ready>();
  let dispatched = 0;
  let committed = 0;
  const pending: Ready[] = [];
  const takeReady = (): void => {
    for (let item = ready.get(committed); item; item = ready.get(committed)) {
      ready.delete(committed++);
      pending.push(item);
    }
  };
  const queue: Entry[] = [...entries];
  // The queue holds them now; an upload's bytes are let go of as each file is done.
  entries.length = 0;
  const inFlight = new Set<Promise<void>>();

  /** Takes the files of an upload that came meanwhile into the queue; false when none came. */
  const takeFromFeed = (): boolean => {
    if (!feed) return false;
    const failures: { key: number; file: string; code: string; message: string }[] = [];
    const taken = fromFeed(feed.take(), failures);
    const before = outstanding;
    outstanding = feed.outstanding;
    progress.total = Math.max(progress.done, progress.total - before + outstanding + taken.length + failures.length);
    if (failures.length > 0) {
      const events = failures.map((f): { key: number; event: ImportEvent } => ({ key: f.key, event: { status: 'failed', file: f.file, code: f.code, message: f.message } }));
      try {
        archive.transaction(() => {
          for (const { key, event } of events) keepOutcome(archive, runId, key, event);
        });
      } catch {
        // The catalogue takes no writes now (a full disk): the failures are still reported, only not kept with the run.
      }
      for (const { key, event } of events) record(event, key);
    }
    queue.push(...taken);
    return taken.length > 0 || failures.length > 0;
  };
  // A cancel wakes an import waiting for an upload's next batch.
  const stopped = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    else options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });

  const flush = (): void => {
    takeReady();
    if (pending.length === 0) return;
    const batch = pending.splice(0, COMMIT_GROUP).filter((item) => !item.stopped);
    // The rest goes in the next turn of the event loop, so a search or a keystroke gets in between.
    if (pending.length > 0) setImmediate(flushSoon);
    const outcomes: { entry: Entry; event: ImportEvent; created?: string | undefined }[] = [];
    try {
      archive.transaction(() => {
        for (const { entry, result, blobCreated } of batch) {
          if (!result.ok) {
            const event: ImportEvent = { status: 'failed', file: entry.file, code: result.code, message: result.message };
            keepOutcome(archive, runId, entry.key, event);
            outcomes.push({ entry, event });
            continue;
          }
          archive.db.exec('SAVEPOINT one_file');
          try {
            const event = commitOne(archive, entry, result, runId, pairs, report);
            keepOutcome(archive, runId, entry.key, event);
            archive.db.exec('RELEASE one_file');
            outcomes.push({ entry, event, created: blobCreated ? result.sha256 : undefined });
          } catch (error) {
            archive.db.exec('ROLLBACK TO one_file');
            archive.db.exec('RELEASE one_file');
            const event: ImportEvent = { status: 'failed', file: entry.file, ...describeFailure(error) };
            keepOutcome(archive, runId, entry.key, event);
            outcomes.push({ entry, event, created: undefined });
            if (blobCreated && bySha.get(result.sha256) === undefined) archive.blobs.remove(result.sha256);
          }
        }
      });
    } catch (error) {
      // The whole group failed to commit: nothing of it is in the catalogue.
      const failure = describeFailure(error);
      outcomes.length = 0;
      for (const { entry, result, blobCreated } of batch) {
        if (result.ok && blobCreated && bySha.get(result.sha256) === undefined) archive.blobs.remove(result.sha256);
        outcomes.push({ entry, event: { status: 'failed', file: entry.file, ...failure } });
      }
      try {
        archive.transaction(() => {
          for (const { entry, event } of outcomes) keepOutcome(archive, runId, entry.key, event);
        });
      } catch {
        // The catalogue takes no writes now (a full disk): the failures are still reported, only not kept with the run.
      }
    }
    for (const { entry, event, created } of outcomes) {
      if (created) archive.blobs.settle();
      record(event, entry.key);
      // An e-mail's attachments become documents of their own, linked to it.
      const prepared = batch.find((b) => b.entry === entry)?.result;
      if (event.status !== 'failed' && event.status !== 'duplicate' && prepared?.ok) {
        for (const attachment of prepared.attachments) {
          progress.total++;
          queue.push({
            key: next(),
            file: `${entry.file} → ${attachment.name}`,
            name: attachment.name,
            bytes: attachment.bytes,
            group: `attachments:${event.id}`,
            parentId: event.id,
          });
        }
      }
    }
  };

  // Group commit: each commit waits for the disk (fsync), so files are committed together, at most
  // ~50 ms after they are ready or as soon as COMMIT_GROUP are waiting.
  let flushTimer: NodeJS.Timeout | undefined;
  const flushSoon = (): void => {
    takeReady();
    if (pending.length >= COMMIT_GROUP) {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      flush();
      return;
    }
    flushTimer ??= setTimeout(() => {
      flushTimer = undefined;
      flush();
    }, 50);
  };

  try {
    // More files in flight than threads: while some wait for the disk, others are being read.
    // Bounded in bytes too, so a folder of big scans does not hold gigabytes at once.
    const concurrency = extractor.parallelism * 8 + 8;
    const maxBytesInFlight = 256 * 1024 * 1024;
    let bytesInFlight = 0;
    const drain = async (): Promise<void> => {
      while (queue.length > 0 || inFlight.size > 0 || (feed !== undefined && !feed.finished)) {
        if (options.signal?.aborted) break;
        if (queue.length === 0 && takeFromFeed()) continue;
        const entry = queue.shift();
        if (!entry) {
          // Waiting for files being read, or for an upload's next batch, whichever comes first.
          const arrival = feed && !feed.finished ? [feed.arrival(), stopped] : [];
          await Promise.race([...inFlight, ...arrival]);
          continue;
        }
        if (entry.path && entry.size !== undefined && entry.mtimeMs !== undefined) {
          const known = byPath.get(entry.path, entry.size, entry.mtimeMs) as { id: string } | undefined;
          if (known) {
            record({ status: 'duplicate', file: entry.file, id: known.id }, entry.key);
            continue;
          }
        }
        progress.currentFile = entry.file;
        const job: ExtractJob = {
          key: entry.key,
          file: entry.file,
          name: entry.name,
          path: entry.path,
          bytes: entry.bytes,
          size: entry.size,
          repairMojibake: true,
          keepUnreadable: entry.parentId !== undefined,
        };
        const seq = dispatched++;
        const onPage = (page: number, pages: number): void => {
          progress.currentPage = { file: entry.file, page, pages };
          emitProgress();
        };
        const task = extractor.run(job, onPage).then(async (prepared) => {
          // The original is stored (durably) before its catalogue entry is committed.
          let result: PrepareResult = prepared;
          let blobCreated = false;
          if (!prepared.ok && options.signal?.aborted) {
            ready.set(seq, { entry, result, blobCreated, stopped: true });
            flushSoon();
            return;
          }
          if (prepared.ok) {
            try {
              blobCreated = await archive.blobs.put(prepared.sha256, prepared.bytes);
            } catch (error) {
              result = { key: prepared.key, ok: false, code: 'STORAGE_FAILED', message: `The original could not be written into the archive: ${describeFailure(error).message}` };
            }
          }
          ready.set(seq, { entry, result, blobCreated });
          flushSoon();
        });
        const size = entry.size ?? entry.bytes?.length ?? 0;
        bytesInFlight += size;
        const tracked: Promise<void> = task.finally(() => {
          inFlight.delete(tracked);
          bytesInFlight -= size;
        });
        inFlight.add(tracked);
        while (inFlight.size >= concurrency || (bytesInFlight > maxBytesInFlight && inFlight.size > 0)) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      clearTimeout(flushTimer);
      flushTimer = undefined;
      while (pending.length > 0 || ready.size > 0) {
        const before = pending.length + ready.size;
        flush();
        if (pending.length + ready.size >= before) break;
      }
    };
    // Committing a file can add more (an e-mail's attachments), so go round until none are left.
    do await drain();
    while ((queue.length > 0 || (feed !== undefined && !feed.finished)) && !options.signal?.aborted);
  } finally {
    options.signal?.removeEventListener('abort', stopReading);
    // Batches still waiting to be taken are dropped, and their senders answered.
    feed?.close();
    await extractor.close();
  }

  report.cancelled = options.signal?.aborted === true && (queue.length > 0 || progress.done < progress.total);
  const byKey = (a: object, b: object): number => (order.get(a) ?? 0) - (order.get(b) ?? 0);
  report.imported.sort(byKey);
  report.duplicates.sort(byKey);
  report.possibleDuplicates.sort(byKey);
  report.failed.sort(byKey);
  progress.phase = report.cancelled ? 'cancelled' : 'finished';
  progress.currentFile = null;
  progress.currentPage = null;
  archive.transaction(() => {
    if (feed) archive.db.prepare('UPDATE import_runs SET roots = ? WHERE id = ?').run(JSON.stringify([...(input.paths ?? []), ...(input.files ?? []).map((f) => f.name), ...uploadedNames]), runId);
    archive.db
      .prepare('UPDATE import_runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?')
      .run(
        archive.now(),
        report.cancelled ? 'cancelled' : 'finished',
        JSON.stringify({ imported: progress.imported, duplicates: progress.duplicates, possibleDuplicates: progress.possibleDuplicates, failed: progress.failed }),
        runId,
      );
    archive.audit('import.finish', null, {
      run: runId,
      cancelled: report.cancelled,
      imported: progress.imported,
      duplicates: progress.duplicates,
      possibleDuplicates: progress.possibleDuplicates,
      failed: progress.failed,
    });
  });
  emitProgress(true);
  return report;
}

const defaultsFor = (prepared: Prepared, entry: Entry): DocumentMetadata => {
  const s = prepared.extraction.suggested;
  return DocumentMetadata.parse({
    kind: s.kind ?? 'other',
    title: s.title?.trim() || basename(entry.name, extname(entry.name)).replace(/[-_]+/gu, ' ').trim() || entry.name,
    language: s.language ?? 'und',
    date: s.date ?? null,
    dateApproximate: false,
    authors: s.authors ?? [],
    recipients: s.recipients ?? [],
    source: '',
    sensitivity: 'internal',
    tags: [],
    cases: [],
    notes: '',
    translationOf: null,
    ...entry.metadata,
  });
};

/**
 * Keeps a failed file or a possible duplicate with its run, so that import.recent can show it after
 * a restart; the caller holds the transaction that commits the file's outcome.
 */
function keepOutcome(archive: Archive, runId: number, key: number, event: ImportEvent): void {
  const insert = 'INSERT OR REPLACE INTO import_run_files (run_id, seq, file, status, code, message, document_id, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
  if (event.status === 'failed') archive.sql(insert).run(runId, key, event.file, event.status, event.code, event.message, null, null);
  else if (event.status === 'possible-duplicate') archive.sql(insert).run(runId, key, event.file, event.status, null, null, event.id, event.duplicateOf);
}

/** Writes one prepared file into the catalogue; the caller holds the transaction. */
function commitOne(
  archive: Archive,
  entry: Entry,
  prepared: Prepared,
  runId: number,
  pairs: Map<string, { id: string; importer: string }>,
  report: ImportReport,
): ImportEvent {
  const now = archive.now();
  const existing = archive.sql('SELECT document_id AS id FROM document_files WHERE sha256 = ? LIMIT 1').get(prepared.sha256) as { id: string } | undefined;
  const rememberPath = (id: string): void => {
    if (!entry.path) return;
    archive.sql(
      `INSERT OR REPLACE INTO file_sources (path, dir, base, size, mtime_ms, sha256, document_id, import_run, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(entry.path, dirname(entry.path), baseOf(entry.name), prepared.size, prepared.mtimeMs ?? 0, prepared.sha256, id, runId, now);
  };
  if (existing) {
    rememberPath(existing.id);
    return { status: 'duplicate', file: entry.file, id: existing.id };
  }

  const meta = defaultsFor(prepared, entry);
  const { extraction } = prepared;
  const id = newDocumentId(archive.clock());
  assertTranslationTarget(archive, meta.translationOf);
  const stored: StoredExtraction = {
    importer: prepared.importerId,
    encoding: extraction.encoding,
    repair: extraction.repair,
    warnings: extraction.warnings,
    details: extraction.details,
  };
  archive.sql('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)').run(prepared.sha256, prepared.size, now);
  insertDocument(archive, id, meta, extraction.text, {
    textSource: extraction.textSource,
    textHash: prepared.textHash,
    extraction: stored,
    // The worker analyzed the text in the language it suggested; metadata given with the file may name another.
    analyzedBody: meta.language === extraction.suggested.language ? prepared.analyzedBody : undefined,
  });
  archive.sql('INSERT INTO document_files (document_id, sha256, file_name, media_type, role, position) VALUES (?, ?, ?, ?, ?, 0)').run(
    id,
    prepared.sha256,
    entry.name,
    extraction.mediaType,
    'original',
  );
  const page = archive.sql('INSERT INTO document_pages (document_id, page, start, "end") VALUES (?, ?, ?, ?)');
  for (const p of extraction.pages ?? []) page.run(id, p.page, p.start, p.end);
  const cue = archive.sql(
    'INSERT INTO document_cues (document_id, seq, start_seconds, end_seconds, text_start, text_end, speaker) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  (extraction.cues ?? []).forEach((c, seq) => cue.run(id, seq, c.start, c.end, c.textStart, c.textEnd, c.speaker ?? null));
  rememberPath(id);
  const link = archive.sql('INSERT OR IGNORE INTO document_links (from_id, to_id, kind, created_at) VALUES (?, ?, ?, ?)');
  if (entry.parentId) link.run(entry.parentId, id, 'attachment', now);

  // An audio message and its transcript: same base name in the same folder (or the same upload).
  const pairKey = `${entry.group}\u0000${baseOf(entry.name)}`;
  const sibling =
    pairs.get(pairKey) ??
    (entry.path
      ? (archive
          .sql(
            `SELECT f.document_id AS id, json_extract(d.extraction, '$.importer') AS importer
             FROM file_sources f JOIN documents d ON d.id = f.document_id
             WHERE f.dir = ? AND f.base = ? AND f.document_id != ? LIMIT 1`,
          )
          .get(dirname(entry.path), baseOf(entry.name), id) as { id: string; importer: string } | undefined)
      : undefined);
  if (sibling) {
    if (prepared.importerId === 'audio' && sibling.importer === 'transcript') link.run(id, sibling.id, 'transcript', now);
    if (prepared.importerId === 'transcript' && sibling.importer === 'audio') link.run(sibling.id, id, 'transcript', now);
  }
  pairs.set(pairKey, { id, importer: prepared.importerId });

  for (const warning of extraction.warnings ?? []) report.warnings.push({ file: entry.file, message: warning });
  const twin = prepared.textHash
    ? (archive.sql('SELECT id FROM documents WHERE text_hash = ? AND id != ? LIMIT 1').get(prepared.textHash, id) as { id: string } | undefined)
    : undefined;
  if (twin) link.run(id, twin.id, 'possible-duplicate', now);
  archive.audit('document.import', id, {
    file: entry.name,
    sha256: prepared.sha256,
    size: prepared.size,
    importer: prepared.importerId,
    run: runId,
    encoding: extraction.encoding?.name,
    repair: extraction.repair?.steps,
    textSource: extraction.textSource,
    ...(twin ? { possibleDuplicateOf: twin.id } : {}),
  });
  return twin
    ? { status: 'possible-duplicate', file: entry.file, id, sha256: prepared.sha256, duplicateOf: twin.id }
    : { status: 'imported', file: entry.file, id, sha256: prepared.sha256 };
}
