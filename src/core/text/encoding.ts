import { detect as jschardetDetect } from 'jschardet';
import { KartotekaError } from '../../shared/errors.ts';
import type { EncodingInfo, RepairInfo } from '../importers/types.ts';
import { repairMojibake } from './mojibake.ts';

export interface DecodedText {
  text: string;
  encoding: EncodingInfo;
  repair?: RepairInfo | undefined;
}

export interface DecodeOptions {
  /** What the file says about itself (an HTML meta charset, an e-mail part's charset). */
  declared?: string | undefined;
  /** What the user chose: always wins. An unknown label throws UNSUPPORTED_ENCODING. */
  override?: string | undefined;
  /** false keeps the text exactly as decoded (the user reverted a repair). Default true. */
  repairMojibake?: boolean;
}

/** Detection looks at this much; the chosen encoding then decodes the whole file once. */
const SAMPLE_BYTES = 64 * 1024;
/** jschardet is thorough but slow (milliseconds per 20 KB): it only sees this much, and only as a fallback. */
const JSCHARDET_BYTES = 16 * 1024;

// ---- labels -----------------------------------------------------------------------------------

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();

/** The WHATWG name for a label ('cp1251' -> 'windows-1251'), or undefined when TextDecoder does not know it. */
function canonicalName(label: string): string | undefined {
  const key = label.trim().toLowerCase();
  const cached = decoders.get(key);
  if (cached) return cached.encoding;
  try {
    const decoder = new TextDecoder(key);
    decoders.set(key, decoder);
    decoders.set(decoder.encoding, decoder);
    return decoder.encoding;
  } catch {
    return undefined;
  }
}

