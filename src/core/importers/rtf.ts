import iconv from 'iconv-lite';
import { KartotekaError } from '../../shared/errors.ts';
import { tidyText } from './html.ts';
import type { Extraction, Importer, Suggestions } from './types.ts';

/**
 * Rich Text Format. Our own reader rather than rtf.js: rtf.js renders RTF into an HTML DOM (it
 * needs one, and a 1 MB bundle whose `main` entry is broken), while we only want the text, and
 * reading RTF for text is a small state machine. Ours runs in one pass with an explicit group
 * stack (no recursion), decodes \'xx bytes in the code page of the current font (\fcharset204
 * fonts in an \ansicpg1252 file are common in Russian RTF), honours \uN with \ucN, and skips
 * destinations that are not body text (font and colour tables, pictures, field codes, headers).
 */

/** Groups whose text is not the document's own. */
const SKIPPED = new Set([
  'colortbl', 'stylesheet', 'listtable', 'listoverridetable', 'revtbl', 'rsidtbl', 'generator', 'pict', 'shppict',
  'nonshppict', 'header', 'headerl', 'headerr', 'headerf', 'footer', 'footerl', 'footerr', 'footerf', 'ftnsep',
  'ftnsepc', 'ftncn', 'aftnsep', 'aftnsepc', 'aftncn', 'fldinst', 'pn', 'bkmkstart', 'bkmkend', 'xe', 'tc', 'txe',
  'private', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'mmathPr', 'annotation', 'atnid',
  'atnauthor', 'atndate', 'atnref', 'template', 'falt', 'panose', 'fname', 'userprops', 'filetbl', 'pgdsctbl',
  'listpicture', 'wgrffmtfilter', 'password', 'passwordhash', 'objdata', 'objclass', 'objname', 'xmlnstbl',
  'sp', 'sn', 'sv', 'fontemb', 'fontfile', 'blipuid', 'picprop', 'bliptag', 'macpict', 'wmetafile',
]);
/** Fields of \info that become suggestions; the rest of \info is skipped. */
const INFO_FIELDS = new Set(['title', 'author']);

/** Characters some control words stand for. */
const SYMBOLS: Record<string, string> = {
  tab: '\t', emdash: '\u2014', endash: '\u2013', bullet: '\u2022', lquote: '\u2018', rquote: '\u2019',
  ldblquote: '\u201C', rdblquote: '\u201D', emspace: ' ', enspace: ' ', qmspace: ' ', line: '\n', cell: '\t',
  nestcell: '\t', sect: '\n\n', page: '\n',
};

/** \fcharset numbers to Windows code pages. */
const CHARSET_CODEPAGE: Record<number, number> = {
  77: 10000, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258, 177: 1255,
  178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250, 254: 437, 255: 850,
};

function codepageName(codepage: number): string {
  if (codepage === 10000) return 'macintosh';
  if (codepage === 65001) return 'utf-8';
  for (const name of [`cp${codepage}`, `windows-${codepage}`]) if (iconv.encodingExists(name)) return name;
  return 'windows-1252';
}

type Destination = 'body' | 'skip' | 'fonttbl' | 'info' | 'title' | 'author' | 'creatim' | 'footnote' | 'upr';

interface Group {
  destination: Destination;
  /** How many characters stand in for each \uN (\ucN). */
  uc: number;
  codepage: number;
  /** The first control word of the group decides its destination; until it is read, this is true. */
  fresh: boolean;
  /** \* was read: an optional destination, skipped unless we know it. */
  starred: boolean;
  inTable: boolean;
}

interface Paragraph {
  text: string;
  row: boolean;
}

const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

export interface RtfText {
  text: string;
  suggested: Suggestions;
  paragraphs: number;
  pictures: number;
  codepage: number;
  /** Groups left open at the end of the file (a truncated or hand-edited file). */
  unclosedGroups: number;
}

/**
 * Reads an RTF file's text; throws CORRUPT_FILE when it is not RTF and TOO_DEEPLY_NESTED past
 * maxDepth groups. `encoding` (a WHATWG label the user chose) decodes every byte escape instead of
 * the code pages the file declares, for files whose \ansicpg is wrong.
 */
