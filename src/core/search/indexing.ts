import type { ErrorEnvelope } from '../../shared/errors.ts';
import type { IndexStatus } from '../../shared/reports.ts';
import type { Archive } from '../archive.ts';
import { ANALYZER_VERSION, analyzeText, fold, words, type AnalyzedText } from './analyzer.ts';

/** What the index is built from for one document. */
export interface IndexSource {
  title: string;
  /** Authors and recipients, then the names and variants of the people it names, one per line. */
  people: string;
  language: string;
  text: string;
}

export const peopleText = (meta: { authors: readonly string[]; recipients: readonly string[] }): string =>
  [...meta.authors, ...meta.recipients].join('\n');

/** A name reduced to its folded words: "Кагарлицкий,  Борис" and "кагарлицкий борис" are one name. */
export const nameKey = (name: string): string => words(name).map(fold).join(' ');

interface KnownPerson {
  name: string;
  variants: string[];
}

/** Every person's name and variants by name key, so that an author's name finds its person cheaply. */
interface PeopleDirectory {
  stamp: string;
  byKey: Map<string, KnownPerson[]>;
}

const directories = new WeakMap<Archive, PeopleDirectory>();
const epochs = new WeakMap<Archive, number>();

/**
 * Tells the index that people changed in this process; src/core/people.ts calls it around every
 * change (and after a rollback), so the cached directory is read again.
 */
export function peopleChanged(archive: Archive): void {
  epochs.set(archive, (epochs.get(archive) ?? 0) + 1);
}

/**
 * The people directory, read again when people changed here or anything was committed by another
 * connection (the CLI beside the app): PRAGMA data_version moves only for other connections' commits.
 * An import would otherwise read the whole people table once per document.
 */
function directoryOf(archive: Archive): PeopleDirectory {
  const { data_version: dataVersion } = archive.sql('PRAGMA data_version').get() as { data_version: number };
  const stamp = `${dataVersion}/${epochs.get(archive) ?? 0}`;
  const cached = directories.get(archive);
  if (cached?.stamp === stamp) return cached;
  const byKey = new Map<string, KnownPerson[]>();
  for (const row of archive.sql('SELECT name, variants FROM people').all() as unknown as { name: string; variants: string }[]) {
    const person = { name: row.name, variants: JSON.parse(row.variants) as string[] };
    for (const key of new Set([row.name, ...person.variants].map(nameKey))) {
      if (key === '') continue;
      const list = byKey.get(key);
      if (list) list.push(person);
      else byKey.set(key, [person]);
    }
  }
  const directory = { stamp, byKey };
  directories.set(archive, directory);
  return directory;
}

/**
 * What the index's people column holds for a document: its authors and recipients, then the names
 * and variants of the people it is linked to (document_people) or whose name or a variant equals
 * one of its authors or recipients, so that any spelling of a person finds the document.
 * `documentId` is null for a document not yet in the catalogue (it has no links yet).
 */
export function indexedPeopleText(
  archive: Archive,
  documentId: string | null,
  meta: { authors: readonly string[]; recipients: readonly string[] },
): string {
  const directory = directoryOf(archive);
  if (directory.byKey.size === 0) return peopleText(meta);
  const lines = [...meta.authors, ...meta.recipients];
  const seen = new Set(lines.map(nameKey));
  const add = (person: KnownPerson): void => {
    for (const name of [person.name, ...person.variants]) {
      const key = nameKey(name);
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(name);
    }
  };
  for (const name of [...meta.authors, ...meta.recipients]) {
    for (const person of directory.byKey.get(nameKey(name)) ?? []) add(person);
  }
  if (documentId !== null) {
    const linked = archive
      .sql('SELECT DISTINCT p.name, p.variants FROM document_people dp JOIN people p ON p.id = dp.person_id WHERE dp.document_id = ? ORDER BY p.name')
      .all(documentId) as unknown as { name: string; variants: string }[];
    for (const row of linked) add({ name: row.name, variants: JSON.parse(row.variants) as string[] });
  }
  return lines.join('\n');
}

/**
 * Writes one document's terms into the index (documents_index: stems of title, people and body, then
 * their keys). `body` may come analyzed already, by the import's worker threads.
 */
