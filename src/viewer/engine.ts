import MiniSearch, { type AsPlainObject, type SearchResult } from 'minisearch';
import { analyzeQueryWord, analyzeWord, fold, prefixKeys, tokens } from '../core/search/analyzer.ts';
import { type Filters, type Term, isEmptyQuery, parseQuery } from '../core/search/query.ts';
import { FIELDS, KEY_MARK, MAX_PREFIX, type ViewerCatalogue, type ViewerItem, type ViewerText, termsOf } from '../core/bundles/viewer-index.ts';

/**
 * The viewer's search: the app's query language (parsed by the app's own parser), each word
 * analyzed by the app's analyzer into the stems and transliteration keys the index holds, looked
 * up in the shards of the index that hold them (loaded on first use), scored by MiniSearch (BM25,
 * title and people weighing more, as in the app), and combined: every word must match, any of
 * "a OR b", none of "-c". Phrases match their words anywhere in the document (the viewer does not
 * check their order). Filters are checked against the catalogue.
 */

/** Loads a script of the bundle (relative to index.html); resolves once it has run. */
export type ScriptLoader = (src: string) => Promise<void>;

const BOOST = { title: 10, people: 5, body: 1 };
const AUTO_FUZZY_KEY = 8;
/** Results of one fuzzy or prefix lookup kept; the app's index keeps 60 near terms per word. */
const FUZZY_TERMS = 60;

type Shard = [string, string][];

export interface SearchOutcome {
  /** Items in rank order (or by date when the query has no words). */
  items: ViewerItem[];
  /** Index terms that matched, to highlight the words they came from. */
  matched: Set<string>;
  /** An empty query: the whole catalogue, filtered. */
  empty: boolean;
}

export class ViewerEngine {
  readonly catalogue: ViewerCatalogue;
  readonly byId: Map<string, ViewerItem>;
  private readonly load: ScriptLoader;
  private readonly table: Map<string, number>;
  private readonly shards = new Map<number, Promise<MiniSearch>>();
  private readonly shardData = new Map<number, (data: Shard) => void>();
  private readonly texts = new Map<string, Promise<ViewerText>>();
  private readonly textData = new Map<string, (data: ViewerText) => void>();
  private readonly head: Omit<AsPlainObject, 'index'>;
  private readonly peopleTerms = new Map<string, Set<string>>();

  constructor(catalogue: ViewerCatalogue, load: ScriptLoader) {
    this.catalogue = catalogue;
    this.load = load;
    this.byId = new Map(catalogue.items.map((item) => [item.id, item]));
    this.table = new Map(catalogue.index.table);
    const { index } = catalogue;
    this.head = {
      documentCount: index.documentCount,
      nextId: index.documentCount,
      documentIds: Object.fromEntries(catalogue.items.map((item, n) => [n, item.id])),
      fieldIds: index.fieldIds,
      fieldLength: Object.fromEntries(index.fieldLength.map((lengths, n) => [n, lengths])),
      averageFieldLength: index.averageFieldLength,
      storedFields: {},
      dirtCount: 0,
      serializationVersion: 2,
    };
  }

  /** Called by viewer/index/<n>.js. */
  receiveShard(n: number, data: Shard): void {
    this.shardData.get(n)?.(data);
  }

  /** Called by viewer/text/<id>.js. */
  receiveText(id: string, data: ViewerText): void {
    this.textData.get(id)?.(data);
  }

  text(id: string): Promise<ViewerText> {
    let pending = this.texts.get(id);
    if (!pending) {
      pending = new Promise<ViewerText>((resolve, reject) => {
        this.textData.set(id, resolve);
        this.load(`viewer/text/${encodeURIComponent(id)}.js`).catch(reject);
      });
      this.texts.set(id, pending);
    }
    return pending;
  }

  private shard(n: number): Promise<MiniSearch> {
    let pending = this.shards.get(n);
    if (!pending) {
      pending = new Promise<Shard>((resolve, reject) => {
        this.shardData.set(n, resolve);
        this.load(`viewer/index/${n}.js`).catch(reject);
      }).then((data) => MiniSearch.loadJS({ ...this.head, index: data.map(([term, encoded]) => [term, decodePostings(encoded)]) }, searchOptions));
      this.shards.set(n, pending);
    }
    return pending;
  }

  /** The shard holding a term: the one of the longest prefix it starts with. */
  private shardOf(term: string): number {
    const chars = [...term];
    for (let k = Math.min(chars.length, MAX_PREFIX); k >= 0; k--) {
      const n = this.table.get(chars.slice(0, k).join(''));
      if (n !== undefined) return n;
    }
    return 0;
  }

  /** Every shard that may hold a term starting with `prefix`. */
  private shardsUnder(prefix: string): number[] {
    const found = new Set<number>([this.shardOf(prefix)]);
    for (const [p, n] of this.table) if (p.startsWith(prefix)) found.add(n);
    return [...found];
  }

