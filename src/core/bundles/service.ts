import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { BundleProgress } from '../../shared/bundles.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { Service } from '../api.ts';
import type { ArchiveSession } from '../session.ts';
import { exportBundle } from './export.ts';
import { importBundle, inspectBundle } from './import.ts';

/** What exporting needs from whoever runs core: the built viewer, and the version to name in bag-info.txt. */
export interface BundleEnvironment {
  /** out/viewer/viewer.js (scripts/build-viewer.ts): the script each bundle's index.html inlines. */
  viewerScriptPath: string;
  version: string;
  /** The viewer-indexing worker's script when core is bundled (the app); from the sources it is found beside index-client.ts. */
  indexWorkerUrl?: URL | undefined;
}

/** The viewer's script; read once per file. */
export async function readViewerScript(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new KartotekaError('INTERNAL', `The bundle viewer is not built (${path} is missing): run \`node scripts/build-viewer.ts\`, or \`npm run build\`.`);
  }
}

type BundleMethods = Pick<Service, 'bundles.export' | 'bundles.inspect' | 'bundles.import' | 'bundles.progress'>;

/**
 * The bundle calls of the contract. One bundle operation runs at a time per session; while it
 * runs, bundles.progress reports how far it has got (the call itself answers when it is done).
 */
export function bundleMethods(session: ArchiveSession): BundleMethods {
  let progress: BundleProgress | null = null;
  let busy = false;
  const exclusive = async <T>(run: () => Promise<T>): Promise<T> => {
    if (busy) throw new KartotekaError('CONFLICT', 'A bundle is being exported or imported; wait until it is done.');
    busy = true;
    try {
      return await run();
    } finally {
      busy = false;
    }
  };
  const absolute = (path: string): string => {
    if (!isAbsolute(path)) throw new KartotekaError('INVALID_REQUEST', `A bundle's path must be absolute; ${path} is not.`);
    return path;
  };
  const onProgress = (p: BundleProgress): void => {
    progress = p;
  };
  return {
    'bundles.export': ({ selection, options, path }) =>
      exclusive(async () => {
        const environment = session.bundles;
        if (!environment) throw new KartotekaError('INTERNAL', 'This Kartoteka was started without the bundle viewer; exports are not available.');
        return exportBundle(
          session.archive,
          { selection, options, path: absolute(path) },
          { viewerScript: await readViewerScript(environment.viewerScriptPath), producer: `Kartoteka ${environment.version}`, version: environment.version, onProgress, indexWorkerUrl: environment.indexWorkerUrl },
        );
      }),
    'bundles.inspect': ({ path, passphrase }) => exclusive(() => inspectBundle(session.archive, absolute(path), { passphrase, onProgress })),
    'bundles.import': ({ path, passphrase }) => exclusive(() => importBundle(session.archive, absolute(path), { passphrase, onProgress })),
    'bundles.progress': () => progress,
  };
}
