import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { insertDocument } from '../../src/core/documents.ts';
import { findTessdata } from '../../src/core/ocr.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import type { RunningServer } from '../../src/server/server.ts';
import type { DocumentKind } from '../../src/shared/document.ts';
import { fixture, metadataWith, sampleSourceDir, tempDir } from '../helpers.ts';
import { drawText, textPdf } from '../unit/pdf-fixtures.ts';
import { toneWav } from './audio-fixtures.ts';
import { type BrowserRun, documentShown, openInChromium } from './browser.ts';

describe('archivists, listeners and lawyers at work in the app (web mode, chromium)', () => {
  let run: BrowserRun;
  let server: RunningServer;
  let session: ArchiveSession;
  let page: Page;
  let downloads: string;
  let requests: string[];
  const ocr = findTessdata(process.env);

  const shot = async (name: string): Promise<void> => {
    await run.shot(name);
  };
  const searchBox = (): Locator => page.locator('#search-input');
  const rows = (): Locator => page.locator('.result-list .row-item');
  const search = async (query: string): Promise<void> => {
    await searchBox().fill(query);
    await searchBox().press('Enter');
    // The list is busy until this search has answered: the heading may be that of the same query asked before.
    await page.locator('.list-pane[aria-busy="false"] #list-heading', { hasText: `${query}` }).waitFor();
  };
  const openRow = async (title: string | RegExp): Promise<void> => {
    await rows().filter({ has: page.locator('.row-title', { hasText: title }) }).first().locator('.row').click();
    await documentShown(page, title);
  };
  const setLanguage = async (code: 'en' | 'ru' | 'uk'): Promise<void> => {
    await page.locator('.language select').selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
  };

  beforeAll(async () => {
    session = new ArchiveSession(
      Archive.create(join(tempDir(), 'archive')),
      { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir },
      {},
      { tessdata: ocr },
    );
    downloads = tempDir('kartoteka-downloads-');
    run = await openInChromium({
      service: createService(session),
      screenshotPrefix: 'work-',
      downloadsPath: downloads,
      clipboard: true,
      extraArgs: ['--autoplay-policy=no-user-gesture-required'],
    });
    ({ server, page, requests } = run);
    await page.getByRole('heading', { name: 'This archive is empty' }).waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('an archivist imports a folder and catalogues a letter: a validation error first, then saved, still there after a reload', async () => {
    const folder = tempDir('kartoteka-e2e-archivist-');
    mkdirSync(join(folder, 'calls'));
    mkdirSync(join(folder, 'court'));
    writeFileSync(join(folder, 'letter-to-mother.txt'), 'Письмо маме из ИК-7\n\nДорогая мама, посылку получил. Адвокат Ломтева приходила во вторник.\n');
    writeFileSync(join(folder, 'statement.txt'), 'Statement of the "Free Miron" campaign\n\nWe ask for a fair trial and for visits.\n');
    writeFileSync(
      join(folder, 'court', 'appeal-notes.pdf'),
      await textPdf(
        [
          ['Appeal hearing notes', 'The lawyer asked for a visit.', 'Case 1-17/2024, Olkhovy Log district court.'],
          ['Second page', 'The cassation complaint was filed on 3 June.'],
        ],
        { title: 'Appeal hearing notes', creationDate: new Date('2024-06-03T10:00:00Z') },
      ),
    );
    writeFileSync(join(folder, 'calls', '2025-04-12-call-anna.wav'), toneWav(26));
    writeFileSync(join(folder, 'calls', '2025-04-12-call-anna.vtt'), readFileSync(fixture('transcripts/2025-04-12-call-anna.vtt')));
    if (ocr) writeFileSync(join(folder, 'scan-of-postcard.png'), drawText(['Открытка из колонии', 'Всем спасибо за письма!']).png);

    await page.getByTestId('folder-input').setInputFiles(folder);
    const panel = page.getByRole('status', { name: 'Import' });
    await panel.getByText('Import finished:').waitFor({ timeout: 90_000 });
    const expected = ocr ? 6 : 5;
    await expect(panel.textContent()).resolves.toContain(`${expected} imported`);
    // The sidebar: the library's total, its kinds, and this import among the recent ones.
    const sidebar = page.locator('aside.sidebar');
    await sidebar.getByRole('button', { name: new RegExp(`^Library ${expected}$`, 'u') }).waitFor();
    await sidebar.getByRole('region', { name: 'Kinds' }).getByRole('button', { name: /^Audio message 2$/u }).waitFor();
    await sidebar.getByRole('region', { name: 'Recent imports' }).getByText(`${expected} files added`).waitFor();

    await openRow('Письмо маме из ИК-7');
    await page.getByRole('button', { name: 'Edit metadata' }).click();
    const form = page.getByRole('form', { name: 'Edit metadata' });
    await form.waitFor();
    // Wrong first: a month that does not exist, a language that is no code, no title.
    await form.getByLabel('Date').fill('2024-13');
    await form.getByLabel('Language').fill('Russian language');
    await form.getByLabel('Title').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('There is no such month or day.').waitFor();
    await form.getByText('Not a language code', { exact: false }).waitFor();
    await form.getByText('A document needs a title.').waitFor();
    await expect(form.getByLabel('Date').getAttribute('aria-invalid')).resolves.toBe('true');
    // Save puts the focus on the first field that is wrong.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await form.getByLabel('Date').fill('15.03.2024');
    await form.getByLabel('Date').blur();
    await form.getByText('Write the date as YYYY, YYYY-MM or YYYY-MM-DD', { exact: false }).waitFor();
    await shot('01-editor-error-en');

    // Leaving the document with unsaved changes asks first.
    await openRowExpectingGuard('Statement of the "Free Miron" campaign');
    await page.getByRole('alertdialog', { name: 'Unsaved changes' }).getByRole('button', { name: 'Keep editing' }).click();
    await expect(page.locator('#document-title').textContent()).resolves.toBe('Письмо маме из ИК-7');

    // Then right: a partial date, approximate, a language, people and tags as tokens.
    await form.getByLabel('Title').fill('Letter to his mother from IK-7');
    await form.getByLabel('Date').fill('2024-03');
    await form.getByLabel('approximate').check();
    await form.getByLabel('Language').fill('ru');
    await form.getByText('русский · Russian').waitFor();
    await form.getByLabel('Kind').selectOption('letter');
    await form.getByLabel('Authors', { exact: true }).fill('Miron Solovyov');
    await form.getByLabel('Authors', { exact: true }).press('Enter');
    await form.getByLabel('Recipients', { exact: true }).fill('Vera Solovyova');
    await form.getByLabel('Tags', { exact: true }).fill('family');
    await form.getByLabel('Tags', { exact: true }).press('Enter');
    await form.getByLabel('Tags', { exact: true }).fill('ik-7');
    await form.getByLabel('Cases', { exact: true }).fill('1-17/2024');
    await form.getByLabel('Sensitivity').selectOption('confidential');
    await form.getByLabel('Notes').fill('Postmark unreadable; dated from the content.');
    await expect(form.getByText('There is no such month or day.').count()).resolves.toBe(0);
    await page.keyboard.press('Control+s');
    await page.locator('.toast', { hasText: 'Metadata saved.' }).waitFor();
    await form.waitFor({ state: 'detached' });
    await documentShown(page, 'Letter to his mother from IK-7');

    await page.reload();
    await page.getByRole('heading', { name: /^Library · / }).waitFor();
    await openRow('Letter to his mother from IK-7');
    const metadata = await page.locator('dl.metadata').first().textContent();
    for (const value of ['Letter', '2024-03 (approximate)', 'Miron Solovyov', 'Vera Solovyova', 'family, ik-7', '1-17/2024', 'Confidential', 'Postmark unreadable']) {
      expect(metadata, value).toContain(value);
    }
    // Escape gives up an edit.
    await page.getByRole('button', { name: 'Edit metadata' }).click();
    await form.getByLabel('Title').fill('Something else');
    await form.getByLabel('Title').press('Escape');
    await form.waitFor({ state: 'detached' });
    await expect(page.locator('#document-title').textContent()).resolves.toBe('Letter to his mother from IK-7');
    // People and cases of the whole archive appear in the sidebar once there are some.
    await sidebar.getByRole('region', { name: 'People' }).getByRole('button', { name: /^Miron Solovyov 1$/u }).waitFor();
    await sidebar.getByRole('region', { name: 'Cases' }).getByRole('button', { name: /^1-17\/2024 1$/u }).waitFor();
    await shot('02-catalogued-en');
  });

  /** Clicks a row while the editor holds changes: the unsaved-changes dialog must come up. */
  async function openRowExpectingGuard(title: string): Promise<void> {
    await rows().filter({ has: page.locator('.row-title', { hasText: title }) }).first().locator('.row').click();
    await page.getByRole('alertdialog', { name: 'Unsaved changes' }).waitFor();
  }

  it('a listener searches a word said in a call, and the player starts at that moment with the cue marked', async () => {
    await search('адвокату');
    const hit = rows().filter({ hasText: '2025-04-12-call-anna.vtt' });
    await expect(hit.locator('.row-meta').textContent()).resolves.toContain('at 0:13');
    await hit.locator('.row').click();
    await documentShown(page, 'Звонок из ИК-7');
    const audio = page.locator('.player-bar audio');
    await audio.waitFor();
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 15_000 }).toBeGreaterThanOrEqual(13.2);
    // Paused there (the cue runs to 0:19.8), so that the cue marked is the one of this moment however
    // slowly the checks below run; the mark follows the player's time updates.
    await audio.evaluate((a: HTMLAudioElement) => a.pause());
    const current = page.locator('.cue.current');
    await expect.poll(() => current.count()).toBe(1);
    await expect.poll(() => current.textContent()).toContain('Передай адвокату');
    await expect(current.locator('mark').first().textContent()).resolves.toBe('адвокату');
    await shot('03-player-transcript-en');

    // A cue's moment plays from there, and the marked cue follows the player.
    await page.getByRole('button', { name: 'Play from 0:04' }).click();
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime)).toBeGreaterThanOrEqual(4);
    await expect.poll(() => current.first().textContent()).toContain('Мама, привет!');
    await audio.evaluate((a: HTMLAudioElement) => a.pause());

    // The recording itself shows the same transcript beside its player.
    await page.locator('dl.metadata').getByRole('button', { name: 'call anna' }).click();
    await documentShown(page, 'call anna');
    await page.locator('.cue', { hasText: 'Передай адвокату' }).waitFor();
    await audio.waitFor();

    // The original is served with its type, in ranges, and only to this document.
    const origin = new URL(server.url).origin;
    const src = await audio.getAttribute('src');
    const probe = await page.evaluate(async (url) => {
      const r = await fetch(url, { headers: { range: 'bytes=0-3' } });
      return { status: r.status, type: r.headers.get('content-type'), range: r.headers.get('content-range'), disposition: r.headers.get('content-disposition'), body: await r.text() };
    }, `${origin}/${src ?? ''}`);
    expect(probe).toMatchObject({ status: 206, type: 'audio/wav', body: 'RIFF' });
    expect(probe.range).toMatch(/^bytes 0-3\/\d+$/u);
    expect(probe.disposition).toContain('2025-04-12-call-anna.wav');
  });

  it('a lawyer searches, sees the PDF page of a hit, copies citations and exports every result as CSV', async () => {
    await search('cassation');
    const hit = rows().first();
    await expect(hit.locator('.row-meta').textContent()).resolves.toContain('p. 2');
    await hit.getByRole('button', { name: /^Copy citation/u }).click();
    await page.locator('.toast', { hasText: 'Copied:' }).waitFor();
    const cited = await page.evaluate(() => navigator.clipboard.readText());
    expect(cited).toBe('“Appeal hearing notes”, 2024-06-03, p. 2 [appeal-notes.pdf]');

    // The hit opens at its page of the PDF, drawn by pdf.js.
    await hit.locator('.row').click();
    await documentShown(page, 'Appeal hearing notes');
    await page.getByText('Page 2 of 2').waitFor();
    await page.locator('.pdf-page canvas').waitFor();
    const drawn = await page.locator('.pdf-page canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 100) dark++;
      return dark;
    });
    expect(drawn).toBeGreaterThan(100);
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.getByRole('button', { name: 'Copy citation', exact: true }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('“Appeal hearing notes”, 2024-06-03, p. 2 [appeal-notes.pdf]');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1 of 2').waitFor();
    await shot('04-pdf-preview-en');

    // All results, however many pages, in one CSV file.
    await search('visit OR visits OR адвокат OR cassation');
    const total = Number((await page.locator('#list-heading').textContent())?.match(/\d+/u)?.[0]);
    expect(total).toBeGreaterThanOrEqual(3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export results as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kartoteka-visit-OR-visits-OR-адвокат-OR-cassation-\d{4}-\d{2}-\d{2}\.csv$/u);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8').slice(1);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('Title,Kind,Language,Date,File,Page,Time,Passage,Citation,Document ID');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(total);
    expect(csv).toMatch(/\r\nAppeal hearing notes,Other,en,2024-06-03,appeal-notes\.pdf,1,,"Appeal hearing notes The lawyer asked for a visit\. [^"]*","“Appeal hearing notes”, 2024-06-03, p\. 1 \[appeal-notes\.pdf\]",[0-9a-z]+\r\n/u);
    expect(csv).toContain('\r\n"Statement of the ""Free Miron"" campaign",Other,en,,statement.txt,,,');
    // A field with a comma or a quotation mark is quoted, its quotation marks doubled.
    expect(csv).toMatch(/Звонок из ИК-7, 12 апреля 2025"?,Audio message,ru,2025-04-12,2025-04-12-call-anna\.vtt,,0:13,/u);
    await page.locator('.toast', { hasText: `Exported ${total} results as CSV.` }).waitFor();
  });

  it('keyboard: / and Ctrl+F find the search box, ? lists the shortcuts, arrows and Enter walk and open the list', async () => {
    await page.locator('aside.sidebar').getByRole('button', { name: /^Library \d+$/u }).click();
    await page.getByRole('heading', { name: /^Library · / }).waitFor();
    await page.locator('.result-list .row').first().focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('Import a folder');
    await shot('05-shortcuts-en');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-index'))).toBe('2');
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => Number(document.activeElement?.getAttribute('data-index')))).toBeGreaterThanOrEqual(4);
    await page.keyboard.press('Home');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-index'))).toBe('0');
    const title = await page.locator('.result-list .row[data-index="0"] .row-title').textContent();
    await page.keyboard.press('Enter');
    await documentShown(page, title ?? '');
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    // In a text field "/" and "?" are characters.
    await page.keyboard.type('a/b?');
    await expect(searchBox().inputValue()).resolves.toBe('a/b?');
    await expect(dialog.count()).resolves.toBe(0);
    await searchBox().fill('');
    await searchBox().press('Enter');
  });

  for (const language of ['ru', 'uk'] as const) {
    it(`shows the main screens in ${language === 'ru' ? 'Russian' : 'Ukrainian'}, in light and dark`, async () => {
      await setLanguage(language);
      await page.locator('button.library-item').click();
      const strings = {
        ru: { edit: 'Править описание', noMonth: 'Такого месяца или дня нет.', page: 'Страница 2 из 2', library: /^Библиотека · / },
        uk: { edit: 'Редагувати опис', noMonth: 'Такого місяця або дня немає.', page: 'Сторінка 2 з 2', library: /^Бібліотека · / },
      }[language];
      await page.getByRole('heading', { name: strings.library }).waitFor();
      await search('cassation');
      await openRow('Appeal hearing notes');
      await page.getByText(strings.page).waitFor();
      await page.locator('.pdf-page canvas').waitFor();
      await shot(`06-pdf-preview-${language}`);
      // No English left in the interface around the document (its own text may be in any language).
      const chrome = (await page.locator('aside.sidebar, .pane-heading, .document-header, .preview-tools, dl.metadata').allTextContents()).join(' ');
      for (const english of ['Library', 'Kinds', 'Recent imports', 'Edit metadata', 'Copy citation', 'Preview', 'Page', 'Export', 'Kind', 'Language', 'Sensitivity', 'Original file']) {
        expect(chrome, english).not.toContain(english);
      }
      await page.getByRole('button', { name: strings.edit }).click();
      const form = page.locator('form.metadata-editor');
      await form.locator('input.date-input').fill('2024-02-30');
      await form.locator('input.date-input').blur();
      await form.getByText(strings.noMonth).waitFor();
      await shot(`07-editor-error-${language}`);
      await form.locator('input.date-input').press('Escape');
      await form.waitFor({ state: 'detached' });

      await search('адвокату');
      await rows().filter({ hasText: '2025-04-12-call-anna.vtt' }).locator('.row').click();
      await documentShown(page, 'Звонок из ИК-7');
      await page.locator('.cue.current').waitFor();
      await page.locator('.player-bar audio').evaluate((a: HTMLAudioElement) => a.pause());
      await shot(`08-player-transcript-${language}`);

      await page.emulateMedia({ colorScheme: 'dark' });
      try {
        await shot(`09-dark-player-${language}`);
        await search('cassation');
        await openRow('Appeal hearing notes');
        await page.getByText(strings.page).waitFor();
        await page.getByRole('button', { name: strings.edit }).click();
        await form.locator('input.date-input').fill('2024-02-30');
        await form.locator('input.date-input').blur();
        await form.getByText(strings.noMonth).waitFor();
        await shot(`10-dark-editor-${language}`);
        await form.locator('input.date-input').press('Escape');
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
      }
    });
  }

  it('the dark theme in English: library, preview and editor', async () => {
    await setLanguage('en');
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await search('cassation');
      await openRow('Appeal hearing notes');
      await page.getByText('Page 2 of 2').waitFor();
      await shot('11-dark-search-pdf-en');
      await page.getByRole('button', { name: 'Edit metadata' }).click();
      await page.locator('form.metadata-editor input.date-input').fill('2024-13');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('There is no such month or day.').waitFor();
      await shot('12-dark-editor-error-en');
      await page.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });

  it('a list of 20,000 documents scrolls to its end with only a few dozen rows in the page at any time', async () => {
    const big = Archive.create(join(tempDir(), 'big-archive'));
    const kinds: DocumentKind[] = ['letter', 'court-document', 'statement', 'article', 'testimony'];
    const extras = { textSource: 'text' as const, textHash: null, extraction: { importer: 'e2e' } };
    for (let start = 0; start < 20_000; start += 2000) {
      big.transaction(() => {
        for (let i = start; i < start + 2000; i++) {
          const n = String(i + 1).padStart(5, '0');
          insertDocument(
            big,
            `doc${n}aaaaaaaa`,
            metadataWith({
              kind: kinds[i % kinds.length] ?? 'other',
              title: `Document ${n}`,
              date: `20${String(10 + (i % 15)).padStart(2, '0')}-0${1 + (i % 9)}`,
              authors: [`Author ${i % 50}`],
            }),
            `Document ${n}. A letter about visits number ${i}.`,
            extras,
          );
        }
      });
    }
    session.switchTo(big);
    await page.reload();
    const heading = page.getByRole('heading', { name: 'Library · 20,000 documents' });
    await heading.waitFor();
    const list = page.getByRole('list', { name: 'Documents in the library' });
    const items = list.locator(':scope > li');
    await expect(items.first().getAttribute('aria-setsize')).resolves.toBe('20000');
    expect(await items.count()).toBeLessThan(60);
    await shot('13-library-20000-en');

    // The keyboard goes to the very end: the last row is fetched, focused, and in view.
    await list.locator('.row').first().focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => page.evaluate(() => Number(document.activeElement?.getAttribute('data-index')))).toBeGreaterThan(3);
    await page.keyboard.press('End');
    const last = list.locator('li[aria-posinset="20000"]');
    await expect.poll(() => last.locator('.row-title').textContent()).toMatch(/^Document \d{5}$/u);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset'))).toBe('20000');
    expect(await items.count()).toBeLessThan(60);
    await shot('14-library-20000-end-en');

    // Scrolling by hand through the middle fetches the rows it reaches, and never renders many more.
    const scroller = page.locator('.list-scroll');
    for (const fraction of [0.25, 0.5, 0.75]) {
      await scroller.evaluate((element, f) => {
        element.scrollTop = element.scrollHeight * f;
      }, fraction);
      const middle = Math.round(20_000 * fraction);
      await expect.poll(() => list.locator(`li[aria-posinset="${middle + 2}"] .row-title`).textContent()).toMatch(/^Document \d{5}$/u);
      expect(await items.count()).toBeLessThan(60);
    }
    // Rows are fetched a page at a time: nowhere near one request per row.
    const listCalls = requests.filter((url) => url.endsWith('/api/documents.list')).length;
    expect(listCalls).toBeLessThan(40);
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(server.url).origin;
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(run.problems).toEqual([]);
  });
});
