import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { KartotekaError } from '../../src/shared/errors.ts';
import { decodeBytes } from '../../src/core/text/encoding.ts';
import { fixture, sampleSourceDir } from '../helpers.ts';

// Short letters, the size of a note passed out of a colony: detection must not need pages.
const russian = 'Дорогая мама!\nПолучил твоё письмо и бандероль, спасибо. Носки уже на мне.\nЦелую, твой Мирон.';
const ukrainian = 'Мене звати Оксана.\nЯ пишу цю заяву українською, бо це моя мова, і Мирон завжди казав, що хоче її почути.\nЄдність, ґанок, їжак.';
const ukrainianShort = 'Привіт, мамо! Усе добре, їжі вистачає.';
const french = 'Le café est une boisson très populaire en France. À bientôt, Noël approche.';
const german = 'Grüße aus München! Die Straße ist schön, der Fluß ist groß.';
const polish = 'Zażółć gęślą jaźń. Łódź to piękne miasto, źdźbło trawy.';
const czech = 'Příliš žluťoučký kůň úpěl ďábelské ódy.';
const capitals = 'ПРИГОВОР\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ';

const encode = (text: string, encoding: string): Uint8Array => new Uint8Array(iconv.encode(text, encoding));
const sample = (path: string): string => readFileSync(join(sampleSourceDir, path), 'utf8');

