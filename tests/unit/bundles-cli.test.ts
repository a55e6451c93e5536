import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { defaultViewerPath, ensureViewer } from '../../scripts/build-viewer.ts';
import { fixture, runCli, sampleSourceDir, tempDir } from '../helpers.ts';

const json = <T>(text: string): T => JSON.parse(text) as T;

describe('kartoteka export and import-bundle', () => {
  let archive: string;
  beforeAll(() => {
    archive = join(tempDir(), 'archive');
    expect(runCli(['init', '--archive', archive]).status).toBe(0);
    const imported = runCli(['import', '--archive', archive, fixture('letter-utf8.txt'), fixture('statement-utf16le-bom.txt'), fixture('letter-cp1251.txt')]);
    expect(imported.status).toBe(0);
  }, 60_000);

  it('exports with --json and progress on stderr, and imports the bundle into another archive (--dry-run first)', () => {
    const out = join(tempDir(), 'letters.zip');
    const exported = runCli(['export', '--archive', archive, out, '--all', '--json', '--organization', 'Letters to Miron']);
    expect(exported.status).toBe(0);
    const report = json<{ path: string; items: number; encrypted: boolean; bagInfo: { label: string; value: string }[] }>(exported.stdout);
    expect(report).toMatchObject({ path: out, items: 3, encrypted: false });
    expect(report.bagInfo).toContainEqual({ label: 'Source-Organization', value: 'Letters to Miron' });

    const target = join(tempDir(), 'target');
    runCli(['init', '--archive', target]);
    const dryRun = runCli(['import-bundle', '--archive', target, out, '--dry-run']);
    expect(dryRun.status).toBe(0);
    expect(dryRun.stdout).toContain('From: Letters to Miron');
    expect(dryRun.stdout).toContain('3 to add, 0 duplicates, 0 unchanged, 0 conflicts. Nothing was changed (--dry-run).');
    expect(json<{ total: number }>(runCli(['search', '--archive', target, '--json', 'привет']).stdout).total).toBe(0);

    const imported = runCli(['import-bundle', '--archive', target, out, '--json']);
    expect(imported.status).toBe(0);
    expect(json<{ counts: { add: number } }>(imported.stdout).counts.add).toBe(3);
    const found = (dir: string): number => json<{ total: number }>(runCli(['search', '--archive', dir, '--json', 'привет']).stdout).total;
    expect(found(target)).toBe(found(archive));
    const human = runCli(['export', '--archive', archive, join(tempDir(), 'again.zip'), '--query', 'привет', '--text-only']);
    expect(human.stdout).toMatch(new RegExp(`^Wrote .*again\\.zip .*: ${found(archive)} items?, 0 original files\\.`, 'mu'));
    expect(human.stderr).toMatch(/\d+\/\d+ items/u);
  });

  it('encrypts with the passphrase in KARTOTEKA_PASSPHRASE, writing OUT.age, and refuses a missing or wrong one', () => {
    const out = join(tempDir(), 'secret.zip');
    const exported = runCli(['export', '--archive', archive, out, '--ids', '', '--all', '--encrypt'], { env: { KARTOTEKA_PASSPHRASE: 'correct horse battery staple' } });
    // --ids with --all names two selections: a usage error, before anything is asked or written.
    expect(exported.status).toBe(2);
    const ok = runCli(['export', '--archive', archive, out, '--all', '--encrypt', '--json'], { env: { KARTOTEKA_PASSPHRASE: 'correct horse battery staple' } });
    expect(ok.status).toBe(0);
    expect(json<{ path: string; encrypted: boolean }>(ok.stdout)).toMatchObject({ path: `${out}.age`, encrypted: true });
    expect(existsSync(out)).toBe(false);

    const target = join(tempDir(), 'target');
    runCli(['init', '--archive', target]);
    const missing = runCli(['import-bundle', '--archive', target, `${out}.age`, '--json']);
    expect(missing.status).toBe(1);
    expect(json<{ error: { code: string } }>(missing.stdout).error.code).toBe('PASSPHRASE_REQUIRED');
    const wrong = runCli(['import-bundle', '--archive', target, `${out}.age`], { env: { KARTOTEKA_PASSPHRASE: 'wrong' } });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('The passphrase does not open this bundle.');
    const right = runCli(['import-bundle', '--archive', target, `${out}.age`, '--json'], { env: { KARTOTEKA_PASSPHRASE: 'correct horse battery staple' } });
    expect(right.status).toBe(0);
    expect(json<{ counts: { add: number }; encrypted: boolean }>(right.stdout)).toMatchObject({ counts: { add: 3 }, encrypted: true });
  }, 120_000);

  it('exits 2 on usage errors', () => {
    const out = join(tempDir(), 'x.zip');
    expect(runCli(['export', '--archive', archive, out]).status).toBe(2);
    expect(runCli(['export', '--archive', archive, out, '--all', '--strip', 'secrets']).status).toBe(2);
    expect(runCli(['export', '--archive', archive, out, '--all', '--include-sensitivity', 'secret']).status).toBe(2);
    expect(runCli(['import-bundle', '--archive', archive]).status).toBe(2);
    const notABundle = runCli(['import-bundle', '--archive', archive, fixture('letter-utf8.txt'), '--json']);
    expect(notABundle.status).toBe(1);
    expect(json<{ error: { code: string } }>(notABundle.stdout).error.code).toBe('BUNDLE_INVALID');
  });
});

describe('the bundle calls of the contract', () => {
  it('export, inspect and import through dispatch, with progress; a relative path is refused', async () => {
    const session = new ArchiveSession(
      Archive.create(join(tempDir(), 'archive')),
      { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir, bundles: { viewerScriptPath: await ensureViewer(), version: '0.0.0-test' } },
    );
    await session.openSample();
    const service = createService(session);
    expect(await dispatch(service, 'bundles.progress', {})).toEqual({ ok: true, value: null });
    const relative = await dispatch(service, 'bundles.export', { selection: { type: 'all' }, path: 'bundle.zip' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const path = join(tempDir(), 'bundle.zip');
    const exported = await dispatch(service, 'bundles.export', { selection: { type: 'search', query: 'приговор' }, options: { originals: false }, path });
    expect(exported).toMatchObject({ ok: true, value: { path, originals: 0 } });
    expect(await dispatch(service, 'bundles.progress', {})).toMatchObject({ ok: true, value: { operation: 'export', phase: 'finished' } });
    // Back into the archive it came from: the same items, nothing to add.
    const inspected = await dispatch(service, 'bundles.inspect', { path });
    expect(inspected).toMatchObject({ ok: true, value: { counts: { add: 0, conflict: 0, unchanged: (exported.ok && (exported.value as { items: number }).items) || -1 } } });
    const imported = await dispatch(service, 'bundles.import', { path });
    expect(imported).toMatchObject({ ok: true, value: { counts: { add: 0 } } });
    const bad = await dispatch(service, 'bundles.import', { path: fixture('letter-utf8.txt') });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BUNDLE_INVALID' } });
    await session.close();
    expect(defaultViewerPath).toMatch(/out[/\\]viewer[/\\]viewer\.js$/u);
  });
});
