import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { getDocument, listDocuments } from '../../src/core/documents.ts';
import { importPaths } from '../../src/core/import.ts';
import { ImportJobs } from '../../src/core/ingest/jobs.ts';
import { search } from '../../src/core/search/search.ts';
import { verifyArchive } from '../../src/core/verify.ts';
import type { ImportProgress } from '../../src/shared/reports.ts';
import { fixture, repoRoot, runCli, tempDir } from '../helpers.ts';

const names = ['Мирон', 'Анна', 'Оксана', 'Вера', 'Галина', 'Olena', 'Miron', 'Taras'];
const words = ['колония', 'письмо', 'суд', 'адвокат', 'свидание', 'посылка', 'апелляция', 'здоровье', 'лист', 'вирок', 'appeal', 'letter'];

/** A folder of n small distinct letters, in sub-folders of 50. */
function makeLetters(n: number, dir = tempDir()): string {
  for (let i = 0; i < n; i++) {
    const sub = join(dir, `batch-${String(Math.floor(i / 50)).padStart(3, '0')}`);
    mkdirSync(sub, { recursive: true });
    const body = Array.from({ length: 40 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
    writeFileSync(join(sub, `letter-${String(i).padStart(5, '0')}.txt`), `Письмо номер ${i} от ${names[i % names.length]}\n\n${body} ${i}\n`);
  }
  return dir;
}

const newArchive = (): Archive => Archive.create(join(tempDir(), 'archive'));

describe('bulk import', () => {
  it('imports a folder through worker threads, reporting progress as it goes', async () => {
    const folder = makeLetters(120);
    const archive = newArchive();
    const seen: Omit<ImportProgress, 'jobId'>[] = [];
    const report = await importPaths(archive, [folder], { workers: 2, onProgress: (p) => seen.push(p), progressEveryMs: 0 });
    expect(report.failed).toEqual([]);
    expect(report.imported).toHaveLength(120);
    expect(listDocuments(archive, 0, 1).total).toBe(120);
    const importing = seen.filter((p) => p.phase === 'importing');
    expect(importing.length).toBeGreaterThan(10);
    expect(importing.every((p) => p.total === 120)).toBe(true);
    for (let i = 1; i < importing.length; i++) expect(importing[i]?.done).toBeGreaterThanOrEqual(importing[i - 1]?.done ?? 0);
    expect(seen.at(-1)).toMatchObject({ phase: 'finished', done: 120, imported: 120 });
    expect(importing.some((p) => p.filesPerSecond > 0 && p.secondsLeft !== null)).toBe(true);
    expect((await verifyArchive(archive)).ok).toBe(true);
    archive.close();
  });

  it('flags the same text in another file as a possible duplicate, and the same bytes as a duplicate', async () => {
    const dir = tempDir();
    const text = 'Дорогая Аня, пишу тебе из колонии. Соловьёв передаёт привет и просит книги.\n';
    writeFileSync(join(dir, 'a-letter.txt'), text);
    writeFileSync(join(dir, 'b-letter-copy.txt'), text);
    writeFileSync(join(dir, 'c-letter.md'), `# ${text.toUpperCase()}`);
    const archive = newArchive();
    const report = await importPaths(archive, [dir]);
    expect(report.imported.map((i) => i.file)).toEqual([join(dir, 'a-letter.txt')]);
    expect(report.duplicates).toEqual([{ file: join(dir, 'b-letter-copy.txt'), id: report.imported[0]?.id }]);
    expect(report.possibleDuplicates).toEqual([
      expect.objectContaining({ file: join(dir, 'c-letter.md'), duplicateOf: report.imported[0]?.id }),
    ]);
    const twin = getDocument(archive, report.possibleDuplicates[0]?.id ?? '');
    expect(twin.links).toEqual([expect.objectContaining({ id: report.imported[0]?.id, kind: 'possible-duplicate', direction: 'from' })]);
    archive.close();
  });

  it('stops when cancelled, keeps what it finished, and a second run imports only the rest', async () => {
    const folder = makeLetters(200);
    const archive = newArchive();
    const controller = new AbortController();
    const first = await importPaths(archive, [folder], {
      workers: 2,
      signal: controller.signal,
      onFile: () => {
        if (!controller.signal.aborted && listDocuments(archive, 0, 1).total >= 30) controller.abort();
      },
    });
    expect(first.cancelled).toBe(true);
    const kept = listDocuments(archive, 0, 1).total;
    expect(kept).toBeGreaterThanOrEqual(30);
    expect(kept).toBeLessThan(200);
    expect(first.imported.length).toBe(kept);

    const second = await importPaths(archive, [folder], { workers: 2 });
    expect(second.cancelled).toBe(false);
    expect(second.imported.length).toBe(200 - kept);
    expect(second.duplicates.length).toBe(kept);
    expect(listDocuments(archive, 0, 1).total).toBe(200);
    archive.close();
  });

  it('refuses a file over the configured size limit and imports the rest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big.txt'), 'слово '.repeat(50_000));
    writeFileSync(join(dir, 'small.txt'), 'Короткое письмо из колонии номер семь.');
    const archive = newArchive();
    const report = await importPaths(archive, [dir], { limits: { maxFileBytes: 100_000 } });
    expect(report.failed).toEqual([expect.objectContaining({ file: join(dir, 'big.txt'), code: 'FILE_TOO_LARGE' })]);
    expect(report.imported).toHaveLength(1);
    archive.close();
  });

  it('records the detected encoding of a Windows-1251 letter and reads it correctly', async () => {
    const archive = newArchive();
    const report = await importPaths(archive, [fixture('letter-cp1251.txt')]);
    const doc = getDocument(archive, report.imported[0]?.id ?? '');
    expect(doc.text).toContain('Соловьёв передаёт привет');
    expect(doc.encoding).toMatchObject({ name: 'windows-1251', source: 'detected' });
    expect(doc.language).toBe('ru');
    archive.close();
  });
});

