import iconv from 'iconv-lite';
import type { RepairInfo } from '../importers/types.ts';

/*
 * Mojibake repair: text that was UTF-8 once and was decoded with the wrong single- or double-byte
 * codec ("РџСЂРёРІРµС‚" for "Привет"). No JavaScript port of ftfy exists, so this is ours.
 *
 * The method: a suspicious stretch is encoded back with the codec that damaged it, the bytes are
 * decoded as UTF-8, and the result is kept only when it is valid UTF-8, looks clean, and lowers a
 * "badness" score: a count of character pairs that real text almost never contains but mojibake
 * always does (a UTF-8 lead byte's image followed by a continuation byte's image, box-drawing
 * characters glued to letters, C1 controls, ...). Text that is fine scores 0 and is returned
 * untouched without any further work.
 *
 * Repair runs per line, and where a whole line cannot be undone (a damaged sentence inside good
 * text) per run of non-ASCII characters, so good words next to damaged ones are left alone.
 * Passes repeat while the score drops, which undoes text damaged twice.
 *
 * Known limits: a byte the damaging program dropped or replaced (U+FFFD, or nothing) is guessed
 * only where one answer is far likelier than the others (0x9D of a closing quote ”, 0x98 of cp1251
 * "И", a no-break space turned into a space, see lost1252 and lostGbk); a word with any other lost
 * byte stays as it is. So Cyrillic read as windows-1252 by a program that dropped the bytes
 * 81 8D 8F 90 9D keeps its words with с, я, э, А, Н, Ё damaged. A damaged word with no suspicious
 * pair of its own is repaired only when its whole line is. UTF-8 CJK text read as GBK (rather than
 * punctuation and Latin text) is not recognised: its images are ordinary Chinese characters.
 */

/** In a byte sequence: the text held U+FFFD here (the damaging codec had no character for the byte). */
const LOST = -5;

// ---- character classes -------------------------------------------------------------------

const F_C1 = 1 << 0;
const F_LEAD_L1_ALWAYS = 1 << 1; // Â Ã Ð Ñ: almost never followed by a continuation image in real text
const F_LEAD_L1_EXT = 1 << 2; // other images of C4-DF
const F_LEAD_L1_LOWER = 1 << 3; // à..ô: images of E0-F4, legit letters themselves
const F_CONT_L1 = 1 << 4; // images of 80-BF under windows-1252 or latin-1
const F_CONT_L1_LETTER = 1 << 5; // the continuation images that are letters (Š š Ž ž ...)
const F_WEAK = 1 << 6; // punctuation that may legitimately follow a letter (» ” ’ …)
const F_LEAD_RS = 1 << 7; // Р С: images of D0 D1, the leads of all Russian/Ukrainian letters
const F_LEAD_1251_UPPER = 1 << 8; // В..Я other than Р С
const F_LEAD_1251_LOWER = 1 << 9; // а..ф: images of E0-F4
const F_CONT_1251 = 1 << 10; // images of 80-BF under windows-1251
const F_CONT_1251_OK = 1 << 11; // і ї є ё ґ ў and capitals: real letters of ru/uk/be
const F_FOREIGN_LOWER = 1 << 12; // ђ ѓ љ њ ќ ћ џ ј ѕ: Serbian, Macedonian
const F_BOX = 1 << 14; // box drawing and the KOI8/CP866 block graphics
const F_KOI_SYM = 1 << 15; // ÷ ≈ ≤ ≥ ° ² ·: bad only between two Cyrillic letters
const F_GBK = 1 << 16; // what UTF-8 punctuation turns into when read as GBK
const F_REPLACEMENT = 1 << 17; // U+FFFD
const F_NBSP_LEAD = 1 << 18; // Â Ã: their no-break space is often made an ordinary space
/** After ×, these stay arithmetic ("3×²"); they are also the rarest Hebrew images (U+05F0-05FF). */
const numericAfterTimes = new Set([...'¹²³°±½¼¾µ·¶º'].map((ch) => ch.charCodeAt(0)));

