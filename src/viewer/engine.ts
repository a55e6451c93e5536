import MiniSearch, { type Query } from 'minisearch';
import { analyzeQueryWord, analyzeWord, fold, prefixKeys, tokens } from '../core/search/analyzer.ts';
import { type Filters, type Term, isEmptyQuery, parseQuery } from '../core/search/query.ts';
import {
  FIELDS,
  KEY_MARK,
  MAX_PREFIX,
  type PackedCatalogue,
  type ViewerCatalogue,
  type ViewerIndexHead,
  type ViewerItem,
  type ViewerText,
  termsOf,
  unpackCatalogue,
} from '../core/bundles/viewer-index.ts';

/**
 * The viewer's search: the app's query language (parsed by the app's own parser), each word
 * analyzed by the app's analyzer into the stems and transliteration keys the index holds, the
 * shards of the index that hold them loaded into one MiniSearch index on first use, and the query
 * run there as MiniSearch's query tree: every word must match (AND), any of "a OR b", none of
 * "-c", each word by any of its stems and keys (OR), scored by BM25 with title and people weighing
 * more, as in the app. A phrase's words must stand next to each other in its order, in the title or
 * the text (the index has no positions: the texts of the items holding all its words are read and
 * checked). Filters are checked against the catalogue.
 */

/** Loads a script of the bundle (relative to index.html); resolves once it has run. */
export type ScriptLoader = (src: string) => Promise<void>;

const BOOST = { title: 10, people: 5, body: 1 };
const AUTO_FUZZY_KEY = 8;
/** Near terms one word reaches with typos; the app's index takes 60. */
const NEAR_TERMS = 60;
/** Terms one prefix may stand for; more are not told apart by a reader anyway. */
const PREFIX_TERMS = 5000;
/** A term no document has: an alternative list that would otherwise be empty. */
const NOTHING = '\u0000';

type Shard = [string, string][];

const options = {
  fields: [...FIELDS],
  idField: 'id',
  // The index holds analyzed terms; a query term is already one.
  tokenize: (text: string): string[] => [text],
  processTerm: (term: string): string => term,
};

/**
 * One MiniSearch index over every item, whose terms arrive shard by shard. MiniSearch has no
 * public call that adds serialized terms to a live index (loadJS makes a new index each time,
 * with its own copies of 10,000 documents' lengths); a subclass may use the protected fields.
 */
class ShardedIndex extends MiniSearch {
  constructor(head: ViewerIndexHead, ids: readonly string[]) {
    super(options);
    this._documentCount = head.documentCount;
    this._nextId = head.documentCount;
    this._documentIds = new Map(ids.map((id, n) => [n, id]));
    this._idToShortId = new Map(ids.map((id, n) => [id, n]));
    this._fieldIds = { ...head.fieldIds };
    this._fieldLength = new Map(head.fieldLength.map((lengths, n) => [n, lengths]));
    this._avgFieldLength = head.averageFieldLength;
  }

  addTerms(entries: Shard): void {
    for (const [term, encoded] of entries) this._index.set(term, decodePostings(encoded));
  }

  termsUnder(prefix: string): string[] {
    const found: string[] = [];
    for (const term of this._index.atPrefix(prefix).keys()) {
      found.push(term);
      if (found.length >= PREFIX_TERMS) break;
    }
    return found;
  }

  near(term: string, distance: number): string[] {
    return [...this._index.fuzzyGet(term, distance)].sort((a, b) => a[1][1] - b[1][1]).map(([t]) => t);
  }
}

/** "field:doc,doc.tf;field:..." (base-36 deltas) into MiniSearch's field → document → tf maps. */
export function decodePostings(encoded: string): Map<number, Map<number, number>> {
  const out = new Map<number, Map<number, number>>();
  for (const part of encoded.split(';')) {
    const colon = part.indexOf(':');
    const docs = new Map<number, number>();
    let doc = 0;
    for (const entry of part.slice(colon + 1).split(',')) {
      const dot = entry.indexOf('.');
      doc += Number.parseInt(dot < 0 ? entry : entry.slice(0, dot), 36);
      docs.set(doc, dot < 0 ? 1 : Number.parseInt(entry.slice(dot + 1), 36));
    }
    out.set(Number(part.slice(0, colon)), docs);
  }
  return out;
}