function decoderFor(name: string): InstanceType<typeof TextDecoder> {
  let decoder = decoders.get(name);
  if (!decoder) {
    decoder = new TextDecoder(name);
    decoders.set(name, decoder);
  }
  return decoder;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeWith(name: string, bytes: Uint8Array): string {
  return decoderFor(name).decode(bytes);
}

function tryFatal(name: string, bytes: Uint8Array): string | undefined {
  try {
    return name === 'utf-8' ? fatalUtf8.decode(bytes) : new TextDecoder(name, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

// ---- byte-order marks, binary files, UTF-16 without a BOM -------------------------------------

interface Bom {
  name: 'utf-8' | 'utf-16le' | 'utf-16be';
  length: number;
}

function sniffBom(bytes: Uint8Array): Bom | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { name: 'utf-8', length: 3 };
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    throw new KartotekaError('UNSUPPORTED_ENCODING', 'The file is UTF-32 text, which Kartoteka does not read: save it as UTF-8 and import it again.');
  }
  if (b0 === 0xff && b1 === 0xfe) return { name: 'utf-16le', length: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { name: 'utf-16be', length: 2 };
  return undefined;
}

const signatures: Array<[string, number, number[]]> = [
  ['a PNG image', 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['a JPEG image', 0, [0xff, 0xd8, 0xff]],
  ['a GIF image', 0, [0x47, 0x49, 0x46, 0x38]],
  ['a TIFF image', 0, [0x49, 0x49, 0x2a, 0x00]],
  ['a TIFF image', 0, [0x4d, 0x4d, 0x00, 0x2a]],
  ['a PDF document', 0, [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a ZIP archive (or a DOCX/ODT document)', 0, [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip archive', 0, [0x1f, 0x8b]],
  ['a 7-Zip archive', 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['a RAR archive', 0, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]],
  ['an old Word/Excel document', 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  ['an SQLite database', 0, [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00]],
  ['a program (ELF)', 0, [0x7f, 0x45, 0x4c, 0x46]],
  ['a WAV audio file', 8, [0x57, 0x41, 0x56, 0x45]],
  ['an AVI video file', 8, [0x41, 0x56, 0x49, 0x20]],
  ['a WebP image', 8, [0x57, 0x45, 0x42, 0x50]],
  ['an Ogg audio file', 0, [0x4f, 0x67, 0x67, 0x53]],
  ['an MP3 audio file', 0, [0x49, 0x44, 0x33, 0x02, 0x00]],
  ['an MP3 audio file', 0, [0x49, 0x44, 0x33, 0x03, 0x00]],
  ['an MP3 audio file', 0, [0x49, 0x44, 0x33, 0x04, 0x00]],
  ['an MP4 audio or video file', 4, [0x66, 0x74, 0x79, 0x70]],
];

function binarySignature(bytes: Uint8Array): string | undefined {
  for (const [what, offset, magic] of signatures) {
    if (bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b)) return what;
  }
  return undefined;
}

function binaryError(what?: string): KartotekaError {
  return new KartotekaError(
    'BINARY_FILE',
    what
      ? `This file is ${what}, not text: import it as what it is, or check that it was not renamed.`
      : 'This file holds binary data (NUL bytes and control characters), not text: it may be an image, an archive or a program that was renamed.',
  );
}

/** Control characters that text files do not contain (tab, LF, VT, FF, CR, SUB and ESC are allowed). */
function isBadControl(b: number): boolean {
  return b < 0x20 ? b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1a && b !== 0x1b : b === 0x7f;
}

function assertNotBinary(sample: Uint8Array): void {
  let nul = 0;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i] ?? 0;
    if (b < 0x20 || b === 0x7f) {
      if (b === 0) nul++;
      if (isBadControl(b)) bad++;
    }
  }
  if (nul > sample.length * 0.001 || bad > sample.length * 0.02) throw binaryError();
}

const textLike = /[\t\n\r\u0020-\u007e\u00a0-\u024f\u0370-\u06ff\u2000-\u206f\u20a0-\u20bf\u2100-\u214f\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]/u;

/** The share of characters that belong to some writing system or common punctuation. */
function textLikeShare(name: 'utf-16le' | 'utf-16be', sample: Uint8Array): number {
  const text = tryFatal(name, sample.subarray(0, sample.length & ~1));
  if (text === undefined || text.length === 0) return 0;
  let good = 0;
  for (const ch of text) if (textLike.test(ch)) good++;
  return good / text.length;
}

/**
 * UTF-16 without a BOM: ASCII characters put a NUL in every other byte (the high byte), so one
 * parity holds many NULs and the other almost none. Confirmed by decoding: the text must read
 * as text, and better than in the other byte order (a Chinese text's few NULs may sit in either).
 */
function utf16Pattern(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const units = sample.length >> 1;
  if (units < 1) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  let name: 'utf-16le' | 'utf-16be';
  if (oddNul >= units * 0.05 && evenNul <= oddNul * 0.1) name = 'utf-16le';
  else if (evenNul >= units * 0.05 && oddNul <= evenNul * 0.1) name = 'utf-16be';
  else return undefined;
  const other = name === 'utf-16le' ? 'utf-16be' : 'utf-16le';
  const share = textLikeShare(name, sample);
  const otherShare = textLikeShare(other, sample);
  if (share >= 0.9 && share >= otherShare) return name;
  return otherShare >= 0.9 ? other : undefined;
}

const isCjkLetter = (c: number): boolean =>
  (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af);
const isCjkPunctuation = (c: number): boolean => (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff1f);
const unassignedOrPrivate = /[\ufffd\ufffe\uffff\p{Co}\p{Cn}]/u;
const notText = (ch: string): boolean => {
  const c = ch.charCodeAt(0);
  return (c < 0x20 && isBadControl(c)) || (c >= 0x7f && c <= 0x9f) || unassignedOrPrivate.test(ch);
};

/**
 * UTF-16 without a BOM and without ASCII (Chinese, Japanese): no NULs to go by. Taken only when
 * the bytes are not mostly ASCII (which would make "Bush hid the facts" look Chinese), the
 * decoding is at least half CJK with hardly anything that is not text, and it holds CJK
 * punctuation (、。，！): its code units (3001, FF0C ...) are byte pairs no single-byte text has.
 * Judged on the first 4 KB.
 */
function utf16WithoutAscii(input: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const sample = input.subarray(0, Math.min(input.length, 4096) & ~1);
  if (sample.length < 8) return undefined;
  let ascii = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i] ?? 0;
    if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d) ascii++;
  }
  if (ascii > sample.length * 0.7) return undefined;
  for (const name of ['utf-16le', 'utf-16be'] as const) {
    const text = tryFatal(name, sample);
    if (text === undefined) continue;
    const chars = text.length;
    let cjk = 0;
    let punctuation = 0;
    for (let i = 0; i < chars; i++) {
      const c = text.charCodeAt(i);
      if (isCjkLetter(c)) cjk++;
      else if (isCjkPunctuation(c)) punctuation++;
    }
    if (cjk < chars * 0.5 || punctuation < Math.max(1, chars / 60)) continue;
    let bad = 0;
    for (const ch of text) if (notText(ch)) bad++;
    if (bad <= chars * 0.02) return name;
  }
  return undefined;
}

