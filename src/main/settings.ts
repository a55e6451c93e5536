import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import Store from 'electron-store';
import type { SettingsKey, SettingsStore, StoredSettings } from '../core/settings.ts';
import { defaultExportDefaults } from '../shared/settings.ts';
import { DEFAULT_BOUNDS, type SavedBounds } from './window-state.ts';

/** Everything the desktop app keeps: the user's settings (core/settings.ts) and the window's place. */
export interface Settings extends StoredSettings {
  windowBounds: SavedBounds;
}

/**
 * A config.json that is not JSON (a hand edit, a disk error) is moved aside as
 * config.json.unreadable-<time> before the defaults replace it: the archives it listed can still be
 * read from it by hand. A value of the wrong type is not this: the core and clampBounds ignore it key by key.
 */
function setAsideUnreadable(file: string, now: Date): void {
  if (!existsSync(file)) return;
  try {
    JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    renameSync(file, `${file}.unreadable-${now.toISOString().replace(/[:.]/gu, '-')}`);
  }
}

/** Desktop settings in <userData>/config.json; the CLI reads archivePath, the web mode all of it, from the same file. */
export function createSettings(defaultArchivePath: string): Store<Settings> {
  setAsideUnreadable(join(app.getPath('userData'), 'config.json'), new Date());
  return new Store<Settings>({
    // Whatever is still unreadable is replaced by the defaults rather than thrown at start (conf's
    // default), which left the app unable to start until the file was deleted.
    clearInvalidConfig: true,
    defaults: {
      archivePath: defaultArchivePath,
      windowBounds: DEFAULT_BOUNDS,
      recentArchives: [],
      uiLanguage: null,
      exportDefaults: defaultExportDefaults,
    },
  });
}

/** The core's view of the store: the user's settings, checked by the core, not the window's place. */
export const settingsStore = (store: Pick<Store<Settings>, 'get' | 'set'>): SettingsStore => ({
  get: (key: SettingsKey): unknown => store.get(key),
  // A computed key loses TypeScript's link between key and value; the core's types keep that link.
  set: (key, value) => store.set({ [key]: value } as Partial<Settings>),
});
