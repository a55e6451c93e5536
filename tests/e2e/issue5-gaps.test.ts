import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { collectionsOfDocument } from '../../src/core/collections.ts';
import { getDocument } from '../../src/core/documents.ts';
import { importPaths } from '../../src/core/import.ts';
import { listRedactions } from '../../src/core/redactions.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { fixture, sampleSourceDir, tempDir } from '../helpers.ts';
import { toneWav } from './audio-fixtures.ts';
import { type BrowserRun, documentShown, openInChromium } from './browser.ts';

/**
 * Issue 5's last gaps in a real browser: words redacted in a call's transcript (one word, a stretch
 * across two cues, a selection that starts on a cue's time), blacked out, listed, removable, the
 * same on the recording's page; the collections a document is in, shown, added to (a new one too)
 * and left; possible duplicates reviewed; recent imports read from the archive. Screenshots of the
 * transcript in English, Russian and Ukrainian.
 */
describe('redacting a transcript, the collections of a document, duplicates and recent imports (web mode, chromium)', () => {
  let run: BrowserRun;
  let server: RunningServer;
  let session: ArchiveSession;
  let page: Page;
  let transcriptId = '';
  let letterId = '';
  let requests: string[] = [];
  let problems: string[] = [];

  const shot = async (name: string): Promise<void> => {
    await run.shot(name);
  };
  const searchBox = (): Locator => page.locator('#search-input');
  const rows = (): Locator => page.locator('.result-list .row-item');
  const search = async (query: string): Promise<void> => {
    await searchBox().fill(query);
    await searchBox().press('Enter');
    // The list is busy until this search has answered: the heading may be that of the same query asked before.
    await page.locator('.list-pane[aria-busy="false"] #list-heading', { hasText: query }).waitFor();
  };
  const cue = (text: string): Locator => page.locator('.cue', { hasText: text });
  const setLanguage = async (code: 'en' | 'ru' | 'uk'): Promise<void> => {
    await page.locator('.language select').selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
  };
  /** Selects text as a mouse would: from `from` (a string in a cue's words, or a cue's time) to `to`, in the page. */
  const select = async (from: { cue: string; text?: string; time?: true }, to: { cue: string; text: string; after?: true }): Promise<string> =>
    page.evaluate(
      ({ from, to }) => {
        const cueOf = (hint: string): Element => {
          const found = [...document.querySelectorAll('.cue')].find((li) => li.querySelector('.cue-text')?.textContent?.includes(hint));
          if (!found) throw new Error(`no cue with ${hint}`);
          return found;
        };
        const point = (root: Element, text: string, after: boolean): [Node, number] => {
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent?.indexOf(text) ?? -1;
            if (at >= 0) return [node, after ? at + text.length : at];
          }
          throw new Error(`no ${text}`);
        };
        const start = from.time
          ? ([cueOf(from.cue).querySelector('.cue-time')?.firstChild ?? document.body, 0] as [Node, number])
          : point(cueOf(from.cue).querySelector('.cue-text') ?? document.body, from.text ?? '', false);
        const end = point(cueOf(to.cue).querySelector('.cue-text') ?? document.body, to.text, to.after === true);
        const range = document.createRange();
        range.setStart(...start);
        range.setEnd(...end);
        const selection = document.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
        return range.toString();
      },
      { from, to },
    );
  const redact = async (reason: string): Promise<void> => {
    const bar = page.locator('.transcript .redaction-bar');
    await expect.poll(() => bar.getByRole('button', { name: 'Mark as redacted…' }).isEnabled()).toBe(true);
    await bar.getByRole('button', { name: 'Mark as redacted…' }).click();
    const form = page.getByRole('form', { name: 'Redact the selected words' });
    await form.getByLabel('Reason').fill(reason);
    await form.getByRole('button', { name: 'Redact', exact: true }).click();
    await form.waitFor({ state: 'detached' });
  };
  const spans = (): { text: string; reason: string }[] => {
    const { text } = getDocument(session.archive, transcriptId);
    return listRedactions(session.archive, transcriptId).map((r) => ({ text: text.slice(r.start, r.end), reason: r.reason }));
  };

  beforeAll(async () => {

    const folder = tempDir('kartoteka-e2e-transcript-');
    mkdirSync(join(folder, 'calls'));
    writeFileSync(join(folder, 'calls', '2025-04-12-call-anna.wav'), toneWav(26));
    writeFileSync(join(folder, 'calls', '2025-04-12-call-anna.vtt'), readFileSync(fixture('transcripts/2025-04-12-call-anna.vtt')));
    writeFileSync(join(folder, 'letter-to-lawyer.txt'), 'Письмо адвокату Ломтевой\n\nПрошу приехать в колонию до суда 20 мая.\n');
    session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir });
    const report = await importPaths(session.archive, [folder], { workers: 0 });
    transcriptId = report.imported.find((i) => i.file.endsWith('.vtt'))?.id ?? '';
    letterId = report.imported.find((i) => i.file.endsWith('.txt'))?.id ?? '';
    expect(transcriptId).not.toBe('');
    expect(letterId).not.toBe('');

    run = await openInChromium({ service: createService(session), screenshotPrefix: 'issue5-', ownScreenshots: /^issue5-(transcript|collections|duplicates|recent)-/u });
    ({ server, page } = run);
    requests = run.requests;
    problems = run.problems;
    await page.locator('#list-heading', { hasText: 'Library · 3 documents' }).waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('redacts a word picked in a cue: blacked out in place, listed with its reason', async () => {
    await search('адвокату');
    await rows().filter({ hasText: '2025-04-12-call-anna.vtt' }).locator('.row').click();
    await documentShown(page, 'Звонок из ИК-7');
    await page.locator('.player-bar audio').evaluate((a: HTMLAudioElement) => a.pause());
    const bar = page.locator('.transcript .redaction-bar');
    await bar.getByText('Select words in the text to redact them.').waitFor();

    await expect(select({ cue: 'Аня', text: 'Аня' }, { cue: 'Аня', text: 'Аня', after: true })).resolves.toBe('Аня');
    await bar.getByText('Selected: “Аня”').waitFor();
    await redact('the caller’s name');
    await expect(cue('Мама, привет').locator('del.redacted').textContent()).resolves.toBe('Аня');
    await expect(cue('Мама, привет').locator('del.redacted').getAttribute('title')).resolves.toBe('Redacted: the caller’s name');
    expect(spans()).toEqual([{ text: 'Аня', reason: 'the caller’s name' }]);
    await page.getByRole('region', { name: 'Transcript' }).getByText('the caller’s name').waitFor();
    // Opened from a hit, the cue with the hit still has it marked.
    await expect(cue('Передай адвокату').locator('mark').first().textContent()).resolves.toBe('адвокату');
    await cue('Передай адвокату').scrollIntoViewIfNeeded();
    await shot('transcript-redaction-en');
  });

  it('redacts a stretch selected across two cues, and one that starts on a cue’s time, as offsets of the text', async () => {
    // From "Мы получили" in cue 2 over cue 3's time to "суд" in cue 3.
    await select({ cue: 'Анечка', text: 'Мы получили' }, { cue: 'Передай адвокату', text: 'суд', after: true });
    await redact('');
    const across = spans().find((s) => s.text.startsWith('Мы получили'));
    expect(across?.text).toMatch(/^Мы получили твоё письмо & фотографии\.\s+.*Передай адвокату: суд$/su);
    await expect(cue('Анечка').locator('del.redacted').textContent()).resolves.toBe('Мы получили твоё письмо & фотографии.');
    await expect(cue('Передай адвокату').locator('del.redacted').first().textContent()).resolves.toMatch(/Передай адвокату: суд$/u);
    // The cue's time is not text: the selection starts with the cue's first word.
    await select({ cue: 'Хорошо', time: true }, { cue: 'Хорошо', text: 'Хорошо.', after: true });
    await page.locator('.transcript .redaction-bar').getByText('Selected: “', { exact: false }).waitFor();
    await redact('not for the press');
    expect(spans().map((s) => s.text)).toContainEqual(expect.stringMatching(/Хорошо\.$/u));
    await page.locator('.transcript .redaction-bar').getByRole('button', { name: '3 redactions' }).waitFor();

    // As a bundle would show them: the words cannot be read.
    await page.locator('.transcript .redaction-bar').getByLabel('Show as in a bundle').check();
    await expect(page.locator('ol.cues').getAttribute('class')).resolves.toContain('as-bundle');
    await cue('Целую').scrollIntoViewIfNeeded();
    await shot('transcript-redaction-as-bundle-en');
    await page.locator('.transcript .redaction-bar').getByLabel('Show as in a bundle').uncheck();
  });

  it('takes a redaction away, and shows the same redactions beside the recording', async () => {
    const list = page.locator('.transcript .redaction-list');
    const removeLast = list.getByRole('button', { name: /^Remove the redaction of “.*Хорошо\.”$/u });
    await removeLast.click();
    await expect.poll(() => spans().length).toBe(2);
    await expect.poll(() => cue('Целую').locator('del.redacted').count()).toBe(0);

    await page.locator('dl.metadata').getByRole('button', { name: 'call anna' }).click();
    await documentShown(page, 'call anna');
    await expect(cue('Мама, привет').locator('del.redacted').textContent()).resolves.toBe('Аня');
    await page.locator('.transcript .redaction-bar').getByRole('button', { name: '2 redactions' }).waitFor();
  });

  it('is in Russian and Ukrainian too', async () => {
    await search('адвокату');
    await rows().filter({ hasText: '2025-04-12-call-anna.vtt' }).locator('.row').click();
    // The recording's page is still drawn until the call opens: its text is about to be replaced.
    await documentShown(page, 'Звонок из ИК-7');
    await page.locator('.player-bar audio').evaluate((a: HTMLAudioElement) => a.pause());
    for (const [code, mark, count] of [
      ['ru', 'Скрыть выделенное…', '2 скрытых фрагмента'],
      ['uk', 'Приховати виділене…', '2 приховані фрагменти'],
    ] as const) {
      await setLanguage(code);
      const bar = page.locator('.transcript .redaction-bar');
      await bar.getByRole('button', { name: count }).waitFor();
      await select({ cue: 'Целую', text: 'Целую' }, { cue: 'Целую', text: 'Целую', after: true });
      await expect.poll(() => bar.getByRole('button', { name: mark }).isEnabled()).toBe(true);
      await bar.getByRole('button', { name: mark }).click();
      await page.locator('.redaction-form').waitFor();
      await cue('Целую').scrollIntoViewIfNeeded();
      await shot(`transcript-redaction-${code}`);
      await page.locator('.redaction-form input').press('Escape');
      await page.locator('.redaction-form').waitFor({ state: 'detached' });
    }
    await setLanguage('en');
  });

  it('shows the collections a document is in, adds it to a new and to an existing one, and takes it out', async () => {
    await search('Ломтевой');
    await rows().first().locator('.row').click();
    await documentShown(page, 'Письмо адвокату Ломтевой');
    const box = page.locator('section.ft-doc-collections');
    await box.getByText('Not in any collection.').waitFor();

    await box.getByRole('button', { name: 'New collection…' }).click();
    const form = box.getByRole('form', { name: 'A new collection with this document' });
    await form.getByLabel('Name').fill('For the lawyer');
    await form.getByRole('button', { name: 'Create and add' }).click();
    await box.getByRole('list', { name: 'Collections this document is in' }).getByRole('button', { name: 'For the lawyer', exact: true }).waitFor();
    await box.getByRole('status').getByText('Made the collection “For the lawyer” with this document.').waitFor();

    await box.getByRole('button', { name: 'New collection…' }).click();
    await form.getByLabel('Name').fill('For the lawyer');
    await form.getByRole('button', { name: 'Create and add' }).click();
    await box.getByRole('alert').getByText('There is already a collection with this name.').waitFor();
    await form.getByLabel('Name').fill('Press pack');
    await form.getByRole('button', { name: 'Create and add' }).click();
    await box.getByRole('button', { name: 'Press pack', exact: true }).waitFor();
    expect(collectionsOfDocument(session.archive, letterId).map((c) => c.name)).toEqual(['For the lawyer', 'Press pack']);

    // Out of one, then back in through the list of the others.
    await box.getByRole('button', { name: 'Take this document out of “Press pack”' }).click();
    await box.getByRole('button', { name: 'Press pack', exact: true }).waitFor({ state: 'detached' });
    await box.getByLabel('Add to', { exact: true }).selectOption({ label: 'Press pack' });
    await box.getByRole('button', { name: 'Add to collection', exact: true }).click();
    await box.getByRole('button', { name: 'Press pack', exact: true }).waitFor();
    // The sidebar counts follow.
    await page.locator('aside.sidebar').getByText('Press pack').waitFor();
    await shot('collections-of-document-en');

    // A collection's name opens its page, which lists the document.
    await box.getByRole('button', { name: 'For the lawyer', exact: true }).click();
    await page.locator('#feature-page-heading', { hasText: 'For the lawyer' }).waitFor();
    await page.locator('section.feature-page').getByText('Письмо адвокату Ломтевой').waitFor();
  });

  it('lists the imports kept in the archive, an upload among them, and reviews a possible duplicate', async () => {
    // The import done before the browser opened (on the server side) is listed from the archive.
    const recent = page.locator('aside.sidebar').getByRole('region', { name: 'Recent imports' });
    await recent.getByText('3 files added').waitFor();
    // The same letter as Markdown: other bytes, the same text.
    const copy = join(tempDir('kartoteka-e2e-duplicate-'), 'letter-to-lawyer.md');
    writeFileSync(copy, 'Письмо адвокату Ломтевой\n\nПрошу приехать в колонию до суда 20 мая.\n\n');
    await page.getByTestId('file-input').setInputFiles([copy]);
    await page.getByRole('status', { name: 'Import' }).getByText('1 possible duplicate').waitFor();
    // The search shown before (“Ломтевой”) is counted again: the new document is among its results.
    await expect.poll(() => page.locator('#list-heading').textContent()).toBe('2 results for “Ломтевой”');
    await recent.getByText('1 file').waitFor();
    await recent.locator('summary').first().click();
    await recent.getByRole('button', { name: 'letter-to-lawyer.md' }).waitFor();
    await shot('recent-imports-en');

    const entry = page.locator('aside.sidebar').getByRole('button', { name: /^Possible duplicates 1$/u });
    await entry.click();
    await page.locator('#feature-page-heading', { hasText: 'Possible duplicates' }).waitFor();
    const pair = page.locator('.dup-pair');
    await pair.first().waitFor();
    await expect(pair.count()).resolves.toBe(1);
    await expect(pair.locator('.dup-file').allTextContents()).resolves.toEqual(['letter-to-lawyer.md', 'letter-to-lawyer.txt']);
    await shot('duplicates-review-en');
    await pair.getByRole('button', { name: '“Письмо адвокату Ломтевой” and “Письмо адвокату Ломтевой” are different documents' }).click();
    await page.getByText('No possible duplicates left to review.').waitFor();
    await page.locator('section.feature-page').getByRole('status').getByText('as a document of its own', { exact: false }).waitFor();
    await expect(page.locator('#duplicates-list-heading').textContent()).resolves.toBe('0 pairs to review');
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(server.url).origin;
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
