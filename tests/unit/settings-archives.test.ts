import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Service, createService, dispatch } from '../../src/core/api.ts';
import { Archive, CATALOGUE_FILE } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { openArchiveAt } from '../../src/core/open-archive.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { JsonFileSettingsStore, MAX_RECENT_ARCHIVES, MemorySettingsStore, type SettingsStore, readUserSettings, updateUserSettings } from '../../src/core/settings.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { defaultExportDefaults } from '../../src/shared/settings.ts';
import { refusal, repoRoot, sampleSourceDir, tempDir } from '../helpers.ts';

function thrown(run: () => unknown): KartotekaError {
  try {
    run();
  } catch (error) {
    if (error instanceof KartotekaError) return error;
    throw error;
  }
  throw new Error('expected a KartotekaError');
}

const newSession = (archive: Archive, settings: SettingsStore = new MemorySettingsStore()): ArchiveSession =>
  new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir }, {}, {}, settings);

describe('settings kept in a JSON file (the web mode, the CLI)', () => {
  it('keeps what it is given, keeps keys it does not know (the desktop window’s place), leaves no temporary file', () => {
    const dir = tempDir('kartoteka-settings-');
    const file = join(dir, 'Kartoteka', 'config.json');
    mkdirSync(join(dir, 'Kartoteka'));
    writeFileSync(file, JSON.stringify({ windowBounds: { width: 900, height: 700, maximized: true } }));
    const store = new JsonFileSettingsStore(file);
    store.set('uiLanguage', 'uk');
    store.set('recentArchives', ['/a', '/b']);
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toEqual({ windowBounds: { width: 900, height: 700, maximized: true }, uiLanguage: 'uk', recentArchives: ['/a', '/b'] });
    expect(readdirSync(join(dir, 'Kartoteka'))).toEqual(['config.json']);
    // A second store on the same file (the other app) sees it at once.
    expect(new JsonFileSettingsStore(file).get('uiLanguage')).toBe('uk');
  });

  it('starts from the defaults when the file is missing, is not JSON, or holds nonsense, field by field', () => {
    const dir = tempDir('kartoteka-settings-');
    const missing = new JsonFileSettingsStore(join(dir, 'none', 'config.json'));
    expect(readUserSettings(missing, '/here')).toEqual({ uiLanguage: null, exportDefaults: defaultExportDefaults, archivePath: '/here', recentArchives: [] });

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    expect(readUserSettings(new JsonFileSettingsStore(broken), '/here').uiLanguage).toBeNull();

    const odd = join(dir, 'odd.json');
    writeFileSync(
      odd,
      JSON.stringify({ uiLanguage: 'fr', recentArchives: ['/x', 42, '', '/y'], exportDefaults: { originals: false, translations: 'yes', sensitivities: [], strip: ['notes', 'secrets'], folder: '/exports' } }),
    );
    const read = readUserSettings(new JsonFileSettingsStore(odd), '/here');
    expect(read.uiLanguage).toBeNull();
    expect(read.recentArchives).toEqual(['/x', '/y']);
    // Each field that checks out is kept; the others take their defaults.
    expect(read.exportDefaults).toEqual({ originals: false, translations: true, sensitivities: ['public', 'internal'], strip: [], folder: '/exports' });
  });

  it('changes only what a patch names, and refuses export defaults that do not check out', () => {
    const store = new JsonFileSettingsStore(join(tempDir('kartoteka-settings-'), 'config.json'));
    updateUserSettings(store, { exportDefaults: { originals: false, strip: ['notes'] } }, '/here');
    const after = updateUserSettings(store, { uiLanguage: 'ru', exportDefaults: { folder: '/home/anna/exports' } }, '/here');
    expect(after.uiLanguage).toBe('ru');
    expect(after.exportDefaults).toEqual({ ...defaultExportDefaults, originals: false, strip: ['notes'], folder: '/home/anna/exports' });

    expect(thrown(() => updateUserSettings(store, { exportDefaults: { folder: 'exports' } }, '/here')).code).toBe('INVALID_REQUEST');
    expect(thrown(() => updateUserSettings(store, { exportDefaults: { sensitivities: [] } }, '/here')).code).toBe('INVALID_REQUEST');
    // Nothing of a refused patch was written.
    expect(readUserSettings(store, '/here').exportDefaults.folder).toBe('/home/anna/exports');
    // Back to following the system.
    expect(updateUserSettings(store, { uiLanguage: null }, '/here').uiLanguage).toBeNull();
  });
});