const flags = new Uint32Array(0x10000);

function singleByteChars(encoding: string): string[] {
  const decoder = new TextDecoder(encoding);
  const chars: string[] = [];
  for (let b = 0; b < 256; b++) chars.push(decoder.decode(new Uint8Array([b])));
  return chars;
}

function mark(chars: string, flag: number): void {
  for (const ch of chars) {
    const c = ch.charCodeAt(0);
    flags[c] = (flags[c] ?? 0) | flag;
  }
}

const cp1252 = singleByteChars('windows-1252');
const cp1251 = singleByteChars('windows-1251');

for (let c = 0x80; c <= 0x9f; c++) flags[c] = (flags[c] ?? 0) | F_C1 | F_CONT_L1;
for (let b = 0x80; b <= 0xbf; b++) {
  mark(cp1252[b] ?? '', F_CONT_L1);
  flags[b] = (flags[b] ?? 0) | F_CONT_L1;
  mark(cp1251[b] ?? '', F_CONT_1251);
}
mark('ÂÃÐÑ', F_LEAD_L1_ALWAYS);
for (let c = 0xc4; c <= 0xdf; c++) if (c !== 0xd0 && c !== 0xd1) flags[c] = (flags[c] ?? 0) | F_LEAD_L1_EXT;
for (let c = 0xe0; c <= 0xf4; c++) flags[c] = (flags[c] ?? 0) | F_LEAD_L1_LOWER;
mark('ŠšŒœŽžŸƒªºµ', F_CONT_L1_LETTER);
mark('\u00a0’‘”“„»«…–—•°', F_WEAK);
mark('РС', F_LEAD_RS);
for (let c = 0x412; c <= 0x42f; c++) if (c !== 0x420 && c !== 0x421) flags[c] = (flags[c] ?? 0) | F_LEAD_1251_UPPER;
for (let c = 0x430; c <= 0x444; c++) flags[c] = (flags[c] ?? 0) | F_LEAD_1251_LOWER;
mark('іїєёґўІЇЄЁҐЎ', F_CONT_1251_OK);
mark('ђѓљњќћџјѕ', F_FOREIGN_LOWER);
for (let c = 0x2500; c <= 0x259f; c++) flags[c] = (flags[c] ?? 0) | F_BOX;
mark('⌠⌡■∙√', F_BOX);
mark('÷≈≤≥°²·', F_KOI_SYM);

mark('\ufffd', F_REPLACEMENT);
mark('ÂÃ', F_NBSP_LEAD);
{
  // What UTF-8 punctuation and fullwidth forms turn into when read as GBK: 鈥 (E2 80), 銆, 锛 ...
  const gbk = new TextDecoder('gbk');
  for (const lead of [0xe2, 0xe3, 0xef]) {
    for (let trail = 0x80; trail <= 0xa0; trail++) {
      const ch = gbk.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd') mark(ch, F_GBK);
    }
  }
}

const LATIN = 1;
const CYRILLIC = 2;
const GREEK = 3;
const OTHER_ALPHABET = 4; // Armenian, Hebrew, Arabic, Syriac, Thaana, NKo: what 2-byte UTF-8 misread lands on

/** The alphabet of each BMP character, 0 for everything that is not a letter of these. */
const scripts = new Uint8Array(0x10000);
scripts.fill(LATIN, 0x41, 0x5b);
scripts.fill(LATIN, 0x61, 0x7b);
scripts.fill(LATIN, 0xc0, 0x250);
scripts[0xd7] = 0;
scripts[0xf7] = 0;
scripts.fill(GREEK, 0x370, 0x400);
scripts.fill(CYRILLIC, 0x400, 0x530);
scripts.fill(OTHER_ALPHABET, 0x530, 0x800);
scripts.fill(LATIN, 0x1e00, 0x1f00);