  /** Scores by document for one index term looked up exactly, by prefix or with typos. */
  private async lookup(term: string, mode: { prefix?: boolean; fuzzy?: number }, matched: Set<string>): Promise<Map<string, number>> {
    const shards = mode.prefix ? this.shardsUnder(term) : [this.shardOf(term)];
    const scores = new Map<string, number>();
    for (const n of shards) {
      const index = await this.shard(n);
      let results: SearchResult[] = index.search(term, { prefix: mode.prefix === true, fuzzy: mode.fuzzy ? mode.fuzzy : false, boost: BOOST });
      if (mode.fuzzy) {
        // Typos stay within their kind, as in the app: a key never reaches a stem, a transliteration never a Latin key.
        const kind = (t: string): string => (t.startsWith(KEY_MARK) ? (t.startsWith(`${KEY_MARK}0`) ? 'foreign' : 'key') : 'stem');
        const allowed = new Set(results.flatMap((r) => r.terms).filter((t) => kind(t) === kind(term)).slice(0, FUZZY_TERMS));
        results = results.filter((r) => r.terms.some((t) => allowed.has(t)));
      }
      for (const r of results) {
        const id = String(r.id);
        scores.set(id, (scores.get(id) ?? 0) + r.score);
        for (const t of r.terms) matched.add(t);
      }
    }
    return scores;
  }

  /** The documents one term of a query matches, with their scores. */
  private async termScores(term: Term, languages: readonly string[], matched: Set<string>): Promise<Map<string, number>> {
    const lookups: Promise<Map<string, number>>[] = [];
    const word = (text: string): void => {
      const analyzed = analyzeQueryWord(text, languages);
      for (const stem of analyzed.stems) lookups.push(this.lookup(stem, {}, matched));
      for (const key of analyzed.keys) {
        const long = [...key.replace(/^0/u, '')].length >= AUTO_FUZZY_KEY && (analyzed.script === 'latin' || analyzed.script === 'cyrillic');
        lookups.push(this.lookup(KEY_MARK + key, long ? { fuzzy: 1 } : {}, matched));
      }
    };
    switch (term.type) {
      case 'word':
        word(term.text);
        break;
      case 'phrase':
        for (const w of term.words) word(w);
        break;
      case 'prefix': {
        const { stems, keys } = prefixKeys(term.text);
        for (const stem of stems) lookups.push(this.lookup(stem, { prefix: true }, matched));
        for (const key of keys) lookups.push(this.lookup(KEY_MARK + key, { prefix: true }, matched));
        break;
      }
      case 'fuzzy': {
        const analyzed = analyzeQueryWord(term.text, languages);
        const bases = new Set([analyzed.folded, ...analyzed.stems]);
        for (const base of bases) lookups.push(this.lookup(base, { fuzzy: fuzzyDistance(base, term.distance) }, matched));
        for (const key of analyzed.keys) lookups.push(this.lookup(KEY_MARK + key, { fuzzy: fuzzyDistance(key, term.distance) }, matched));
        break;
      }
    }
    const total = new Map<string, number>();
    for (const scores of await Promise.all(lookups)) for (const [id, s] of scores) total.set(id, (total.get(id) ?? 0) + s);
    // A phrase needs every one of its words.
    if (term.type === 'phrase' && term.words.length > 1) {
      const each = await Promise.all(term.words.map((w) => this.termScores({ type: 'word', text: w }, languages, new Set())));
      for (const id of [...total.keys()]) if (!each.every((m) => m.has(id))) total.delete(id);
    }
    return total;
  }

  /** Runs a query of the search box with the filters chosen beside it. */
  async search(query: string, extra: Partial<Filters>): Promise<SearchOutcome> {
    const parsed = parseQuery(query);
    const filters = mergeFilters(parsed.filters, extra);
    const matched = new Set<string>();
    const passes = (item: ViewerItem): boolean => this.passes(item, filters);
    if (parsed.groups.length === 0) {
      let items = this.catalogue.items.filter(passes);
      if (parsed.excluded.length > 0) {
        const excluded = await this.union(parsed.excluded, filters.languages, new Set());
        items = items.filter((item) => !excluded.has(item.id));
      }
      return { items, matched, empty: isEmptyQuery({ ...parsed, filters }) };
    }
    let scores: Map<string, number> | null = null;
    for (const group of parsed.groups) {
      const groupScores = await this.union(group, filters.languages, matched);
      if (scores === null) scores = groupScores;
      else {
        const next = new Map<string, number>();
        for (const [id, s] of scores) {
          const other = groupScores.get(id);
          if (other !== undefined) next.set(id, s + other);
        }
        scores = next;
      }
      if (scores.size === 0) break;
    }
    const excluded = parsed.excluded.length > 0 ? await this.union(parsed.excluded, filters.languages, new Set()) : new Map<string, number>();
    const ranked = [...(scores ?? new Map<string, number>())]
      .filter(([id]) => !excluded.has(id))
      .sort((a, b) => b[1] - a[1])
      .flatMap(([id]) => {
        const item = this.byId.get(id);
        return item && passes(item) ? [item] : [];
      });
    return { items: ranked, matched, empty: false };
  }

