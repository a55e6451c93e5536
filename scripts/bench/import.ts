// npm run bench -- import [--docs N] [--pdfs N] [--workers N]
// Generates a corpus (text documents in ru/uk/en of 1-20 KB in mixed encodings, plus PDFs) and
// imports it twice: through Kartoteka's full pipeline (detection, extraction, durable commit,
// FTS index, audit log), and as a baseline that only reads, hashes, stores and indexes the raw
// bytes with no extraction, in the same run on the same files.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Archive } from '../../src/core/archive.ts';
import { BlobStore } from '../../src/core/blob-store.ts';
import { importPaths } from '../../src/core/import.ts';
import { documentText, random, writeTextCorpus } from './corpus.ts';

const { values } = parseArgs({ args: process.argv.slice(3), options: { docs: { type: 'string' }, pdfs: { type: 'string' }, workers: { type: 'string' } } });
const docs = Number(values.docs ?? 10_000);
const pdfs = Number(values.pdfs ?? 200);
const workers = values.workers === undefined ? undefined : Number(values.workers);

const root = mkdtempSync(join(tmpdir(), 'kartoteka-bench-import-'));
const corpus = join(root, 'corpus');
mkdirSync(corpus);

console.log(`Generating ${docs} text documents and ${pdfs} PDFs in ${corpus} …`);
const textBytes = writeTextCorpus(join(corpus, 'text'), docs);
let bytes = textBytes;
const rnd = random(7);
mkdirSync(join(corpus, 'pdf'));
for (let i = 0; i < pdfs; i++) {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < 3; p++) {
    const page = pdf.addPage([595, 842]);
    const text = documentText('en', 1500, rnd).split('\n');
    text.forEach((line, y) => page.drawText(line.slice(0, 95), { x: 40, y: 800 - y * 14, size: 10, font }));
  }
  const data = await pdf.save();
  writeFileSync(join(corpus, 'pdf', `ruling-${String(i).padStart(4, '0')}.pdf`), data);
  bytes += data.length;
}
const files = docs + pdfs;
const mb = bytes / 1048576;
console.log(`Corpus: ${files} files, ${mb.toFixed(1)} MB\n`);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

spawnSync('sync');

/** Bytes this process has caused to be written to disk so far (Linux), to show write amplification. */
const writtenBytes = (): number => {
  try {
    return Number(/^write_bytes: (\d+)$/mu.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
};

// Baseline: read, hash, store the blob durably, index the raw bytes as UTF-8, commit in groups.
const baselineDir = join(root, 'baseline');
mkdirSync(baselineDir);
const w0 = writtenBytes();
const t0 = performance.now();
{
  const db = new DatabaseSync(join(baselineDir, 'catalogue.sqlite'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  db.exec("CREATE VIRTUAL TABLE fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')");
  const store = new BlobStore(baselineDir);
  const insert = db.prepare('INSERT INTO fts (body) VALUES (?)');
  const decoder = new TextDecoder();
  const all = listFiles(corpus);
  for (let i = 0; i < all.length; i += 64) {
    db.exec('BEGIN');
    for (const file of all.slice(i, i + 64)) {
      const data = readFileSync(file);
      const sha = createHash('sha256').update(data).digest('hex');
      await store.put(sha, data);
      store.settle();
      insert.run(decoder.decode(data));
    }
    db.exec('COMMIT');
  }
  db.close();
}
const baselineSeconds = (performance.now() - t0) / 1000;
const baselineWritten = writtenBytes() - w0;

// Let the disk write back what the previous phase left dirty, so each phase is timed on its own.
const settleDisk = (): void => {
  spawnSync('sync');
};
settleDisk();

// Kartoteka's full import: the text documents, then the PDFs, timed apart.
const archive = Archive.create(join(root, 'archive'));
const w1 = writtenBytes();
const t1 = performance.now();
const textReport = await importPaths(archive, [join(corpus, 'text')], { workers });
const textSeconds = (performance.now() - t1) / 1000;
settleDisk();
const t2 = performance.now();
const pdfReport = await importPaths(archive, [join(corpus, 'pdf')], { workers });
const pdfSeconds = (performance.now() - t2) / 1000;
const seconds = textSeconds + pdfSeconds;
const written = writtenBytes() - w1;
const report = {
  imported: [...textReport.imported, ...pdfReport.imported],
  duplicates: [...textReport.duplicates, ...pdfReport.duplicates],
  possibleDuplicates: [...textReport.possibleDuplicates, ...pdfReport.possibleDuplicates],
  failed: [...textReport.failed, ...pdfReport.failed],
};
const rss = process.memoryUsage().rss / 1048576;
const dbSize = statSync(join(root, 'archive', 'catalogue.sqlite')).size / 1048576;
archive.close();

const row = (label: string, s: number, n = files, megabytes = mb): string =>
  `${label.padEnd(36)} ${s.toFixed(1).padStart(7)} s ${(n / s).toFixed(0).padStart(7)} docs/s ${(megabytes / s).toFixed(2).padStart(7)} MB/s`;
console.log(row('baseline (read, hash, store, FTS)', baselineSeconds));
console.log(row('Kartoteka import, all files', seconds));
console.log(row(`  of which ${docs} text documents`, textSeconds, docs, textBytes / 1048576));
console.log(row(`  of which ${pdfs} PDFs (3 pages each)`, pdfSeconds, pdfs, (bytes - textBytes) / 1048576));
console.log(`written to disk: baseline ${(baselineWritten / 1048576).toFixed(0)} MB, Kartoteka ${(written / 1048576).toFixed(0)} MB (corpus ${mb.toFixed(0)} MB)`);
console.log(`ratio: Kartoteka takes ${(seconds / baselineSeconds).toFixed(2)}x the baseline's time`);
console.log(`imported ${report.imported.length}, duplicates ${report.duplicates.length}, possible duplicates ${report.possibleDuplicates.length}, failed ${report.failed.length}`);
for (const failure of report.failed.slice(0, 5)) console.log(`  failed: ${failure.file} ${failure.code} ${failure.message}`);
console.log(`RSS at the end: ${rss.toFixed(0)} MB; catalogue: ${dbSize.toFixed(0)} MB`);
console.log(`target: at least 300 text documents per second -> ${docs / textSeconds >= 300 ? 'met' : 'NOT met'} (${(docs / textSeconds).toFixed(0)})`);
rmSync(root, { recursive: true, force: true });