const isCyrLower = (c: number): boolean => (c >= 0x430 && c <= 0x45f) || c === 0x491;
const isCyrillic = (c: number): boolean => (c >= 0x400 && c <= 0x45f) || c === 0x490 || c === 0x491;
const isRuUkUpper = (c: number): boolean =>
  (c >= 0x410 && c <= 0x42f) || c === 0x401 || c === 0x404 || c === 0x406 || c === 0x407 || c === 0x40e || c === 0x490;
const letterOrDigit = /[\p{L}\p{N}]/u;
const NONE = -1;
function isLetterOrDigit(c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return c !== NONE && letterOrDigit.test(String.fromCharCode(c));
}
const at = (s: string, i: number): number => (i >= 0 && i < s.length ? s.charCodeAt(i) : NONE);
const LEADS = F_LEAD_L1_ALWAYS | F_LEAD_L1_EXT | F_LEAD_L1_LOWER | F_LEAD_RS | F_LEAD_1251_UPPER | F_LEAD_1251_LOWER;

/** Per character: the flags that make the scoring loop stop and look, and the alphabet in bits 24+. */
const hot = new Uint32Array(0x10000);
const HOT_FLAGS = F_C1 | F_REPLACEMENT | F_GBK | F_BOX | F_KOI_SYM | F_NBSP_LEAD | F_CONT_L1 | F_CONT_1251;
for (let c = 0; c < 0x10000; c++) hot[c] = ((flags[c] ?? 0) & HOT_FLAGS) | ((scripts[c] ?? 0) << 24);

/**
 * How much the text looks like mojibake: 0 for ordinary text in any language, higher the more
 * pairs of characters it holds that only a wrong decoding produces. Every rule is anchored on a
 * rare character (a continuation byte's image, a C1 control, a box-drawing piece), so ordinary
 * letters cost one table lookup each.
 */
export function mojibakeScore(s: string): number {
  let score = 0;
  const n = s.length;
  let prevScript = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const h = hot[c] ?? 0;
    const sc = h >>> 24;
    // Letters of two alphabets glued together: "cafГ©", or Hebrew letters that a misreading made.
    if (sc !== prevScript) {
      if (sc !== 0 && prevScript !== 0) score += 1;
      prevScript = sc;
    }
    if ((h & 0xffffff) === 0) continue;
    const f = flags[c] ?? 0;
    if (f & (F_C1 | F_REPLACEMENT | F_GBK | F_BOX | F_KOI_SYM)) score += singleScore(s, i, f);
    if (f & F_NBSP_LEAD && at(s, i + 1) === 0x20) {
      // "voilÃ " and "100Â km": the no-break space after Ã/Â became a space.
      const prev = at(s, i - 1);
      if (isCyrLower(prev) || (prev >= 0x61 && prev <= 0x7a) || (prev >= 0x30 && prev <= 0x39)) score += 1;
    }
    if (i === 0 || !(f & (F_CONT_L1 | F_CONT_1251))) continue;
    const lead = s.charCodeAt(i - 1);
    const lf = flags[lead] ?? 0;
    if (!(lf & LEADS)) continue;
    if (f & F_CONT_L1 && lf & (F_LEAD_L1_ALWAYS | F_LEAD_L1_EXT | F_LEAD_L1_LOWER)) score += latinPairScore(s, i - 1, lead, lf, c, f);
    if (f & F_CONT_1251 && lf & (F_LEAD_RS | F_LEAD_1251_UPPER | F_LEAD_1251_LOWER)) score += cyrillicPairScore(s, i - 1, lf, f);
  }
  return score;
}

