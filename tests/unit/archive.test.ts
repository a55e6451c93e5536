import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { latestSchemaVersion } from '../../src/core/migrations.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { tempDir } from '../helpers.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof KartotekaError ? error.code : `not a KartotekaError: ${String(error)}`;
  }
  return undefined;
};

describe('creating and opening an archive', () => {
  it('creates a folder with a catalogue in WAL mode with foreign keys, and a blob store', () => {
    const dir = join(tempDir(), 'my-archive');
    const archive = Archive.create(dir);
    expect(existsSync(join(dir, 'catalogue.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'blobs', 'sha256'))).toBe(true);
    expect(archive.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(archive.db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    expect(archive.schemaVersion).toBe(latestSchemaVersion);
    archive.close();
    const reopened = Archive.open(dir);
    expect(reopened.schemaVersion).toBe(latestSchemaVersion);
    reopened.close();
  });

  it('refuses to open a folder that is not an archive, and creates nothing in it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'my own file');
    expect(codeOf(() => Archive.open(dir))).toBe('NOT_AN_ARCHIVE');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('refuses a missing folder without creating it', () => {
    const dir = join(tempDir(), 'nowhere');
    expect(codeOf(() => Archive.open(dir))).toBe('NOT_AN_ARCHIVE');
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a folder whose catalogue.sqlite is some other SQLite database or not a database at all', () => {
    const other = tempDir();
    const db = new DatabaseSync(join(other, 'catalogue.sqlite'));
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(codeOf(() => Archive.open(other))).toBe('NOT_AN_ARCHIVE');
    const garbage = tempDir();
    writeFileSync(join(garbage, 'catalogue.sqlite'), 'this is not sqlite');
    expect(codeOf(() => Archive.open(garbage))).toBe('NOT_AN_ARCHIVE');
    expect(readdirSync(garbage)).toEqual(['catalogue.sqlite']);
  });

  it('will not create an archive over another one or inside a folder of other files', () => {
    const dir = tempDir();
    Archive.create(dir).close();
    expect(codeOf(() => Archive.create(dir))).toBe('ARCHIVE_EXISTS');
    const busy = tempDir();
    mkdirSync(join(busy, 'letters'));
    expect(codeOf(() => Archive.create(busy))).toBe('ARCHIVE_EXISTS');
  });

  it('refuses an archive written by a newer Kartoteka instead of damaging it', () => {
    const dir = tempDir();
    const archive = Archive.create(dir);
    archive.db.exec(`PRAGMA user_version = ${latestSchemaVersion + 1}`);
    archive.close();
    expect(codeOf(() => Archive.open(dir))).toBe('ARCHIVE_NEWER');
  });
});
