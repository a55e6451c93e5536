import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import {
  addToCollection,
  collectionDocuments,
  deleteCollection,
  listCollections,
  removeFromCollection,
  saveCollection,
} from '../../src/core/collections.ts';
import { getDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { tempDir } from '../helpers.ts';

const text = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });

function thrown(run: () => unknown): KartotekaError {
  try {
    run();
  } catch (error) {
    if (error instanceof KartotekaError) return error;
    throw error;
  }
  throw new Error('expected a KartotekaError');
}

describe('collections', () => {
  let archive: Archive;
  const ids: string[] = [];

  beforeAll(async () => {
    archive = Archive.create(join(tempDir('kartoteka-collections-'), 'archive'));
    const report = await importBuffers(archive, [
      text('a.txt', 'Первое письмо\n\nТекст.'),
      text('b.txt', 'Второе письмо\n\nТекст другой.'),
      text('c.txt', 'Третье письмо\n\nЕщё текст.'),
    ]);
    ids.push(...report.imported.map((i) => i.id));
  });

  it('puts documents together by hand and lists them in the order they were added', () => {
    const dossier = saveCollection(archive, null, 'Досье к апелляции');
    expect(dossier).toMatchObject({ name: 'Досье к апелляции', documentCount: 0 });
    const [a, b, c] = ids as [string, string, string];
    expect(addToCollection(archive, dossier.id, [c, a]).documentCount).toBe(2);
    expect(addToCollection(archive, dossier.id, [a, b]).documentCount).toBe(3);
    expect(collectionDocuments(archive, dossier.id).items.map((d) => d.title)).toEqual(['Третье письмо', 'Первое письмо', 'Второе письмо']);
    expect(collectionDocuments(archive, dossier.id, 1, 1)).toMatchObject({ total: 3, items: [{ title: 'Первое письмо' }] });
    expect(removeFromCollection(archive, dossier.id, [c]).documentCount).toBe(2);
    expect(getDocument(archive, c).title).toBe('Третье письмо');
  });

  it('renames a collection, refuses a name taken (whatever its case), and deletes it without touching its documents', () => {
    const press = saveCollection(archive, null, 'Для прессы');
    expect(saveCollection(archive, press.id, 'Пресс-кит').name).toBe('Пресс-кит');
    expect(thrown(() => saveCollection(archive, null, 'пресс-кит')).code).toBe('CONFLICT');
    addToCollection(archive, press.id, ids);
    expect(listCollections(archive).map((c) => c.name)).toContain('Пресс-кит');
    expect(deleteCollection(archive, press.id)).toEqual({ deleted: true });
    expect(deleteCollection(archive, press.id)).toEqual({ deleted: false });
    expect(listCollections(archive).map((c) => c.name)).not.toContain('Пресс-кит');
    expect(getDocument(archive, ids[0] ?? '').title).toBe('Первое письмо');
  });

  it('adds nothing when one of the documents is not in the archive', () => {
    const list = saveCollection(archive, null, 'Проверка');
    const error = thrown(() => addToCollection(archive, list.id, [ids[0] ?? '', '0000000000000000']));
    expect(error.code).toBe('NOT_FOUND');
    expect(collectionDocuments(archive, list.id).total).toBe(0);
    expect(thrown(() => addToCollection(archive, '0000000000000000', ids)).code).toBe('NOT_FOUND');
  });

  it('writes every change to the audit log', () => {
    const list = saveCollection(archive, null, 'Аудит');
    addToCollection(archive, list.id, ids.slice(0, 1));
    removeFromCollection(archive, list.id, ids.slice(0, 1));
    const actions = (archive.db.prepare('SELECT action FROM audit_log WHERE subject = ? ORDER BY seq').all(list.id) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['collection.create', 'collection.add', 'collection.remove']);
  });
});
