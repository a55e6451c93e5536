// The static entry carries its n-gram model and builds it once, when this module is first
// imported (about 0.4 s and 40 MB): every later call reuses it. 'extrasmall' detects our
// languages as well as the larger models on sentences, at a third of the load time.
import { eld } from 'eld/extrasmall';

export interface DetectedLanguage {
  /** BCP-47: 'ru', 'uk', 'en', ... or 'und' when there is too little text to tell. */
  language: string;
  /** 0..1 */
  confidence: number;
}

/** A long document's first pages say what it is written in: the letters are counted here... */
const SAMPLE_CHARS = 3000;
/** ...and eld, whose time grows with the text, reads this much of it (enough for its n-grams). */
const ELD_CHARS = 1500;
/** Fewer letters than this is a date, a number or a name: not enough to tell a language. */
const MIN_LETTERS = 8;

const urls = /(?:https?:\/\/|www\.)\S+/gu;
const emails = /\S+@\S+/gu;

const RU = 1; // ы э ё: no Ukrainian text has them
const HARD_SIGN = 2; // ъ: Russian or Bulgarian, never Ukrainian
const UK = 3; // і ї є ґ
const OTHER = 4; // ў ј љ њ ... ә ғ қ: Belarusian, Serbian, Macedonian, Kazakh ...: eld decides those
const marks = new Uint8Array(0x530);
const mark = (chars: string, kind: number): void => {
  for (const ch of chars + chars.toUpperCase()) marks[ch.charCodeAt(0)] = kind;
};
mark('ыэё', RU);
mark('ъ', HARD_SIGN);
mark('іїєґ', UK);
mark('ўјљњћђџѓќѕәғқңөұүһҗ', OTHER);

let letterTable: Uint8Array | undefined;
/** Which BMP characters are letters (\p{L}), built once: a table lookup beats a regex per character. */
function isLetter(c: number): boolean {
  if (!letterTable) {
    letterTable = new Uint8Array(0x10000);
    const letter = /\p{L}/u;
    for (let code = 0; code < 0x10000; code++) if (letter.test(String.fromCharCode(code))) letterTable[code] = 1;
  }
  return letterTable[c] === 1;
}

interface Counts {
  letters: number;
  cyrillic: number;
  ru: number;
  hardSign: number;
  uk: number;
  other: number;
}

function countLetters(sample: string): Counts {
  const counts: Counts = { letters: 0, cyrillic: 0, ru: 0, hardSign: 0, uk: 0, other: 0 };
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (!isLetter(c)) continue;
    counts.letters++;
    if (c < 0x400 || c >= 0x530) continue;
    counts.cyrillic++;
    const kind = marks[c];
    if (kind === RU) counts.ru++;
    else if (kind === HARD_SIGN) counts.hardSign++;
    else if (kind === UK) counts.uk++;
    else if (kind === OTHER) counts.other++;
  }
  return counts;
}

const clamp = (x: number): number => Math.round(Math.min(0.99, Math.max(0.01, x)) * 100) / 100;

/**
 * The language a text is written in. eld guesses; the letters only one language has (ы э ё for
 * Russian, і ї є ґ for Ukrainian) decide between Russian and Ukrainian, which eld confuses.
 */
export function detectLanguage(text: string): DetectedLanguage {
  let sample = text.slice(0, SAMPLE_CHARS);
  // Addresses are Latin letters in any language's text: they would pull a Russian letter towards English.
  if (sample.includes('://') || sample.includes('www.')) sample = sample.replace(urls, ' ');
  if (sample.includes('@')) sample = sample.replace(emails, ' ');
  const counts = countLetters(sample);
  if (counts.letters < MIN_LETTERS) return { language: 'und', confidence: 0 };

  const { ru, uk } = counts;
  const ruOrBg = ru + counts.hardSign;
  const mostlyCyrillic = counts.cyrillic >= counts.letters * 0.5;

  if (mostlyCyrillic && counts.other === 0) {
    // Both marks found: whichever clearly outnumbers the other (a Russian letter quoting Ukrainian).
    if (uk > 0 && uk >= 3 * ruOrBg) return { language: 'uk', confidence: clamp(0.85 + 0.02 * uk) };
    if (ru > 0 && ru >= 3 * uk) return { language: 'ru', confidence: clamp(0.85 + 0.02 * ru) };
  }

  const result = eld.detect(sample.slice(0, ELD_CHARS));
  if (!result.language) return { language: 'und', confidence: 0 };
  let language = result.language;
  if (mostlyCyrillic && (language === 'ru' || language === 'uk')) {
    if (uk > ruOrBg) language = 'uk';
    else if (ruOrBg > uk) language = 'ru';
  }
  const scores = Object.values(result.getScores()).sort((a, b) => b - a);
  const [best = 0, second = 0] = scores;
  const margin = best > 0 ? (best - second) / best : 0;
  const confidence = result.isReliable() ? 0.7 + Math.min(0.29, margin * 3) : Math.min(0.5, 0.2 + margin * 3);
  return { language, confidence: clamp(confidence) };
}
