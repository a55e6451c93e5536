import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audioImporter, suggestionsFromFileName } from '../../src/core/importers/audio.ts';
import type { ExtractContext } from '../../src/core/importers/types.ts';
import type { KartotekaError } from '../../src/shared/errors.ts';
import { fixture, refusal as refusalOf, extractContext } from '../helpers.ts';

const context = (fileName: string): ExtractContext => extractContext(fileName);

const audio = (name: string): Uint8Array => readFileSync(fixture(`audio/${name}`));
const extract = (bytes: Uint8Array, fileName: string) => audioImporter.extract(bytes, context(fileName));

const refusal = (bytes: Uint8Array, fileName: string): Promise<KartotekaError> => refusalOf(extract(bytes, fileName));

/** A WAV header for 8-bit mono PCM that claims `claimed` data bytes, followed by `actual` bytes. */
function wav(sampleRate: number, claimed: number, actual: number): Uint8Array {
  const b = Buffer.alloc(44 + actual, 0x80);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + claimed, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate, 28); // byte rate: 1 byte per sample
  b.writeUInt16LE(1, 32);
  b.writeUInt16LE(8, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(claimed, 40);
  return b;
}

const box = (type: string, ...payload: Uint8Array[]): Buffer => {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'ascii');
  return Buffer.concat([head, body]);
};

/** An M4A skeleton: ftyp, a media data box, then moov with mvhd (version 0 or 1) as phones write it. */
function m4a(timescale: number, duration: number, version: 0 | 1): Uint8Array {
  const ftyp = box('ftyp', Buffer.from('M4A \0\0\0\0M4A mp42isom', 'latin1'));
  const mvhd = Buffer.alloc(version === 1 ? 112 : 100);
  mvhd[0] = version;
  if (version === 1) {
    mvhd.writeUInt32BE(timescale, 20);
    mvhd.writeBigUInt64BE(BigInt(duration), 24);
  } else {
    mvhd.writeUInt32BE(timescale, 12);
    mvhd.writeUInt32BE(duration, 16);
  }
  return Buffer.concat([ftyp, box('mdat', Buffer.alloc(300, 7)), box('moov', box('mvhd', mvhd))]);
}

