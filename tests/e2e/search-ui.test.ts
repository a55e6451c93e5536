import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { fixture, sampleSourceDir, tempDir } from '../helpers.ts';
import { textPdf } from '../unit/pdf-fixtures.ts';
import { type BrowserRun, documentShown, openInChromium } from './browser.ts';

/** Partial dates (2024, 2024-08, 2024-08-19) in a row's line of metadata. */
const dateIn = (meta: string): string => meta.match(/\b\d{4}(?:-\d{2}){0,2}\b/u)?.[0] ?? '';

describe('searching the sample archive in a real browser (web mode)', () => {
  let session: ArchiveSession;
  let run: BrowserRun;
  let page: Page;

  const shot = (name: string): Promise<void> => run.shot(name);
  const searchBox = (): Locator => page.locator('#search-input');
  const heading = (): Locator => page.locator('#list-heading');
  const rows = (): Locator => page.locator('.result-list .row-item');
  const facets = (): Locator => page.locator('section.facets');
  /** Presses ArrowDown in the search box until the highlighted suggestion has this text. */
  const arrowTo = async (text: string): Promise<void> => {
    const active = page.locator('[role="option"][aria-selected="true"]');
    for (let i = 0; i < 12; i++) {
      if ((await active.count()) > 0 && ((await active.textContent()) ?? '').includes(text)) return;
      await searchBox().press('ArrowDown');
    }
    throw new Error(`No suggestion "${text}" reached with the arrow keys.`);
  };
  const search = async (query: string): Promise<void> => {
    await searchBox().fill(query);
    await searchBox().press('Enter');
    // The list is busy until this search has answered: the heading may be that of the same query asked before.
    await page.locator('.list-pane[aria-busy="false"] #list-heading', { hasText: `“${query}”` }).waitFor();
  };
  /**
   * Opens a row of the list and waits until its document is the one drawn: until then the pane
   * shows the document opened before, whose marks are not this one's.
   */
  const openRow = async (row: Locator): Promise<void> => {
    const title = (await row.locator('.row-title[title]').getAttribute('title')) ?? '';
    expect(title).not.toBe('');
    await row.locator('.row').click();
    await documentShown(page, title);
  };

  beforeAll(async () => {
    session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), {
      sampleArchiveDir: join(tempDir(), 'sample-archive'),
      sampleSourceDir,
    });
    await session.openSample();
    const service = createService(session);
    // Beside the 15 sample documents: a PDF (hits name their page) and a WebVTT transcript (hits name their time).
    const pdf = await textPdf([
      ['Appeal hearing notes', 'The lawyer asked for a visit.'],
      ['Second page', 'The cassation complaint was filed on 3 June.'],
    ]);
    const report = await importBuffers(session.archive, [
      { name: 'appeal-notes.pdf', bytes: pdf },
      { name: '2025-04-12-call-anna.vtt', bytes: readFileSync(fixture('transcripts/2025-04-12-call-anna.vtt')) },
    ]);
    expect(report.failed).toEqual([]);
    run = await openInChromium({ service, screenshotPrefix: 'search-' });
    page = run.page;
    await page.getByText('Sample archive ·').waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('suggests people, tags and titles as you type; arrow keys and Enter choose one', async () => {
    await searchBox().click();
    await searchBox().pressSequentially('Anna Solov');
    const listbox = page.getByRole('listbox', { name: 'Suggestions' });
    await listbox.getByRole('option', { name: /Anna Solovyova/ }).first().waitFor();
    await expect(listbox.getByRole('option', { name: /Anna Solovyova/ }).first().textContent()).resolves.toContain('Person');
    await expect(searchBox().getAttribute('aria-expanded')).resolves.toBe('true');
    await arrowTo('Anna Solovyova');
    // Read together: a later answer for the same text draws the list anew (the highlighted one kept).
    await expect
      .poll(() =>
        page.evaluate(() => {
          const active = document.querySelector('[role="option"][aria-selected="true"]');
          return active !== null && active.id !== '' && document.querySelector('#search-input')?.getAttribute('aria-activedescendant') === active.id;
        }),
      )
      .toBe(true);
    await shot('01-suggestions-en');
    await searchBox().press('Enter');
    // "Anna" typed before the chosen name goes into the filter too.
    await expect(searchBox().inputValue()).resolves.toBe('person:"Anna Solovyova"');
    // Her name in Latin letters also finds the Russian documents that write it Соловьёва.
    await page.locator('#list-heading', { hasText: /^\d+ results for “person:"Anna Solovyova"”/u }).waitFor();
    await expect(listbox.isHidden()).resolves.toBe(true);

    // A tag.
    await searchBox().fill('');
    await searchBox().pressSequentially('solidar');
    await listbox.getByRole('option', { name: /solidarity-letters/ }).waitFor();
    await expect(listbox.getByRole('option', { name: /solidarity-letters/ }).textContent()).resolves.toContain('Tag');
    await arrowTo('solidarity-letters');
    await searchBox().press('Enter');
    await expect(searchBox().inputValue()).resolves.toBe('tag:solidarity-letters');
    await page.locator('#list-heading', { hasText: '“tag:solidarity-letters”' }).waitFor();

    // Escape closes the list and keeps the text.
    await searchBox().fill('');
    await searchBox().pressSequentially('fam');
    await listbox.getByRole('option').first().waitFor();
    await searchBox().press('Escape');
    await expect(listbox.isHidden()).resolves.toBe(true);
    await expect(searchBox().inputValue()).resolves.toBe('fam');

    // A title opens its document.
    await searchBox().fill('');
    await searchBox().pressSequentially('birthd');
    const title = listbox.getByRole('option', { name: /Call from Miron Solovyov at IK-7 on his daughter's birthday/ });
    await title.waitFor();
    await expect(title.textContent()).resolves.toContain('Document');
    await arrowTo('birthday');
    await searchBox().press('Enter');
    await documentShown(page, "Call from Miron Solovyov at IK-7 on his daughter's birthday");
  });

  it('explains the query language in a help popover that Escape closes and whose examples run', async () => {
    const help = page.getByRole('button', { name: 'How to search' });
    await help.click();
    const dialog = page.getByRole('dialog', { name: 'How to search' });
    await dialog.waitFor();
    await expect(help.getAttribute('aria-expanded')).resolves.toBe('true');
    for (const text of ['words', '"a phrase"', 'a OR b', '-word', 'prefix*', /^word~\s+word~2$/u, 'kind:', 'lang:', 'person:"Name"', 'case:"Case"', 'tag:', 'sensitivity:', 'date:', '-kind:…']) {
      await expect(dialog.getByRole('rowheader', { name: text, exact: true }).count(), String(text)).resolves.toBe(1);
    }
    await expect(dialog.textContent()).resolves.toContain('Kagarlitsky also finds Кагарлицкого and Кагарлицький');
    await shot('02-help-en');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('How to search');
    await expect(help.getAttribute('aria-expanded')).resolves.toBe('false');

    await help.click();
    await dialog.getByRole('button', { name: 'kind:letter,statement' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(searchBox().inputValue()).resolves.toBe('kind:letter,statement');
    await page.locator('#list-heading').getByText(/^\d+ results for “kind:letter,statement”$/u).waitFor();
    const kinds = await rows().locator('.row-meta').allTextContents();
    expect(kinds.every((meta) => meta.startsWith('Letter') || meta.startsWith('Statement'))).toBe(true);
  });

  it('shows each hit with its date, translations and other languages, and refines it by facets', async () => {
    await search('Solovyov');
    const total = Number((await heading().textContent())?.match(/\d+/u)?.[0]);
    expect(total).toBeGreaterThanOrEqual(5);
    // Facets come in a second call, after the hits.
    await facets().getByRole('group', { name: 'Kind' }).waitFor();
    for (const group of ['Kind', 'Language', 'Year', 'People', 'Tags']) await facets().getByRole('group', { name: group }).waitFor();
    const letter = rows().filter({ hasText: 'Letter from Miron Solovyov to his wife' });
    await expect(letter.locator('.row-meta').textContent()).resolves.toContain('2024-08-19');
    await expect(letter.locator('.row-links').textContent()).resolves.toContain('Translation of Письмо Мирона Соловьёва жене из ИК-7');
    await letter.getByRole('button', { name: 'Open the version in Russian' }).waitFor();
    await shot('03-results-facets-en');

    const kindLetter = facets().getByRole('group', { name: 'Kind' }).getByRole('button', { name: /^Letter \d+$/u });
    await expect(kindLetter.getAttribute('aria-pressed')).resolves.toBe('false');
    await kindLetter.click();
    await page.locator('#list-heading', { hasText: '“Solovyov kind:letter”' }).waitFor();
    await expect(searchBox().inputValue()).resolves.toBe('Solovyov kind:letter');
    const metas = await rows().locator('.row-meta').allTextContents();
    expect(metas.length).toBeGreaterThan(0);
    expect(metas.every((meta) => meta.startsWith('Letter'))).toBe(true);
    await facets().getByRole('group', { name: 'Year' }).getByRole('button', { name: /^2024 \d+$/u }).click();
    await page.locator('#list-heading', { hasText: '“Solovyov kind:letter date:2024”' }).waitFor();
    // A pressed facet takes its filter out again.
    await facets().getByRole('button', { name: /^Letter \d+$/u, pressed: true }).click();
    await page.locator('#list-heading', { hasText: '“Solovyov date:2024”' }).waitFor();

    // The other language of a hit opens from the list, highlighted words and all stay in the hit.
    await rows().filter({ hasText: 'Letter from Miron Solovyov to his wife' }).getByRole('button', { name: 'Open the version in Russian' }).click();
    await documentShown(page, 'Письмо Мирона Соловьёва жене');
    await expect(page.locator('article.document').getAttribute('lang')).resolves.toBe('ru');
  });

  it('names the PDF page and the moment of a transcript a hit is on, and highlights the words in the opened document', async () => {
    await search('cassation');
    await expect(rows().first().locator('.row-meta').textContent()).resolves.toContain('p. 2');
    await search('адвокату');
    const call = rows().filter({ hasText: '2025-04-12-call-anna.vtt' });
    await expect(call.locator('.row-meta').textContent()).resolves.toContain('at 0:13');
    await search('cassation OR адвокату');
    await expect(rows().filter({ hasText: 'appeal-notes.pdf' }).locator('.row-meta').textContent()).resolves.toContain('p. 2');
    await expect(call.locator('.row-meta').textContent()).resolves.toContain('at 0:13');
    await shot('04a-page-and-time-en');
    await openRow(call);
    await page.locator('.document-text mark').first().waitFor();
    await expect(page.locator('.document-text mark').first().textContent()).resolves.toBe('адвокату');
    await search('Соловьёвой');
    await openRow(rows().first());
    await page.locator('.document-text mark').first().waitFor();
    await expect(page.locator('.document-text mark').first().textContent()).resolves.toBe('Соловьёвой');
    await shot('04b-document-highlight-en');

    // The backend marks the query in the whole text, in any language version: an English hit's Russian original.
    await search('Soloviev');
    await rows().filter({ hasText: 'Letter from Miron Solovyov to his wife' }).getByRole('button', { name: 'Open the version in Russian' }).click();
    await documentShown(page, 'Письмо Мирона Соловьёва жене');
    await page.locator('.document-text mark').first().waitFor();
    expect(await page.locator('.document-text mark').allTextContents()).toEqual(expect.arrayContaining(['Соловьёву', 'Соловьёва']));

    // Without search.highlight the words seen in the hit's snippet are still marked.
    await page.route('**/api/search.highlight', (route) => route.fulfill({ json: { ok: false, error: { code: 'INTERNAL', message: 'unavailable' } } }));
    try {
      await search('ШИЗО');
      await rows().filter({ has: page.locator('.row-title', { hasText: 'Письмо Мирона Соловьёва тем, кто ему пишет' }) }).locator('.row').click();
      await documentShown(page, 'Письмо Мирона Соловьёва тем, кто ему пишет');
      await expect(page.locator('.document-text mark').first().textContent()).resolves.toBe('ШИЗО');
    } finally {
      await page.unroute('**/api/search.highlight');
    }
  });

  it('sorts by date and fetches further pages as the list scrolls to them', async () => {
    // Four hits a page, so the 13 documents tagged ik-7 take four pages.
    const offsets: number[] = [];
    await page.route('**/api/search.query', async (route) => {
      const body = route.request().postDataJSON() as { limit?: number; offset?: number; facets?: boolean };
      if (!body.facets) offsets.push(body.offset ?? 0);
      await route.continue({ postData: JSON.stringify({ ...body, limit: body.facets ? body.limit : Math.min(body.limit ?? 50, 4) }) });
    });
    const list = page.locator('.result-list');
    const scroller = page.locator('.list-scroll');
    /** The date of every row in the page now, by its place in the whole list, once none is still loading. */
    const datesShown = async (): Promise<Map<number, string>> => {
      await expect.poll(() => list.locator('.placeholder').count()).toBe(0);
      const shown = new Map<number, string>();
      for (const item of await list.locator(':scope > li').all()) {
        shown.set(Number(await item.getAttribute('aria-posinset')), dateIn((await item.locator('.row-meta').textContent()) ?? ''));
      }
      return shown;
    };
    try {
      await search('tag:ik-7');
      await page.locator('#list-heading', { hasText: '13 results for “tag:ik-7”' }).waitFor();
      offsets.length = 0;
      await page.getByLabel('Sort').selectOption('date-asc');
      await expect.poll(async () => dateIn((await rows().first().locator('.row-meta').textContent()) ?? '')).toBe('2024-08-19');
      // Every row has its place in the whole list, fetched or not.
      await expect(list.locator(':scope > li').first().getAttribute('aria-setsize')).resolves.toBe('13');
      const dates = await datesShown();
      await scroller.evaluate((element) => {
        element.scrollTop = element.scrollHeight;
      });
      await list.locator('li[aria-posinset="13"] .row-title').waitFor();
      for (const [place, date] of await datesShown()) dates.set(place, date);
      // The rows beyond the first four came a page at a time, each from where the one before stopped.
      expect([...new Set(offsets)].sort((a, b) => a - b)).toEqual([0, 4, 8, 12]);
      expect([...dates.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
      const ordered = [...dates.entries()].sort((a, b) => a[0] - b[0]).map(([, date]) => date);
      expect(ordered).toEqual([...ordered].sort());
      await page.getByLabel('Sort').selectOption('date-desc');
      await expect.poll(async () => dateIn((await rows().first().locator('.row-meta').textContent()) ?? '')).toBe('2025-06-16');
    } finally {
      await page.unroute('**/api/search.query');
    }
  });

  it('saves a search, runs it again from the sidebar and deletes it', async () => {
    // tag:ik-7, oldest first, from the test before.
    await page.getByLabel('Sort').selectOption('date-asc');
    await expect.poll(async () => dateIn((await rows().first().locator('.row-meta').textContent()) ?? '')).toBe('2024-08-19');
    await page.getByRole('button', { name: 'Save search' }).click();
    const form = page.getByRole('form', { name: 'Save this search' });
    const name = form.getByLabel('Name');
    await expect(name.inputValue()).resolves.toBe('tag:ik-7');
    await name.fill('IK-7, oldest first');
    await form.getByRole('button', { name: 'Save' }).click();
    const saved = page.locator('section.saved-searches');
    const ik7 = saved.getByRole('button', { name: /^IK-7, oldest first tag:ik-7 · Oldest first$/u });
    await ik7.waitFor();

    await search('shizo');
    await page.getByRole('button', { name: 'Save search' }).click();
    await form.getByLabel('Name').fill('ShIZO');
    await form.getByLabel('Name').press('Enter');
    await saved.getByRole('button', { name: /^ShIZO shizo/u }).waitFor();
    await shot('05-saved-searches-en');

    await ik7.click();
    await page.locator('#list-heading', { hasText: '13 results for “tag:ik-7”' }).waitFor();
    await expect(searchBox().inputValue()).resolves.toBe('tag:ik-7');
    await expect(page.getByLabel('Sort').inputValue()).resolves.toBe('date-asc');
    await expect.poll(async () => dateIn((await rows().first().locator('.row-meta').textContent()) ?? '')).toBe('2024-08-19');

    await saved.getByRole('button', { name: 'Delete saved search “IK-7, oldest first”' }).click();
    await ik7.waitFor({ state: 'detached' });
    await expect(saved.getByRole('button', { name: /^ShIZO shizo/u }).count()).resolves.toBe(1);
  });

  it("shows the parser's message under the search box for a malformed query and keeps the results", async () => {
    await search('shizo');
    const before = await rows().count();
    const problem = page.locator('.query-error');
    await searchBox().fill('kind:nonsense');
    await searchBox().press('Enter');
    await expect(problem.getAttribute('role')).resolves.toBe('alert');
    await problem.getByText('kind:nonsense is not a kind of document', { exact: false }).waitFor();
    await expect(searchBox().getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(heading().textContent()).resolves.toContain('“shizo”');
    await expect(rows().count()).resolves.toBe(before);
    await shot('06-malformed-query-en');
    await searchBox().fill('"unclosed');
    await searchBox().press('Enter');
    await problem.getByText('never closed', { exact: false }).waitFor();
    await search('shizo');
    // The results of the same query were already on screen, so wait for the message itself to go.
    await problem.waitFor({ state: 'detached' });
  });

  it('says so while the search index is being rebuilt', async () => {
    const rebuilding = { analyzerVersion: 2, current: false, done: 3, total: 17 };
    await page.route('**/api/search.query', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { ok: boolean; value?: { indexing: unknown } };
      if (body.ok && body.value) body.value.indexing = rebuilding;
      await route.fulfill({ response, json: body });
    });
    await page.route('**/api/search.index.status', (route) => route.fulfill({ json: { ok: true, value: { ...rebuilding, done: 9 } } }));
    try {
      await search('Miron');
      const note = page.locator('.indexing-note');
      await note.getByText('Re-indexing for search: 3 of 17 documents — results may be incomplete').waitFor();
      await note.getByText('Re-indexing for search: 9 of 17 documents — results may be incomplete').waitFor();
      await shot('07-reindexing-en');
      await page.unroute('**/api/search.index.status');
      await page.unroute('**/api/search.query');
      await note.getByText('Re-indexing finished.').waitFor();
      await note.getByRole('button', { name: 'Search again for complete results' }).click();
      await note.waitFor({ state: 'detached' });
    } finally {
      await page.unrouteAll();
    }
  });

  for (const [language, expected] of [
    ['ru', { picker: 'Interface language', query: 'Соловьев', results: /результат(а|ов)? по запросу «Соловьев»/u, refine: 'Уточнить', kind: 'Вид', help: 'Как искать', saved: 'Сохранённые поиски', sort: 'Порядок', save: 'Сохранить поиск', suggestion: 'Человек', dateError: 'date:2024..2023: промежуток кончается раньше, чем начинается.' }],
    ['uk', { picker: 'Язык интерфейса', query: 'Соловйов', results: /результат(и|ів)? за запитом «Соловйов»/u, refine: 'Уточнити', kind: 'Вид', help: 'Як шукати', saved: 'Збережені пошуки', sort: 'Порядок', save: 'Зберегти пошук', suggestion: 'Особа', dateError: 'date:2024..2023: проміжок закінчується раніше, ніж починається.' }],
  ] as const) {
    it(`is all in ${language === 'ru' ? 'Russian' : 'Ukrainian'}: results, facets, saved searches, help, suggestions, errors`, async () => {
      await page.getByLabel(expected.picker).selectOption(language);
      await searchBox().fill(expected.query);
      await searchBox().press('Enter');
      await page.locator('#list-heading').getByText(expected.results).waitFor();
      await facets().getByRole('heading', { name: expected.refine }).waitFor();
      await facets().getByRole('group', { name: expected.kind }).waitFor();
      await page.locator('section.saved-searches').getByRole('heading', { name: expected.saved }).waitFor();
      await page.getByLabel(expected.sort).waitFor();
      await page.getByRole('button', { name: expected.save }).waitFor();
      // No English left around the results (the documents themselves are in any language).
      const text = (await page.locator('aside.sidebar, .pane-heading, .row-links, .more-row').allTextContents()).join(' ');
      for (const english of ['Refine', 'Saved searches', 'Sort', 'Save search', 'Translation of', 'Also in', 'Show more', 'Kind', 'People', 'Tags']) {
        expect(text, english).not.toContain(english);
      }
      await openRow(rows().first());
      await page.locator('.document-text mark').first().waitFor();
      await shot(`${language === 'ru' ? '08' : '11'}-results-facets-${language}`);

      const help = page.getByRole('button', { name: expected.help });
      await help.click();
      const dialog = page.getByRole('dialog', { name: expected.help });
      await dialog.waitFor();
      await shot(`${language === 'ru' ? '09' : '12'}-help-${language}`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      await searchBox().fill('');
      await searchBox().pressSequentially('Анна');
      const option = page.getByRole('listbox').getByRole('option').filter({ hasText: expected.suggestion }).first();
      await option.waitFor();
      await searchBox().press('Escape');

      await searchBox().fill('date:2024..2023');
      await searchBox().press('Enter');
      // The backend's English message, said in the interface language.
      await page.locator('.query-error').getByText(expected.dateError).waitFor();
      await shot(`${language === 'ru' ? '10' : '13'}-malformed-query-${language}`);
    });
  }

  it('fits narrower windows: the sidebar goes above the list', async () => {
    await page.getByLabel('Мова інтерфейсу').selectOption('en');
    try {
      for (const [width, height] of [[960, 720], [720, 800]] as const) {
        await page.setViewportSize({ width, height });
        await search('Solovyov');
        await facets().getByRole('group', { name: 'Kind' }).waitFor();
        const sidebar = await page.locator('aside.sidebar').boundingBox();
        const list = await page.locator('.list-pane').boundingBox();
        expect(sidebar && list && sidebar.y + sidebar.height <= list.y + 1).toBe(true);
        await shot(`14-narrow-${width}-en`);
        await page.getByRole('button', { name: 'How to search' }).click();
        const dialog = await page.getByRole('dialog', { name: 'How to search' }).boundingBox();
        expect(dialog && dialog.x >= 0 && dialog.x + dialog.width <= width).toBe(true);
        await shot(`15-narrow-help-${width}-en`);
        await page.keyboard.press('Escape');
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(run.server.url).origin;
    expect(run.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(run.problems).toEqual([]);
  });
});
