import { analyzeWord, tokens, type WordTerms } from '../search/analyzer.ts';

/**
 * The full-text index of a bundle's viewer, built at export time with the app's own analyzer (the
 * same stems, transliteration and Cyrillic keys as the archive's index), in MiniSearch's form.
 *
 * A whole index does not load in a browser in under a second once it has millions of postings,
 * so it is cut into shards by the first letters of its terms (deeper where terms crowd), each a
 * small script the viewer loads when a query needs it: a word's terms live in one shard each, a
 * prefix's in the shards under it. Every shard is a MiniSearch index over the same documents with
 * the same field lengths, so a term scores in its shard exactly as in one big index.
 */

export const FIELDS = ['title', 'people', 'body'] as const;

/**
 * Keys (transliteration and Cyrillic keys) are kept apart from stems, as the archive keeps them in
 * columns of their own: in the viewer's one namespace of terms they start with this mark.
 */
export const KEY_MARK = '~';

/** The terms one analyzed word adds: its stem, and its keys marked as keys; each once. */
export function termsOf(terms: WordTerms): string[] {
  const out = new Set<string>();
  if (terms.stem !== '') out.add(terms.stem);
  for (const key of [terms.key, terms.foreign, terms.foreignWord]) if (key) out.add(KEY_MARK + key);
  return [...out];
}
export type FieldName = (typeof FIELDS)[number];

/** Postings per shard, about: a shard then loads in milliseconds. */
const SHARD_POSTINGS = 30_000;
export const MAX_PREFIX = 8;

