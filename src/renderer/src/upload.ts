import { MAX_UPLOAD_BYTES } from '../../shared/contract.ts';
import { emptyImportReport, type ImportProgress, type ImportReport } from '../../shared/reports.ts';
import { api } from './api.ts';

declare global {
  interface Window {
    /** Present under Electron: the path on disk of a picked or dropped file. */
    kartotekaFiles?: { pathOf(file: File): string };
  }
}

/** Files go over in batches of about this many bytes, so no single request grows huge. */
const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_FILES = 100;

export type Progress = Omit<ImportProgress, 'jobId'>;


function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function merge(into: ImportReport, part: ImportReport): void {
  into.imported.push(...part.imported);
  into.duplicates.push(...part.duplicates);
  into.possibleDuplicates.push(...part.possibleDuplicates);
  into.failed.push(...part.failed);
  into.warnings.push(...part.warnings);
}

const pathsOf = (files: readonly File[]): string[] | undefined => {
  const bridge = window.kartotekaFiles;
  if (!bridge) return undefined;
  const paths = files.map((f) => bridge.pathOf(f));
  return paths.every((p) => p.length > 0) ? paths : undefined;
};

/**
 * Imports files picked or dropped in the window. Under Electron they are imported from disk in
 * the background (worker threads) and polled; in the web mode they are uploaded in batches.
 * Either way the caller sees progress and may cancel through the signal.
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
    for (;;) {
      const { progress, report } = await api['import.status']({ jobId });
      onProgress(progress);
      if (report) return report;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function upload(files: readonly File[], onProgress: (p: Progress) => void, signal: AbortSignal): Promise<ImportReport> {
  const report = emptyImportReport();
  const started = performance.now();
  let done = 0;
  const progress = (currentFile: string | null): void => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    onProgress({
      phase: 'importing',
      total: files.length,
      done,
      imported: report.imported.length,
      duplicates: report.duplicates.length,
      possibleDuplicates: report.possibleDuplicates.length,
      failed: report.failed.length,
      filesPerSecond: Math.round(rate * 10) / 10,
      secondsLeft: rate > 0 ? Math.round((files.length - done) / rate) : null,
      currentFile,
    });
  };
  let batch: { name: string; dataBase64: string }[] = [];
  let batchBytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    batchBytes = 0;
    merge(report, await api['documents.import']({ files: sent }));
    done += sent.length;
    progress(null);
  };
  progress(null);
  for (const file of files) {
    if (signal.aborted) break;
    if (file.size > MAX_UPLOAD_BYTES) {
      report.failed.push({ file: file.name, code: 'FILE_TOO_LARGE', message: 'Larger than 64 MB: import it with `kartoteka import` instead.' });
      done++;
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      report.failed.push({ file: file.name, code: 'FILE_UNREADABLE', message: 'The browser could not read this file.' });
      done++;
      continue;
    }
    if (batchBytes + bytes.length > BATCH_BYTES || batch.length >= BATCH_FILES) await flush();
    batch.push({ name: file.name, dataBase64: toBase64(bytes) });
    batchBytes += bytes.length;
    progress(file.name);
  }
  if (!signal.aborted) await flush();
  report.cancelled = signal.aborted && done < files.length;
  return report;
}
