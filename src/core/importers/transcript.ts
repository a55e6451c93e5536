import { extname } from 'node:path';
import { KartotekaError } from '../../shared/errors.ts';
import { decodeBytes } from '../text/encoding.ts';
import { suggestionsFromFileName } from './audio.ts';
import type { Cue, Extraction, Importer } from './types.ts';

/**
 * Transcripts of audio messages: WebVTT and SRT. Parsed by hand rather than with a subtitle
 * library because we need what such libraries throw away: which line of the file was wrong (to
 * tell the user), voice tags (speakers), and tolerance for the hand-edited files campaigns make.
 */

export interface ParsedTranscript {
  format: 'webvtt' | 'srt';
  /** One line per cue (per speaker turn when a cue holds several voices). */
  text: string;
  cues: Cue[];
  warnings: string[];
  /** Text after "WEBVTT" on the first line, which people use as a title. */
  headerTitle?: string | undefined;
  /** Cue blocks that could not be read. */
  skipped: number;
  /** Blocks that look like cues (an arrow, or an SRT number over a line): tells "not a transcript" from "every cue broken". */
  cueLike: number;
}

interface Block {
  /** 1-based line number of the block's first line, for messages. */
  line: number;
  lines: string[];
}

const MAX_WARNINGS = 20;

// hh:mm:ss.ttt or mm:ss.ttt; SRT writes a comma, sloppy files drop or shorten the fraction.
const timestamp = String.raw`(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?`;
const timingLine = new RegExp(String.raw`^\s*${timestamp}\s*-->\s*${timestamp}(?:[ \t]+.*)?$`, 'u');

function seconds(hours: string | undefined, minutes: string, secs: string, fraction: string | undefined): number | undefined {
  const h = hours === undefined ? 0 : Number(hours);
  const m = Number(minutes);
  const s = Number(secs);
  if (s >= 60 || (hours !== undefined && m >= 60)) return undefined;
  const total = h * 3600 + m * 60 + s + (fraction === undefined ? 0 : Number(`0.${fraction}`));
  // Milliseconds are the file's precision; rounding hides binary float noise such as 61.233999.
  return Math.round(total * 1000) / 1000;
}

type Timing = { start: number; end: number } | { problem: string };

function parseTiming(line: string): Timing {
  const m = timingLine.exec(line);
  if (!m) return { problem: `cannot read the timing "${line.trim()}"` };
  const start = seconds(m[1], m[2] ?? '', m[3] ?? '', m[4]);
  const end = seconds(m[5], m[6] ?? '', m[7] ?? '', m[8]);
  if (start === undefined || end === undefined) return { problem: `the timing "${line.trim()}" has minutes or seconds past 59` };
  if (end < start) return { problem: `the cue ends (${line.trim().split(/\s*-->\s*/u)[1] ?? ''}) before it starts` };
  return { start, end };
}

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  quot: '"',
  apos: "'",
  lrm: '\u200e',
  rlm: '\u200f',
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/gu, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return namedEntities[name] ?? whole;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Markup a reader never sees: <i>, <b>, <c.loud>, <font ...>, <00:01.000> karaoke times, {\an8}. */
function stripTags(text: string): string {
  return text
    .replace(/<br\s*\/?>/giu, ' ')
    .replace(/<\/?[a-zA-Z][^<>]*>/gu, '')
    .replace(/<\d+(?::\d{1,2}){1,2}[.,]\d{1,3}>/gu, '')
    .replace(/\{\\[^}]*\}/gu, '');
}

/** Whitespace from joined lines collapses to one space; a no-break space the file asked for stays. */
const tidy = (text: string): string => text.replace(/[ \t\n\r\f]+/gu, ' ').trim();

interface Segment {
  speaker: string | undefined;
  words: string;
}

