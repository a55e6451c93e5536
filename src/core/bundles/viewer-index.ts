import { analyzeWord, tokens, type WordTerms } from '../search/analyzer.ts';

/**
 * The full-text index of a bundle's viewer, built at export time with the app's own analyzer (the
 * same stems, transliteration and Cyrillic keys as the archive's index), in MiniSearch's form.
 *
 * A whole index does not load in a browser in under a second once it has millions of postings,
 * so it is cut into shards by the first letters of its terms (deeper where terms crowd), each a
 * small script the viewer loads when a query needs it (a word's terms live in one shard each, a
 * prefix's in the shards under it) into its one MiniSearch index. The catalogue carries what
 * BM25 needs of every document (field lengths), so a term scores as if the whole index were there.
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
 * The words of a text as the analyzer's tokens() cuts them (keep the two patterns the same), without
 * an object per word: the same pattern, with words of scripts written without spaces handed to
 * tokens() itself. Exports run 100 MB of text through here.
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

/** What the viewer's catalogue says of one item: what the list, the filters and the search need. */
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
  translationOf: string | null;
  translations: string[];
  /** Whether its text is a transcript with cues. */
  hasCues: boolean;
  redactedSpans: number;
  textLength: number;
}

/** What only the item's own view needs; it comes with the item's text (viewer/text/<id>.js). */
export interface ViewerDetails {
  source: string;
  notes: string;
  links: { id: string; kind: string; direction: string }[];
  /** Paths relative to data/. */
  files: { name: string; path: string; mediaType: string; size: number }[];
  omitted: { name: string; reason: string }[];
}

/** viewer/text/<id>.js. */
export interface ViewerText {
  text: string;
  cues: { start: number; end: number; textStart: number; textEnd: number; speaker: string | null }[];
  pages: { page: number; start: number; end: number }[];
  details: ViewerDetails;
}

/** Everything the viewer needs before the first search. */
export interface ViewerCatalogue {
  description: string;
  producer: string;
  createdAt: string;
  options: string;
  items: ViewerItem[];
  index: ViewerIndexHead;
}

/**
 * viewer/catalogue.js holds the catalogue packed: an item is an array, and its kind, language,
 * names, cases and tags are numbers into one table of strings. A third of the size, and it loads
 * through JSON.parse, which is faster than a script of object literals: 10,000 items open in a blink.
 */
type PackedItem = [string, number, string, number, string | null, number, number[], number[], number[], number[], number[], number, string | null, string[], number, number, number];
export interface PackedCatalogue {
  description: string;
  producer: string;
  createdAt: string;
  options: string;
  strings: string[];
  items: PackedItem[];
  index: ViewerIndexHead;
}

export function packCatalogue(catalogue: ViewerCatalogue): PackedCatalogue {
  const strings: string[] = [];
  const numbers = new Map<string, number>();
  const n = (value: string): number => {
    let i = numbers.get(value);
    if (i === undefined) {
      i = strings.length;
      strings.push(value);
      numbers.set(value, i);
    }
    return i;
  };
  const items = catalogue.items.map(
    (i): PackedItem => [
      i.id,
      n(i.kind),
      i.title,
      n(i.language),
      i.date,
      i.dateApproximate ? 1 : 0,
      i.authors.map(n),
      i.recipients.map(n),
      i.people.map(n),
      i.cases.map(n),
      i.tags.map(n),
      n(i.sensitivity),
      i.translationOf,
      i.translations,
      i.hasCues ? 1 : 0,
      i.redactedSpans,
      i.textLength,
    ],
  );
  return { description: catalogue.description, producer: catalogue.producer, createdAt: catalogue.createdAt, options: catalogue.options, strings, items, index: catalogue.index };
}

export function unpackCatalogue(packed: PackedCatalogue): ViewerCatalogue {
  const s = (i: number): string => packed.strings[i] ?? '';
  const items = packed.items.map(
    ([id, kind, title, language, date, approximate, authors, recipients, people, cases, tags, sensitivity, translationOf, translations, cues, redactedSpans, textLength]): ViewerItem => ({
      id,
      kind: s(kind),
      title,
      language: s(language),
      date,
      dateApproximate: approximate === 1,
      authors: authors.map(s),
      recipients: recipients.map(s),
      people: people.map(s),
      cases: cases.map(s),
      tags: tags.map(s),
      sensitivity: s(sensitivity),
      translationOf,
      translations,
      hasCues: cues === 1,
      redactedSpans,
      textLength,
    }),
  );
  return { description: packed.description, producer: packed.producer, createdAt: packed.createdAt, options: packed.options, items, index: packed.index };
}