function singleScore(s: string, i: number, f: number): number {
  if (f & F_C1) return 2;
  if (f & F_GBK) return 2;
  if (f & F_REPLACEMENT) {
    // A byte the damaging codec could not map ("Р�" for "И", "â€�" for "”") is evidence; a U+FFFD
    // after an ordinary letter (a file cut off mid-character) is not.
    const prev = flags[at(s, i - 1)] ?? 0;
    return prev & (F_LEAD_L1_ALWAYS | F_LEAD_L1_EXT | F_LEAD_RS | F_GBK | F_CONT_L1) ? 1 : 0;
  }
  if (f & F_BOX) return (scripts[at(s, i - 1)] ?? 0) !== 0 || (scripts[at(s, i + 1)] ?? 0) !== 0 ? 1 : 0;
  return isCyrillic(at(s, i - 1)) && isCyrillic(at(s, i + 1)) ? 1 : 0;
}

function latinPairScore(s: string, i: number, c: number, f: number, next: number, nf: number): number {
  if (f & F_LEAD_L1_ALWAYS) return 1;
  if (f & F_LEAD_L1_EXT) {
    // Word-final closing punctuation after a capital ("GRÜß»") is fine, and "3×²" is arithmetic.
    if (c === 0xd7 && numericAfterTimes.has(next)) return 0;
    return !(nf & F_WEAK) || isLetterOrDigit(at(s, i + 2)) ? 1 : 0;
  }
  // After à..ô only a symbol counts: "été»", "příští" and "café’s" are real.
  return nf & (F_WEAK | F_CONT_L1_LETTER) ? 0 : 1;
}

function cyrillicPairScore(s: string, i: number, f: number, nf: number): number {
  const after = at(s, i + 2);
  if (nf & F_CONT_1251_OK) {
    // Р/С + і ї є ё: "Рівне", "Сєвєродонецьк", "СІЧНЯ" are real; "Рё" "РІ" in "РёРІ" are not.
    if (!(f & F_LEAD_RS)) return 0;
    const before = at(s, i - 1);
    if (isCyrLower(after) || isRuUkUpper(before)) return 0;
    if (isRuUkUpper(after) && after !== 0x420 && after !== 0x421) return 0;
    return 0.5;
  }
  if (nf & F_WEAK) return f & F_LEAD_RS && isLetterOrDigit(after) ? 1 : 0;
  if (nf & F_FOREIGN_LOWER) return f & F_LEAD_1251_LOWER ? 0 : 1; // Serbian "између" is real
  return 1;
}

// ---- codecs that damage UTF-8 ---------------------------------------------------------------

/** In a byte sequence: the text holds a character the codec cannot have produced. */
const UNENCODABLE = -2;

interface DamagingCodec {
  name: string;
  /** The name of the variant, when characters only it has were used (latin-1's C1 controls, KOI8-U's letters). */
  variantName: string;
  applies: (s: string) => boolean;
  /** The bytes the codec turned into s, or undefined when s holds a character it cannot produce. */
  bytesOf: (s: string) => { at: (i: number) => number; length: number; variant: () => boolean } | undefined;
  /**
   * The byte that a U+FFFD (the codec could not map it) most likely stood for, given the sequence
   * so far and the character decoded before it.
   */
  lost: (sequence: readonly number[], previous: number) => number | undefined;
  /** The byte most likely dropped silently where a sequence ends too early. */
  dropped: (sequence: readonly number[]) => number | undefined;
  /** 0xA0 is a no-break space here, and such spaces are often turned into ordinary ones. */
  nbsp: boolean;
}

const NO_BYTE = -3;

/** Character -> byte, with 0x100 set for bytes from the variant table; NO_BYTE where there is none. */
function encodeTable(encoding: string, variantEncoding?: string): Int16Array {
  const table = new Int16Array(0x10000).fill(NO_BYTE);
  for (let c = 0; c < 0x80; c++) table[c] = c;
  const fill = (chars: string[], flag: number): void => {
    for (let b = 0x80; b < 256; b++) {
      const ch = chars[b] ?? '\ufffd';
      const c = ch.charCodeAt(0);
      if (ch.length === 1 && ch !== '\ufffd' && table[c] === NO_BYTE) table[c] = b | flag;
    }
  };
  fill(singleByteChars(encoding), 0);
  if (variantEncoding === 'latin1') fill(Array.from({ length: 256 }, (_, b) => String.fromCharCode(b)), 0x100);
  else if (variantEncoding) fill(singleByteChars(variantEncoding), 0x100);
  table[0xfffd] = LOST;
  return table;
}

