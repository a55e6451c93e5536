import type { SQLInputValue } from 'node:sqlite';
import type { DocumentKind } from '../../shared/document.ts';
import { compareNames } from '../../shared/names.ts';
import type { Facets, Highlight, SearchHit, SearchRequest, SearchResult, SearchSort } from '../../shared/reports.ts';
import type { Archive } from '../archive.ts';
import { FOREIGN_KEY, analyzeQueryWord, analyzeWord, fold, phraseStems, prefixKeys, tokens, type Token } from './analyzer.ts';
import { indexStatus } from './indexing.ts';
import { isEmptyQuery, parseQuery, type Filters, type ParsedQuery, type Term } from './query.ts';
import { nearTerms } from './vocabulary.ts';

/** Title and people weigh more than body text, for stems and keys alike. */
const BM25 = 'bm25(documents_index, 10.0, 5.0, 1.0, 10.0, 5.0, 1.0)';

const STEMS = '{title people body}';
const KEYS = '{title_keys people_keys body_keys}';
const ALL = '{title people body title_keys people_keys body_keys}';
const PEOPLE_STEMS = '{people}';
const PEOPLE_KEYS = '{people_keys}';

/** How far into a document the snippet looks for a match (long court records go past it). */
const SNIPPET_WINDOW = 2_000_000;
const SNIPPET_BEFORE = 90;
const SNIPPET_LENGTH = 260;
/** Transliteration keys this long also match keys one edit away: names are misspelled (Kargarlitsky). */
const AUTO_FUZZY_KEY = 8;
const FUZZY_LIMIT = 60;

/**
 * Typos allowed in a term of this length: stems and keys are shorter than the words typed, so a
 * short one gets fewer (none under 4 letters, where one edit reaches too many other words).
 */
const fuzzyDistance = (term: string, asked: 1 | 2): number => {
  const length = [...term.replace(/^0/u, '')].length;
  return Math.min(asked, length >= 8 ? 2 : length >= 4 ? 1 : 0);
};

const quote = (term: string): string => `"${term.replaceAll('"', '""')}"`;
const anyOf = (terms: Iterable<string>): string => {
  const list = [...new Set(terms)].filter((t) => t.length > 0);
  return list.length === 1 ? quote(list[0] ?? '') : `(${list.map(quote).join(' OR ')})`;
};

/** What one term of a query matches in a document's words, for highlighting. */
interface WordMatcher {
  stems: Set<string>;
  keys: Set<string>;
  stemPrefixes: string[];
  keyPrefixes: string[];
}

interface PhraseMatcher {
  words: Set<string>[];
}

export interface CompiledQuery {
  parsed: ParsedQuery;
  /** FTS5 expression every hit matches, or null when the query has no words. */
  match: string | null;
  /** FTS5 expression no hit may match. */
  exclude: string | null;
  where: string[];
  params: SQLInputValue[];
  words: WordMatcher[];
  phrases: PhraseMatcher[];
}

const emptyMatcher = (): WordMatcher => ({ stems: new Set(), keys: new Set(), stemPrefixes: [], keyPrefixes: [] });

function wordExpression(archive: Archive, text: string, languages: readonly string[], matcher: WordMatcher, columns: { stems: string; keys: string }): string {
  const terms = analyzeQueryWord(text, languages);
  const keys = new Set(terms.keys);
  if (terms.script === 'latin' || terms.script === 'cyrillic') {
    for (const key of terms.keys) {
      if (key.length < AUTO_FUZZY_KEY) continue;
      // Only keys of the same kind: Latin keys meet Latin keys and transliterations, Cyrillic keys Cyrillic ones.
      const latin = /^0?[a-z0-9]+$/u.test(key);
      for (const near of nearTerms(archive, key, 1, 10)) {
        if (/^0?[a-z0-9]+$/u.test(near.term) === latin && near.term.startsWith('0') === key.startsWith('0')) keys.add(near.term);
      }
    }
  }
  for (const stem of terms.stems) matcher.stems.add(stem);
  for (const key of keys) matcher.keys.add(key);
  if (keys.size === 0) return `${columns.stems} : ${anyOf(terms.stems)}`;
  return `(${columns.stems} : ${anyOf(terms.stems)} OR ${columns.keys} : ${anyOf(keys)})`;
}