/** A call with values written as literals (JSON is JavaScript): for small scripts, such as one item's text. */
export function literalScript(call: string, ...values: unknown[]): string {
  return `${call}(${values.map((v) => JSON.stringify(v)).join(',')});\n`;
}

/** A value as a script that hands it to JSON.parse (a single-quoted string literal of its JSON): large data parses faster so. */
export function jsonScript(call: string, ...values: unknown[]): string {
  const literal = (value: unknown): string =>
    `JSON.parse('${JSON.stringify(value).replace(/[\\']/gu, '\\$&').replace(/\u2028/gu, '\\u2028').replace(/\u2029/gu, '\\u2029')}')`;
  return `${call}(${values.map(literal).join(',')});\n`;
}

/** A builder's postings grouped by term, as a worker hands them over (typed arrays travel by transfer). */
export interface RawIndex {
  terms: string[];
  /** Term t's postings are at [starts[t], starts[t + 1]) of docs and values. */
  starts: Int32Array;
  docs: Int32Array;
  values: Int32Array;
  /** Quadruples: document, then its terms in title, people, body. */
  lengths: Int32Array;
}

export class ViewerIndexBuilder {
  /** Terms by number: a document's words are counted in a scratch array, not in maps of strings. */
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Every posting as it comes: its term, document and tf * 4 + field. */
  private readonly logTerm = new IntLog();
  private readonly logDoc = new IntLog();
  private readonly logValue = new IntLog();
  private counts = new Int32Array(1 << 16);
  private readonly lengths = new IntLog();
  /** Every distinct word of a language analyzed once per export (the analyzer's own cache is bounded). */
  private readonly analyzed = new Map<string, Map<string, Int32Array>>();
  private scratch = new Int32Array(1 << 16);
  private readonly touched: number[] = [];
  /** What other builders (the worker) made, merged in by build(). */
  private readonly absorbed: { raw: RawIndex; ids: Map<string, number> }[] = [];

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

