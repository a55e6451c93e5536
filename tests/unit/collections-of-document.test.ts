import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Service, createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { addToCollection, collectionsOfDocument, deleteCollection, removeFromCollection, saveCollection } from '../../src/core/collections.ts';
import { importBuffers } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';

const text = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });

describe('the collections a document is in', () => {
  let archive: Archive;
  let service: Service;
  const ids: string[] = [];

  beforeAll(async () => {
    archive = Archive.create(join(tempDir('kartoteka-doc-collections-'), 'archive'));
    const report = await importBuffers(archive, [text('a.txt', 'Письмо адвокату.'), text('b.txt', 'Письмо в суд.')]);
    ids.push(...report.imported.map((i) => i.id));
    service = createService(new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 's'), sampleSourceDir }));
  });

  it('lists them by name, follows adding and removing, and forgets a deleted collection', () => {
    const [a, b] = ids as [string, string];
    expect(collectionsOfDocument(archive, a)).toEqual([]);
    const press = saveCollection(archive, null, 'Для прессы');
    const court = saveCollection(archive, null, 'Court dossier');
    addToCollection(archive, press.id, [a, b]);
    addToCollection(archive, court.id, [a]);
    expect(collectionsOfDocument(archive, a).map((c) => [c.name, c.documentCount])).toEqual([
      ['Court dossier', 1],
      ['Для прессы', 2],
    ]);
    expect(collectionsOfDocument(archive, b).map((c) => c.name)).toEqual(['Для прессы']);
    removeFromCollection(archive, press.id, [a]);
    expect(collectionsOfDocument(archive, a).map((c) => c.name)).toEqual(['Court dossier']);
    deleteCollection(archive, court.id);
    expect(collectionsOfDocument(archive, a)).toEqual([]);
  });

  it('answers through the contract, and NOT_FOUND for a document the archive does not hold', async () => {
    const [, b] = ids as [string, string];
    const answer = await dispatch(service, 'collections.forDocument', { documentId: b });
    expect(answer.ok && (answer.value as { name: string }[]).map((c) => c.name)).toEqual(['Для прессы']);
    const missing = await dispatch(service, 'collections.forDocument', { documentId: '01zzzzzzzzzzzzzzzzzzzzzzzz' });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
    const invalid = await dispatch(service, 'collections.forDocument', { documentId: '' });
    expect(invalid.ok ? null : invalid.error.code).toBe('INVALID_REQUEST');
    expect(() => collectionsOfDocument(archive, 'nope')).toThrow(KartotekaError);
  });
});
