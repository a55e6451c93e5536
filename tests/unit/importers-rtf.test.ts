import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { rtfImporter } from '../../src/core/importers/rtf.ts';
import { refusal } from '../helpers.ts';
import { context } from './office-fixtures.ts';

const extract = (rtf: string | Uint8Array, encodingOverride?: string) =>
  rtfImporter.extract(typeof rtf === 'string' ? Buffer.from(rtf, 'latin1') : rtf, context('letter.rtf', {}, { encodingOverride }));


/** Text as RTF writes it under \ansicpg1251: each non-ASCII character a \'xx byte escape. */
const cp1251 = (text: string): string =>
  [...iconv.encode(text, 'windows-1251')].map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\'${b.toString(16)}`)).join('');

/** Text as \uN? escapes, the way Word writes characters outside the code page. */
const unicode = (text: string): string =>
  [...text]
    .flatMap((ch) => (ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)]))
    .map((code) => (code < 0x80 ? String.fromCharCode(code) : `\\u${code > 0x7fff ? code - 0x10000 : code}?`))
    .join('');

describe('rtfImporter', () => {
  test("reads a Russian letter written as \\'xx escapes under \\ansicpg1251, skipping tables, pictures and field codes", async () => {
    const rtf = [
      '{\\rtf1\\ansi\\ansicpg1251\\deff0\\nouicompat\\deflang1049',
      '{\\fonttbl{\\f0\\fnil\\fcharset204 Calibri;}{\\f1\\froman\\fprq2\\fcharset0 Times New Roman;}}',
      '{\\colortbl ;\\red0\\green0\\blue255;}',
      '{\\*\\generator Riched20 10.0.19041;}',
      '{\\stylesheet{\\s0 Normal;}{\\s1 heading 1;}}',
      `{\\info{\\title ${cp1251('Письмо матери')}}{\\author ${cp1251('Наталья Петрова')}}{\\operator Admin}{\\creatim\\yr2023\\mo11\\dy5\\hr14\\min30}}`,
      `\\viewkind4\\uc1\\pard\\sa200\\sl276\\slmult1\\f0\\fs22\\lang1049 ${cp1251('Дорогой сын!')}\\par`,
      `${cp1251('Пишу тебе из дома.')}\\line ${cp1251('Всё хорошо')}\\emdash ${cp1251('ждём.')}\\par`,
      `{\\field{\\*\\fldinst{HYPERLINK "https://example.org/"}}{\\fldrslt{\\ul\\cf1 ${cp1251('сайт кампании')}}}}\\par`,
      '{\\pict\\pngblip\\picw10\\pich10 89504e470d0a1a0a0000000d49484452}\\par',
      `{\\header\\pard ${cp1251('Колонтитул')}\\par}`,
      `${cp1251('Мама')}\\par`,
      '}',
    ].join('\r\n');
    const result = await extract(rtf);
    expect(result.text).toBe('Дорогой сын!\n\nПишу тебе из дома.\nВсё хорошо—ждём.\n\nсайт кампании\n\nМама');
    expect(result.suggested).toEqual({ title: 'Письмо матери', authors: ['Наталья Петрова'], date: '2023-11-05' });
    expect(result.mediaType).toBe('application/rtf');
    expect(result.details).toMatchObject({ paragraphs: 4, codepage: 1251, pictures: 1 });
  });

  test('reads Ukrainian written as \\uN? escapes, with \\ucN, surrogate pairs and the Unicode title of \\upr', async () => {
    const rtf =
      '{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}' +
      `{\\info{\\upr{\\title Zayava}{\\*\\ud{\\title ${unicode('Заява родини')}}}}}` +
      `\\uc1\\pard ${unicode('Євгену Ґонті — 45 років')}\\par` +
      '{\\uc2 \\u1111\\\'3f\\\'3f\\u1111\\\'3f\\\'3f}\\par' +
      `\\uc0 \\u8470 5\\par\\uc1 ${unicode('Привіт 😀')}\\par}`;
    const result = await extract(rtf);
    expect(result.text).toBe('Євгену Ґонті — 45 років\n\nїї\n\n№5\n\nПривіт 😀');
    expect(result.suggested.title).toBe('Заява родини');
  });

  test("decodes each font's bytes in its own code page (\\fcharset204 in an \\ansicpg1252 file)", async () => {
    const rtf =
      '{\\rtf1\\ansi\\ansicpg1252\\deff1{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}{\\f1\\fswiss\\fcharset204 Arial CYR;}}' +
      "\\pard\\f0 Letter: \\f1 \\'cf\\'e8\\'f1\\'fc\\'ec\\'ee\\f0  (caf\\'e9)\\par " +
      "\\pard\\plain \\'cf\\'f0\\'e8\\'e2\\'e5\\'f2\\par}";
    expect((await extract(rtf)).text).toBe('Letter: Письмо (café)\n\nПривет');
  });

  test("reads a file whose \\ansicpg is wrong in the encoding the user chose", async () => {
    const wrong = `{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\f0 ${cp1251('Здравствуй, сынок')}\\par}`;
    const asDeclared = await extract(wrong);
    expect(asDeclared.text).toBe('Çäðàâñòâóé, ñûíîê');
    expect(asDeclared.encoding).toMatchObject({ name: 'windows-1252', source: 'declared' });
    const chosen = await extract(wrong, 'windows-1251');
    expect(chosen.text).toBe('Здравствуй, сынок');
    expect(chosen.encoding).toMatchObject({ name: 'windows-1251', source: 'override' });
  });

  test('reads a table row by row, cells separated by tabs', async () => {
    const row = (a: string, b: string): string => `\\trowd\\cellx2000\\cellx4000\\pard\\intbl ${unicode(a)}\\cell ${unicode(b)}\\cell\\row `;
    const rtf = `{\\rtf1\\ansi\\uc1 ${row('Статья', 'Срок')}${row('207.3 УК', '7 лет')}\\pard ${unicode('После таблицы')}\\par}`;
    expect((await extract(rtf)).text).toBe('Статья\tСрок\n207.3 УК\t7 лет\n\nПосле таблицы');
  });

  test('skips binary data (\\binN) even when it holds braces', async () => {
    expect((await extract('{\\rtf1 before{\\*\\blob\\bin5 }}{{x} after\\par}')).text).toBe('before after');
  });

  test('refuses a file that is not RTF', async () => {
    const error = await refusal(extract('<html><body>Не RTF</body></html>'));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/not an RTF file/u);
  });

  test('keeps the text of a file cut short, with a warning, and ignores stray closing braces', async () => {
    const cut = await extract('{\\rtf1\\ansi First paragraph\\par {\\b Second');
    expect(cut.text).toBe('First paragraph\n\nSecond');
    expect(cut.warnings?.[0]).toMatch(/truncated/u);
    const stray = await extract('{\\rtf1 One\\par}}}');
    expect(stray.text).toBe('One');
    expect(stray.warnings).toBeUndefined();
  });

  test('refuses groups nested 100,000 deep without overflowing the stack, and reads 900', async () => {
    const nested = (n: number): string => `{\\rtf1 ${'{'.repeat(n)}deep${'}'.repeat(n)}}`;
    const error = await refusal(extract(nested(100_000)));
    expect(error.code).toBe('TOO_DEEPLY_NESTED');
    expect((await extract(nested(900))).text).toBe('deep');
  });

  test('refuses an empty file and an RTF file with no text', async () => {
    expect((await refusal(extract(''))).code).toBe('EMPTY_FILE');
    expect((await refusal(extract('{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard\\par}'))).code).toBe('EMPTY_FILE');
  });
});
