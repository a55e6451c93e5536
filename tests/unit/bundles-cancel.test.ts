import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureViewer } from '../../scripts/build-viewer.ts';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { defaultBundlePath } from '../../src/core/bundles/default-path.ts';
import { type ExportEnvironment, exportBundle, previewBundle } from '../../src/core/bundles/export.ts';
import { importBundle, inspectBundle } from '../../src/core/bundles/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { BundleOptions, type BundleOptionsInput, type BundleProgress, type BundleSelection, type ExportReport } from '../../src/shared/bundles.ts';
import { refusal, sampleSourceDir, steppingClock, tempDir } from '../helpers.ts';
import { type BundleArchive, bundleArchive, snapshot, testEnvironment } from './bundle-fixtures.ts';

/**
 * Cancelling bundle work (issue 6, the UI's Cancel button): an export stops and leaves no file, not
 * even its partly written one; an import stops before its merge and the archive is exactly as it was.
 * Also the calls the export dialog uses besides: the preview of what would go out and the default path.
 */

let source: BundleArchive;
let env: ExportEnvironment;

beforeAll(async () => {
  source = await bundleArchive(join(tempDir(), 'source'));
  env = await testEnvironment();
}, 120_000);

const everything = ['public', 'internal', 'confidential'] as const;

/** An environment whose onProgress aborts the signal the first time `when` holds. */
function abortWhen(when: (p: BundleProgress) => boolean): { env: ExportEnvironment; controller: AbortController; seen: BundleProgress[] } {
  const controller = new AbortController();
  const seen: BundleProgress[] = [];
  return {
    controller,
    seen,
    env: {
      ...env,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (!controller.signal.aborted && when(p)) controller.abort();
      },
    },
  };
}

async function exportTo(path: string, options: BundleOptionsInput = {}, selection: BundleSelection = { type: 'all' }, environment = env): Promise<ExportReport> {
  return exportBundle(source.archive, { selection, options: BundleOptions.parse(options), path }, environment);
}

const emptyArchive = (): Archive => Archive.create(join(tempDir(), 'target'), { clock: steppingClock('2026-02-01T09:00:00.000Z') });

describe('cancelling an export', () => {
  it('stops part-way through the items with CANCELLED and leaves no file, partial or whole', async () => {
    const dir = tempDir();
    const { env: cancelling, seen } = abortWhen((p) => p.phase === 'writing' && p.done === 3);
    const error = await refusal(exportTo(join(dir, 'stopped.zip'), {}, { type: 'all' }, cancelling));
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toMatch(/no file was written/u);
    expect(readdirSync(dir)).toEqual([]);
    // Promptly: the item after the third was the last one begun.
    expect(Math.max(...seen.filter((p) => p.phase === 'writing').map((p) => p.done))).toBe(3);
    expect(seen.at(-1)?.phase).toBe('failed');
  });

  it('stops even when the zip is whole but not yet in place (while encrypting): nothing is renamed into place', async () => {
    const dir = tempDir();
    const { env: cancelling } = abortWhen((p) => p.phase === 'encrypting');
    const error = await refusal(exportTo(join(dir, 'late.zip.age'), { encrypt: { passphrase: 'correct horse battery staple' } }, { type: 'ids', ids: [source.ids.verdictRu] }, cancelling));
    expect(error.code).toBe('CANCELLED');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves an earlier bundle of the same name as it was', async () => {
    const dir = tempDir();
    const path = join(dir, 'kept.zip');
    writeFileSync(path, 'an older bundle');
    const { env: cancelling } = abortWhen((p) => p.phase === 'writing' && p.done === 1);
    expect((await refusal(exportTo(path, {}, { type: 'all' }, cancelling))).code).toBe('CANCELLED');
    expect(readdirSync(dir)).toEqual(['kept.zip']);
    expect(readFileSync(path, 'utf8')).toBe('an older bundle');
  });

  it('makes the folder it writes to, and refuses a folder as the file with NOT_A_FILE', async () => {
    const dir = tempDir();
    const report = await exportTo(join(dir, 'Kartoteka exports', 'nested', 'made.zip'), {}, { type: 'ids', ids: [source.ids.verdictRu] });
    expect(existsSync(report.path)).toBe(true);
    mkdirSync(join(dir, 'a-folder.zip'));
    expect((await refusal(exportTo(join(dir, 'a-folder.zip'), {}, { type: 'ids', ids: [source.ids.verdictRu] }))).code).toBe('NOT_A_FILE');
  });
});

