import { spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureViewer } from '../../scripts/build-viewer.ts';
import { createService, dispatch, type Service } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { inspectBundle } from '../../src/core/bundles/import.ts';
import { importBuffers, importPaths } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';
import { lawyersFolder } from '../unit/pdf-fixtures.ts';
import { type BrowserRun, openInChromium } from './browser.ts';

const letters = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ name: `letter-${i}.txt`, bytes: new TextEncoder().encode(`Письмо ${i}\n\nПрошу передать адвокату копию приговора, лист ${i}.`) }));

/**
 * Two things a person notices in a real browser: the archive menu refuses to open another archive
 * while a bundle is exported from the one open, says why in their language and offers to cancel;
 * and a past import's failed files, kept in the archive, are listed with their code and why.
 *
 * The export is held at a known point: the session reads the bundle viewer's script from a named
 * pipe, so the export runs (and the archive is busy) until the test writes the script into it.
 */
describe('a bundle export holding the archive open, and the failures of past imports (web mode, chromium)', () => {
  let run: BrowserRun;
  let page: Page;
  let session: ArchiveSession;
  let service: Service;
  let root: string;
  let campaign: string;
  let other: string;
  let pipe: string;
  let viewerScript: string;
  let problems: string[] = [];
  let requests: string[] = [];

  const archiveButton = (): Locator => page.locator('.archive-button');
  const panel = (): Locator => page.locator('.archive-panel');
  const busyNote = (): Locator => panel().locator('.archive-busy');
  const openMenu = async (): Promise<void> => {
    if ((await archiveButton().getAttribute('aria-expanded')) !== 'true') await archiveButton().click();
    await panel().waitFor();
  };
  /** Escape leaves the path form first, then closes the panel. */
  const closeMenu = async (): Promise<void> => {
    if ((await panel().locator('.archive-form').count()) > 0) await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'detached' });
  };
  const setLanguage = async (code: 'en' | 'ru' | 'uk'): Promise<void> => {
    await page.locator('.language select').selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(code);
  };
  /** Lets the export held at the pipe go on: it reads the viewer's script and writes the bundle. */
  const release = async (): Promise<void> => {
    await writeFile(pipe, viewerScript);
  };
  /** Opens a run's entry in Recent imports, as a click on it does (the language picker draws the sidebar anew, closed). */
  const expand = async (batch: Locator): Promise<void> => {
    if (!(await batch.evaluate((details) => (details as HTMLDetailsElement).open))) await batch.locator('summary').click();
  };
  const startExport = (path: string) => dispatch(service, 'bundles.export', { selection: { type: 'all' }, path });

  beforeAll(async () => {
    root = tempDir('kartoteka-e2e-busy-');
    campaign = join(root, 'Campaign');
    other = join(root, 'Press archive');
    const archive = Archive.create(campaign);
    await importBuffers(archive, letters(40), { workers: 0 });
    const folder = await lawyersFolder(root);
    const report = await importPaths(archive, [folder], { workers: 0 });
    expect(report.failed.map((f) => f.code)).toEqual(['CORRUPT_FILE', 'EMPTY_FILE']);
    archive.close();
    const press = Archive.create(other);
    await importBuffers(press, letters(2), { workers: 0 });
    press.close();

    viewerScript = readFileSync(await ensureViewer(), 'utf8');
    pipe = join(root, 'viewer.fifo');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    // Reopened as the app would after a restart: what is listed below comes from the archive.
    session = new ArchiveSession(Archive.open(campaign), { sampleArchiveDir: join(root, 'sample'), sampleSourceDir, bundles: { viewerScriptPath: pipe, version: '0.0.0-test' } });
    service = createService(session);
    run = await openInChromium({ service, screenshotPrefix: 'busy-' });
    ({ page, problems, requests } = run);
    await archiveButton().getByText('Campaign · 41 documents').waitFor();
  }, 120_000);

  afterAll(async () => {
    // An export still held at the pipe (a failed test) is let go, so nothing waits on it.
    if (pipe && existsSync(pipe)) {
      try {
        const fd = openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK);
        writeSync(fd, viewerScript);
        closeSync(fd);
      } catch {
        // Nobody reads the pipe: nothing is held.
      }
    }
    await run?.close();
    await session?.close();
  });

  it('lists the failed files of a past import with their code and why, in English, Russian and Ukrainian', async () => {
    await page.locator('aside.sidebar').getByRole('region', { name: 'Recent imports' }).waitFor();
    // Found by its class from here on: its name follows the interface language.
    const recent = page.locator('aside.sidebar .recent-imports');
    const batch = recent.locator('.recent-batch').first();
    await batch.locator('summary').getByText('2 failed').waitFor();
    await expand(batch);
    await batch.getByRole('heading', { name: 'Files that failed' }).waitFor();
    const failures = batch.locator('.recent-failure');
    await expect(failures.count()).resolves.toBe(2);
    await expect(failures.locator('.recent-failure-file').allTextContents()).resolves.toEqual(['appeal.pdf', 'empty.txt']);
    await expect(failures.locator('.recent-failure-code').allTextContents()).resolves.toEqual(['CORRUPT_FILE', 'EMPTY_FILE']);
    // In English, the importer's own words about this file.
    await expect(failures.first().locator('.recent-failure-why').textContent()).resolves.toMatch(/damaged/u);
    await expect(failures.first().locator('.recent-failure-file').getAttribute('title')).resolves.toBe(join(root, 'from the lawyer', 'appeal.pdf'));
    await batch.scrollIntoViewIfNeeded();
    await run.shot('recent-failures-en');

    await setLanguage('ru');
    await expand(batch);
    await batch.getByRole('heading', { name: 'Файлы с ошибками' }).waitFor();
    await expect(failures.locator('.recent-failure-why').allTextContents()).resolves.toEqual([
      'Файл повреждён или на самом деле другого типа, чем указывает его расширение.',
      'Файл пуст или в нём нет текста.',
    ]);
    await batch.scrollIntoViewIfNeeded();
    await run.shot('recent-failures-ru');

    await setLanguage('uk');
    await expand(batch);
    await batch.getByRole('heading', { name: 'Файли з помилками' }).waitFor();
    await expect(failures.locator('.recent-failure-why').first().textContent()).resolves.toBe('Файл пошкоджений або насправді іншого типу, ніж вказує його розширення.');
    await batch.scrollIntoViewIfNeeded();
    await run.shot('recent-failures-uk');
    await setLanguage('en');
  });

  it('refuses to open another archive while an export runs, says why, and cancels it from the menu', async () => {
    // The menu is open and the path written before the export starts: the server refuses the switch.
    await openMenu();
    await panel().getByRole('button', { name: 'Open archive…' }).click();
    await panel().getByLabel("The archive's folder").fill(other);
    const cancelled = startExport(join(root, 'cancelled.zip'));
    await panel().getByRole('button', { name: 'Open', exact: true }).click();
    await busyNote().getByText('A bundle is being exported from this archive. Wait until it is done, or cancel it, before opening another archive.').waitFor();
    await expect(panel().getByRole('button', { name: 'Open archive…' }).isDisabled()).resolves.toBe(true);
    await expect(panel().getByRole('button', { name: 'New archive…' }).isDisabled()).resolves.toBe(true);
    await expect(panel().getByRole('button', { name: 'Open', exact: true }).isDisabled()).resolves.toBe(true);
    await archiveButton().getByText('Campaign · 41 documents').waitFor();
    await run.shot('menu-en');

    // Opened again, in Russian and Ukrainian: the panel asks the server and says so at once.
    await closeMenu();
    await setLanguage('ru');
    await openMenu();
    await busyNote().getByText('Из этого архива выгружается пакет.', { exact: false }).waitFor();
    await expect(panel().getByRole('button', { name: 'Открыть архив…' }).isDisabled()).resolves.toBe(true);
    await run.shot('menu-ru');
    await closeMenu();
    await setLanguage('uk');
    await openMenu();
    await busyNote().getByText('З цього архіву вивантажується пакет.', { exact: false }).waitFor();
    await expect(busyNote().getByRole('button', { name: 'Скасувати вивантаження' }).isVisible()).resolves.toBe(true);
    await run.shot('menu-uk');
    await closeMenu();
    await setLanguage('en');

    await openMenu();
    await busyNote().getByRole('button', { name: 'Cancel the export' }).click();
    await busyNote().getByRole('button', { name: 'Cancelling…' }).waitFor();
    await release();
    expect(await cancelled).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    // The panel follows the job: once it has ended, the archive can be switched again.
    await busyNote().waitFor({ state: 'detached' });
    await expect(panel().getByRole('button', { name: 'Open archive…' }).isEnabled()).resolves.toBe(true);
    expect(readdirSync(root).filter((name) => name.includes('cancelled'))).toEqual([]);
    await closeMenu();
  });

  it('lets the export finish whole, then opens the other archive', async () => {
    const path = join(root, 'everything.zip');
    const exporting = startExport(path);
    await openMenu();
    await busyNote().waitFor();
    await expect(panel().getByRole('button', { name: 'Open archive…' }).isDisabled()).resolves.toBe(true);
    await release();
    const report = await exporting;
    expect(report).toMatchObject({ ok: true, value: { path, items: 41 } });
    const reader = Archive.create(join(root, 'reader'));
    expect((await inspectBundle(reader, path)).counts).toMatchObject({ add: 41, conflict: 0 });
    reader.close();

    await busyNote().waitFor({ state: 'detached' });
    await panel().getByRole('button', { name: 'Open archive…' }).click();
    await panel().getByLabel("The archive's folder").fill(other);
    await panel().getByRole('button', { name: 'Open', exact: true }).click();
    await archiveButton().getByText('Press archive · 2 documents').waitFor();
    expect(session.archive.root).toBe(other);
  });

  it('made no request outside the local server and logged no error', () => {
    const origin = new URL(run.server.url).origin;
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
