import { join } from 'node:path';

/** The folder bundles go to until the user picks another one: beside their documents, easy to find. */
export const DEFAULT_EXPORT_FOLDER = 'Kartoteka exports';

export interface DefaultPathFacts {
  /** The folder the user last wrote a bundle to (the export defaults' folder), or null. */
  folder: string | null;
  /** The user's home folder; null when whoever runs core did not say (then the archive's exports/ folder). */
  home: string | null;
  /** The archive's own folder, the last resort. */
  archiveRoot: string;
  /** Today, for the file's name. */
  now: Date;
  encrypted: boolean;
  /** Whether something is at a path already; a taken name gets -2, -3, … */
  exists: (path: string) => boolean;
}

/**
 * Where a new bundle is offered to go: <folder>/kartoteka-YYYY-MM-DD.zip (.zip.age when encrypted,
 * as the CLI names it), the folder being the one last used, else ~/Kartoteka exports. The date is
 * the UTC one, as bag-info's Bagging-Date. A name already taken is never offered.
 */
export function defaultBundlePath(facts: DefaultPathFacts): { path: string; folder: string } {
  const folder = facts.folder ?? (facts.home !== null ? join(facts.home, DEFAULT_EXPORT_FOLDER) : join(facts.archiveRoot, 'exports'));
  const stem = `kartoteka-${facts.now.toISOString().slice(0, 10)}`;
  const extension = facts.encrypted ? '.zip.age' : '.zip';
  for (let n = 1; n < 1000; n++) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}`;
    // Either form taken counts: switching encryption on or off later must not land on a used name.
    if (!facts.exists(join(folder, `${name}.zip`)) && !facts.exists(join(folder, `${name}.zip.age`))) return { path: join(folder, `${name}${extension}`), folder };
  }
  // A thousand bundles in one day: the time of day tells this one apart.
  return { path: join(folder, `${stem}-${facts.now.toISOString().slice(11, 19).replaceAll(':', '')}${extension}`), folder };
}
