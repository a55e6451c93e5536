import type { DuplicatePair } from '../shared/entities.ts';
import { KartotekaError } from '../shared/errors.ts';
import type { Archive } from './archive.ts';
import { SUMMARY_COLUMNS, type SummaryRow, summaryOf } from './documents.ts';

/**
 * Possible duplicates: a document imported (or merged in from a bundle) whose text equals one the
 * archive already had, such as the PDF and the DOCX of one letter. Both are kept, linked, until an
 * archivist has looked at them; "not the same" takes the link away (audited), keeping both documents.
 */

export function listPossibleDuplicates(archive: Archive, offset = 0, limit = 100): { total: number; items: DuplicatePair[] } {
  const total = (archive.sql("SELECT count(*) AS c FROM document_links WHERE kind = 'possible-duplicate'").get() as { c: number }).c;
  const links = archive
    .sql("SELECT from_id, to_id, created_at FROM document_links WHERE kind = 'possible-duplicate' ORDER BY created_at DESC, from_id LIMIT ? OFFSET ?")
    .all(limit, offset) as unknown as { from_id: string; to_id: string; created_at: string }[];
  const summary = archive.sql(`SELECT ${SUMMARY_COLUMNS} FROM documents d WHERE d.id = ?`);
  const items: DuplicatePair[] = [];
  for (const link of links) {
    const document = summary.get(link.from_id) as SummaryRow | undefined;
    const duplicateOf = summary.get(link.to_id) as SummaryRow | undefined;
    // Links go with their documents (ON DELETE CASCADE): both are there.
    if (document && duplicateOf) items.push({ document: summaryOf(document), duplicateOf: summaryOf(duplicateOf), linkedAt: link.created_at });
  }
  return { total, items };
}

/** The two are not the same document after all: the link goes, both documents stay. */
export function dismissPossibleDuplicate(archive: Archive, documentId: string, duplicateOf: string): { total: number } {
  archive.transaction(() => {
    // Either way round: the document view may name the pair from either end.
    const link = archive
      .sql("SELECT from_id, to_id FROM document_links WHERE kind = 'possible-duplicate' AND ((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))")
      .get(documentId, duplicateOf, duplicateOf, documentId) as { from_id: string; to_id: string } | undefined;
    if (!link) throw new KartotekaError('NOT_FOUND', `${documentId} and ${duplicateOf} are not marked as possible duplicates.`);
    archive.sql("DELETE FROM document_links WHERE kind = 'possible-duplicate' AND from_id = ? AND to_id = ?").run(link.from_id, link.to_id);
    // In the history of the document imported later, where the link was made.
    archive.audit('duplicate.dismiss', link.from_id, { duplicateOf: link.to_id });
  });
  return { total: (archive.sql("SELECT count(*) AS c FROM document_links WHERE kind = 'possible-duplicate'").get() as { c: number }).c };
}
