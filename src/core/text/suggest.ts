import type { DocumentKind } from '../../shared/document.ts';
import type { Suggestions } from '../importers/types.ts';
import { detectLanguage } from './language.ts';

/*
 * Metadata a document suggests about itself: title, date, kind, language. Suggestions are shown
 * to the archivist and never overwrite what someone typed, so a wrong one costs a correction;
 * still, kind and date are only suggested where the text says so plainly.
 */

export interface SuggestOptions {
  fileName: string;
  /** Already known (the user chose it, or the container declared it): then it is not detected. */
  language?: string | undefined;
}

/** Titles longer than this are cut at a word. */
const MAX_TITLE = 120;
/** Only the head of a document is read for title, kind and date. */
const HEAD_CHARS = 4000;
/** Dates count as "the document's date" only in its first lines, and in short ones (a header, a byline). */
const DATE_LINES = 8;
const DATE_LINE_MAX = 160;

// ---- lines and markup -------------------------------------------------------------------------

/** A line without Markdown or HTML markup, with its whitespace collapsed. */
function clean(line: string): string {
  return line
    .replace(/<[^>]{1,200}>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,3}[.)]\s+)/, '')
    .replace(/\s+#+\s*$/, '')
    .replace(/(\*\*|__|\*|_|`|~~)(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

const letter = /\p{L}/u;
const rule = /^\s*(?:[-*_=~]\s*){3,}$/;
const timestamp = /^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?\s*-->/;

/** Lines that carry no title: rules, page numbers, dates alone, WebVTT headers and cue timings. */
function isMeaningful(raw: string, cleaned: string): boolean {
  if (cleaned.length < 2 || rule.test(raw) || timestamp.test(raw)) return false;
  if (/^WEBVTT\b/.test(cleaned) || /^(?:NOTE|STYLE|REGION)\b/.test(cleaned)) return false;
  if (!letter.test(cleaned)) return false; // numbers, dates like 19.08.2024, "№ 5/12"
  if (isJustADate(cleaned)) return false;
  return true;
}

/** Longer lines are never a date alone ("«16» de septiembre de 2025 року" is 33 characters). */
const LONGEST_DATE_LINE = 60;

/** "19.08.2024", "12 марта 2024 г.", "16 червня 2025 року", "March 12, 2024": a date and nothing else. */
function isJustADate(line: string): boolean {
  if (line.length > LONGEST_DATE_LINE) return false;
  const rest = line.replace(/[\s.,;:«»"“”„()–—-]*(?:г\.?|года|год|року|р\.?)?[\s.,;:«»"“”„()–—-]*$/u, '');
  return findDates(rest).some((d) => d.index <= 2 && d.length >= rest.length - 2);
}

interface Line {
  raw: string;
  text: string;
}

/** Title and kind look at the first few lines with text only. */
const LINES_NEEDED = 4;

/** The head's first lines that carry text (LINES_NEEDED of them), YAML front matter left out. */
function meaningfulLines(head: string): Line[] {
  let lines = head.split('\n');
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
    if (end > 0) lines = lines.slice(end + 1);
  }
  const out: Line[] = [];
  for (const raw of lines) {
    const text = clean(raw);
    if (isMeaningful(raw, text) && out.push({ raw, text }) === LINES_NEEDED) break;
  }
  return out;
}

// ---- title ------------------------------------------------------------------------------------

/** At most MAX_TITLE characters, cut at a word, without the comma or colon a salutation ends with. */
function cut(line: string): string {
  const title = line.replace(/[\s,;:]+$/u, '');
  if (title.length <= MAX_TITLE) return title;
  const space = title.lastIndexOf(' ', MAX_TITLE - 1);
  const head = title.slice(0, space > MAX_TITLE / 2 ? space : MAX_TITLE - 1).replace(/[\s,;:–—-]+$/u, '');
  return `${head}…`;
}

function frontMatterTitle(head: string): string | undefined {
  if (!head.startsWith('---\n')) return undefined;
  const end = head.indexOf('\n---', 4);
  const block = end > 0 ? head.slice(4, end) : '';
  const match = /^title:\s*(.+)$/m.exec(block);
  return match?.[1] ? match[1].trim().replace(/^(["'])(.*)\1$/, '$2') : undefined;
}

const heading = /^\s{0,3}#{1,6}\s+\S/;

function suggestTitle(head: string, lines: readonly Line[]): string | undefined {
  const fromFrontMatter = frontMatterTitle(head);
  if (fromFrontMatter) return cut(clean(fromFrontMatter));
  // A Markdown heading among the first few lines beats a date line or a byline above it.
  const firstHeading = lines.slice(0, 4).find((line) => heading.test(line.raw));
  const chosen = firstHeading ?? lines[0];
  return chosen ? cut(chosen.text) : undefined;
}

// ---- dates ------------------------------------------------------------------------------------

const months: Record<string, number> = {};
const addMonths = (names: string): void => {
  names.split(' ').forEach((group, i) => {
    for (const name of group.split('|')) months[name] = i + 1;
  });
};
// Genitive (12 марта) and nominative (март 2024) forms, Russian and Ukrainian.
addMonths('января|январь февраля|февраль марта|март апреля|апрель мая|май июня|июнь июля|июль августа|август сентября|сентябрь октября|октябрь ноября|ноябрь декабря|декабрь');
addMonths('січня|січень лютого|лютий березня|березень квітня|квітень травня|травень червня|червень липня|липень серпня|серпень вересня|вересень жовтня|жовтень листопада|листопад грудня|грудень');
addMonths('january|jan february|feb march|mar april|apr may june|jun july|jul august|aug september|sep|sept october|oct november|nov december|dec');
addMonths('januar|jänner februar märz|maerz april mai juni juli august september oktober november dezember');
addMonths('janvier février|fevrier mars avril mai juin juillet août|aout septembre octobre novembre décembre|decembre');
addMonths('enero febrero marzo abril mayo junio julio agosto septiembre|setiembre octubre noviembre diciembre');

/** Month names that are a date only with a day before them ("май" is also "may", "mar" a word). */
const monthAlone = new Set(
  'январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень january february march april june july august september october november december'.split(
    ' ',
  ),
);

const monthName = Object.keys(months)
  .sort((a, b) => b.length - a.length)
  .join('|');
const L = '\\p{L}';
/** Each finds a date in a line; groups: year, month, day (month as digits or a name). */
const datePatterns: ReadonlyArray<{ re: RegExp; order: 'ymd' | 'dmy' | 'mdy' | 'my' }> = [
  { re: /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/gu, order: 'ymd' },
  { re: /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)/gu, order: 'dmy' },
  // 12 марта 2024 г., «16» червня 2025 року, 12 March 2024, 16. Juni 2025, 16 de junio de 2025, 1er mai 2025
  { re: new RegExp(`(?<!\\d)[«"“]?(\\d{1,2})(?:er|st|nd|rd|th)?[»"”]?\\.?\\s+(?:de\\s+|of\\s+)?(${monthName})(?!${L})\\.?,?\\s+(?:de\\s+|del\\s+)?(\\d{4})(?!\\d)`, 'giu'), order: 'dmy' },
  // March 12, 2024
  { re: new RegExp(`(?<!${L})(${monthName})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`, 'giu'), order: 'mdy' },
  // март 2024, March 2024
  { re: new RegExp(`(?<!${L})(${monthName})(?!${L})\\s+(\\d{4})(?!\\d)`, 'giu'), order: 'my' },
];

function monthOf(token: string): number | undefined {
  return /^\d+$/.test(token) ? Number(token) : months[token.toLowerCase()];
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A partial ISO date, or undefined when the parts do not make a real date (no 2023-02-30). */
function isoDate(year: number, month: number | undefined, day?: number): string | undefined {
  if (year < 1900 || year > 2100 || month === undefined || month < 1 || month > 12) return undefined;
  if (day === undefined) return `${year}-${pad(month)}`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

interface Found {
  index: number;
  length: number;
  iso: string;
}

function findDates(line: string): Found[] {
  const found: Found[] = [];
  for (const { re, order } of datePatterns) {
    re.lastIndex = 0;
    for (const m of line.matchAll(re)) {
      const [, a = '', b = '', c = ''] = m;
      let iso: string | undefined;
      if (order === 'ymd') iso = isoDate(Number(a), monthOf(b), Number(c));
      else if (order === 'dmy') iso = isoDate(Number(c), monthOf(b), Number(a));
      else if (order === 'mdy') iso = isoDate(Number(c), monthOf(a), Number(b));
      else if (monthAlone.has(a.toLowerCase())) iso = isoDate(Number(b), monthOf(a));
      if (iso) found.push({ index: m.index, length: m[0].length, iso });
    }
  }
  // The earliest in the line; at the same place the fuller date.
  return found.sort((x, y) => x.index - y.index || y.iso.length - x.iso.length);
}

function dateFromLines(lines: readonly Line[]): string | undefined {
  for (const line of lines) {
    if (line.text.length > DATE_LINE_MAX) continue;
    const [first] = findDates(line.text);
    if (first) return first.iso;
  }
  return undefined;
}

/** A date written at the top of a document: "19.08.2024", "г. Светлоозёрск — 23 января 2024 года". */
function dateFromText(head: string): string | undefined {
  const lines: Line[] = [];
  for (const raw of head.split('\n')) {
    const text = clean(raw);
    if (text.length > 0 && lines.push({ raw, text }) === DATE_LINES) break;
  }
  return dateFromLines(lines);
}

/** "2024-03-12-letter.txt" -> 2024-03-12, "2025-02-solovyov.txt" -> 2025-02, "20240312.txt", "12.03.2024.txt". */
function dateFromFileName(fileName: string): string | undefined {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  let m = /(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)/.exec(name);
  if (m) {
    const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (iso) return iso;
  }
  m = /(?<!\d)(\d{2})[.-](\d{2})[.-]((?:19|20)\d{2})(?!\d)/.exec(name);
  if (m) {
    const iso = isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
    if (iso) return iso;
  }
  // Year and month, unless a day follows: "2023-02-30" is no date at all, not February.
  m = /(?<!\d)((?:19|20)\d{2})[-_](\d{2})(?![-_.]?\d)/.exec(name);
  return m ? isoDate(Number(m[1]), Number(m[2])) : undefined;
}

// ---- kind -------------------------------------------------------------------------------------

// (?!\p{L}) rather than \b: in JavaScript \b knows only ASCII letters, so "ПРИГОВОР\b" never matches.
/** Headings that name a court document by themselves. */
const courtAlways =
  /^(?:(?:АПЕЛЛЯЦИОННЫЙ|КАССАЦИОННЫЙ)\s+)?ПРИГОВОР(?!\p{L})|^(?:ВИРОК|УХВАЛА|JUDGE?MENT)(?!\p{L})|^IN THE [\p{Lu}\s.,'’-]{0,80}COURT(?!\p{L})/u;
/** Headings that are court documents when a court is named nearby (a decree or a decision can be anyone's). */
const courtIfContext =
  /^(?:(?:АПЕЛЛЯЦИОННОЕ|КАССАЦИОННОЕ|ЧАСТНОЕ)\s+)?(?:ОПРЕДЕЛЕНИЕ|ПОСТАНОВЛЕНИЕ|РЕШЕНИЕ)(?!\p{L})|^(?:ПОСТАНОВА|РІШЕННЯ|VERDICT|RULING|DECISION|ORDER)(?!\p{L})/u;
/** A court named near the top: суд, суда, судья, судебная, Court, ... */
const courtContext = /(?<!\p{L})(?:[Сс]уд|СУД|[Cc]ourt|COURT)|ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ|ІМЕНЕМ УКРАЇНИ|IN THE NAME OF/u;
const transcriptHeading =
  /^(?:TRANSCRIPT OF (?:AN |THE )?AUDIO(?: MESSAGE| RECORDING)?|РАСШИФРОВКА АУДИО(?:СООБЩЕНИЯ|ЗАПИСИ)|РОЗШИФРОВКА АУДІО(?:ПОВІДОМЛЕННЯ|ЗАПИСУ))(?!\p{L})/u;

/** The word as a court writes it: in capitals, or alone on its line ("# Приговор"). */
function headingWord(text: string, pattern: RegExp): boolean {
  if (pattern.test(text)) return true;
  const upper = text.toUpperCase();
  return upper.split(' ').length <= 3 && pattern.test(upper) && !/[.!?…]$/.test(text);
}

function suggestKind(text: string, head: string, lines: readonly Line[]): DocumentKind | undefined {
  if (/^\uFEFF?WEBVTT(?:\s|$)/.test(text.slice(0, 8))) return 'audio-message';
  const top = lines.slice(0, 3).map((line) => line.text);
  if (top[0] && transcriptHeading.test(top[0])) return 'audio-message';
  const context = courtContext.test(head.slice(0, 1500));
  for (const line of top) {
    if (headingWord(line, courtAlways)) return 'court-document';
    if (context && headingWord(line, courtIfContext)) return 'court-document';
  }
  return undefined;
}

// ---- all together -----------------------------------------------------------------------------

/**
 * Suggests a title (first heading or first line with words), a date (near the top, else from the
 * file name), a kind (court documents and transcripts that say so in their heading) and the
 * language.
 */
export function suggestMetadata(text: string, options: SuggestOptions): Suggestions {
  const head = text.slice(0, HEAD_CHARS);
  const lines = meaningfulLines(head);
  const suggestions: Suggestions = {};
  const title = suggestTitle(head, lines);
  if (title) suggestions.title = title;
  const date = dateFromText(head) ?? dateFromFileName(options.fileName);
  if (date) suggestions.date = date;
  const kind = suggestKind(text, head, lines);
  if (kind) suggestions.kind = kind;
  suggestions.language = options.language ?? detectLanguage(text).language;
  return suggestions;
}