function singleByteCodec(
  name: string,
  variantName: string,
  table: Int16Array,
  lost: DamagingCodec['lost'],
  dropped: DamagingCodec['dropped'],
  nbsp: boolean,
): DamagingCodec {
  return {
    name,
    variantName,
    applies: () => true,
    lost,
    dropped,
    nbsp,
    // Bytes are looked up as the decoder asks for them, so text that is not mojibake fails at its
    // first non-ASCII character instead of being encoded whole first.
    bytesOf: (s) => {
      let variant = false;
      return {
        length: s.length,
        at: (i) => {
          const b = table[s.charCodeAt(i)] ?? NO_BYTE;
          if (b === NO_BYTE) return UNENCODABLE;
          if (b > 0xff) {
            variant = true;
            return b & 0xff;
          }
          return b;
        },
        variant: () => variant,
      };
    },
  };
}

const closingQuote = (sequence: readonly number[]): number | undefined =>
  sequence.length === 2 && sequence[0] === 0xe2 && sequence[1] === 0x80 ? 0x9d : undefined;

/**
 * windows-1252 leaves 81 8D 8F 90 9D undefined, and many programs drop or replace them. Guessed
 * only where one answer is far likelier than the others: ” after E2 80; inside cp1251 mojibake
 * read as cp1252 again, "Ё" (D0 81) after Р ("РЁ" is "Ш") and "Џ" (D0 8F) after С ("СЏ" is "я");
 * č (C4 8D); Ł (C5 81).
 */
function lost1252(sequence: readonly number[], previous: number): number | undefined {
  const [lead] = sequence;
  if (sequence.length === 2) return closingQuote(sequence);
  if (lead === 0xd0 && previous === 0x420) return 0x81;
  if (lead === 0xd0 && previous === 0x421) return 0x8f;
  if (lead === 0xc4) return 0x8d;
  if (lead === 0xc5) return 0x81;
  return undefined;
}

/**
 * GBK turns a punctuation mark's last byte into U+FFFD when a space or digit follows it. After a
 * space it was most likely a dash (" — "), otherwise a closing quote.
 */
const lostGbk = (sequence: readonly number[], previous: number): number | undefined =>
  sequence.length === 2 && sequence[0] === 0xe2 && sequence[1] === 0x80 ? (previous === 0x20 ? 0x94 : 0x9d) : undefined;

