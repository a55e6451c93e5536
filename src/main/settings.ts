import Store from 'electron-store';

export interface Settings {
  archivePath: string;
  windowBounds: { x?: number; y?: number; width: number; height: number; maximized: boolean };
}

/** Desktop settings in <userData>/config.json; the CLI reads archivePath from the same file. */
export function createSettings(defaultArchivePath: string): Store<Settings> {
  return new Store<Settings>({
    defaults: {
      archivePath: defaultArchivePath,
      windowBounds: { width: 1280, height: 820, maximized: false },
    },
  });
}
