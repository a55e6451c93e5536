import { MAX_UPLOAD_BYTES, type Request, UPLOAD_BATCH_BYTES } from '../../shared/contract.ts';
import { emptyImportReport, type ImportProgress, type ImportReport } from '../../shared/reports.ts';
import { api } from './api.ts';

declare global {
  interface Window {
    /** Present under Electron: the path on disk of a picked or dropped file. */
    kartotekaFiles?: { pathOf(file: File): string };
  }
}

/** At most this many files go in one request, however small. */
const BATCH_FILES = 100;
/** And at most this many files the page could not read or send are named in one. */
const BATCH_FAILURES = 1000;

export type Progress = Omit<ImportProgress, 'jobId'>;

type Batch = Omit<Request<'import.upload'>, 'jobId' | 'total'>;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

const pathsOf = (files: readonly File[]): string[] | undefined => {
  const bridge = window.kartotekaFiles;
  if (!bridge) return undefined;
  const paths = files.map((f) => bridge.pathOf(f));
  return paths.every((p) => p.length > 0) ? paths : undefined;
};

/**
 * Imports files picked or dropped in the window. Under Electron they are imported from disk in
 * the background (worker threads); in the web mode they are uploaded in batches to a background
 * import. Either way the caller sees the import's own progress (the page an OCR is at) and may
 * cancel it through the signal.
 */
export async function importFiles(files: readonly File[], onProgress: (p: Progress) => void, signal: AbortSignal): Promise<ImportReport> {
  const paths = pathsOf(files);
  return paths ? importPaths(paths, onProgress, signal) : upload(files, onProgress, signal);
}

/** Imports files and folders by their paths on disk, in the background (worker threads), polled for progress. */
export async function importPaths(paths: string[], onProgress: (p: Progress) => void, signal: AbortSignal): Promise<ImportReport> {
  const { jobId } = await api['import.start']({ paths });
  const onAbort = (): void => void api['import.cancel']({ jobId });
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await follow(jobId, onProgress);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Polls an import job until it has its report. */
async function follow(jobId: string, onProgress: (p: Progress) => void): Promise<ImportReport> {
  for (;;) {
    const { progress, report } = await api['import.status']({ jobId });
    onProgress(progress);
    if (report) return report;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * The files in batches of about UPLOAD_BATCH_BYTES, each read only when the one before has gone;
 * the last batch says so. A file too large, or one the browser cannot read, goes as a failure.
 * Nothing more is read once the signal is aborted.
 */
async function* batchesOf(files: readonly File[], signal: AbortSignal): AsyncGenerator<Batch> {
  let sending: Batch['files'] = [];
  let failed: NonNullable<Batch['failed']> = [];
  let bytes = 0;
  const take = (): Batch => {
    const batch = { files: sending, failed, last: false };
    sending = [];
    failed = [];
    bytes = 0;
    return batch;
  };
  for (const file of files) {
    if (signal.aborted) return;
    const name = file.name || 'unnamed';
    let data: Uint8Array | null = null;
    if (file.size > MAX_UPLOAD_BYTES) failed.push({ name, code: 'FILE_TOO_LARGE' });
    else {
      try {
        data = new Uint8Array(await file.arrayBuffer());
      } catch {
        failed.push({ name, code: 'FILE_UNREADABLE' });
      }
    }
    if (signal.aborted) return;
    const full = data !== null && sending.length > 0 && (bytes + data.length > UPLOAD_BATCH_BYTES || sending.length >= BATCH_FILES);
    if (full || failed.length >= BATCH_FAILURES) {
      yield take();
      if (signal.aborted) return;
    }
    if (data) {
      sending.push({ name, dataBase64: toBase64(data) });
      bytes += data.length;
    }
  }
  if (!signal.aborted) yield { ...take(), last: true };
}

/**
 * Uploads files into one background import (import.upload), batch by batch, while following it
 * like any other: the panel shows the import's own progress, and cancelling stops it, an OCR in
 * the middle included; files not sent yet are then not sent.
 */
async function upload(files: readonly File[], onProgress: (p: Progress) => void, signal: AbortSignal): Promise<ImportReport> {
  const batches = batchesOf(files, signal);
  const first = await batches.next();
  // Cancelled before a single file went.
  if (first.done) return { ...emptyImportReport(), cancelled: true };
  const { jobId } = await api['import.upload']({ ...first.value, total: Math.min(files.length, 1_000_000) });
  const onAbort = (): void => void api['import.cancel']({ jobId }).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  // The rest goes while the import runs; if a batch cannot go, the import stops rather than wait for it.
  const sending = (async (): Promise<{ error: unknown } | null> => {
    for await (const batch of batches) await api['import.upload']({ ...batch, jobId });
    return null;
  })().catch((error: unknown) => {
    onAbort();
    return { error };
  });
  try {
    const report = await follow(jobId, onProgress);
    const failed = await sending;
    if (failed) throw failed.error;
    return report;
  } catch (error) {
    onAbort();
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