function termExpression(archive: Archive, term: Term, languages: readonly string[], compiled: Pick<CompiledQuery, 'words' | 'phrases'>): string {
  switch (term.type) {
    case 'word': {
      const matcher = emptyMatcher();
      compiled.words.push(matcher);
      return wordExpression(archive, term.text, languages, matcher, { stems: STEMS, keys: KEYS });
    }
    case 'prefix': {
      // The index holds stems, often shorter than the prefix typed (права* must find права, stem
      // прав): so the prefix's own stems and keys match exactly, besides everything starting so.
      const { stems, keys } = prefixKeys(term.text);
      const whole = analyzeQueryWord(term.text, languages);
      compiled.words.push({ stems: new Set(whole.stems), keys: new Set(whole.keys), stemPrefixes: stems, keyPrefixes: keys });
      const stemPart = `${STEMS} : (${[...stems.map((s) => `${quote(s)}*`), ...whole.stems.map(quote)].join(' OR ')})`;
      const keyTerms = [...keys.map((k) => `${quote(k)}*`), ...whole.keys.map(quote)];
      if (keyTerms.length === 0) return stemPart;
      return `(${stemPart} OR ${KEYS} : (${keyTerms.join(' OR ')}))`;
    }
    case 'fuzzy': {
      const terms = analyzeQueryWord(term.text, languages);
      const found = new Set<string>([...terms.stems, ...terms.keys]);
      const latinKeys = terms.keys.filter((k) => /^[a-z0-9]+$/u.test(k));
      const bases = [terms.folded, ...terms.stems, ...terms.keys, ...latinKeys.map((k) => FOREIGN_KEY + k)];
      for (const base of new Set(bases)) {
        for (const near of nearTerms(archive, base, fuzzyDistance(base, term.distance), FUZZY_LIMIT)) found.add(near.term);
      }
      compiled.words.push({ stems: found, keys: found, stemPrefixes: [], keyPrefixes: [] });
      return `${ALL} : ${anyOf([...found].slice(0, FUZZY_LIMIT * 2))}`;
    }
    case 'phrase': {
      const sequences = phraseStems(term.words, languages);
      compiled.phrases.push({ words: term.words.map((_, i) => new Set(sequences.map((s) => s[i] ?? ''))) });
      return `${STEMS} : (${sequences.map((s) => quote(s.join(' '))).join(' OR ')})`;
    }
  }
}

/** A person filter: every word of the name must be among the document's people, in any spelling. */
function personExpression(archive: Archive, name: string, languages: readonly string[]): string | null {
  const parts = Array.from(tokens(name), (t) => wordExpression(archive, t.word, languages, emptyMatcher(), { stems: PEOPLE_STEMS, keys: PEOPLE_KEYS }));
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] ?? null) : `(${parts.join(' AND ')})`;
}

const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

