/**
 * The backend explains a malformed query in English (INVALID_QUERY). The interface speaks Russian
 * and Ukrainian too, so the messages it knows are recognised here and said again in the interface
 * language, with the same details; a message it does not recognise (the wording may change) is
 * shown as it came, in English. (English keeps the message as it came; the en strings are the
 * source for translators.)
 */

interface Pattern {
  key: string;
  pattern: RegExp;
  /** Names of the captured groups, in order, passed to the translation. */
  params: string[];
}

const patterns: Pattern[] = [
  { key: 'unclosedQuote', pattern: /^The quotation mark at (\d+) is never closed/u, params: ['position'] },
  { key: 'needsValueExample', pattern: /^(\w+): needs a value, for example (.+)\.$/u, params: ['field', 'example'] },
  { key: 'needsValue', pattern: /^(\w*): needs a value\.$/u, params: ['field'] },
  { key: 'suffixAlone', pattern: /^"(.+)" at (\d+) follows no word/u, params: ['suffix', 'position'] },
  { key: 'prefixSeveral', pattern: /^A prefix search is one word: "(.+)" has several\.$/u, params: ['text'] },
  { key: 'prefixShort', pattern: /^"(.+)" is too short: a prefix needs at least 2 letters\.$/u, params: ['text'] },
  { key: 'fuzzyDistance', pattern: /^"(.+)": a fuzzy search allows 1 or 2 typos/u, params: ['text'] },
  { key: 'fuzzySeveral', pattern: /^A fuzzy search is one word: "(.+)" has several\.$/u, params: ['text'] },
  { key: 'dateRange', pattern: /^(date:.*) is not a date range/u, params: ['filter'] },
  { key: 'notADate', pattern: /^"(.*)" is not a date: /u, params: ['text'] },
  { key: 'dateBackwards', pattern: /^(date:.*) ends before it starts\.$/u, params: ['filter'] },
  { key: 'badKind', pattern: /^(kind:.*) is not a kind of document; the kinds are (.+)\.$/u, params: ['filter', 'list'] },
  { key: 'badSensitivity', pattern: /^(sensitivity:.*) is not a sensitivity; they are (.+)\.$/u, params: ['filter', 'list'] },
  { key: 'badLanguage', pattern: /^(lang:.*) is not a language code/u, params: ['filter'] },
  { key: 'negatedDate', pattern: /^A date filter cannot be negated/u, params: [] },
  { key: 'orSides', pattern: /^"(.+)" at (\d+) needs a word on each side/u, params: ['word', 'position'] },
  { key: 'orFilter', pattern: /^"(.+)" cannot join a filter/u, params: ['word'] },
  { key: 'orExcluded', pattern: /^"(.+)" cannot join an excluded word\.$/u, params: ['word'] },
  { key: 'orEnd', pattern: /^"(.+)" at the end needs a word after it\.$/u, params: ['word'] },
];

export interface KnownQueryError {
  /** Translation key under queryErrors. */
  key: string;
  params: Record<string, string>;
}

/** What an INVALID_QUERY message says, when it is one of the known ones. */
export function recogniseQueryError(message: string): KnownQueryError | null {
  for (const { key, pattern, params } of patterns) {
    const match = pattern.exec(message);
    if (match) return { key: `queryErrors.${key}`, params: Object.fromEntries(params.map((name, i) => [name, match[i + 1] ?? ''])) };
  }
  return null;
}