/**
 * The words of a text as the analyzer's tokens() cuts them, without their offsets: the same
 * pattern, with words of scripts written without spaces handed to tokens() itself. A third faster
 * than tokens() on long texts, which matters at 100 MB of them.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const word = match[0];
    if (UNSPACED.test(word)) for (const token of tokens(word)) words.push(token.word);
    else words.push(word);
  }
  return words;
}

/** A growable array of 32-bit integers: postings are millions of them, too many for objects each. */
class IntLog {
  data = new Int32Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

export interface ViewerShard {
  /** Shard number: its file is viewer/index/<n>.js. */
  n: number;
  /** The script: registers [term, encoded postings] pairs with the viewer. */
  script: string;
}

export interface ViewerIndexHead {
  documentCount: number;
  fieldIds: Record<FieldName, number>;
  /** Per document (in catalogue order): terms in title, people, body. */
  fieldLength: number[][];
  averageFieldLength: number[];
  /** [prefix, shard]: a term lives in the shard of the longest prefix it starts with. */
  table: [string, number][];
}

/** What the viewer's catalogue (viewer/catalogue.js) says of one item. */
export interface ViewerItem {
  id: string;
  kind: string;
  title: string;
  language: string;
  date: string | null;
  dateApproximate: boolean;
  authors: string[];
  recipients: string[];
  /** Authors, recipients and linked people: what the person filter offers. */
  people: string[];
  cases: string[];
  tags: string[];
  sensitivity: string;
  source: string;
  notes: string;
  translationOf: string | null;
  translations: string[];
  links: { id: string; kind: string; direction: string }[];
  /** Paths relative to data/. */
  files: { name: string; path: string; mediaType: string; size: number }[];
  omitted: { name: string; reason: string }[];
  textLength: number;
  redactedSpans: number;
  cues: number;
}

/** viewer/catalogue.js: everything the viewer needs before the first search. */
export interface ViewerCatalogue {
  description: string;
  producer: string;
  createdAt: string;
  options: string;
  items: ViewerItem[];
  index: ViewerIndexHead;
}

/** viewer/text/<id>.js. */
export interface ViewerText {
  text: string;
  cues: { start: number; end: number; textStart: number; textEnd: number; speaker: string | null }[];
  pages: { page: number; start: number; end: number }[];
}

export class ViewerIndexBuilder {
  /** Terms by number: a document's words are counted in a scratch array, not in maps of strings. */
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Every posting as it comes, in document order: its term, document and tf * 4 + field. */
  private readonly logTerm = new IntLog();
  private readonly logDoc = new IntLog();
  private readonly logValue = new IntLog();
  /** Postings per term; after build() sorted them, where each term's postings start. */
  private counts = new Int32Array(1 << 16);
  private starts: Int32Array | null = null;
  private sortedDoc: Int32Array | null = null;
  private sortedValue: Int32Array | null = null;
  private readonly fieldLength: number[][] = [];
  /** Every distinct word of a language analyzed once per export (the analyzer's own cache is bounded). */
  private readonly analyzed = new Map<string, Map<string, Int32Array>>();
  private scratch = new Int32Array(1 << 16);
  private readonly touched: number[] = [];

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      if (id >= this.scratch.length) {
        const grown = new Int32Array(this.scratch.length * 2);
        grown.set(this.scratch);
        this.scratch = grown;
        const counts = new Int32Array(this.counts.length * 2);
        counts.set(this.counts);
        this.counts = counts;
      }
    }
    return id;
  }

  /** Adds the next document (its number is its place in the catalogue). */
  add(fields: Record<FieldName, string>, language: string): void {
    const doc = this.fieldLength.length;
    const lengths = [0, 0, 0];
    let cache = this.analyzed.get(language);
    if (!cache) this.analyzed.set(language, (cache = new Map()));
    for (let field = 0; field < FIELDS.length; field++) {
      const name = FIELDS[field] ?? 'body';
      let length = 0;
      // Counted in a small map first: the big one of every word is then asked once per distinct word.
      const words = new Map<string, number>();
      for (const word of wordsOf(fields[name])) words.set(word, (words.get(word) ?? 0) + 1);
      for (const [word, count] of words) {
        let ids = cache.get(word);
        if (ids === undefined) {
          ids = Int32Array.from(termsOf(analyzeWord(word, language)), (t) => this.termId(t));
          cache.set(word, ids);
        }
        const scratch = this.scratch;
        for (const id of ids) {
          const before = scratch[id] ?? 0;
          scratch[id] = before + count;
          if (before === 0) this.touched.push(id);
        }
        length += ids.length * count;
      }
      for (const id of this.touched) {
        this.logTerm.push(id);
        this.logDoc.push(doc);
        this.logValue.push((this.scratch[id] ?? 0) * 4 + field);
        this.counts[id] = (this.counts[id] ?? 0) + 1;
        this.scratch[id] = 0;
      }
      this.touched.length = 0;
      lengths[field] = length;
    }
    this.fieldLength.push(lengths);
  }

  /** Cuts the index into shards; `onShard` gets each one as it is made (so they need not all be in memory). */
  async build(onShard: (shard: ViewerShard) => Promise<void>): Promise<ViewerIndexHead> {
    this.sortPostings();
    const terms = [...this.terms].sort();
    const table: [string, number][] = [];
    let next = 0;
    const pending: { terms: string[]; prefixes: string[]; postings: number }[] = [];
    const countOf = (list: readonly string[]): number => list.reduce((sum, t) => sum + this.countOf(t), 0);

    const assign = (prefix: string, group: string[]): void => {
      const total = countOf(group);
      if (total <= SHARD_POSTINGS || [...prefix].length >= MAX_PREFIX) {
        pending.push({ terms: group, prefixes: [prefix], postings: total });
        return;
      }
      const own = group.filter((t) => [...t].length === [...prefix].length);
      const byNext = new Map<string, string[]>();
      for (const term of group) {
        const chars = [...term];
        if (chars.length === [...prefix].length) continue;
        const key = prefix + (chars[[...prefix].length] ?? '');
        const list = byNext.get(key);
        if (list) list.push(term);
        else byNext.set(key, [term]);
      }
      let bucket = { terms: own, prefixes: [prefix], postings: countOf(own) };
      for (const [key, list] of byNext) {
        const count = countOf(list);
        if (count > SHARD_POSTINGS) {
          assign(key, list);
          continue;
        }
        if (bucket.postings + count > SHARD_POSTINGS && bucket.terms.length > 0) {
          pending.push(bucket);
          bucket = { terms: [], prefixes: [], postings: 0 };
        }
        bucket.terms.push(...list);
        bucket.prefixes.push(key);
        bucket.postings += count;
      }
      pending.push(bucket);
    };
    assign('', terms);

    for (const shard of pending) {
      const n = next++;
      for (const prefix of shard.prefixes) table.push([prefix, n]);
      const entries = shard.terms.map((term) => [term, this.encode(term)]);
      await onShard({ n, script: `__kartoteka.shard(${n},${JSON.stringify(entries)});\n` });
    }
    const sums = [0, 0, 0];
    for (const lengths of this.fieldLength) lengths.forEach((l, i) => (sums[i] = (sums[i] ?? 0) + l));
    const documentCount = this.fieldLength.length;
    return {
      documentCount,
      fieldIds: { title: 0, people: 1, body: 2 },
      fieldLength: this.fieldLength,
      averageFieldLength: sums.map((s) => (documentCount > 0 ? s / documentCount : 0)),
      table,
    };
  }

  /** "field:doc,doc.tf,...;field:..." with document numbers as base-36 deltas and tf only when > 1. */
  /** Groups the log by term (a counting sort: documents stay in order within a term). */
  private sortPostings(): void {
    const n = this.terms.length;
    const starts = new Int32Array(n + 1);
    for (let t = 0; t < n; t++) starts[t + 1] = (starts[t] ?? 0) + (this.counts[t] ?? 0);
    const next = starts.slice(0, n);
    const total = this.logTerm.length;
    const docs = new Int32Array(total);
    const values = new Int32Array(total);
    for (let i = 0; i < total; i++) {
      const term = this.logTerm.data[i] ?? 0;
      const at = next[term] ?? 0;
      docs[at] = this.logDoc.data[i] ?? 0;
      values[at] = this.logValue.data[i] ?? 0;
      next[term] = at + 1;
    }
    this.starts = starts;
    this.sortedDoc = docs;
    this.sortedValue = values;
    for (const log of [this.logTerm, this.logDoc, this.logValue]) log.data = new Int32Array(0);
  }

  private countOf(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : (this.counts[id] ?? 0);
  }

  private encode(term: string): string {
    const id = this.termIds.get(term);
    const { starts, sortedDoc, sortedValue } = this;
    if (id === undefined || !starts || !sortedDoc || !sortedValue) return '';
    const parts: string[][] = [[], [], []];
    const last = [0, 0, 0];
    for (let i = starts[id] ?? 0; i < (starts[id + 1] ?? 0); i++) {
      const doc = sortedDoc[i] ?? 0;
      const value = sortedValue[i] ?? 0;
      const field = value & 3;
      const tf = value >> 2;
      parts[field]?.push((doc - (last[field] ?? 0)).toString(36) + (tf > 1 ? `.${tf.toString(36)}` : ''));
      last[field] = doc;
    }
    return parts
      .map((p, field) => (p.length > 0 ? `${field}:${p.join(',')}` : ''))
      .filter((s) => s !== '')
      .join(';');
  }
}
