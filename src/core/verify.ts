import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyProblem, VerifyReport } from '../shared/reports.ts';
import { type Archive, GENESIS_HASH, auditPayload } from './archive.ts';
import { sha256Hex, sha256OfFile } from './hash.ts';

function* filesUnder(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/**
 * Re-hashes every blob, walks the audit chain from its first row, and asks SQLite to check the
 * catalogue. Reports every problem found rather than stopping at the first.
 */
export async function verifyArchive(archive: Archive): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];

  const integrity = archive.db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
  for (const row of integrity) {
    if (row.quick_check !== 'ok') problems.push({ kind: 'catalogue', subject: 'catalogue.sqlite', message: row.quick_check });
  }
  for (const row of archive.db.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number }[]) {
    problems.push({ kind: 'catalogue', subject: `${row.table} row ${row.rowid}`, message: 'refers to a row that does not exist' });
  }

  const known = new Set<string>();
  const blobs = archive.db.prepare('SELECT sha256, size FROM blobs ORDER BY sha256').all() as { sha256: string; size: number }[];
  for (const blob of blobs) {
    known.add(blob.sha256);
    const path = archive.blobs.pathOf(blob.sha256);
    let actual: string;
    try {
      actual = await sha256OfFile(path);
    } catch {
      problems.push({ kind: 'blob-missing', subject: blob.sha256, message: `The original file is missing from ${path}.` });
      continue;
    }
    if (actual !== blob.sha256) {
      problems.push({ kind: 'blob-mismatch', subject: blob.sha256, message: `The original's bytes changed: they now hash to ${actual}.` });
    }
  }
  for (const path of filesUnder(archive.blobs.root)) {
    const name = path.slice(path.lastIndexOf('/') + 1).slice(path.lastIndexOf('\\') + 1);
    if (!known.has(name)) {
      problems.push({ kind: 'blob-unreferenced', subject: path, message: 'A file in the blob store that the catalogue does not list.' });
    }
  }

  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let auditEntriesChecked = 0;
  const rows = archive.db.prepare('SELECT seq, at, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq').iterate() as Iterable<{
    seq: number;
    at: string;
    action: string;
    subject: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  }>;
  for (const row of rows) {
    auditEntriesChecked++;
    if (row.seq !== expectedSeq) {
      problems.push({ kind: 'audit-chain', subject: `entry ${row.seq}`, message: `Entries ${expectedSeq}..${row.seq - 1} are missing from the audit log.` });
    }
    if (row.prev_hash !== previous) {
      problems.push({ kind: 'audit-chain', subject: `entry ${row.seq}`, message: 'Does not follow the entry before it: the chain was broken here.' });
    }
    const recomputed = sha256Hex(auditPayload({ ...row, prevHash: row.prev_hash }));
    if (recomputed !== row.hash) {
      problems.push({ kind: 'audit-chain', subject: `entry ${row.seq}`, message: `Its content was changed after it was written (${row.action}).` });
    }
    previous = row.hash;
    expectedSeq = row.seq + 1;
  }

  return { ok: problems.length === 0, blobsChecked: blobs.length, auditEntriesChecked, problems };
}