/** Splits a cue's text at its voice tags: <v Anna Petrova>…</v>, <v.loud Ivan>…. */
function segments(raw: string): Segment[] {
  const out: Segment[] = [];
  const voice = /<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>|<\/v>/gu;
  let speaker: string | undefined;
  let last = 0;
  const push = (chunk: string): void => {
    const words = tidy(decodeEntities(stripTags(chunk)));
    if (words.length === 0) return;
    const previous = out.at(-1);
    if (previous && previous.speaker === speaker) previous.words = `${previous.words} ${words}`;
    else out.push({ speaker, words });
  };
  for (let m = voice.exec(raw); m; m = voice.exec(raw)) {
    push(raw.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === '</v>') {
      speaker = undefined;
    } else {
      const name = tidy(decodeEntities(m[1] ?? ''));
      speaker = name.length > 0 ? name : undefined;
    }
  }
  push(raw.slice(last));
  return out;
}

function toBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  lines.forEach((line, index) => {
    if (line.trim().length === 0) {
      current = undefined;
      return;
    }
    // Hand-edited SRT often loses the blank line between cues: a timing line inside a block
    // starts a new cue (with the number above it, if there is one).
    if (current && current.lines.length >= 2 && line.includes('-->') && timingLine.test(line)) {
      const previousLine = current.lines.at(-1) ?? '';
      const cut = /^\s*\d+\s*$/u.test(previousLine) ? current.lines.length - 1 : current.lines.length;
      if (cut >= 2) {
        const moved = current.lines.splice(cut);
        current = { line: current.line + cut, lines: moved };
        blocks.push(current);
      }
    }
    if (!current) {
      current = { line: index + 1, lines: [] };
      blocks.push(current);
    }
    current.lines.push(line);
  });
  return blocks;
}

/** Parses WebVTT or SRT text (already decoded) into one line per cue and the cues' times. */
export function parseTranscript(source: string, fileName: string): ParsedTranscript {
  const lines = source.replace(/^\uFEFF/u, '').replace(/\r\n?/gu, '\n').split('\n');
  const blocks = toBlocks(lines);
  const first = blocks[0];
  const hasHeader = first !== undefined && /^WEBVTT(?:[ \t]|$)/u.test(first.lines[0] ?? '');
  const format = hasHeader || extname(fileName).toLowerCase() === '.vtt' ? 'webvtt' : 'srt';
  let headerTitle: string | undefined;
  if (first && hasHeader) {
    headerTitle = tidy((first.lines[0] ?? '').slice('WEBVTT'.length).replace(/^[\s\-–—:]+/u, '')) || undefined;
    // The blank line after the header is sometimes missing: keep any cue that follows it.
    const cueAt = first.lines.findIndex((line) => line.includes('-->'));
    if (cueAt > 0) {
      const start = Math.max(1, cueAt - 1);
      blocks[0] = { line: first.line + start, lines: first.lines.slice(start) };
    } else {
      blocks.shift();
    }
  }

  const problems: string[] = [];
  const kept: { start: number; end: number; raw: string[] }[] = [];
  let skipped = 0;
  let cueLike = 0;
  let previousWasCue = false;
  for (const block of blocks) {
    const [line0 = '', line1] = block.lines;
    if (format === 'webvtt' && /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/u.test(line0)) {
      previousWasCue = false;
      continue;
    }
    const at = line0.includes('-->') ? 0 : line1?.includes('-->') === true ? 1 : -1;
    if (at === -1) {
      const previous = kept.at(-1);
      if (format === 'srt' && previousWasCue && previous && !/^\s*\d+\s*$/u.test(line0)) {
        // SRT has no way to escape a blank line inside a cue's text; people put them there anyway.
        previous.raw.push(...block.lines);
        continue;
      }
      skipped += 1;
      previousWasCue = false;
      if (/^\s*\d+\s*$/u.test(line0) && line1 !== undefined) {
        cueLike += 1;
        problems.push(`line ${block.line + 1}: cannot read the timing "${line1.trim()}"; the cue was skipped`);
      } else {
        problems.push(`line ${block.line}: text without a cue timing ("${line0.trim().slice(0, 40)}") was skipped`);
      }
      continue;
    }
    cueLike += 1;
    const timing = parseTiming(block.lines[at] ?? '');
    if ('problem' in timing) {
      skipped += 1;
      previousWasCue = false;
      problems.push(`line ${block.line + at}: ${timing.problem}; the cue was skipped`);
      continue;
    }
    kept.push({ ...timing, raw: block.lines.slice(at + 1) });
    previousWasCue = true;
  }

  const textLines: string[] = [];
  const cues: Cue[] = [];
  let offset = 0;
  for (const cue of kept) {
    for (const segment of segments(cue.raw.join('\n'))) {
      const prefix = segment.speaker === undefined ? '' : `${segment.speaker}: `;
      const textStart = offset + prefix.length;
      const textEnd = textStart + segment.words.length;
      cues.push({ start: cue.start, end: cue.end, textStart, textEnd, ...(segment.speaker === undefined ? {} : { speaker: segment.speaker }) });
      textLines.push(prefix + segment.words);
      offset = textEnd + 1;
    }
  }

  const warnings = problems.slice(0, MAX_WARNINGS);
  if (problems.length > MAX_WARNINGS) warnings.push(`… and ${problems.length - MAX_WARNINGS} more problems of the same kind`);
  return { format, text: textLines.join('\n'), cues, warnings, headerTitle, skipped, cueLike };
}

