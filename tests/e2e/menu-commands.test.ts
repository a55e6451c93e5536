import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import type { MenuCommand } from '../../src/shared/contract.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';
import { type BrowserRun, openInChromium } from './browser.ts';

/**
 * The desktop app's menu commands (src/main/app-menu.ts) in the window. Electron cannot start here,
 * so the page gets what src/preload exposes under Electron, window.kartotekaMenu, from a stand-in
 * that hands it commands as main would; the rest is the real renderer on the web mode's server.
 */
describe('commands from the desktop menus reach the window (web mode, chromium, preload stand-in)', () => {
  let run: BrowserRun;
  let session: ArchiveSession;
  let page: Page;
  let root: string;
  let incoming: string;

  const archiveButton = (): Locator => page.locator('.archive-button');
  const panel = (): Locator => page.locator('.archive-panel');
  const send = (command: MenuCommand): Promise<void> =>
    page.evaluate((c) => (window as unknown as { sendMenuCommand: (c: MenuCommand) => void }).sendMenuCommand(c), command);
  const focusedId = (): Promise<string | undefined> => page.evaluate(() => document.activeElement?.id);

  beforeAll(async () => {
    root = tempDir('kartoteka-e2e-menu-');
    const archive = Archive.create(join(root, 'Case files'));
    await importBuffers(archive, [{ name: 'appeal.txt', bytes: new TextEncoder().encode('Appeal\n\nThe defence asks the court to quash the verdict.') }]);
    archive.close();
    incoming = join(root, 'Incoming letters');
    mkdirSync(incoming);
    writeFileSync(join(incoming, 'letter-1.txt'), 'Letter from the colony\n\nThe parcel arrived in March.');
    writeFileSync(join(incoming, 'letter-2.txt'), 'Second letter\n\nThe visit was refused again.');

    session = new ArchiveSession(Archive.open(join(root, 'Case files')), { sampleArchiveDir: join(root, 'sample-archive'), sampleSourceDir });
    run = await openInChromium({ service: createService(session), screenshotPrefix: 'menu-commands-' });
    page = run.page;
    // What src/preload exposes under Electron; sendMenuCommand plays main's webContents.send.
    await run.context.addInitScript(() => {
      const listeners = new Set<(command: unknown) => void>();
      Object.defineProperty(window, 'kartotekaMenu', {
        value: {
          onCommand: (listener: (command: unknown) => void) => {
            listeners.add(listener);
            return () => listeners.delete(listener);
          },
        },
      });
      Object.defineProperty(window, 'sendMenuCommand', { value: (command: unknown) => listeners.forEach((listener) => listener(command)) });
    });
    await page.reload();
    await archiveButton().getByText('Case files · 1 document').waitFor();
  });

  afterAll(async () => {
    await run?.close();
    await session?.close();
  });

  it('File › Open archive… and New archive… open the archive menu on that form, its field focused', async () => {
    await send({ command: 'open-archive' });
    const open = panel().getByRole('form', { name: 'Open an archive' });
    await open.getByLabel("The archive's folder").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-label'))).toBe('Open an archive');
    await run.shot('01-open-archive-en');

    await send({ command: 'new-archive' });
    const create = panel().getByRole('form', { name: 'Make a new archive' });
    await expect(create.getByLabel('Folder for the new archive').inputValue()).resolves.toBe(`${root}/`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-label'))).toBe('Make a new archive');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'detached' });
  });

  it('View › Go to the search box focuses it; Help opens the query help and the shortcuts', async () => {
    await send({ command: 'focus-search' });
    await expect.poll(focusedId).toBe('search-input');

    await send({ command: 'search-help' });
    await page.getByRole('dialog', { name: 'How to search' }).waitFor();
    await run.shot('02-query-help-en');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'How to search' }).waitFor({ state: 'detached' });

    await send({ command: 'shortcuts' });
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.waitFor();
    // A modal dialog is open: like the keys, a menu command does not open another one over it.
    await send({ command: 'export-bundle' });
    await send({ command: 'focus-search' });
    // Two frames: time for React to draw what the commands would have opened.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await expect(page.locator('dialog.export-dialog').count()).resolves.toBe(0);
    await expect(focusedId()).resolves.not.toBe('search-input');
    await shortcuts.getByRole('button', { name: 'Close' }).click();
    await shortcuts.waitFor({ state: 'detached' });
  });

  it('File › Export a bundle… and Import a bundle… open the bundle dialogs', async () => {
    await send({ command: 'export-bundle' });
    const exporting = page.locator('dialog.export-dialog[open]');
    await exporting.waitFor();
    await expect(exporting.locator('h2').first().textContent()).resolves.toMatch(/bundle/iu);
    await page.keyboard.press('Escape');
    await exporting.waitFor({ state: 'detached' });

    await send({ command: 'import-bundle' });
    const importing = page.locator('dialog.import-dialog[open]');
    await importing.waitFor();
    await expect(importing.locator('h2').first().textContent()).resolves.toBe('Import a bundle');
    await page.keyboard.press('Escape');
    await importing.waitFor({ state: 'detached' });
  });

  it('File › Import folder… imports the folder chosen in the native dialog, from disk', async () => {
    await send({ command: 'import', paths: [incoming] });
    await page.locator('#list-heading').getByText('Library · 3 documents').waitFor();
    // The list keeps its place and reads its rows again after the count has changed.
    await expect.poll(() => page.locator('.result-list .row-title').allTextContents()).toEqual(expect.arrayContaining(['Letter from the colony', 'Second letter', 'Appeal']));
    await run.shot('03-imported-en');
  });

  it('speaks Russian and Ukrainian when they are chosen, opened from the menu the same way', async () => {
    for (const [language, form, name] of [
      ['ru', 'Создать новый архив', 'ru'],
      ['uk', 'Створити новий архів', 'uk'],
    ] as const) {
      await page.locator('.language select').selectOption(language);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await send({ command: 'new-archive' });
      await panel().getByRole('form', { name: form }).waitFor();
      await run.shot(`04-new-archive-${name}`);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await panel().waitFor({ state: 'detached' });
    }
    await page.locator('.language select').selectOption('');
  });

  it('logged no error', () => {
    expect(run.problems).toEqual([]);
  });
});
