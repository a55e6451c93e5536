import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/core/bundles/export.ts';
import { BundleOptions } from '../../src/shared/bundles.ts';
import { tempDir } from '../helpers.ts';
import { type BundleArchive, bundleArchive, testEnvironment, unzipTo } from '../unit/bundle-fixtures.ts';
import { type PageRun, openFileInChromium } from './browser.ts';

/**
 * A bundle's viewer as someone who received it opens it: unpacked into a folder, index.html opened
 * from disk (file://) in Chromium, with nothing else running and no network to talk to.
 */
describe('the bundle viewer, opened from an unpacked bundle in chromium', () => {
  let source: BundleArchive;
  let run: PageRun;
  let page: Page;
  let index: string;
  let requests: string[] = [];
  let problems: string[] = [];

  const shot = (name: string): Promise<void> => run.shot(name);
  /** Types a query and presses Enter; resolves when the viewer has answered it. */
  const search = async (query: string): Promise<string[]> => {
    await page.fill('#q', query);
    await page.press('#q', 'Enter');
    await page.locator(`body[data-searched="${query.replaceAll('"', '\\"')}"]`).waitFor();
    return page.locator('#result-list li .title').allTextContents();
  };
  /**
   * Changes a filter and resolves when the viewer has answered the search it starts (it searches
   * asynchronously: until then the status and the list are those of the search before).
   */
  const filter = async (change: () => Promise<unknown>): Promise<void> => {
    await page.evaluate(() => document.body.removeAttribute('data-searched'));
    await change();
    await page.locator('body[data-searched]').waitFor();
  };
  const open = async (id: string): Promise<void> => {
    await page.evaluate((target) => (location.hash = `item=${target}`), id);
    await page.locator(`#item article[data-id="${id}"]`).waitFor();
  };

  beforeAll(async () => {
    source = await bundleArchive(join(tempDir(), 'archive'));
    const path = join(tempDir(), 'campaign-bundle.zip');
    await exportBundle(source.archive, { selection: { type: 'all' }, options: BundleOptions.parse({ sensitivities: ['public', 'internal', 'confidential'] }), path }, await testEnvironment());
    const unpacked = tempDir();
    unzipTo(path, unpacked);
    index = join(unpacked, 'campaign-bundle', 'data', 'index.html');
    run = await openFileInChromium({ file: index, screenshotPrefix: 'bundle-viewer-' });
    ({ page, requests, problems } = run);
    await page.locator('body[data-ready="true"]').waitFor();
  });

  afterAll(async () => {
    await run?.close();
    source?.archive.close();
  });

  it('lists every item', async () => {
    await expect(page.locator('#status').textContent()).resolves.toBe('17 items');
    await expect(page.locator('#result-list li').count()).resolves.toBe(17);
    await shot('01-list');
  });

  it('finds the right item for a Russian word in another inflection', async () => {
    // The letter says «рукавицы»; the search asks for «рукавицами».
    const titles = await search('рукавицами');
    expect(titles).toEqual([expect.stringContaining('Письмо Мирона Соловьёва жене из ИК-7')]);
    await expect(page.locator('#result-list li .snippet mark').first().textContent()).resolves.toBe('рукавицы');
    await shot('02-inflected');
  });

  it('finds a phrase only with its words in that order, in any inflection', async () => {
    // The verdict says «в исправительной колонии общего режима».
    expect(await search('"колония общего режима"')).toContainEqual(expect.stringContaining('Приговор'));
    expect(await search('"режима общего колония"')).not.toContainEqual(expect.stringContaining('Приговор'));
    expect(await search('"общего колония"')).not.toContainEqual(expect.stringContaining('Приговор'));
  });

  it('finds documents that write a name in Cyrillic by its transliteration', async () => {
    const titles = await search('Solovyova');
    // Only in Ukrainian (Соловйова) and Russian (Соловьёва): found through the transliteration keys.
    expect(titles).toContainEqual(expect.stringContaining('Заява родини Мирона Соловйова'));
    expect(titles).toContainEqual(expect.stringContaining('Письмо Мирона Соловьёва жене'));
    // A misspelt long name is forgiven, as in the app.
    expect(await search('Solovyyova')).toContainEqual(expect.stringContaining('Заява родини Мирона Соловйова'));
    await shot('03-transliterated');
  });

  it('filters by kind, language, person and date, and speaks the app’s query language', async () => {
    await search('');
    await filter(() => page.selectOption('#f-kind', 'audio-message'));
    const audioMessages = (source.archive.sql("SELECT count(*) AS c FROM documents WHERE kind = 'audio-message'").get() as { c: number }).c;
    await expect(page.locator('#status').textContent()).resolves.toBe(`${audioMessages} items`);
    for (const meta of await page.locator('#result-list li .meta').allTextContents()) expect(meta).toMatch(/^Audio message · /u);
    await filter(() => page.selectOption('#f-kind', ''));
    await filter(() => page.selectOption('#f-language', 'uk'));
    const ukrainian = await page.locator('#result-list li').count();
    expect(ukrainian).toBeGreaterThan(0);
    await filter(() => page.selectOption('#f-language', ''));
    await filter(async () => {
      await page.fill('#f-from', '2025');
      await page.locator('#f-from').dispatchEvent('change');
    });
    await page.locator('#status', { hasText: /^\d+ items?$/u }).waitFor();
    for (const meta of await page.locator('#result-list li .meta').allTextContents()) expect(meta).toMatch(/20(2[5-9])/u);
    await filter(async () => {
      await page.fill('#f-from', '');
      await page.locator('#f-from').dispatchEvent('change');
    });
    expect(await search('kind:court-document lang:ru')).toEqual([expect.stringContaining('Приговор')]);
    expect((await search('Соловьёв -lang:ru -lang:uk')).length).toBeGreaterThan(0);
  });

  it('shows a translation beside its original', async () => {
    await open(source.ids.verdictRu);
    const columns = page.locator('#item .texts.side-by-side .text-column');
    // The texts come after the item's details, each when it has been read.
    await expect.poll(() => columns.count()).toBe(2);
    await expect(columns.nth(1).getAttribute('data-id')).resolves.toBe(source.ids.verdictEn);
    await expect(columns.nth(0).textContent()).resolves.toContain('ПРИГОВОР');
    await expect(columns.nth(1).textContent()).resolves.toContain('JUDGMENT');
    // Kinds and languages by their names, as a reader without the app knows them, not as codes.
    const details = (await page.locator('#item').textContent()) ?? '';
    expect(details).toContain('Court document');
    expect(details).toContain('Translation (English)');
    expect(details).not.toContain('court-document');
    await shot('04-translation');
  });

  it('plays an audio message with its transcript, cue by cue', async () => {
    await open(source.ids.audio);
    const audio = page.locator('#item audio');
    await expect(audio.getAttribute('src')).resolves.toBe(`items/${source.ids.audio}/original/2025-04-12-call-anna.wav`);
    const cues = page.locator('#item .cues li');
    // The transcript comes after the item's details, when it has been read.
    await expect.poll(() => cues.count()).toBe(6);
    await expect(cues.first().textContent()).resolves.toContain('Разговор записывается');
    // The recording loads from the bundle's own folder; a click on a cue moves to it.
    const duration = await page.evaluate(async () => {
      const element = document.querySelector('#item audio') as HTMLAudioElement;
      if (element.readyState < 1) await new Promise((resolve) => element.addEventListener('loadedmetadata', resolve, { once: true }));
      return element.duration;
    });
    expect(duration).toBeGreaterThan(0);
    // (The fixture's recording is shorter than its transcript: a cue past its end moves to the end.)
    const start = Number(await cues.nth(1).getAttribute('data-start'));
    await cues.nth(1).click();
    await expect(page.evaluate(() => (document.querySelector('#item audio') as HTMLAudioElement).currentTime)).resolves.toBeCloseTo(Math.min(start, duration), 0);
    await shot('05-audio');
  });

  it('says what was redacted and shows █ in its place', async () => {
    await open(source.ids.letterToWife);
    await expect(page.locator('#item [data-notice="redacted"]').textContent()).resolves.toContain('blacked out');
    const text = (await page.locator('#item .text-column').first().textContent()) ?? '';
    expect(text).toContain('█'.repeat(source.redactedWord.length));
    expect(text).not.toContain(source.redactedWord);
  });

  it('made no network request: everything came from the bundle’s folder, and its policy forbids the network', async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(problems).toEqual([]);
    // Had a hostile bundle's page tried, its Content-Security-Policy would have stopped it.
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    const blocked = await page.evaluate(async () => {
      const attempts = await Promise.all([
        fetch('https://example.org/').then(
          () => 'fetched',
          () => 'blocked',
        ),
        new Promise<string>((resolve) => {
          const image = new Image();
          image.onload = () => resolve('loaded');
          image.onerror = () => resolve('blocked');
          image.src = 'https://example.org/pixel.png';
        }),
      ]);
      return attempts;
    });
    expect(blocked).toEqual(['blocked', 'blocked']);
    // Chromium reports these as failed with "csp" (net::ERR_BLOCKED_BY_CSP): stopped before any network.
    for (const failure of failed) expect(failure).toMatch(/ (csp|.*BLOCKED_BY_CSP)$/u);
  });
});