// ---- UTF-8 ------------------------------------------------------------------------------------

/** Cuts a sample back to its last whole UTF-8 sequence. */
function wholeSequences(sample: Uint8Array): Uint8Array {
  for (let back = 1; back <= 3 && back <= sample.length; back++) {
    const b = sample[sample.length - back] ?? 0;
    if (b < 0x80) return sample;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? sample.subarray(0, sample.length - back) : sample;
    }
  }
  return sample;
}

function countMultibyte(sample: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < sample.length; i++) if ((sample[i] ?? 0) >= 0xc0) count++;
  return count;
}

// ---- single-byte encodings: plausibility of each decoding -------------------------------------

const CYR_LOWER = 1;
const CYR_UPPER = 2;
const CYR_FOREIGN = 3;
const LAT_LOWER = 4;
const LAT_UPPER = 5;
const PUNCT = 6;
const SYMBOL = 7;
const BAD = 8;
const OTHER_LETTER = 9;

const russian =
  'о110 е85 а80 и74 н67 т63 с55 р47 в45 л44 к35 м32 д30 п28 у26 я20 ы19 ь17 г17 з16 б16 ч14 й12 х10 ж9 ш7 ю6 ц5 щ4 э3 ф3 ё2 ъ0.4';
const ukrainian =
  'о94 а80 н70 и62 і58 в53 т50 е49 р48 с42 к36 л36 у34 д32 м31 п29 я23 з22 ь17 б16 г16 ч14 й13 х12 ц10 ж9 ї8 ш8 ю8 є6 щ6 ф2 ґ0.5';
/** Accented letters each language writes; a decoding is scored by the language it fits best. */
const latinLetters: Record<string, string> = {
  fr: 'éèàêçùâîôûëïüÿœæ',
  de: 'äöüß',
  es: 'áéíóúñü',
  pt: 'ãõáéíóúâêôçà',
  it: 'àèéìòùíó',
  ca: 'àèéíòóúïüç',
  nl: 'éëïöüèá',
  nordic: 'åäöæøéðþýáíóú',
  pl: 'ąćęłńóśźż',
  cs: 'áčďéěíňóřšťúůýžäľĺôŕ',
  hu: 'áéíóöőúüű',
  ro: 'ăâîșşțţ',
  hr: 'čćđšž',
  et: 'õäöüšž',
  tr: 'çğıöşüâî',
};
/**
 * The commonest letter pairs of Russian and Ukrainian: a right decoding is full of them, a wrong
 * one (a permutation of the alphabet) hardly has any. This decides all-capital and short texts.
 */