function expectError(run: () => unknown, code: string): KartotekaError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KartotekaError);
    expect((error as KartotekaError).code).toBe(code);
    return error as KartotekaError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('decodeBytes: each encoding, without being told', () => {
  it.each([
    ['a Russian letter in UTF-8', russian, 'utf-8', 'utf-8'],
    ['a Russian letter in Windows-1251', russian, 'windows-1251', 'windows-1251'],
    ['a Ukrainian letter in Windows-1251', ukrainian, 'windows-1251', 'windows-1251'],
    ['a one-line Ukrainian note in Windows-1251', ukrainianShort, 'windows-1251', 'windows-1251'],
    ['a Russian letter in KOI8-R', russian.replace('ё', 'е'), 'koi8-r', 'koi8-r'],
    ['a Ukrainian letter in KOI8-U (і ї є ґ at the KOI8-U places)', ukrainian, 'koi8-u', 'koi8-u'],
    ['a one-line Ukrainian note in KOI8-U', ukrainianShort, 'koi8-u', 'koi8-u'],
    ['a Russian letter in CP866 (DOS)', russian, 'cp866', 'ibm866'],
    ['a Russian letter in ISO-8859-5', russian, 'iso-8859-5', 'iso-8859-5'],
    ['an all-capitals Russian heading in Windows-1251', capitals, 'windows-1251', 'windows-1251'],
    ['an all-capitals Russian heading in KOI8-R', capitals, 'koi8-r', 'koi8-r'],
    ['a one-line all-capitals slogan in KOI8-R', 'СВОБОДУ ПОЛИТЗАКЛЮЧЁННЫМ', 'koi8-r', 'koi8-r'],
    ['a one-word all-capitals heading in CP866', 'ЗАЯВЛЕНИЕ', 'cp866', 'ibm866'],
    ['a three-letter capital word in CP866 (read as Windows-1252 it would be quotes run together)', 'СУД', 'cp866', 'ibm866'],
    ['French in Windows-1252', french, 'windows-1252', 'windows-1252'],
    ['German in ISO-8859-1 (which WHATWG reads as Windows-1252)', german, 'iso-8859-1', 'windows-1252'],
    ['French with € and œ in ISO-8859-15', 'Le prix est de 10 € pour l\'œuvre entière.', 'iso-8859-15', 'iso-8859-15'],
    ['Polish in ISO-8859-2', polish, 'iso-8859-2', 'iso-8859-2'],
    ['Polish in Windows-1250', polish, 'windows-1250', 'windows-1250'],
    ['Czech in Windows-1250', czech, 'windows-1250', 'windows-1250'],
    ['Czech in ISO-8859-2', czech, 'iso-8859-2', 'iso-8859-2'],
    ['Turkish in Windows-1254', 'Türkçe güzel bir dildir. Şimdi Iğdır çok güzel, kışın soğuk.', 'windows-1254', 'windows-1254'],
    ['Greek in Windows-1253 (via jschardet)', 'Η ελληνική γλώσσα είναι μία από τις αρχαιότερες γλώσσες του κόσμου.', 'windows-1253', 'iso-8859-7'],
    ['Chinese in GBK (via jschardet)', '这是一个中文文本，用于测试编码检测。我们希望它能被正确识别为简体中文。', 'gbk', 'gb18030'],
    ['Japanese in Shift_JIS (via jschardet)', 'これは日本語のテキストです。文字コードの検出をテストしています。', 'shift_jis', 'shift_jis'],
  ])('%s', (_case, text, encoding, expected) => {
    const decoded = decodeBytes(encode(text, encoding));
    expect(decoded.text).toBe(text);
    expect(decoded.encoding).toMatchObject({ name: expected, bom: false, source: 'detected' });
  });

  it('names KOI8-U text without Ukrainian letters KOI8-R: both read it the same', () => {
    const text = 'Дякую за листа. Усе добре, мамо.';
    const decoded = decodeBytes(encode(text, 'koi8-u'));
    expect(decoded.text).toBe(text);
    expect(decoded.encoding.name).toBe('koi8-r');
  });

  it.each([
    ['letters/2024-08-19-solovyov-to-wife.ru.txt', 'windows-1251', 'windows-1251'],
    ['letters/2024-11-27-solovyov-to-mother.ru.txt', 'koi8-r', 'koi8-r'],
    ['transcripts/2025-04-12-solovyov-call-birthday.ru.txt', 'cp866', 'ibm866'],
    ['court/2024-01-23-verdict-solovyov.ru.md', 'iso-8859-5', 'iso-8859-5'],
    ['petitions/2025-05-20-free-miron-solovyov.uk.md', 'koi8-u', 'koi8-u'],
    ['petitions/2025-05-20-free-miron-solovyov.de.md', 'windows-1252', 'windows-1252'],
  ])('reads the sample document %s written in %s', (path, encoding, expected) => {
    // Characters the old encoding lacks (— « » ’ №) become what an old editor would have written.
    const text = iconv.decode(iconv.encode(sample(path), encoding), encoding);
    const decoded = decodeBytes(encode(text, encoding));
    expect(decoded.text).toBe(text);
    expect(decoded.encoding.name).toBe(expected);
    expect(decoded.encoding.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('reads UTF-8 with a byte-order mark, and drops the mark', () => {
    const decoded = decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...encode(russian, 'utf-8')]));
    expect(decoded.text).toBe(russian);
    expect(decoded.encoding).toEqual({ name: 'utf-8', confidence: 1, bom: true, source: 'bom' });
  });

  it.each(['utf-16le', 'utf-16be'])('reads %s with a byte-order mark', (encoding) => {
    const decoded = decodeBytes(encode(`\ufeff${ukrainian}`, encoding));
    expect(decoded.text).toBe(ukrainian);
    expect(decoded.encoding).toEqual({ name: encoding, confidence: 1, bom: true, source: 'bom' });
  });

  it.each([
    ['utf-16le', russian],
    ['utf-16be', 'Free Miron Solovyov — a teacher convicted for his words.'],
  ])('reads %s without a byte-order mark by its NUL bytes', (encoding, text) => {
    const decoded = decodeBytes(encode(text, encoding));
    expect(decoded.text).toBe(text);
    expect(decoded.encoding).toMatchObject({ name: encoding, bom: false, source: 'detected' });
  });

  it('reads Chinese UTF-16 without a byte-order mark, which has no NUL bytes', () => {
    const text = '这是一个繁体中文文本，用于测试编码检测。我们希望它能被正确识别。';
    const decoded = decodeBytes(encode(text, 'utf-16le'));
    expect(decoded.text).toBe(text);
    expect(decoded.encoding.name).toBe('utf-16le');
  });

  it('reads the fixtures: the cp1251 letter and the UTF-16 file without BOM', () => {
    expect(decodeBytes(readFileSync(fixture('letter-cp1251.txt')))).toMatchObject({ encoding: { name: 'windows-1251' } });
    expect(decodeBytes(readFileSync(fixture('letter-cp1251.txt'))).text).toContain('Дорогая Аня, пишу тебе');
    expect(decodeBytes(readFileSync(fixture('binary-utf16-nobom.txt')))).toMatchObject({
      text: expect.stringContaining('No byte order mark here') as unknown,
      encoding: { name: 'utf-16le', bom: false },
    });
  });

  it('calls plain ASCII UTF-8 with full confidence', () => {
    expect(decodeBytes(encode('Case No. 1-17/2024, page 3.', 'ascii')).encoding).toEqual({ name: 'utf-8', confidence: 1, bom: false, source: 'detected' });
  });

  it('finds the encoding of a large file whose first 64 KB are ASCII', () => {
    const text = `${'Case file, English header line.\n'.repeat(3000)}${russian}`;
    const decoded = decodeBytes(encode(text, 'windows-1251'));
    expect(decoded.encoding.name).toBe('windows-1251');
    expect(decoded.text.endsWith(russian)).toBe(true);
  });

  it('still calls a UTF-8 file cut off inside its last character UTF-8', () => {
    const text = 'Целую, твой Мирон';
    const bytes = encode(text, 'utf-8');
    const decoded = decodeBytes(bytes.subarray(0, bytes.length - 1)); // "н" is two bytes: half of it is left
    expect(decoded.encoding.name).toBe('utf-8');
    expect(decoded.text).toBe('Целую, твой Миро\ufffd');
  });
});

