import MiniSearch from 'minisearch';
import type { SearchSuggestion } from '../../shared/reports.ts';
import type { Archive } from '../archive.ts';
import { analyzeQueryWord, fold, prefixKeys, tokens } from './analyzer.ts';

interface Entry {
  id: number;
  type: 'person' | 'case' | 'tag';
  value: string;
  count: number;
}

interface Cached {
  generation: number;
  builtAt: number;
  buildMs: number;
  index: MiniSearch<Entry>;
}

const cache = new WeakMap<Archive, Cached>();
const CHEAP_MS = 100;
const STALE_MS = 10_000;

/** Folds like the search analyzer, and adds the transliteration key, so "kagar" suggests Кагарлицкий. */
function termsOf(text: string): string[] {
  return Array.from(tokens(text), (t) => {
    const folded = fold(t.word);
    const key = prefixKeys(t.word).keys[0];
    return key && key !== folded ? [folded, key] : [folded];
  }).flat();
}

/**
 * People, cases and tags of the archive in a MiniSearch index (prefix and fuzzy matching). Rebuilt
 * when the archive changed, but while a bulk import runs at most every 10 s if building is slow.
 */
function namesIndex(archive: Archive, now = Date.now()): MiniSearch<Entry> {
  const cached = cache.get(archive);
  if (cached && (cached.generation === archive.generation || (cached.buildMs > CHEAP_MS && now - cached.builtAt < STALE_MS))) return cached.index;
  const started = performance.now();
  // The catalogue keeps these counts as documents change (facet_counts), so a rebuild reads a few
  // thousand rows instead of every document's lists, which at 100,000 documents stalled typing during imports.
  const rows = archive
    .sql("SELECT facet AS type, value, count FROM facet_counts WHERE facet IN ('person', 'case', 'tag') AND count > 0")
    .all() as unknown as Omit<Entry, 'id'>[];
  const entries = rows.map((row, id) => ({ ...row, id }));
  const index = new MiniSearch<Entry>({
    fields: ['value'],
    storeFields: ['type', 'value', 'count'],
    tokenize: (text) => [text],
    processTerm: (term) => termsOf(term),
    searchOptions: { prefix: true, fuzzy: (term) => (term.length > 4 ? 1 : 0), combineWith: 'AND' },
  });
  index.addAll(entries);
  cache.set(archive, { generation: archive.generation, builtAt: now, buildMs: performance.now() - started, index });
  return index;
}

/** As-you-type suggestions: people, cases and tags first (by how often they occur), then titles. */
export function suggest(archive: Archive, prefix: string, limit = 10): SearchSuggestion[] {
  const text = prefix.trim();
  if (!text) return [];
  const found: SearchSuggestion[] = namesIndex(archive)
    .search(text)
    .sort((a, b) => b.score - a.score || (b['count'] as number) - (a['count'] as number))
    .slice(0, limit)
    .map((r) => ({ type: r['type'] as SearchSuggestion['type'], value: r['value'] as string, id: null }));
  const words = Array.from(tokens(text), (t) => t.word);
  if (found.length < limit && words.length > 0) {
    const match = words
      .map((word, i) => {
        const last = i === words.length - 1;
        const { stems, keys } = last ? prefixKeys(word) : analyzeQueryWord(word);
        const star = last ? '*' : '';
        const stemPart = `{title} : (${stems.map((s) => `"${s}"${star}`).join(' OR ')})`;
        return keys.length > 0 && last ? `(${stemPart} OR {title_keys} : (${keys.map((k) => `"${k}"*`).join(' OR ')}))` : stemPart;
      })
      .join(' AND ');
    const titles = archive
      .sql(
        `SELECT d.id, d.title FROM documents_index JOIN documents d ON d.n = documents_index.rowid
         WHERE documents_index MATCH ? ORDER BY bm25(documents_index, 10.0, 0, 0, 10.0, 0, 0) LIMIT ?`,
      )
      .all(match, limit - found.length) as unknown as { id: string; title: string }[];
    for (const title of titles) found.push({ type: 'title', value: title.title, id: title.id });
  }
  return found;
}