const cyrillicBigrams = new Set(
  (
    'ст на то но по ов не ни ро го ен ва ра пр ер ол ло ре ко те од ет ка от ан во та де он ес ор ли ос ве ал ри ис ть ит ом да ' +
    'ог ел со ль за ме ма ла пи ми ин мо тр ле ар ат нн ак ем об че сь до ой се ви ок ск ир ас ед ти аз сл ав ил чи ся тв ' +
    'ві ти ні ин ди ня ів ку оз пе рі ьк іт му их ий ну лі дн им нь іл ую ть єм ці ії її ія'
  ).split(' '),
);
const cyrillicLowerSet = new Set([...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў']);
const punctuation = new Set([...'\u00a0«»“”„‘’…–—•№©®°±§€™']);
const letter = /\p{L}/u;
const cyrillic = /\p{Script=Cyrillic}/u;
const latin = /\p{Script=Latin}/u;

function classify(ch: string): number {
  const c = ch.charCodeAt(0);
  if (ch.length !== 1 || c === 0xfffd || (c >= 0x80 && c <= 0x9f) || (c >= 0x2500 && c <= 0x25ff) || '⌠⌡∙√≈≤≥'.includes(ch)) return BAD;
  if (letter.test(ch)) {
    if (cyrillic.test(ch)) {
      if (cyrillicLowerSet.has(ch)) return CYR_LOWER;
      if (cyrillicLowerSet.has(ch.toLowerCase())) return CYR_UPPER;
      return CYR_FOREIGN;
    }
    if (latin.test(ch) && c !== 0xaa && c !== 0xba) return ch === ch.toLowerCase() ? LAT_LOWER : LAT_UPPER;
    return OTHER_LETTER;
  }
  return punctuation.has(ch) ? PUNCT : SYMBOL;
}

function frequencies(table: string): Map<string, number> {
  const map = new Map<string, number>();
  let total = 0;
  for (const entry of table.split(' ')) total += Number(entry.slice(1));
  for (const entry of table.split(' ')) map.set(entry.slice(0, 1), Number(entry.slice(1)) / total);
  return map;
}

const languageModels: Array<(ch: string, cls: number) => number> = [];
for (const table of [russian, ukrainian]) {
  const freq = frequencies(table);
  const weightOf = (lower: string): number => Math.log(Math.max(freq.get(lower) ?? 0, 0.0005) * 33);
  languageModels.push((ch, cls) => {
    if (cls === CYR_LOWER) return weightOf(ch);
    if (cls === CYR_UPPER) return weightOf(ch.toLowerCase()) - 0.3;
    return cls === LAT_LOWER || cls === LAT_UPPER ? -3 : 0;
  });
}
for (const letters of Object.values(latinLetters)) {
  const set = new Set([...letters]);
  languageModels.push((ch, cls) => {
    if (cls === LAT_LOWER) return set.has(ch) ? 0.5 : -3;
    if (cls === LAT_UPPER) return set.has(ch.toLowerCase()) ? -0.5 : -3;
    return cls === CYR_LOWER || cls === CYR_UPPER ? -4 : 0;
  });
}

/** What a high byte costs whatever the language: symbols, box drawing, C1 controls. */
function baseWeight(cls: number): number {
  switch (cls) {
    case SYMBOL:
      return -2;
    case BAD:
      return -6;
    case CYR_FOREIGN:
      return -4;
    case OTHER_LETTER:
      return -3;
    default:
      return 0;
  }
}

const isCyr = (cls: number): boolean => cls === CYR_LOWER || cls === CYR_UPPER || cls === CYR_FOREIGN;
const isLat = (cls: number): boolean => cls === LAT_LOWER || cls === LAT_UPPER;
const isLetterClass = (cls: number): boolean => isCyr(cls) || isLat(cls) || cls === OTHER_LETTER;

/** Two high bytes in a row: wrongly decoded KOI8 has lower case followed by upper case, Latin-1 read as Cyrillic mixes scripts. */
function pairWeight(a: number, b: number, pair: string): number {
  if (isCyr(a) && isCyr(b)) {
    if (a === CYR_LOWER && b !== CYR_LOWER) return -2.5;
    return cyrillicBigrams.has(pair.toLowerCase()) ? 0.7 : 0;
  }
  if (isLat(a) && isLat(b)) return -1;
  if ((isCyr(a) && isLat(b)) || (isLat(a) && isCyr(b))) return -4;
  if ((isLetterClass(a) && b === SYMBOL) || (a === SYMBOL && isLetterClass(b))) return -1;
  // Quotes and dashes run together ("‘“„") are capital CP866 letters read as Windows-1252.
  if (a === PUNCT && b === PUNCT) return -0.5;
  return 0;
}

/** A high byte next to an ASCII letter: an accented letter inside a Latin word is normal, a Cyrillic one is not. */
function asciiNeighbourWeight(cls: number): number {
  if (isCyr(cls)) return -3;
  if (isLat(cls)) return 0.3;
  if (cls === SYMBOL || cls === OTHER_LETTER) return -1;
  return cls === BAD ? -2 : 0;
}

interface Candidate {
  name: string;
  chars: string[];
  cls: Uint8Array;
  /** One row of 128 weights per language model. */
  unigram: Float64Array[];
  base: Float64Array;
  neighbour: Float64Array;
  /** pairWeight for each pair of high bytes, NaN until first needed. */
  pairs: Float32Array;
}

/** In order of preference when two decodings are equally plausible (they then decode alike). */
const candidateNames = [
  'windows-1252',
  'windows-1254',
  'windows-1251',
  'koi8-r',
  'koi8-u',
  'ibm866',
  'iso-8859-5',
  'iso-8859-15',
  'windows-1250',
  'iso-8859-2',
];
const candidateCache = new Map<string, Candidate | null>();

/** Tables for any single-byte encoding TextDecoder knows; undefined for multi-byte ones. */
function candidate(name: string): Candidate | undefined {
  const cached = candidateCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const decoder = decoderFor(name);
  const chars: string[] = [];
  for (let b = 0x80; b < 0x100; b++) chars.push(decoder.decode(new Uint8Array([b])));
  if (chars.filter((ch) => ch === '\ufffd').length > 16) {
    candidateCache.set(name, null);
    return undefined;
  }
  const cls = new Uint8Array(128);
  const base = new Float64Array(128);
  const neighbour = new Float64Array(128);
  const unigram = languageModels.map(() => new Float64Array(128));
  for (let i = 0; i < 128; i++) {
    const ch = chars[i] ?? '\ufffd';
    const k = classify(ch);
    cls[i] = k;
    base[i] = baseWeight(k);
    neighbour[i] = asciiNeighbourWeight(k);
    languageModels.forEach((model, m) => {
      const row = unigram[m];
      if (row) row[i] = model(ch, k);
    });
  }
  const built: Candidate = { name, chars, cls, unigram, base, neighbour, pairs: new Float32Array(128 * 128).fill(Number.NaN) };
  candidateCache.set(name, built);
  return built;
}

/** What the detector needs from the sample, gathered in one pass. */
interface ByteStats {
  high: number;
  hist: Uint32Array;
  /** High byte next to an ASCII letter (counted once per side). */
  nearAscii: Uint32Array;
  /** Consecutive high bytes a, b: counts at (a-128)*128 + (b-128), and the indexes in use. */
  pairCounts: Uint32Array;
  pairsSeen: number[];
}

const asciiLetter = new Uint8Array(256);
asciiLetter.fill(1, 0x41, 0x5b);
asciiLetter.fill(1, 0x61, 0x7b);

/** Reused between calls (zeroing 64 KB each time costs more than the counting): see releaseStats. */
const pairScratch = new Uint32Array(128 * 128);

function releaseStats(stats: ByteStats): void {
  for (const key of stats.pairsSeen) stats.pairCounts[key] = 0;
}

function byteStats(sample: Uint8Array): ByteStats {
  const hist = new Uint32Array(128);
  const nearAscii = new Uint32Array(128);
  const pairCounts = pairScratch;
  const pairsSeen: number[] = [];
  let high = 0;
  let prev = 0;
  const n = sample.length;
  for (let i = 0; i < n; i++) {
    const b = sample[i] as number;
    if (b >= 0x80) {
      const k = b - 0x80;
      high++;
      hist[k] = (hist[k] as number) + 1;
      if (prev >= 0x80) {
        const key = ((prev - 0x80) << 7) | k;
        const count = pairCounts[key] as number;
        if (count === 0) pairsSeen.push(key);
        pairCounts[key] = count + 1;
      } else if (asciiLetter[prev] === 1) nearAscii[k] = (nearAscii[k] as number) + 1;
      if (i + 1 < n && asciiLetter[sample[i + 1] as number] === 1) nearAscii[k] = (nearAscii[k] as number) + 1;
    }
    prev = b;
  }
  return { high, hist, nearAscii, pairCounts, pairsSeen };
}

function plausibility(c: Candidate, stats: ByteStats): number {
  let base = 0;
  const perLanguage = new Float64Array(c.unigram.length);
  for (let k = 0; k < 128; k++) {
    const n = stats.hist[k] ?? 0;
    if (n === 0) continue;
    base += n * (c.base[k] ?? 0) + (stats.nearAscii[k] ?? 0) * (c.neighbour[k] ?? 0);
    for (let m = 0; m < perLanguage.length; m++) perLanguage[m] = (perLanguage[m] ?? 0) + n * (c.unigram[m]?.[k] ?? 0);
  }
  for (const key of stats.pairsSeen) {
    let weight = c.pairs[key] ?? 0;
    if (Number.isNaN(weight)) {
      const a = key >> 7;
      const b = key & 127;
      weight = pairWeight(c.cls[a] ?? BAD, c.cls[b] ?? BAD, (c.chars[a] ?? '') + (c.chars[b] ?? ''));
      c.pairs[key] = weight;
    }
    base += (stats.pairCounts[key] ?? 0) * weight;
  }
  return base + Math.max(...perLanguage);
}

function sameDecoding(a: Candidate, b: Candidate, stats: ByteStats): boolean {
  for (let k = 0; k < 128; k++) if ((stats.hist[k] ?? 0) > 0 && a.chars[k] !== b.chars[k]) return false;
  return true;
}

interface Detection {
  name: string;
  confidence: number;
  score: number;
}

function detectSingleByte(sample: Uint8Array, stats: ByteStats): Detection {
  const scored = candidateNames
    .map((name) => candidate(name))
    .filter((c): c is Candidate => c !== undefined)
    .map((c) => ({ c, score: plausibility(c, stats) }));
  let best = scored[0];
  for (const s of scored) if (best === undefined || s.score > best.score) best = s;
  if (!best) return { name: 'windows-1252', confidence: 0.1, score: 0 };
  let second = -Infinity;
  for (const s of scored) if (s !== best && !sameDecoding(s.c, best.c, stats)) second = Math.max(second, s.score);
  const margin = second === -Infinity ? 20 : best.score - second;
  let confidence = 1 - 0.5 * Math.exp(-margin / 4);
  const perByte = best.score / Math.max(stats.high, 1);
  if (perByte < 0) confidence *= 0.6;
  const result: Detection = { name: best.c.name, confidence: clamp(confidence), score: best.score };
  if (perByte < 0) {
    // Nothing we model fits well (CJK, Greek, Hebrew, Arabic ...): ask jschardet, which knows many more.
    const other = askJschardet(sample);
    if (other && !candidateNames.includes(other.name) && (other.name !== 'x-mac-cyrillic' || perByte < -1)) return other;
  }
  return result;
}

/** jschardet's names that TextDecoder does not know as labels. */
const jschardetAliases: Record<string, string> = {
  cp932: 'shift_jis',
  shift_jis_2004: 'shift_jis',
  cp949: 'euc-kr',
  euc_kr: 'euc-kr',
  big5hkscs: 'big5',
  euc_jis_2004: 'euc-jp',
  'euc-jis-2004': 'euc-jp',
  cp874: 'windows-874',
  'mac-cyrillic': 'x-mac-cyrillic',
  maccyrillic: 'x-mac-cyrillic',
  'mac-roman': 'macintosh',
  macroman: 'macintosh',
};

function askJschardet(sample: Uint8Array): Detection | undefined {
  const guess = jschardetDetect(sample.subarray(0, JSCHARDET_BYTES));
  if (!guess.encoding || guess.confidence < 0.05) return undefined;
  const label = guess.encoding.toLowerCase();
  const name = label.startsWith('iso2022_jp') || label.startsWith('iso2022-jp') ? 'iso-2022-jp' : canonicalName(jschardetAliases[label] ?? label);
  if (!name || name === 'utf-8' || name.startsWith('utf-16')) return undefined;
  if (tryFatal(name, wholeSequencesFor(name, sample.subarray(0, JSCHARDET_BYTES))) === undefined) return undefined;
  return { name, confidence: clamp(guess.confidence), score: 0 };
}

/** A multi-byte sample may end inside a character: drop a byte or two rather than call it invalid. */
function wholeSequencesFor(name: string, sample: Uint8Array): Uint8Array {
  if (candidate(name)) return sample;
  for (let cut = 0; cut < 4 && cut < sample.length; cut++) {
    const part = sample.subarray(0, sample.length - cut);
    if (tryFatal(name, part) !== undefined) return part;
  }
  return sample;
}

const clamp = (x: number): number => Math.round(Math.min(0.99, Math.max(0.05, x)) * 100) / 100;

// ---- putting it together ----------------------------------------------------------------------

/**
 * Whether the text holds a character that NFC might change: anything outside Latin, Cyrillic
 * letters and common punctuation, which are their own NFC form and never combine with a
 * neighbour. Most Russian, Ukrainian and English text then skips normalize(), which is not free.
 */
function maybeNotNfc(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x300 || (c >= 0x400 && c <= 0x482) || (c >= 0x48a && c <= 0x52f) || (c >= 0x2002 && c <= 0x205e) || c === 0x2116 || c === 0x2122) continue;
    if (c >= 0x20a0 && c <= 0x20c0) continue;
    return true;
  }
  return false;
}

