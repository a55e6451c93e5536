import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { KartotekaError } from '../shared/errors.ts';
import { BlobStore, processAlive } from './blob-store.ts';
import { type Clock, systemClock } from './clock.ts';
import { sha256Hex } from './hash.ts';
import { latestSchemaVersion, migrations } from './migrations.ts';
import { prepareIndex } from './search/indexing.ts';

/** PRAGMA application_id of every catalogue: "KRTK". Tells our catalogue from any other SQLite file. */
export const APPLICATION_ID = 0x4b52544b;
export const CATALOGUE_FILE = 'catalogue.sqlite';
export const GENESIS_HASH = '0'.repeat(64);

export interface ArchiveOptions {
  clock?: Clock;
}

/** Canonical text of an audit row that its hash covers. */
export function auditPayload(row: {
  seq: number;
  at: string;
  action: string;
  subject: string | null;
  details: string;
  prevHash: string;
}): string {
  return [row.prevHash, row.seq, row.at, row.action, row.subject ?? '', row.details].join('\n');
}

/**
 * An archive is a folder: catalogue.sqlite plus blobs/sha256/... . Copying the folder copies
 * the whole archive.
 */
export class Archive {
  readonly root: string;
  readonly db: DatabaseSync;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  /** Bumped by every committed change; caches derived from the catalogue compare against it. */
  generation = 0;
  private depth = 0;
  private readonly statements = new Map<string, StatementSync>();

  private constructor(root: string, db: DatabaseSync, clock: Clock) {
    this.root = root;
    this.db = db;
    this.blobs = new BlobStore(root);
    this.clock = clock;
  }

  get name(): string {
    return basename(this.root);
  }

  static isArchive(dir: string): boolean {
    const file = join(dir, CATALOGUE_FILE);
    if (!existsSync(file)) return false;
    try {
      const db = new DatabaseSync(file, { readOnly: true });
      try {
        const row = db.prepare('PRAGMA application_id').get() as { application_id: number } | undefined;
        return row?.application_id === APPLICATION_ID;
      } finally {
        db.close();
      }
    } catch {
      return false;
    }
  }

  /** Creates a new archive in an empty or missing folder. */
  static create(dir: string, options: ArchiveOptions = {}): Archive {
    const root = resolve(dir);
    if (existsSync(join(root, CATALOGUE_FILE))) {
      throw new KartotekaError('ARCHIVE_EXISTS', `There is already an archive in ${root}.`);
    }
    if (existsSync(root)) {
      if (!statSync(root).isDirectory()) throw new KartotekaError('NOT_AN_ARCHIVE', `${root} is a file, not a folder.`);
      const entries = readdirSync(root).filter((name) => !name.startsWith('.'));
      if (entries.length > 0) {
        throw new KartotekaError(
          'ARCHIVE_EXISTS',
          `${root} is not empty; a new archive needs an empty folder so that nothing of yours is mixed into it.`,
        );
      }
    }
    mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
    mkdirSync(join(root, 'tmp'), { recursive: true });
    const db = new DatabaseSync(join(root, CATALOGUE_FILE));
    const archive = new Archive(root, db, options.clock ?? systemClock);
    archive.configure();
    archive.migrate();
    archive.transaction(() => archive.audit('archive.create', null, { schemaVersion: latestSchemaVersion }));
    return archive;
  }

  /** Opens an existing archive; a folder that is not one is an error and nothing is created in it. */
  static open(dir: string, options: ArchiveOptions = {}): Archive {
    const root = resolve(dir);
    if (!existsSync(root)) throw new KartotekaError('NOT_AN_ARCHIVE', `No archive at ${root}: the folder does not exist.`);
    if (!Archive.isArchive(root)) {
      throw new KartotekaError('NOT_AN_ARCHIVE', `${root} is not a Kartoteka archive (it has no ${CATALOGUE_FILE} of ours).`);
    }
    const db = new DatabaseSync(join(root, CATALOGUE_FILE));
    const archive = new Archive(root, db, options.clock ?? systemClock);
    try {
      archive.configure();
      archive.migrate();
      archive.recover();
    } catch (error) {
      db.close();
      throw error;
    }
    return archive;
  }

  static openOrCreate(dir: string, options: ArchiveOptions = {}): Archive {
    return Archive.isArchive(dir) ? Archive.open(dir, options) : Archive.create(dir, options);
  }

  get closed(): boolean {
    return !this.db.isOpen;
  }

  close(): void {
    this.blobs.close();
    if (this.db.isOpen) this.db.close();
  }

  /** A prepared statement, compiled once per archive: hot paths (import, search) run the same SQL often. */
  sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  get schemaVersion(): number {
    return (this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  now(): string {
    return this.clock().toISOString();
  }

  /** Runs fn in one transaction; nested calls join the outer one. */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    this.depth++;
    try {
      const result = fn();
      this.db.exec('COMMIT');
      this.generation++;
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.depth--;
    }
  }

  /** Appends a hash-chained row to the audit log; must run inside a transaction. */
  audit(action: string, subject: string | null, details: unknown): void {
    if (this.depth === 0) throw new Error('audit() outside a transaction');
    const last = this.sql('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: string }
      | undefined;
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: this.now(),
      action,
      subject,
      details: JSON.stringify(details ?? null),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = sha256Hex(auditPayload(row));
    this.sql('INSERT INTO audit_log (seq, at, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(row.seq, row.at, row.action, row.subject, row.details, row.prevHash, hash);
  }

  /** Takes back what a crashed import left half-done: uncommitted blobs, runs marked running. */
  private recover(): void {
    const referenced = this.db.prepare('SELECT 1 AS x FROM blobs WHERE sha256 = ?');
    const { removedBlobs } = this.blobs.recover((sha256) => referenced.get(sha256) !== undefined);
    const running = this.db.prepare("SELECT id, pid FROM import_runs WHERE status = 'running'").all() as { id: number; pid: number }[];
    const stale = running.filter((run) => run.pid !== process.pid && !processAlive(run.pid)).map((run) => run.id);
    if (removedBlobs > 0 || stale.length > 0) {
      this.transaction(() => {
        const mark = this.db.prepare("UPDATE import_runs SET status = 'interrupted' WHERE id = ?");
        for (const id of stale) mark.run(id);
        this.audit('archive.recover', null, { removedUncommittedBlobs: removedBlobs, interruptedImports: stale });
      });
    }
  }

  private configure(): void {
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = FULL');
    this.db.exec('PRAGMA foreign_keys = ON');
    this.db.exec('PRAGMA busy_timeout = 5000');
  }

  private migrate(): void {
    const current = this.schemaVersion;
    if (current > latestSchemaVersion) {
      throw new KartotekaError(
        'ARCHIVE_NEWER',
        `This archive was written by a newer Kartoteka (schema ${current}; this one knows ${latestSchemaVersion}). Update Kartoteka to open it.`,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      this.transaction(() => {
        this.db.exec(migration.sql);
        this.db.exec(`PRAGMA user_version = ${migration.version}`);
        if (migration.version === 1) this.db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
        if (current > 0) this.audit('archive.migrate', null, { from: current, to: migration.version });
      });
    }
    prepareIndex(this);
  }
}
