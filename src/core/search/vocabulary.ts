import SearchableMap from 'minisearch/SearchableMap';
import type { Archive } from '../archive.ts';

interface Cached {
  generation: number;
  builtAt: number;
  buildMs: number;
  map: SearchableMap<number>;
}

const vocabularies = new WeakMap<Archive, Cached>();

/** A vocabulary that took longer than this to read is refreshed at most every STALE_MS while the archive changes. */
const CHEAP_MS = 150;
const STALE_MS = 30_000;

/**
 * Every term of the index with the number of documents holding it, as a radix tree (MiniSearch's
 * SearchableMap) for fuzzy expansion and "did you mean". Reading it costs time on a big archive, so
 * while a bulk import changes the archive it is refreshed at most every 30 s: a fuzzy search may
 * miss words of the last seconds, never words that were there before.
 */
export function vocabulary(archive: Archive, now = Date.now()): SearchableMap<number> {
  const cached = vocabularies.get(archive);
  if (cached && (cached.generation === archive.generation || (cached.buildMs > CHEAP_MS && now - cached.builtAt < STALE_MS))) {
    return cached.map;
  }
  const started = performance.now();
  const map = new SearchableMap<number>();
  for (const row of archive.sql('SELECT term, doc FROM documents_index_vocab').iterate() as Iterable<{ term: string; doc: number }>) {
    map.set(row.term, row.doc);
  }
  vocabularies.set(archive, { generation: archive.generation, builtAt: now, buildMs: performance.now() - started, map });
  return map;
}

/** Index terms within `distance` edits of `term`, most documents first, at most `limit`. */
export function nearTerms(archive: Archive, term: string, distance: number, limit = 50): { term: string; docs: number; distance: number }[] {
  return [...vocabulary(archive).fuzzyGet(term, distance).entries()]
    .map(([found, [docs, d]]) => ({ term: found, docs, distance: d }))
    .sort((a, b) => a.distance - b.distance || b.docs - a.docs)
    .slice(0, limit);
}