function finish(text: string, encoding: EncodingInfo, repair: boolean): DecodedText {
  let out = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (out.includes('\u0000')) out = out.replaceAll('\u0000', '');
  if (out.includes('\r')) out = out.replace(/\r\n?/g, '\n');
  if (maybeNotNfc(out)) out = out.normalize('NFC');
  if (repair) {
    const repaired = repairMojibake(out);
    if (repaired.repair) return { text: repaired.text.normalize('NFC'), encoding, repair: repaired.repair };
  }
  return { text: out, encoding };
}

/** The part of the file detection looks at: the start, or the first stretch with non-ASCII bytes. */
function detectionSample(bytes: Uint8Array): Uint8Array {
  const head = bytes.subarray(0, SAMPLE_BYTES);
  if (bytes.length <= SAMPLE_BYTES || head.some((b) => b >= 0x80)) return head;
  let first = SAMPLE_BYTES;
  while (first < bytes.length && (bytes[first] as number) < 0x80) first++;
  return first === bytes.length ? head : bytes.subarray(first, first + SAMPLE_BYTES);
}

function decodeOverride(bytes: Uint8Array, label: string, repair: boolean): DecodedText {
  const name = canonicalName(label);
  if (!name) {
    throw new KartotekaError(
      'UNSUPPORTED_ENCODING',
      `"${label}" is not an encoding Kartoteka can read. Choose one such as utf-8, windows-1251, koi8-r, koi8-u, ibm866, windows-1252 or iso-8859-2.`,
    );
  }
  let body = bytes;
  let bom = false;
  const sniffed = bytes.length >= 2 ? safeBom(bytes) : undefined;
  if (sniffed && sniffed.name === name) {
    body = bytes.subarray(sniffed.length);
    bom = true;
  }
  if (!name.startsWith('utf-16')) {
    const what = binarySignature(bytes);
    if (what) throw binaryError(what);
    assertNotBinary(stripTrailingNul(body.subarray(0, SAMPLE_BYTES)));
  }
  return finish(decodeWith(name, body), { name, confidence: 1, bom, source: 'override' }, repair);
}

