import { KartotekaError } from '../../shared/errors.ts';
import type { SavedSearch, SearchSort } from '../../shared/reports.ts';
import type { Archive } from '../archive.ts';
import { parseQuery } from './query.ts';

interface Row {
  name: string;
  query: string;
  sort: string;
  created_at: string;
  updated_at: string;
}

const savedOf = (row: Row): SavedSearch => ({
  name: row.name,
  query: row.query,
  sort: row.sort as SearchSort,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function listSavedSearches(archive: Archive): SavedSearch[] {
  const rows = archive.sql('SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE').all() as unknown as Row[];
  return rows.map(savedOf);
}

export function getSavedSearch(archive: Archive, name: string): SavedSearch {
  const row = archive.sql('SELECT * FROM saved_searches WHERE name = ?').get(name) as Row | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `There is no saved search named "${name}".`);
  return savedOf(row);
}

/** Saves (or replaces) a named search; a query that does not parse is refused with its message. */
export function saveSearch(archive: Archive, name: string, query: string, sort: SearchSort): SavedSearch {
  const trimmed = name.trim();
  if (!trimmed) throw new KartotekaError('INVALID_REQUEST', 'A saved search needs a name.');
  parseQuery(query);
  archive.transaction(() => {
    const now = archive.now();
    archive
      .sql(
        `INSERT INTO saved_searches (name, query, sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET query = excluded.query, sort = excluded.sort, updated_at = excluded.updated_at`,
      )
      .run(trimmed, query, sort, now, now);
    archive.audit('search.save', null, { name: trimmed, query, sort });
  });
  return getSavedSearch(archive, trimmed);
}

export function deleteSavedSearch(archive: Archive, name: string): { deleted: boolean } {
  let deleted = false;
  archive.transaction(() => {
    deleted = Number(archive.sql('DELETE FROM saved_searches WHERE name = ?').run(name).changes) > 0;
    if (deleted) archive.audit('search.delete', null, { name });
  });
  return { deleted };
}
