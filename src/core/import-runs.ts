import type { ImportRunSummary } from '../shared/entities.ts';
import { ErrorCode } from '../shared/errors.ts';
import type { Archive } from './archive.ts';
import { isSampleArchive } from './sample.ts';

/** Documents named per run at most; the counts say how many there were. */
const DOCUMENTS_PER_RUN = 50;
/** Failed files and possible duplicates named per run at most, each; the counts say how many there were. */
const FILES_PER_RUN = 100;
/** How far back the audit log is read for the documents of the runs listed (newest rows first). */
const AUDIT_WINDOW = 5000;

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: ImportRunSummary['status'];
  roots: string;
  counts: string;
}

interface FileRow {
  file: string;
  code: string | null;
  message: string | null;
  document_id: string | null;
  duplicate_of: string | null;
  duplicate_title: string | null;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0);

function parsed<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * The archive's latest imports, newest first, whoever ran them (the app, the web mode, the
 * command line): when, from what, how each file ended, the documents they brought in (read
 * from the audit log, where each imported document names its run), and the files that failed and
 * the possible duplicates. Kept in the archive, so they are there after a restart and on another machine.
 */
export function recentImports(archive: Archive, limit = 6): ImportRunSummary[] {
  // The sample archive is built by one import per document: those are not anybody's imports.
  const sample = isSampleArchive(archive)
    ? (archive.sql("SELECT at FROM audit_log WHERE action = 'archive.sample' ORDER BY seq LIMIT 1").get() as { at: string } | undefined)
    : undefined;
  const runs = archive
    .sql('SELECT id, started_at, finished_at, status, roots, counts FROM import_runs WHERE started_at >= ? ORDER BY id DESC LIMIT ?')
    .all(sample?.at ?? '', limit) as unknown as RunRow[];
  if (runs.length === 0) return [];
  const wanted = new Map<number, ImportRunSummary['documents']>(runs.map((r) => [r.id, []]));
  // Newest rows first, so that the window holds the latest runs' documents; each run lists its first ones.
  const rows = archive
    .sql(
      `SELECT a.subject AS id, a.details, d.title FROM audit_log a JOIN documents d ON d.id = a.subject
       WHERE a.action = 'document.import' ORDER BY a.seq DESC LIMIT ?`,
    )
    .all(AUDIT_WINDOW) as unknown as { id: string; details: string; title: string }[];
  for (const row of rows.reverse()) {
    const details = parsed<{ run?: unknown; file?: unknown }>(row.details, {});
    const list = typeof details.run === 'number' ? wanted.get(details.run) : undefined;
    if (list && list.length < DOCUMENTS_PER_RUN) list.push({ id: row.id, title: row.title, file: typeof details.file === 'string' ? details.file : '' });
  }
  // Kept by the pipeline in the transaction that committed each file (schema 6); in the order the files were taken.
  const files = (runId: number, status: 'failed' | 'possible-duplicate'): FileRow[] =>
    archive
      .sql(
        `SELECT f.file, f.code, f.message, f.document_id, f.duplicate_of, d.title AS duplicate_title
         FROM import_run_files f LEFT JOIN documents d ON d.id = f.duplicate_of
         WHERE f.run_id = ? AND f.status = ? ORDER BY f.seq LIMIT ?`,
      )
      .all(runId, status, FILES_PER_RUN) as unknown as FileRow[];
  return runs.map((run) => {
    const counts = parsed<Record<string, unknown>>(run.counts, {});
    const roots = parsed<unknown>(run.roots, []);
    return {
      id: run.id,
      startedAt: run.started_at,
      finishedAt: run.finished_at,
      status: run.status,
      roots: Array.isArray(roots) ? roots.filter((r): r is string => typeof r === 'string') : [],
      counts: {
        imported: count(counts['imported']),
        duplicates: count(counts['duplicates']),
        possibleDuplicates: count(counts['possibleDuplicates']),
        failed: count(counts['failed']),
      },
      documents: wanted.get(run.id) ?? [],
      failed: files(run.id, 'failed').map((f) => {
        const code = ErrorCode.safeParse(f.code);
        return { file: f.file, code: code.success ? code.data : 'INTERNAL', message: f.message ?? '' };
      }),
      possibleDuplicates: files(run.id, 'possible-duplicate').flatMap((f) =>
        f.document_id && f.duplicate_of ? [{ file: f.file, id: f.document_id, duplicateOf: f.duplicate_of, duplicateOfTitle: f.duplicate_title }] : [],
      ),
    };
  });
}
