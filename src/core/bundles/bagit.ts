import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BagInfoLine } from '../../shared/bundles.ts';
import { KartotekaError } from '../../shared/errors.ts';

/**
 * BagIt 1.0 (RFC 8493): what a bag's tag files say and how they are written, and a verifier that
 * checks a bag as the RFC defines "complete" (section 3, every file listed is there and every
 * payload file is listed) and "valid" (every checksum of every manifest and tag manifest matches),
 * plus the Payload-Oxum of bag-info.txt. Section numbers below are the RFC's.
 */

/** 2.1.1: exactly these two lines, UTF-8 without a byte order mark. */
export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

/** Algorithms the verifier can check (2.4 names them as manifest-<algorithm>.txt). */
const ALGORITHMS: Record<string, { node: string; hexLength: number }> = {
  md5: { node: 'md5', hexLength: 32 },
  sha1: { node: 'sha1', hexLength: 40 },
  sha256: { node: 'sha256', hexLength: 64 },
  sha512: { node: 'sha512', hexLength: 128 },
};

const MANIFEST = /^manifest-([a-z0-9]+)\.txt$/u;
const TAG_MANIFEST = /^tagmanifest-([a-z0-9]+)\.txt$/u;

/**
 * 2.1.3: in a manifest line's file path, CR, LF and % (and only those) are percent-encoded, so that
 * one line is always one file.
 */
export function encodeManifestPath(path: string): string {
  return path.replace(/[%\r\n]/gu, (c) => (c === '%' ? '%25' : c === '\r' ? '%0D' : '%0A'));
}

