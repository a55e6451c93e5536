import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { BundleProgress } from '../../shared/bundles.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { Service } from '../api.ts';
import type { ArchiveSession } from '../session.ts';
import { defaultBundlePath } from './default-path.ts';
import { exportBundle, previewBundle } from './export.ts';
import { importBundle, inspectBundle } from './import.ts';

/** What exporting needs from whoever runs core: the built viewer, and the version to name in bag-info.txt. */
export interface BundleEnvironment {
  /** out/viewer/viewer.js (scripts/build-viewer.ts): the script each bundle's index.html inlines. */
  viewerScriptPath: string;
  version: string;
  /** The viewer-indexing worker's script when core is bundled (the app); from the sources it is found beside index-client.ts. */
  indexWorkerUrl?: URL | undefined;
  /** The user's home folder, for the default place of a bundle (~/Kartoteka exports); without it, the archive's exports/ folder. */
  home?: string | undefined;
}

/** The viewer's script; read once per file. */
export async function readViewerScript(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new KartotekaError('INTERNAL', `The bundle viewer is not built (${path} is missing): run \`node scripts/build-viewer.ts\`, or \`npm run build\`.`);
  }
}

type BundleMethods = Pick<
  Service,
  'bundles.export' | 'bundles.inspect' | 'bundles.import' | 'bundles.progress' | 'bundles.cancel' | 'bundles.preview' | 'bundles.defaultPath'
>;

/**
 * The bundle calls of the contract. One bundle operation runs at a time per session; while it
 * runs, bundles.progress reports how far it has got (the call itself answers when it is done) and
 * bundles.cancel stops it.
 */
export function bundleMethods(session: ArchiveSession): BundleMethods {
  let progress: BundleProgress | null = null;
  let running: AbortController | null = null;
  const exclusive = async <T>(operation: BundleProgress['operation'], run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    if (running || session.bundleJob) throw new KartotekaError('CONFLICT', 'A bundle is being exported or imported; wait until it is done.');
    // Set before the first await, so a cancel arriving at once finds the operation to stop,
    // and a switch to another archive arriving at once is refused (ARCHIVE_BUSY).
    const controller = new AbortController();
    running = controller;
    session.bundleJob = operation;
    // Whoever polls from now on sees this operation, never the end of the one before.
    progress = { operation, phase: operation === 'export' ? 'selecting' : 'verifying', done: 0, total: 0 };
    try {
      return await run(controller.signal);
    } catch (error) {
      // Stopped between steps that report no phase (before the file was opened): say so all the same.
      if (progress && progress.phase !== 'failed') progress = { ...progress, phase: 'failed', done: 0, total: 0 };
      throw error;
    } finally {
      running = null;
      session.bundleJob = null;
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
      exclusive('export', async (signal) => {
        const environment = session.bundles;
        if (!environment) throw new KartotekaError('INTERNAL', 'This Kartoteka was started without the bundle viewer; exports are not available.');
        const target = absolute(path);
        const viewerScript = await readViewerScript(environment.viewerScriptPath);
        return exportBundle(
          session.archive,
          { selection, options, path: target },
          { viewerScript, producer: `Kartoteka ${environment.version}`, version: environment.version, onProgress, indexWorkerUrl: environment.indexWorkerUrl, signal },
        );
      }),
    'bundles.inspect': ({ path, passphrase }) => exclusive('inspect', (signal) => inspectBundle(session.archive, absolute(path), { passphrase, onProgress, signal })),
    'bundles.import': ({ path, passphrase }) => exclusive('import', (signal) => importBundle(session.archive, absolute(path), { passphrase, onProgress, signal })),
    'bundles.progress': () => progress,
    'bundles.cancel': () => {
      if (!running) return { cancelled: false };
      running.abort();
      return { cancelled: true };
    },
    'bundles.preview': ({ selection, options }) => previewBundle(session.archive, selection, options),
    'bundles.defaultPath': ({ encrypted, folder }) => {
      if (folder !== null && !isAbsolute(folder)) throw new KartotekaError('INVALID_REQUEST', `The folder must be an absolute path; ${folder} is not.`);
      const archive = session.archive;
      return defaultBundlePath({ folder, home: session.bundles?.home ?? null, archiveRoot: archive.root, now: archive.clock(), encrypted, exists: existsSync });
    },
  };
}
