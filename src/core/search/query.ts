import { documentKinds, sensitivities } from '../../shared/document.ts';
import { KartotekaError } from '../../shared/errors.ts';

/**
 * The query language:
 *   words            all must match, in any inflection, script or transliteration
 *   "a phrase"       the words in this order
 *   a OR b           either (also ИЛИ, АБО)
 *   -word, -"a b"    leave out documents that have it
 *   prefix*          words that start so (at least 2 letters)
 *   word~ word~2     words within 1 (or 2) typos
 *   kind: lang: person: case: tag: sensitivity: date:2023..2024   filters; -kind:letter leaves out
 */
export type Term =
  | { type: 'word'; text: string }
  | { type: 'prefix'; text: string }
  | { type: 'fuzzy'; text: string; distance: 1 | 2 }
  | { type: 'phrase'; words: string[] };

export interface Filters {
  kinds: string[];
  languages: string[];
  sensitivities: string[];
  /** Each must match (a document naming both people). */
  people: string[];
  cases: string[];
  tags: string[];
  /** Inclusive bounds on the document's date, as partial dates compare: '2023' .. '2024'. */
  dateFrom: string | null;
  dateTo: string | null;
  /** Filters written with a minus: documents matching any of them are left out. */
  not: { kinds: string[]; languages: string[]; sensitivities: string[]; people: string[]; cases: string[]; tags: string[] };
}

export interface ParsedQuery {
  /** Every group must match; a group matches when any of its terms does (a OR b). */
  groups: Term[][];
  /** Documents matching any of these are left out. */
  excluded: Term[];
  filters: Filters;
}

export const filterNames = ['kind', 'lang', 'person', 'case', 'tag', 'sensitivity', 'date'] as const;
type FilterName = (typeof filterNames)[number];

const OR_WORDS = new Set(['OR', 'ИЛИ', 'АБО', '|']);

const invalid = (message: string, at: number): KartotekaError =>
  new KartotekaError('INVALID_QUERY', message, { at });

interface Lexeme {
  at: number;
  negated: boolean;
  /** A filter name when the lexeme was name:value. */
  field: FilterName | null;
  quoted: boolean;
  text: string;
  /** What followed the word: * or ~, ~1, ~2. */
  suffix: string;
}

const isSpace = (char: string): boolean => /\s/u.test(char);

function lex(query: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let i = 0;
  const readQuoted = (): string => {
    const open = i;
    const close = query.indexOf('"', i + 1);
    if (close < 0) throw invalid(`The quotation mark at ${open + 1} is never closed: close it to search for a phrase.`, open);
    i = close + 1;
    return query.slice(open + 1, close);
  };
  while (i < query.length) {
    const char = query[i] ?? '';
    if (isSpace(char) || char === '(' || char === ')') {
      i++;
      continue;
    }
    const at = i;
    let negated = false;
    if (char === '-' && i + 1 < query.length && !isSpace(query[i + 1] ?? ' ')) {
      negated = true;
      i++;
    }
    let field: FilterName | null = null;
    const named = /^([a-z]+):/iu.exec(query.slice(i));
    if (named && (filterNames as readonly string[]).includes((named[1] ?? '').toLowerCase())) {
      field = (named[1] ?? '').toLowerCase() as FilterName;
      i += named[0].length;
      if (i >= query.length || isSpace(query[i] ?? ' ')) throw invalid(`${field}: needs a value, for example ${example(field)}.`, at);
    }
    let text: string;
    let quoted = false;
    if (query[i] === '"') {
      text = readQuoted();
      quoted = true;
    } else {
      const start = i;
      while (i < query.length && !isSpace(query[i] ?? ' ') && query[i] !== '"' && query[i] !== '(' && query[i] !== ')') i++;
      text = query.slice(start, i);
    }
    let suffix = '';
    if (!quoted) {
      const tail = /(\*|~[0-9]*)$/u.exec(text);
      if (tail) {
        suffix = tail[0];
        text = text.slice(0, -suffix.length);
      }
    }
    lexemes.push({ at, negated, field, quoted, text, suffix });
  }
  return lexemes;
}

function example(field: FilterName): string {
  switch (field) {
    case 'kind':
      return 'kind:letter';
    case 'lang':
      return 'lang:ru';
    case 'person':
      return 'person:Kagarlitsky';
    case 'case':
      return 'case:"No. 1-25/2024"';
    case 'tag':
      return 'tag:appeal';
    case 'sensitivity':
      return 'sensitivity:public';
    case 'date':
      return 'date:2023..2024';
  }
}

const WORD_CHARS = /[\p{L}\p{N}]/u;