const none = (): undefined => undefined;
const cjk = /[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

function gbkBytes(s: string): number[] | undefined {
  const bytes: number[] = [];
  const pieces = s.split('\ufffd');
  for (let p = 0; p < pieces.length; p++) {
    if (p > 0) bytes.push(LOST);
    const piece = pieces[p] ?? '';
    const encoded = iconv.encode(piece, 'gbk');
    // iconv-lite writes '?' for what GBK cannot hold: then this text did not come from GBK.
    if (!piece.includes('?') && encoded.includes(0x3f)) return undefined;
    for (const b of encoded) bytes.push(b);
  }
  return bytes;
}

const codecs: readonly DamagingCodec[] = [
  // Lost bytes: see lost1252. A dropped byte is guessed only for ” ("â€" cut short).
  singleByteCodec('windows-1252', 'iso-8859-1', encodeTable('windows-1252', 'latin1'), lost1252, closingQuote, true),
  // 0x98 is the one byte windows-1251 leaves undefined: it is the second byte of "И".
  singleByteCodec('windows-1251', 'windows-1251', encodeTable('windows-1251'), () => 0x98, none, true),
  singleByteCodec('koi8-r', 'koi8-u', encodeTable('koi8-r', 'koi8-u'), none, none, false),
  singleByteCodec('ibm866', 'ibm866', encodeTable('ibm866'), none, none, false),
  {
    name: 'gbk',
    variantName: 'gbk',
    applies: (s) => cjk.test(s),
    lost: lostGbk,
    dropped: closingQuote,
    nbsp: false,
    bytesOf: (s) => {
      const bytes = gbkBytes(s);
      return bytes && { length: bytes.length, at: (i) => bytes[i] ?? UNENCODABLE, variant: () => false };
    },
  },
];

// ---- UTF-8, decoded with the repairs a damaged text needs ------------------------------------

/** The bytes as UTF-8, or undefined at the first thing that is not (failing early is the common case). */
function decodeUtf8(bytes: { at: (i: number) => number; length: number }, codec: DamagingCodec): string | undefined {
  const points: number[] = [];
  let multibyte = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes.at(i);
    i++;
    if (b === UNENCODABLE) return undefined;
    if (b === LOST) {
      points.push(0xfffd);
      continue;
    }
    if (b < 0x80) {
      points.push(b);
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, cp, min] = [1, b & 0x1f, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, cp, min] = [2, b & 0x0f, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, cp, min] = [3, b & 0x07, 0x10000];
    else return undefined;
    const sequence = [b];
    for (let k = 0; k < need; k++) {
      let c = i < n ? bytes.at(i) : NONE;
      if (c === UNENCODABLE) return undefined;
      let consumed = true;
      if (c === LOST) {
        c = codec.lost(sequence, points[points.length - 1] ?? NONE) ?? NONE;
      } else if (c < 0x80 || c > 0xbf) {
        const guess = codec.dropped(sequence);
        if (guess !== undefined) {
          // "â€" before a space or at the end: the 0x9D of ” was dropped.
          c = guess;
          consumed = false;
        } else if (c === 0x20 && codec.nbsp) {
          c = 0xa0;
        }
      }
      if (c < 0x80 || c > 0xbf) return undefined;
      sequence.push(c);
      cp = (cp << 6) | (c & 0x3f);
      if (consumed) i++;
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    points.push(cp);
    multibyte++;
  }
  if (multibyte === 0) return undefined;
  let out = '';
  for (let p = 0; p < points.length; p += 4096) out += String.fromCodePoint(...points.slice(p, p + 4096));
  return out;
}

const unassignedOrPrivate = /[\p{Co}\p{Cn}\p{Cs}]|^\p{M}/u;

/**
 * A repair must not bring in control characters, unassigned code points or a mark with nothing to
 * sit on. C1 controls are let through: text damaged twice passes through them ("Р\u0098" is half
 * undone "И"), and the score counts them, so a result that keeps them must have earned it.
 */
function unclean(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return unassignedOrPrivate.test(s);
}

interface Attempt {
  text: string;
  score: number;
  step: string;
}

/** Undoes one codec on s, if that gives clean UTF-8 that scores lower than `scoreBefore`. */
function attempt(s: string, before: string, after: string, scoreBefore: number): Attempt | undefined {
  let best: Attempt | undefined;
  for (const codec of codecs) {
    if (!codec.applies(s)) continue;
    const bytes = codec.bytesOf(s);
    if (!bytes) continue;
    const decoded = decodeUtf8(bytes, codec);
    if (decoded === undefined || decoded === s || unclean(decoded)) continue;
    const score = mojibakeScore(before + decoded + after);
    if (score < scoreBefore && (!best || score < best.score)) {
      best = { text: decoded, score, step: `utf-8 read as ${bytes.variant() ? codec.variantName : codec.name}` };
    }
  }
  return best;
}

/** Runs of non-ASCII characters, joined across single spaces (a damaged sentence is one run). */
function runsOf(line: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (line.charCodeAt(i) < 0x80) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && (line.charCodeAt(i) >= 0x80 || (line.charCodeAt(i) === 0x20 && i + 1 < n && line.charCodeAt(i + 1) >= 0x80))) i++;
    runs.push([start, i]);
  }
  return runs;
}

