import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';
import { type BrowserRun, documentShown, openInChromium } from './browser.ts';

const LETTER = 'Письмо Мирона Соловьёва матери';
const PERSON = 'Галина Петровна Соловьёва';
const CASE = '1-17/2024';

/**
 * Issue 5 in a real browser: a translator translating a Russian letter into English in the app
 * (with the glossary, saved as they type, there again after a reload, exported as DOCX and TXT),
 * and an archivist recording a person and a case with their timelines, redacting an address and
 * editing several documents at once. Screenshots in English, Russian and Ukrainian.
 */
describe('translators and archivists at work on people, cases and translations (web mode, chromium)', () => {
  let run: BrowserRun;
  let server: RunningServer;
  let session: ArchiveSession;
  let page: Page;
  let downloads: string;

  const shot = (name: string): Promise<void> => run.shot(name);
  const searchBox = (): Locator => page.locator('#search-input');
  const rows = (): Locator => page.locator('.result-list .row-item');
  const featurePage = (): Locator => page.locator('section.feature-page');
  const pageHeading = (): Locator => page.locator('#feature-page-heading');
  const search = async (query: string): Promise<void> => {
    await searchBox().fill(query);
    await searchBox().press('Enter');
    // The list is busy until this search has answered: the heading may be that of the same query asked before.
    await page.locator('.list-pane[aria-busy="false"] #list-heading', { hasText: query }).waitFor();
  };
  const openRow = async (title: string): Promise<void> => {
    await rows().filter({ has: page.locator('.row-title', { hasText: title }) }).first().locator('.row').click();
    await documentShown(page, title);
  };
  const openLetter = async (): Promise<void> => {
    await search('стоматолог');
    await openRow(LETTER);
  };
  const setLanguage = async (code: 'en' | 'ru' | 'uk'): Promise<void> => {
    await page.locator('.language select').selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
  };
  const editor = (): Locator => page.locator('#tr-editor');
  const saveState = (): Locator => page.locator('.tr-save');
  /** Waits for "Saved": everything typed is in the archive. */
  const saved = async (): Promise<void> => {
    await expect.poll(() => saveState().getAttribute('data-state')).toBe('saved');
    await expect(saveState().textContent()).resolves.toBe('Saved');
  };
  const sidebarSection = (heading: string): Locator => page.locator('aside.sidebar section.ft-side').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });

  beforeAll(async () => {
    session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir });
    await session.openSample();
    downloads = tempDir('kartoteka-downloads-');
    // Only this file's own (numbered) screenshots: other issue-5 tests write issue5-<name> ones.
    run = await openInChromium({ service: createService(session), screenshotPrefix: 'issue5-', ownScreenshots: /^issue5-\d\d-/u, downloadsPath: downloads });
    ({ server, page } = run);
    await page.getByText('Sample archive ·').waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('translates a Russian letter into English in the app, paragraph by paragraph, with the glossary beside it', async () => {
    await openLetter();
    const box = page.getByRole('region', { name: 'Translation' });
    await box.getByRole('button', { name: 'Translate into…' }).click();
    const form = page.getByRole('form', { name: 'Start a translation in the app' });
    await expect(form.getByLabel('Into').inputValue()).resolves.toBe('en');
    await form.getByLabel('Translator').fill('Tess Translator');
    await form.getByRole('button', { name: 'Start translating' }).click();

    await pageHeading().getByText(`${LETTER} → English`).waitFor();
    await expect.poll(() => page.getByTestId('translation-progress').textContent()).toMatch(/^0 of 13 paragraphs translated/u);
    // The paragraphs arrive after the heading, which has the focus until then.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('tr-editor');
    await expect(page.getByLabel('Translation of paragraph 1 of 13').count()).resolves.toBe(1);

    // Paragraph 1, then Alt+↓ to paragraph 2: what was typed is saved on the way.
    await editor().pressSequentially('27 November 2024');
    await saved();
    await editor().press('Alt+ArrowDown');
    await page.getByLabel('Translation of paragraph 2 of 13').waitFor();
    await editor().pressSequentially('Dear Mum,');
    // Switching away at once (before the 400 ms pause) loses nothing.
    await editor().press('Control+Enter');
    await page.getByLabel('Translation of paragraph 3 of 13').waitFor();
    await expect.poll(() => page.locator('.tr-row[data-paragraph="1"] .tr-pick').textContent()).toBe('Dear Mum,');

    // The glossary: no entry yet for this paragraph; one is added for "бандероль", and shows at once.
    const glossary = page.getByRole('complementary', { name: 'Glossary · paragraph 3' });
    await glossary.getByText('No glossary term in this paragraph.').waitFor();
    await glossary.getByRole('button', { name: 'Add a glossary entry' }).click();
    const entry = page.getByRole('form', { name: 'New glossary entry' });
    await entry.getByLabel('Term (Russian)').fill('бандероль');
    await entry.getByLabel('Translation (English)').fill('small parcel');
    await entry.getByLabel('Note').fill('a small packet sent by post to a colony');
    await entry.getByRole('button', { name: 'Add entry' }).click();
    const item = glossary.locator('.gl-entry', { hasText: 'бандероль' });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('small parcel');
    await expect.poll(() => page.locator('.tr-row.current mark.gl-mark').first().textContent()).toBe('бандероль');

    await editor().click();
    await editor().pressSequentially('Got your letter of 5 November and the ');
    await item.getByRole('button', { name: 'Insert “small parcel” into the translation' }).click();
    await editor().press('End');
    await editor().pressSequentially(' — thank you.');
    await expect(editor().inputValue()).resolves.toBe('Got your letter of 5 November and the small parcel — thank you.');
    await saved();
    await expect.poll(() => page.getByTestId('translation-progress').textContent()).toMatch(/^3 of 13 paragraphs translated \(23%\)/u);
    await shot('01-translation-editor-glossary-en');
  });

  it('finds the three paragraphs saved after the app is reopened, and exports the translation as DOCX and TXT', async () => {
    await page.reload();
    await page.getByText('Sample archive ·').waitFor();
    await openLetter();
    const box = page.getByRole('region', { name: 'Translation' });
    await box.getByRole('button', { name: `${LETTER} (en)` }).click();
    await documentShown(page, `${LETTER} (en)`);
    const translationBox = page.getByRole('region', { name: 'Translation' });
    await expect(translationBox.textContent()).resolves.toContain('translated by Tess Translator');
    await translationBox.getByRole('button', { name: 'Continue translating' }).click();

    await expect.poll(() => page.getByTestId('translation-progress').textContent()).toMatch(/^3 of 13 paragraphs translated/u);
    // It goes on at the first paragraph not translated yet.
    await page.getByLabel('Translation of paragraph 4 of 13').waitFor();
    const picks = page.locator('.tr-row .tr-pick');
    await expect
      .poll(async () => (await picks.allTextContents()).slice(0, 3))
      .toEqual(['27 November 2024', 'Dear Mum,', 'Got your letter of 5 November and the small parcel — thank you.']);

    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export DOCX' }).click()]);
    expect(docx.suggestedFilename()).toMatch(/\.docx$/u);
    const files = unzipSync(new Uint8Array(readFileSync(await docx.path())));
    const body = strFromU8(files['word/document.xml'] ?? new Uint8Array());
    for (const text of ['27 November 2024', 'Dear Mum,', 'small parcel — thank you.']) expect(body).toContain(text);

    const [txt] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export TXT' }).click()]);
    expect(txt.suggestedFilename()).toMatch(/\.txt$/u);
    const text = readFileSync(await txt.path(), 'utf8').replace(/^\uFEFF/u, '');
    expect(text).toContain('27 November 2024\n\nDear Mum,\n\nGot your letter of 5 November and the small parcel — thank you.');
  });

  it('shows the original and the translation side by side, paragraph by paragraph', async () => {
    await page.getByRole('button', { name: 'Side by side' }).click();
    await pageHeading().getByText(LETTER).waitFor();
    const table = page.locator('table.tr-aligned');
    const second = table.locator('tbody tr').nth(1);
    await expect(second.locator('td').nth(0).textContent()).resolves.toBe('Дорогая мама!');
    await expect(second.locator('td').nth(1).textContent()).resolves.toBe('Dear Mum,');
    await expect(table.locator('tbody tr').nth(5).locator('td').nth(1).textContent()).resolves.toBe('Not translated yet');
    await shot('02-side-by-side-en');
    await page.getByRole('button', { name: 'Continue translating' }).click();
    await page.getByLabel('Translation of paragraph 4 of 13').waitFor();
    await page.getByRole('button', { name: 'Back to documents' }).click();
    await featurePage().waitFor({ state: 'detached' });
  });

  it('records a person with a Latin spelling, links them to a letter and draws their timeline', async () => {
    const people = sidebarSection('People');
    await people.getByRole('button', { name: 'New person' }).click();
    await pageHeading().getByText('New person').waitFor();
    const form = page.getByRole('form', { name: "Person's record" });
    await form.getByLabel('Name').fill(PERSON);
    await form.getByRole('button', { name: 'Add a spelling' }).click();
    await form.getByRole('textbox', { name: 'Spelling 1' }).fill('Galina Solovyova');
    await expect(form.textContent()).resolves.toContain('Search finds every document that writes the name in any of these spellings');
    await form.getByLabel('Relative').check();
    await form.getByLabel('Notes').fill("Miron's mother; lives in Svetloozyorsk.");
    await form.getByRole('button', { name: 'Create person' }).click();
    await pageHeading().getByText(PERSON).waitFor();
    await people.getByRole('button', { name: PERSON }).waitFor();

    // An event, with a date that does not exist first.
    await page.getByRole('button', { name: 'Add an event' }).click();
    const event = page.getByRole('form', { name: 'New event' });
    await event.getByLabel('What').selectOption('other');
    await event.getByLabel('Date').fill('2024-13');
    await event.getByLabel('Place').fill('IK-7');
    await event.getByLabel('Description').fill('Long visit: three days with Anna and Varya');
    await event.getByRole('button', { name: 'Add event' }).click();
    await event.getByText('There is no such month or day.').waitFor();
    await event.getByLabel('Date').fill('2024-10');
    await event.getByRole('button', { name: 'Add event' }).click();
    await event.waitFor({ state: 'detached' });
    await page.locator('.ft-event', { hasText: 'Long visit' }).waitFor();

    // Linked to the letter from the document's People box: found by her Latin spelling.
    await openLetter();
    const box = page.getByRole('region', { name: 'People in this document' });
    await box.getByRole('button', { name: 'Link a person' }).click();
    await box.getByLabel('As').selectOption('recipient');
    await box.getByLabel('Person to link').pressSequentially('Galina');
    await box.getByRole('option', { name: new RegExp(PERSON, 'u') }).waitFor();
    await box.getByLabel('Person to link').press('ArrowDown');
    await box.getByRole('option', { name: new RegExp(PERSON, 'u'), selected: true }).waitFor();
    await box.getByLabel('Person to link').press('Enter');
    await box.locator('.ft-people li', { hasText: PERSON }).locator('.ft-chip.linked', { hasText: 'recipient' }).waitFor();

    // Her name in Latin letters now finds the letter.
    await search('person:"Galina Solovyova"');
    await rows().filter({ hasText: LETTER }).first().waitFor();

    await openLetter();
    await page.getByRole('region', { name: 'People in this document' }).getByRole('button', { name: PERSON, exact: true }).click();
    await pageHeading().getByText(PERSON).waitFor();
    const chart = page.getByRole('group', { name: `Timeline of ${PERSON}` });
    await chart.waitFor();
    // The events and the documents are read apart: each kind of mark comes when it has been.
    await expect.poll(() => chart.locator('.tl-event').count()).toBe(1);
    // The letter, and the English translation made of it (which names her as its recipient too).
    await expect.poll(() => chart.locator('.tl-document').count()).toBe(2);
    await expect.poll(() => chart.locator('.tl-year text').allTextContents()).toEqual(['2024', '2025']);
    await chart.locator('.tl-event').hover();
    await page.locator('.tl-tooltip', { hasText: 'Long visit' }).waitFor();
    await chart.locator('.tl-document').first().hover();
    await page.locator('.tl-tooltip', { hasText: LETTER }).waitFor();
    await shot('03-person-timeline-en');
    // Keyboard: the chart is one Tab stop; the arrows move between marks; Enter opens a document.
    await chart.locator('.tl-event').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-mark')?.startsWith('d'))).toBe(true);
    await page.keyboard.press('Enter');
    await documentShown(page, LETTER);
    await page.getByRole('button', { name: `Back to ${PERSON}` }).click();
    await pageHeading().getByText(PERSON).waitFor();
  });

  it('records a case with a charge and an event', async () => {
    await sidebarSection('Cases').getByRole('button', { name: 'New case' }).click();
    const form = page.getByRole('form', { name: 'Case record' });
    await form.getByLabel('Title').fill(CASE);
    await form.getByLabel('Court').fill('Prioziorny District Military Court');
    await form.getByRole('button', { name: 'Add a charge' }).click();
    await form.getByLabel('Article of charge 1').fill('205.2(2)');
    await form.getByLabel('Code of charge 1').fill('Criminal Code of the RF');
    await form.getByLabel('Description of charge 1').fill('Public justification of terrorism on the internet');
    await form.getByRole('button', { name: 'Create case' }).click();
    await pageHeading().getByText(CASE).waitFor();
    await expect(page.getByRole('form', { name: 'Case record' }).getByLabel('Article of charge 1').inputValue()).resolves.toBe('205.2(2)');

    for (const [kind, date, place, description] of [
      ['arrest', '2023-06-16', 'Prioziorsk', 'Detained at the school after a search of his flat'],
      ['verdict', '2024-01-23', 'Prioziorny District Military Court', 'Five years in a general-regime colony'],
      ['transfer', '2024-08', 'IK-7', 'Transferred to IK-7'],
    ] as const) {
      await page.getByRole('button', { name: 'Add an event' }).click();
      const event = page.getByRole('form', { name: 'New event' });
      await event.getByLabel('What').selectOption(kind);
      await event.getByLabel('Date').fill(date);
      await event.getByLabel('Place').fill(place);
      await event.getByLabel('Description').fill(description);
      await event.getByRole('button', { name: 'Add event' }).click();
      await event.waitFor({ state: 'detached' });
    }
    const chart = page.getByRole('group', { name: `Timeline of the case ${CASE}` });
    await expect.poll(() => chart.locator('.tl-event').count()).toBe(3);
    await expect(chart.locator('.tl-label').allTextContents()).resolves.toEqual(['Arrest', 'Verdict', 'Transfer']);
    // A mark clicked opens its event's form.
    await chart.locator('.tl-event').nth(1).click();
    await expect(page.getByRole('form', { name: 'Change the event' }).getByLabel('Date').inputValue()).resolves.toBe('2024-01-23');
    await page.getByRole('form', { name: 'Change the event' }).getByRole('button', { name: 'Cancel' }).click();
    await sidebarSection('Cases').getByRole('button', { name: new RegExp(CASE, 'u') }).waitFor();
  });

  it('marks an address in a letter as redacted, shows it barred with its reason, and takes it away', async () => {
    await openLetter();
    const address = 'г. Светлоозёрск, ул. Садовая, д. 14, кв. 9';
    await page.evaluate((words) => {
      const body = document.querySelector('.redaction-body');
      const walker = document.createTreeWalker(body ?? document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(words) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        const selection = document.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
        return;
      }
      throw new Error('address not found');
    }, address);
    await page.getByText(`Selected: “${address}”`).waitFor();
    await page.getByRole('button', { name: 'Mark as redacted…' }).click();
    const form = page.getByRole('form', { name: 'Redact the selected words' });
    await form.getByLabel('Reason').fill("the family's home address");
    await expect(form.textContent()).resolves.toContain('blacked out in every bundle');
    await form.getByRole('button', { name: 'Redact' }).click();
    const bar = page.locator('.redaction-body del.redacted');
    await bar.waitFor();
    await expect(bar.textContent()).resolves.toBe(address);
    await expect(bar.getAttribute('title')).resolves.toBe("Redacted: the family's home address");
    // The list of redactions and the barred address, both in view.
    await bar.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await shot('04-redaction-en');
    await page.getByRole('button', { name: 'Remove the redaction of' }).click();
    await bar.waitFor({ state: 'detached' });
    await expect(page.getByRole('button', { name: '1 redaction' }).count()).resolves.toBe(0);
  });

  it('edits the tags and the case of two documents at once, and puts them into a collection', async () => {
    await sidebarSection('Collections').getByRole('button', { name: 'New collection' }).click();
    await sidebarSection('Collections').getByLabel('Name').fill('For the lawyer');
    await sidebarSection('Collections').getByLabel('Name').press('Enter');
    await pageHeading().getByText('For the lawyer').waitFor();

    await search('Solovyov letter');
    const letters = rows().filter({ has: page.locator('.row-title', { hasText: /^Letter from Miron Solovyov/u }) });
    await expect(letters.count()).resolves.toBe(2);
    await letters.nth(0).getByRole('checkbox').check();
    // Ctrl+click ticks a row without opening it.
    await letters.nth(1).locator('.row').click({ modifiers: ['Control'] });
    const panel = page.getByRole('region', { name: '2 documents selected' });
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Edit them together' }).click();
    const form = page.getByRole('form', { name: 'Edit 2 documents' });
    await form.getByLabel('Add tags').fill('for-lawyer');
    await form.getByLabel('Add tags').press('Enter');
    await form.getByLabel('Remove tags').fill('quarantine');
    await form.getByLabel('Remove tags').press('Enter');
    await form.getByLabel('Add to cases').fill(CASE);
    await form.getByLabel('Add to cases').press('Enter');
    await form.getByRole('button', { name: 'Apply to 2 documents' }).click();
    await panel.getByText('2 changed · 0 already so').waitFor();
    await shot('05-bulk-edit-en');
    await panel.getByLabel('Collection:').selectOption({ label: 'For the lawyer' });
    await panel.getByRole('button', { name: 'Add to collection' }).click();
    await panel.getByText('2 documents added to “For the lawyer”.').waitFor();

    await search('tag:for-lawyer');
    await page.locator('#list-heading', { hasText: '2 results for “tag:for-lawyer”' }).waitFor();
    // The Russian letter keeps its tag: only the two ticked documents changed.
    await search('tag:quarantine');
    await page.locator('#list-heading', { hasText: '1 result for “tag:quarantine”' }).waitFor();

    await sidebarSection('Collections').getByRole('button', { name: /For the lawyer/u }).click();
    await page.getByRole('heading', { name: '2 documents' }).waitFor();
    await sidebarSection('Cases').getByRole('button', { name: new RegExp(CASE, 'u') }).click();
    await pageHeading().getByText(CASE).waitFor();
    await page.getByRole('heading', { name: '2 documents' }).waitFor();
    await expect.poll(() => page.getByRole('group', { name: `Timeline of the case ${CASE}` }).locator('.tl-document').count()).toBe(2);
    await shot('06-case-en');
  });

  it('marks an imported document as the translation of another, with its translator and status, and undoes it', async () => {
    const article = '"He taught them to argue"';
    await search('taught argue');
    await openRow(article);
    const box = page.getByRole('region', { name: 'Translation' });
    await box.getByRole('button', { name: 'Mark as a translation of…' }).click();
    const form = page.getByRole('form', { name: 'Translation details' });
    await form.getByLabel('Original').pressSequentially('Освободите');
    await form.getByRole('option', { name: /Освободите Мирона Соловьёва/u }).click();
    await form.getByText('Освободите Мирона Соловьёва — учителя, осуждённого за слова').waitFor();
    await expect(form.getByLabel('Language').inputValue()).resolves.toBe('en');
    await form.getByLabel('Translator').fill('Clara Whitcombe');
    await form.getByLabel('Status').selectOption('reviewed');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('.toast', { hasText: 'Metadata saved.' }).waitFor();
    await box.getByText('Освободите Мирона Соловьёва — учителя, осуждённого за слова').waitFor();
    await expect(box.textContent()).resolves.toContain('translated by Clara Whitcombe');
    await expect(box.getByLabel('Status').inputValue()).resolves.toBe('reviewed');
    await box.getByRole('button', { name: 'Side by side' }).click();
    await page.getByText('Translation into English · Reviewed').waitFor();
    await page.getByRole('button', { name: 'Open the translation' }).click();
    await documentShown(page, article);
    await box.getByRole('button', { name: 'Change…' }).click();
    await page.getByRole('form', { name: 'Translation details' }).getByRole('button', { name: 'Not a translation' }).click();
    await box.getByRole('button', { name: 'Mark as a translation of…' }).waitFor();
  });

  for (const language of ['ru', 'uk'] as const) {
    it(`shows the person, the case and the translation in ${language === 'ru' ? 'Russian' : 'Ukrainian'}`, async () => {
      const words = {
        ru: { timeline: 'Хронология', person: 'Человек', caseKind: 'Дело', events: 'События · 3', progress: /^Переведено 3 из 13 абзацев/u, glossary: 'Глоссарий · абзац 3', side: 'Рядом с оригиналом', notYet: 'Ещё не переведено', people: 'Люди', cases: 'Дела' },
        uk: { timeline: 'Хронологія', person: 'Особа', caseKind: 'Справа', events: 'Події · 3', progress: /^Перекладено 3 з 13 абзаців/u, glossary: 'Глосарій · абзац 3', side: 'Поруч з оригіналом', notYet: 'Ще не перекладено', people: 'Люди', cases: 'Справи' },
      }[language];
      await setLanguage(language);
      await sidebarSection(words.people).getByRole('button', { name: PERSON }).click();
      await page.locator('.ft-page-kind', { hasText: words.person }).waitFor();
      await page.getByRole('heading', { name: words.timeline }).waitFor();
      await shot(`${language === 'ru' ? '07' : '11'}-person-timeline-${language}`);
      const english = (await featurePage().textContent()) ?? '';
      for (const word of ['Timeline', 'Events', 'Documents', 'Other spellings', 'Add an event', 'Delete person']) expect(english, word).not.toContain(word);

      await sidebarSection(words.cases).getByRole('button', { name: new RegExp(CASE, 'u') }).click();
      await page.locator('.ft-page-kind', { hasText: words.caseKind }).waitFor();
      await page.getByRole('heading', { name: words.events }).waitFor();
      await shot(`${language === 'ru' ? '08' : '12'}-case-${language}`);

      await openLetter();
      await page.locator('.tr-box').locator('.tr-list button.link').first().click();
      await page.locator('.tr-box .tr-info').waitFor();
      await page.locator('.tr-box').getByRole('button', { name: language === 'ru' ? 'Продолжить перевод' : 'Продовжити переклад' }).click();
      await expect.poll(() => page.getByTestId('translation-progress').textContent()).toMatch(words.progress);
      await page.locator('.tr-row[data-paragraph="2"] .tr-pick').click();
      await page.getByRole('complementary', { name: words.glossary }).locator('.gl-entry').waitFor();
      await shot(`${language === 'ru' ? '09' : '13'}-translation-editor-glossary-${language}`);
      await page.getByRole('button', { name: words.side }).click();
      await page.locator('table.tr-aligned').getByText(words.notYet).first().waitFor();
      await shot(`${language === 'ru' ? '10' : '14'}-side-by-side-${language}`);
    });
  }

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(server.url).origin;
    expect(run.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:'))).toEqual([]);
    expect(run.problems).toEqual([]);
  });
});