export const transcriptImporter: Importer = {
  id: 'transcript',
  label: 'Transcripts (WebVTT, SRT)',
  extensions: ['.vtt', '.srt'],
  // async so that a refusal arrives as a rejected promise, like every other importer's.
  async extract(bytes, context) {
    const decoded = decodeBytes(bytes, { override: context.encodingOverride, repairMojibake: context.repairMojibake });
    const { fileName } = context;
    if (decoded.text.trim().length === 0) throw new KartotekaError('EMPTY_FILE', `${fileName} is empty.`);
    const parsed = parseTranscript(decoded.text, fileName);
    if (parsed.cues.length === 0) {
      if (parsed.cueLike === 0 && parsed.skipped === 0) {
        throw new KartotekaError('EMPTY_FILE', `${fileName} has no cues, only a header or notes.`);
      }
      if (parsed.cueLike === 0) {
        throw new KartotekaError(
          'CORRUPT_FILE',
          `${fileName} is not a WebVTT or SRT transcript: no line has a cue timing such as "00:00:01.000 --> 00:00:04.000".`,
        );
      }
      if (parsed.skipped > 0) {
        throw new KartotekaError(
          'CORRUPT_FILE',
          `${fileName} has no cue that could be read (${parsed.skipped} skipped; first problem: ${parsed.warnings[0] ?? 'unknown'}).`,
        );
      }
      throw new KartotekaError('EMPTY_FILE', `${fileName} has cue timings but no words in them.`);
    }
    const fromName = suggestionsFromFileName(fileName);
    const speakers = [...new Set(parsed.cues.flatMap((cue) => (cue.speaker === undefined ? [] : [cue.speaker])))];
    const extraction: Extraction = {
      text: parsed.text,
      mediaType: parsed.format === 'webvtt' ? 'text/vtt' : 'application/x-subrip',
      textSource: 'text',
      cues: parsed.cues,
      encoding: decoded.encoding,
      repair: decoded.repair,
      details: {
        format: parsed.format,
        cues: parsed.cues.length,
        durationSeconds: parsed.cues.reduce((latest, cue) => Math.max(latest, cue.end), 0),
        ...(speakers.length > 0 ? { speakers } : {}),
        ...(parsed.skipped > 0 ? { skippedCues: parsed.skipped } : {}),
      },
      suggested: { kind: 'audio-message', title: parsed.headerTitle ?? fromName.title, date: fromName.date },
      ...(parsed.warnings.length > 0 ? { warnings: parsed.warnings } : {}),
    };
    return extraction;
  },
};