export function rtfToText(bytes: Uint8Array, options: { maxDepth: number; fileName: string; encoding?: string | undefined }): RtfText {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)) start += 1;
  const head = String.fromCharCode(...bytes.subarray(start, start + 5));
  if (head !== '{\\rtf') {
    throw new KartotekaError('CORRUPT_FILE', `${options.fileName} is not an RTF file: it does not start with "{\\rtf". It is damaged, or another kind of file with the wrong extension.`);
  }

  let ansiCodepage = 1252;
  let defaultFont: number | undefined;
  const fonts = new Map<number, number>();
  let definingFont: number | undefined;
  const paragraphs: Paragraph[] = [];
  const footnotes: string[] = [];
  let paragraph = '';
  let footnote = '';
  const info = { title: '', author: '' };
  const created: Record<string, number> = {};
  let pictures = 0;

  const stack: Group[] = [];
  let group: Group = { destination: 'body', uc: 1, codepage: 1252, fresh: true, starred: false, inTable: false };
  let pendingBytes: number[] = [];
  let pendingCodepage = 1252;
  /** Characters still to drop after a \uN. */
  let skipChars = 0;
  let depth = 0;

  const fontCodepage = (font: number | undefined): number => (font === undefined ? undefined : fonts.get(font)) ?? ansiCodepage;
  const append = (text: string): void => {
    switch (group.destination) {
      case 'body':
        paragraph += text;
        break;
      case 'footnote':
        footnote += text;
        break;
      case 'title':
      case 'author':
        info[group.destination] += text;
        break;
      default:
    }
  };
  const chosen = options.encoding === undefined ? undefined : chosenDecoder(options.encoding);
  const flushBytes = (): void => {
    if (pendingBytes.length === 0) return;
    const decoded = chosen !== undefined ? chosen.decode(Uint8Array.from(pendingBytes)) : iconv.decode(Buffer.from(pendingBytes), codepageName(pendingCodepage));
    pendingBytes = [];
    append(decoded);
  };
  const emit = (text: string): void => {
    flushBytes();
    append(text);
  };
  const emitByte = (byte: number): void => {
    if (pendingBytes.length > 0 && pendingCodepage !== group.codepage) flushBytes();
    pendingCodepage = group.codepage;
    pendingBytes.push(byte);
  };
  const endParagraph = (row: boolean): void => {
    flushBytes();
    if (group.destination === 'footnote') {
      footnote += '\n';
      return;
    }
    if (group.destination !== 'body') return;
    paragraphs.push({ text: row ? paragraph.replace(/\t+$/u, '') : paragraph, row });
    paragraph = '';
  };

  /** Applies a control word; `param` is undefined when it has none. */
  const control = (word: string, param: number | undefined): void => {
    if (group.fresh) {
      group.fresh = false;
      const parent = stack[stack.length - 1];
      if (parent?.destination === 'upr') {
        // \upr holds an ANSI and a Unicode (\*\ud) version of the same thing: read the Unicode one.
        group.destination = word === 'ud' && group.starred ? uprOuter() : 'skip';
        if (group.destination !== 'skip') return;
      }
      if (word === 'fonttbl') group.destination = 'fonttbl';
      else if (word === 'info') group.destination = 'info';
      else if (word === 'upr') group.destination = 'upr';
      else if (group.destination === 'info') group.destination = INFO_FIELDS.has(word) ? (word as Destination) : word === 'creatim' ? 'creatim' : 'skip';
      else if (word === 'footnote' && group.destination === 'body') group.destination = 'footnote';
      else if (word === 'pict') {
        pictures += 1;
        group.destination = 'skip';
      } else if (SKIPPED.has(word) || group.starred) group.destination = 'skip';
      if (group.destination === 'skip') return;
    }
    if (group.destination === 'skip') {
      if (word === 'bin' && param !== undefined) skipBinary(param);
      return;
    }
    if (skipChars > 0 && word !== 'bin') {
      // A control word stands for one of the characters after \uN too.
      skipChars -= 1;
      if (word !== 'u') return;
    }
    switch (word) {
      case 'ansi':
        ansiCodepage = 1252;
        break;
      case 'mac':
        ansiCodepage = 10000;
        break;
      case 'pc':
        ansiCodepage = 437;
        break;
      case 'pca':
        ansiCodepage = 850;
        break;
      case 'ansicpg':
        if (param !== undefined && param > 0) ansiCodepage = param;
        group.codepage = fontCodepage(defaultFont);
        break;
      case 'deff':
        defaultFont = param;
        break;
      case 'f':
        if (group.destination === 'fonttbl') definingFont = param;
        else group.codepage = fontCodepage(param);
        break;
      case 'fcharset':
        if (group.destination === 'fonttbl' && definingFont !== undefined && param !== undefined) {
          // 0 (ANSI) and 1 (default) mean the document's code page; 2 (Symbol) has no code page of its own.
          const codepage = CHARSET_CODEPAGE[param];
          if (codepage !== undefined) fonts.set(definingFont, codepage);
        }
        break;
      case 'cpg':
        if (group.destination === 'fonttbl' && definingFont !== undefined && param !== undefined && param > 0) fonts.set(definingFont, param);
        break;
      case 'plain':
        group.codepage = fontCodepage(defaultFont);
        break;
      case 'uc':
        group.uc = Math.max(0, param ?? 1);
        break;
      case 'u':
        if (param !== undefined) {
          emit(String.fromCharCode(param < 0 ? param + 0x10000 : param & 0xffff));
          skipChars = group.uc;
        }
        break;
      case 'bin':
        if (param !== undefined) skipBinary(param);
        break;
      case 'par':
        if (group.inTable) emit(' ');
        else endParagraph(false);
        break;
      case 'row':
      case 'nestrow':
        endParagraph(true);
        break;
      case 'pard':
        group.inTable = false;
        break;
      case 'intbl':
        group.inTable = true;
        break;
      case 'yr':
      case 'mo':
      case 'dy':
        if (group.destination === 'creatim' && param !== undefined) created[word] = param;
        break;
      default: {
        const symbol = SYMBOLS[word];
        if (symbol !== undefined) emit(symbol);
      }
    }
  };
  const uprOuter = (): Destination => {
    for (let i = stack.length - 1; i >= 0; i -= 1) {
      const outer = stack[i];
      if (outer !== undefined && outer.destination !== 'upr') return outer.destination;
    }
    return 'body';
  };

  let i = start;
  const skipBinary = (count: number): void => {
    i = Math.min(bytes.length, i + Math.max(0, count));
  };

  while (i < bytes.length) {
    const c = bytes[i] as number;
    if (c === 0x7b) {
      // '{'
      i += 1;
      if (skipChars > 0) skipChars = 0;
      if (group.destination === 'skip') {
        depth += 1;
        stack.push(group);
        group = { ...group, fresh: false };
        if (depth > options.maxDepth) throw tooDeep(options);
        continue;
      }
      flushBytes();
      depth += 1;
      if (depth > options.maxDepth) throw tooDeep(options);
      stack.push(group);
      group = { ...group, fresh: true, starred: false };
      continue;
    }
    if (c === 0x7d) {
      // '}'
      i += 1;
      skipChars = 0;
      flushBytes();
      if (group.destination === 'footnote' && stack[stack.length - 1]?.destination !== 'footnote') {
        footnotes.push(footnote);
        footnote = '';
      }
      const closing = group;
      const outer = stack.pop();
      // A '}' with no group open: tolerated, like the text after it.
      if (outer === undefined) continue;
      depth -= 1;
      group = outer;
      if (closing.destination === 'fonttbl' && outer.destination !== 'fonttbl') {
        definingFont = undefined;
        // Text without its own \f is in the default font, whose code page is known only now.
        if (defaultFont !== undefined) group.codepage = fontCodepage(defaultFont);
      }
      continue;
    }
    if (c === 0x5c) {
      // '\'
      const next = bytes[i + 1];
      if (next === undefined) break;
      if (isLetter(next)) {
        let j = i + 1;
        while (j < bytes.length && j - i <= 32 && isLetter(bytes[j] as number)) j += 1;
        const word = String.fromCharCode(...bytes.subarray(i + 1, j));
        let param: number | undefined;
        let k = j;
        if (bytes[k] === 0x2d || isDigit(bytes[k] ?? 0)) {
          const negative = bytes[k] === 0x2d;
          if (negative) k += 1;
          let value = 0;
          let digits = 0;
          while (k < bytes.length && isDigit(bytes[k] as number) && digits < 10) {
            value = value * 10 + ((bytes[k] as number) - 0x30);
            k += 1;
            digits += 1;
          }
          if (digits > 0) param = negative ? -value : value;
          else k = j;
        }
        if (bytes[k] === 0x20) k += 1;
        i = k;
        control(word, param);
        continue;
      }
      i += 2;
      if (next === 0x27) {
        // \'hh: one byte in the current code page
        const hex = String.fromCharCode(bytes[i] ?? 0, bytes[i + 1] ?? 0);
        i += 2;
        if (group.destination === 'skip' || !/^[0-9a-fA-F]{2}$/u.test(hex)) continue;
        if (group.fresh) group.fresh = false;
        if (skipChars > 0) {
          skipChars -= 1;
          continue;
        }
        emitByte(Number.parseInt(hex, 16));
        continue;
      }
      if (next === 0x2a) {
        // \*: the group is an optional destination
        if (group.fresh) group.starred = true;
        continue;
      }
      if (group.destination === 'skip') continue;
      if (group.fresh) group.fresh = false;
      if (skipChars > 0) {
        skipChars -= 1;
        continue;
      }
      if (next === 0x5c || next === 0x7b || next === 0x7d) emitByte(next);
      else if (next === 0x7e) emit('\u00A0');
      else if (next === 0x5f) emit('\u2011');
      else if (next === 0x0a || next === 0x0d) endParagraph(false);
      else if (next === 0x09) emit('\t');
      // \- (optional hyphen), \: and \| add nothing to the text.
      continue;
    }
    i += 1;
    if (c === 0x0a || c === 0x0d) continue;
    if (group.destination === 'skip') continue;
    if (group.fresh) group.fresh = false;
    if (skipChars > 0) {
      skipChars -= 1;
      continue;
    }
    if (c === 0x09) emit('\t');
    else if (c >= 0x20) emitByte(c);
  }
  flushBytes();
  if (paragraph.length > 0) paragraphs.push({ text: paragraph, row: false });
  if (footnote.length > 0) footnotes.push(footnote);

  const blocks: string[] = [];
  let previousRow = false;
  for (const p of paragraphs) {
    const text = tidyText(p.text);
    if (text.length === 0) continue;
    if (p.row && previousRow && blocks.length > 0) blocks[blocks.length - 1] += `\n${text}`;
    else blocks.push(text);
    previousRow = p.row;
  }
  const notes = footnotes.map((n) => tidyText(n)).filter((n) => n.length > 0);
  const title = info.title.replace(/\s+/gu, ' ').trim().normalize('NFC');
  const authors = info.author.split(/;/u).map((a) => a.replace(/\s+/gu, ' ').trim().normalize('NFC')).filter((a) => a.length > 0);
  const date = creationDate(created);
  return {
    text: [...blocks, ...notes].join('\n\n'),
    suggested: {
      ...(title ? { title } : {}),
      ...(authors.length > 0 ? { authors } : {}),
      ...(date ? { date } : {}),
    },
    paragraphs: blocks.length,
    pictures,
    codepage: ansiCodepage,
    unclosedGroups: stack.length,
  };
}