export interface SearchOutcome {
  /** Items in rank order (or in catalogue order, by date, when the query has no words). */
  items: ViewerItem[];
  /** Index terms that matched, to highlight the words they came from. */
  matched: Set<string>;
  /** Nothing asked: the whole catalogue. */
  empty: boolean;
}

/** Whether a term is a stem, a key, or a transliteration key: typos stay within their kind, as in the app. */
const kindOf = (term: string): 'stem' | 'key' | 'foreign' => (term.startsWith(KEY_MARK) ? (term.startsWith(`${KEY_MARK}0`) ? 'foreign' : 'key') : 'stem');

/** Typos allowed in a term of this length, as the app allows them. */
function fuzzyDistance(term: string, asked: 1 | 2): number {
  const bare = term.startsWith(KEY_MARK) ? term.slice(KEY_MARK.length) : term;
  const length = [...bare.replace(/^0/u, '')].length;
  return Math.min(asked, length >= 9 ? 2 : length >= 6 ? 1 : 0);
}

/** The prefix within which typos of a term are looked for: its kind's mark, then two letters. */
function fuzzyScope(term: string): string {
  let mark = term.startsWith(KEY_MARK) ? KEY_MARK : '';
  if (term.startsWith('0', mark.length)) mark += '0';
  return mark + [...term.slice(mark.length)].slice(0, 2).join('');
}

const any = (queries: Query[]): Query => (queries.length === 0 ? NOTHING : queries.length === 1 ? (queries[0] ?? NOTHING) : { combineWith: 'OR', queries });
const all = (queries: Query[]): Query => (queries.length === 1 ? (queries[0] ?? NOTHING) : { combineWith: 'AND', queries });

export class ViewerEngine {
  readonly catalogue: ViewerCatalogue;
  readonly byId: Map<string, ViewerItem>;
  private readonly load: ScriptLoader;
  private readonly table: Map<string, number>;
  private readonly index: ShardedIndex;
  private readonly shards = new Map<number, Promise<void>>();
  private readonly shardData = new Map<number, (data: Shard) => void>();
  private readonly texts = new Map<string, Promise<ViewerText>>();
  private readonly textData = new Map<string, (data: ViewerText) => void>();
  private readonly peopleTerms = new Map<string, Set<string>>();

