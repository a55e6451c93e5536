import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createService } from '../core/api.ts';
import { Archive } from '../core/archive.ts';
import { findTessdata } from '../core/ocr.ts';
import { findOriginal } from '../core/originals.ts';
import { ArchiveSession } from '../core/session.ts';
import { registerApi } from './ipc.ts';
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
    settingsStore(settings),
  );
  const service = createService(archiveSession);
  // The renderer, and the originals its previews show (app://kartoteka/files/<id>/<sha256>).
  serveRenderer(join(here, '../renderer'), (id, sha256) => findOriginal(service, id, sha256));
  registerApi(service, isTrustedFrame);
  app.on('will-quit', () => void archiveSession.close());

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
  createMainWindow(join(here, '../preload/index.cjs'), settings);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(join(here, '../preload/index.cjs'), settings);
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
