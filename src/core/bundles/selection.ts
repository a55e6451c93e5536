import type { BundleSelection } from '../../shared/bundles.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { Archive } from '../archive.ts';
import { caseDocuments } from '../cases.ts';
import { personDocuments } from '../people.ts';
import { indexState, nameKey, rebuildStep } from '../search/indexing.ts';
import { search } from '../search/search.ts';

/** The documents a selection names, oldest first (as the viewer lists them), and words for bag-info. */
export function resolveSelection(archive: Archive, selection: BundleSelection): { ids: string[]; description: string } {
  switch (selection.type) {
    case 'all': {
      const rows = archive.sql('SELECT id FROM documents ORDER BY date IS NULL, date, n').all() as unknown as { id: string }[];
      return { ids: rows.map((r) => r.id), description: 'the whole archive' };
    }
    case 'ids': {
      const unique = [...new Set(selection.ids)];
      const found = new Set(
        (archive.sql('SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(unique)) as unknown as { id: string }[]).map(
          (r) => r.id,
        ),
      );
      const missing = unique.filter((id) => !found.has(id));
      if (missing.length > 0) throw new KartotekaError('NOT_FOUND', `No document ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''} in this archive.`);
      return { ids: ordered(archive, unique), description: `${unique.length} chosen document${unique.length === 1 ? '' : 's'}` };
    }
    case 'search':
      return { ids: ordered(archive, searchAll(archive, selection.query)), description: `the search “${selection.query}”` };
    case 'person': {
      if (selection.id !== undefined) {
        const ids = personDocuments(archive, selection.id).map((d) => d.id);
        const name = (archive.sql('SELECT name FROM people WHERE id = ?').get(selection.id) as { name: string } | undefined)?.name ?? selection.id;
        return { ids: ordered(archive, ids), description: `the documents of ${name}` };
      }
      const name = selection.name ?? '';
      // The people in the archive of that name (or variant), and every document naming it in any spelling.
      const key = nameKey(name);
      const people = (archive.sql('SELECT id, name, variants FROM people').all() as unknown as { id: string; name: string; variants: string }[]).filter((p) =>
        [p.name, ...(JSON.parse(p.variants) as string[])].some((n) => nameKey(n) === key),
      );
      const ids = new Set(people.flatMap((p) => personDocuments(archive, p.id).map((d) => d.id)));
      for (const id of searchAll(archive, `person:"${name.replaceAll('"', ' ')}"`)) ids.add(id);
      return { ids: ordered(archive, [...ids]), description: `the documents of ${name}` };
    }
    case 'case':
      return { ids: caseDocuments(archive, selection.title).map((d) => d.id), description: `the case ${selection.title}` };
  }
}

/** Every document a query finds (the search pages through at most 500 at a time). */
function searchAll(archive: Archive, query: string): string[] {
  // A search during a re-index misses documents not reached yet: finish it first, as the CLI does.
  while (!indexState(archive).current) rebuildStep(archive, 200);
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const result = search(archive, { query, offset, limit: 500, sort: 'date-asc' });
    ids.push(...result.hits.map((h) => h.id));
    if (result.hits.length < 500 || ids.length >= result.total) return ids;
  }
}

/** Oldest first, undated last, then in the order they came into the archive. */
function ordered(archive: Archive, ids: readonly string[]): string[] {
  const rows = archive
    .sql('SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY date IS NULL, date, n')
    .all(JSON.stringify(ids)) as unknown as { id: string }[];
  return rows.map((r) => r.id);
}
