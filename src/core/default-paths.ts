import { join } from 'node:path';

export const APP_NAME = 'Kartoteka';

export interface PlatformFacts {
  platform: string;
  env: Record<string, string | undefined>;
  home: string;
}

/**
 * The folder Electron calls userData for this app (app.getPath('userData')), computed the same
 * way so that the CLI and the web mode find the desktop app's archive without Electron.
 */
export function userDataDir({ platform, env, home }: PlatformFacts): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), APP_NAME);
}

export const defaultArchiveDir = (facts: PlatformFacts): string => join(userDataDir(facts), 'archive');
export const sampleArchiveDir = (facts: PlatformFacts): string => join(userDataDir(facts), 'sample-archive');