export function indexDocument(archive: Archive, n: number, source: IndexSource, body?: AnalyzedText): void {
  const title = analyzeText(source.title, source.language);
  const people = analyzeText(source.people, source.language);
  const text = body ?? analyzeText(source.text, source.language);
  archive.sql('DELETE FROM documents_index WHERE rowid = ?').run(n);
  archive
    .sql('INSERT INTO documents_index (rowid, title, people, body, title_keys, people_keys, body_keys) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(n, title.stems, people.stems, text.stems, title.keys, people.keys, text.keys);
}

interface SourceRow {
  n: number;
  id: string;
  title: string;
  authors: string;
  recipients: string;
  language: string;
  text: string;
}

const sourceOf = (archive: Archive, row: SourceRow): IndexSource => ({
  title: row.title,
  people: indexedPeopleText(archive, row.id, { authors: JSON.parse(row.authors) as string[], recipients: JSON.parse(row.recipients) as string[] }),
  language: row.language,
  text: row.text,
});

/** Analyzes a stored document again, after its title, people, language or text changed. */
export function reindexDocument(archive: Archive, n: number): void {
  const row = archive.sql('SELECT n, id, title, authors, recipients, language, text FROM documents WHERE n = ?').get(n) as SourceRow | undefined;
  if (row) indexDocument(archive, n, sourceOf(archive, row));
}

export interface IndexState {
  /** The analyzer version the index was (or is being) built with. */
  version: number;
  /** Whether every document is in the index under the current analyzer. */
  current: boolean;
  /** Documents indexed so far under the current analyzer, and how many there are. */
  done: number;
  total: number;
  /** The rebuild stands still in this process (pauseRebuild) until resumeRebuild. */
  paused: boolean;
  /** Why it stopped, when a step failed rather than a person pausing it. */
  failure: Pick<ErrorEnvelope, 'code' | 'message'> | null;
}

/**
 * Rebuilds paused in this process. Kept in memory on purpose, not in the archive: search has to
 * become complete, so an archive opened again (a new Archive) goes on rebuilding.
 */
const holds = new WeakMap<Archive, { failure: IndexState['failure'] }>();

/** Holds the background rebuild of this archive (see BackgroundRebuild); a failure says why it stopped by itself. */
export function pauseRebuild(archive: Archive, failure: IndexState['failure'] = null): void {
  holds.set(archive, { failure });
}

export function resumeRebuild(archive: Archive): void {
  holds.delete(archive);
}

export const rebuildPaused = (archive: Archive): boolean => holds.has(archive);

const meta = (archive: Archive, key: string): string | undefined =>
  (archive.sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
const setMeta = (archive: Archive, key: string, value: string): void => {
  archive.sql('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
};

/** Where the rebuild has got to: the highest documents.n indexed under the current analyzer. */
const PROGRESS = 'index_progress';
const VERSION = 'index_version';

export function indexState(archive: Archive): IndexState {
  const version = Number(meta(archive, VERSION) ?? 0);
  const total = (archive.sql('SELECT count(*) AS c FROM documents').get() as { c: number }).c;
  if (version === ANALYZER_VERSION) return { version, current: true, done: total, total, paused: false, failure: null };
  const progress = Number(meta(archive, PROGRESS) ?? 0);
  const done = (archive.sql('SELECT count(*) AS c FROM documents WHERE n <= ?').get(progress) as { c: number }).c;
  const hold = holds.get(archive);
  return { version, current: false, done, total, paused: hold !== undefined, failure: hold?.failure ?? null };
}

/** indexState() as the contract says it (search.index.status, and a search's `indexing`). */
export function indexStatus(archive: Archive): IndexStatus {
  const { version, current, done, total, paused, failure } = indexState(archive);
  return { analyzerVersion: version, current, done, total, paused, failure };
}

/**
 * Starts the index again from nothing under the current analyzer. Documents added from now on are
 * indexed as they come in; rebuildStep() works through the ones already there.
 */
export function startRebuild(archive: Archive): void {
  archive.transaction(() => {
    archive.db.exec("INSERT INTO documents_index (documents_index) VALUES ('delete-all')");
    setMeta(archive, VERSION, String(-ANALYZER_VERSION));
    setMeta(archive, PROGRESS, '0');
    archive.audit('index.rebuild', null, { analyzer: ANALYZER_VERSION });
  });
}

/** Whether the index was built by another analyzer (or never): then it must be rebuilt. */
export function needsRebuild(archive: Archive): boolean {
  const version = Number(meta(archive, VERSION) ?? 0);
  return version !== ANALYZER_VERSION && version !== -ANALYZER_VERSION;
}

/** Opens the way for a rebuild if the analyzer changed; an empty archive is current at once. */
export function prepareIndex(archive: Archive): void {
  if (!needsRebuild(archive)) return;
  const empty = !archive.sql('SELECT 1 AS x FROM documents LIMIT 1').get();
  if (empty) {
    archive.transaction(() => setMeta(archive, VERSION, String(ANALYZER_VERSION)));
    return;
  }
  startRebuild(archive);
}

/**
 * Indexes the next documents of a rebuild, for about `budgetMs`, in one transaction, so a crash
 * loses at most one step and the rebuild resumes where it was. Returns the state after the step.
 */
export function rebuildStep(archive: Archive, budgetMs = 40): IndexState {
  const version = Number(meta(archive, VERSION) ?? 0);
  if (version === ANALYZER_VERSION) return indexState(archive);
  if (version !== -ANALYZER_VERSION) startRebuild(archive);
  const started = performance.now();
  archive.transaction(() => {
    let progress = Number(meta(archive, PROGRESS) ?? 0);
    const next = archive.sql(
      'SELECT n, id, title, authors, recipients, language, text FROM documents WHERE n > ? ORDER BY n LIMIT 1',
    );
    // At least one document per step, however small the budget.
    do {
      const row = next.get(progress) as SourceRow | undefined;
      if (!row) {
        setMeta(archive, VERSION, String(ANALYZER_VERSION));
        archive.audit('index.rebuilt', null, { analyzer: ANALYZER_VERSION });
        break;
      }
      indexDocument(archive, row.n, sourceOf(archive, row));
      progress = row.n;
    } while (performance.now() - started < budgetMs);
    setMeta(archive, PROGRESS, String(progress));
  });
  return indexState(archive);
}
