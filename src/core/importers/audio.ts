import { basename, extname } from 'node:path';
import { PartialDate } from '../../shared/document.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { Extraction, Importer } from './types.ts';

/**
 * Audio messages recorded from prison by phone. The original is kept as it is; we read only what
 * the headers say cheaply (format, duration), never decode the sound.
 */

type Container = 'wav' | 'ogg' | 'mp3' | 'm4a';

interface AudioFacts {
  container: Container;
  codec?: string | undefined;
  durationSeconds?: number | undefined;
  sampleRate?: number | undefined;
  channels?: number | undefined;
}

// RFC 7845: an Ogg Opus file is audio/ogg whatever its extension (.opus is only a naming habit).
const mediaTypes: Record<Container, string> = {
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
};

const containerByExtension: Record<string, Container> = {
  '.wav': 'wav',
  '.ogg': 'ogg',
  '.opus': 'ogg',
  '.mp3': 'mp3',
  '.m4a': 'm4a',
};

const containerNames: Record<Container, string> = {
  wav: 'WAV',
  ogg: 'Ogg',
  mp3: 'MP3',
  m4a: 'MP4/M4A',
};

const ascii = (b: Uint8Array, start: number, end: number): string =>
  end <= b.length ? String.fromCharCode(...b.subarray(start, end)) : '';

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

const roundMs = (seconds: number): number => Math.round(seconds * 1000) / 1000;

/* ---------- WAV ---------- */

function wavFacts(b: Uint8Array): AudioFacts {
  const dv = view(b);
  const facts: AudioFacts = { container: 'wav' };
  let byteRate = 0;
  let offset = 12;
  while (offset + 8 <= b.length) {
    const id = ascii(b, offset, offset + 4);
    const size = dv.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= b.length) {
      const formatTag = dv.getUint16(body, true);
      facts.codec = formatTag === 1 || formatTag === 0xfffe ? 'pcm' : `wave-format-${formatTag}`;
      facts.channels = dv.getUint16(body + 2, true);
      facts.sampleRate = dv.getUint32(body + 4, true);
      byteRate = dv.getUint32(body + 8, true);
    } else if (id === 'data') {
      // Recorders that stream (and RF64 files) leave the size at 0 or 0xFFFFFFFF; a cut-off file
      // claims more than it holds. What is really there is what plays.
      const available = b.length - body;
      const dataSize = size === 0 || size === 0xffffffff || size > available ? available : size;
      if (byteRate > 0) facts.durationSeconds = roundMs(dataSize / byteRate);
      break;
    }
    offset = body + size + (size & 1);
  }
  return facts;
}

/* ---------- Ogg (Opus, Vorbis) ---------- */

function oggFacts(b: Uint8Array): AudioFacts {
  const dv = view(b);
  const facts: AudioFacts = { container: 'ogg' };
  if (b.length < 28) return facts;
  const serial = dv.getUint32(14, true);
  const packet = 27 + (b[26] ?? 0);
  let granuleRate = 0;
  let preSkip = 0;
  if (ascii(b, packet, packet + 8) === 'OpusHead' && packet + 16 <= b.length) {
    facts.codec = 'opus';
    facts.channels = b[packet + 9];
    preSkip = dv.getUint16(packet + 10, true);
    // Opus granule positions always count 48 kHz samples, whatever the input rate was.
    granuleRate = 48000;
    const inputRate = dv.getUint32(packet + 12, true);
    if (inputRate > 0) facts.sampleRate = inputRate;
  } else if (b[packet] === 1 && ascii(b, packet + 1, packet + 7) === 'vorbis' && packet + 16 <= b.length) {
    facts.codec = 'vorbis';
    facts.channels = b[packet + 11];
    granuleRate = dv.getUint32(packet + 12, true);
    facts.sampleRate = granuleRate;
  }
  if (granuleRate === 0) return facts;
  // The last page of our stream carries the position of the last sample. Search from the end,
  // skipping pages of other multiplexed streams and pages that end no packet (granule -1).
  for (let offset = b.length - 27; offset >= 0; offset--) {
    if (b[offset] !== 0x4f || ascii(b, offset, offset + 4) !== 'OggS' || b[offset + 4] !== 0) continue;
    if (dv.getUint32(offset + 14, true) !== serial) continue;
    const granule = dv.getBigUint64(offset + 6, true);
    if (granule === 0xffffffffffffffffn) continue;
    const samples = Number(granule) - preSkip;
    if (samples >= 0) facts.durationSeconds = roundMs(samples / granuleRate);
    break;
  }
  return facts;
}

