import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { ensureViewer } from '../../scripts/build-viewer.ts';
import type { Archive } from '../../src/core/archive.ts';
import type { ExportEnvironment } from '../../src/core/bundles/export.ts';
import { updateDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { openZipFile } from '../../src/core/importers/zip-guard.ts';
import { addRedaction } from '../../src/core/redactions.ts';
import { openSampleArchive } from '../../src/core/sample.ts';
import { fixture, sampleSourceDir, steppingClock } from '../helpers.ts';

/** The viewer script, built from src/viewer when missing or stale (as the CLI does). */
export async function viewerScript(): Promise<string> {
  return readFileSync(await ensureViewer(), 'utf8');
}

/** How tests export: a fixed clock, and age's scrypt at a work factor that costs milliseconds, not seconds. */
export async function testEnvironment(extra: Partial<ExportEnvironment> = {}): Promise<ExportEnvironment> {
  return { viewerScript: await viewerScript(), producer: 'Kartoteka test', version: '0.0.0-test', clock: steppingClock(), scryptWorkFactor: 10, ...extra };
}

export interface BundleArchive {
  archive: Archive;
  /** Document ids by what they are. */
  ids: { verdictRu: string; verdictEn: string; letterToWife: string; audio: string; transcript: string; confidential: string };
  /** The word blacked out in letterToWife. */
  redactedWord: string;
}

const idOf = (archive: Archive, title: string): string => {
  const row = archive.sql('SELECT id FROM documents WHERE title LIKE ? ORDER BY n LIMIT 1').get(`${title}%`) as { id: string } | undefined;
  if (!row) throw new Error(`no document titled ${title}`);
  return row.id;
};

/**
 * The sample archive (15 documents, translations among them), an audio message with its WebVTT
 * transcript, a redacted span in a letter, and one confidential document.
 */
export async function bundleArchive(dir: string): Promise<BundleArchive> {
  const archive = await openSampleArchive(dir, sampleSourceDir, { clock: steppingClock() });
  const report = await importBuffers(
    archive,
    [
      { name: '2025-04-12-call-anna.wav', bytes: readFileSync(fixture('audio/2025-04-12-call-anna.wav')) },
      { name: '2025-04-12-call-anna.vtt', bytes: readFileSync(fixture('transcripts/2025-04-12-call-anna.vtt')) },
    ],
    { workers: 0 },
  );
  if (report.failed.length > 0) throw new Error(JSON.stringify(report.failed));
  const [audio, transcript] = report.imported.map((i) => i.id);
  if (!audio || !transcript) throw new Error('the audio fixtures were not imported');
  const letterToWife = idOf(archive, 'Письмо Мирона Соловьёва жене');
  const text = (archive.sql('SELECT text FROM documents WHERE id = ?').get(letterToWife) as { text: string }).text;
  const redactedWord = 'барсучьи';
  const at = text.indexOf(redactedWord);
  if (at < 0) throw new Error(`${redactedWord} is not in the letter`);
  addRedaction(archive, { documentId: letterToWife, start: at, end: at + redactedWord.length, reason: 'the lawyer asked' });
  const confidential = idOf(archive, 'Письмо Мирона Соловьёва матери');
  updateDocument(archive, confidential, { sensitivity: 'confidential' });
  return {
    archive,
    ids: {
      verdictRu: idOf(archive, 'Приговор Приозёрного'),
      verdictEn: idOf(archive, 'Judgment of the Prioziorny'),
      letterToWife,
      audio,
      transcript,
      confidential,
    },
    redactedWord,
  };
}

/**
 * Everything a merge could change, so a test can show that a refused or failed import changed
 * nothing: every table's rows (the audit chain included) and every file under the archive but
 * its SQLite journal.
 */
export function snapshot(archive: Archive): string {
  const tables = (archive.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'documents_index%' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const rows = Object.fromEntries(tables.map((t) => [t, sortedRows(archive.db.prepare(`SELECT * FROM "${t}"`).all())]));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      // The blob store keeps its (emptied) intent log open while the process runs: bookkeeping, not content.
      else if (/catalogue\.sqlite(-wal|-shm)?$/u.test(entry.name) || (dir.endsWith('intents') && statSync(path).size === 0)) continue;
      else files.push(`${relative(archive.root, path)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  walk(archive.root);
  return JSON.stringify({ rows, files: files.sort() });
}

/** Unpacks a zip (through the guarded reader) into a folder, as a person would before opening index.html. */
export function unzipTo(zipPath: string, dir: string): void {
  const zip = openZipFile(zipPath, { maxUnpackedBytes: 8 * 1024 ** 3, maxCompressionRatio: 100 });
  try {
    for (const entry of zip.entries) {
      if (entry.directory) continue;
      const target = join(dir, entry.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, zip.read(entry.name));
    }
  } finally {
    zip.close();
  }
}

/** Every file of a zip, by name, in order. */
export function zipEntries(zipPath: string): { name: string; data: Uint8Array }[] {
  const zip = openZipFile(zipPath, { maxUnpackedBytes: 8 * 1024 ** 3, maxCompressionRatio: 100 });
  try {
    return zip.entries.filter((e) => !e.directory).map((e) => ({ name: e.name, data: zip.read(e.name) }));
  } finally {
    zip.close();
  }
}

export interface CraftedEntry {
  name: string;
  data: Uint8Array;
  /** Deflate (default) or store. */
  stored?: boolean;
  /** What the headers say the entry unpacks to (a lie when it differs from data.length). */
  declaredSize?: number;
  /** Written as a Unix symbolic link. */
  symlink?: boolean;
}

/** A zip written by hand, so that tests can put in what no honest writer would. */
export function craftZip(entries: readonly CraftedEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const body = entry.stored ? entry.data : deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(entry.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.set(name, 30);
    const cd = Buffer.alloc(46 + name.length);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x800, 8);
    cd.writeUInt16LE(entry.stored ? 0 : 8, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(((entry.symlink ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    cd.writeUInt32LE(offset, 42);
    cd.set(name, 46);
    parts.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((sum, c) => sum + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

/** A table's rows in a fixed order, for tables with or without a rowid. */
const sortedRows = (rows: unknown[]): unknown[] => rows.map((row) => JSON.stringify(row)).sort().map((row) => JSON.parse(row) as unknown);
