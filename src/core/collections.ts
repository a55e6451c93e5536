import type { DocumentSummary } from '../shared/document.ts';
import { type Collection, CollectionName } from '../shared/entities.ts';
import { KartotekaError } from '../shared/errors.ts';
import { compareNames } from '../shared/names.ts';
import type { Archive } from './archive.ts';
import { newDocumentId } from './clock.ts';
import { SUMMARY_COLUMNS, type SummaryRow, listKey, summaryOf } from './documents.ts';

/** A collection is a named set of documents put together by hand: a dossier for a hearing, a press pack. */

const COLLECTION_SELECT = `SELECT c.id, c.name, c.created_at, (SELECT count(*) FROM collection_documents cd WHERE cd.collection_id = c.id) AS document_count
  FROM collections c`;

interface CollectionRow {
  id: string;
  name: string;
  created_at: string;
  document_count: number;
}

const collectionOf = (row: CollectionRow): Collection => ({ id: row.id, name: row.name, createdAt: row.created_at, documentCount: row.document_count });

export function getCollection(archive: Archive, id: string): Collection {
  const row = archive.sql(`${COLLECTION_SELECT} WHERE c.id = ?`).get(id) as CollectionRow | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No collection ${id} in this archive.`);
  return collectionOf(row);
}

export function listCollections(archive: Archive): Collection[] {
  const rows = archive.sql(COLLECTION_SELECT).all() as unknown as CollectionRow[];
  return rows.map(collectionOf).sort((a, b) => compareNames(a.name, b.name));
}

/** Creates a collection (id null or absent) or renames one; names are unique, whatever their case. */
export function saveCollection(archive: Archive, id: string | null | undefined, name: string): Collection {
  const parsed = CollectionName.parse(name);
  const collectionId = id ?? newDocumentId(archive.clock());
  archive.transaction(() => {
    for (const row of archive.sql('SELECT id, name FROM collections').all() as unknown as { id: string; name: string }[]) {
      if (row.id !== id && listKey(row.name) === listKey(parsed)) {
        throw new KartotekaError('CONFLICT', `There is already a collection named "${row.name}".`, { id: row.id });
      }
    }
    if (id === null || id === undefined) {
      archive.sql('INSERT INTO collections (id, name, created_at) VALUES (?, ?, ?)').run(collectionId, parsed, archive.now());
      archive.audit('collection.create', collectionId, { name: parsed });
      return;
    }
    const before = getCollection(archive, id);
    if (before.name === parsed) return;
    archive.sql('UPDATE collections SET name = ? WHERE id = ?').run(parsed, id);
    archive.audit('collection.rename', id, { from: before.name, to: parsed });
  });
  return getCollection(archive, collectionId);
}

/** Deletes a collection; its documents stay in the archive. */
export function deleteCollection(archive: Archive, id: string): { deleted: boolean } {
  return archive.transaction(() => {
    const row = archive.sql('SELECT name FROM collections WHERE id = ?').get(id) as { name: string } | undefined;
    if (!row) return { deleted: false };
    const removed = archive.sql('DELETE FROM collection_documents WHERE collection_id = ?').run(id).changes;
    archive.sql('DELETE FROM collections WHERE id = ?').run(id);
    archive.audit('collection.delete', id, { name: row.name, documents: Number(removed) });
    return { deleted: true };
  });
}

/** Puts documents into a collection (those already in it stay as they are); all or none. */
export function addToCollection(archive: Archive, id: string, documentIds: readonly string[]): Collection {
  archive.transaction(() => {
    getCollection(archive, id);
    const ids = [...new Set(documentIds)];
    const known = new Set(
      (archive.sql('SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as unknown as { id: string }[]).map((r) => r.id),
    );
    const missing = ids.filter((d) => !known.has(d));
    if (missing.length > 0) throw new KartotekaError('NOT_FOUND', `No document ${missing.join(', ')} in this archive.`, { missing });
    const insert = archive.sql('INSERT OR IGNORE INTO collection_documents (collection_id, document_id, added_at) VALUES (?, ?, ?)');
    const now = archive.now();
    const added = ids.filter((d) => Number(insert.run(id, d, now).changes) > 0);
    if (added.length > 0) archive.audit('collection.add', id, { documents: added });
  });
  return getCollection(archive, id);
}

export function removeFromCollection(archive: Archive, id: string, documentIds: readonly string[]): Collection {
  archive.transaction(() => {
    getCollection(archive, id);
    const remove = archive.sql('DELETE FROM collection_documents WHERE collection_id = ? AND document_id = ?');
    const removed = [...new Set(documentIds)].filter((d) => Number(remove.run(id, d).changes) > 0);
    if (removed.length > 0) archive.audit('collection.remove', id, { documents: removed });
  });
  return getCollection(archive, id);
}

/** A collection's documents in the order they were put in (collection_documents' rowid: in the order of the ids given). */
export function collectionDocuments(archive: Archive, id: string, offset = 0, limit = 200): { total: number; items: DocumentSummary[] } {
  const { documentCount } = getCollection(archive, id);
  const rows = archive
    .sql(
      `SELECT ${SUMMARY_COLUMNS} FROM collection_documents cd JOIN documents d ON d.id = cd.document_id
       WHERE cd.collection_id = ? ORDER BY cd.rowid LIMIT ? OFFSET ?`,
    )
    .all(id, limit, offset) as unknown as SummaryRow[];
  return { total: documentCount, items: rows.map(summaryOf) };
}

/** The collections a document is in, by name; NOT_FOUND for a document the archive does not hold. */
export function collectionsOfDocument(archive: Archive, documentId: string): Collection[] {
  if (archive.sql('SELECT 1 AS x FROM documents WHERE id = ?').get(documentId) === undefined) {
    throw new KartotekaError('NOT_FOUND', `No document ${documentId} in this archive.`);
  }
  const rows = archive
    .sql(`${COLLECTION_SELECT} WHERE c.id IN (SELECT collection_id FROM collection_documents WHERE document_id = ?)`)
    .all(documentId) as unknown as CollectionRow[];
  return rows.map(collectionOf).sort((a, b) => compareNames(a.name, b.name));
}
