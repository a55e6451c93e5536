import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { insertDocument } from '../../src/core/documents.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import type { DocumentKind } from '../../src/shared/document.ts';
import { metadataWith, sampleSourceDir, tempDir } from '../helpers.ts';
import { type BrowserRun, documentShown, openInChromium } from './browser.ts';

const TOTAL = 100_000;
/** The archive's folder, hence its name in the toolbar: long, as campaign archives' names are. */
const LONG_NAME = 'Архив кампании в защиту политзаключённых Кагарлицкий и другие 2022-2026';
/** However long the list, no more rows than this are ever in the page. */
const MAX_ROWS_IN_PAGE = 200;

const numbered = (n: number): string => `Document ${String(n).padStart(6, '0')}`;

/**
 * 100,000 documents through insertDocument (catalogue row and search index, as an import commits
 * them), in one transaction. Dates grow with the number, so the library (newest first) lists
 * document 100,000 first and document 1 last: row p (from 0) is document TOTAL - p.
 */
function seed(archive: Archive): void {
  const kinds: DocumentKind[] = ['letter', 'court-document', 'statement', 'article', 'testimony'];
  const extras = { textSource: 'text' as const, textHash: null, extraction: { importer: 'e2e' } };
  const base = metadataWith({ title: numbered(1) });
  archive.transaction(() => {
    for (let i = 0; i < TOTAL; i++) {
      const title = numbered(i + 1);
      const month = String(Math.floor(((i % 4000) * 12) / 4000) + 1).padStart(2, '0');
      insertDocument(
        archive,
        `big${String(i + 1).padStart(6, '0')}`,
        { ...base, kind: kinds[i % kinds.length] ?? 'other', title, date: `${2000 + Math.floor(i / 4000)}-${month}`, authors: [`Author ${i % 50}`] },
        `${title}. A letter about visits number ${i}.`,
        extras,
      );
    }
  });
}

