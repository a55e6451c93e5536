import { MAX_UPLOAD_BYTES } from '../../shared/contract.ts';
import type { ImportReport } from '../../shared/reports.ts';
import { api } from './api.ts';

/** Files go over in batches of about this many bytes, so no single request grows huge. */
const BATCH_BYTES = 24 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Imports files chosen in the picker or dropped on the window; one report for all of them. */
export async function importFiles(files: readonly File[], onProgress: (done: number, total: number) => void): Promise<ImportReport> {
  const report: ImportReport = { imported: [], duplicates: [], failed: [] };
  let batch: { name: string; dataBase64: string }[] = [];
  let batchBytes = 0;
  let done = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const part = await api['documents.import']({ files: batch });
    report.imported.push(...part.imported);
    report.duplicates.push(...part.duplicates);
    report.failed.push(...part.failed);
    done += batch.length;
    onProgress(done, files.length);
    batch = [];
    batchBytes = 0;
  };
  for (const file of files) {
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
    if (batchBytes + bytes.length > BATCH_BYTES || batch.length >= 200) await flush();
    batch.push({ name: file.name, dataBase64: toBase64(bytes) });
    batchBytes += bytes.length;
  }
  await flush();
  return report;
}
