import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import type { Service } from '../../src/core/api.ts';
import { type RunningServer, startServer } from '../../src/server/server.ts';
import { repoRoot } from '../helpers.ts';

export const rendererDir = join(repoRoot, 'out', 'renderer');
export const screenshotsDir = join(repoRoot, 'test-results', 'screenshots');
export const chromiumPath = process.env['KARTOTEKA_CHROMIUM'] ?? '/usr/bin/chromium';

/** The flags every end-to-end test runs Debian's chromium with: nothing goes over the network. */
const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export interface PageOptions {
  /** Screenshots are saved as <prefix><name>.png; the previous run's ones with this prefix are removed first. */
  screenshotPrefix: string;
  /** Which of the previous run's screenshots are this file's, when the prefix alone cannot tell (files share it). */
  ownScreenshots?: RegExp;
  colorScheme?: 'light' | 'dark';
  /** Where downloads land; without it, downloads are refused. */
  downloadsPath?: string;
  /** Lets the page read and write the clipboard (copy citation). Only for a page served over http. */
  clipboard?: boolean;
  extraArgs?: readonly string[];
}

export interface BrowserOptions extends PageOptions {
  service: Service;
}

/** A fresh chromium profile with one page open, and what that page asked for and complained about. */
export interface PageRun {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for (web sockets too), to check that nothing left the machine. */
  requests: string[];
  /** Page errors and console errors, which a test expects to stay empty. */
  problems: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserRun extends PageRun {
  server: RunningServer;
}

/** Starts chromium on a fresh profile, watches its page, and opens `url` in it (not waited on). */
async function launch(options: PageOptions, url: string, onClose: () => Promise<void>): Promise<PageRun> {
  if (!existsSync(chromiumPath)) throw new Error(`No chromium at ${chromiumPath}: apt-get install chromium (or set KARTOTEKA_CHROMIUM).`);
  mkdirSync(screenshotsDir, { recursive: true });
  const own = (name: string): boolean => (options.ownScreenshots ? options.ownScreenshots.test(name) : name.startsWith(options.screenshotPrefix));
  for (const name of readdirSync(screenshotsDir)) if (own(name)) rmSync(join(screenshotsDir, name), { force: true });

  const profile = mkdtempSync(join(tmpdir(), 'kartoteka-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumFlags, ...(options.extraArgs ?? [])],
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    ...(options.downloadsPath ? { acceptDownloads: true, downloadsPath: options.downloadsPath } : {}),
  });
  const origin = new URL(url).origin;
  if (options.clipboard) {
    if (!origin.startsWith('http')) throw new Error('The clipboard can be granted to a page served over http only.');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  // A web socket is no request: listed too, so that none goes unseen.
  page.on('websocket', (w) => requests.push(w.url()));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return {
    context,
    page,
    requests,
    problems,
    shot: async (name) => {
      await page.screenshot({ path: join(screenshotsDir, `${options.screenshotPrefix}${name}.png`), fullPage: false });
    },
    close: async () => {
      await context.close();
      await onClose();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The local web mode serving `service`, and a fresh chromium profile on its page: what each
 * end-to-end test starts from. The page is opened but not waited on; the test knows what it expects.
 */
export async function openInChromium(options: BrowserOptions): Promise<BrowserRun> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('The renderer is not built: run `npm run build` (npm test does) first.');
  const server = await startServer({ service: options.service, rendererDir });
  try {
    return { server, ...(await launch(options, server.url, () => server.close())) };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/**
 * A page on disk (a bundle's viewer, say) opened from its file:// address in a fresh chromium
 * profile, with no server at all. Opened but not waited on, as with openInChromium.
 */
export async function openFileInChromium(options: PageOptions & { file: string }): Promise<PageRun> {
  return launch(options, pathToFileURL(options.file).href, async () => undefined);
}

/**
 * Waits until the document titled `title` is the one drawn in the detail pane. The title alone may
 * be that of the document left open from before, about to be drawn again (with the search's hits
 * marked, say); the pane is busy until the new opening has arrived.
 */
export async function documentShown(page: Page, title: string | RegExp): Promise<void> {
  await page.locator('.detail-pane[aria-busy="false"] #document-title', { hasText: title }).waitFor();
}