function filterSql(filters: Filters, where: string[], params: SQLInputValue[]): void {
  const languageClause = (languages: string[], negate: boolean): void => {
    const parts = languages.map(() => '(d.language = ? OR d.language LIKE ?)');
    where.push(`${negate ? 'NOT ' : ''}(${parts.join(' OR ')})`);
    for (const language of languages) params.push(language, `${language}-%`);
  };
  // SQLite's own case folding knows only ASCII; tags and cases are in any script.
  const listClause = (column: 'tags' | 'cases', values: string[], negate: boolean): void => {
    for (const value of values) {
      where.push(`${negate ? 'NOT ' : ''}EXISTS (SELECT 1 FROM json_each(d.${column}) WHERE kartoteka_fold(value) = ?)`);
      params.push(fold(value.trim()));
    }
  };
  if (filters.kinds.length > 0) {
    where.push(`d.kind IN (${placeholders(filters.kinds)})`);
    params.push(...filters.kinds);
  }
  if (filters.not.kinds.length > 0) {
    where.push(`d.kind NOT IN (${placeholders(filters.not.kinds)})`);
    params.push(...filters.not.kinds);
  }
  if (filters.sensitivities.length > 0) {
    where.push(`d.sensitivity IN (${placeholders(filters.sensitivities)})`);
    params.push(...filters.sensitivities);
  }
  if (filters.not.sensitivities.length > 0) {
    where.push(`d.sensitivity NOT IN (${placeholders(filters.not.sensitivities)})`);
    params.push(...filters.not.sensitivities);
  }
  if (filters.languages.length > 0) languageClause(filters.languages, false);
  if (filters.not.languages.length > 0) languageClause(filters.not.languages, true);
  listClause('tags', filters.tags, false);
  listClause('tags', filters.not.tags, true);
  listClause('cases', filters.cases, false);
  listClause('cases', filters.not.cases, true);
  // Partial dates compare on the precision of the bound: 2023-05-17 is within date:2023..2023-05.
  if (filters.dateFrom !== null) {
    where.push('d.date IS NOT NULL AND substr(d.date, 1, ?) >= ?');
    params.push(filters.dateFrom.length, filters.dateFrom);
  }
  if (filters.dateTo !== null) {
    where.push('d.date IS NOT NULL AND substr(d.date, 1, ?) <= ?');
    params.push(filters.dateTo.length, filters.dateTo);
  }
}

const withFunctions = new WeakSet<Archive>();
const presentLanguages = new WeakMap<Archive, { generation: number; languages: string[] }>();

/**
 * The languages the archive's documents are in. A document's words are stemmed in its own language
 * only, so a query needs no other stemmers: an archive of Russian, Ukrainian and English documents
 * stems a Latin query word once, not in all eighteen Latin-script languages.
 */
function languagesOf(archive: Archive): string[] {
  const cached = presentLanguages.get(archive);
  if (cached?.generation === archive.generation) return cached.languages;
  const rows = archive.sql('SELECT DISTINCT language FROM documents').all() as unknown as { language: string }[];
  const languages = [...new Set(rows.map((r) => r.language.toLowerCase().split('-')[0] ?? ''))];
  presentLanguages.set(archive, { generation: archive.generation, languages });
  return languages;
}

