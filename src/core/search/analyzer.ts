import anyAscii from 'any-ascii';
import { stemmer as armenian } from '@orama/stemmers/armenian';
import { stemmer as arabic } from '@orama/stemmers/arabic';
import { stemmer as bulgarian } from '@orama/stemmers/bulgarian';
import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as greek } from '@orama/stemmers/greek';
import { stemmer as hindi } from '@orama/stemmers/indian';
import { stemmer as hungarian } from '@orama/stemmers/hungarian';
import { stemmer as indonesian } from '@orama/stemmers/indonesian';
import { stemmer as irish } from '@orama/stemmers/irish';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as lithuanian } from '@orama/stemmers/lithuanian';
import { stemmer as nepali } from '@orama/stemmers/nepali';
import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as romanian } from '@orama/stemmers/romanian';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as serbian } from '@orama/stemmers/serbian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';
import { stemmer as tamil } from '@orama/stemmers/tamil';
import { stemmer as turkish } from '@orama/stemmers/turkish';
import { stemmer as ukrainian } from '@orama/stemmers/ukrainian';

/**
 * The analyzer turns text into the terms the full-text index holds, the same way for documents and
 * for queries. Raise the version whenever a change here would change a single term: archives built
 * by another version are re-indexed in the background when they are opened.
 */
export const ANALYZER_VERSION = 2;

export type Script = 'latin' | 'cyrillic' | 'greek' | 'other' | 'number';

type Stemmer = (word: string) => string;

/** Snowball stemmers by language (BCP-47 primary subtag), with the script each one reads. */
const stemmers: Record<string, { stem: Stemmer; script: Script }> = {
  en: { stem: english, script: 'latin' },
  fr: { stem: french, script: 'latin' },
  de: { stem: german, script: 'latin' },
  es: { stem: spanish, script: 'latin' },
  it: { stem: italian, script: 'latin' },
  pt: { stem: portuguese, script: 'latin' },
  nl: { stem: dutch, script: 'latin' },
  sv: { stem: swedish, script: 'latin' },
  no: { stem: norwegian, script: 'latin' },
  nb: { stem: norwegian, script: 'latin' },
  da: { stem: danish, script: 'latin' },
  fi: { stem: finnish, script: 'latin' },
  hu: { stem: hungarian, script: 'latin' },
  ro: { stem: romanian, script: 'latin' },
  tr: { stem: turkish, script: 'latin' },
  lt: { stem: lithuanian, script: 'latin' },
  id: { stem: indonesian, script: 'latin' },
  ga: { stem: irish, script: 'latin' },
  ru: { stem: russian, script: 'cyrillic' },
  uk: { stem: ukrainian, script: 'cyrillic' },
  bg: { stem: bulgarian, script: 'cyrillic' },
  // The Serbian stemmer answers in Latin letters whatever it is given, so it reads Serbian Latin.
  sr: { stem: serbian, script: 'latin' },
  el: { stem: greek, script: 'greek' },
  hy: { stem: armenian, script: 'other' },
  ar: { stem: arabic, script: 'other' },
  hi: { stem: hindi, script: 'other' },
  ne: { stem: nepali, script: 'other' },
  ta: { stem: tamil, script: 'other' },
};

/** The languages whose stemmer a query word of each script goes through when its language is unknown. */
const languagesOfScript: Record<Script, string[]> = { latin: [], cyrillic: [], greek: [], other: [], number: [] };
for (const [language, { script }] of Object.entries(stemmers)) {
  if (language !== 'nb') languagesOfScript[script].push(language);
}
/** A word in a script its document's language does not use is stemmed as the script's main language. */
const defaultLanguageOfScript: Partial<Record<Script, string>> = { latin: 'en', cyrillic: 'ru', greek: 'el' };

export const stemmedLanguages = (): string[] => Object.keys(stemmers).filter((l) => l !== 'nb');