function safeBom(bytes: Uint8Array): Bom | undefined {
  try {
    return sniffBom(bytes);
  } catch {
    return undefined;
  }
}

function stripTrailingNul(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end === bytes.length ? bytes : bytes.subarray(0, end);
}

/** A declared encoding is believed unless the bytes plainly say otherwise. */
function judgeDeclared(declared: string, sample: Uint8Array, stats: ByteStats, detected: Detection): boolean {
  const model = candidate(declared);
  if (!model) return tryFatal(declared, wholeSequencesFor(declared, sample)) !== undefined;
  const score = plausibility(model, stats);
  return detected.score - score <= Math.max(6, 0.5 * stats.high);
}

/**
 * Turns a file's bytes into text: BOM, a user's override, a declared charset when plausible,
 * else detection (UTF-8, UTF-16 without BOM, the Cyrillic and Latin single-byte encodings, and
 * via jschardet the rest). The text comes back without BOM, with LF line ends, in NFC, and with
 * mojibake repaired unless `repairMojibake` is false.
 */
export function decodeBytes(input: Uint8Array, options: DecodeOptions = {}): DecodedText {
  const repair = options.repairMojibake !== false;
  if (options.override !== undefined) return decodeOverride(input, options.override, repair);

  const bom = sniffBom(input);
  if (bom) {
    const body = input.subarray(bom.length);
    const strict = tryFatal(bom.name, body);
    return finish(strict ?? decodeWith(bom.name, body), { name: bom.name, confidence: strict === undefined ? 0.8 : 1, bom: true, source: 'bom' }, repair);
  }
  if (input.length === 0) return finish('', { name: 'utf-8', confidence: 1, bom: false, source: 'detected' }, repair);

  const what = binarySignature(input);
  if (what) throw binaryError(what);
  const declared = options.declared === undefined ? undefined : canonicalName(options.declared);

  const utf16 = utf16Pattern(input.subarray(0, SAMPLE_BYTES));
  if (utf16) {
    const source = declared === utf16 ? 'declared' : 'detected';
    return finish(decodeWith(utf16, input), { name: utf16, confidence: 0.95, bom: false, source }, repair);
  }

  const bytes = stripTrailingNul(input);
  try {
    assertNotBinary(bytes.subarray(0, SAMPLE_BYTES));
  } catch (error) {
    const cjk16 = utf16WithoutAscii(input.subarray(0, SAMPLE_BYTES));
    if (!cjk16) throw error;
    return finish(decodeWith(cjk16, input), { name: cjk16, confidence: 0.8, bom: false, source: declared === cjk16 ? 'declared' : 'detected' }, repair);
  }
  const sample = detectionSample(bytes);

  if (!sample.some((b) => b >= 0x80)) {
    // Plain ASCII reads the same in UTF-8 and every single-byte encoding: keep a declared one.
    const name = declared !== undefined && (declared === 'utf-8' || candidate(declared) !== undefined) ? declared : 'utf-8';
    return finish(decodeWith(name, bytes), { name, confidence: 1, bom: false, source: name === declared ? 'declared' : 'detected' }, repair);
  }

  // The sample stops before a character cut in two, by the sample's end or the file's (a file cut
  // off inside its last character is still UTF-8).
  const utf8Sample = wholeSequences(sample);
  if (tryFatal('utf-8', utf8Sample) !== undefined) {
    // Valid UTF-8 with non-ASCII in it is UTF-8, whatever a stale meta tag says.
    const whole = tryFatal('utf-8', bytes);
    const multibyte = countMultibyte(utf8Sample);
    const confidence = whole === undefined ? 0.7 : clamp(0.8 + 0.05 * multibyte);
    return finish(whole ?? decodeWith('utf-8', bytes), { name: 'utf-8', confidence, bom: false, source: declared === 'utf-8' ? 'declared' : 'detected' }, repair);
  }

  const cjk16 = utf16WithoutAscii(input.subarray(0, SAMPLE_BYTES));
  if (cjk16) return finish(decodeWith(cjk16, input), { name: cjk16, confidence: 0.8, bom: false, source: declared === cjk16 ? 'declared' : 'detected' }, repair);

  const stats = byteStats(sample);
  let encoding: EncodingInfo;
  try {
    const detected = detectSingleByte(sample, stats);
    encoding =
      declared && declared !== 'utf-8' && !declared.startsWith('utf-16') && judgeDeclared(declared, sample, stats, detected)
        ? { name: declared, confidence: declared === detected.name ? 0.99 : 0.9, bom: false, source: 'declared' }
        : { name: detected.name, confidence: detected.confidence, bom: false, source: 'detected' };
  } finally {
    releaseStats(stats);
  }
  return finish(decodeWith(encoding.name, bytes), encoding, repair);
}
