import { strToU8 } from 'fflate';
import { beforeAll, describe, expect, test } from 'vitest';
import { defaultLimits } from '../../src/core/importers/types.ts';
import { decodeXml, openZip, readXml, unzipGuarded } from '../../src/core/importers/zip-guard.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { deflated, deflatedZeros, noise, rawZip, zip } from './office-fixtures.ts';
import type { Compressed } from './office-fixtures.ts';

const limits = { maxUnpackedBytes: defaultLimits.maxUnpackedBytes, maxCompressionRatio: defaultLimits.maxCompressionRatio };

/** The KartotekaError `run` throws (failing the test when it throws nothing or something else). */
function refusal(run: () => unknown): KartotekaError {
  try {
    run();
  } catch (error) {
    if (error instanceof KartotekaError) return error;
    throw error;
  }
  throw new Error('expected a KartotekaError, but nothing was thrown');
}

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

describe('unzipGuarded', () => {
  /** 300 MB of zeros, deflated to about 300 KB: a real zip bomb. */
  let bomb: Compressed;
  beforeAll(() => {
    bomb = deflatedZeros(300 * 1024 * 1024);
  });

  test('unpacks an ordinary zip, Cyrillic names included, and only the entries asked for', () => {
    const bytes = zip({ 'письма/первое.txt': 'Здравствуй, мама!', 'b.txt': 'bee', 'folder/c.xml': '<c/>' });
    expect(text(unzipGuarded(bytes, limits).get('письма/первое.txt'))).toBe('Здравствуй, мама!');
    const some = unzipGuarded(bytes, limits, (name) => name.endsWith('.xml'));
    expect([...some.keys()]).toEqual(['folder/c.xml']);
  });

  test('refuses an honest 300 MB zip bomb from its central directory, before inflating', () => {
    const bytes = rawZip([{ name: 'zeros.bin', body: bomb }]);
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const error = refusal(() => unzipGuarded(bytes, limits));
    expect(error.code).toBe('UNPACKED_TOO_LARGE');
    expect(error.message).toMatch(/256 MB/u);
  });

  test('refuses an entry whose declared compression ratio passes the limit', () => {
    const bytes = rawZip([{ name: 'zeros.bin', body: deflatedZeros(20 * 1024 * 1024) }]);
    const error = refusal(() => unzipGuarded(bytes, limits));
    expect(error.code).toBe('UNPACKED_TOO_LARGE');
    expect(error.message).toMatch(/ratio/u);
  });

  test('stops a bomb that declares 1 KB while inflating, at the limit', () => {
    const bytes = rawZip([{ name: 'small.txt', body: bomb, declaredSize: 1000 }]);
    const error = refusal(() => unzipGuarded(bytes, limits));
    expect(error.code).toBe('UNPACKED_TOO_LARGE');
    expect(error.message).toMatch(/declares 1000 bytes but expands past/u);
  });

  test('refuses an entry that holds fewer bytes than it declares', () => {
    const bytes = rawZip([{ name: 'a.txt', body: deflated('short'), declaredSize: 5000 }]);
    expect(refusal(() => unzipGuarded(bytes, limits)).code).toBe('CORRUPT_FILE');
  });

  test('refuses an entry whose data fails its checksum', () => {
    const body = deflated('Приговор оставлен без изменения.');
    const bytes = rawZip([{ name: 'a.txt', body: { ...body, crc: (body.crc ^ 1) >>> 0 } }]);
    const error = refusal(() => unzipGuarded(bytes, limits));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/checksum/u);
  });

  test.each([
    ['../../.bashrc', 'climbing'],
    ['/etc/passwd', 'absolute'],
    ['C:\\Windows\\evil.dll', 'absolute'],
    ['word\\..\\..\\evil', 'climbing'],
  ])('refuses the unsafe path %s', (name) => {
    const bytes = rawZip([{ name, body: deflated('x') }]);
    const error = refusal(() => unzipGuarded(bytes, limits));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/unsafe path/u);
  });

  test('refuses two entries with the same name', () => {
    const bytes = rawZip([{ name: 'word/document.xml', body: deflated('<a/>') }, { name: 'word/document.xml', body: deflated('<b/>') }]);
    const error = refusal(() => unzipGuarded(bytes, limits));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/two entries named word\/document\.xml/u);
  });

  test('refuses entries that share their data (an overlapping zip bomb)', () => {
    const body = deflated('x'.repeat(10_000));
    const bytes = rawZip([{ name: 'a.txt', body }, { name: 'b.txt', body, sameDataAs: 0 }]);
    const error = refusal(() => unzipGuarded(bytes, limits));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/share their data/u);
  });

  test('refuses bytes that are not a zip, and a zip cut short', () => {
    expect(refusal(() => unzipGuarded(noise(4096), limits)).code).toBe('CORRUPT_FILE');
    const whole = zip({ 'a.txt': 'a'.repeat(5000), 'b.txt': 'b' });
    expect(refusal(() => unzipGuarded(whole.subarray(0, whole.length - 30), limits)).code).toBe('CORRUPT_FILE');
  });

  test('reports a password-protected entry as encrypted', () => {
    const bytes = rawZip([{ name: 'secret.txt', body: deflated('x'), flags: 0x1 }]);
    expect(refusal(() => unzipGuarded(bytes, limits)).code).toBe('ENCRYPTED_FILE');
  });

  test('counts what it inflated against the total limit across reads, whatever the entries declare', () => {
    const bytes = rawZip([
      { name: 'a.txt', body: deflated('a'.repeat(600)) },
      { name: 'b.txt', body: deflated('b'.repeat(600)), declaredSize: 100 },
    ]);
    const small = openZip(bytes, { maxUnpackedBytes: 1000, maxCompressionRatio: 1e9 });
    expect(small.read('a.txt').length).toBe(600);
    expect(refusal(() => small.read('b.txt')).code).toBe('UNPACKED_TOO_LARGE');
  });
});