const primary = (language: string): string => language.toLowerCase().split('-')[0] ?? '';

/**
 * Words as Unicode word segmentation (UAX #29) cuts alphabetic text: letters, marks and digits, with
 * an apostrophe inside a word (п'ять, don't) kept in it. A regular expression does this four times
 * faster than Intl.Segmenter, measured; scripts written without spaces go through Intl.Segmenter.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
const BEYOND_THAI = /[\u0E00-\u{10FFFF}]/u;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
let segmenter: Intl.Segmenter | undefined;

export interface Token {
  word: string;
  start: number;
  end: number;
}

/** Every word of a text with its offsets (UTF-16 code units), in order. */
export function* tokens(text: string): Generator<Token> {
  WORD.lastIndex = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const start = match.index;
    // Scripts written without spaces all lie above U+0E00: most words need no property lookup.
    if (!BEYOND_THAI.test(word) || !UNSPACED.test(word)) {
      yield { word, start, end: start + word.length };
      continue;
    }
    segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
    for (const part of segmenter.segment(word)) {
      if (part.isWordLike) yield { word: part.segment, start: start + part.index, end: start + part.index + part.segment.length };
    }
  }
}

/** The words of a text, without offsets. */
export const words = (text: string): string[] => Array.from(tokens(text), (t) => t.word);

const LATIN_LETTER = /\p{Script=Latin}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const GREEK = /\p{Script=Greek}/u;
const LETTER = /\p{L}/u;
const COMBINING = /\p{M}/gu;
const APOSTROPHES = /['’ʼ]/gu;
/** Latin letters that Unicode does not decompose into a base letter and a mark. */
const LATIN_SPECIAL: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ı: 'i', ħ: 'h', ŀ: 'l' };

export function scriptOf(word: string): Script {
  let sawLetter = false;
  for (const char of word) {
    if (CYRILLIC.test(char)) return 'cyrillic';
    if (LATIN_LETTER.test(char)) return 'latin';
    if (GREEK.test(char)) return 'greek';
    if (LETTER.test(char)) sawLetter = true;
  }
  return sawLetter ? 'other' : 'number';
}

/**
 * Case folding, е/ё folding, and diacritic folding on Latin letters only: Žižek is zizek, but й, ї
 * and ў stay themselves (they are letters of their own, not и, і and у with an accent).
 */
export function fold(word: string): string {
  let lower = word.normalize('NFC').toLowerCase().replace(APOSTROPHES, '');
  if (lower.includes('ё')) lower = lower.replaceAll('ё', 'е');
  if (/^[ -~]*$/u.test(lower)) return lower;
  let out = '';
  for (const char of lower) {
    if (LATIN_SPECIAL[char] !== undefined) out += LATIN_SPECIAL[char];
    else if (char.charCodeAt(0) >= 0xc0 && LATIN_LETTER.test(char)) out += char.normalize('NFD').replace(COMBINING, '');
    else out += char;
  }
  return out;
}

