import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BAGIT_TXT,
  bagSize,
  decodeManifestPath,
  directoryBagReader,
  encodeManifestPath,
  formatBagInfo,
  formatManifest,
  parseBagInfo,
  payloadOxum,
  verifyBag,
} from '../../src/core/bundles/bagit.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { tempDir } from '../helpers.ts';

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A bag written by hand in a folder: payload files, then the tag files as RFC 8493 describes them. */
function makeBag(payload: Record<string, string>, tweak: { bagit?: string; bagInfo?: string; skipTagManifest?: boolean; manifest?: (text: string) => string } = {}): string {
  const root = join(tempDir('kartoteka-bag-'), 'bag');
  mkdirSync(join(root, 'data'), { recursive: true });
  let bytes = 0;
  for (const [path, content] of Object.entries(payload)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    bytes += Buffer.byteLength(content);
  }
  const manifest = formatManifest(Object.entries(payload).map(([path, content]) => ({ path, checksum: sha256(content) })));
  const tags: Record<string, string> = {
    'bagit.txt': tweak.bagit ?? BAGIT_TXT,
    'bag-info.txt': tweak.bagInfo ?? formatBagInfo([{ label: 'Payload-Oxum', value: payloadOxum(bytes, Object.keys(payload).length) }]),
    'manifest-sha256.txt': tweak.manifest ? tweak.manifest(manifest) : manifest,
  };
  for (const [name, content] of Object.entries(tags)) writeFileSync(join(root, name), content);
  if (!tweak.skipTagManifest) writeFileSync(join(root, 'tagmanifest-sha256.txt'), formatManifest(Object.entries(tags).map(([path, content]) => ({ path, checksum: sha256(content) }))));
  return root;
}

const problems = (root: string): string[] => verifyBag(directoryBagReader(root)).problems.map((p) => p.kind);

describe('BagIt tag files (RFC 8493)', () => {
  it('declares version 1.0 in exactly two lines of UTF-8', () => {
    expect(BAGIT_TXT).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  });

  it('percent-encodes CR, LF and % in manifest paths, and only those', () => {
    expect(encodeManifestPath('data/100% готово\r\nы.txt')).toBe('data/100%25 готово%0D%0Aы.txt');
    expect(decodeManifestPath('data/100%25 готово%0d%0Aы.txt')).toBe('data/100% готово\r\nы.txt');
    expect(decodeManifestPath('data/%41%2541')).toBe('data/%41%41');
    expect(formatManifest([{ path: 'data/a\nb', checksum: 'ab' }])).toBe('ab data/a%0Ab\n');
  });

  it('writes bag-info elements as "Label: value", continuing long values on indented lines, and reads them back', () => {
    const long = 'Letters from a prison colony in Russian with English translations, and a transcript of a phone call made from the colony in April';
    const text = formatBagInfo([
      { label: 'Source-Organization', value: 'Letters to Miron' },
      { label: 'External-Description', value: long },
    ]);
    expect(text.split('\n').every((line) => line.length <= 79)).toBe(true);
    expect(text.split('\n')[2]).toMatch(/^ \S/u);
    expect(parseBagInfo(text)).toEqual({ lines: [{ label: 'Source-Organization', value: 'Letters to Miron' }, { label: 'External-Description', value: long }], problems: [] });
    expect(parseBagInfo('no colon here\n').problems).toHaveLength(1);
  });

  it('gives Payload-Oxum as octets.files and Bag-Size with a unit', () => {
    expect(payloadOxum(1302390, 64)).toBe('1302390.64');
    expect(bagSize(1302390)).toBe('1.3 MB');
    expect(bagSize(512)).toBe('512 bytes');
  });
});