function chosenDecoder(label: string): InstanceType<typeof TextDecoder> {
  try {
    return new TextDecoder(label);
  } catch {
    throw new KartotekaError('UNSUPPORTED_ENCODING', `"${label}" is not an encoding Kartoteka can read. Choose one such as windows-1251, koi8-r or windows-1252.`);
  }
}

/** The WHATWG name of a Windows code page where there is one ('windows-1251'), else iconv's ('cp932'). */
function encodingName(codepage: number): string {
  const name = codepageName(codepage);
  try {
    return new TextDecoder(name).encoding;
  } catch {
    return name;
  }
}

function tooDeep(options: { maxDepth: number; fileName: string }): KartotekaError {
  return new KartotekaError(
    'TOO_DEEPLY_NESTED',
    `${options.fileName} nests RTF groups more than ${options.maxDepth} deep; real documents stay far below that. The file is damaged or built to exhaust memory.`,
  );
}

function creationDate(created: Record<string, number>): string | undefined {
  const { yr, mo, dy } = created;
  if (yr === undefined || yr < 1901 || yr > 9999) return undefined;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (mo === undefined || mo < 1 || mo > 12) return String(yr);
  if (dy === undefined || dy < 1 || dy > 31) return `${yr}-${pad(mo)}`;
  return `${yr}-${pad(mo)}-${pad(dy)}`;
}