function termOf(lexeme: Lexeme): Term | null {
  const { text, suffix, quoted, at } = lexeme;
  if (quoted) {
    const words = text.match(/[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu) ?? [];
    if (words.length === 0) return null;
    return words.length === 1 ? { type: 'word', text: words[0] ?? '' } : { type: 'phrase', words };
  }
  if (!WORD_CHARS.test(text)) {
    if (suffix) throw invalid(`"${suffix}" at ${at + 1} follows no word: write it right after one, as in Kagarl* or Kagarlitsky~.`, at);
    return null;
  }
  // A word with punctuation inside (207.3, Навальный-младший) is matched as its parts in order.
  const parts = text.match(/[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu) ?? [];
  if (suffix === '*') {
    const prefix = parts.join('');
    if (parts.length > 1) throw invalid(`A prefix search is one word: "${text}*" has several.`, at);
    if ([...prefix].length < 2) throw invalid(`"${text}*" is too short: a prefix needs at least 2 letters.`, at);
    return { type: 'prefix', text: prefix };
  }
  if (suffix.startsWith('~')) {
    const distance = suffix === '~' ? 1 : Number(suffix.slice(1));
    if (distance !== 1 && distance !== 2) throw invalid(`"${text}${suffix}": a fuzzy search allows 1 or 2 typos (word~ or word~2).`, at);
    if (parts.length > 1) throw invalid(`A fuzzy search is one word: "${text}" has several.`, at);
    return { type: 'fuzzy', text: parts[0] ?? '', distance };
  }
  return parts.length === 1 ? { type: 'word', text: parts[0] ?? '' } : { type: 'phrase', words: parts };
}

const emptyFilters = (): Filters => ({
  kinds: [],
  languages: [],
  sensitivities: [],
  people: [],
  cases: [],
  tags: [],
  dateFrom: null,
  dateTo: null,
  not: { kinds: [], languages: [], sensitivities: [], people: [], cases: [], tags: [] },
});

const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/u;

function dateRange(value: string, at: number): { from: string | null; to: string | null } {
  const [from = '', to = from, ...rest] = value.split('..');
  const single = !value.includes('..');
  if (rest.length > 0 || (from === '' && to === '')) throw invalid(`date:${value} is not a date range: write date:2023, date:2023-05 or date:2023..2024.`, at);
  for (const part of [from, to]) {
    if (part !== '' && !PARTIAL_DATE.test(part)) throw invalid(`"${part}" is not a date: write a year (2023), a month (2023-05) or a day (2023-05-17).`, at);
  }
  if (from && to && from.slice(0, to.length) > to && !single) throw invalid(`date:${value} ends before it starts.`, at);
  return { from: from || null, to: to || null };
}

function addFilter(filters: Filters, lexeme: Lexeme): void {
  const { field, at, negated } = lexeme;
  const value = lexeme.text.trim() + (lexeme.quoted ? '' : lexeme.suffix);
  if (!value) throw invalid(`${field ?? ''}: needs a value.`, at);
  const target = negated ? filters.not : filters;
  switch (field) {
    case 'kind': {
      for (const kind of value.split(',')) {
        if (!(documentKinds as readonly string[]).includes(kind)) {
          throw invalid(`kind:${kind} is not a kind of document; the kinds are ${documentKinds.join(', ')}.`, at);
        }
        target.kinds.push(kind);
      }
      return;
    }
    case 'sensitivity': {
      for (const level of value.split(',')) {
        if (!(sensitivities as readonly string[]).includes(level)) {
          throw invalid(`sensitivity:${level} is not a sensitivity; they are ${sensitivities.join(', ')}.`, at);
        }
        target.sensitivities.push(level);
      }
      return;
    }
    case 'lang': {
      for (const language of value.split(',')) {
        if (!/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/iu.test(language)) {
          throw invalid(`lang:${language} is not a language code; write lang:ru, lang:uk or lang:en.`, at);
        }
        target.languages.push(language.toLowerCase());
      }
      return;
    }
    case 'person':
      target.people.push(value);
      return;
    case 'case':
      target.cases.push(value);
      return;
    case 'tag':
      target.tags.push(value);
      return;
    case 'date': {
      if (negated) throw invalid('A date filter cannot be negated; give the range you want instead.', at);
      const { from, to } = dateRange(value, at);
      filters.dateFrom = from;
      filters.dateTo = to;
      return;
    }
    case null:
      return;
  }
}

/** Parses a query; a malformed one is an INVALID_QUERY error whose message says how to write it. */
export function parseQuery(query: string): ParsedQuery {
  const parsed: ParsedQuery = { groups: [], excluded: [], filters: emptyFilters() };
  const lexemes = lex(query.normalize('NFC'));
  let pendingOr: Lexeme | null = null;
  for (const [index, lexeme] of lexemes.entries()) {
    const isOr = !lexeme.quoted && !lexeme.negated && lexeme.field === null && OR_WORDS.has(lexeme.text) && lexeme.suffix === '';
    if (isOr) {
      const previous = lexemes[index - 1];
      if (parsed.groups.length === 0 || pendingOr || !previous || previous.negated || previous.field) {
        throw invalid(`"${lexeme.text}" at ${lexeme.at + 1} needs a word on each side, as in Кагарлицкий OR Kagarlitsky.`, lexeme.at);
      }
      pendingOr = lexeme;
      continue;
    }
    if (lexeme.field) {
      if (pendingOr) throw invalid(`"${pendingOr.text}" cannot join a filter; repeat the filter with the values you want, as in kind:letter,statement.`, pendingOr.at);
      addFilter(parsed.filters, lexeme);
      continue;
    }
    const term = termOf(lexeme);
    if (!term) continue;
    if (lexeme.negated) {
      if (pendingOr) throw invalid(`"${pendingOr.text}" cannot join an excluded word.`, pendingOr.at);
      parsed.excluded.push(term);
      continue;
    }
    if (pendingOr) {
      parsed.groups.at(-1)?.push(term);
      pendingOr = null;
    } else parsed.groups.push([term]);
  }
  if (pendingOr) throw invalid(`"${pendingOr.text}" at the end needs a word after it.`, pendingOr.at);
  return parsed;
}

/** Whether a parsed query asks for anything at all (words or filters). */
export function isEmptyQuery(parsed: ParsedQuery): boolean {
  const f = parsed.filters;
  return (
    parsed.groups.length === 0 &&
    parsed.excluded.length === 0 &&
    [f.kinds, f.languages, f.sensitivities, f.people, f.cases, f.tags, ...Object.values(f.not)].every((list) => list.length === 0) &&
    f.dateFrom === null &&
    f.dateTo === null
  );
}