describe('decodeBytes: the text that comes out', () => {
  it('turns CRLF and lone CR line ends into LF', () => {
    expect(decodeBytes(encode('one\r\ntwo\rthree\n', 'windows-1251')).text).toBe('one\ntwo\nthree\n');
  });

  it('composes characters to NFC', () => {
    const decoded = decodeBytes(encode('Cafe\u0301, и\u0306', 'utf-8'));
    expect(decoded.text).toBe('Caf\u00e9, \u0439');
  });

  it('drops the NUL padding some editors leave at the end', () => {
    const bytes = new Uint8Array([...encode(russian, 'windows-1251'), 0, 0, 0, 0]);
    expect(decodeBytes(bytes).text).toBe(russian);
  });
});

describe('decodeBytes: declared and chosen encodings', () => {
  it('uses a plausible declared encoding (an HTML meta charset)', () => {
    const decoded = decodeBytes(encode('Le prix: 10 euros, très bien.', 'iso-8859-15'), { declared: 'ISO-8859-15' });
    expect(decoded.encoding).toMatchObject({ name: 'iso-8859-15', source: 'declared' });
  });

  it('uses a declared Cyrillic encoding that detection agrees with, with high confidence', () => {
    const decoded = decodeBytes(encode(russian, 'koi8-r'), { declared: 'koi8-r' });
    expect(decoded.encoding).toMatchObject({ name: 'koi8-r', source: 'declared' });
    expect(decoded.encoding.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('overrules a declared single-byte encoding when the bytes are valid UTF-8 (a re-saved page)', () => {
    const decoded = decodeBytes(encode(russian, 'utf-8'), { declared: 'windows-1251' });
    expect(decoded.text).toBe(russian);
    expect(decoded.encoding).toMatchObject({ name: 'utf-8', source: 'detected' });
  });

  it('overrules a declared UTF-8 when the bytes are not UTF-8', () => {
    const decoded = decodeBytes(encode(russian, 'windows-1251'), { declared: 'utf-8' });
    expect(decoded.text).toBe(russian);
    expect(decoded.encoding).toMatchObject({ name: 'windows-1251', source: 'detected' });
  });

  it('overrules a declared encoding that turns the text into garbage', () => {
    const decoded = decodeBytes(encode(russian, 'windows-1251'), { declared: 'koi8-r' });
    expect(decoded.text).toBe(russian);
    expect(decoded.encoding).toMatchObject({ name: 'windows-1251', source: 'detected' });
  });

  it('ignores a declared label nobody knows', () => {
    expect(decodeBytes(encode(russian, 'windows-1251'), { declared: 'x-klingon' }).encoding).toMatchObject({ name: 'windows-1251', source: 'detected' });
  });

  it('lets a byte-order mark win over a declared encoding', () => {
    const decoded = decodeBytes(encode(`\ufeff${russian}`, 'utf-16le'), { declared: 'windows-1251' });
    expect(decoded.text).toBe(russian);
    expect(decoded.encoding.source).toBe('bom');
  });

  it('always follows the user’s override, even a wrong one', () => {
    const decoded = decodeBytes(encode('Привет', 'windows-1251'), { override: 'koi8-r' });
    expect(decoded.text).toBe('оПХБЕР');
    expect(decoded.encoding).toEqual({ name: 'koi8-r', confidence: 1, bom: false, source: 'override' });
  });

  it('accepts any label TextDecoder knows as an override (cp866 is ibm866)', () => {
    const decoded = decodeBytes(encode(russian, 'cp866'), { override: 'cp866' });
    expect(decoded.text).toBe(russian);
    expect(decoded.encoding.name).toBe('ibm866');
  });

  it('refuses an override it cannot read with UNSUPPORTED_ENCODING and names the label', () => {
    const error = expectError(() => decodeBytes(encode(russian, 'windows-1251'), { override: 'klingon-8' }), 'UNSUPPORTED_ENCODING');
    expect(error.message).toContain('klingon-8');
  });
});

describe('decodeBytes: what is not text', () => {
  it('refuses a PNG renamed .txt with BINARY_FILE, saying what it is', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...randomBytes(300)]);
    const error = expectError(() => decodeBytes(png), 'BINARY_FILE');
    expect(error.message).toContain('PNG image');
  });

  it('refuses random bytes with BINARY_FILE', () => {
    expectError(() => decodeBytes(new Uint8Array(randomBytes(4096))), 'BINARY_FILE');
  });

  it('refuses compressed data with no known signature with BINARY_FILE', () => {
    expectError(() => decodeBytes(new Uint8Array(deflateSync(Buffer.from(russian.repeat(40))))), 'BINARY_FILE');
  });

  it('refuses text with NUL bytes that are not UTF-16 with BINARY_FILE', () => {
    const bytes = new Uint8Array([...encode('Some text ', 'ascii'), 0, 1, 2, 0, 0, 3, 0, 4, ...encode(' and more', 'ascii')]);
    expectError(() => decodeBytes(bytes), 'BINARY_FILE');
  });

  it('refuses UTF-32 with UNSUPPORTED_ENCODING rather than calling it binary', () => {
    expectError(() => decodeBytes(new Uint8Array([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0, 0x42, 0, 0, 0])), 'UNSUPPORTED_ENCODING');
  });

  it('gives empty text for an empty file (the importer decides what empty means)', () => {
    expect(decodeBytes(new Uint8Array())).toMatchObject({ text: '', encoding: { name: 'utf-8' } });
  });

  it('reads broken UTF-16 after a byte-order mark with replacement characters and less confidence', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8, 0x42, 0x00]); // A, a lone high surrogate, B
    const decoded = decodeBytes(bytes);
    expect(decoded.text).toBe('A\ufffdB');
    expect(decoded.encoding.confidence).toBeLessThan(1);
  });
});

describe('decodeBytes: mojibake', () => {
  const damaged = iconv.decode(Buffer.from(russian, 'utf8'), 'windows-1251');

  it('repairs a file that was already damaged (UTF-8 read as cp1251, saved as UTF-8) and says so', () => {
    const decoded = decodeBytes(encode(damaged, 'utf-8'));
    expect(decoded.text).toBe(russian);
    expect(decoded.repair?.steps).toEqual(['utf-8 read as windows-1251']);
  });

  it('leaves the damage when repairMojibake is false (the user reverted the repair)', () => {
    const decoded = decodeBytes(encode(damaged, 'utf-8'), { repairMojibake: false });
    expect(decoded.text).toBe(damaged);
    expect(decoded.repair).toBeUndefined();
  });

  it('reports no repair for a file that is fine', () => {
    expect(decodeBytes(encode(russian, 'windows-1251')).repair).toBeUndefined();
  });
});
