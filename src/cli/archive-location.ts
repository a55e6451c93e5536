import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type PlatformFacts, defaultArchiveDir, userDataDir } from '../core/default-paths.ts';

export const platformFacts = (): PlatformFacts => ({ platform: process.platform, env: process.env, home: homedir() });

/** The desktop app's settings file (electron-store's config.json in its userData folder). */
export const settingsFile = (facts: PlatformFacts = platformFacts()): string => join(userDataDir(facts), 'config.json');

/**
 * --archive, else KARTOTEKA_ARCHIVE, else the archive the desktop app last used (its settings
 * file, or the one --settings names), else the desktop app's default archive folder.
 */
export function resolveArchiveDir(flag: string | undefined, facts: PlatformFacts = platformFacts(), settingsPath: string = settingsFile(facts)): string {
  if (flag) return flag;
  const fromEnv = facts.env['KARTOTEKA_ARCHIVE'];
  if (fromEnv) return fromEnv;
  try {
    const settings = JSON.parse(readFileSync(settingsPath, 'utf8')) as { archivePath?: unknown };
    if (typeof settings.archivePath === 'string' && settings.archivePath) return settings.archivePath;
  } catch {
    // No settings yet: the desktop app has not been started on this machine.
  }
  return defaultArchiveDir(facts);
}