  private async union(terms: readonly Term[], languages: readonly string[], matched: Set<string>): Promise<Map<string, number>> {
    const all = new Map<string, number>();
    for (const scores of await Promise.all(terms.map((t) => this.termScores(t, languages, matched)))) {
      for (const [id, s] of scores) all.set(id, (all.get(id) ?? 0) + s);
    }
    return all;
  }

  private passes(item: ViewerItem, f: Filters): boolean {
    const language = item.language.toLowerCase();
    const inLanguages = (list: readonly string[]): boolean => list.some((l) => language === l.toLowerCase() || language.startsWith(`${l.toLowerCase()}-`));
    const folded = (list: readonly string[]): Set<string> => new Set(list.map((v) => foldLabel(v)));
    if (f.kinds.length > 0 && !f.kinds.includes(item.kind)) return false;
    if (f.not.kinds.includes(item.kind)) return false;
    if (f.sensitivities.length > 0 && !f.sensitivities.includes(item.sensitivity)) return false;
    if (f.not.sensitivities.includes(item.sensitivity)) return false;
    if (f.languages.length > 0 && !inLanguages(f.languages)) return false;
    if (f.not.languages.length > 0 && inLanguages(f.not.languages)) return false;
    const tags = folded(item.tags);
    const cases = folded(item.cases);
    if (!f.tags.every((t) => tags.has(foldLabel(t))) || f.not.tags.some((t) => tags.has(foldLabel(t)))) return false;
    if (!f.cases.every((c) => cases.has(foldLabel(c))) || f.not.cases.some((c) => cases.has(foldLabel(c)))) return false;
    if (f.dateFrom !== null && (item.date === null || item.date.slice(0, f.dateFrom.length) < f.dateFrom)) return false;
    if (f.dateTo !== null && (item.date === null || item.date.slice(0, f.dateTo.length) > f.dateTo)) return false;
    if (!f.people.every((name) => this.names(item, name))) return false;
    if (f.not.people.some((name) => this.names(item, name))) return false;
    return true;
  }

  /** Whether every word of `name` is among the item's people, in any form or spelling (as the app's person: filter). */
  private names(item: ViewerItem, name: string): boolean {
    let terms = this.peopleTerms.get(item.id);
    if (!terms) {
      terms = new Set();
      for (const person of item.people) for (const { word } of tokens(person)) for (const t of termsOf(analyzeWord(word, item.language))) terms.add(t);
      this.peopleTerms.set(item.id, terms);
    }
    const have = terms;
    return [...tokens(name)].every(({ word }) => {
      const q = analyzeQueryWord(word);
      return q.stems.some((s) => have.has(s)) || q.keys.some((k) => have.has(KEY_MARK + k));
    });
  }
}

const searchOptions = {
  fields: [...FIELDS],
  idField: 'id',
  // The index holds analyzed terms; a query term is already one.
  tokenize: (text: string): string[] => [text],
  processTerm: (term: string): string => term,
};

/** "field:doc,doc.tf;field:..." (base-36 deltas) back into MiniSearch's {field: {doc: tf}}. */
export function decodePostings(encoded: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const part of encoded.split(';')) {
    const colon = part.indexOf(':');
    const field = part.slice(0, colon);
    const docs: Record<string, number> = {};
    let doc = 0;
    for (const entry of part.slice(colon + 1).split(',')) {
      const dot = entry.indexOf('.');
      doc += Number.parseInt(dot < 0 ? entry : entry.slice(0, dot), 36);
      docs[doc] = dot < 0 ? 1 : Number.parseInt(entry.slice(dot + 1), 36);
    }
    out[field] = docs;
  }
  return out;
}

/** As the app folds tags and cases for its filters. */
export const foldLabel = (value: string): string => fold(value.trim());

/** Typos allowed in a term of this length, as the app allows them. */
function fuzzyDistance(term: string, asked: 1 | 2): number {
  const length = [...term.replace(/^0/u, '')].length;
  return Math.min(asked, length >= 9 ? 2 : length >= 6 ? 1 : 0);
}

function mergeFilters(typed: Filters, chosen: Partial<Filters>): Filters {
  return {
    ...typed,
    kinds: [...typed.kinds, ...(chosen.kinds ?? [])],
    languages: [...typed.languages, ...(chosen.languages ?? [])],
    people: [...typed.people, ...(chosen.people ?? [])],
    cases: [...typed.cases, ...(chosen.cases ?? [])],
    dateFrom: chosen.dateFrom ?? typed.dateFrom,
    dateTo: chosen.dateTo ?? typed.dateTo,
  };
}

/** Where the matched words are in a text: [start, end) offsets, in order. */
export function matchesIn(text: string, language: string, matched: ReadonlySet<string>, limit = Infinity): [number, number][] {
  const found: [number, number][] = [];
  if (matched.size === 0) return found;
  for (const token of tokens(text)) {
    if (termsOf(analyzeWord(token.word, language)).some((t) => matched.has(t))) {
      found.push([token.start, token.end]);
      if (found.length >= limit) break;
    }
  }
  return found;
}
