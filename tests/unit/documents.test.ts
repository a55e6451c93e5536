import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { documentHistory, getDocument, updateDocument, updateDocuments } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { search } from '../../src/core/search/search.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';

const text = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });

describe('bulk edit', () => {
  let archive: Archive;
  const ids: string[] = [];

  beforeEach(async () => {
    archive = Archive.create(join(tempDir('kartoteka-bulk-'), 'archive'));
    const report = await importBuffers(archive, [
      text('a.txt', 'Первое письмо\n\nМама, у меня всё хорошо.'),
      text('b.txt', 'Второе письмо\n\nСуд назначил апелляцию.'),
      text('c.txt', 'Third letter\n\nThe appeal is set for May.'),
    ]);
    ids.splice(0, ids.length, ...report.imported.map((i) => i.id));
    updateDocument(archive, ids[0] ?? '', { tags: ['ИК-7', 'family'], cases: ['Дело Соловьёва'] });
  });

  it('changes kind, sensitivity, tags and cases of many documents at once, one audit row each', () => {
    const result = updateDocuments(archive, ids, {
      kind: 'letter',
      sensitivity: 'confidential',
      tags: { add: ['letter-from-prison', 'ик-7'], remove: ['FAMILY'] },
      cases: { add: ['Дело Соловьёва'] },
    });
    expect(result).toEqual({ updated: ids, unchanged: [], failed: [] });
    expect(getDocument(archive, ids[0] ?? '')).toMatchObject({ kind: 'letter', sensitivity: 'confidential', tags: ['ИК-7', 'letter-from-prison'], cases: ['Дело Соловьёва'] });
    expect(getDocument(archive, ids[2] ?? '')).toMatchObject({ kind: 'letter', tags: ['letter-from-prison', 'ик-7'], cases: ['Дело Соловьёва'] });
    for (const id of ids) expect(documentHistory(archive, id).filter((e) => e.action === 'document.update').length).toBe(id === ids[0] ? 2 : 1);
    expect(search(archive, 'case:"Дело Соловьёва" kind:letter sensitivity:confidential').total).toBe(3);
  });

  it('reports documents that are not there as data and changes the others', () => {
    const missing = '0000000000000000';
    const result = updateDocuments(archive, [ids[1] ?? '', missing, ids[2] ?? ''], { sensitivity: 'public' });
    expect(result.updated).toEqual([ids[1], ids[2]]);
    expect(result.failed).toEqual([{ id: missing, code: 'NOT_FOUND', message: expect.stringContaining(missing) }]);
    expect(getDocument(archive, ids[2] ?? '').sensitivity).toBe('public');
  });

  it('leaves documents that already are as asked unchanged, without an audit row', () => {
    updateDocuments(archive, ids, { language: 'ru' });
    const before = documentHistory(archive, ids[1] ?? '').length;
    const result = updateDocuments(archive, ids.slice(0, 2), { language: 'ru', tags: { remove: ['nothing'] } });
    expect(result).toEqual({ updated: [], unchanged: ids.slice(0, 2), failed: [] });
    expect(documentHistory(archive, ids[1] ?? '').length).toBe(before);
  });
});

describe('documents.update through the API', () => {
  it('changes only the fields the patch names (cases and translation fields stay)', async () => {
    const archive = Archive.create(join(tempDir('kartoteka-update-api-'), 'archive'));
    const service = createService(new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 's'), sampleSourceDir }));
    const report = await importBuffers(archive, [text('a.txt', 'Письмо\n\nТекст.')]);
    const id = report.imported[0]?.id ?? '';
    updateDocument(archive, id, { cases: ['Дело Соловьёва'], translator: 'Анна', translationStatus: 'reviewed' });
    const result = await dispatch(service, 'documents.update', { id, patch: { title: 'Письмо матери' } });
    expect(result).toMatchObject({ ok: true, value: { title: 'Письмо матери', cases: ['Дело Соловьёва'], translator: 'Анна', translationStatus: 'reviewed' } });
  });
});