/** English possessives: Kagarlitsky's is Kagarlitsky. */
const POSSESSIVE = /['’]s$/u;

/** Latin spellings of one sound made one: ts/tz/c, y/i/j, kh/h/g, ph/f, w/v, doubled letters, yo/ye/e. */
function phoneticFold(ascii: string): string {
  return ascii
    .toLowerCase()
    .replace(/[^a-z0-9]/gu, '')
    .replace(/ph/gu, 'f')
    .replace(/kh/gu, 'h')
    .replace(/h/gu, 'g')
    .replace(/(?:tz|ts|cz)/gu, 'c')
    .replace(/[yj]/gu, 'i')
    .replace(/w/gu, 'v')
    .replace(/q/gu, 'k')
    .replace(/(.)\1+/gu, '$1')
    // ё, ье and е after a vowel are written yo, io, ye, ie or e: Solovyov, Soloviev, Solovev.
    .replace(/i[eo]/gu, 'e');
}

/**
 * The transliteration key: the phonetic fold without final vowels, where spellings of one name in
 * Latin letters meet (Kagarlitsky, Kagarlitzky, Kagarlitskiy, Kagarlickij, Kaharlytskyi: kagarlick).
 */
export function phoneticKey(ascii: string): string {
  const key = phoneticFold(ascii);
  const stripped = key.replace(/[aeiou]+$/u, '');
  return stripped.length >= 2 ? stripped : key;
}

/** The Cyrillic fold of a stem: Russian and Ukrainian spellings of a name meet (Кагарлицкий, Кагарлицький), й stays. */
export function cyrillicKey(stem: string): string {
  const key = stem
    .replace(/[ьъ]/gu, '')
    .replace(/[єэ]/gu, 'е')
    .replace(/ґ/gu, 'г')
    .replace(/(.)\1+/gu, '$1');
  const stripped = key.replace(/[аеиоуыюяії]+$/u, '');
  return stripped.length >= 2 ? stripped : key;
}

/** Prefix of a transliteration key that comes from a word not written in Latin letters. */
export const FOREIGN_KEY = '0';

/** The terms one word of a document adds to the index. */
export interface WordTerms {
  /** The stem in the document's language, folded. */
  stem: string;
  /** Latin words: the transliteration key. Cyrillic words: the Cyrillic key. */
  key: string | null;
  /**
   * Words not in Latin letters: FOREIGN_KEY + the transliteration key of the stem, and of the whole
   * word when that differs (Snowball cuts Зайцев to зайц, but Zaytsev must still find it).
   */
  foreign: string | null;
  foreignWord: string | null;
}

function stemWith(language: string | undefined, word: string): string {
  if (language === undefined) return word;
  const stemmer = stemmers[language];
  if (!stemmer) return word;
  try {
    return stemmer.stem(word) || word;
  } catch {
    return word;
  }
}

function stemLanguageFor(documentLanguage: string, script: Script): string | undefined {
  const language = primary(documentLanguage);
  const own = stemmers[language];
  if (own && own.script === script) return language;
  return defaultLanguageOfScript[script];
}

function termsOf(stem: string, script: Script, word = stem): WordTerms {
  if (script === 'number') return { stem, key: null, foreign: null, foreignWord: null };
  if (script === 'latin') return { stem, key: phoneticKey(stem), foreign: null, foreignWord: null };
  const ascii = phoneticKey(anyAscii(stem));
  const whole = word === stem ? ascii : phoneticKey(anyAscii(word));
  return {
    stem,
    key: script === 'cyrillic' ? cyrillicKey(stem) : null,
    foreign: ascii ? FOREIGN_KEY + ascii : null,
    foreignWord: whole && whole !== ascii ? FOREIGN_KEY + whole : null,
  };
}

const CACHE_LIMIT = 200_000;
const documentCache = new Map<string, WordTerms>();

/** The index terms of one word of a document written in `language`; cached, since words repeat. */
export function analyzeWord(word: string, language: string): WordTerms {
  const cacheKey = `${language}\u0000${word}`;
  const cached = documentCache.get(cacheKey);
  if (cached) return cached;
  const script = scriptOf(word);
  const base = script === 'latin' ? word.replace(POSSESSIVE, '') : word;
  const folded = fold(base);
  const terms = termsOf(stemWith(stemLanguageFor(language, script), folded), script, folded);
  if (documentCache.size >= CACHE_LIMIT) documentCache.clear();
  documentCache.set(cacheKey, terms);
  return terms;
}

/** What the index holds for a text: its stems, one per word in order, and its keys. */
export interface AnalyzedText {
  stems: string;
  keys: string;
}

/** Analyzes a whole text (a document body, title or list of people) for the index. */
export function analyzeText(text: string, language: string): AnalyzedText {
  const stems: string[] = [];
  const keys: string[] = [];
  for (const { word } of tokens(text)) {
    const terms = analyzeWord(word, language);
    stems.push(terms.stem);
    if (terms.key) keys.push(terms.key);
    if (terms.foreign) keys.push(terms.foreign);
    if (terms.foreignWord) keys.push(terms.foreignWord);
  }
  return { stems: stems.join(' '), keys: keys.join(' ') };
}

/**
 * The languages whose stemmer a query word goes through: every language of its script when the
 * languages are unknown; else those given (a lang: filter, or the languages the archive holds)
 * that use its script, and the script's main language, which stems words of other languages'
 * documents written in that script (an English name in a Russian letter).
 */
function candidateLanguages(scripts: readonly Script[], languages: readonly string[] | undefined): string[] {
  if (languages === undefined) return scripts.flatMap((s) => languagesOfScript[s]);
  const given = new Set(languages.map(primary));
  return scripts.flatMap((script) => {
    const own = languagesOfScript[script].filter((l) => given.has(l));
    const main = defaultLanguageOfScript[script];
    return main && !own.includes(main) ? [...own, main] : own;
  });
}

/** What a query word may match: any of its stems, or any of its keys. */
export interface QueryTerms {
  script: Script;
  folded: string;
  stems: string[];
  keys: string[];
}

/**
 * The terms a query word matches. Its language is unknown unless the query names one (lang:), so it
 * is stemmed in every language of its script. A Cyrillic word meets Cyrillic words through their
 * stems and Cyrillic keys (which keep й apart from и) and Latin words through their transliteration
 * keys; a Latin word also meets every other script through the transliteration keys.
 */
export function analyzeQueryWord(word: string, languages?: readonly string[]): QueryTerms {
  const script = scriptOf(word);
  const base = script === 'latin' ? word.replace(POSSESSIVE, '') : word;
  const folded = fold(base);
  const candidates = candidateLanguages([script], languages);
  const stems = new Set<string>([folded]);
  for (const language of candidates) stems.add(stemWith(language, folded));
  const keys = new Set<string>();
  for (const stem of stems) {
    const terms = termsOf(stem, script, folded);
    if (script === 'latin' && terms.key) {
      keys.add(terms.key);
      keys.add(FOREIGN_KEY + terms.key);
    } else {
      if (terms.key) keys.add(terms.key);
      // A Cyrillic or Greek word meets Latin-letter words by its transliteration, never other
      // Cyrillic words by it: that would fold й into и (войны and воины).
      if (terms.foreign) keys.add(terms.foreign.slice(FOREIGN_KEY.length));
      if (terms.foreignWord) keys.add(terms.foreignWord.slice(FOREIGN_KEY.length));
    }
  }
  return { script, folded, stems: [...stems], keys: [...keys] };
}

/** The key a prefix query reaches Latin words and transliterations with (no stemming, no final-vowel drop). */
export function prefixKeys(prefix: string): { stems: string[]; keys: string[] } {
  const script = scriptOf(prefix);
  const folded = fold(prefix);
  if (script === 'number') return { stems: [folded], keys: [] };
  const key = phoneticFold(script === 'latin' ? folded : anyAscii(folded));
  if (key.length < 2) return { stems: [folded], keys: [] };
  if (script === 'latin') return { stems: [folded], keys: [key, FOREIGN_KEY + key] };
  return { stems: [folded], keys: [key] };
}

/**
 * The stem sequences a phrase may appear as. A document's words are stemmed in its one language, so
 * the phrase is stemmed once per candidate language (not every mix of them).
 */
export function phraseStems(phrase: readonly string[], languages?: readonly string[]): string[][] {
  const candidates = candidateLanguages([...new Set(phrase.map(scriptOf))], languages);
  const sequences = new Map<string, string[]>();
  for (const language of [...candidates, 'und']) {
    const sequence = phrase.map((word) => analyzeWord(word, language).stem);
    sequences.set(sequence.join(' '), sequence);
  }
  return [...sequences.values()];
}
