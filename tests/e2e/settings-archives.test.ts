import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { JsonFileSettingsStore } from '../../src/core/settings.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';
import { type BrowserRun, openInChromium } from './browser.ts';

const letters = (texts: Record<string, string>) => Object.entries(texts).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) }));

/**
 * Settings and archives (issue 5, item 7) in a real browser: the archive menu shows the archive
 * open and the recent ones, opens another by its path, makes a new one, says what is wrong with a
 * path in words, takes a vanished archive off the list; the interface language is kept in the
 * settings file, not in the browser. Screenshots in English, Russian and Ukrainian.
 */
describe('opening, creating and switching archives, and the settings behind them (web mode, chromium)', () => {
  let run: BrowserRun;
  let server: RunningServer;
  let session: ArchiveSession;
  let browser: BrowserContext;
  let page: Page;
  let root: string;
  let settingsFile: string;
  let caseFiles: string;
  let press: string;
  let gone: string;
  let requests: string[] = [];
  let problems: string[] = [];

  const shot = async (name: string): Promise<void> => {
    await run.shot(name);
  };
  const archiveButton = (): Locator => page.locator('.archive-button');
  const panel = (): Locator => page.locator('.archive-panel');
  const openMenu = async (): Promise<void> => {
    if ((await archiveButton().getAttribute('aria-expanded')) !== 'true') await archiveButton().click();
    await panel().waitFor();
  };
  const settingsOnDisk = (): Record<string, unknown> => JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  const libraryHeading = (): Locator => page.locator('#list-heading');

  beforeAll(async () => {

    root = tempDir('kartoteka-e2e-archives-');
    caseFiles = join(root, 'Case files');
    press = join(root, 'Press archive');
    gone = join(root, 'USB stick archive');
    const a = Archive.create(caseFiles);
    await importBuffers(a, letters({ 'appeal.txt': 'Апелляционная жалоба\n\nЗащита просит отменить приговор Соловьёву.' }));
    a.close();
    const b = Archive.create(press);
    await importBuffers(
      b,
      letters({
        'release.txt': 'Press release\n\nThe campaign asks for visits for Miron Solovyov.',
        'interview.txt': 'Interview notes\n\nThe journalist asked about the hunger strike.',
      }),
    );
    b.close();
    // A recent archive on a stick that is not plugged in now.
    settingsFile = join(root, 'config', 'config.json');
    mkdirSync(join(root, 'config'));
    writeFileSync(settingsFile, JSON.stringify({ recentArchives: [press, gone], windowBounds: { width: 1000, height: 700, maximized: false } }));

    session = new ArchiveSession(Archive.open(caseFiles), { sampleArchiveDir: join(tempDir(), 'sample-archive'), sampleSourceDir }, {}, {}, new JsonFileSettingsStore(settingsFile));
    run = await openInChromium({ service: createService(session), screenshotPrefix: 'settings-' });
    ({ server, context: browser, page } = run);
    requests = run.requests;
    problems = run.problems;
    await archiveButton().getByText('Case files · 1 document').waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('shows the archive open, its folder, and the recent archives, one of them gone', async () => {
    await openMenu();
    const dialog = page.getByRole('dialog', { name: 'Archive' });
    await expect(dialog.getByTestId('archive-path').textContent()).resolves.toBe(caseFiles);
    const recent = dialog.getByRole('region', { name: 'Recent archives' });
    await recent.locator('.recent-archive', { hasText: 'Press archive' }).locator('.recent-archive-open').waitFor();
    const stick = recent.locator('.recent-archive', { hasText: 'USB stick archive' });
    await expect(stick.locator('.recent-archive-state').textContent()).resolves.toBe('not found');
    // Focus went into the panel; Escape closes it and gives focus back to the button.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.archive-panel') !== null)).toBe(true);
    await shot('01-archive-menu-en');
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('archive-button'))).toBe(true);
  });

  it('says a recent archive is gone when clicked, and takes it off the list', async () => {
    await openMenu();
    await panel().locator('.recent-archive', { hasText: 'USB stick archive' }).locator('.recent-archive-open').click();
    const alert = panel().getByRole('alert');
    await alert.getByText(`There is no folder ${gone}.`, { exact: false }).waitFor();
    await alert.getByRole('button', { name: 'Remove from list' }).click();
    await panel().locator('.recent-archive', { hasText: 'USB stick archive' }).waitFor({ state: 'detached' });
    expect(settingsOnDisk()['recentArchives']).toEqual([caseFiles, press]);
    // Still the same archive open.
    await archiveButton().getByText('Case files · 1 document').waitFor();
  });

  it('switches to a recent archive: the list, the counts and search are the other archive’s', async () => {
    await openMenu();
    await panel().locator('.recent-archive', { hasText: 'Press archive' }).locator('.recent-archive-open').click();
    await panel().waitFor({ state: 'detached' });
    await archiveButton().getByText('Press archive · 2 documents').waitFor();
    await page.getByRole('status').getByText('Opened the archive “Press archive”.').waitFor();
    await expect(libraryHeading().textContent()).resolves.toBe('Library · 2 documents');
    await page.locator('aside.sidebar').getByRole('button', { name: /^Library 2$/u }).waitFor();
    await page.locator('.result-list .row-title', { hasText: 'Interview notes' }).waitFor();
    await expect(page.locator('.result-list .row-title').allTextContents()).resolves.toEqual(expect.arrayContaining(['Press release', 'Interview notes']));
    await page.locator('#search-input').fill('journalist');
    await page.locator('#search-input').press('Enter');
    await libraryHeading().getByText('1 result for “journalist”').waitFor();
    await page.locator('#search-input').fill('Апелляционная');
    await page.locator('#search-input').press('Enter');
    await page.getByText('Nothing found.', { exact: false }).waitFor();
    expect(settingsOnDisk()).toMatchObject({ archivePath: press, recentArchives: [press, caseFiles] });
  });

  it('makes a new archive in a folder named by its path, and opens an existing one again by its path', async () => {
    await openMenu();
    await panel().getByRole('button', { name: 'New archive…' }).click();
    const form = panel().getByRole('form', { name: 'Make a new archive' });
    const field = form.getByLabel('Folder for the new archive');
    // The folder of the archive open is offered, for the new one's name to be added.
    await expect(field.inputValue()).resolves.toBe(`${root}/`);
    await field.fill(join(root, 'Hearing 2025'));
    await shot('02-new-archive-en');
    await form.getByRole('button', { name: 'Create archive' }).click();
    await archiveButton().getByText('Hearing 2025 · 0 documents').waitFor();
    await page.getByRole('heading', { name: 'This archive is empty' }).waitFor();
    expect(Archive.isArchive(join(root, 'Hearing 2025'))).toBe(true);

    await openMenu();
    await panel().getByRole('button', { name: 'Open archive…' }).click();
    const open = panel().getByRole('form', { name: 'Open an archive' });
    await open.getByLabel("The archive's folder").fill(caseFiles);
    await open.getByLabel("The archive's folder").press('Enter');
    await archiveButton().getByText('Case files · 1 document').waitFor();
    await expect(libraryHeading().textContent()).resolves.toBe('Library · 1 document');
  });

  it('says in words what is wrong with a path, and offers to open an archive that is already there', async () => {
    mkdirSync(join(root, 'Scans'));
    writeFileSync(join(root, 'Scans', 'page-1.txt'), 'not an archive');
    await openMenu();
    await panel().getByRole('button', { name: 'Open archive…' }).click();
    const open = panel().getByRole('form', { name: 'Open an archive' });
    const field = open.getByLabel("The archive's folder");
    await field.fill(join(root, 'Scans'));
    await open.getByRole('button', { name: 'Open', exact: true }).click();
    await open.getByRole('alert').getByText(`${join(root, 'Scans')} is not a Kartoteka archive`, { exact: false }).waitFor();
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('03-not-an-archive-en');
    await field.fill('Press archive');
    await open.getByRole('button', { name: 'Open', exact: true }).click();
    await open.getByRole('alert').getByText("Write the folder's full path, such as /home/anna/Archive.").waitFor();

    await panel().getByRole('button', { name: 'New archive…' }).click();
    const create = panel().getByRole('form', { name: 'Make a new archive' });
    await create.getByLabel('Folder for the new archive').fill(join(root, 'Scans'));
    await create.getByRole('button', { name: 'Create archive' }).click();
    await create.getByRole('alert').getByText('has files in it', { exact: false }).waitFor();
    await create.getByLabel('Folder for the new archive').fill(press);
    await create.getByRole('button', { name: 'Create archive' }).click();
    await create.getByRole('alert').getByText(`There is already an archive in ${press}.`).waitFor();
    await create.getByRole('button', { name: 'Open it' }).click();
    await archiveButton().getByText('Press archive · 2 documents').waitFor();
  });

  it('keeps the interface language in the settings file, in Russian and Ukrainian, and follows the system again on request', async () => {
    const picker = page.locator('.language select');
    await expect(picker.inputValue()).resolves.toBe('');
    await picker.selectOption('ru');
    await expect.poll(() => settingsOnDisk()['uiLanguage']).toBe('ru');
    // The browser's own storage is not what remembers it.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await archiveButton().getByText('Press archive · 2 документа').waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('ru');
    await openMenu();
    await panel().getByRole('button', { name: 'Открыть архив…' }).click();
    const open = panel().getByRole('form', { name: 'Открыть архив' });
    await open.getByLabel('Папка архива').fill(join(root, 'Scans'));
    await open.getByRole('button', { name: 'Открыть', exact: true }).click();
    await open.getByRole('alert').getByText('не архив Картотеки', { exact: false }).waitFor();
    await shot('04-archive-menu-ru');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'detached' });

    await page.getByLabel('Язык интерфейса').selectOption('uk');
    await expect.poll(() => settingsOnDisk()['uiLanguage']).toBe('uk');
    await openMenu();
    await panel().getByRole('button', { name: 'Новий архів…' }).click();
    await panel().getByRole('form', { name: 'Створити новий архів' }).getByLabel('Тека для нового архіву').fill(join(root, 'no', 'such', 'place'));
    await panel().getByRole('button', { name: 'Створити архів' }).click();
    await panel().getByRole('alert').getByText(`Теки ${join(root, 'no', 'such')}`, { exact: false }).waitFor();
    await shot('05-archive-menu-uk');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    await page.getByLabel('Мова інтерфейсу').selectOption('');
    await expect.poll(() => settingsOnDisk()['uiLanguage']).toBeNull();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect(page.locator('.language option[value=""]').textContent()).resolves.toBe('System');
  });

  it('under Electron, fills in the folder chosen with "Choose folder…" (the preload says where files are)', async () => {
    const electronLike = await browser.newPage();
    try {
      // What src/preload exposes under Electron: the path on disk of a picked file.
      await electronLike.addInitScript((base: string) => {
        Object.defineProperty(window, 'kartotekaFiles', { value: { pathOf: (file: File) => `${base}/${file.webkitRelativePath}` } });
      }, root);
      await electronLike.goto(new URL(server.url).origin);
      await electronLike.locator('.archive-button').click();
      await electronLike.getByRole('button', { name: 'Open archive…' }).click();
      const form = electronLike.getByRole('form', { name: 'Open an archive' });
      await form.getByRole('button', { name: 'Choose folder…' }).waitFor();
      await form.locator('input[type=file]').setInputFiles(caseFiles);
      await expect.poll(() => form.getByLabel("The archive's folder").inputValue()).toBe(caseFiles);
    } finally {
      await electronLike.close();
    }
  });

  it('carries a language chosen in an earlier version (kept in the browser then) into the settings, once', async () => {
    const older = await browser.newPage();
    try {
      await older.goto(new URL(server.url).origin);
      await older.locator('.archive-button').waitFor();
      await older.evaluate(() => {
        localStorage.removeItem('kartoteka.uiLanguageSetting');
        localStorage.setItem('kartoteka.uiLanguage', 'uk');
      });
      await older.reload();
      await expect.poll(() => older.evaluate(() => document.documentElement.lang)).toBe('uk');
      expect(settingsOnDisk()['uiLanguage']).toBe('uk');
      await expect(older.evaluate(() => localStorage.getItem('kartoteka.uiLanguage'))).resolves.toBeNull();
    } finally {
      session.updateSettings({ uiLanguage: null });
      await older.close();
    }
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(server.url).origin;
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