describe('a background import', () => {
  it('lets search answer while it runs, and can be cancelled', async () => {
    const folder = makeLetters(600);
    const archive = newArchive();
    const jobs = new ImportJobs({ workers: 2 });
    const jobId = jobs.start(archive, { paths: [folder] });
    let answeredDuringImport = 0;
    for (let i = 0; i < 2000; i++) {
      const { progress } = jobs.status(jobId);
      if (progress.phase === 'finished') break;
      if (progress.phase === 'importing' && progress.done > 50) {
        // A query on the same archive, from the same thread the import commits on.
        const result = search(archive, 'колония');
        if (jobs.status(jobId).progress.phase === 'importing') answeredDuringImport++;
        expect(result.total).toBeGreaterThan(0);
        if (answeredDuringImport >= 5) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answeredDuringImport).toBeGreaterThanOrEqual(5);
    jobs.cancel(jobId);
    await jobs.stopAll();
    const { progress, report } = jobs.status(jobId);
    expect(progress.phase).toBe('cancelled');
    expect(report?.cancelled).toBe(true);
    expect(listDocuments(archive, 0, 1).total).toBe(report?.imported.length);
    archive.close();
  });
});

describe('killing an import at any moment (kill -9)', () => {
  it('leaves an archive that opens, verifies, and holds every file reported as imported', async () => {
    const folder = makeLetters(400);
    const archiveDir = join(tempDir(), 'archive');
    expect(runCli(['init', '--archive', archiveDir]).status).toBe(0);
    const reported = new Set<string>();
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      // A random moment: after a random number of reported files, or at a random time.
      const afterLines = Math.floor(Math.random() * 60);
      const afterMs = 150 + Math.floor(Math.random() * 900);
      const child = spawn(process.execPath, [join(repoRoot, 'bin', 'kartoteka.js'), 'import', '--archive', archiveDir, '--jsonl', '--workers', '2', folder], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let buffer = '';
      let lines = 0;
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const kill = (): void => {
        child.kill('SIGKILL');
      };
      const timer = setTimeout(kill, afterMs);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const event = JSON.parse(line) as { status: string; id?: string };
          if (event.status === 'imported' && event.id) reported.add(event.id);
          if (++lines >= afterLines) kill();
        }
      });
      await exited;
      clearTimeout(timer);
      const verify = runCli(['verify', '--archive', archiveDir, '--json']);
      expect(JSON.parse(verify.stdout), `round ${round}`).toMatchObject({ ok: true });
      const archive = Archive.open(archiveDir);
      const present = new Set((archive.db.prepare('SELECT id FROM documents').all() as { id: string }[]).map((r) => r.id));
      archive.close();
      for (const id of reported) expect(present.has(id), `reported ${id} is missing after round ${round}`).toBe(true);
    }
    const finish = runCli(['import', '--archive', archiveDir, '--json', folder]);
    expect(finish.status).toBe(0);
    const archive = Archive.open(archiveDir);
    expect(listDocuments(archive, 0, 1).total).toBe(400);
    expect((await verifyArchive(archive)).ok).toBe(true);
    archive.close();
    expect(readFileSync(join(folder, 'batch-000', 'letter-00000.txt'), 'utf8')).toContain('Письмо номер 0');
  }, 240_000);
});