export function decodeManifestPath(encoded: string): string {
  return encoded.replace(/%(25|0D|0A)/giu, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** 2.1.3: one line per file, "<checksum> <filepath>", '/' as the separator. */
export function formatManifest(entries: readonly { path: string; checksum: string }[]): string {
  return entries.map((e) => `${e.checksum} ${encodeManifestPath(e.path)}\n`).join('');
}

/**
 * 2.2.2: "Label: value" lines. A value is kept on one line (line breaks in it become spaces);
 * one longer than the recommended 79 characters is continued on lines indented by a space.
 */
export function formatBagInfo(lines: readonly BagInfoLine[]): string {
  return lines
    .map(({ label, value }) => {
      if (/[:\r\n]/u.test(label) || label.trim() !== label || label === '') throw new Error(`bad bag-info label ${JSON.stringify(label)}`);
      const flat = value.replace(/\s*[\r\n]+\s*/gu, ' ').trim();
      const out: string[] = [];
      let line = `${label}: `;
      for (const word of flat.split(' ')) {
        if (line.length + word.length > 79 && line.trim().length > label.length + 1) {
          out.push(line.trimEnd());
          line = ' ';
        }
        line += `${word} `;
      }
      out.push(line.trimEnd());
      return `${out.join('\n')}\n`;
    })
    .join('');
}

/** Reads bag-info.txt; continuation lines (starting with a space or tab) join their element with a space. */
export function parseBagInfo(text: string): { lines: BagInfoLine[]; problems: string[] } {
  const lines: BagInfoLine[] = [];
  const problems: string[] = [];
  text.split(/\r\n|\r|\n/u).forEach((raw, i) => {
    if (raw === '') return;
    const last = lines.at(-1);
    if (/^[ \t]/u.test(raw)) {
      if (last === undefined) problems.push(`bag-info.txt line ${i + 1} continues an element that does not exist.`);
      else last.value = `${last.value} ${raw.trim()}`;
      return;
    }
    const colon = raw.indexOf(':');
    const label = colon > 0 ? raw.slice(0, colon) : '';
    if (label === '' || label.trim() !== label) {
      problems.push(`bag-info.txt line ${i + 1} is not "Label: value".`);
      return;
    }
    lines.push({ label, value: raw.slice(colon + 1).replace(/^[ \t]/u, '') });
  });
  return { lines, problems };
}

/** 2.2.2: Payload-Oxum, "OctetCount.StreamCount" of the payload. */
export const payloadOxum = (bytes: number, files: number): string => `${bytes}.${files}`;

/** 2.2.2: Bag-Size, a size with its unit ("260 GB"), for people. */
export function bagSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** A bag's files, wherever they are (a folder, a zip); paths relative to the bag's base directory. */
export interface BagReader {
  /** Every file (not folder), '/'-separated, in any order. */
  files(): readonly string[];
  /** Whether the folder exists (a zip may hold an empty data/ as a folder entry only). */
  hasDirectory(path: string): boolean;
  size(path: string): number;
  read(path: string): Uint8Array;
}

export interface BagProblem {
  kind:
    | 'declaration'
    | 'payload-directory'
    | 'manifest'
    | 'tag-manifest'
    | 'missing-file'
    | 'unlisted-file'
    | 'checksum'
    | 'bag-info'
    | 'payload-oxum'
    | 'fetch';
  path: string | null;
  message: string;
}

export interface BagCheck {
  /** Complete and valid, with a Payload-Oxum (if any) that matches. */
  ok: boolean;
  problems: BagProblem[];
  version: string | null;
  bagInfo: BagInfoLine[];
  /** Every payload file with its size and SHA-256 (computed, not read from a manifest). */
  payload: { path: string; size: number; sha256: string }[];
  payloadBytes: number;
  /** Algorithms of the payload manifests. */
  algorithms: string[];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeTagFile(bytes: Uint8Array, path: string, problems: BagProblem[], kind: BagProblem['kind']): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    problems.push({ kind, path, message: `${path} is not UTF-8, the encoding bagit.txt declares.` });
    return null;
  }
}

/** A manifest's lines: file path → checksum (lower case), with problems of form. */
function parseManifest(text: string, name: string, hexLength: number, problems: BagProblem[], kind: 'manifest' | 'tag-manifest'): Map<string, string> {
  const entries = new Map<string, string>();
  text.split(/\r\n|\r|\n/u).forEach((line, i) => {
    if (line === '') return;
    const match = /^([0-9a-fA-F]+)[ \t]+(.+)$/u.exec(line);
    if (!match?.[1] || !match[2]) {
      problems.push({ kind, path: name, message: `${name} line ${i + 1} is not "<checksum> <filepath>".` });
      return;
    }
    const path = decodeManifestPath(match[2]);
    if (match[1].length !== hexLength) {
      problems.push({ kind, path: name, message: `${name} line ${i + 1}: a checksum of this algorithm has ${hexLength} hex digits.` });
      return;
    }
    if (path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.' || s === '')) {
      problems.push({ kind, path: name, message: `${name} line ${i + 1} names ${JSON.stringify(path)}, which is not a relative path inside the bag.` });
      return;
    }
    if (entries.has(path)) {
      problems.push({ kind, path: name, message: `${name} lists ${path} twice.` });
      return;
    }
    entries.set(path, match[1].toLowerCase());
  });
  return entries;
}

/**
 * Checks a bag. Reads every file listed in a manifest once and hashes it with every algorithm
 * that lists it; `onFile` is told after each file (for progress).
 */
export function verifyBag(reader: BagReader, onFile?: (done: number, total: number) => void): BagCheck {
  const problems: BagProblem[] = [];
  const files = new Set(reader.files());
  const check: BagCheck = { ok: false, problems, version: null, bagInfo: [], payload: [], payloadBytes: 0, algorithms: [] };

  // 2.1.1 The bag declaration.
  if (!files.has('bagit.txt')) {
    problems.push({ kind: 'declaration', path: 'bagit.txt', message: 'There is no bagit.txt: this is not a BagIt bag.' });
    return check;
  }
  const declarationBytes = reader.read('bagit.txt');
  if (declarationBytes[0] === 0xef && declarationBytes[1] === 0xbb && declarationBytes[2] === 0xbf) {
    problems.push({ kind: 'declaration', path: 'bagit.txt', message: 'bagit.txt starts with a byte order mark, which RFC 8493 forbids.' });
  }
  const declaration = decodeTagFile(declarationBytes, 'bagit.txt', problems, 'declaration') ?? '';
  const declared = declaration.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
  if (declared.at(-1) === '') declared.pop();
  const version = /^BagIt-Version: (\d+\.\d+)$/u.exec(declared[0] ?? '')?.[1] ?? null;
  check.version = version;
  if (declared.length !== 2 || version === null || !/^Tag-File-Character-Encoding: \S+$/u.test(declared[1] ?? '')) {
    problems.push({ kind: 'declaration', path: 'bagit.txt', message: 'bagit.txt must be exactly two lines, "BagIt-Version: M.N" and "Tag-File-Character-Encoding: ENCODING".' });
  } else {
    // 0.97 bags differ from 1.0 only in details this verifier does not depend on.
    if (version !== '1.0' && version !== '0.97') problems.push({ kind: 'declaration', path: 'bagit.txt', message: `BagIt-Version ${version} is not one this verifier knows (1.0, 0.97).` });
    if (declared[1] !== 'Tag-File-Character-Encoding: UTF-8') {
      problems.push({ kind: 'declaration', path: 'bagit.txt', message: `Tag files in ${declared[1]?.slice(29)} are not read here; only UTF-8.` });
    }
  }
  if (problems.length > 0) return check;

  // 2.1.2 The payload directory.
  if (!reader.hasDirectory('data')) problems.push({ kind: 'payload-directory', path: 'data/', message: 'The bag has no data/ folder.' });
  const payloadFiles = [...files].filter((f) => f.startsWith('data/'));

  // 2.1.3 Payload manifests, 2.2.1 tag manifests.
  const manifests: { name: string; algorithm: string; entries: Map<string, string> }[] = [];
  const tagManifests: { name: string; algorithm: string; entries: Map<string, string> }[] = [];
  for (const name of [...files].sort()) {
    const payloadMatch = MANIFEST.exec(name);
    const tagMatch = TAG_MANIFEST.exec(name);
    const algorithm = payloadMatch?.[1] ?? tagMatch?.[1];
    if (algorithm === undefined) continue;
    const kind = payloadMatch ? 'manifest' : 'tag-manifest';
    const known = ALGORITHMS[algorithm];
    if (!known) {
      problems.push({ kind, path: name, message: `${name} uses ${algorithm}, which this verifier cannot check.` });
      continue;
    }
    const text = decodeTagFile(reader.read(name), name, problems, kind);
    if (text === null) continue;
    const entries = parseManifest(text, name, known.hexLength, problems, kind);
    (payloadMatch ? manifests : tagManifests).push({ name, algorithm, entries });
  }
  check.algorithms = manifests.map((m) => m.algorithm);
  if (manifests.length === 0) problems.push({ kind: 'manifest', path: null, message: 'The bag has no payload manifest (manifest-<algorithm>.txt) this verifier can check.' });

  for (const manifest of manifests) {
    for (const path of manifest.entries.keys()) {
      if (!path.startsWith('data/')) problems.push({ kind: 'manifest', path, message: `${manifest.name} lists ${path}, which is outside the payload (data/).` });
      else if (!files.has(path)) problems.push({ kind: 'missing-file', path, message: `${manifest.name} lists ${path}, which is not in the bag.` });
    }
    for (const path of payloadFiles) {
      if (!manifest.entries.has(path)) problems.push({ kind: 'unlisted-file', path, message: `${path} is in the payload but not in ${manifest.name}.` });
    }
  }
  for (const manifest of tagManifests) {
    for (const path of manifest.entries.keys()) {
      if (path.startsWith('data/')) problems.push({ kind: 'tag-manifest', path, message: `${manifest.name} lists ${path}, a payload file.` });
      else if (TAG_MANIFEST.test(path)) problems.push({ kind: 'tag-manifest', path, message: `${manifest.name} lists the tag manifest ${path}, which it must not.` });
      else if (!files.has(path)) problems.push({ kind: 'missing-file', path, message: `${manifest.name} lists ${path}, which is not in the bag.` });
    }
  }

  // 2.2.3 fetch.txt: files to download before the bag is complete. We never download anything.
  if (files.has('fetch.txt')) {
    const text = decodeTagFile(reader.read('fetch.txt'), 'fetch.txt', problems, 'fetch') ?? '';
    for (const line of text.split(/\r\n|\r|\n/u)) {
      const path = /^\S+[ \t]+(?:\d+|-)[ \t]+(.+)$/u.exec(line)?.[1];
      if (path !== undefined && !files.has(decodeManifestPath(path))) {
        problems.push({ kind: 'fetch', path: decodeManifestPath(path), message: `fetch.txt names ${decodeManifestPath(path)} to be downloaded; it is not in the bag.` });
      }
    }
  }

  // 2.2.2 bag-info.txt.
  if (files.has('bag-info.txt')) {
    const text = decodeTagFile(reader.read('bag-info.txt'), 'bag-info.txt', problems, 'bag-info');
    if (text !== null) {
      const parsed = parseBagInfo(text);
      check.bagInfo = parsed.lines;
      for (const message of parsed.problems) problems.push({ kind: 'bag-info', path: 'bag-info.txt', message });
    }
  }

  // 3: every checksum. Each file is read once, whatever number of manifests list it.
  const wanted = new Map<string, { algorithm: string; expected: string; manifest: string }[]>();
  for (const manifest of [...manifests, ...tagManifests]) {
    for (const [path, expected] of manifest.entries) {
      if (!files.has(path) || (manifest.name.startsWith('tag') ? path.startsWith('data/') : !path.startsWith('data/'))) continue;
      wanted.set(path, [...(wanted.get(path) ?? []), { algorithm: manifest.algorithm, expected, manifest: manifest.name }]);
    }
  }
  for (const path of payloadFiles) if (!wanted.has(path)) wanted.set(path, []);
  let done = 0;
  const sizes = new Map<string, number>();
  for (const [path, checks] of wanted) {
    const bytes = reader.read(path);
    sizes.set(path, bytes.length);
    const algorithms = new Set([...checks.map((c) => c.algorithm), ...(path.startsWith('data/') ? ['sha256'] : [])]);
    const digests = new Map([...algorithms].map((a) => [a, createHash(ALGORITHMS[a]?.node ?? a).update(bytes).digest('hex')]));
    for (const c of checks) {
      if (digests.get(c.algorithm) !== c.expected) {
        problems.push({ kind: 'checksum', path, message: `${path} does not match its ${c.algorithm} checksum in ${c.manifest}: it was changed or damaged.` });
      }
    }
    if (path.startsWith('data/')) check.payload.push({ path, size: bytes.length, sha256: digests.get('sha256') ?? '' });
    onFile?.(++done, wanted.size);
  }
  check.payload.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  check.payloadBytes = check.payload.reduce((sum, p) => sum + p.size, 0);

  // 2.2.2 Payload-Oxum: the payload's octets and files, as the bagger counted them.
  const oxums = check.bagInfo.filter((l) => l.label.toLowerCase() === 'payload-oxum');
  if (oxums.length > 1) problems.push({ kind: 'payload-oxum', path: 'bag-info.txt', message: 'bag-info.txt gives Payload-Oxum more than once.' });
  for (const { value } of oxums) {
    const match = /^(\d+)\.(\d+)$/u.exec(value.trim());
    if (!match) problems.push({ kind: 'payload-oxum', path: 'bag-info.txt', message: `Payload-Oxum "${value}" is not "octets.files".` });
    else if (Number(match[1]) !== check.payloadBytes || Number(match[2]) !== payloadFiles.length) {
      problems.push({
        kind: 'payload-oxum',
        path: 'bag-info.txt',
        message: `Payload-Oxum says ${match[1]} bytes in ${match[2]} files; the payload has ${check.payloadBytes} bytes in ${payloadFiles.length} files.`,
      });
    }
  }

  check.ok = problems.length === 0;
  return check;
}

/** A bag unpacked into a folder. Symbolic links are refused: a bag's files are files. */
export function directoryBagReader(root: string): BagReader {
  const files: string[] = [];
  const dirs = new Set<string>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isSymbolicLink()) throw new KartotekaError('BUNDLE_UNSAFE', `${path} is a symbolic link; a bag holds only files.`, { reason: 'symlink' });
      if (entry.isDirectory()) {
        dirs.add(path);
        walk(path);
      } else if (entry.isFile()) files.push(path);
    }
  };
  walk('');
  return {
    files: () => files,
    hasDirectory: (path) => dirs.has(path),
    size: (path) => lstatSync(join(root, path)).size,
    read: (path) => readFileSync(join(root, path)),
  };
}
