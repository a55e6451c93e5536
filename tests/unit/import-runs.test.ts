import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers, importPaths } from '../../src/core/import.ts';
import { recentImports } from '../../src/core/import-runs.ts';
import { openSampleArchive } from '../../src/core/sample.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { fixture, sampleSourceDir, tempDir } from '../helpers.ts';

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

  it('leaves out the imports that built the sample archive, not those made into it later', async () => {
    const sample = await openSampleArchive(join(tempDir('kartoteka-runs-'), 'sample'), sampleSourceDir);
    expect(recentImports(sample)).toEqual([]);
    await importBuffers(sample, [file('note.txt', 'Заметка архивиста.')]);
    expect(recentImports(sample).map((r) => r.documents.map((d) => d.file))).toEqual([['note.txt']]);
    sample.close();
  });
});
