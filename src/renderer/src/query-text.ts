import type { SearchSuggestion } from '../../shared/reports.ts';

/**
 * Small edits of the query text the search box holds: which word the caret is in (for
 * suggestions), putting a chosen suggestion in its place, adding or removing a facet's filter.
 * The query language itself is parsed by the backend; this only needs to find the words.
 */

export interface Token {
  start: number;
  end: number;
  text: string;
}

/** Whitespace-separated words, a quoted part ("a b") staying inside its word. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  let quoted = false;
  for (let i = 0; i <= query.length; i++) {
    const char = query[i];
    const space = char === undefined || (!quoted && /\s/u.test(char));
    if (space) {
      if (start >= 0) tokens.push({ start, end: i, text: query.slice(start, i) });
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (char === '"') quoted = !quoted;
  }
  return tokens;
}

export type SuggestField = 'person' | 'case' | 'tag';

export interface Fragment {
  start: number;
  end: number;
  /** What to ask suggestions for. */
  prefix: string;
  /** Set when the word is already a filter (person:Sol): only that kind of suggestion fits. */
  field: SuggestField | null;
  negated: boolean;
}

const OPERATORS = new Set(['OR', 'ИЛИ', 'АБО', '|']);
const FIELD_WORD = /^(-?)(person|case|tag):"?([^"]*)"?$/iu;

/** The word the caret is in, when suggestions make sense for it (not a phrase, an operator or another filter). */
export function fragmentAt(query: string, caret: number): Fragment | null {
  const token = tokenize(query).find((t) => t.start <= caret && caret <= t.end);
  if (!token || caret !== token.end) return null;
  const field = FIELD_WORD.exec(token.text);
  if (field) {
    const prefix = (field[3] ?? '').trim();
    if ([...prefix].length < 2) return null;
    return { start: token.start, end: token.end, prefix, field: (field[2] ?? '').toLowerCase() as SuggestField, negated: field[1] === '-' };
  }
  const text = token.text;
  if (/^[-"]|[:*~"]/u.test(text) || OPERATORS.has(text)) return null;
  if ([...text].filter((c) => /[\p{L}\p{N}]/u.test(c)).length < 2) return null;
  return { start: token.start, end: token.end, prefix: text, field: null, negated: false };
}

const needsQuotes = (value: string): boolean => /[\s,:()]/u.test(value);

/** The filter a facet value or a suggestion stands for, written as the query language wants it. */
export function filterOf(field: 'kind' | 'language' | 'year' | SuggestField, rawValue: string): string {
  // The query language has no escape for a quotation mark inside a quoted value.
  const value = rawValue.replaceAll('"', '');
  switch (field) {
    case 'kind':
      return `kind:${value}`;
    case 'language':
      return `lang:${value}`;
    case 'year':
      return `date:${value}`;
    case 'tag':
      return needsQuotes(value) ? `tag:"${value}"` : `tag:${value}`;
    case 'person':
    case 'case':
      return `${field}:"${value}"`;
  }
}

const fold = (word: string): string => word.normalize('NFC').toLocaleLowerCase();

/**
 * Puts a chosen person, case or tag where the fragment was. Plain words just before it that are
 * part of the chosen name go too: "Anna Solov" and Anna Solovyova give person:"Anna Solovyova".
 */
export function applySuggestion(query: string, fragment: Fragment, suggestion: SearchSuggestion): { query: string; caret: number } {
  if (suggestion.type === 'title') return { query, caret: fragment.end };
  let start = fragment.start;
  if (fragment.field === null && suggestion.type !== 'tag') {
    const nameWords = suggestion.value.split(/\s+/u).map(fold);
    const before = tokenize(query.slice(0, fragment.start));
    for (let i = before.length - 1; i >= 0; i--) {
      const word = before[i];
      if (!word || !nameWords.includes(fold(word.text))) break;
      start = word.start;
    }
  }
  const filter = `${fragment.negated ? '-' : ''}${filterOf(suggestion.type, suggestion.value)}`;
  const head = query.slice(0, start);
  const tail = query.slice(fragment.end);
  const next = `${head}${filter}${tail && !/^\s/u.test(tail) ? ' ' : ''}${tail}`;
  return { query: next, caret: head.length + filter.length };
}

/** Whether the query holds this filter already (as a word of its own). */
export const hasFilter = (query: string, filter: string): boolean => tokenize(query).some((t) => fold(t.text) === fold(filter));

/**
 * Adds a filter to the query, or takes it out when it is there already. A date replaces the
 * query's other date filters: the backend honours only one range.
 */
export function toggleFilter(query: string, filter: string): string {
  const tokens = tokenize(query);
  const present = tokens.some((t) => fold(t.text) === fold(filter));
  const keep = tokens.filter((t) => fold(t.text) !== fold(filter) && !(filter.startsWith('date:') && /^date:/iu.test(t.text)));
  const words = keep.map((t) => t.text);
  if (!present) words.push(filter);
  return words.join(' ');
}
