import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Store from 'electron-store';
import { describe, expect, it, vi } from 'vitest';
import { resolveArchiveDir, settingsFile } from '../../src/cli/archive-location.ts';
import { Archive } from '../../src/core/archive.ts';
import {
  JsonFileSettingsStore,
  type SettingsStore,
  forgetArchive,
  readUserSettings,
  recentArchives,
  rememberArchive,
  updateUserSettings,
} from '../../src/core/settings.ts';
import { resolveUiLanguage } from '../../src/main/app-menu.ts';
import type { Settings } from '../../src/main/settings.ts';
import { DEFAULT_BOUNDS, type Rect } from '../../src/main/window-state.ts';
import { type ExportDefaults, defaultExportDefaults } from '../../src/shared/settings.ts';
import { tempDir } from '../helpers.ts';

// The REAL electron-store (and conf under it) runs here; only Electron itself, whose binary is not
// installed, is stood in for. vitest.config.ts inlines electron-store so that its own
// `import electron from 'electron'` meets this mock. What electron-store takes from Electron, in
// the main process: app.getPath('userData') (the folder of config.json), app.getVersion() (the
// project version it records for migrations) and ipcMain.on (it answers renderers that ask for
// those two; nothing asks here). Its `shell` is only for openInEditor, which the app never calls,
// so it is left out. The window's module takes BrowserWindow and screen.
const electron = vi.hoisted(() => {
  type Listener = () => void;
  interface Bounds {
    x: number;
    y: number;
    width: number;
    height: number;
  }
  /** A window that remembers what it was opened with, and can be moved, maximized and closed by a test. */
  class StandInWindow {
    readonly options: Record<string, unknown>;
    readonly listeners = new Map<string, Listener[]>();
    normalBounds: Bounds;
    maximized = false;
    maximizeCalls = 0;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      this.normalBounds = { x: options['x'] as number, y: options['y'] as number, width: options['width'] as number, height: options['height'] as number };
      state.windows.push(this);
    }
    on(name: string, listener: Listener): this {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener): this {
      return this.on(name, listener);
    }
    /** What Electron does when the user does it: the window's place changes, then the event. */
    emit(name: string): void {
      for (const listener of this.listeners.get(name) ?? []) listener();
    }
    maximize(): void {
      this.maximized = true;
      this.maximizeCalls += 1;
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    /** The place the window has when not maximized, which is what the app keeps. */
    getNormalBounds(): Bounds {
      return { ...this.normalBounds };
    }
    getBounds(): Bounds {
      return this.maximized ? { x: 0, y: 0, width: 1920, height: 1080 } : this.getNormalBounds();
    }
    isDestroyed(): boolean {
      return false;
    }
    loadURL(): Promise<void> {
      return Promise.resolve();
    }
  }
  const state = {
    userData: '',
    /** The work areas of the displays attached now, the primary first. */
    displays: [] as Bounds[],
    windows: [] as StandInWindow[],
    StandInWindow,
  };
  return state;
});

vi.mock('electron', () => {
  const app = {
    getPath: (name: string): string => {
      if (name !== 'userData') throw new Error(`unexpected app.getPath(${name})`);
      return electron.userData;
    },
    getVersion: (): string => '0.1.0',
  };
  const ipcMain = { on: vi.fn() };
  const screen = { getAllDisplays: () => electron.displays.map((workArea) => ({ workArea })) };
  const module = { app, ipcMain, screen, BrowserWindow: electron.StandInWindow, dialog: {} };
  // electron-store imports Electron's default export; the app's own files import names.
  return { default: module, ...module };
});

type StandInWindow = InstanceType<typeof electron.StandInWindow>;

const PRIMARY: Rect = { x: 0, y: 0, width: 1920, height: 1080 };
const SECOND: Rect = { x: 1920, y: 0, width: 1280, height: 1024 };

/** A machine on which the desktop app never ran: an empty userData folder. */
function freshMachine(): string {
  electron.userData = tempDir('kartoteka-userdata-');
  electron.displays = [PRIMARY];
  return electron.userData;
}

interface Run {
  settings: Store<Settings>;
  /** The core's view of the same store, as main/index.ts hands it to the session. */
  store: SettingsStore;
  openWindow: () => StandInWindow;
}