  constructor(packed: PackedCatalogue, load: ScriptLoader) {
    this.catalogue = unpackCatalogue(packed);
    this.load = load;
    this.byId = new Map(this.catalogue.items.map((item) => [item.id, item]));
    this.table = new Map(this.catalogue.index.table);
    this.index = new ShardedIndex(this.catalogue.index, this.catalogue.items.map((i) => i.id));
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

  private shard(n: number): Promise<void> {
    let pending = this.shards.get(n);
    if (!pending) {
      pending = new Promise<Shard>((resolve, reject) => {
        this.shardData.set(n, resolve);
        this.load(`viewer/index/${n}.js`).catch(reject);
      }).then((data) => this.index.addTerms(data));
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

  /**
   * Terms one typo or two from `term`, of its kind, that start with its first two letters: those
   * shards are loaded for it (shardsFor), so the answer never depends on what else was loaded. A
   * typo in the first two letters is not forgiven, where the app would forgive it.
   */
  private near(term: string, distance: number): string[] {
    if (distance <= 0) return [term];
    const scope = fuzzyScope(term);
    return this.index
      .near(term, distance)
      .filter((t) => kindOf(t) === kindOf(term) && t.startsWith(scope))
      .slice(0, NEAR_TERMS);
  }

  /** A query word's index terms, near misspellings of long keys included: what wordQuery matches. */
  private wordTerms(text: string, languages: readonly string[]): Set<string> {
    const { terms, fuzzy } = this.word(text, languages);
    return new Set([...terms, ...fuzzy.flatMap((t) => this.near(t, 1))]);
  }

  /**
   * Of the items holding every word of a phrase, those where the words stand next to each other
   * in the phrase's order (any form of each word, as the app's phrase search): in the title, else
   * in the text, read from the bundle.
   */
  private async inOrder(ids: readonly string[], words: readonly string[], languages: readonly string[]): Promise<Set<string>> {
    const wanted = words.map((w) => this.wordTerms(w, languages));
    const holds = (text: string, language: string): boolean => {
      const found = [...tokens(text)].map(({ word }) => new Set(termsOf(analyzeWord(word, language))));
      for (let start = 0; start + wanted.length <= found.length; start++) {
        if (wanted.every((terms, k) => [...terms].some((t) => found[start + k]?.has(t)))) return true;
      }
      return false;
    };
    const kept = await Promise.all(
      ids.map(async (id) => {
        const item = this.byId.get(id);
        if (!item) return null;
        if (holds(item.title, item.language)) return id;
        return holds((await this.text(id)).text, item.language) ? id : null;
      }),
    );
    return new Set(kept.filter((id): id is string => id !== null));
  }

  /** The items a term of the query finds; a phrase of two words or more checked for their order. */
  private async found(term: Term, languages: readonly string[]): Promise<Set<string>> {
    const ids = this.index.search(this.queryOf(term, languages)).map((r) => String(r.id));
    return term.type === 'phrase' && term.words.length > 1 ? this.inOrder(ids, term.words, languages) : new Set(ids);
  }

  /** A query word's terms: its stems, its keys (long keys with their near misspellings). */
  private word(text: string, languages: readonly string[]): { terms: string[]; fuzzy: string[] } {
    const analyzed = analyzeQueryWord(text, languages);
    const terms = [...analyzed.stems];
    const fuzzy: string[] = [];
    for (const key of analyzed.keys) {
      terms.push(KEY_MARK + key);
      // Names are misspelled (Kargarlitsky): long keys reach keys one typo away, as in the app.
      if ([...key.replace(/^0/u, '')].length >= AUTO_FUZZY_KEY && (analyzed.script === 'latin' || analyzed.script === 'cyrillic')) fuzzy.push(KEY_MARK + key);
    }
    return { terms, fuzzy };
  }

  /** The shards a term of the query needs. */
  private shardsFor(term: Term, languages: readonly string[]): number[] {
    switch (term.type) {
      case 'word':
      case 'phrase':
        return (term.type === 'word' ? [term.text] : term.words).flatMap((w) => {
          const { terms, fuzzy } = this.word(w, languages);
          return [...terms.map((t) => this.shardOf(t)), ...fuzzy.flatMap((t) => this.shardsUnder(fuzzyScope(t)))];
        });
      case 'prefix': {
        const { stems, keys } = prefixKeys(term.text);
        return [...stems, ...keys.map((k) => KEY_MARK + k)].flatMap((p) => this.shardsUnder(p));
      }
      case 'fuzzy': {
        const analyzed = analyzeQueryWord(term.text, languages);
        return [analyzed.folded, ...analyzed.stems, ...analyzed.keys.map((k) => KEY_MARK + k)].flatMap((t) => this.shardsUnder(fuzzyScope(t)));
      }
    }
  }

  /** A term of the query as a MiniSearch query over exact index terms. */
  private queryOf(term: Term, languages: readonly string[]): Query {
    const wordQuery = (text: string): Query => {
      const { terms, fuzzy } = this.word(text, languages);
      return any([...new Set([...terms, ...fuzzy.flatMap((t) => this.near(t, 1))])]);
    };
    switch (term.type) {
      case 'word':
        return wordQuery(term.text);
      case 'phrase':
        return all(term.words.map(wordQuery));
      case 'prefix': {
        const { stems, keys } = prefixKeys(term.text);
        return any([...new Set([...stems.flatMap((s) => this.index.termsUnder(s)), ...keys.flatMap((k) => this.index.termsUnder(KEY_MARK + k))])]);
      }
      case 'fuzzy': {
        const analyzed = analyzeQueryWord(term.text, languages);
        const bases = [...new Set([analyzed.folded, ...analyzed.stems, ...analyzed.keys.map((k) => KEY_MARK + k)])];
        return any([...new Set(bases.flatMap((b) => this.near(b, fuzzyDistance(b, term.distance))))]);
      }
    }
  }

  /** Runs a query of the search box with the filters chosen beside it. */
  async search(query: string, extra: Partial<Filters>): Promise<SearchOutcome> {
    const parsed = parseQuery(query);
    const filters = mergeFilters(parsed.filters, extra);
    const languages = filters.languages;
    const passes = (item: ViewerItem): boolean => this.passes(item, filters);
    const everything = [...parsed.groups.flat(), ...parsed.excluded];
    await Promise.all([...new Set(everything.flatMap((t) => this.shardsFor(t, languages)))].map((n) => this.shard(n)));

    // With a phrase, which items each term finds is worked out term by term (a phrase's order checked on the texts).
    if (everything.some((t) => t.type === 'phrase' && t.words.length > 1)) return this.searchChecked(parsed.groups, parsed.excluded, filters, languages);
    const excluded = parsed.excluded.length > 0 ? any(parsed.excluded.map((t) => this.queryOf(t, languages))) : null;
    if (parsed.groups.length === 0) {
      let items = this.catalogue.items.filter(passes);
      if (excluded !== null) {
        const out = new Set(this.index.search(excluded, { boost: BOOST }).map((r) => String(r.id)));
        items = items.filter((item) => !out.has(item.id));
      }
      return { items, matched: new Set(), empty: isEmptyQuery({ ...parsed, filters }) };
    }
    const wanted = all(parsed.groups.map((group) => any(group.map((t) => this.queryOf(t, languages)))));
    const results = this.index.search(excluded === null ? wanted : { combineWith: 'AND_NOT', queries: [wanted, excluded] }, { boost: BOOST });
    const matched = new Set<string>();
    const items: ViewerItem[] = [];
    for (const r of results) {
      const item = this.byId.get(String(r.id));
      if (!item || !passes(item)) continue;
      items.push(item);
      for (const t of r.terms) matched.add(t);
    }
    return { items, matched, empty: false };
  }

  /**
   * The search when a phrase is in it: every group must have a term that finds the item, no
   * excluded term may; the items are ranked as MiniSearch ranks the words of the query.
   */
  private async searchChecked(groups: readonly (readonly Term[])[], excludedTerms: readonly Term[], filters: Filters, languages: readonly string[]): Promise<SearchOutcome> {
    const passes = (item: ViewerItem): boolean => this.passes(item, filters);
    const union = async (terms: readonly Term[]): Promise<Set<string>> => {
      const sets = await Promise.all(terms.map((t) => this.found(t, languages)));
      return new Set(sets.flatMap((s) => [...s]));
    };
    const out = await union(excludedTerms);
    if (groups.length === 0) return { items: this.catalogue.items.filter((item) => passes(item) && !out.has(item.id)), matched: new Set(), empty: false };
    const inEvery = await Promise.all(groups.map(union));
    const results = this.index.search(all(groups.map((group) => any(group.map((t) => this.queryOf(t, languages))))), { boost: BOOST });
    const matched = new Set<string>();
    const items: ViewerItem[] = [];
    for (const r of results) {
      const id = String(r.id);
      const item = this.byId.get(id);
      if (!item || !passes(item) || out.has(id) || !inEvery.every((ids) => ids.has(id))) continue;
      items.push(item);
      for (const t of r.terms) matched.add(t);
    }
    return { items, matched, empty: false };
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
    if (f.tags.length + f.not.tags.length > 0) {
      const tags = folded(item.tags);
      if (!f.tags.every((t) => tags.has(foldLabel(t))) || f.not.tags.some((t) => tags.has(foldLabel(t)))) return false;
    }
    if (f.cases.length + f.not.cases.length > 0) {
      const cases = folded(item.cases);
      if (!f.cases.every((c) => cases.has(foldLabel(c))) || f.not.cases.some((c) => cases.has(foldLabel(c)))) return false;
    }
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

/** As the app folds tags and cases for its filters. */
export const foldLabel = (value: string): string => fold(value.trim());

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
