import { join } from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';
import { type BrowserRun, openInChromium } from './browser.ts';

const DOCUMENTS = 300;

/** Letters in Russian, Ukrainian and English, each naming Kagarlitsky in its own spelling. */
const letter = (i: number): { name: string; bytes: Uint8Array } => {
  const body = [
    `Письмо ${i} из колонии\n\nКагарлицкий пишет, что получил посылку номер ${i} и ждёт апелляции.`,
    `Лист ${i} з колонії\n\nКагарлицький пише, що отримав передачу номер ${i} і чекає на апеляцію.`,
    `Letter ${i} from the colony\n\nKagarlitsky writes that parcel number ${i} arrived and that he awaits the appeal.`,
  ][i % 3] as string;
  return { name: `letter-${String(i).padStart(3, '0')}.txt`, bytes: new TextEncoder().encode(body) };
};

/**
 * Re-indexing from the UI on an archive of a few hundred documents: started from the archive menu
 * after a confirmation, followed (n of m), paused (search then covers only the documents done, and
 * the note says so), resumed and finished; the paused note and the confirmation in English,
 * Russian and Ukrainian.
 */
describe('rebuilding the search index from the archive menu (web mode, chromium)', () => {
  let run: BrowserRun;
  let session: ArchiveSession;
  let page: Page;
  let pausedAt = 0;

  const note = (): Locator => page.locator('.indexing-note');
  const archiveButton = (): Locator => page.locator('.archive-button');
  const panel = (): Locator => page.locator('.archive-panel');
  const setLanguage = async (code: 'en' | 'ru' | 'uk'): Promise<void> => {
    await page.locator('.language select').selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
  };
  /** The number of documents done, as the note says it ("… 120 of 300 …"). */
  const doneInNote = async (): Promise<number> => {
    const text = (await note().textContent()) ?? '';
    const match = /(\d[\d\s\u00a0\u202f,]*) (of|из|з) 300/u.exec(text);
    return match?.[1] ? Number(match[1].replace(/\D/gu, '')) : -1;
  };

  beforeAll(async () => {
    const dir = join(tempDir('kartoteka-e2e-reindex-'), 'archive');
    const archive = Archive.create(dir);
    const report = await importBuffers(archive, Array.from({ length: DOCUMENTS }, (_, i) => letter(i)), { workers: 0 });
    expect(report.imported).toHaveLength(DOCUMENTS);
    // One document a step with a rest after each, so that the rebuild lasts long enough to be watched and paused.
    session = new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir, indexPace: { stepMs: 0, restMs: 20 } });
    run = await openInChromium({ service: createService(session), screenshotPrefix: 'reindex-' });
    ({ page } = run);
    await page.locator('#list-heading', { hasText: `Library · ${DOCUMENTS} documents` }).waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('starts a rebuild from the archive menu after saying what it means, and shows its progress', async () => {
    await archiveButton().click();
    const section = panel().getByRole('region', { name: 'Search index' });
    await section.getByText('Search finds documents through this index.', { exact: false }).waitFor();
    await section.getByRole('button', { name: 'Rebuild search index…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Rebuild the search index?' });
    await confirm.getByText(`from all ${DOCUMENTS} documents of this archive`, { exact: false }).waitFor();
    await confirm.getByText('Until it finishes, searches find only the documents already done.', { exact: false }).waitFor();
    await run.shot('confirm-en');
    await confirm.getByRole('button', { name: 'Rebuild index' }).click();
    await confirm.waitFor({ state: 'detached' });
    await panel().waitFor({ state: 'detached' });

    await note().getByText(new RegExp(`^Re-indexing for search: \\d+ of ${DOCUMENTS} documents`, 'u')).waitFor();
    // It moves on while the page watches.
    await expect.poll(doneInNote, { timeout: 20_000 }).toBeGreaterThan(0);
    const first = await doneInNote();
    await expect.poll(doneInNote, { timeout: 20_000 }).toBeGreaterThan(first);
    expect(await doneInNote()).toBeLessThan(DOCUMENTS);
    await run.shot('running-en');
  });

  it('pauses at once: the note says search covers only n of m documents, and search finds only those', async () => {
    await note().getByRole('button', { name: 'Pause' }).click();
    await note().getByText('Re-indexing paused: search covers only', { exact: false }).waitFor();
    const status = session.index.status();
    expect(status).toMatchObject({ current: false, paused: true, total: DOCUMENTS });
    pausedAt = status.done;
    expect(pausedAt).toBeGreaterThan(0);
    expect(pausedAt).toBeLessThan(DOCUMENTS);
    await note().getByText(`Re-indexing paused: search covers only ${pausedAt} of ${DOCUMENTS} documents. It goes on when you resume it, or when this archive is opened again.`).waitFor();
    await note().getByRole('button', { name: 'Resume' }).waitFor();

    await page.locator('#search-input').fill('Kagarlitsky');
    await page.locator('#search-input').press('Enter');
    await page.locator('#list-heading', { hasText: `${pausedAt} results for “Kagarlitsky”` }).waitFor();
    await note().getByText(`search covers only ${pausedAt} of ${DOCUMENTS} documents`, { exact: false }).waitFor();
    // Still where it was, a few polls later.
    await page.waitForTimeout(1600);
    expect(session.index.status().done).toBe(pausedAt);
    await run.shot('paused-en');

    await archiveButton().click();
    await panel().getByText(`Rebuilding the search index is paused at ${pausedAt} of ${DOCUMENTS} documents.`).waitFor();
    // Not started again from nothing while paused: the menu offers to resume it instead.
    await panel().getByRole('region', { name: 'Search index' }).getByRole('button', { name: 'Resume' }).waitFor();
    await expect(panel().getByRole('button', { name: 'Rebuild search index…' }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'detached' });
  });

  for (const [code, paused, menu] of [
    ['ru', 'Переиндексация приостановлена: поиск охватывает только', 'Перестройка поискового индекса приостановлена'],
    ['uk', 'Переіндексацію призупинено: пошук охоплює лише', 'Перебудову пошукового індексу призупинено'],
  ] as const) {
    it(`says it is paused in ${code === 'ru' ? 'Russian' : 'Ukrainian'}`, async () => {
      await setLanguage(code);
      await note().getByText(paused, { exact: false }).waitFor();
      expect(await doneInNote()).toBe(pausedAt);
      await run.shot(`paused-${code}`);
      await archiveButton().click();
      await panel().getByText(menu, { exact: false }).waitFor();
      await run.shot(`menu-paused-${code}`);
      await page.keyboard.press('Escape');
      await panel().waitFor({ state: 'detached' });
    });
  }

  it('resumes and finishes; the search then finds every document', async () => {
    await setLanguage('en');
    await note().getByRole('button', { name: 'Resume' }).click();
    await note().getByText(new RegExp(`^Re-indexing for search: \\d+ of ${DOCUMENTS} documents`, 'u')).waitFor();
    expect(session.index.status().paused).toBe(false);
    await note().getByText('Re-indexing finished.').waitFor({ timeout: 60_000 });
    await run.shot('finished-en');
    await note().getByRole('button', { name: 'Search again for complete results' }).click();
    await page.locator('#list-heading', { hasText: `${DOCUMENTS} results for “Kagarlitsky”` }).waitFor();
    await note().waitFor({ state: 'detached' });
  });

  for (const [code, menu, title, body] of [
    ['ru', 'Перестроить поисковый индекс…', 'Перестроить поисковый индекс?', `для ${DOCUMENTS} документов этого архива`],
    ['uk', 'Перебудувати пошуковий індекс…', 'Перебудувати пошуковий індекс?', `для ${DOCUMENTS} документів цього архіву`],
  ] as const) {
    it(`asks before rebuilding in ${code === 'ru' ? 'Russian' : 'Ukrainian'}, and a cancelled question starts nothing`, async () => {
      await setLanguage(code);
      await archiveButton().click();
      await panel().getByRole('button', { name: menu }).click();
      const confirm = page.getByRole('alertdialog', { name: title });
      await confirm.getByText(body, { exact: false }).waitFor();
      await run.shot(`confirm-${code}`);
      await confirm.locator('button.secondary').click();
      await confirm.waitFor({ state: 'detached' });
      await page.keyboard.press('Escape');
      await panel().waitFor({ state: 'detached' });
      expect(session.index.status()).toMatchObject({ current: true, paused: false });
    });
  }

  it('made no request outside the local server and logged no error', async () => {
    await setLanguage('en');
    const origin = new URL(run.server.url).origin;
    expect(run.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(run.problems).toEqual([]);
  });
});
