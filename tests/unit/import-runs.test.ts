import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers, importPaths } from '../../src/core/import.ts';
import { recentImports } from '../../src/core/import-runs.ts';
import { openSampleArchive } from '../../src/core/sample.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { fixture, runCli, sampleSourceDir, tempDir } from '../helpers.ts';
import { lawyersFolder } from './pdf-fixtures.ts';

const file = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });

describe('recent imports, kept in the archive', () => {
  it('lists the latest imports newest first, with their counts and the documents they brought in', async () => {
    const archive = Archive.create(join(tempDir('kartoteka-runs-'), 'archive'));
    await importBuffers(archive, [file('first.txt', 'Первое письмо.'), file('second.txt', 'Второе письмо.')]);
    await importPaths(archive, [fixture('letter-utf8.txt'), fixture('empty.txt')]);
    // The same bytes again: a duplicate, nothing new.
    await importBuffers(archive, [file('first again.txt', 'Первое письмо.')]);

    const runs = recentImports(archive);
    expect(runs.map((r) => r.counts)).toEqual([
      { imported: 0, duplicates: 1, possibleDuplicates: 0, failed: 0 },
      { imported: 1, duplicates: 0, possibleDuplicates: 0, failed: 1 },
      { imported: 2, duplicates: 0, possibleDuplicates: 0, failed: 0 },
    ]);
    expect(runs.every((r) => r.status === 'finished' && r.finishedAt !== null)).toBe(true);
    expect(runs[2]?.documents.map((d) => d.file)).toEqual(['first.txt', 'second.txt']);
    expect(runs[2]?.roots).toEqual(['first.txt', 'second.txt']);
    expect(runs[1]?.roots).toEqual([fixture('letter-utf8.txt'), fixture('empty.txt')]);
    expect(runs[1]?.documents).toHaveLength(1);
    expect(runs[1]?.documents[0]?.title).not.toBe('');
    expect(recentImports(archive, 1)).toHaveLength(1);
    // After a restart they are still there.
    archive.close();
    const again = Archive.open(archive.root);
    expect(recentImports(again).map((r) => r.id)).toEqual(runs.map((r) => r.id));
    const service = createService(new ArchiveSession(again, { sampleArchiveDir: join(tempDir(), 's'), sampleSourceDir }));
    const answer = await dispatch(service, 'import.recent', { limit: 2 });
    expect(answer.ok && (answer.value as unknown[]).length).toBe(2);
    expect((await dispatch(service, 'import.recent', { limit: 0 })).ok).toBe(false);
  });

  it('keeps each run’s failed files with their code and message, and its possible duplicates, after a restart', async () => {
    const root = tempDir('kartoteka-runs-');
    const folder = await lawyersFolder(root);
    const archive = Archive.create(join(root, 'archive'));
    const report = await importPaths(archive, [folder]);
    expect(report.failed.map((f) => f.code)).toEqual(['CORRUPT_FILE', 'EMPTY_FILE']);
    // The same letter again with other bytes (a blank line more): imported, but a possible duplicate.
    const copy = join(root, 'letter copy.md');
    writeFileSync(copy, `${readFileSync(fixture('letter-utf8.txt'), 'utf8')}\n\n`);
    const second = await importPaths(archive, [copy]);
    expect(second.possibleDuplicates).toHaveLength(1);
    archive.close();

    const again = Archive.open(archive.root);
    const service = createService(new ArchiveSession(again, { sampleArchiveDir: join(tempDir(), 's'), sampleSourceDir }));
    const answer = await dispatch(service, 'import.recent', {});
    if (!answer.ok) throw new Error(answer.error.message);
    const [latest, folderRun] = answer.value as ReturnType<typeof recentImports>;
    expect(folderRun?.counts).toEqual({ imported: 1, duplicates: 0, possibleDuplicates: 0, failed: 2 });
    expect(folderRun?.failed).toEqual([
      { file: join(folder, 'appeal.pdf'), code: 'CORRUPT_FILE', message: report.failed[0]?.message },
      { file: join(folder, 'empty.txt'), code: 'EMPTY_FILE', message: report.failed[1]?.message },
    ]);
    expect(folderRun?.failed[0]?.message).toMatch(/damaged/u);
    expect(folderRun?.possibleDuplicates).toEqual([]);
    const original = report.imported[0];
    expect(latest?.failed).toEqual([]);
    expect(latest?.possibleDuplicates).toEqual([
      { file: copy, id: second.possibleDuplicates[0]?.id, duplicateOf: original?.id, duplicateOfTitle: folderRun?.documents[0]?.title },
    ]);
    again.close();
  });

  it('keeps the failures of an import run from the command line', () => {
    const root = tempDir('kartoteka-runs-');
    const folder = join(root, 'scans');
    mkdirSync(folder);
    writeFileSync(join(folder, 'blank.txt'), '');
    writeFileSync(join(folder, 'note.txt'), 'Записка из колонии.');
    const dir = join(root, 'archive');
    expect(runCli(['init', '--archive', dir, '--json']).status).toBe(0);
    // One file failed: exit status 1, and the run keeps why.
    expect(runCli(['import', '--archive', dir, '--json', folder, join(folder, 'gone.txt')]).status).toBe(1);
    const archive = Archive.open(dir);
    const [run] = recentImports(archive);
    expect(run?.counts).toMatchObject({ imported: 1, failed: 2 });
    expect(run?.failed.map((f) => [f.file, f.code])).toEqual([
      [join(folder, 'blank.txt'), 'EMPTY_FILE'],
      [join(folder, 'gone.txt'), 'FILE_NOT_FOUND'],
    ]);
    archive.close();
  });

  it('leaves out the imports that built the sample archive, not those made into it later', async () => {
    const sample = await openSampleArchive(join(tempDir('kartoteka-runs-'), 'sample'), sampleSourceDir);
    expect(recentImports(sample)).toEqual([]);
    await importBuffers(sample, [file('note.txt', 'Заметка архивиста.')]);
    expect(recentImports(sample).map((r) => r.documents.map((d) => d.file))).toEqual([['note.txt']]);
    sample.close();
  });
});