interface Repaired {
  text: string;
  /** Where the repaired stretch ends in the line: past the run when it took the space after it. */
  end: number;
}

function repairRun(line: string, start: number, end: number, steps: Map<string, number>): Repaired | undefined {
  const run = line.slice(start, end);
  const before = line.slice(Math.max(0, start - 2), start);
  // A run ending in a lead byte may own the space after it (a no-break space made ordinary).
  const candidates = line.charCodeAt(end) === 0x20 ? [run, run + ' '] : [run];
  for (const candidate of candidates) {
    const candidateEnd = start + candidate.length;
    const after = line.slice(candidateEnd, candidateEnd + 2);
    const score = mojibakeScore(before + candidate + after);
    if (score === 0) continue;
    const fixed = attempt(candidate, before, after, score);
    if (fixed) {
      steps.set(fixed.step, (steps.get(fixed.step) ?? 0) + 1);
      return { text: fixed.text, end: candidateEnd };
    }
  }
  return undefined;
}

/** The words of a run one by one, for when the run as a whole is not one damaged stretch. */
function repairWords(line: string, start: number, end: number, steps: Map<string, number>): Repaired | undefined {
  let out = '';
  let pos = start;
  let changed = false;
  while (pos < end) {
    let wordEnd = line.indexOf(' ', pos);
    if (wordEnd === -1 || wordEnd > end) wordEnd = end;
    const fixed = wordEnd > pos ? repairRun(line, pos, wordEnd, steps) : undefined;
    if (fixed) {
      out += fixed.text;
      pos = fixed.end;
      changed = true;
    } else {
      out += line.slice(pos, wordEnd);
      pos = wordEnd;
    }
    if (pos < end && line.charCodeAt(pos) === 0x20) {
      out += ' ';
      pos++;
    }
  }
  return changed ? { text: out, end: pos } : undefined;
}

function repairLine(line: string, steps: Map<string, number>): string {
  const score = mojibakeScore(line);
  if (score === 0) return line;
  const whole = attempt(line, '', '', score);
  if (whole) {
    steps.set(whole.step, (steps.get(whole.step) ?? 0) + 1);
    return whole.text;
  }
  let out = '';
  let last = 0;
  for (const [start, end] of runsOf(line)) {
    if (start < last) continue;
    const fixed = repairRun(line, start, end, steps) ?? repairWords(line, start, end, steps);
    if (fixed) {
      out += line.slice(last, start) + fixed.text;
      last = fixed.end;
    }
  }
  return out + line.slice(last);
}

interface Pass {
  text: string;
  score: number;
  steps: string[];
}

function repairPass(text: string): Pass {
  const steps = new Map<string, number>();
  const lines = text.split('\n');
  const repaired = lines.map((line) => repairLine(line, steps));
  const out = repaired.join('\n');
  const ordered = [...steps].sort((a, b) => b[1] - a[1]).map(([step]) => step);
  return { text: out, score: mojibakeScore(out), steps: ordered };
}

/**
 * Undoes mojibake: UTF-8 that was read as windows-1252/latin-1, GBK, windows-1251, KOI8-R/U or
 * CP866, also twice over. Text that is fine comes back unchanged, with no `repair`.
 */
export function repairMojibake(text: string): { text: string; repair?: RepairInfo | undefined } {
  const scoreBefore = mojibakeScore(text);
  if (scoreBefore === 0) return { text };
  let current = text;
  let score = scoreBefore;
  const steps: string[] = [];
  for (let pass = 0; pass < 4 && score > 0; pass++) {
    const next = repairPass(current);
    if (next.score >= score || next.text === current) break;
    current = next.text;
    score = next.score;
    for (const step of next.steps) if (steps[steps.length - 1] !== step) steps.push(step);
  }
  if (steps.length === 0) return { text };
  return { text: current, repair: { steps, scoreBefore, scoreAfter: score } };
}
