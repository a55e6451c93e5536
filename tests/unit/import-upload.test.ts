import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { listDocuments } from '../../src/core/documents.ts';
import { recentImports } from '../../src/core/import-runs.ts';
import { ImportJobs } from '../../src/core/ingest/jobs.ts';
import { UploadFeed } from '../../src/core/ingest/upload-feed.ts';
import { findTessdata } from '../../src/core/ocr.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { verifyArchive } from '../../src/core/verify.ts';
import { MAX_UPLOAD_BYTES } from '../../src/shared/contract.ts';
import type { ImportReport } from '../../src/shared/reports.ts';
import { fixture, sampleSourceDir, tempDir } from '../helpers.ts';
import { scannedPdf } from './pdf-fixtures.ts';

const base64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');
const letter = (name: string, body: string) => ({ name, dataBase64: base64(body) });

/** Waits until the job has its report. */
async function finished(jobs: ImportJobs, jobId: string, timeoutMs = 60_000): Promise<ImportReport> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { report } = jobs.status(jobId);
    if (report) return report;
    if (Date.now() > until) throw new Error(`import ${jobId} did not finish in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('files uploaded in batches into a background import', () => {
  it('imports every batch of a multi-batch upload, with the failures the page reported as data', async () => {
    const archive = Archive.create(join(tempDir(), 'archive'));
    // Room for one small file waiting: later batches wait for the import to take the ones before.
    const jobs = new ImportJobs({}, { uploadWaitingBytes: 10 });
    try {
      const jobId = await jobs.upload(archive, {
        total: 7,
        files: [letter('first.txt', 'Первое письмо из колонии.'), letter('second.txt', 'Второе письмо: свидание перенесли.')],
        failed: [{ name: 'verdict-scan.tiff', code: 'FILE_TOO_LARGE' }],
        last: false,
      });
      await expect.poll(() => jobs.status(jobId).progress.total).toBe(7);
      // A batch is answered once the import has taken it (room for one more), not before.
      const second = jobs.upload(archive, {
        jobId,
        files: [letter('third.txt', 'Третье письмо адвокату.'), { name: 'scan.pdf', dataBase64: base64(readFileSync(fixture('scan.pdf'))) }],
        failed: [{ name: 'locked.docx', code: 'FILE_UNREADABLE' }],
        last: false,
      });
      await expect(second).resolves.toBe(jobId);
      await jobs.upload(archive, { jobId, files: [letter('fourth.txt', 'Четвёртое письмо.')], failed: [], last: true });
      // Sealed: a batch more is refused.
      await expect(jobs.upload(archive, { jobId, files: [letter('late.txt', 'Опоздало.')], failed: [], last: true })).rejects.toMatchObject({ code: 'CONFLICT' });

      const report = await finished(jobs, jobId);
      expect(report.cancelled).toBe(false);
      expect(report.imported.map((i) => i.file)).toEqual(['first.txt', 'second.txt', 'third.txt', 'fourth.txt']);
      expect(report.failed.map((f) => [f.file, f.code])).toEqual([
        ['verdict-scan.tiff', 'FILE_TOO_LARGE'],
        ['scan.pdf', 'CORRUPT_FILE'],
        ['locked.docx', 'FILE_UNREADABLE'],
      ]);
      expect(report.failed[0]?.message).toContain(`${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
      const { progress } = jobs.status(jobId);
      expect(progress).toMatchObject({ phase: 'finished', total: 7, done: 7, imported: 4, failed: 3 });
      expect(listDocuments(archive, 0, 10).total).toBe(4);

      // The run is kept like any import: every file it was given, and its failures.
      const [run] = recentImports(archive, 1);
      expect(run?.roots).toEqual(['first.txt', 'second.txt', 'verdict-scan.tiff', 'third.txt', 'scan.pdf', 'locked.docx', 'fourth.txt']);
      expect(run?.failed.map((f) => f.code)).toEqual(['FILE_TOO_LARGE', 'CORRUPT_FILE', 'FILE_UNREADABLE']);
      expect((await verifyArchive(archive)).ok).toBe(true);
    } finally {
      await jobs.stopAll();
      archive.close();
    }
  });

  it('goes through the contract: every batch validated by its schema, a job of paths takes no uploads', async () => {
    const session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir });
    const service = createService(session);
    try {
      const bad = [
        { files: [letter('a.txt', 'a')] },
        { files: [letter('a.txt', 'a')], last: true, sneaky: 1 },
        { files: [{ name: '', dataBase64: '' }], last: true },
        { files: [], failed: [{ name: 'a.txt', code: 'CORRUPT_FILE' }], last: true },
        { files: [{ name: 'big.bin', dataBase64: 'A'.repeat(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 4) }], last: true },
      ];
      for (const request of bad) expect(await dispatch(service, 'import.upload', request)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });

      const started = await dispatch(service, 'import.upload', { total: 1, files: [letter('letter.txt', 'Письмо маме.')], last: true });
      expect(started.ok).toBe(true);
      const { jobId } = (started as { value: { jobId: string } }).value;
      const report = await finished(session.imports, jobId);
      expect(report.imported).toHaveLength(1);

      const paths = session.imports.start(session.archive, { paths: [fixture('letter-utf8.txt')] });
      expect(await dispatch(service, 'import.upload', { jobId: paths, files: [letter('b.txt', 'b')], last: true })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST' },
      });
      expect(await dispatch(service, 'import.upload', { jobId: 'nope', files: [], last: true })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      await finished(session.imports, paths);
    } finally {
      await session.close();
    }
  });

  it('shows the page an upload’s OCR is at; a cancel stops it at once, drops what was not taken, and keeps the scan out', async () => {
    const tessdata = findTessdata(process.env);
    const archive = Archive.create(join(tempDir(), 'archive'));
    const jobs = new ImportJobs({ tessdata }, { uploadWaitingBytes: 0 });
    try {
      const pages = Array.from({ length: 10 }, (_, i) => [`Приговор суда, страница ${i + 1}`, 'Кагарлицкий Борис Юльевич']);
      const scan = await scannedPdf(pages);
      const jobId = await jobs.upload(archive, { total: 3, files: [{ name: 'verdict-scan.pdf', dataBase64: base64(scan) }], failed: [], last: false });
      // Recognising the scan: its pages show in the job's progress.
      const until = Date.now() + 60_000;
      while (!jobs.status(jobId).progress.currentPage && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(jobs.status(jobId).progress.currentPage).toMatchObject({ file: 'verdict-scan.pdf', pages: 10 });
      expect(jobs.status(jobId).progress.currentPage?.page).toBeLessThan(10);

      const cancelledAt = Date.now();
      jobs.cancel(jobId);
      // The OCR stops at once rather than after its ten pages.
      const report = await finished(jobs, jobId, 10_000);
      expect(Date.now() - cancelledAt).toBeLessThan(5_000);
      expect(report.cancelled).toBe(true);
      expect(report.imported).toEqual([]);
      expect(report.failed).toEqual([]);
      expect(jobs.status(jobId).progress.phase).toBe('cancelled');
      // The files the page sends after the cancel (on their way) are dropped.
      await expect(jobs.upload(archive, { jobId, files: [letter('late.txt', 'Опоздало.')], failed: [], last: true })).resolves.toBe(jobId);
      expect(listDocuments(archive, 0, 10).total).toBe(0);
      expect((await verifyArchive(archive)).ok).toBe(true);
    } finally {
      await jobs.stopAll();
      archive.close();
    }
  }, 120_000);

  it('answers a batch once the import has room for the next, and at once when the upload is closed', async () => {
    const feed = new UploadFeed(3, 4);
    feed.push([{ name: 'a.txt', bytes: new Uint8Array(4) }], false);
    let answered = 0;
    const second = feed.add([{ name: 'b.txt', bytes: new Uint8Array(4) }], false).then(() => answered++);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(0);
    expect(feed.batchesWaiting).toBe(1);
    expect(feed.take().map((f) => f.name)).toEqual(['a.txt', 'b.txt']);
    await second;
    expect(answered).toBe(1);
    expect(feed.outstanding).toBe(1);
    const third = feed.add([{ name: 'c.txt', bytes: new Uint8Array(8) }], true).then(() => answered++);
    expect(feed.sealed).toBe(true);
    expect(feed.finished).toBe(false);
    feed.close();
    await third;
    expect(answered).toBe(2);
    expect(feed.take()).toEqual([]);
    expect(feed.finished).toBe(true);
  });

  it('stops an upload whose page went away without sending its last batch', async () => {
    const archive = Archive.create(join(tempDir(), 'archive'));
    const jobs = new ImportJobs({ workers: 0 }, { uploadIdleMs: 300 });
    try {
      const jobId = await jobs.upload(archive, { total: 5, files: [letter('only.txt', 'Единственное письмо.')], failed: [], last: false });
      const report = await finished(jobs, jobId, 10_000);
      expect(report.cancelled).toBe(true);
      expect(report.imported.map((i) => i.file)).toEqual(['only.txt']);
      expect(recentImports(archive, 1)[0]?.status).toBe('cancelled');
    } finally {
      await jobs.stopAll();
      archive.close();
    }
  });
});
