import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { transcriptImporter } from '../../src/core/importers/transcript.ts';
import type { ExtractContext, Extraction } from '../../src/core/importers/types.ts';
import type { KartotekaError } from '../../src/shared/errors.ts';
import { fixture, refusal as refusalOf, extractContext } from '../helpers.ts';

const context = (fileName: string, extra: Partial<ExtractContext> = {}): ExtractContext => extractContext(fileName, {}, extra);

const transcript = (name: string): Uint8Array => readFileSync(fixture(`transcripts/${name}`));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const extract = (bytes: Uint8Array, fileName: string, extra: Partial<ExtractContext> = {}) =>
  transcriptImporter.extract(bytes, context(fileName, extra));

/** What a reader sees for each cue: its time and the words its offsets point at. */
const shown = (result: Extraction) =>
  (result.cues ?? []).map((cue) => ({
    start: cue.start,
    end: cue.end,
    speaker: cue.speaker,
    words: result.text.slice(cue.textStart, cue.textEnd),
  }));

const refusal = (bytes: Uint8Array, fileName: string): Promise<KartotekaError> => refusalOf(extract(bytes, fileName));

describe('transcript importer: WebVTT', () => {
  it('reads a Russian call with speakers, notes, styles, cue settings and inline tags', async () => {
    const result = await extract(transcript('2025-04-12-call-anna.vtt'), '2025-04-12-call-anna.vtt');
    expect(result.text).toBe(
      [
        'Оператор: Разговор записывается.',
        'Анна Соколова: Мама, привет! Это я, Аня. У меня всё хорошо.',
        'Вера Соколова: Анечка! Мы получили твоё письмо & фотографии.',
        'Анна Соколова: Передай адвокату: суд перенесли на\u00a020 мая. Пусть готовит ходатайство.',
        'Вера Соколова: Хорошо.',
        'Анна Соколова: Целую, время кончается <3',
      ].join('\n'),
    );
    expect(shown(result)).toEqual([
      { start: 0, end: 3.5, speaker: 'Оператор', words: 'Разговор записывается.' },
      { start: 4, end: 9.25, speaker: 'Анна Соколова', words: 'Мама, привет! Это я, Аня. У меня всё хорошо.' },
      { start: 9.5, end: 13, speaker: 'Вера Соколова', words: 'Анечка! Мы получили твоё письмо & фотографии.' },
      {
        start: 13.2,
        end: 19.8,
        speaker: 'Анна Соколова',
        words: 'Передай адвокату: суд перенесли на\u00a020 мая. Пусть готовит ходатайство.',
      },
      { start: 20, end: 24, speaker: 'Вера Соколова', words: 'Хорошо.' },
      { start: 20, end: 24, speaker: 'Анна Соколова', words: 'Целую, время кончается <3' },
    ]);
    expect(result.mediaType).toBe('text/vtt');
    expect(result.textSource).toBe('text');
    expect(result.suggested).toMatchObject({
      kind: 'audio-message',
      title: 'Звонок из ИК-7, 12 апреля 2025',
      date: '2025-04-12',
    });
    expect(result.details).toMatchObject({
      format: 'webvtt',
      cues: 6,
      durationSeconds: 24,
      speakers: ['Оператор', 'Анна Соколова', 'Вера Соколова'],
    });
    expect(result.encoding?.name).toBe('utf-8');
    expect(result.warnings).toBeUndefined();
  });

  it('takes cues without a blank line after the header, long hour counts and cues without ids', async () => {
    const result = await extract(
      utf8('WEBVTT\n00:01.000 --> 00:02.000\nраз\n\n101:00:00.500 --> 101:00:01.000\nдва\n'),
      'late.vtt',
    );
    expect(shown(result)).toEqual([
      { start: 1, end: 2, speaker: undefined, words: 'раз' },
      { start: 363600.5, end: 363601, speaker: undefined, words: 'два' },
    ]);
    expect(result.suggested.title).toBe('late');
  });

  it('keeps escaped markup as text and drops only real tags', async () => {
    const result = await extract(
      utf8('WEBVTT\n\n00:00.000 --> 00:01.000\n&lt;b&gt; is not bold, <b>this</b> is; 2 < 3 &amp;&amp; 5 > 4\n'),
      'markup.vtt',
    );
    expect(result.text).toBe('<b> is not bold, this is; 2 < 3 && 5 > 4');
  });


  it('gives each speaker turn in a cue its own line, joining turns of the same speaker', async () => {
    const result = await extract(utf8('WEBVTT\n\n00:00.000 --> 00:02.000\n<v Анна>раз</v> <v Анна>два</v> <v Иван>три\n'), 'turns.vtt');
    expect(result.text).toBe('Анна: раз два\nИван: три');
    expect(shown(result).map((cue) => cue.speaker)).toEqual(['Анна', 'Иван']);
  });
});

