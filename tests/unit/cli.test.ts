import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir } from '../helpers.ts';

const json = <T>(text: string): T => JSON.parse(text) as T;

describe('kartoteka command line', () => {
  it('init, import, search, show, verify with --json in the documented shapes', () => {
    const dir = join(tempDir(), 'archive');
    expect(runCli(['init', '--archive', dir, '--json']).status).toBe(0);

    const imported = runCli(['import', '--archive', dir, '--json', fixture('letter-utf8.txt'), fixture('statement-utf16le-bom.txt'), fixture('letter-utf8.txt')]);
    expect(imported.status).toBe(0);
    const report = json<{ imported: { id: string; file: string; sha256: string }[]; duplicates: { file: string; id: string }[]; failed: unknown[] }>(imported.stdout);
    expect(Object.keys(report)).toEqual(['imported', 'duplicates', 'possibleDuplicates', 'failed', 'warnings', 'cancelled']);
    expect(report.imported).toHaveLength(2);
    expect(Object.keys(report.imported[0] ?? {})).toEqual(['id', 'file', 'sha256']);
    expect(report.duplicates).toEqual([{ file: fixture('letter-utf8.txt'), id: report.imported[0]?.id }]);

    const found = runCli(['search', '--archive', dir, '--json', 'соловьёв']);
    expect(found.status).toBe(0);
    const result = json<{ total: number; hits: Record<string, unknown>[] }>(found.stdout);
    expect(result.total).toBe(1);
    expect(result.hits[0]).toMatchObject({ id: report.imported[0]?.id, title: 'Письмо из ИК-7', kind: 'other', language: 'ru', file: 'letter-utf8.txt' });
    for (const key of ['id', 'title', 'kind', 'language', 'file', 'snippet', 'score']) expect(result.hits[0]).toHaveProperty(key);

    const shown = runCli(['show', '--archive', dir, '--json', report.imported[1]?.id ?? '']);
    const document = json<{ text: string; language: string; files: { fileName: string }[] }>(shown.stdout);
    expect(document.language).toBe('uk');
    expect(document.text).toContain('Їжа, ґанок, єдність');
    expect(document.files[0]?.fileName).toBe('statement-utf16le-bom.txt');

    expect(json<{ ok: boolean }>(runCli(['verify', '--archive', dir, '--json']).stdout).ok).toBe(true);
  });

  it('prints readable text without --json, with highlighted hits', () => {
    const dir = join(tempDir(), 'archive');
    runCli(['init', '--archive', dir]);
    runCli(['import', '--archive', dir, fixture('letter-utf8.txt')]);
    const found = runCli(['search', '--archive', dir, 'привет']);
    expect(found.stdout).toContain('1 document found');
    expect(found.stdout).toContain('[привет]');
  });

  it('exits 1 when a file failed, still importing the others', () => {
    const dir = join(tempDir(), 'archive');
    runCli(['init', '--archive', dir]);
    const run = runCli(['import', '--archive', dir, '--json', fixture('scan.pdf'), fixture('letter-cp1251.txt')]);
    expect(run.status).toBe(1);
    const report = json<{ imported: unknown[]; failed: { code: string }[] }>(run.stdout);
    expect(report.imported).toHaveLength(1);
    expect(report.failed.map((f) => f.code)).toEqual(['CORRUPT_FILE']);
  });

  it('exits 2 on a usage error and 1 with a coded JSON error when the archive is not there', () => {
    expect(runCli(['frobnicate']).status).toBe(2);
    expect(runCli(['import', '--archive', tempDir()]).status).toBe(2);
    expect(runCli(['search', '--archive', tempDir(), '--limit', 'many', 'x']).status).toBe(2);
    const missing = runCli(['search', '--archive', join(tempDir(), 'none'), '--json', 'x']);
    expect(missing.status).toBe(1);
    expect(json<{ error: { code: string } }>(missing.stdout).error.code).toBe('NOT_AN_ARCHIVE');
    const unknown = runCli(['show', '--archive', (() => { const d = join(tempDir(), 'a'); runCli(['init', '--archive', d]); return d; })(), '--json', '0000000000000000']);
    expect(json<{ error: { code: string } }>(unknown.stdout).error.code).toBe('NOT_FOUND');
  });

  it('finds the archive through KARTOTEKA_ARCHIVE, then the desktop settings, then the desktop default', () => {
    const byEnv = join(tempDir(), 'env-archive');
    runCli(['init', '--json'], { env: { KARTOTEKA_ARCHIVE: byEnv } });
    runCli(['import', fixture('letter-utf8.txt')], { env: { KARTOTEKA_ARCHIVE: byEnv } });
    expect(json<{ total: number }>(runCli(['search', '--archive', byEnv, '--json', 'привет']).stdout).total).toBe(1);

    const config = tempDir();
    const chosen = join(tempDir(), 'chosen-in-app');
    mkdirSync(join(config, 'Kartoteka'), { recursive: true });
    writeFileSync(join(config, 'Kartoteka', 'config.json'), JSON.stringify({ archivePath: chosen }));
    const init = json<{ path: string }>(runCli(['init', '--json'], { env: { XDG_CONFIG_HOME: config } }).stdout);
    expect(init.path).toBe(chosen);

    const fresh = tempDir();
    const initDefault = json<{ path: string }>(runCli(['init', '--json'], { env: { XDG_CONFIG_HOME: fresh } }).stdout);
    expect(initDefault.path).toBe(join(fresh, 'Kartoteka', 'archive'));
  });
});