/**
 * Starts the desktop app's settings the way main/index.ts does: a new process each time (the
 * modules are loaded afresh, so nothing is carried over in memory), the store on the same folder.
 */
async function startApp(): Promise<Run> {
  vi.resetModules();
  const { createSettings, settingsStore } = await import('../../src/main/settings.ts');
  const { createMainWindow } = await import('../../src/main/window.ts');
  const settings = createSettings(join(electron.userData, 'archive'));
  return {
    settings,
    store: settingsStore(settings),
    openWindow: () => {
      createMainWindow('/app/out/preload/index.cjs', settings);
      const window = electron.windows.at(-1);
      if (!window) throw new Error('no window was opened');
      return window;
    },
  };
}

const configOnDisk = (userData: string): Record<string, unknown> => JSON.parse(readFileSync(join(userData, 'config.json'), 'utf8')) as Record<string, unknown>;

const newArchive = (dir: string): string => {
  Archive.openOrCreate(dir).close();
  return dir;
};

const openedWith = (window: StandInWindow): Rect => ({
  x: window.options['x'] as number,
  y: window.options['y'] as number,
  width: window.options['width'] as number,
  height: window.options['height'] as number,
});

describe('desktop settings in the real electron-store', () => {
  it('keeps the interface language, export defaults, archive open and recent archives in <userData>/config.json across a restart', async () => {
    const userData = freshMachine();
    const first = await startApp();
    expect(first.settings.path).toBe(join(userData, 'config.json'));

    const home = newArchive(join(userData, 'archive'));
    const places = tempDir('kartoteka-archives-');
    const caseA = newArchive(join(places, 'Case A'));
    const caseB = newArchive(join(places, 'Case B'));
    const exportsFolder = join(places, 'exports');
    const chosen: ExportDefaults = { originals: false, translations: true, sensitivities: ['public'], strip: ['notes', 'source'], folder: exportsFolder };

    rememberArchive(first.store, home); // what the session does at start
    updateUserSettings(first.store, { uiLanguage: 'ru' }, home);
    updateUserSettings(first.store, { exportDefaults: { originals: false, sensitivities: ['public'], strip: ['notes', 'source'], folder: exportsFolder } }, home);
    rememberArchive(first.store, caseA);
    rememberArchive(first.store, caseB);
    forgetArchive(first.store, caseA);
    const before = readUserSettings(first.store, caseB);
    expect(before).toEqual({ uiLanguage: 'ru', exportDefaults: chosen, archivePath: caseB, recentArchives: [caseB, home] });

    // Restart: a new store on the same folder reads it all back.
    const second = await startApp();
    expect(second.settings).not.toBe(first.settings);
    expect(second.settings.path).toBe(join(userData, 'config.json'));
    expect(readUserSettings(second.store, caseB)).toEqual(before);
    // The archive open last is the one the app opens at start, and the recent list still finds both.
    expect(second.settings.get('archivePath')).toBe(caseB);
    expect(recentArchives(second.store, caseB).map(({ path, state, current }) => ({ path, state, current }))).toEqual([
      { path: caseB, state: 'ok', current: true },
      { path: home, state: 'ok', current: false },
    ]);

    // What is on disk: plain JSON in config.json, the forgotten archive gone from it.
    const onDisk = configOnDisk(userData);
    expect(onDisk).toMatchObject({ uiLanguage: 'ru', exportDefaults: chosen, archivePath: caseB, recentArchives: [caseB, home] });
    expect(JSON.stringify(onDisk)).not.toContain('Case A');

    // "As the system" (null) is a choice that is kept too, not taken for "nothing stored".
    updateUserSettings(second.store, { uiLanguage: null }, caseB);
    const third = await startApp();
    expect(readUserSettings(third.store, caseB).uiLanguage).toBeNull();
    expect(configOnDisk(userData)['uiLanguage']).toBeNull();
  });

  it('opens the window where it was closed after a restart, maximized if it was', async () => {
    freshMachine();
    const first = await startApp();
    const window = first.openWindow();
    // A first start: the default size, centred on the only display.
    expect(openedWith(window)).toEqual({ x: (1920 - DEFAULT_BOUNDS.width) / 2, y: (1080 - DEFAULT_BOUNDS.height) / 2, width: DEFAULT_BOUNDS.width, height: DEFAULT_BOUNDS.height });

    // The user moves and resizes it, and closes the app.
    window.normalBounds = { x: 150, y: 90, width: 1000, height: 700 };
    window.emit('close');
    expect(first.settings.get('windowBounds')).toEqual({ x: 150, y: 90, width: 1000, height: 700, maximized: false });

    const second = await startApp();
    const reopened = second.openWindow();
    expect(openedWith(reopened)).toEqual({ x: 150, y: 90, width: 1000, height: 700 });
    expect(reopened.maximizeCalls).toBe(0);

    // Maximized when closed: it opens maximized, and un-maximizing goes back to the place it had.
    reopened.maximize();
    reopened.emit('close');
    const third = await startApp();
    const maximized = third.openWindow();
    expect(openedWith(maximized)).toEqual({ x: 150, y: 90, width: 1000, height: 700 });
    expect(maximized.maximizeCalls).toBe(1);
  });

  it('keeps a window on a second display while it is attached, and pulls it back on screen once it is not', async () => {
    freshMachine();
    electron.displays = [PRIMARY, SECOND];
    const first = await startApp();
    const window = first.openWindow();
    window.normalBounds = { x: 2000, y: 100, width: 1000, height: 700 };
    window.emit('moved');
    window.emit('close');

    const docked = await startApp();
    expect(openedWith(docked.openWindow())).toEqual({ x: 2000, y: 100, width: 1000, height: 700 });

    // The second monitor is unplugged: the saved place would be off screen.
    electron.displays = [PRIMARY];
    const undocked = await startApp();
    const pulledBack = openedWith(undocked.openWindow());
    expect(pulledBack).toEqual({ x: (1920 - 1000) / 2, y: (1080 - 700) / 2, width: 1000, height: 700 });
    expect(pulledBack.x + pulledBack.width).toBeLessThanOrEqual(PRIMARY.width);
  });

  it('shares one config.json with the web mode and the CLI, each reading what the other wrote', async () => {
    // The CLI and `kartoteka serve` find the desktop's file where Electron puts userData on Linux.
    const xdg = tempDir('kartoteka-xdg-');
    freshMachine();
    electron.userData = join(xdg, 'Kartoteka');
    const facts = { platform: 'linux' as const, env: { XDG_CONFIG_HOME: xdg }, home: tempDir('kartoteka-home-') };
    const desktop = await startApp();
    expect(settingsFile(facts)).toBe(desktop.settings.path);

    const places = tempDir('kartoteka-archives-');
    const home = join(electron.userData, 'archive');
    const caseA = join(places, 'Case A');
    const caseB = join(places, 'Case B');
    rememberArchive(desktop.store, home);
    updateUserSettings(desktop.store, { uiLanguage: 'ru', exportDefaults: { translations: false } }, home);
    rememberArchive(desktop.store, caseA);
    const window = desktop.openWindow();
    window.normalBounds = { x: 40, y: 30, width: 1100, height: 750 };
    window.emit('close');

    // The web mode, on the same file, sees what the desktop app wrote.
    const web = new JsonFileSettingsStore(settingsFile(facts));
    expect(readUserSettings(web, caseA)).toEqual({
      uiLanguage: 'ru',
      exportDefaults: { ...defaultExportDefaults, translations: false },
      archivePath: caseA,
      recentArchives: [caseA, home],
    });
    expect(resolveArchiveDir(undefined, facts)).toBe(caseA);

    // It changes things, and the desktop app reads them after a restart (its window's place kept).
    updateUserSettings(web, { uiLanguage: 'uk', exportDefaults: { folder: join(places, 'exports') } }, caseA);
    rememberArchive(web, caseB);
    forgetArchive(web, home);
    const restarted = await startApp();
    expect(readUserSettings(restarted.store, caseB)).toEqual({
      uiLanguage: 'uk',
      exportDefaults: { ...defaultExportDefaults, translations: false, folder: join(places, 'exports') },
      archivePath: caseB,
      recentArchives: [caseB, caseA],
    });
    expect(restarted.settings.get('archivePath')).toBe(caseB);
    expect(openedWith(restarted.openWindow())).toEqual({ x: 40, y: 30, width: 1100, height: 750 });
  });

  it('starts with the defaults when config.json is not JSON, keeps the unreadable file aside, and writes a good one again', async () => {
    const userData = freshMachine();
    const unreadable = '{ "uiLanguage": "ru", "recentArchives": ["/a", ';
    writeFileSync(join(userData, 'config.json'), unreadable);

    const run = await startApp();
    const aside = readdirSync(userData).filter((name) => name.startsWith('config.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(userData, aside[0] ?? ''), 'utf8')).toBe(unreadable);
    expect(readUserSettings(run.store, join(userData, 'archive'))).toEqual({ uiLanguage: null, exportDefaults: defaultExportDefaults, archivePath: join(userData, 'archive'), recentArchives: [] });
    expect(run.settings.get('archivePath')).toBe(join(userData, 'archive'));
    const window = run.openWindow();
    expect(openedWith(window)).toMatchObject({ width: DEFAULT_BOUNDS.width, height: DEFAULT_BOUNDS.height });

    // What the user chooses now is kept, in a file both apps can read again.
    updateUserSettings(run.store, { uiLanguage: 'uk' }, join(userData, 'archive'));
    rememberArchive(run.store, '/media/usb/Case C');
    const restarted = await startApp();
    expect(readUserSettings(restarted.store, '/media/usb/Case C')).toMatchObject({ uiLanguage: 'uk', recentArchives: ['/media/usb/Case C'] });
    expect(readUserSettings(new JsonFileSettingsStore(join(userData, 'config.json')), '/x').uiLanguage).toBe('uk');
  });

  it('ignores values of the wrong type in config.json, each falling back to its default', async () => {
    const userData = freshMachine();
    const exportsFolder = join(userData, 'exports');
    writeFileSync(
      join(userData, 'config.json'),
      JSON.stringify({
        uiLanguage: 42,
        recentArchives: 'x',
        archivePath: 42,
        exportDefaults: { originals: 'no', translations: false, sensitivities: 'all', strip: ['notes'], folder: exportsFolder },
        windowBounds: { x: 'left', y: null, width: 'wide', height: 99_999, maximized: 'yes' },
      }),
    );

    const run = await startApp();
    const home = join(userData, 'archive');
    expect(readUserSettings(run.store, home)).toEqual({
      uiLanguage: null,
      // Field by field: the good ones are kept.
      exportDefaults: { ...defaultExportDefaults, translations: false, strip: ['notes'], folder: exportsFolder },
      archivePath: home,
      recentArchives: [],
    });
    // The menus follow the system's language, as for "as the system".
    expect(resolveUiLanguage(run.settings.get('uiLanguage'), ['uk-UA', 'en-US'])).toBe('uk');
    // The CLI and the web mode open the default archive rather than "42".
    const xdg = tempDir('kartoteka-xdg-');
    expect(resolveArchiveDir(undefined, { platform: 'linux', env: { XDG_CONFIG_HOME: xdg }, home: tempDir() }, run.settings.path)).toBe(join(xdg, 'Kartoteka', 'archive'));
    // The window: the default width, no taller than the screen, on it, not maximized.
    const window = run.openWindow();
    expect(openedWith(window)).toEqual({ x: (1920 - DEFAULT_BOUNDS.width) / 2, y: 0, width: DEFAULT_BOUNDS.width, height: 1080 });
    expect(window.maximizeCalls).toBe(0);

    // Opening an archive replaces the bad list with a good one, which a restart reads back.
    rememberArchive(run.store, home);
    updateUserSettings(run.store, { uiLanguage: 'ru' }, home);
    const restarted = await startApp();
    expect(readUserSettings(restarted.store, home)).toMatchObject({ uiLanguage: 'ru', recentArchives: [home] });
    expect(configOnDisk(userData)).toMatchObject({ uiLanguage: 'ru', recentArchives: [home], archivePath: home });
  });

  it('ignores a config.json that holds JSON but not an object', async () => {
    for (const content of ['null', '[1, 2]', '"ru"']) {
      const userData = freshMachine();
      writeFileSync(join(userData, 'config.json'), content);
      const run = await startApp();
      expect(readUserSettings(run.store, '/here'), content).toEqual({ uiLanguage: null, exportDefaults: defaultExportDefaults, archivePath: '/here', recentArchives: [] });
      expect(run.settings.get('archivePath'), content).toBe(join(userData, 'archive'));
      updateUserSettings(run.store, { uiLanguage: 'ru' }, '/here');
      expect(readUserSettings((await startApp()).store, '/here').uiLanguage, content).toBe('ru');
    }
  });
});