describe('cancelling an import', () => {
  let bundle: string;
  let secret: string;
  beforeAll(async () => {
    bundle = (await exportTo(join(tempDir(), 'to-cancel.zip'), { sensitivities: [...everything] })).path;
    secret = (await exportTo(join(tempDir(), 'to-cancel.zip.age'), { encrypt: { passphrase: 'correct horse battery staple' } }, { type: 'ids', ids: [source.ids.verdictRu] })).path;
  }, 60_000);

  it('while verifying: CANCELLED, and the archive is exactly as it was', async () => {
    const target = emptyArchive();
    const before = snapshot(target);
    const controller = new AbortController();
    const error = await refusal(
      importBundle(target, bundle, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'verifying') controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toMatch(/archive was not changed/u);
    expect(snapshot(target)).toBe(before);
  });

  it('while storing the originals, before the merge: the originals stored so far are taken out again', async () => {
    const target = emptyArchive();
    const before = snapshot(target);
    const controller = new AbortController();
    let merging = 0;
    const error = await refusal(
      importBundle(target, bundle, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'merging' && ++merging === 2) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(snapshot(target)).toBe(before);
    // Nothing was half-done: the same bundle imports whole afterwards.
    const imported = await importBundle(target, bundle);
    expect(imported.counts.add).toBe(17);
  });

  it('while decrypting an encrypted bundle: no decrypted copy stays behind', async () => {
    const target = emptyArchive();
    const before = snapshot(target);
    const controller = new AbortController();
    const error = await refusal(
      inspectBundle(target, secret, {
        passphrase: 'correct horse battery staple',
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'decrypting') controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(snapshot(target)).toBe(before);
    expect(readdirSync(join(target.root, 'tmp')).filter((n) => n.includes('bundle'))).toEqual([]);
  });
});

describe('the calls of the export and import dialogs', () => {
  let session: ArchiveSession;
  let home: string;
  beforeAll(async () => {
    home = tempDir('kartoteka-home-');
    const clock = steppingClock('2026-03-04T10:00:00.000Z');
    session = new ArchiveSession(
      Archive.create(join(tempDir(), 'archive'), { clock }),
      { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir, bundles: { viewerScriptPath: await ensureViewer(), version: '0.0.0-test', home } },
      // The sample archive opened below keeps this clock: the default file's date is known.
      { clock },
    );
    await session.openSample();
  }, 120_000);
  afterAll(async () => {
    await session.close();
  });

  it('bundles.cancel stops the running export through the contract; with nothing running it says so', async () => {
    const service = createService(session);
    expect(await dispatch(service, 'bundles.cancel', {})).toEqual({ ok: true, value: { cancelled: false } });
    const dir = tempDir();
    const path = join(dir, 'cancelled.zip');
    const running = dispatch(service, 'bundles.export', { selection: { type: 'all' }, path });
    // Asked at once, before the export has written anything.
    expect(await dispatch(service, 'bundles.cancel', {})).toEqual({ ok: true, value: { cancelled: true } });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(readdirSync(dir)).toEqual([]);
    expect(await dispatch(service, 'bundles.progress', {})).toMatchObject({ ok: true, value: { operation: 'export', phase: 'failed' } });
    // The next export runs to its end.
    expect(await dispatch(service, 'bundles.export', { selection: { type: 'all' }, path })).toMatchObject({ ok: true, value: { path } });
  });

  it('bundles.cancel stops an import before its merge, through the contract', async () => {
    const service = createService(session);
    const bundle = (await exportTo(join(tempDir(), 'into-session.zip'), {}, { type: 'ids', ids: [source.ids.audio] })).path;
    const before = snapshot(session.archive);
    const running = dispatch(service, 'bundles.import', { path: bundle });
    expect(await dispatch(service, 'bundles.cancel', {})).toEqual({ ok: true, value: { cancelled: true } });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(snapshot(session.archive)).toBe(before);
  });

  it('bundles.preview counts what bundles.export then writes, before anything is written', async () => {
    const service = createService(session);
    for (const options of [{}, { originals: false }, { translations: false }, { sensitivities: ['public'] }] as BundleOptionsInput[]) {
      const preview = await dispatch(service, 'bundles.preview', { selection: { type: 'all' }, options });
      const path = join(tempDir(), 'previewed.zip');
      const report = await dispatch(service, 'bundles.export', { selection: { type: 'all' }, options, path });
      if (!preview.ok || !report.ok) throw new Error(JSON.stringify([preview, report]));
      const written = report.value as ExportReport;
      expect(preview.value).toMatchObject({ items: written.items, originals: written.originals, leftOutBySensitivity: written.leftOutBySensitivity, leftOutTranslations: written.leftOutTranslations });
    }
    // The redacted letter and the confidential one of the fixture archive, counted apart.
    const counted = await previewBundle(source.archive, { type: 'all' }, BundleOptions.parse({}));
    expect(counted).toMatchObject({ leftOutBySensitivity: 1, leftOutConfidential: 1, redacted: 1 });
    const exported = await exportTo(join(tempDir(), 'counted.zip'));
    expect(counted.items).toBe(exported.items);
    expect(counted.originals).toBe(exported.originals);
    // Translations of chosen documents are counted as added beside them.
    expect(await previewBundle(source.archive, { type: 'ids', ids: [source.ids.verdictRu] }, BundleOptions.parse({}))).toMatchObject({ selected: 1, items: 2, added: 1 });
  });

  it('counts the writing in the items the dialog announces ("writing N of N"), the finishing step apart', async () => {
    const cases: [BundleSelection, BundleOptionsInput][] = [
      [{ type: 'all' }, { sensitivities: [...everything] }],
      [{ type: 'ids', ids: [source.ids.verdictRu] }, { encrypt: { passphrase: 'correct horse battery staple' } }],
    ];
    for (const [selection, options] of cases) {
      const announced = (await previewBundle(source.archive, selection, BundleOptions.parse(options))).items;
      const seen: BundleProgress[] = [];
      const report = await exportTo(join(tempDir(), options.encrypt ? 'told.zip.age' : 'told.zip'), options, selection, { ...env, onProgress: (p) => seen.push(p) });
      expect(report.items).toBe(announced);
      const writing = seen.filter((p) => p.phase === 'writing');
      expect(writing.map((p) => `${p.done} of ${p.total}`)).toEqual(Array.from({ length: announced + 1 }, (_, i) => `${i} of ${announced}`));
      // After the last item: the index, catalogue and checksums (and the encryption), each named, then done with every item.
      const after = seen.slice(seen.lastIndexOf(writing.at(-1) as BundleProgress) + 1);
      expect(after.map((p) => p.phase)).toEqual(options.encrypt ? ['finishing', 'encrypting', 'finished'] : ['finishing', 'finished']);
      expect(after.at(-1)).toMatchObject({ done: announced, total: announced });
      expect(seen.every((p) => p.done <= p.total)).toBe(true);
    }
  });

  it('bundles.defaultPath offers ~/Kartoteka exports/kartoteka-<date>.zip, .zip.age when encrypted, never a name taken', async () => {
    const service = createService(session);
    const plain = await dispatch(service, 'bundles.defaultPath', {});
    expect(plain).toMatchObject({ ok: true, value: { folder: join(home, 'Kartoteka exports') } });
    const first = plain.ok ? (plain.value as { path: string }).path : '';
    expect(first).toMatch(/[/\\]Kartoteka exports[/\\]kartoteka-2026-03-04\.zip$/u);
    expect(await dispatch(service, 'bundles.defaultPath', { encrypted: true })).toMatchObject({ ok: true, value: { path: `${first}.age` } });
    // A bundle written there: the next offer is another name.
    const someId = (session.archive.sql('SELECT id FROM documents LIMIT 1').get() as { id: string }).id;
    await dispatch(service, 'bundles.export', { selection: { type: 'ids', ids: [someId] }, path: first });
    expect(existsSync(first)).toBe(true);
    expect(await dispatch(service, 'bundles.defaultPath', {})).toMatchObject({ ok: true, value: { path: first.replace(/\.zip$/u, '-2.zip') } });
    // The folder last used, when the dialog names it; a relative one is refused.
    const folder = tempDir();
    expect(await dispatch(service, 'bundles.defaultPath', { folder, encrypted: true })).toMatchObject({ ok: true, value: { path: join(folder, 'kartoteka-2026-03-04.zip.age'), folder } });
    expect(await dispatch(service, 'bundles.defaultPath', { folder: 'relative/folder' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('defaultBundlePath falls back to the archive’s exports/ folder without a home, and counts either extension as taken', () => {
    const taken = new Set(['/archive/exports/kartoteka-2026-05-06.zip.age']);
    const path = defaultBundlePath({ folder: null, home: null, archiveRoot: '/archive', now: new Date('2026-05-06T23:59:00Z'), encrypted: false, exists: (p) => taken.has(p) });
    expect(path).toEqual({ path: join('/archive', 'exports', 'kartoteka-2026-05-06-2.zip'), folder: join('/archive', 'exports') });
  });
});
