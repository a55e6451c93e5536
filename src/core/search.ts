import SearchableMap from 'minisearch/SearchableMap';
import type { DocumentKind } from '../shared/document.ts';
import type { Highlight, SearchResult } from '../shared/reports.ts';
import type { Archive } from './archive.ts';

const OPEN = '\uE000';
const CLOSE = '\uE001';

/** Past this many characters a document's snippet is cut by us, not FTS5 (whose snippet() is quadratic there). */
const LONG_TEXT = 500_000;
/** How far into a long document our own snippet looks for the first match. */
const LONG_TEXT_WINDOW = 2_000_000;

/** Title and people weigh more than body text in the ranking. */
const BM25 = 'bm25(documents_fts, 10.0, 5.0, 1.0)';

/** The words of a query, as FTS5 would cut them. */
export function queryWords(query: string): string[] {
  return query.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Each word quoted, so FTS5 operators typed by a user are taken as words; all must match. */
const ftsQuery = (words: readonly string[]): string => words.map((w) => `"${w}"`).join(' ');

/** Cuts FTS5's marked snippet into plain text plus highlight offsets. */
export function parseSnippet(marked: string): { snippet: string; highlights: Highlight[] } {
  let snippet = '';
  const highlights: Highlight[] = [];
  let start = -1;
  for (const char of marked) {
    if (char === OPEN) start = snippet.length;
    else if (char === CLOSE) {
      if (start >= 0) highlights.push([start, snippet.length]);
      start = -1;
    } else snippet += char;
  }
  return { snippet, highlights };
}

interface HitRow {
  id: string;
  title: string;
  kind: string;
  language: string;
  rank: number;
  marked: string | null;
  file: string | null;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** A snippet around the first whole-word match of a query word in the start of a long text. */
function longTextSnippet(archive: Archive, id: string, words: readonly string[]): { snippet: string; highlights: Highlight[] } {
  const row = archive.db.prepare('SELECT substr(text, 1, ?) AS head FROM documents WHERE id = ?').get(LONG_TEXT_WINDOW, id) as { head: string };
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'iu');
  const match = pattern.exec(row.head);
  if (!match) return { snippet: `${row.head.slice(0, 200)}…`, highlights: [] };
  const start = Math.max(0, match.index - 100);
  const prefix = start > 0 ? '…' : '';
  const snippet = `${prefix}${row.head.slice(start, match.index + match[0].length + 100)}…`;
  const at = prefix.length + match.index - start;
  return { snippet, highlights: [[at, at + match[0].length]] };
}

const vocabularies = new WeakMap<Archive, { generation: number; map: SearchableMap<number> }>();

/** The index's own vocabulary as a radix tree, for "did you mean" on words that matched nothing. */
function vocabulary(archive: Archive): SearchableMap<number> {
  const cached = vocabularies.get(archive);
  if (cached && cached.generation === archive.generation) return cached.map;
  const map = new SearchableMap<number>();
  for (const row of archive.db.prepare('SELECT term, doc FROM documents_fts_vocab').iterate() as Iterable<{ term: string; doc: number }>) {
    map.set(row.term, row.doc);
  }
  vocabularies.set(archive, { generation: archive.generation, map });
  return map;
}

function suggestionsFor(archive: Archive, words: readonly string[]): string[] {
  const count = archive.db.prepare('SELECT count(*) AS c FROM documents_fts WHERE documents_fts MATCH ?');
  const suggestions: string[] = [];
  for (const word of words) {
    if ((count.get(ftsQuery([word])) as { c: number }).c > 0) continue;
    const folded = word.toLowerCase();
    const matches = vocabulary(archive).fuzzyGet(folded, folded.length <= 4 ? 1 : 2);
    const best = [...matches.entries()]
      .map(([term, [frequency, distance]]) => ({ term, frequency, distance }))
      .sort((a, b) => a.distance - b.distance || b.frequency - a.frequency)[0];
    if (best && best.term !== folded) suggestions.push(best.term);
  }
  return suggestions;
}

/** Search v0: every word must match (case-folded), ranked by bm25, with a highlighted snippet. */
export function search(archive: Archive, query: string, offset = 0, limit = 50): SearchResult {
  const words = queryWords(query);
  if (words.length === 0) return { total: 0, hits: [], suggestions: [] };
  const match = ftsQuery(words);
  const total = (
    archive.db.prepare('SELECT count(*) AS c FROM documents_fts WHERE documents_fts MATCH ?').get(match) as { c: number }
  ).c;
  const rows = archive.db
    .prepare(
      `SELECT d.id, d.title, d.kind, d.language, ${BM25} AS rank,
         CASE WHEN d.text_length <= ${LONG_TEXT} THEN snippet(documents_fts, -1, '${OPEN}', '${CLOSE}', '…', 24) END AS marked,
         (SELECT file_name FROM document_files f WHERE f.document_id = d.id ORDER BY position LIMIT 1) AS file
       FROM documents_fts JOIN documents d ON d.n = documents_fts.rowid
       WHERE documents_fts MATCH ? ORDER BY rank, d.n LIMIT ? OFFSET ?`,
    )
    .all(match, limit, offset) as unknown as HitRow[];
  return {
    total,
    hits: rows.map((row) => ({
      id: row.id,
      title: row.title,
      kind: row.kind as DocumentKind,
      language: row.language,
      file: row.file,
      ...(row.marked === null ? longTextSnippet(archive, row.id, words) : parseSnippet(row.marked)),
      // bm25 is lower-is-better; scripts expect higher-is-better.
      score: -row.rank,
    })),
    suggestions: total === 0 ? suggestionsFor(archive, words) : [],
  };
}
