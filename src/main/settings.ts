import Store from 'electron-store';
import { DEFAULT_BOUNDS, type SavedBounds, withRecentArchive } from './window-state.ts';

export interface Settings {
  archivePath: string;
  windowBounds: SavedBounds;
  /** Archives opened before, the current one first (window-state.ts withRecentArchive). */
  recentArchives: string[];
}

/** Desktop settings in <userData>/config.json; the CLI reads archivePath from the same file. */
export function createSettings(defaultArchivePath: string): Store<Settings> {
  return new Store<Settings>({
    defaults: {
      archivePath: defaultArchivePath,
      windowBounds: DEFAULT_BOUNDS,
      recentArchives: [],
    },
  });
}

/** Remembers the archive now open: it opens next time, and heads the recent list. */
export function rememberArchive(settings: Pick<Store<Settings>, 'get' | 'set'>, path: string): void {
  settings.set('archivePath', path);
  settings.set('recentArchives', withRecentArchive(settings.get('recentArchives'), path));
}
