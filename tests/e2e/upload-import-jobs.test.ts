import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { listDocuments } from '../../src/core/documents.ts';
import { findTessdata } from '../../src/core/ocr.ts';
import { search } from '../../src/core/search/search.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { UPLOAD_BATCH_BYTES } from '../../src/shared/contract.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';
import { scannedPdf } from '../unit/pdf-fixtures.ts';
import { type BrowserRun, openInChromium } from './browser.ts';

/**
 * Files picked in the web mode go into the same background import as paths under Electron: the
 * panel shows the page a scan's OCR is at, and Cancel stops that OCR, with the files not sent yet
 * left in the browser.
 */
describe('uploading scans in the web mode (chromium): the import’s own progress and cancel', () => {
  const tessdata = findTessdata(process.env);
  let run: BrowserRun;
  let session: ArchiveSession;
  let page: Page;
  const uploads: string[] = [];

  beforeAll(async () => {
    if (!tessdata) throw new Error('No OCR data (tesseract-ocr-rus/-ukr/-eng) found: these tests need it.');
    session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir }, {}, { tessdata });
    run = await openInChromium({ service: createService(session), screenshotPrefix: 'upload-' });
    page = run.page;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/import.upload')) uploads.push(r.url());
    });
    await page.getByRole('heading', { name: 'This archive is empty' }).waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('shows “page N of 3” of a scan being recognised, then imports it', async () => {
    const file = join(tempDir('kartoteka-e2e-upload-'), 'appeal-scan.pdf');
    const lines = (n: string): string[] => [`Апелляционная жалоба, страница ${n}`, 'Защита просит отменить приговор', 'Кагарлицкий Борис Юльевич', 'Ольховый Лог, колония номер семь'];
    writeFileSync(file, await scannedPdf([lines('первая'), lines('вторая'), lines('третья')]));
    await page.getByTestId('file-input').setInputFiles([file]);
    const panel = page.getByRole('status', { name: 'Import' });
    await panel.locator('.import-page', { hasText: /^page [123] of 3 of appeal-scan\.pdf$/u }).waitFor({ timeout: 60_000 });
    await panel.getByText('Importing… 0 of 1 file', { exact: true }).waitFor();
    await run.shot('scan-page-progress');
    await panel.getByText('Import finished:').waitFor({ timeout: 60_000 });
    await expect(panel.textContent()).resolves.toContain('1 imported');
    expect(search(session.archive, { query: 'Кагарлицкого' }).total).toBe(1);
    expect(uploads).toHaveLength(1);
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  it('cancels during a 10-page scan: the OCR stops, the scan stays out, files not sent yet are not sent', async () => {
    const folder = tempDir('kartoteka-e2e-upload-');
    const scan = join(folder, 'verdict-scan.pdf');
    const lines = (n: number): string[] => [`Приговор суда, страница ${n}`, 'Соловьёв Андрей Петрович', 'Ольховый Лог, колония номер семь', 'Суд назначил наказание'];
    writeFileSync(scan, await scannedPdf(Array.from({ length: 10 }, (_, i) => lines(i + 1))));
    // Each of these is larger than a batch, so each goes in a request of its own, after the scan's.
    const big = (name: string): string => {
      const path = join(folder, name);
      writeFileSync(path, Buffer.alloc(UPLOAD_BATCH_BYTES + 1024, 'Письмо из колонии. '));
      return path;
    };
    const files = [scan, big('records-1.txt'), big('records-2.txt')];
    const before = listDocuments(session.archive, 0, 1).total;
    uploads.length = 0;

    // The second request (the first large file) is held until Cancel was pressed.
    let cancelled!: () => void;
    const cancelPressed = new Promise<void>((resolve) => (cancelled = resolve));
    let seen = 0;
    await page.route('**/api/import.upload', async (route) => {
      seen++;
      if (seen === 2) await cancelPressed;
      await route.continue();
    });
    try {
      await page.getByTestId('file-input').setInputFiles(files);
      const panel = page.getByRole('status', { name: 'Import' });
      const pageOf = panel.locator('.import-page', { hasText: /^page \d+ of 10 of verdict-scan\.pdf$/u });
      await pageOf.waitFor({ timeout: 60_000 });
      // Two files announced beside the scan: the panel counts all three.
      const summary = (await panel.textContent()) ?? '';
      await panel.getByRole('button', { name: 'Cancel' }).click();
      cancelled();
      expect(summary).toContain('Importing… 0 of 3 files');
      expect(Number(/page (\d+) of 10/u.exec(summary)?.[1])).toBeLessThan(10);
      await panel.getByText('Import cancelled', { exact: false }).waitFor({ timeout: 15_000 });
      await run.shot('scan-cancelled');
    } finally {
      cancelled();
      await page.unroute('**/api/import.upload');
    }
    // The scan was not finished: nothing of it is in the archive; neither is the file held back, dropped on arrival.
    expect(listDocuments(session.archive, 0, 1).total).toBe(before);
    expect(search(session.archive, { query: 'Соловьёв' }).total).toBe(0);
    // The last file was never sent.
    expect(uploads).toHaveLength(2);
    await page.getByRole('heading', { name: 'Library · 1 document' }).waitFor();
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(run.server.url).origin;
    expect(run.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(run.problems).toEqual([]);
  });
});
