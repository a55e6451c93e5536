import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { fixture, sampleSourceDir, tempDir } from '../helpers.ts';
import { type BrowserRun, documentShown, openInChromium } from './browser.ts';

describe('the app in a real browser over the local web mode', () => {
  let run: BrowserRun;
  let server: RunningServer;
  let session: ArchiveSession;
  let page: Page;
  let requests: string[] = [];
  let problems: string[] = [];

  const shot = async (name: string): Promise<void> => {
    await run.shot(name);
  };

  beforeAll(async () => {
    session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), {
      sampleArchiveDir: join(tempDir(), 'sample-archive'),
      sampleSourceDir,
    });
    run = await openInChromium({ service: createService(session), screenshotPrefix: '', ownScreenshots: /^\d\d-.*\.png$/u });
    ({ server, page } = run);
    requests = run.requests;
    problems = run.problems;
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('shows an empty archive with a way in', async () => {
    await page.getByRole('heading', { name: 'This archive is empty' }).waitFor();
    // Offered in the empty list itself (and in the archive menu), not again in the toolbar, which stays on one row.
    await expect(page.getByRole('button', { name: 'Open sample archive' }).count()).resolves.toBe(1);
    const toolbar = await page.locator('header.toolbar').boundingBox();
    expect(toolbar?.height ?? 0).toBeLessThan(70);
    await shot('01-empty-archive-en');
  });

  it('imports files through the file picker, reporting the one it cannot read', async () => {
    await page.getByTestId('file-input').setInputFiles([fixture('letter-utf8.txt'), fixture('statement-utf16le-bom.txt'), fixture('scan.pdf')]);
    const panel = page.getByRole('status');
    await panel.getByText('2 imported').waitFor();
    await expect(panel.getByText('1 failed').isVisible()).resolves.toBe(true);
    await expect(panel.getByText('scan.pdf').isVisible()).resolves.toBe(true);
    await expect(panel.getByText('CORRUPT_FILE').isVisible()).resolves.toBe(true);
    // The first imported document opens, its Russian text intact.
    await page.locator('.document-text').getByText('Соловьёв передаёт привет', { exact: false }).waitFor();
    await expect(page.getByRole('heading', { name: 'Library · 2 documents' }).isVisible()).resolves.toBe(true);
    await shot('02-imported-with-one-failure');
  });

  it('imports a file dropped on the window', async () => {
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['Dropped letter\n\nA note about the appeal hearing in Olkhovy Log.'], 'dropped.txt', { type: 'text/plain' }));
      const target = document.querySelector('.app');
      target?.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      target?.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    });
    await page.getByRole('heading', { name: 'Library · 3 documents' }).waitFor();
    await page.locator('.document-text').getByText('appeal hearing', { exact: false }).waitFor();
  });

  it('searches, highlights the hit in the list and in the opened document', async () => {
    await page.keyboard.press('Control+f');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await page.keyboard.type('СОЛОВЬЁВ');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '1 result for “СОЛОВЬЁВ”' }).waitFor();
    await expect(page.locator('.result-list mark').first().textContent()).resolves.toBe('Соловьёв');
    await page.locator('.result-list .row').first().click();
    await page.locator('.document-text mark').first().waitFor();
    await expect(page.locator('.document-text mark').first().textContent()).resolves.toBe('Соловьёв');
    await shot('03-search-highlight');
  });

  it('imports a whole folder of mixed formats and encodings, with progress', async () => {
    const folder = tempDir('kartoteka-e2e-folder-');
    mkdirSync(join(folder, 'calls'));
    copyFileSync(fixture('letter-cp1251.txt'), join(folder, 'letter-cp1251.txt'));
    writeFileSync(join(folder, 'letter-koi8.txt'), iconv.encode('Письмо из Ольхового Лога\n\nДорогая мама, посылку получил, спасибо за тёплые носки.\n', 'koi8-r'));
    writeFileSync(join(folder, 'damaged.txt'), Buffer.from(iconv.decode(Buffer.from('Письмо адвокату Ломтевой о свидании в колонии.\n', 'utf8'), 'windows-1251'), 'utf8'));
    writeFileSync(join(folder, 'news.html'), '<html><head><title>Новости кампании</title><script>var x = 1;</script></head><body><nav>Меню</nav><p>Апелляционный суд назначил заседание.</p></body></html>');
    copyFileSync(fixture('audio/2025-04-12-call-anna.wav'), join(folder, 'calls', '2025-04-12-call-anna.wav'));
    copyFileSync(fixture('transcripts/2025-04-12-call-anna.vtt'), join(folder, 'calls', '2025-04-12-call-anna.vtt'));
    copyFileSync(fixture('picture-named.txt'), join(folder, 'picture-named.txt'));
    await page.getByTestId('folder-input').setInputFiles(folder);
    const panel = page.getByRole('status', { name: 'Import' });
    await panel.getByText('Import finished:').waitFor();
    const summary = await panel.textContent();
    // The Windows-1251 letter has the same words as the UTF-8 one imported before it.
    expect(summary).toContain('5 imported');
    expect(summary).toContain('1 possible duplicate');
    expect(summary).toContain('letter-cp1251.txt has the same text as');
    expect(summary).toContain('1 failed');
    expect(summary).toContain('picture-named.txt');
    expect(summary).toContain('BINARY_FILE');
    await shot('04-folder-import-en');
  });

  it('shows how a letter was decoded and reads it again in another encoding', async () => {
    await page.getByLabel('Search the archive').fill('носки');
    await page.keyboard.press('Enter');
    // The list shows the previous results until this search answers.
    await page.locator('#list-heading', { hasText: '“носки”' }).waitFor();
    await page.locator('.result-list .row').first().click();
    // The letter opened (not the document opened before it): then its encoding is read.
    await documentShown(page, 'Письмо из Ольхового Лога');
    const encoding = page.getByLabel('Encoding');
    await expect(encoding.locator('option:checked').textContent()).resolves.toContain('koi8-r');
    await encoding.selectOption('windows-1251');
    await page.locator('.document-text').getByText('носки').waitFor({ state: 'detached' });
    await encoding.selectOption('');
    await page.locator('.document-text').getByText('тёплые носки', { exact: false }).waitFor();
    await page.getByLabel('Search the archive').fill('Ломтевой');
    await page.keyboard.press('Enter');
    // The list shows the previous results until this search answers.
    await page.locator('#list-heading', { hasText: '“Ломтевой”' }).waitFor();
    await page.locator('.result-list .row').first().click();
    await page.getByText('garbled text repaired', { exact: false }).waitFor();
    await shot('05-repaired-text-en');
    await page.getByRole('button', { name: 'Undo repair' }).click();
    await page.locator('.document-text').getByText('РџРёСЃСЊРјРѕ', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Repair again' }).click();
    await page.locator('.document-text').getByText('Письмо адвокату', { exact: false }).waitFor();
  });

  it('offers a correction when nothing is found', async () => {
    await page.getByLabel('Search the archive').fill('привт');
    await page.keyboard.press('Enter');
    await page.getByText('Nothing found.').waitFor();
    await page.getByRole('button', { name: 'привет' }).click();
    await page.getByRole('heading', { name: /results? for “привет”/ }).waitFor();
  });

  it('opens the sample archive and reads a Russian letter found by an inflected name', async () => {
    await page.getByLabel('Search the archive').fill('');
    // The sample is one archive among others: the archive menu opens it.
    await page.locator('.archive-button').click();
    await page.getByRole('dialog', { name: 'Archive' }).getByRole('button', { name: 'Open sample archive' }).click();
    await page.getByText('Sample archive ·').waitFor();
    const count = Number((await page.getByRole('heading', { name: /^Library · / }).textContent())?.match(/\d+/)?.[0]);
    expect(count).toBeGreaterThanOrEqual(12);
    await shot('06-sample-archive-en');
    await page.getByLabel('Search the archive').fill('Соловьёвой');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /results? for “Соловьёвой”/ }).waitFor();
    await expect(page.locator('.result-list mark').first().textContent()).resolves.toBe('Соловьёвой');
    await shot('07-sample-search-en');
    await page.locator('.result-list .row').first().click();
    await page.locator('.document-text mark').first().waitFor();
    await expect(page.locator('article.document').getAttribute('lang')).resolves.toBe('ru');
    await shot('08-russian-document-en');
  });

  it('switches the interface to Russian and Ukrainian and remembers the choice', async () => {
    await page.getByLabel('Search the archive').fill('');
    await page.getByLabel('Search the archive').press('Enter');
    await page.getByLabel('Interface language').selectOption('ru');
    await page.getByRole('heading', { name: /^Библиотека · \d+ документ/ }).waitFor();
    const second = page.locator('.result-list .row-item').nth(1);
    const title = (await second.locator('.row-title[title]').getAttribute('title')) ?? '';
    await second.locator('.row').click();
    await documentShown(page, title);
    await shot('09-sample-archive-ru');
    await page.getByLabel('Язык интерфейса').selectOption('uk');
    await page.getByRole('heading', { name: /^Бібліотека · \d+ документ/ }).waitFor();
    await page.getByLabel('Пошук в архіві').fill('Соловйова');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /за запитом «Соловйова»/ }).waitFor();
    await page.locator('.result-list .row').first().click();
    await page.locator('.document-text mark').first().waitFor();
    await shot('10-search-uk');
    await page.reload();
    await page.getByRole('heading', { name: /^Бібліотека/ }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('uk');
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(server.url).origin;
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