describe('the bag verifier', () => {
  const payload = { 'data/письмо.txt': 'Здравствуй, мама!', 'data/sub/b.txt': 'bee' };

  it('finds a complete and valid bag valid, and reports every payload file with its SHA-256', () => {
    const check = verifyBag(directoryBagReader(makeBag(payload)));
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.version).toBe('1.0');
    expect(check.payload.map((p) => [p.path, p.sha256])).toEqual([
      ['data/sub/b.txt', sha256('bee')],
      ['data/письмо.txt', sha256('Здравствуй, мама!')],
    ]);
  });

  it('reads file names with CR, LF and % through their percent-encoding', () => {
    expect(problems(makeBag({ 'data/100% new\nline\r.txt': 'x', 'data/plain.txt': 'y' }))).toEqual([]);
  });

  it('refuses a bag without bagit.txt, or with a declaration that is not the two lines', () => {
    const root = makeBag(payload);
    rmSync(join(root, 'bagit.txt'));
    expect(problems(root)).toEqual(['declaration']);
    expect(problems(makeBag(payload, { bagit: 'BagIt-Version: 1.0\n' }))).toContain('declaration');
    expect(problems(makeBag(payload, { bagit: `${BAGIT_TXT}Extra: line\n` }))).toContain('declaration');
    expect(problems(makeBag(payload, { bagit: `\uFEFF${BAGIT_TXT}` }))).toContain('declaration');
    expect(problems(makeBag(payload, { bagit: 'BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n' }))).toContain('declaration');
  });

  it('refuses a bag without a payload folder or without a payload manifest', () => {
    const root = makeBag({});
    rmSync(join(root, 'data'), { recursive: true });
    expect(problems(root)).toContain('payload-directory');
    const unlisted = makeBag(payload);
    rmSync(join(unlisted, 'manifest-sha256.txt'));
    expect(problems(unlisted)).toContain('manifest');
  });

  it('refuses a payload file the manifest does not list, and a listed file that is not there', () => {
    const extra = makeBag(payload);
    writeFileSync(join(extra, 'data', 'smuggled.txt'), 'not listed');
    expect(problems(extra)).toContain('unlisted-file');
    const missing = makeBag(payload);
    rmSync(join(missing, 'data', 'sub', 'b.txt'));
    expect(problems(missing)).toContain('missing-file');
  });

  it('refuses a payload file changed after bagging, and a changed tag file', () => {
    const changed = makeBag(payload);
    writeFileSync(join(changed, 'data', 'письмо.txt'), 'Здравствуй, папа!');
    expect(problems(changed)).toContain('checksum');
    const tag = makeBag(payload);
    writeFileSync(join(tag, 'bag-info.txt'), 'Source-Organization: someone else\n');
    expect(problems(tag)).toContain('checksum');
  });

  it('refuses manifest lines that are not "<checksum> <path>", point outside data/, or climb out', () => {
    expect(problems(makeBag(payload, { manifest: (m) => `${m}not a line\n` }))).toContain('manifest');
    expect(problems(makeBag(payload, { manifest: (m) => `${m}${sha256('x')} data/../bagit.txt\n` }))).toContain('manifest');
    expect(problems(makeBag(payload, { manifest: (m) => `${m}${sha256('x')} bagit.txt\n` }))).toContain('manifest');
    expect(problems(makeBag(payload, { manifest: (m) => `${m}${m.split('\n')[0] ?? ''}\n` }))).toContain('manifest');
  });

  it('refuses a tag manifest that lists a tag manifest', () => {
    const root = makeBag(payload);
    writeFileSync(join(root, 'tagmanifest-sha256.txt'), `${sha256('x')} tagmanifest-sha512.txt\n`, { flag: 'a' });
    expect(problems(root)).toContain('tag-manifest');
  });

  it('checks Payload-Oxum against the payload', () => {
    expect(problems(makeBag(payload, { bagInfo: 'Payload-Oxum: 999.2\n' }))).toEqual(['payload-oxum']);
    expect(problems(makeBag(payload, { bagInfo: 'Payload-Oxum: many\n' }))).toEqual(['payload-oxum']);
    expect(problems(makeBag(payload, { skipTagManifest: true }))).toEqual([]);
  });

  it('refuses files that fetch.txt says are still to be downloaded', () => {
    const root = makeBag(payload);
    writeFileSync(join(root, 'fetch.txt'), 'https://example.org/big.bin 1000 data/big.bin\n');
    expect(problems(root)).toContain('fetch');
  });

  it('refuses a folder bag holding a symbolic link', () => {
    const root = makeBag(payload);
    symlinkSync('/etc/passwd', join(root, 'data', 'link'));
    expect(() => directoryBagReader(root)).toThrow(KartotekaError);
  });
});