describe('audio importer: real recordings', () => {
  it('stores a WAV as an audio message without text, titled and dated from its file name', async () => {
    const result = await extract(audio('2025-04-12-call-anna.wav'), '2025-04-12-call-anna.wav');
    expect(result.text).toBe('');
    expect(result.textSource).toBe('none');
    expect(result.mediaType).toBe('audio/wav');
    expect(result.suggested).toEqual({ kind: 'audio-message', title: 'call anna', date: '2025-04-12' });
    // sox measures the file at 2.648875 s (21191 samples at 8 kHz).
    expect(result.details['durationSeconds']).toBeCloseTo(2.649, 3);
    expect(result.warnings).toBeUndefined();
  });

  it('reads the duration of Ogg Vorbis and Ogg Opus from the last page', async () => {
    const vorbis = await extract(audio('call-anna.ogg'), 'call-anna.ogg');
    expect(vorbis.mediaType).toBe('audio/ogg');
    expect(vorbis.details).toMatchObject({ codec: 'vorbis', sampleRate: 11025 });
    expect(vorbis.details['durationSeconds']).toBeCloseTo(2.649, 3);

    const opus = await extract(audio('call-anna.opus'), 'call-anna.opus');
    // RFC 7845: Ogg Opus files are audio/ogg.
    expect(opus.mediaType).toBe('audio/ogg');
    expect(opus.details['codec']).toBe('opus');
    // (last granule 127457 - pre-skip 312) / 48 kHz = 2.64885 s; without the pre-skip it would be 2.655.
    expect(opus.details['durationSeconds']).toBeCloseTo(2.6489, 3);
    expect(opus.suggested.title).toBe('call anna');
  });

  it('counts MP3 frames when there is no Xing header, and uses the LAME header when there is one', async () => {
    const cbr = await extract(audio('call-anna-cbr.mp3'), 'call-anna-cbr.mp3');
    expect(cbr.mediaType).toBe('audio/mpeg');
    // 39 frames of 576 samples at 8 kHz, as soxi reports.
    expect(cbr.details['durationSeconds']).toBeCloseTo(2.808, 3);

    const vbr = await extract(audio('call-anna-vbr.mp3'), 'call-anna-vbr.mp3');
    // 39 frames of 576 samples would be 2.808 s; the LAME tag's encoder delay and padding bring it
    // to the 2.649 s that were spoken.
    expect(vbr.details['durationSeconds']).toBeCloseTo(2.649, 3);
  });

  it('finds the first frame behind an ID3v2 tag as big as a cover picture', async () => {
    const frames = audio('call-anna-cbr.mp3');
    const size = 100_000;
    const tag = Buffer.alloc(10 + size);
    tag.write('ID3', 0, 'ascii');
    tag[3] = 4;
    // Sync-safe integer: 7 bits per byte.
    tag.set([(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f], 6);
    tag.write('APIC', 10, 'ascii');
    const result = await extract(Buffer.concat([tag, frames]), 'tagged.mp3');
    expect(result.mediaType).toBe('audio/mpeg');
    expect(result.details['durationSeconds']).toBeCloseTo(2.808, 3);
  });
});

describe('audio importer: hand-made headers', () => {
  it('reads M4A durations from mvhd, version 0 and 1, after the media data', async () => {
    const v0 = await extract(m4a(44100, 44100 * 83.5, 0), 'voicemail.m4a');
    expect(v0.mediaType).toBe('audio/mp4');
    expect(v0.details['durationSeconds']).toBe(83.5);
    const v1 = await extract(m4a(1000, 3_600_250, 1), 'long call.m4a');
    expect(v1.details['durationSeconds']).toBe(3600.25);
  });

  it('gives a cut-off WAV the duration of what is really there', async () => {
    const result = await extract(wav(8000, 16000, 4000), 'cut.wav');
    expect(result.details['durationSeconds']).toBe(0.5);
  });

  it('leaves the duration out where the header cannot tell it', async () => {
    const noMvhd = Buffer.concat([box('ftyp', Buffer.from('M4A \0\0\0\0', 'latin1')), box('mdat', Buffer.alloc(64))]);
    const result = await extract(noMvhd, 'no-header.m4a');
    expect(result.mediaType).toBe('audio/mp4');
    expect(result.details).not.toHaveProperty('durationSeconds');
  });
});

describe('audio importer: files that are not what their name says', () => {
  it('stores a misnamed recording under its real type and says so', async () => {
    const result = await extract(audio('call-anna.ogg'), 'call-anna.mp3');
    expect(result.mediaType).toBe('audio/ogg');
    expect(result.warnings?.join(' ')).toMatch(/named as MP3 but is Ogg audio/u);
  });

  it('refuses a PDF named .mp3', async () => {
    const error = await refusal(Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), 'statement.mp3');
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/not an audio file.*PDF/u);
  });

  it('refuses a phone photo (HEIC) named .m4a', async () => {
    const heic = Buffer.concat([box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1')), box('meta', Buffer.alloc(32))]);
    const error = await refusal(heic, 'voice.m4a');
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/not an audio file.*image/u);
  });

  it('refuses random bytes named .mp3, .wav or .m4a', async () => {
    // A fixed generator, so the "random" bytes are the same on every run.
    let seed = 12345;
    const noise = Uint8Array.from({ length: 65536 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed >> 23;
    });
    for (const name of ['noise.mp3', 'noise.wav', 'noise.m4a']) {
      const error = await refusal(noise, name);
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toContain('not an audio file');
    }
  });

  it('refuses an MP3 tag with no audio after it, and an empty file', async () => {
    const tagOnly = Buffer.alloc(64);
    tagOnly.write('ID3', 0, 'ascii');
    tagOnly[3] = 3;
    tagOnly[9] = 20;
    expect((await refusal(tagOnly, 'tag-only.mp3')).code).toBe('CORRUPT_FILE');
    expect((await refusal(new Uint8Array(0), 'empty.ogg')).code).toBe('EMPTY_FILE');
  });
});

describe('titles and dates from file names', () => {
  it.each([
    ['2025-04-12-call-anna.ogg', 'call anna', '2025-04-12'],
    ['AUD-20250412-WA0003.opus', 'AUD WA0003', '2025-04-12'],
    ['Звонок Анны 2025.04.12 10-15.m4a', 'Звонок Анны', '2025-04-12'],
    ['2024-11-03_19-42-07.wav', undefined, '2024-11-03'],
    ['message.wav', 'message', undefined],
    ['2025-13-45 note.mp3', '2025 13 45 note', undefined],
  ])('%s', (name, title, date) => {
    expect(suggestionsFromFileName(name)).toEqual({ title, date });
  });
});