describe('readXml', () => {
  const options = { maxDepth: 50, part: 'word/document.xml' };

  test('resolves namespaces and decodes entities and character references', () => {
    const events: string[] = [];
    readXml(
      '<?xml version="1.0"?><w:doc xmlns:w="urn:w" xmlns="urn:default"><w:t a="&quot;x&quot;">Суд &amp; &#1087;&#x440;аво</w:t><plain/><![CDATA[<raw>]]></w:doc>',
      {
        open: (name, attributes) => events.push(`<${name}${[...attributes].map(([k, v]) => ` ${k}=${v}`).join('')}>`),
        close: (name) => events.push(`</${name}>`),
        text: (t) => events.push(t),
      },
      options,
    );
    expect(events).toEqual(['<{urn:w}doc>', '<{urn:w}t a="x">', 'Суд & право', '</{urn:w}t>', '<{urn:default}plain>', '</{urn:default}plain>', '<raw>', '</{urn:w}doc>']);
  });

  test('refuses nesting past the limit without overflowing the stack', () => {
    const deep = `${'<a>'.repeat(200_000)}x${'</a>'.repeat(200_000)}`;
    const error = refusal(() => readXml(deep, {}, options));
    expect(error.code).toBe('TOO_DEEPLY_NESTED');
    expect(() => readXml(deep, {}, { ...options, maxDepth: 300_000 })).not.toThrow();
  });

  test('refuses XML that is not well-formed', () => {
    for (const bad of ['<a><b></a>', '<a>', '<a></a><b></b>', 'plain text', '<a x="1></a>']) {
      expect(refusal(() => readXml(bad, {}, options)).code).toBe('CORRUPT_FILE');
    }
  });

  test('never expands entities a DTD defines (no "billion laughs")', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    let seen = '';
    readXml(laughs, { text: (t) => (seen += t) }, options);
    expect(seen).toBe('&lol2;');
  });

  test('decodes a part in the encoding its XML declaration names', () => {
    const cp1251 = Uint8Array.from([...strToU8('<?xml version="1.0" encoding="windows-1251"?><p>'), 0xcf, 0xe8, 0xf1, 0xfc, 0xec, 0xee, ...strToU8('</p>')]);
    let seen = '';
    readXml(decodeXml(cp1251), { text: (t) => (seen += t) }, options);
    expect(seen).toBe('Письмо');
  });
});