describe('transcript importer: SRT', () => {
  it('reads a UTF-8 SRT with BOM, CRLF, tags and coordinates after the timing', async () => {
    const result = await extract(transcript('call-olena.srt'), 'call-olena.srt');
    expect(result.text).toBe('Добрий день, це Олена.\nМи всі чекаємо на тебе, тримайся!\nСуд відбудеться у четвер.');
    expect(shown(result)).toEqual([
      { start: 1, end: 4.2, speaker: undefined, words: 'Добрий день, це Олена.' },
      { start: 4.5, end: 8, speaker: undefined, words: 'Ми всі чекаємо на тебе, тримайся!' },
      { start: 62.345, end: 65, speaker: undefined, words: 'Суд відбудеться у четвер.' },
    ]);
    expect(result.mediaType).toBe('application/x-subrip');
    expect(result.details).toMatchObject({ format: 'srt', cues: 3 });
    expect(result.suggested).toMatchObject({ kind: 'audio-message', title: 'call olena' });
  });

  const russianSrt = [
    '1',
    '00:00:00,000 --> 00:00:05,000',
    'Здравствуйте, меня зовут Дмитрий Орлов, я нахожусь в следственном изоляторе.',
    '',
    '2',
    '00:00:05,500 --> 00:00:11,000',
    'Прошу передать моей семье, что я здоров и получаю их письма.',
    '',
    '3',
    '00:00:11,500 --> 00:00:16,000',
    'Спасибо всем, кто пишет мне и приходит на заседания суда.',
    '',
  ].join('\r\n');

  it('reads an SRT saved in Windows-1251', async () => {
    const result = await extract(iconv.encode(russianSrt, 'windows-1251'), 'orlov.srt');
    expect(result.encoding?.name).toBe('windows-1251');
    expect(result.text.split('\n')).toEqual([
      'Здравствуйте, меня зовут Дмитрий Орлов, я нахожусь в следственном изоляторе.',
      'Прошу передать моей семье, что я здоров и получаю их письма.',
      'Спасибо всем, кто пишет мне и приходит на заседания суда.',
    ]);
  });

  it('uses the encoding the user chose over detection', async () => {
    const result = await extract(iconv.encode(russianSrt, 'koi8-r'), 'orlov.srt', { encodingOverride: 'koi8-r' });
    expect(result.encoding).toMatchObject({ name: 'koi8-r', source: 'override' });
    expect(result.text).toContain('Дмитрий Орлов');
  });

  it('skips a broken cue in the middle, keeps the rest and says which lines', async () => {
    const result = await extract(transcript('broken-cue.srt'), 'broken-cue.srt');
    expect(result.text).toBe('Первая фраза.\nПоследняя фраза.');
    expect(shown(result).map((cue) => cue.start)).toEqual([1, 7]);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings?.[0]).toMatch(/^line 6: cannot read the timing "00:00:03,500 -> 00:00:05,000"/u);
    expect(result.warnings?.[1]).toMatch(/^line 10: the cue ends .* before it starts/u);
    expect(result.details['skippedCues']).toBe(2);
  });

  it('splits cues that lost the blank line between them and keeps text after a blank line inside a cue', async () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nодин\n2\n00:00:03,000 --> 00:00:04,000\nдва\n\nи ещё\n\n3\n00:00:05,000 --> 00:00:06,000\nтри\n';
    const result = await extract(utf8(srt), 'sloppy.srt');
    expect(shown(result)).toEqual([
      { start: 1, end: 2, speaker: undefined, words: 'один' },
      { start: 3, end: 4, speaker: undefined, words: 'два и ещё' },
      { start: 5, end: 6, speaker: undefined, words: 'три' },
    ]);
    expect(result.warnings).toBeUndefined();
  });
});

describe('transcript importer: files with nothing to read', () => {
  it('calls an empty file and a header without cues empty', async () => {
    expect((await refusal(new Uint8Array(0), 'empty.vtt')).code).toBe('EMPTY_FILE');
    expect((await refusal(utf8('\r\n  \r\n'), 'blank.srt')).code).toBe('EMPTY_FILE');
    expect((await refusal(utf8('WEBVTT\n\nNOTE nothing was said\n'), 'header.vtt')).code).toBe('EMPTY_FILE');
  });

  it('calls prose that is not a transcript corrupt, with a message that says what was expected', async () => {
    const error = await refusal(utf8('Дорогая мама,\nпишу тебе из колонии.\n'), 'letter.srt');
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/not a WebVTT or SRT transcript/u);
  });

  it('calls a file whose every cue is broken corrupt', async () => {
    const error = await refusal(utf8('WEBVTT\n\n00:00.000 --> 00:61.000\nтекст\n\n00:05.000 --> 00:04.000\nещё\n'), 'bad.vtt');
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/no cue that could be read \(2 skipped/u);
  });
});
