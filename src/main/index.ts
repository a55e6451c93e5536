import { app, type BaseWindow, BrowserWindow, dialog, Menu, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createService } from '../core/api.ts';
import { Archive } from '../core/archive.ts';
import { findTessdata } from '../core/ocr.ts';
import { findOriginal } from '../core/originals.ts';
import { ArchiveSession } from '../core/session.ts';
import { AppMenus, watchingLanguage } from './app-menu.ts';
import { registerApi, sendMenuCommand } from './ipc.ts';
import { hardenContents, isTrustedFrame, lockDownSession, registerSchemePrivileges, serveRenderer } from './security.ts';
import { createSettings, settingsStore } from './settings.ts';
import { createMainWindow } from './window.ts';

// As bin/kartoteka.js does: a bigger libuv pool so file reads do not queue behind fsyncs.
process.env['UV_THREADPOOL_SIZE'] ??= '16';
app.setName('Kartoteka');
app.enableSandbox();
registerSchemePrivileges();
hardenContents();

const here = fileURLToPath(new URL('.', import.meta.url));
const resources = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources');

async function start(): Promise<void> {
  lockDownSession(session.defaultSession);
  const userData = app.getPath('userData');
  const settings = createSettings(join(userData, 'archive'));
  // The menus speak the UI language: the one chosen, else the system's (as the renderer's navigator.languages, the app's locale first).
  const windowFor = (window: BaseWindow | undefined): BrowserWindow | undefined =>
    (window instanceof BrowserWindow ? window : undefined) ?? BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const menus = new AppMenus({
    Menu,
    platform: process.platform,
    packaged: app.isPackaged,
    systemLanguages: [app.getLocale(), ...app.getPreferredSystemLanguages()],
    send: (command, window) => {
      const target = windowFor(window);
      if (target) sendMenuCommand(target.webContents, command);
    },
    choosePaths: async (options, window) => (await (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options))).filePaths,
    onError: (error) => dialog.showErrorBox('Kartoteka', error instanceof Error ? error.message : String(error)),
  });
  menus.apply(settings.get('uiLanguage'));
  let archive: Archive;
  try {
    archive = Archive.openOrCreate(settings.get('archivePath'));
  } catch (error) {
    dialog.showErrorBox('Kartoteka', `The archive at ${settings.get('archivePath')} cannot be opened: ${(error as Error).message}\nThe default archive is opened instead.`);
    archive = Archive.openOrCreate(join(userData, 'archive'));
  }
  const archiveSession = new ArchiveSession(
    archive,
    {
      sampleArchiveDir: join(userData, 'sample-archive'),
      sampleSourceDir: join(resources, 'sample'),
      // Bundles (issue 6): the viewer electron.vite.config.ts builds beside main.
      bundles: { viewerScriptPath: join(here, '../viewer/viewer.js'), version: app.getVersion(), indexWorkerUrl: new URL('./bundle-index-worker.js', import.meta.url), home: app.getPath('home') },
    },
    {},
    // The import worker is bundled beside main (electron.vite.config.ts).
    { workerUrl: new URL('./extract-worker.js', import.meta.url), tessdata: findTessdata(process.env) },
    // The archive open now, the recent ones, the UI language and export defaults: kept by electron-store.
    // A new UI language (settings.update) rebuilds the menus in it.
    watchingLanguage(settingsStore(settings), (language) => menus.apply(language)),
  );
  const service = createService(archiveSession);
  // The renderer, and the originals its previews show (app://kartoteka/files/<id>/<sha256>).
  serveRenderer(join(here, '../renderer'), (id, sha256) => findOriginal(service, id, sha256));
  registerApi(service, isTrustedFrame);
  app.on('will-quit', () => void archiveSession.close());

  app.on('web-contents-created', (_event, contents) => {
    contents.on('context-menu', (_e, params) => {
      menus.contextMenu(params)?.popup({ window: BrowserWindow.fromWebContents(contents) ?? undefined });
    });
  });
  createMainWindow(join(here, '../preload/index.cjs'), settings, () => menus.language);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(join(here, '../preload/index.cjs'), settings, () => menus.language);
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('Kartoteka could not start', error instanceof Error ? error.message : String(error));
    app.quit();
  });
}
