import type { ImportReport } from '../shared/reports.ts';
import type { Archive } from './archive.ts';
import { type ImportOptions, runImport } from './ingest/pipeline.ts';


/** Imports files and folders (recursively) from disk. */
export function importPaths(archive: Archive, paths: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
  return runImport(archive, { paths }, options);
}

/** Imports files whose bytes are already in memory (the UI's file picker and drag and drop). */
export function importBuffers(
  archive: Archive,
  files: readonly { name: string; bytes: Uint8Array }[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  return runImport(archive, { files }, options);
}