/* ---------- MP3 (MPEG audio) ---------- */

interface MpegFrame {
  mpeg1: boolean;
  layer: 1 | 2 | 3;
  bitrate: number;
  sampleRate: number;
  mono: boolean;
  samples: number;
  length: number;
  /** Version, layer and rate: every frame of one stream shares them. */
  key: number;
}

// kbit/s by bitrate index (1..14); index 0 (free format) has no computable frame length.
const bitratesMpeg1 = {
  1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
} as const;
const bitratesMpeg2 = {
  1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  3: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
} as const;
const sampleRatesMpeg1 = [44100, 48000, 32000] as const;

function mpegFrame(b: Uint8Array, offset: number): MpegFrame | undefined {
  if (offset + 4 > b.length) return undefined;
  const b1 = b[offset + 1] ?? 0;
  const b2 = b[offset + 2] ?? 0;
  const b3 = b[offset + 3] ?? 0;
  if (b[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3; // 0: MPEG 2.5, 1: reserved, 2: MPEG 2, 3: MPEG 1
  const layerBits = (b1 >> 1) & 3; // 0: reserved, 1: III, 2: II, 3: I
  const bitrateIndex = (b2 >> 4) & 15;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  if ((b3 & 3) === 2) return undefined; // reserved emphasis: not a frame
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const mpeg1 = versionBits === 3;
  const bitrate = (mpeg1 ? bitratesMpeg1 : bitratesMpeg2)[layer][bitrateIndex] ?? 0;
  const divisor = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 4;
  const sampleRate = (sampleRatesMpeg1[rateIndex] ?? 0) / divisor;
  const padding = (b2 >> 1) & 1;
  const samples = layer === 1 ? 384 : layer === 2 || mpeg1 ? 1152 : 576;
  const length =
    layer === 1
      ? (Math.floor((12 * bitrate * 1000) / sampleRate) + padding) * 4
      : Math.floor(((samples / 8) * bitrate * 1000) / sampleRate) + padding;
  return {
    mpeg1,
    layer,
    bitrate: bitrate * 1000,
    sampleRate,
    mono: (b3 >> 6) === 3,
    samples,
    length,
    key: (versionBits << 4) | (layerBits << 2) | rateIndex,
  };
}

/** A frame whose successor starts where it ends (or that ends the file): 11 sync bits alone are too weak. */
function confirmedFrame(b: Uint8Array, offset: number): MpegFrame | undefined {
  const frame = mpegFrame(b, offset);
  if (!frame) return undefined;
  const next = offset + frame.length;
  if (next >= b.length - 128 && next <= b.length) return frame;
  const following = mpegFrame(b, next);
  return following && following.key === frame.key ? frame : undefined;
}

function id3v2Size(b: Uint8Array): number {
  if (ascii(b, 0, 3) !== 'ID3' || b.length < 10) return 0;
  // Sync-safe integer: 7 bits per byte.
  const size = (((b[6] ?? 0) & 0x7f) << 21) | (((b[7] ?? 0) & 0x7f) << 14) | (((b[8] ?? 0) & 0x7f) << 7) | ((b[9] ?? 0) & 0x7f);
  const footer = ((b[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

/** Where the first real MPEG frame starts, searching a little past any ID3 tag and padding. */
function firstMpegFrame(b: Uint8Array): number | undefined {
  const start = id3v2Size(b);
  const limit = Math.min(b.length - 4, start + 64 * 1024);
  for (let offset = start; offset <= limit; offset++) {
    if (b[offset] === 0xff && confirmedFrame(b, offset)) return offset;
  }
  return undefined;
}

/** Frame count and encoder delay/padding from a Xing/Info (LAME) or VBRI header in the first frame. */
function vbrHeader(b: Uint8Array, offset: number, frame: MpegFrame): { frames: number; trim: number } | undefined {
  const dv = view(b);
  const sideInfo = frame.mpeg1 ? (frame.mono ? 17 : 32) : frame.mono ? 9 : 17;
  const xing = offset + 4 + sideInfo;
  const tag = ascii(b, xing, xing + 4);
  if ((tag === 'Xing' || tag === 'Info') && xing + 8 <= b.length) {
    const flags = dv.getUint32(xing + 4, false);
    if ((flags & 1) === 0 || xing + 12 > b.length) return undefined;
    const frames = dv.getUint32(xing + 8, false);
    let lame = xing + 12 + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
    let trim = 0;
    const encoder = ascii(b, lame, lame + 4);
    if ((encoder === 'LAME' || encoder === 'Lavf' || encoder === 'Lavc') && lame + 24 <= b.length) {
      lame += 21;
      // 12 bits of encoder delay, 12 bits of end padding: the silence an encoder adds.
      const delay = ((b[lame] ?? 0) << 4) | ((b[lame + 1] ?? 0) >> 4);
      const padding = (((b[lame + 1] ?? 0) & 0x0f) << 8) | (b[lame + 2] ?? 0);
      if (delay + padding < frames * frame.samples) trim = delay + padding;
    }
    return { frames, trim };
  }
  const vbri = offset + 36;
  if (ascii(b, vbri, vbri + 4) === 'VBRI' && vbri + 18 <= b.length) {
    return { frames: dv.getUint32(vbri + 14, false), trim: 0 };
  }
  return undefined;
}

function mp3Facts(b: Uint8Array, first: number): AudioFacts {
  const frame = mpegFrame(b, first);
  const facts: AudioFacts = { container: 'mp3' };
  if (!frame) return facts;
  facts.codec = `mpeg-layer-${frame.layer}`;
  facts.sampleRate = frame.sampleRate;
  facts.channels = frame.mono ? 1 : 2;
  const header = vbrHeader(b, first, frame);
  if (header && header.frames > 0) {
    facts.durationSeconds = roundMs((header.frames * frame.samples - header.trim) / frame.sampleRate);
    return facts;
  }
  // No header: count the frames. The file is in memory and a frame header is four bytes, so even
  // an hour-long message is a few hundred thousand steps; this is exact for VBR files too.
  let frames = 0;
  let offset = first;
  while (offset + 4 <= b.length) {
    const current = mpegFrame(b, offset);
    if (current && current.key === frame.key) {
      frames += 1;
      offset += current.length;
      continue;
    }
    // Damaged bytes or a trailing tag: look for the next confirmed frame.
    let resync = offset + 1;
    while (resync + 4 <= b.length && !(b[resync] === 0xff && confirmedFrame(b, resync)?.key === frame.key)) resync++;
    offset = resync;
  }
  if (frames > 0) facts.durationSeconds = roundMs((frames * frame.samples) / frame.sampleRate);
  return facts;
}

/* ---------- MP4 / M4A ---------- */

// ISO base media files that are pictures, not sound (HEIF/AVIF photos from phones).
const imageBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);

function mp4Box(b: Uint8Array, offset: number, end: number): { type: string; body: number; next: number } | undefined {
  if (offset + 8 > end) return undefined;
  const dv = view(b);
  let size = dv.getUint32(offset, false);
  let header = 8;
  if (size === 1) {
    if (offset + 16 > end) return undefined;
    size = Number(dv.getBigUint64(offset + 8, false));
    header = 16;
  } else if (size === 0) {
    size = end - offset;
  }
  if (size < header) return undefined;
  return { type: ascii(b, offset + 4, offset + 8), body: offset + header, next: Math.min(offset + size, end) };
}

function m4aFacts(b: Uint8Array): AudioFacts {
  const facts: AudioFacts = { container: 'm4a' };
  const dv = view(b);
  for (let box = mp4Box(b, 0, b.length); box; box = mp4Box(b, box.next, b.length)) {
    if (box.type !== 'moov') continue;
    for (let child = mp4Box(b, box.body, box.next); child; child = mp4Box(b, child.next, box.next)) {
      if (child.type !== 'mvhd') continue;
      const version = b[child.body];
      const at = child.body;
      if (version === 1 && at + 32 <= child.next) {
        const timescale = dv.getUint32(at + 20, false);
        const duration = dv.getBigUint64(at + 24, false);
        if (timescale > 0 && duration !== 0xffffffffffffffffn) facts.durationSeconds = roundMs(Number(duration) / timescale);
      } else if (version === 0 && at + 20 <= child.next) {
        const timescale = dv.getUint32(at + 12, false);
        const duration = dv.getUint32(at + 16, false);
        if (timescale > 0 && duration !== 0xffffffff) facts.durationSeconds = roundMs(duration / timescale);
      }
      return facts;
    }
  }
  return facts;
}

/* ---------- sniffing ---------- */

/** What a file that is not audio most likely is, for a message the user can act on. */
function describeNonAudio(b: Uint8Array): string {
  const head = ascii(b, 0, Math.min(8, b.length));
  if (head.startsWith('%PDF')) return 'it is a PDF document';
  if (head.startsWith('PK\u0003\u0004')) return 'it is a zip archive (or a DOCX/ODT document)';
  if (head.startsWith('\u0089PNG')) return 'it is a PNG image';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'it is a JPEG image';
  if (head.startsWith('{\\rtf')) return 'it is an RTF document';
  return 'its first bytes match no audio format Kartoteka reads (WAV, Ogg/Opus, MP3, M4A)';
}

function readFacts(b: Uint8Array, fileName: string): AudioFacts {
  const riff = ascii(b, 0, 4);
  if ((riff === 'RIFF' || riff === 'RF64') && ascii(b, 8, 12) === 'WAVE') return wavFacts(b);
  if (riff === 'OggS') return oggFacts(b);
  if (ascii(b, 4, 8) === 'ftyp') {
    const brand = ascii(b, 8, 12);
    if (imageBrands.has(brand)) {
      throw new KartotekaError('CORRUPT_FILE', `${fileName} is not an audio file: it is a HEIF/AVIF image (brand "${brand}").`);
    }
    return m4aFacts(b);
  }
  const first = firstMpegFrame(b);
  if (first !== undefined) return mp3Facts(b, first);
  if (ascii(b, 0, 3) === 'ID3') {
    throw new KartotekaError('CORRUPT_FILE', `${fileName} is not a playable audio file: it has an MP3 tag but no MPEG audio frames after it.`);
  }
  throw new KartotekaError('CORRUPT_FILE', `${fileName} is not an audio file: ${describeNonAudio(b)}.`);
}

/* ---------- suggestions from the file name ---------- */

const datePattern = /(?<!\d)((?:19|20)\d{2})([-_.]?)(\d{2})\2(\d{2})(?!\d)/u;
const timeAfterDate = /^[ T_-]?([01]\d|2[0-3])([-_.:h]?)([0-5]\d)(?:\2([0-5]\d))?(?!\d)/u;

/**
 * A title and a date from names such as '2025-04-12-call-anna.ogg' ('call anna', '2025-04-12')
 * or 'AUD-20250412-WA0003.opus'. Separators become spaces; letter case is left as the user typed it.
 */
export function suggestionsFromFileName(fileName: string): { title?: string | undefined; date?: string | undefined } {
  let stem = basename(fileName, extname(fileName));
  let date: string | undefined;
  const found = datePattern.exec(stem);
  if (found) {
    const candidate = `${found[1]}-${found[3]}-${found[4]}`;
    if (PartialDate.safeParse(candidate).success) {
      date = candidate;
      const before = stem.slice(0, found.index);
      let after = stem.slice(found.index + found[0].length);
      const time = timeAfterDate.exec(after);
      if (time) after = after.slice(time[0].length);
      stem = `${before} ${after}`;
    }
  }
  const title = stem.replace(/[_.\s-]+/gu, ' ').trim();
  return { title: title.length > 0 ? title : undefined, date };
}

export const audioImporter: Importer = {
  id: 'audio',
  label: 'Audio messages (MP3, Ogg/Opus, M4A, WAV)',
  extensions: ['.mp3', '.ogg', '.opus', '.m4a', '.wav'],
  // async so that a refusal arrives as a rejected promise, like every other importer's.
  async extract(bytes, context) {
    if (bytes.length === 0) throw new KartotekaError('EMPTY_FILE', `${context.fileName} is empty (0 bytes).`);
    const facts = readFacts(bytes, context.fileName);
    const warnings: string[] = [];
    const expected = containerByExtension[extname(context.fileName).toLowerCase()];
    if (expected !== undefined && expected !== facts.container) {
      warnings.push(
        `${context.fileName} is named as ${containerNames[expected]} but is ${containerNames[facts.container]} audio; it is stored as ${mediaTypes[facts.container]}.`,
      );
    }
    const details: Record<string, unknown> = { format: facts.container };
    if (facts.codec !== undefined) details['codec'] = facts.codec;
    if (facts.durationSeconds !== undefined) details['durationSeconds'] = facts.durationSeconds;
    if (facts.sampleRate !== undefined) details['sampleRate'] = facts.sampleRate;
    if (facts.channels !== undefined) details['channels'] = facts.channels;
    const { title, date } = suggestionsFromFileName(context.fileName);
    const extraction: Extraction = {
      text: '',
      mediaType: mediaTypes[facts.container],
      textSource: 'none',
      details,
      suggested: { kind: 'audio-message', title, date },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
    return extraction;
  },
};