/** Turns a query into FTS5 expressions and SQL conditions, and remembers what to highlight. */
export function compileQuery(archive: Archive, query: string): CompiledQuery {
  if (!withFunctions.has(archive)) {
    archive.db.function('kartoteka_fold', { deterministic: true }, (value) => (typeof value === 'string' ? fold(value) : value));
    withFunctions.add(archive);
  }
  const parsed = parseQuery(query);
  const languages = parsed.filters.languages.length > 0 ? parsed.filters.languages : languagesOf(archive);
  const compiled: CompiledQuery = { parsed, match: null, exclude: null, where: [], params: [], words: [], phrases: [] };
  const groups = parsed.groups.map((group) => {
    const parts = group.map((term) => termExpression(archive, term, languages, compiled));
    return parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(' OR ')})`;
  });
  for (const person of parsed.filters.people) {
    const expression = personExpression(archive, person, languages);
    if (expression) groups.push(expression);
  }
  const scratch = { words: [], phrases: [] };
  const excluded = parsed.excluded.map((term) => termExpression(archive, term, languages, scratch));
  for (const person of parsed.filters.not.people) {
    const expression = personExpression(archive, person, languages);
    if (expression) excluded.push(expression);
  }
  compiled.match = groups.length > 0 ? groups.join(' AND ') : null;
  compiled.exclude = excluded.length > 0 ? excluded.join(' OR ') : null;
  filterSql(parsed.filters, compiled.where, compiled.params);
  return compiled;
}

/** The FROM and WHERE every query part shares, and its parameters. */
function source(compiled: CompiledQuery): { from: string; where: string; params: SQLInputValue[]; ranked: boolean } {
  const where = [...compiled.where];
  const params: SQLInputValue[] = [];
  // The covering index keeps search off the document rows, which hold whole texts.
  let from = 'documents d INDEXED BY documents_search';
  if (compiled.match !== null) {
    from = 'documents_index JOIN documents d INDEXED BY documents_search ON d.n = documents_index.rowid';
    where.unshift('documents_index MATCH ?');
    params.push(compiled.exclude ? `(${compiled.match}) NOT (${compiled.exclude})` : compiled.match);
  } else if (compiled.exclude !== null) {
    where.unshift('d.n NOT IN (SELECT rowid FROM documents_index WHERE documents_index MATCH ?)');
    params.push(compiled.exclude);
  }
  params.push(...compiled.params);
  return { from, where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params, ranked: compiled.match !== null };
}

/** `of`: 'd.' on the documents table, '' on a subquery's columns n, rank and date. */
const orderBy = (sort: SearchSort, ranked: boolean, of = 'd.'): string => {
  if (sort === 'date-asc') return `ORDER BY ${of}date IS NULL, ${of}date ASC, ${of}n ASC`;
  if (sort === 'date-desc' || !ranked) return `ORDER BY ${of}date IS NULL, ${of}date DESC, ${of}n DESC`;
  return `ORDER BY rank, ${of}n`;
};

interface RankedRow {
  n: number;
  rank: number;
  /** Only when ranked: the number of all matches. */
  total?: number;
}

interface HitRow {
  n: number;
  id: string;
  title: string;
  kind: string;
  language: string;
  date: string | null;
  translation_of: string | null;
  rank: number;
  file: string | null;
}

/** Whether a document word (analyzed in the document's language) is one the query asked for. */
function wordMatches(matcher: WordMatcher, word: string, language: string): boolean {
  const terms = analyzeWord(word, language);
  if (matcher.stems.has(terms.stem)) return true;
  if (terms.key !== null && matcher.keys.has(terms.key)) return true;
  if (terms.foreign !== null && matcher.keys.has(terms.foreign)) return true;
  if (terms.foreignWord !== null && matcher.keys.has(terms.foreignWord)) return true;
  if (matcher.stemPrefixes.some((p) => terms.stem.startsWith(p))) return true;
  if (matcher.keyPrefixes.length > 0) {
    const keys = [terms.key, terms.foreign, terms.foreignWord].filter((k): k is string => k !== null);
    if (matcher.keyPrefixes.some((p) => keys.some((k) => k.startsWith(p)))) return true;
  }
  return false;
}

/**
 * The places in a text where the query matched, in the original text whatever form matched. Stops
 * once `stopAfter` characters past the first match have been read (a snippet needs no more).
 */
export function matchesIn(compiled: Pick<CompiledQuery, 'words' | 'phrases'>, text: string, language: string, stopAfter = Infinity): Highlight[] {
  const found: Highlight[] = [];
  const recent: Token[] = [];
  const longest = Math.max(0, ...compiled.phrases.map((p) => p.words.length));
  for (const token of tokens(text)) {
    if (found.length > 0 && token.start > (found[0]?.[0] ?? 0) + stopAfter) break;
    if (compiled.words.some((m) => wordMatches(m, token.word, language))) found.push([token.start, token.end]);
    if (longest > 1) {
      recent.push(token);
      if (recent.length > longest) recent.shift();
      for (const phrase of compiled.phrases) {
        const n = phrase.words.length;
        if (recent.length < n) continue;
        const window = recent.slice(recent.length - n);
        if (window.every((t, i) => phrase.words[i]?.has(analyzeWord(t.word, language).stem))) {
          for (const t of window) found.push([t.start, t.end]);
        }
      }
    }
  }
  const unique = new Map(found.map((h) => [`${h[0]}`, h]));
  return [...unique.values()].sort((a, b) => a[0] - b[0]);
}

function snippetOf(text: string, matches: Highlight[]): { snippet: string; highlights: Highlight[]; at: number | null } {
  const first = matches[0];
  if (!first) return { snippet: (text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text).replace(/\s/gu, ' '), highlights: [], at: null };
  let start = Math.max(0, first[0] - SNIPPET_BEFORE);
  if (start > 0) {
    const space = text.lastIndexOf(' ', first[0]);
    if (space > start) start = space + 1;
    else if (space >= 0 && space > start - 30) start = space + 1;
  }
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const space = text.indexOf(' ', end);
    if (space >= 0 && space - end < 30) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const snippet = `${prefix}${text.slice(start, end)}${suffix}`.replace(/\s/gu, ' ');
  const highlights = matches
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [s - start + prefix.length, e - start + prefix.length] as Highlight);
  return { snippet, highlights, at: first[0] };
}

function hitOf(archive: Archive, compiled: CompiledQuery, row: HitRow): SearchHit {
  const { head } = archive.sql('SELECT substr(text, 1, ?) AS head FROM documents WHERE n = ?').get(SNIPPET_WINDOW, row.n) as { head: string };
  const { snippet, highlights, at } = snippetOf(head, matchesIn(compiled, head, row.language, SNIPPET_LENGTH));
  const page =
    at === null
      ? null
      : ((archive.sql('SELECT page FROM document_pages WHERE document_id = ? AND start <= ? AND "end" > ?').get(row.id, at, at) as { page: number } | undefined)
          ?.page ?? null);
  const time =
    at === null
      ? null
      : ((
          archive
            .sql('SELECT start_seconds AS s FROM document_cues WHERE document_id = ? AND text_start <= ? AND text_end > ? ORDER BY seq LIMIT 1')
            .get(row.id, at, at) as { s: number } | undefined
        )?.s ?? null);
  const original = row.translation_of
    ? (archive.sql('SELECT id, title, language FROM documents WHERE id = ?').get(row.translation_of) as { id: string; title: string; language: string } | undefined)
    : undefined;
  const family = original?.id ?? row.id;
  const others = archive
    .sql('SELECT id, language FROM documents WHERE (id = ? OR translation_of = ?) AND id <> ? ORDER BY language, n')
    .all(family, family, row.id) as unknown as { id: string; language: string }[];
  return {
    id: row.id,
    title: row.title,
    kind: row.kind as DocumentKind,
    language: row.language,
    file: row.file,
    snippet,
    highlights,
    // bm25 is lower-is-better; scripts expect higher-is-better.
    score: -row.rank,
    date: row.date,
    page,
    time,
    translationOf: original ? { id: original.id, title: original.title, language: original.language } : null,
    otherLanguages: others.map((o) => ({ id: o.id, language: o.language })),
  };
}

const FACET_TOP = 20;
/** Facets of the last few queries, per archive, valid while the catalogue's change state holds. */
const FACET_CACHE_SIZE = 8;
const facetCache = new WeakMap<Archive, { state: string; byQuery: Map<string, Facets> }>();

/**
 * What identifies the catalogue's content as this connection sees it: data_version moves when another
 * connection (a CLI import in another process, a second window) commits; total_changes() and the
 * archive's generation move with this connection's own writes, in or out of a transaction.
 */
function changeState(archive: Archive): string {
  const { v, t } = archive.sql('SELECT (SELECT data_version FROM pragma_data_version) AS v, total_changes() AS t').get() as { v: number; t: number };
  return `${archive.generation}:${v}:${t}`;
}

const copyFacets = (facets: Facets): Facets => ({
  kind: facets.kind.map((c) => ({ ...c })),
  language: facets.language.map((c) => ({ ...c })),
  year: facets.year.map((c) => ({ ...c })),
  person: facets.person.map((c) => ({ ...c })),
  case: facets.case.map((c) => ({ ...c })),
  tag: facets.tag.map((c) => ({ ...c })),
});

/**
 * Facet counts over all of a query's hits. Reading 100,000 hits' rows cost ~0.5 s (measured), so the
 * whole archive's counts come from the table the catalogue keeps (migration 7), and any other
 * query's are kept until the catalogue changes, and computed with rows as arrays and each distinct
 * list parsed once.
 */
function facetsOf(archive: Archive, compiled: CompiledQuery, total: number): Facets {
  const { from, where, params } = source(compiled);
  // All of the archive matched (hits are documents, so as many hits as documents is all of them,
  // as with the overview's query): the counts kept by the catalogue's triggers are the answer.
  const kept = archive.sql('SELECT facet, value, count FROM facet_counts WHERE count > 0').all() as unknown as { facet: keyof Facets; value: string; count: number }[];
  if (kept.reduce((sum, row) => sum + (row.facet === 'kind' ? row.count : 0), 0) === total) {
    const counters = facetCounters();
    for (const row of kept) counters[row.facet].set(row.value, row.count);
    return topFacets(counters);
  }
  const text = `SELECT d.kind, d.language, substr(d.date, 1, 4) AS year, d.authors, d.recipients, d.cases, d.tags FROM ${from} ${where}`;
  const state = changeState(archive);
  let cache = facetCache.get(archive);
  if (cache?.state !== state) {
    cache = { state, byQuery: new Map() };
    facetCache.set(archive, cache);
  }
  const key = `${text}\u0000${JSON.stringify(params)}`;
  const cached = cache.byQuery.get(key);
  if (cached) return copyFacets(cached);
  const facets = countFacets(archive, text, params);
  if (cache.byQuery.size >= FACET_CACHE_SIZE) cache.byQuery.delete(cache.byQuery.keys().next().value ?? '');
  cache.byQuery.set(key, facets);
  return copyFacets(facets);
}

const facetCounters = (): Record<keyof Facets, Map<string, number>> => ({
  kind: new Map(),
  language: new Map(),
  year: new Map(),
  person: new Map(),
  case: new Map(),
  tag: new Map(),
});

function topFacets(counters: Record<keyof Facets, Map<string, number>>): Facets {
  const top = (map: Map<string, number>, byValue = false): { value: string; count: number }[] =>
    [...map.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => (byValue ? compareNames(b.value, a.value) : b.count - a.count || compareNames(a.value, b.value)))
      .slice(0, FACET_TOP);
  return {
    kind: top(counters.kind),
    language: top(counters.language),
    year: top(counters.year, true),
    person: top(counters.person),
    case: top(counters.case),
    tag: top(counters.tag),
  };
}

function countFacets(archive: Archive, text: string, params: SQLInputValue[]): Facets {
  const counters = facetCounters();
  const bump = (map: Map<string, number>, value: string): void => {
    map.set(value, (map.get(value) ?? 0) + 1);
  };
  // Lists repeat across documents (the same tags, the same author): parse each distinct one once.
  const lists = new Map<string, string[]>();
  const listOf = (json: string): string[] => {
    let values = lists.get(json);
    if (!values) {
      values = [...new Set(JSON.parse(json) as string[])];
      lists.set(json, values);
    }
    return values;
  };
  const people = new Map<string, string[]>();
  const peopleOf = (authors: string, recipients: string): string[] => {
    const key = `${authors}\u0000${recipients}`;
    let values = people.get(key);
    if (!values) {
      values = [...new Set([...(JSON.parse(authors) as string[]), ...(JSON.parse(recipients) as string[])])];
      people.set(key, values);
    }
    return values;
  };
  // A statement of its own (not the shared one from archive.sql) so that it can answer with arrays:
  // no object per row, a third less time over 100,000 rows.
  const rows = archive.db.prepare(text);
  rows.setReturnArrays(true);
  for (const row of rows.iterate(...params) as Iterable<[string, string, string | null, string, string, string, string]>) {
    const [kind, language, year, authors, recipients, cases, tags] = row;
    bump(counters.kind, kind);
    bump(counters.language, language);
    if (year) bump(counters.year, year);
    if (authors !== '[]' || recipients !== '[]') for (const person of peopleOf(authors, recipients)) bump(counters.person, person);
    if (cases !== '[]') for (const value of listOf(cases)) bump(counters.case, value);
    if (tags !== '[]') for (const value of listOf(tags)) bump(counters.tag, value);
  }
  return topFacets(counters);
}

/** The word as it is written in some document whose index holds `term`, for "did you mean". */
function surfaceOf(archive: Archive, term: string): string | null {
  const row = archive.sql('SELECT d.n, d.language, substr(d.text, 1, 200000) AS head FROM documents_index JOIN documents d ON d.n = documents_index.rowid WHERE documents_index MATCH ? LIMIT 1').get(quote(term)) as
    | { n: number; language: string; head: string }
    | undefined;
  if (!row) return null;
  for (const token of tokens(row.head)) {
    const terms = analyzeWord(token.word, row.language);
    if (terms.stem === term || terms.key === term || terms.foreign === term || terms.foreignWord === term) return token.word.toLowerCase();
  }
  return null;
}

/** A corrected query when some of its words matched nothing: each such word replaced by the nearest indexed word. */
function didYouMean(archive: Archive, compiled: CompiledQuery, query: string): string[] {
  const count = archive.sql('SELECT count(*) AS c FROM documents_index WHERE documents_index MATCH ?');
  let corrected = query;
  let changed = false;
  for (const group of compiled.parsed.groups) {
    for (const term of group) {
      if (term.type !== 'word') continue;
      const matcher = emptyMatcher();
      const expression = wordExpression(archive, term.text, [], matcher, { stems: STEMS, keys: KEYS });
      if ((count.get(expression) as { c: number }).c > 0) continue;
      const folded = analyzeQueryWord(term.text).folded;
      const best = nearTerms(archive, folded, [...folded].length <= 4 ? 1 : 2, 5)[0];
      const surface = best ? surfaceOf(archive, best.term) : null;
      if (surface && surface !== folded) {
        corrected = corrected.replace(term.text, surface);
        changed = true;
      }
    }
  }
  return changed ? [corrected] : [];
}

/** Runs a query: a page of ranked hits with snippets, the total, facets when asked, "did you mean" when nothing matched. */
export function search(archive: Archive, request: SearchRequest | string): SearchResult {
  const { query, offset = 0, limit = 50, sort = 'relevance', facets = false } = typeof request === 'string' ? { query: request } : request;
  const status = indexStatus(archive);
  const indexing = status.current ? null : status;
  const compiled = compileQuery(archive, query);
  if (isEmptyQuery(compiled.parsed)) return { total: 0, hits: [], suggestions: [], facets: null, indexing };
  const { from, where, params, ranked } = source(compiled);
  // Rank first, on the index (and the covering index when filtered), then read only the page's rows.
  // Ranking reads every match anyway, so the total comes from the same pass (a window count) and
  // the full-text match runs once; a listing without words counts on the covering index and
  // reads just its page in index order.
  const indexOnly = ranked && sort === 'relevance' && compiled.where.length === 0;
  const matches = indexOnly
    ? `SELECT rowid AS n, ${BM25} AS rank FROM documents_index WHERE documents_index MATCH ?`
    : `SELECT d.n AS n, ${ranked ? BM25 : '0'} AS rank, d.date AS date FROM ${from} ${where}`;
  // bm25() cannot sit beside a window function, hence the subquery.
  const ranking = ranked
    ? `SELECT n, rank, count(*) OVER () AS total FROM (${matches}) ${orderBy(sort, ranked, '')} LIMIT ? OFFSET ?`
    : `${matches} ${orderBy(sort, ranked)} LIMIT ? OFFSET ?`;
  const page = archive.sql(ranking).all(...params, limit, offset) as unknown as RankedRow[];
  const total = page[0]?.total ?? (ranked && offset === 0 ? 0 : (archive.sql(`SELECT count(*) AS c FROM ${from} ${where}`).get(...params) as { c: number }).c);
  const details = archive.sql(
    `SELECT d.n, d.id, d.title, d.kind, d.language, d.date, d.translation_of,
       (SELECT file_name FROM document_files f WHERE f.document_id = d.id ORDER BY position LIMIT 1) AS file
     FROM documents d WHERE d.n = ?`,
  );
  const rows = page.map((ranked) => ({ ...(details.get(ranked.n) as unknown as Omit<HitRow, 'rank'>), rank: ranked.rank }));
  return {
    total,
    hits: rows.map((row) => hitOf(archive, compiled, row)),
    suggestions: total === 0 ? didYouMean(archive, compiled, query) : [],
    facets: facets ? facetsOf(archive, compiled, total) : null,
    indexing,
  };
}

/** Where the query matches in one document's whole text, for the document view. */
export function highlightDocument(archive: Archive, id: string, query: string): Highlight[] {
  const row = archive.sql('SELECT language, text FROM documents WHERE id = ?').get(id) as { language: string; text: string } | undefined;
  if (!row) return [];
  return matchesIn(compileQuery(archive, query), row.text, row.language);
}