  /**
   * Adds document number `doc` (its place in the catalogue). Documents may come in any order and
   * be split between builders; each builder must get its own in increasing order.
   */
  add(fields: Record<FieldName, string>, language: string, doc: number): void {
    const lengths = [0, 0, 0];
    let cache = this.analyzed.get(language);
    if (!cache) this.analyzed.set(language, (cache = new Map()));
    const known = cache;
    for (let field = 0; field < FIELDS.length; field++) {
      const name = FIELDS[field] ?? 'body';
      let length = 0;
      // Counted in a small map first: the big one of every word is then asked once per distinct word.
      const words = new Map<string, number>();
      for (const word of wordsOf(fields[name])) words.set(word, (words.get(word) ?? 0) + 1);
      words.forEach((count, word) => {
        let ids = known.get(word);
        if (ids === undefined) {
          ids = Int32Array.from(termsOf(analyzeWord(word, language)), (t) => this.termId(t));
          known.set(word, ids);
        }
        const scratch = this.scratch;
        for (const id of ids) {
          const before = scratch[id] ?? 0;
          scratch[id] = before + count;
          if (before === 0) this.touched.push(id);
        }
        length += ids.length * count;
      });
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
    this.lengths.push(doc);
    for (const l of lengths) this.lengths.push(l);
  }

  /** This builder's postings grouped by term (a counting sort: documents stay in order within a term). */
  raw(): RawIndex {
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
    for (const log of [this.logTerm, this.logDoc, this.logValue]) log.data = new Int32Array(0);
    return { terms: this.terms, starts, docs, values, lengths: this.lengths.data.slice(0, this.lengths.length) };
  }

  /** Takes in what another builder made (of other documents). */
  absorb(raw: RawIndex): void {
    this.absorbed.push({ raw, ids: new Map(raw.terms.map((t, i) => [t, i])) });
  }

  /** Cuts the index into shards; `onShard` gets each one as it is made (so they need not all be in memory). */
  async build(onShard: (shard: ViewerShard) => Promise<void>): Promise<ViewerIndexHead> {
    const sources = [{ raw: this.raw(), ids: this.termIds }, ...this.absorbed];
    const countOf = (term: string): number => {
      let count = 0;
      for (const { raw, ids } of sources) {
        const id = ids.get(term);
        if (id !== undefined) count += (raw.starts[id + 1] ?? 0) - (raw.starts[id] ?? 0);
      }
      return count;
    };
    const terms = [...new Set(sources.flatMap((source) => source.raw.terms))].sort();
    const table: [string, number][] = [];
    let next = 0;
    const pending: { terms: string[]; prefixes: string[]; postings: number }[] = [];
    const countAll = (list: readonly string[]): number => list.reduce((sum, t) => sum + countOf(t), 0);

    const assign = (prefix: string, group: string[]): void => {
      const total = countAll(group);
      const depth = [...prefix].length;
      if (total <= SHARD_POSTINGS || depth >= MAX_PREFIX) {
        pending.push({ terms: group, prefixes: [prefix], postings: total });
        return;
      }
      const own: string[] = [];
      const byNext = new Map<string, string[]>();
      for (const term of group) {
        const chars = [...term];
        if (chars.length === depth) {
          own.push(term);
          continue;
        }
        const key = prefix + (chars[depth] ?? '');
        const list = byNext.get(key);
        if (list) list.push(term);
        else byNext.set(key, [term]);
      }
      let bucket = { terms: own, prefixes: [prefix], postings: countAll(own) };
      for (const [key, list] of byNext) {
        const count = countAll(list);
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
      const entries = shard.terms.map((term) => [term, encode(term, sources)]);
      await onShard({ n, script: jsonScript('__kartoteka.shard', n, entries) });
    }

    const fieldLength: number[][] = [];
    for (const { raw } of sources) {
      for (let i = 0; i + 3 < raw.lengths.length; i += 4) fieldLength[raw.lengths[i] ?? 0] = [raw.lengths[i + 1] ?? 0, raw.lengths[i + 2] ?? 0, raw.lengths[i + 3] ?? 0];
    }
    const documentCount = fieldLength.length;
    const sums = [0, 0, 0];
    for (let d = 0; d < documentCount; d++) {
      const lengths = (fieldLength[d] ??= [0, 0, 0]);
      lengths.forEach((l, i) => (sums[i] = (sums[i] ?? 0) + l));
    }
    return {
      documentCount,
      fieldIds: { title: 0, people: 1, body: 2 },
      fieldLength,
      averageFieldLength: sums.map((sum) => (documentCount > 0 ? sum / documentCount : 0)),
      table,
    };
  }
}

/**
 * A term's postings from every builder, merged by document: "field:doc,doc.tf,...;field:..." with
 * document numbers as base-36 deltas and tf only when > 1.
 */
function encode(term: string, sources: readonly { raw: RawIndex; ids: Map<string, number> }[]): string {
  // Each builder's run is in document order, and a document is in one builder only: merge the runs.
  const runs: { raw: RawIndex; at: number; end: number }[] = [];
  for (const { raw, ids } of sources) {
    const id = ids.get(term);
    if (id !== undefined) runs.push({ raw, at: raw.starts[id] ?? 0, end: raw.starts[id + 1] ?? 0 });
  }
  const parts: string[][] = [[], [], []];
  const last = [0, 0, 0];
  for (;;) {
    let best: (typeof runs)[number] | undefined;
    for (const run of runs) {
      if (run.at < run.end && (best === undefined || (run.raw.docs[run.at] ?? 0) < (best.raw.docs[best.at] ?? 0))) best = run;
    }
    if (best === undefined) break;
    const doc = best.raw.docs[best.at] ?? 0;
    const value = best.raw.values[best.at] ?? 0;
    best.at++;
    const field = value & 3;
    const tf = value >> 2;
    parts[field]?.push((doc - (last[field] ?? 0)).toString(36) + (tf > 1 ? `.${tf.toString(36)}` : ''));
    last[field] = doc;
  }
  return parts
    .map((p, field) => (p.length > 0 ? `${field}:${p.join(',')}` : ''))
    .filter((p) => p !== '')
    .join(';');
}
