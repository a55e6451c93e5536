import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureViewer } from '../../scripts/build-viewer.ts';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { savePerson } from '../../src/core/people.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { type RunningServer, startServer } from '../../src/server/server.ts';
import { repoRoot, sampleSourceDir, tempDir } from '../helpers.ts';
import { type BrowserRun, documentShown, openInChromium, rendererDir } from './browser.ts';

const PERSON = 'Анна Соловьёва';
const PASSPHRASE = 'correct horse battery staple';
/** The one article of the sample archive: ticked and exported on its own, imported last. */
const ARTICLE = '"He taught them to argue"';
/** Letters added to the sample archive so that exporting all of it takes long enough to cancel. */
const FILLER = 1500;

/**
 * Issue 6 in a real browser: bundles exported through the dialog (a search's results, text only and
 * encrypted; a person's documents; ticked documents), with progress and a report; a cancelled
 * export that leaves no file; and those bundles imported into a second, empty archive through the
 * import dialog: inspection first, then the import, its report and the documents in the list. A
 * wrong passphrase is a clear error. Screenshots in English, Russian and Ukrainian, light and dark.
 */
describe('exporting and importing bundles through the dialogs (web mode, chromium)', () => {
  let source: ArchiveSession;
  let target: ArchiveSession;
  let sourceServer: RunningServer;
  let targetServer: RunningServer;
  let run: BrowserRun;
  let page: Page;
  let home: string;
  let out: string;
  /** The bundles made, by what they hold. */
  const bundles: { search?: string; person?: string; selected?: string } = {};
  let requests: string[] = [];
  let problems: string[] = [];

  const shot = (name: string): Promise<void> => run.shot(name);
  const exportDialog = (): Locator => page.locator('dialog.export-dialog');
  const importDialog = (): Locator => page.locator('dialog.import-dialog');
  const search = async (query: string): Promise<void> => {
    await page.locator('#search-input').fill(query);
    await page.locator('#search-input').press('Enter');
    // The list is busy until this search has answered: the heading may be that of the same query asked before.
    await page.locator('.list-pane[aria-busy="false"] #list-heading', { hasText: query }).waitFor();
  };
  const setLanguage = async (code: 'en' | 'ru' | 'uk'): Promise<void> => {
    await page.locator('.language select').selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
  };
  const openImportDialog = async (): Promise<void> => {
    await page.locator('.bundle-menu > button').click();
    await page.locator('.bundle-menu-panel button').nth(1).click();
    await importDialog().waitFor();
  };
  const sidebarSection = (heading: string): Locator => page.locator('aside.sidebar section.ft-side').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });
  /** No file of that name, and no partly written one beside it. */
  const nothingAt = (dir: string, name: string): boolean => !existsSync(join(dir, name)) && readdirSync(dir).every((n) => !n.includes(name));

  beforeAll(async () => {
    home = tempDir('kartoteka-home-');
    out = tempDir('kartoteka-bundles-');
    const bundlesEnv = { viewerScriptPath: await ensureViewer(), version: '0.0.0-test', home };

    source = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir, bundles: bundlesEnv });
    await source.openSample();
    savePerson(source.archive, null, { name: PERSON, variants: ['Anna Solovyova'], roles: ['relative'] });
    // Many short letters, so that writing the whole archive takes a while.
    for (let start = 0; start < FILLER; start += 250) {
      const files = Array.from({ length: Math.min(250, FILLER - start) }, (_, i) => ({
        name: `filler-${start + i}.txt`,
        bytes: new TextEncoder().encode(`Filler note ${start + i}. ${'The weather at the colony was cold and the post was late again. '.repeat(30)}`),
      }));
      await importBuffers(source.archive, files, { workers: 0 });
    }

    // The second archive: new and empty, served by a second server.
    target = new ArchiveSession(Archive.create(join(tempDir(), 'empty-archive')), { sampleArchiveDir: join(tempDir(), 'unused-sample'), sampleSourceDir, bundles: bundlesEnv });
    targetServer = await startServer({ service: createService(target), rendererDir });

    // The first archive's server is the one the page opens on.
    run = await openInChromium({ service: createService(source), screenshotPrefix: 'bundles-' });
    ({ server: sourceServer, page, requests, problems } = run);
    page.setDefaultTimeout(30_000);
    await page.getByText('Sample archive ·').waitFor();
  }, 240_000);

  // What the page showed when a step failed, to tell why.
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await shot(`failed-${context.task.name.slice(0, 40).replace(/\W+/gu, '-')}`);
  });

  afterAll(async () => {
    await run?.close();
    await targetServer?.close();
    await source?.close();
    await target?.close();
  });

  it('exports the results of a search as a text-only, encrypted bundle: choices, progress, report, an age file', async () => {
    await search('приговор');
    const heading = (await page.locator('#list-heading').textContent()) ?? '';
    const found = Number(/^(\d+) results?/u.exec(heading)?.[1] ?? '0');
    expect(found).toBeGreaterThan(0);
    const opener = page.getByRole('button', { name: found === 1 ? 'Export this document as a bundle…' : `Export these ${found} documents as a bundle…` });
    await opener.click();
    const dialog = exportDialog();
    await dialog.waitFor();
    await expect(dialog.getAttribute('aria-labelledby')).resolves.toBeTruthy();
    await expect(page.getByRole('dialog', { name: 'Export a bundle' }).count()).resolves.toBe(1);
    await dialog.getByText(`The ${found} documents found by “приговор”`).waitFor();
    await dialog.getByTestId('bundle-preview').getByText(/items? go(es)? into the bundle/u).waitFor();
    // Focus went into the dialog.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('dialog')?.classList.contains('export-dialog'))).toBe(true);
    // Confidential stays out unless ticked; ticked, it warns.
    const confidential = dialog.getByLabel('Confidential', { exact: true });
    await expect(confidential.isChecked()).resolves.toBe(false);
    await confidential.check();
    await dialog.getByText('Confidential documents will leave the archive.', { exact: false }).waitFor();
    await confidential.uncheck();
    // The default file: ~/Kartoteka exports/kartoteka-<date>.zip, .zip.age once encrypted.
    const path = dialog.getByLabel('Save as');
    // Offered once the settings have been read (a second call), perhaps after the preview above.
    await expect.poll(() => path.inputValue()).toMatch(/Kartoteka exports[/\\]kartoteka-\d{4}-\d{2}-\d{2}\.zip$/u);
    await expect(path.inputValue()).resolves.toContain(home);
    await shot('export-dialog');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('export-dialog-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await dialog.getByLabel('Text only', { exact: true }).check();
    await dialog.getByTestId('bundle-preview').getByText('Text only: no original files').waitFor();
    await dialog.getByLabel('Encrypt with a passphrase (age)').check();
    await expect(path.inputValue()).resolves.toMatch(/\.zip\.age$/u);
    await dialog.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await dialog.getByLabel('Passphrase again').fill('correct horse battery');
    await dialog.getByLabel('Organization').fill('Letters to Miron');
    const submit = dialog.getByRole('button', { name: /^Export [\d,]+ items?, encrypted$/u });
    await submit.click();
    await dialog.getByText('The two passphrases differ. Type the same one twice.').waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('password');
    await dialog.getByLabel('Passphrase again').fill(PASSPHRASE);
    await dialog.getByText('The passphrases match.').waitFor();
    await dialog.getByText('age --decrypt -o', { exact: false }).first().waitFor();
    const file = await path.inputValue();

    // The answer is held back until the progress has been seen: the export itself runs to its end.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/bundles.export', async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await submit.click();
    const progress = dialog.locator('.bundle-progress');
    await progress.waitFor();
    await expect(progress.locator('progress').count()).resolves.toBe(1);
    await progress.getByText('Exporting the bundle').waitFor();
    await expect(progress.getByRole('button', { name: 'Cancel' }).isEnabled()).resolves.toBe(true);
    // Escape does not close it while it runs.
    await page.keyboard.press('Escape');
    await expect(dialog.isVisible()).resolves.toBe(true);
    await shot('export-progress');
    release();
    const report = dialog.getByTestId('export-report');
    await report.waitFor();
    await page.unroute('**/api/bundles.export');
    await report.getByText('The bundle is written, encrypted.').waitFor();
    await expect(report.getByTestId('export-path').textContent()).resolves.toBe(file);
    await report.getByText('SHA-256').waitFor();
    await expect(report.locator('.bundle-hash').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/u);
    await expect(report.textContent()).resolves.toContain('age, with the passphrase');
    await shot('export-report');
    expect(readFileSync(file).subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1');
    bundles.search = file;
    await report.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Focus is back on what opened the dialog.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Export th/u);
  });

  it('exports a person’s documents, unencrypted, from the person’s page', async () => {
    await sidebarSection('People').getByRole('button', { name: PERSON }).click();
    await page.locator('#feature-page-heading', { hasText: PERSON }).waitFor();
    await page.locator('.ft-page-actions').getByRole('button', { name: 'Export as a bundle…' }).click();
    const dialog = exportDialog();
    await dialog.getByText(`The documents of ${PERSON}`).waitFor();
    // The last export's choices are remembered (text only, no confidential); encryption is asked anew.
    await expect.poll(() => dialog.getByLabel('Text only', { exact: true }).isChecked()).toBe(true);
    await expect(dialog.getByLabel('Encrypt with a passphrase (age)').isChecked()).resolves.toBe(false);
    await dialog.getByLabel('Original files and text').check();
    await dialog.getByTestId('bundle-preview').getByText(/original files?, /u).waitFor();
    const path = join(out, 'anna.zip');
    await dialog.getByLabel('Save as').fill(path);
    await dialog.getByRole('button', { name: /^Export [\d,]+ items?$/u }).click();
    const report = dialog.getByTestId('export-report');
    await report.getByText('The bundle is written.').waitFor();
    await expect(report.textContent()).resolves.toContain('none: anyone with the file can read it');
    expect(readFileSync(path).subarray(0, 2).toString('latin1')).toBe('PK');
    bundles.person = path;
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('exports ticked documents from the list (Ctrl+E opens the dialog for them)', async () => {
    await search('kind:article');
    const article = page.locator('.result-list .row-item').filter({ has: page.locator('.row-title', { hasText: ARTICLE }) });
    await article.locator('.row-check').check();
    await page.getByRole('button', { name: 'Export the selected document…' }).waitFor();
    await page.keyboard.press('Control+e');
    const dialog = exportDialog();
    await dialog.getByText('1 selected document').waitFor();
    await dialog.getByTestId('bundle-preview').getByText('1 item goes into the bundle').waitFor();
    const path = join(out, 'selected.zip');
    await dialog.getByLabel('Save as').fill(path);
    await dialog.getByRole('button', { name: /^Export [\d,]+ items?$/u }).click();
    await dialog.getByTestId('export-report').waitFor();
    bundles.selected = path;
    await dialog.getByTestId('export-report').getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Clear selection' }).click();
  });

  it('cancels an export of the whole archive: the progress stops and no file is left', async () => {
    await page.locator('.bundle-menu > button').click();
    await page.getByRole('button', { name: 'Export the whole archive…' }).click();
    const dialog = exportDialog();
    await dialog.getByText('The whole archive').waitFor();
    await dialog.getByTestId('bundle-preview').getByText(/items go into the bundle/u).waitFor();
    const name = 'everything.zip';
    await dialog.getByLabel('Save as').fill(join(out, name));
    // Counts come in the interface language's number format (1,234 items in English).
    await dialog.getByRole('button', { name: /^Export [\d,]+ items$/u }).click();
    const progress = dialog.locator('.bundle-progress');
    await progress.getByText(/writing [\d,]+ of [\d,]+/u).waitFor();
    await shot('export-progress-writing');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByText('The export was cancelled. No file was written.').waitFor();
    expect(nothingAt(out, name)).toBe(true);
    // The form is back, ready for another try.
    await dialog.getByRole('button', { name: /^Export [\d,]+ items$/u }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('keeps a choice made before the last export\'s settings have arrived', async () => {
    // Settings slow to answer (a busy machine): the person ticks a box meanwhile.
    await page.route('**/api/settings.get', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    try {
      await page.locator('.bundle-menu > button').click();
      await page.getByRole('button', { name: 'Export the whole archive…' }).click();
      const dialog = exportDialog();
      await dialog.getByText('The whole archive').waitFor();
      const confidential = dialog.getByLabel('Confidential', { exact: true });
      await confidential.check();
      // The settings have arrived once the file is offered in the folder they name.
      await expect.poll(() => dialog.getByLabel('Save as').inputValue(), { timeout: 10_000 }).toMatch(/\.zip$/u);
      await expect(confidential.isChecked()).resolves.toBe(true);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    } finally {
      await page.unroute('**/api/settings.get');
    }
  });

  it('shows the export dialog in Russian and Ukrainian', async () => {
    for (const [language, title, what] of [
      ['ru', 'Выгрузить пакет', 'Весь архив'],
      ['uk', 'Вивантажити пакет', 'Весь архів'],
    ] as const) {
      await setLanguage(language);
      await page.locator('.bundle-menu > button').click();
      await page.locator('.bundle-menu-panel button').first().click();
      const dialog = exportDialog();
      await dialog.getByRole('heading', { name: title }).waitFor();
      await dialog.getByText(what, { exact: true }).waitFor();
      await dialog.getByTestId('bundle-preview').waitFor();
      await dialog.getByLabel(language === 'ru' ? 'Конфиденциальный' : 'Конфіденційний', { exact: false }).check();
      await dialog.locator('.bundle-warning').waitFor();
      await shot(`export-dialog-${language}`);
      const text = (await dialog.textContent()) ?? '';
      for (const word of ['Export', 'Content', 'Text only', 'Encryption', 'Save as', 'Organization', 'items']) expect(text, word).not.toContain(word);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }
    await setLanguage('en');
  });

  it('imports the person’s bundle into a second, empty archive: inspection first, then the import and its report', async () => {
    // Both servers are 127.0.0.1: the second's token cookie replaces the first's, so the first page
    // must be gone (no poll of it left running) before the second is opened.
    await page.goto('about:blank');
    await page.goto(targetServer.url);
    await page.locator('.empty-state').waitFor();
    await openImportDialog();
    const dialog = importDialog();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toMatch(/path$/u);
    await dialog.getByLabel('Bundle file').fill(bundles.person ?? '');
    await dialog.getByRole('button', { name: 'Check the bundle' }).click();
    const inspection = dialog.getByTestId('bundle-inspection');
    await inspection.waitFor();
    await inspection.getByText('Nothing has been changed yet. Confirm to import.').waitFor();
    await expect(target.info().documentCount).toBe(0);
    const added = Number((await inspection.locator('.bundle-count[data-action="add"] .bundle-count-n').textContent()) ?? '0');
    expect(added).toBeGreaterThan(0);
    await inspection.getByText('Made on').waitFor();
    await expect(inspection.locator('tbody tr').count()).resolves.toBe(added);
    await shot('import-inspection');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('import-inspection-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await inspection.getByRole('button', { name: `Import ${added} document${added === 1 ? '' : 's'}` }).click();
    const report = dialog.getByTestId('import-report');
    await report.waitFor();
    await report.getByText(`${added} document${added === 1 ? '' : 's'} came into the archive.`).waitFor();
    await shot('import-report');
    expect(target.info().documentCount).toBe(added);
    // The list behind has been read again: the letter is there.
    await page.locator('#list-heading', { hasText: `${added} document` }).waitFor();
    const letter = 'Письмо Мирона Соловьёва жене из ИК-7 (первое после этапа)';
    await expect(page.locator('.result-list .row-title', { hasText: letter }).count()).resolves.toBe(1);
    // A link in the report opens the imported document.
    await report.getByRole('button', { name: letter }).click();
    await dialog.waitFor({ state: 'detached' });
    await documentShown(page, letter);
  });

  it('says so clearly when the passphrase is wrong, and changes nothing', async () => {
    await openImportDialog();
    const dialog = importDialog();
    await dialog.getByLabel('Bundle file').fill(bundles.search ?? '');
    await dialog.getByLabel('Passphrase').fill('wrong horse');
    await dialog.getByRole('button', { name: 'Check the bundle' }).click();
    const alert = dialog.locator('.bundle-failure[data-code="WRONG_PASSPHRASE"]');
    await alert.waitFor();
    await alert.getByText('The passphrase does not open this bundle.').waitFor();
    await alert.getByText('The archive was not changed.').waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('password');
    await shot('import-wrong-passphrase');
    // Not a bundle at all: refused, with what was wrong.
    await dialog.getByLabel('Bundle file').fill(join(repoRoot, 'package.json'));
    await dialog.getByRole('button', { name: 'Check the bundle' }).click();
    await dialog.locator('.bundle-failure[data-code="BUNDLE_INVALID"]').getByText('This bundle was refused.').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  for (const [language, bundle, words] of [
    ['ru', 'search', { check: 'Проверить пакет', file: 'Файл пакета', passphrase: 'Пароль', importing: /^Загрузить \d+ документ/u, done: /В архив добавлен/u }],
    ['uk', 'selected', { check: 'Перевірити пакет', file: 'Файл пакета', passphrase: 'Пароль', importing: /^Завантажити \d+ документ/u, done: /До архіву додано/u }],
  ] as const) {
    it(`imports a bundle with the dialog in ${language === 'ru' ? 'Russian' : 'Ukrainian'}`, async () => {
      await setLanguage(language);
      await openImportDialog();
      const dialog = importDialog();
      await dialog.getByLabel(words.file).fill(bundles[bundle] ?? '');
      if (bundle === 'search') await dialog.getByLabel(words.passphrase, { exact: true }).fill(PASSPHRASE);
      await dialog.getByRole('button', { name: words.check }).click();
      const inspection = dialog.getByTestId('bundle-inspection');
      await inspection.waitFor({ timeout: 30_000 });
      // Something new in each: the verdicts and petitions of the search, the article ticked alone.
      expect(Number(await inspection.locator('.bundle-count[data-action="add"] .bundle-count-n').textContent())).toBeGreaterThan(0);
      await dialog.getByRole('button', { name: words.importing }).click();
      const report = dialog.getByTestId('import-report');
      await report.getByText(words.done).waitFor({ timeout: 30_000 });
      if (bundle === 'selected') await report.getByRole('button', { name: new RegExp(ARTICLE, 'u') }).waitFor();
      await shot(`import-report-${language}`);
      const text = (await report.textContent()) ?? '';
      for (const word of ['Imported', 'came into', 'Made on', 'Contents', 'Close', 'new']) expect(text, word).not.toContain(word);
      await report.locator('.bundle-actions button').click();
      await dialog.waitFor({ state: 'detached' });
    });
  }

  it('made no request outside this machine and logged no error', async () => {
    await setLanguage('en');
    const outside = requests.filter((u) => !u.startsWith(sourceServer.url.replace(/\/\?.*$/u, '')) && !u.startsWith(targetServer.url.replace(/\/\?.*$/u, '')) && !u.startsWith('data:') && u !== 'about:blank');
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });
});