describe('a library of 100,000 documents stays a few dozen rows in the page (web mode, chromium)', () => {
  let session: ArchiveSession;
  let run: BrowserRun;
  let page: Page;
  const figures: string[] = [];

  const list = (): Locator => page.locator('ul.result-list');
  const items = (): Locator => list().locator(':scope > li');
  const scroller = (): Locator => page.locator('.list-scroll');
  const rowAt = (position: number): Locator => list().locator(`li[aria-posinset="${position}"]`);
  const focusedPosition = (): Promise<number> =>
    page.evaluate(() => Number(document.activeElement?.closest('li')?.getAttribute('aria-posinset') ?? 0));
  /** The JS heap in use, from the DevTools protocol (precise, unlike performance.memory). */
  const heapMb = async (): Promise<string> => {
    const cdp = await run.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    await cdp.detach();
    const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    return `${(used / 1048576).toFixed(1)} MB`;
  };
  /** Whether a row is inside the list's visible box (not just in the page). */
  const inView = (row: Locator): Promise<boolean> =>
    row.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const view = element.closest('.list-scroll')?.getBoundingClientRect();
      return view !== undefined && box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
    });
  /** Scrolls the list to a fraction of its length; answers the row (from 0) then at the top of the view. */
  const scrollTo = (fraction: number): Promise<number> =>
    scroller().evaluate((element, f) => {
      element.scrollTop = (element.scrollHeight - element.clientHeight) * f;
      const rowHeight = element.querySelector<HTMLElement>('li')?.offsetHeight ?? 1;
      return Math.ceil(element.scrollTop / rowHeight);
    }, fraction);

  beforeAll(async () => {
    const archive = Archive.create(join(tempDir(), LONG_NAME));
    const started = performance.now();
    seed(archive);
    figures.push(`seeding ${TOTAL} documents (insertDocument, one transaction): ${((performance.now() - started) / 1000).toFixed(1)} s`);
    session = new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir });
    run = await openInChromium({ service: createService(session), screenshotPrefix: 'list100k-' });
    page = run.page;
    await page.locator('.result-list .row-title', { hasText: numbered(TOTAL) }).waitFor();
    // Timed in the page: the server runs in this process, and its work would hold up this side's clock.
    await run.context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('.result-list .row-title')) return;
        (window as { firstRowsAt?: number }).firstRowsAt = performance.now();
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.reload();
    await page.locator('.result-list .row-title', { hasText: numbered(TOTAL) }).waitFor();
    const firstRows = await page.evaluate(() => (window as { firstRowsAt?: number }).firstRowsAt ?? NaN);
    figures.push(`page load to the first rows: ${firstRows.toFixed(0)} ms; JS heap ${await heapMb()}`);
  }, 240_000);

  afterAll(async () => {
    // The measured figures, for the record (tests never assert on time).
    console.log(figures.join('\n'));
    await run?.close();
    await session?.close();
  });

  it('shows 100,000 documents and renders only the rows in view, at the top, in the middle and at the end', async () => {
    await page.getByRole('heading', { name: 'Library · 100,000 documents' }).waitFor();
    await expect(items().first().getAttribute('aria-setsize')).resolves.toBe(String(TOTAL));
    expect(await rowAt(1).locator('.row-title').textContent()).toBe(numbered(TOTAL));
    figures.push(`rows in the page at the top: ${await items().count()}`);
    expect(await items().count()).toBeLessThan(MAX_ROWS_IN_PAGE);
    await run.shot('01-top-en');

    const middle = await scrollTo(0.5);
    await expect.poll(() => rowAt(middle + 1).locator('.row-title').textContent()).toBe(numbered(TOTAL - middle));
    expect(middle).toBeGreaterThan(TOTAL * 0.45);
    figures.push(`rows in the page in the middle (row ${middle + 1}): ${await items().count()}; JS heap ${await heapMb()}`);
    expect(await items().count()).toBeLessThan(MAX_ROWS_IN_PAGE);
    await run.shot('02-middle-en');

    await scrollTo(1);
    const last = rowAt(TOTAL);
    await expect.poll(() => last.locator('.row-title').textContent()).toBe(numbered(1));
    expect(await inView(last)).toBe(true);
    figures.push(`rows in the page at the end: ${await items().count()}; JS heap ${await heapMb()}`);
    expect(await items().count()).toBeLessThan(MAX_ROWS_IN_PAGE);
    await run.shot('03-end-en');
  });

  it('the keyboard moves through the rows (arrows, Page Down/Up, End, Home) and Enter opens the row focused', async () => {
    await scrollTo(0);
    await rowAt(1).locator('.row').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedPosition).toBe(3);
    await page.keyboard.press('Enter');
    await documentShown(page, numbered(TOTAL - 2));

    await rowAt(3).locator('.row').focus();
    await page.keyboard.press('PageDown');
    await expect.poll(focusedPosition).toBeGreaterThan(6);
    await page.keyboard.press('PageUp');
    await expect.poll(focusedPosition).toBe(3);

    await page.keyboard.press('End');
    await expect.poll(focusedPosition).toBe(TOTAL);
    await expect.poll(() => rowAt(TOTAL).locator('.row-title').textContent()).toBe(numbered(1));
    expect(await inView(rowAt(TOTAL))).toBe(true);
    expect(await items().count()).toBeLessThan(MAX_ROWS_IN_PAGE);
    await page.keyboard.press('Enter');
    await documentShown(page, numbered(1));

    await rowAt(TOTAL).locator('.row').focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedPosition).toBe(TOTAL - 1);
    await page.keyboard.press('Home');
    await expect.poll(focusedPosition).toBe(1);
    expect(await inView(rowAt(1))).toBe(true);
    await page.keyboard.press('Enter');
    await documentShown(page, numbered(TOTAL));
    // Pages of rows, not rows one by one: a few requests for all that travel.
    expect(run.requests.filter((url) => url.endsWith('/api/documents.list')).length).toBeLessThan(40);
  });

  it('a search that finds every document lists its hits and scrolls to the last of them', async () => {
    await page.locator('#search-input').fill('visits');
    // The search form sent (what Enter does), then the time until the first hit is drawn, in the page.
    const toFirstHits = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const started = performance.now();
          document.querySelector<HTMLFormElement>('form.search')?.requestSubmit();
          const check = (): void => {
            if (document.querySelector('ul.result-list .row-item.hit .row-title')) resolve(performance.now() - started);
            else requestAnimationFrame(check);
          };
          check();
        }),
    );
    await page.getByRole('heading', { name: '100,000 results for “visits”' }).waitFor();
    const hits = page.getByRole('list', { name: 'Search results' });
    await hits.locator('.row-title').first().waitFor();
    const firstTitle = await rowAt(1).locator('.row-title').textContent();
    figures.push(`search "visits" (100,000 hits), Enter to the first hits: ${toFirstHits.toFixed(0)} ms`);
    expect(await hits.locator(':scope > li').count()).toBeLessThan(MAX_ROWS_IN_PAGE);
    await run.shot('04-search-top-en');

    // Dragging the scroll bar down to the middle: the hits show where it stops, without waiting for
    // every page it passed over.
    const pagesBefore = run.requests.filter((url) => url.endsWith('/api/search.query')).length;
    const swept = await scroller().evaluate(
      (element) =>
        new Promise<{ index: number; ms: number }>((resolve) => {
          const frame = (): Promise<void> => new Promise((done) => requestAnimationFrame(() => done()));
          void (async () => {
            for (let step = 1; step <= 30; step++) {
              element.scrollTop = ((element.scrollHeight - element.clientHeight) * 0.5 * step) / 30;
              await frame();
              await frame();
            }
            const rowHeight = element.querySelector<HTMLElement>('li')?.offsetHeight ?? 1;
            const index = Math.ceil(element.scrollTop / rowHeight);
            const stopped = performance.now();
            const check = (): void => {
              if (element.querySelector(`li[aria-posinset="${index + 1}"] .row-title`)?.textContent?.startsWith('Document')) resolve({ index, ms: performance.now() - stopped });
              else requestAnimationFrame(check);
            };
            check();
          })();
        }),
    );
    const sweepPages = run.requests.filter((url) => url.endsWith('/api/search.query')).length - pagesBefore;
    figures.push(`hits after a 30-step drag to the middle: shown ${swept.ms.toFixed(0)} ms after it stopped; ${sweepPages} pages asked for`);
    await expect.poll(() => rowAt(swept.index + 1).locator('.row-title').textContent()).toMatch(/^Document \d{6}$/u);
    expect(sweepPages).toBeLessThan(10);
    expect(await hits.locator(':scope > li').count()).toBeLessThan(MAX_ROWS_IN_PAGE);

    await scrollTo(0);
    await rowAt(1).locator('.row').focus();
    await expect.poll(focusedPosition).toBe(1);
    await page.keyboard.press('End');
    await expect.poll(focusedPosition).toBe(TOTAL);
    const last = rowAt(TOTAL).locator('.row-title');
    await expect.poll(() => last.textContent()).toMatch(/^Document \d{6}$/u);
    const title = (await last.textContent()) ?? '';
    expect(await inView(rowAt(TOTAL))).toBe(true);
    figures.push(`search hits in the page at the end: ${await hits.locator(':scope > li').count()}; JS heap ${await heapMb()}`);
    expect(await hits.locator(':scope > li').count()).toBeLessThan(MAX_ROWS_IN_PAGE);
    await run.shot('05-search-end-en');
    await page.keyboard.press('Enter');
    await documentShown(page, title);
    // Every hit is a different document: the last one is not the first one again.
    expect(title).not.toBe(firstTitle);
  });

  it('cuts the long archive name with an ellipsis and keeps the search box placeholder whole (en, ru, uk; 1280 and 1024 wide)', async () => {
    await page.locator('#search-input').fill('');
    await page.getByRole('heading', { name: 'Library · 100,000 documents' }).waitFor();
    for (const [width, height] of [
      [1280, 800],
      [1024, 768],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const language of ['en', 'ru', 'uk'] as const) {
        await page.locator('.language select').selectOption(language);
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
        const toolbar = await page.evaluate(() => {
          const name = document.querySelector<HTMLElement>('.archive-button .archive-name');
          const input = document.querySelector<HTMLInputElement>('#search-input');
          const context = document.createElement('canvas').getContext('2d');
          if (!name || !input || !context) return null;
          const style = getComputedStyle(input);
          context.font = style.font;
          return {
            nameCut: name.scrollWidth > name.clientWidth && getComputedStyle(name).textOverflow === 'ellipsis',
            tooltip: name.closest('button')?.title ?? '',
            // The name ends before the search box starts: not drawn under it.
            nameEnd: name.closest('button')?.getBoundingClientRect().right ?? Infinity,
            searchStart: input.closest('form')?.getBoundingClientRect().left ?? 0,
            placeholder: input.placeholder,
            placeholderWidth: context.measureText(input.placeholder).width,
            room: input.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight),
            pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
          };
        });
        figures.push(`toolbar ${language} ${width}: search field ${toolbar?.room ?? 0} px wide inside, placeholder ${Math.round(toolbar?.placeholderWidth ?? 0)} px`);
        expect(toolbar?.nameCut).toBe(true);
        expect(toolbar?.tooltip.split('\n')[0]).toBe(LONG_NAME);
        expect(toolbar?.nameEnd).toBeLessThanOrEqual(toolbar?.searchStart ?? 0);
        expect(toolbar?.placeholder).not.toBe('');
        expect(toolbar?.room).toBeGreaterThanOrEqual(toolbar?.placeholderWidth ?? Infinity);
        expect(toolbar?.pageOverflow).toBeLessThanOrEqual(0);
        await run.shot(`06-long-name-${language}-${width}`);
      }
    }
    await page.locator('.language select').selectOption('en');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(run.server.url).origin;
    expect(run.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(run.problems).toEqual([]);
  });
});