export const rtfImporter: Importer = {
  id: 'rtf',
  label: 'Rich Text Format (.rtf)',
  extensions: ['.rtf'],
  // async so that every failure arrives as a rejected promise, never as a synchronous throw.
  async extract(bytes, context) {
    const { fileName } = context;
    if (bytes.length === 0) throw new KartotekaError('EMPTY_FILE', `${fileName} is empty (0 bytes).`);
    const override = context.encodingOverride;
    const rtf = rtfToText(bytes, { maxDepth: context.limits.maxNestingDepth, fileName, encoding: override });
    const warnings: string[] = [];
    if (rtf.text.length === 0) {
      if (rtf.pictures === 0) throw new KartotekaError('EMPTY_FILE', `${fileName} is an RTF file with no text.`);
      warnings.push('This RTF file holds pictures but no text; pictures inside documents are not OCR\'d. Import the pictures themselves to read them.');
    }
    if (rtf.unclosedGroups > 0) warnings.push('The RTF file ends before all its groups are closed: it may be truncated. The text up to its end was kept.');
    const extraction: Extraction = {
      text: rtf.text,
      mediaType: 'application/rtf',
      textSource: 'text',
      // RTF is ASCII; the encoding is the code page its byte escapes are read in.
      encoding:
        override !== undefined
          ? { name: chosenDecoder(override).encoding, confidence: 1, bom: false, source: 'override' }
          : { name: encodingName(rtf.codepage), confidence: 1, bom: false, source: 'declared' },
      details: { paragraphs: rtf.paragraphs, codepage: rtf.codepage, ...(rtf.pictures > 0 ? { pictures: rtf.pictures } : {}) },
      suggested: rtf.suggested,
      ...(warnings.length > 0 ? { warnings } : {}),
    };
    return extraction;
  },
};
