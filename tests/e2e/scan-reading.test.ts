import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { getDocument } from '../../src/core/documents.ts';
import { importPaths } from '../../src/core/import.ts';
import { findTessdata } from '../../src/core/ocr.ts';
import { search } from '../../src/core/search/search.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';
import { scannedPdf } from '../unit/pdf-fixtures.ts';
import { type BrowserRun, documentShown, openInChromium } from './browser.ts';

/**
 * An archivist finds two Russian scans recognised as English (the OCR languages were wrong at
 * import): their text is Latin gibberish and a search for the defendant's name misses them. From the
 * document's details they read one again in Russian, watching the pages go by, and stop the other.
 */
describe('reading a scan again by OCR from the document view (web mode, chromium)', () => {
  let run: BrowserRun;
  let session: ArchiveSession;
  let page: Page;
  let verdict = { id: '', title: '' };
  let appeal = { id: '', title: '' };

  const row = (): Locator => page.locator('.detail-pane .metadata-row.scan-reading');
  const setLanguage = async (code: 'en' | 'ru' | 'uk'): Promise<void> => {
    await page.locator('.language select').selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
  };
  const openDocument = async (doc: { id: string; title: string }): Promise<void> => {
    await page.locator('.result-list .row', { hasText: doc.title }).first().click();
    await documentShown(page, doc.title);
  };

  beforeAll(async () => {
    const folder = join(tempDir(), 'scans');
    mkdirSync(folder);
    writeFileSync(join(folder, 'verdict-scan.pdf'), await scannedPdf([['Приговор суда'], ['Кагарлицкий Борис Юльевич'], ['Страница третья']]));
    writeFileSync(join(folder, 'appeal-scan.pdf'), await scannedPdf(Array.from({ length: 10 }, (_, i) => [`Апелляционная жалоба, страница ${i + 1}`, 'Кагарлицкий Борис Юльевич'])));
    const tessdata = findTessdata(process.env);
    const archive = Archive.create(join(tempDir(), 'archive'));
    const report = await importPaths(archive, [folder], { tessdata, ocrLanguages: ['eng'] });
    const idOf = (name: string): string => report.imported.find((i) => i.file.endsWith(name))?.id ?? '';
    verdict = { id: idOf('verdict-scan.pdf'), title: getDocument(archive, idOf('verdict-scan.pdf')).title };
    appeal = { id: idOf('appeal-scan.pdf'), title: getDocument(archive, idOf('appeal-scan.pdf')).title };
    expect(search(archive, { query: 'Кагарлицкого' }).total).toBe(0);
    session = new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir }, {}, { tessdata });
    run = await openInChromium({ service: createService(session), screenshotPrefix: 'scan-reading-' });
    page = run.page;
    await page.locator('#list-heading', { hasText: 'Library · 2 documents' }).waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('says how a scan was recognised, and reads it again in Russian, page by page', async () => {
    await openDocument(verdict);
    await expect(row().locator('dt').textContent()).resolves.toBe('Recognition');
    await expect(row().locator('dd > .inline-controls > span').textContent()).resolves.toMatch(/^English · 3 pages · confidence \d+%$/u);
    await row().getByRole('button', { name: 'Read again…' }).click();
    const form = page.getByRole('form', { name: 'Read the scan again' });
    await expect(form.getByLabel('English').isChecked()).resolves.toBe(true);
    await form.getByLabel('English').uncheck();
    await expect(form.getByRole('button', { name: 'Read again' }).isDisabled()).resolves.toBe(true);
    await form.getByText('Choose at least one language.').waitFor();
    await form.getByLabel('Russian').check();
    await run.shot('01-languages-en');
    await form.getByRole('button', { name: 'Read again' }).click();

    // The page reached, while it is read.
    await row().getByRole('status').getByText(/^Reading page [123] of 3…$/u).waitFor();
    await row().getByText('Read again: the text and its search are up to date.').waitFor();
    await expect(row().locator('dd > .inline-controls > span').textContent()).resolves.toMatch(/^Russian · 3 pages/u);
    await page.locator('.detail-pane .redaction-body', { hasText: 'Кагарлицкий' }).waitFor();
    await run.shot('02-read-again-en');

    // The search finds the name now, in another grammatical case.
    await page.locator('#search-input').fill('Кагарлицкого');
    await page.locator('#search-input').press('Enter');
    await page.locator('#list-heading', { hasText: 'Кагарлицкого' }).waitFor();
    await expect(page.locator('.result-list .row-item').count()).resolves.toBe(1);
    expect(getDocument(session.archive, verdict.id).ocr?.languages).toEqual(['rus']);
  });

  it('stops a long reading at once, and the text stays as it was', async () => {
    const before = getDocument(session.archive, appeal.id).text;
    await page.locator('#search-input').fill('');
    await page.locator('#search-input').press('Enter');
    await page.locator('#list-heading', { hasText: 'Library · 2 documents' }).waitFor();
    await openDocument(appeal);
    await row().getByRole('button', { name: 'Read again…' }).click();
    const form = page.getByRole('form', { name: 'Read the scan again' });
    await form.getByLabel('Russian').check();
    await form.getByRole('button', { name: 'Read again' }).click();
    await row().getByRole('status').getByText(/^Reading page \d+ of 10…$/u).waitFor();
    await run.shot('03-reading-en');
    await row().getByRole('button', { name: 'Stop' }).click();
    await row().getByText('Stopped; the text is as it was.').waitFor();
    await expect(row().getByRole('button', { name: 'Read again…' }).isVisible()).resolves.toBe(true);
    expect(getDocument(session.archive, appeal.id).text).toBe(before);
    expect(getDocument(session.archive, appeal.id).ocr?.languages).toEqual(['eng']);
  });

  it('shows the recognition in Russian and Ukrainian', async () => {
    for (const [code, field, summary, button] of [
      ['ru', 'Распознавание', /^Английский · 10 страниц · точность \d+ %$/u, 'Распознать заново…'],
      ['uk', 'Розпізнавання', /^Англійська · 10 сторінок · точність \d+ %$/u, 'Розпізнати знову…'],
    ] as const) {
      await setLanguage(code);
      await expect.poll(() => row().locator('dt').textContent()).toBe(field);
      await expect.poll(() => row().locator('dd > .inline-controls > span').textContent()).toMatch(summary);
      await row().getByRole('button', { name: button }).click();
      await run.shot(`04-languages-${code}`);
      await page.keyboard.press('Escape');
    }
    await setLanguage('en');
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(run.server.url).origin;
    expect(run.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(run.problems).toEqual([]);
  });
});
