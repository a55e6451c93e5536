import Store from 'electron-store';
import type { SettingsKey, SettingsStore, StoredSettings } from '../core/settings.ts';
import { defaultExportDefaults } from '../shared/settings.ts';
import { DEFAULT_BOUNDS, type SavedBounds } from './window-state.ts';

/** Everything the desktop app keeps: the user's settings (core/settings.ts) and the window's place. */
export interface Settings extends StoredSettings {
  windowBounds: SavedBounds;
}

/** Desktop settings in <userData>/config.json; the CLI reads archivePath, the web mode all of it, from the same file. */
export function createSettings(defaultArchivePath: string): Store<Settings> {
  return new Store<Settings>({
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