describe('opening and creating archives by path', () => {
  let root: string;
  let first: string;
  let second: string;

  beforeAll(async () => {
    root = tempDir('kartoteka-archives-');
    first = join(root, 'first');
    second = join(root, 'second');
    const a = Archive.create(first);
    await importBuffers(a, [{ name: 'first.txt', bytes: new TextEncoder().encode('Письмо из первого архива.') }]);
    a.close();
    const b = Archive.create(second);
    await importBuffers(b, [
      { name: 'one.txt', bytes: new TextEncoder().encode('Первое письмо второго архива.') },
      { name: 'two.txt', bytes: new TextEncoder().encode('Второе письмо второго архива.') },
    ]);
    b.close();
  });

  it('opens an existing archive, and its catalogue file means its folder', () => {
    const opened = openArchiveAt(second, false);
    expect(opened.root).toBe(second);
    opened.close();
    const byFile = openArchiveAt(join(second, CATALOGUE_FILE), false);
    expect(byFile.root).toBe(second);
    byFile.close();
  });

  it('says what is wrong with each path it cannot open, with the path in the details', () => {
    expect(thrown(() => openArchiveAt('relative/archive', false)).code).toBe('INVALID_REQUEST');
    const gone = thrown(() => openArchiveAt(join(root, 'gone'), false));
    expect(gone.code).toBe('FILE_NOT_FOUND');
    expect(gone.details).toEqual({ path: join(root, 'gone') });
    mkdirSync(join(root, 'papers'));
    writeFileSync(join(root, 'papers', 'letter.txt'), 'not an archive');
    expect(thrown(() => openArchiveAt(join(root, 'papers'), false)).code).toBe('NOT_AN_ARCHIVE');
    expect(thrown(() => openArchiveAt(join(root, 'papers', 'letter.txt'), false)).code).toBe('NOT_AN_ARCHIVE');
    // Nothing was created in a folder that is not an archive.
    expect(existsSync(join(root, 'papers', CATALOGUE_FILE))).toBe(false);
  });

  it('creates a new archive in a new or empty folder, and refuses one where there is an archive or other files', () => {
    const made = openArchiveAt(join(root, 'fresh'), true);
    expect(Archive.isArchive(join(root, 'fresh'))).toBe(true);
    made.close();
    mkdirSync(join(root, 'empty'));
    openArchiveAt(join(root, 'empty'), true).close();
    expect(Archive.isArchive(join(root, 'empty'))).toBe(true);

    const there = thrown(() => openArchiveAt(first, true));
    expect(there.code).toBe('ARCHIVE_EXISTS');
    expect(there.details).toEqual({ path: first, archive: true });
    expect(thrown(() => openArchiveAt(join(root, 'papers'), true)).code).toBe('ARCHIVE_EXISTS');
    const noParent = thrown(() => openArchiveAt(join(root, 'no', 'such', 'place'), true));
    expect(noParent.code).toBe('FILE_NOT_FOUND');
    expect(noParent.details).toEqual({ path: join(root, 'no', 'such') });
    expect(existsSync(join(root, 'no'))).toBe(false);
  });

  it('refuses an archive it may not write to, and a folder it may not create in (PERMISSION_DENIED)', () => {
    const locked = join(root, 'locked');
    Archive.create(join(locked, 'archive')).close();
    chmodSync(root, 0o755);
    chmodSync(locked, 0o555);
    chmodSync(join(locked, 'archive'), 0o555);
    try {
      // As root every file is writable: the check runs as nobody then, as an ordinary user would.
      const asUser = (path: string, create: boolean): string => {
        if (process.getuid?.() !== 0) {
          try {
            openArchiveAt(path, create).close();
            return 'OPENED';
          } catch (error) {
            return error instanceof KartotekaError ? error.code : String(error);
          }
        }
        const script = `const { openArchiveAt } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'src/core/open-archive.ts')).href)});
          try { openArchiveAt(process.argv[1], process.argv[2] === 'create').close(); console.log('OPENED'); } catch (e) { console.log(e.code ?? String(e)); }`;
        const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, path, create ? 'create' : 'open'], { encoding: 'utf8', uid: 65534, gid: 65534, timeout: 30_000 });
        return run.stdout.trim().split('\n').pop() ?? run.stderr;
      };
      expect(asUser(join(locked, 'archive'), false)).toBe('PERMISSION_DENIED');
      expect(asUser(join(locked, 'new-archive'), true)).toBe('PERMISSION_DENIED');
      expect(existsSync(join(locked, 'new-archive'))).toBe(false);
    } finally {
      chmodSync(join(locked, 'archive'), 0o755);
      chmodSync(locked, 0o755);
    }
  });

  describe('in a running session (desktop or web mode)', () => {
    let session: ArchiveSession;
    let service: Service;
    let settingsFile: string;

    beforeAll(() => {
      settingsFile = join(tempDir('kartoteka-settings-'), 'config.json');
      session = newSession(Archive.open(first), new JsonFileSettingsStore(settingsFile));
      service = createService(session);
    });
    afterAll(async () => {
      await session.close();
    });

    const call = async (method: string, payload: unknown): Promise<unknown> => {
      const result = await dispatch(service, method, payload);
      if (!result.ok) throw new KartotekaError(result.error.code, result.error.message, result.error.details);
      return result.value;
    };

    it('remembers the archive it started with', () => {
      expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toMatchObject({ archivePath: first, recentArchives: [first] });
      expect(session.settings()).toMatchObject({ archivePath: first, recentArchives: [first] });
    });

    it('switches to another archive: its documents from then on, the one before closed, both remembered', async () => {
      const before = session.archive;
      const info = (await call('archive.open', { path: second })) as { path: string; documentCount: number };
      expect(info).toMatchObject({ path: second, name: 'second', documentCount: 2, isSample: false });
      expect(before.closed).toBe(true);
      expect(await call('archive.info', {})).toMatchObject({ path: second });
      expect(((await call('documents.list', {})) as { total: number }).total).toBe(2);
      expect(((await call('search.query', { query: 'второго' })) as { total: number }).total).toBe(2);
      expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toMatchObject({ archivePath: second, recentArchives: [second, first] });
      // The same archive again changes nothing.
      const same = session.archive;
      await call('archive.open', { path: second });
      expect(session.archive).toBe(same);
    });

    it('makes a new archive and works on it; a refusal leaves the archive open as it was', async () => {
      const fresh = join(root, 'made-in-session');
      expect(await call('archive.open', { path: fresh, create: true })).toMatchObject({ path: fresh, documentCount: 0 });
      const open = session.archive;
      for (const [payload, code] of [
        [{ path: join(root, 'gone') }, 'FILE_NOT_FOUND'],
        [{ path: join(root, 'papers') }, 'NOT_AN_ARCHIVE'],
        [{ path: first, create: true }, 'ARCHIVE_EXISTS'],
        [{ path: 'relative' }, 'INVALID_REQUEST'],
        [{ path: '' }, 'INVALID_REQUEST'],
      ] as const) {
        expect((await refusal(call('archive.open', payload))).code).toBe(code);
      }
      expect(session.archive).toBe(open);
      expect(open.closed).toBe(false);
      expect(session.settings().recentArchives).toEqual([fresh, second, first]);
    });

    it('lists the recent archives with whether each is still there, and forgets one on request', async () => {
      const moved = join(root, 'moved-away');
      Archive.create(moved).close();
      await call('archive.open', { path: moved });
      await call('archive.open', { path: first });
      rmSync(moved, { recursive: true });
      mkdirSync(join(root, 'replaced'));
      Archive.create(join(root, 'replaced')).close();
      await call('archive.open', { path: join(root, 'replaced') });
      await call('archive.open', { path: first });
      rmSync(join(root, 'replaced', CATALOGUE_FILE));

      const recent = (await call('archive.recent', {})) as { path: string; state: string; current: boolean }[];
      expect(recent[0]).toEqual({ path: first, name: 'first', state: 'ok', current: true, isSample: false });
      expect(recent.find((r) => r.path === moved)).toMatchObject({ state: 'missing', current: false });
      expect(recent.find((r) => r.path === join(root, 'replaced'))).toMatchObject({ state: 'not-an-archive' });
      expect(recent.find((r) => r.path === second)).toMatchObject({ state: 'ok' });

      const after = (await call('archive.forget', { path: moved })) as { path: string }[];
      expect(after.map((r) => r.path)).not.toContain(moved);
      // The archive open now stays on the list whatever is asked.
      await call('archive.forget', { path: first });
      expect(((await call('archive.recent', {})) as { path: string }[])[0]?.path).toBe(first);
    });

    it('keeps at most a few recent archives, the newest first', async () => {
      for (let i = 0; i < MAX_RECENT_ARCHIVES + 2; i++) await call('archive.open', { path: join(root, `many-${i}`), create: true });
      const recent = session.settings().recentArchives;
      expect(recent).toHaveLength(MAX_RECENT_ARCHIVES);
      expect(recent[0]).toBe(join(root, `many-${MAX_RECENT_ARCHIVES + 1}`));
    });

    it('gets and updates the user-visible settings through the contract, validated at the boundary', async () => {
      expect(await call('settings.get', {})).toMatchObject({ uiLanguage: null, exportDefaults: defaultExportDefaults, archivePath: session.archive.root });
      const updated = await call('settings.update', { uiLanguage: 'uk', exportDefaults: { translations: false, sensitivities: ['public'] } });
      expect(updated).toMatchObject({ uiLanguage: 'uk', exportDefaults: { ...defaultExportDefaults, translations: false, sensitivities: ['public'] } });
      expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toMatchObject({ uiLanguage: 'uk' });
      for (const bad of [{ uiLanguage: 'fr' }, { archivePath: '/elsewhere' }, { recentArchives: [] }, { exportDefaults: { strip: ['title'] } }, { exportDefaults: { folder: 'relative' } }]) {
        expect((await refusal(call('settings.update', bad))).code).toBe('INVALID_REQUEST');
      }
      expect(await call('settings.get', {})).toMatchObject({ uiLanguage: 'uk', exportDefaults: { translations: false } });
    });
  });

  it('names the sample archive among the recent ones', async () => {
    const session = newSession(Archive.open(first));
    await session.openSample();
    expect(session.recentArchives()[0]).toMatchObject({ current: true, isSample: true });
    await session.openArchive(first, false);
    expect(session.recentArchives().filter((r) => r.isSample)).toEqual([expect.objectContaining({ state: 'ok', current: false })]);
    await session.close();
  }, 90_000);

  it('without a settings store, a session keeps its settings for the run', async () => {
    const session = newSession(Archive.open(first));
    await session.openArchive(second, false);
    expect(session.settings().recentArchives).toEqual([second, first]);
    await session.close();
  });
});

describe('kartoteka serve --settings', () => {
  it('keeps the web mode’s settings in the file named, and remembers the archive it serves', async () => {
    const dir = tempDir('kartoteka-serve-');
    const archive = join(dir, 'archive');
    const settings = join(dir, 'settings', 'config.json');
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'kartoteka.js'), 'serve', '--json', '--archive', archive, '--settings', settings], {
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const started = await new Promise<{ url: string; archive: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          try {
            resolve(JSON.parse(out) as { url: string; archive: string });
          } catch {
            // Not the whole document yet.
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect(started.archive).toBe(archive);
      expect(JSON.parse(readFileSync(settings, 'utf8'))).toMatchObject({ archivePath: archive, recentArchives: [archive] });
      // The desktop app's own settings file (under XDG_CONFIG_HOME) was not touched.
      expect(existsSync(join(dir, 'xdg', 'Kartoteka', 'config.json'))).toBe(false);
    } finally {
      if (child.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    }
  }, 90_000);
});
