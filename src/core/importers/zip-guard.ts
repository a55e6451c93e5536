import iconv from 'iconv-lite';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { KartotekaError } from '../../shared/errors.ts';
import type { ImportLimits } from './types.ts';

/**
 * Safe reading of zip containers (DOCX, ODT, bundles) and of the XML parts inside them.
 *
 * We read the central directory ourselves rather than trusting a library's unzip: every entry is
 * checked (path, duplicates, overlap, declared sizes and ratio) before a byte is inflated, and
 * inflating is capped again because declared sizes can lie. node:zlib does the inflating: it is
 * native, and its maxOutputLength stops a bomb within one 16 KB chunk of the cap.
 *
 * Every refusal carries details.reason (below), so callers such as the bundle reader can tell a
 * hostile zip from a damaged one without reading messages.
 */

export type ZipLimits = Pick<ImportLimits, 'maxUnpackedBytes' | 'maxCompressionRatio'>;

/** Why a zip was refused: KartotekaError.details.reason. */
export type ZipRefusal =
  | 'not-a-zip'
  | 'truncated'
  | 'unsafe-path'
  | 'duplicate-entry'
  | 'overlapping-entries'
  | 'size-mismatch'
  | 'checksum'
  | 'total-too-large'
  | 'ratio-too-high'
  | 'expands-past-limit'
  | 'encrypted'
  | 'unsupported-method'
  | 'missing-entry';

export interface ZipEntry {
  /** The path inside the zip, '/'-separated, NFC. Folders end with '/'. */
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** As declared; reading checks it. */
  size: number;
  crc32: number;
  encrypted: boolean;
  directory: boolean;
  /** Written on Unix with a symbolic link's file type: unpacked, it would point anywhere. */
  symlink: boolean;
  /** Where the entry's data starts in the zip. */
  dataOffset: number;
}

/**
 * Entries smaller than this are not held to the ratio limit: a few KB of repeated spaces
 * compress a thousandfold and harm nobody.
 */
const RATIO_EXEMPT_BYTES = 1024 * 1024;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_END64_LOCATOR = 0x07064b50;

const refusal = (code: 'CORRUPT_FILE' | 'UNPACKED_TOO_LARGE' | 'ENCRYPTED_FILE' | 'UNSUPPORTED_FORMAT', reason: ZipRefusal, message: string): KartotekaError =>
  new KartotekaError(code, message, { reason });
const corrupt = (message: string, reason: ZipRefusal = 'truncated'): KartotekaError => refusal('CORRUPT_FILE', reason, message);

/** Whether the bytes start like a zip file (a local file header, or an empty zip's end record). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** Where a zip's bytes come from: memory, or a file read piece by piece (a bundle can be gigabytes). */
interface ZipSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

const memorySource = (bytes: Uint8Array): ZipSource => ({
  size: bytes.length,
  read: (offset, length) => bytes.subarray(offset, offset + length),
});

const viewOf = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export interface GuardedZip {
  /** Every entry, in central-directory order. */
  readonly entries: readonly ZipEntry[];
  /** The entry of that name (folders included), if any. */
  entry(name: string): ZipEntry | undefined;
  /**
   * Inflates one entry; throws UNPACKED_TOO_LARGE when it, or everything read from this zip so
   * far, passes the limits, and CORRUPT_FILE when its size or checksum is not what it declares.
   */
  read(name: string): Uint8Array;
  /** Bytes inflated so far. */
  readonly unpackedBytes: number;
}

/**
 * Reads and checks the central directory before anything is inflated: CORRUPT_FILE for bytes
 * that are not a zip, paths that climb out ('..') or are absolute, duplicate names, and entries
 * whose data overlap (the trick of "overlapping" zip bombs); UNPACKED_TOO_LARGE when the declared
 * sizes add up past the limit or one entry declares a ratio past it, even an entry nobody will
 * read: a file built like that is hostile. ENCRYPTED_FILE is left to read(), so a zip whose
 * wanted parts are plain still opens.
 */
export function openZip(bytes: Uint8Array, limits: ZipLimits): GuardedZip {
  const source = memorySource(bytes);
  const entries = readCentralDirectory(source);
  const byName = new Map(entries.map((e) => [e.name, e]));
  checkDeclaredTotal(entries, limits);
  let unpacked = 0;

  return {
    entries,
    entry: (name) => byName.get(name),
    get unpackedBytes() {
      return unpacked;
    },
    read(name) {
      const entry = byName.get(name);
      if (entry === undefined) throw corrupt(`The zip holds no entry named ${name}.`, 'missing-entry');
      checkDeclared(entry, limits, unpacked);
      const data = inflateEntry(source, entry, limits, unpacked, false);
      unpacked += data.length;
      return data;
    },
  };
}

export interface GuardedZipFile {
  readonly entries: readonly ZipEntry[];
  entry(name: string): ZipEntry | undefined;
  /**
   * Inflates one entry, checked as openZip's read() checks it, and stopped as soon as it passes
   * its own declared size: a file read this way may be read more than once (checked first, stored
   * later), so each read is held to what the entry declares, and the declared sizes to the limit.
   */
  read(name: string): Uint8Array;
  close(): void;
}

/**
 * A zip on disk, read piece by piece: only the central directory and the entry being read are in
 * memory. The same checks as openZip, before anything is inflated.
 */
export function openZipFile(path: string, limits: ZipLimits): GuardedZipFile {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const source: ZipSource = {
      size,
      read(offset, length) {
        const out = Buffer.allocUnsafe(length);
        let got = 0;
        while (got < length) {
          const n = readSync(fd, out, got, length - got, offset + got);
          if (n === 0) throw corrupt('The zip ends before its data does: it is truncated.');
          got += n;
        }
        return out;
      },
    };
    const entries = readCentralDirectory(source);
    checkDeclaredTotal(entries, limits);
    const byName = new Map(entries.map((e) => [e.name, e]));
    let open = true;
    return {
      entries,
      entry: (name) => byName.get(name),
      read(name) {
        if (!open) throw new Error('read() after close()');
        const entry = byName.get(name);
        if (entry === undefined) throw corrupt(`The zip holds no entry named ${name}.`, 'missing-entry');
        checkDeclared(entry, limits, 0);
        return inflateEntry(source, entry, limits, 0, true);
      },
      close() {
        if (open) closeSync(fd);
        open = false;
      },
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** The entries `wanted` picks (all files when omitted), inflated, by name; see openZip for the checks. */
export function unzipGuarded(bytes: Uint8Array, limits: ZipLimits, wanted?: (name: string) => boolean): Map<string, Uint8Array> {
  const zip = openZip(bytes, limits);
  const chosen = zip.entries.filter((e) => !e.directory && (wanted === undefined || wanted(e.name)));
  const files = new Map<string, Uint8Array>();
  for (const entry of chosen) files.set(entry.name, zip.read(entry.name));
  return files;
}

function tooLarge(reason: ZipRefusal, message: string): KartotekaError {
  return refusal('UNPACKED_TOO_LARGE', reason, `${message} This is how "zip bombs" exhaust memory; the file was not unpacked.`);
}

function mb(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round(n / (1024 * 1024))} MB`;
  return n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

function checkDeclaredTotal(entries: readonly ZipEntry[], limits: ZipLimits): void {
  let declared = 0;
  for (const entry of entries) {
    checkSizes(entry, limits, declared);
    declared += entry.size;
  }
}

function checkDeclared(entry: ZipEntry, limits: ZipLimits, alreadyUnpacked: number): void {
  if (entry.encrypted) {
    throw refusal('ENCRYPTED_FILE', 'encrypted', `The zip entry ${entry.name} is password-protected; remove the password and import the file again.`);
  }
  checkSizes(entry, limits, alreadyUnpacked);
}

function checkSizes(entry: ZipEntry, limits: ZipLimits, alreadyUnpacked: number): void {
  if (alreadyUnpacked + entry.size > limits.maxUnpackedBytes) {
    throw tooLarge('total-too-large', `Unpacked, this file would take more than ${mb(limits.maxUnpackedBytes)} (the limit); ${entry.name} alone declares ${mb(entry.size)}.`);
  }
  if (entry.size > RATIO_EXEMPT_BYTES && entry.size > entry.compressedSize * limits.maxCompressionRatio) {
    const ratio = entry.compressedSize === 0 ? 'an infinite' : `a ${Math.round(entry.size / entry.compressedSize)}:1`;
    throw tooLarge('ratio-too-high', `${entry.name} declares ${ratio} compression ratio; the limit is ${limits.maxCompressionRatio}:1.`);
  }
}

/** `exact`: stop inflating one byte past the declared size (the entry lies), not only at the limits. */
function inflateEntry(source: ZipSource, entry: ZipEntry, limits: ZipLimits, alreadyUnpacked: number, exact: boolean): Uint8Array {
  const raw = source.read(entry.dataOffset, entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = raw;
  } else if (entry.method === 8) {
    // The cap is the limits, not the declared size, so a lying entry is stopped by what protects the machine.
    const ratioCap = Math.max(RATIO_EXEMPT_BYTES, entry.compressedSize * limits.maxCompressionRatio);
    const limitCap = Math.min(limits.maxUnpackedBytes - alreadyUnpacked, ratioCap);
    const cap = exact ? Math.min(limitCap, entry.size + 1) : limitCap;
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, cap) });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        if (cap < limitCap) throw corrupt(`${entry.name} declares ${entry.size} bytes but holds more: the zip is damaged or built to deceive.`, 'size-mismatch');
        throw tooLarge('expands-past-limit', `${entry.name} declares ${entry.size} bytes but expands past ${mb(cap)}.`);
      }
      throw corrupt(`The compressed data of ${entry.name} is damaged (${(error as Error).message}).`, 'checksum');
    }
  } else {
    throw refusal(
      'UNSUPPORTED_FORMAT',
      'unsupported-method',
      `${entry.name} is compressed with method ${entry.method}; only stored and deflated entries are read. Re-save the file with a common program.`,
    );
  }
  if (data.length !== entry.size) {
    throw corrupt(`${entry.name} holds ${data.length} bytes but declares ${entry.size}: the zip is damaged.`, 'size-mismatch');
  }
  if (crc32(data) !== entry.crc32) throw corrupt(`${entry.name} fails its checksum: the zip is damaged.`, 'checksum');
  return data;
}

function findEndRecord(bytes: Uint8Array, view: DataView): number {
  // The end record is 22 bytes plus a comment of at most 65,535.
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i -= 1) {
    if (view.getUint32(i, true) === SIG_END && i + 22 + view.getUint16(i + 20, true) <= bytes.length) return i;
  }
  return -1;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const HOST_UNIX = 3;

function readCentralDirectory(source: ZipSource): ZipEntry[] {
  // The end record is within the last 22 + 65,535 bytes; read only those.
  const tailStart = Math.max(0, source.size - 22 - 0xffff);
  const tail = source.read(tailStart, source.size - tailStart);
  const tailView = viewOf(tail);
  const endInTail = tail.length >= 22 ? findEndRecord(tail, tailView) : -1;
  if (endInTail < 0) throw corrupt('The file is not a zip container (no central directory found): it is damaged, truncated, or not this format.', 'not-a-zip');
  const end = tailStart + endInTail;
  let count = tailView.getUint16(endInTail + 10, true);
  let cdSize = tailView.getUint32(endInTail + 12, true);
  let cdOffset = tailView.getUint32(endInTail + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locatorAt = end - 20;
    const locator = locatorAt < 0 ? undefined : viewOf(source.read(locatorAt, 20));
    if (locator === undefined || locator.getUint32(0, true) !== SIG_END64_LOCATOR) throw corrupt('The zip\'s Zip64 end record is missing.');
    const end64 = safeNumber(locator.getBigUint64(8, true));
    if (end64 + 56 > source.size) throw corrupt('The zip\'s Zip64 end record is damaged.');
    const record = viewOf(source.read(end64, 56));
    if (record.getUint32(0, true) !== SIG_END64) throw corrupt('The zip\'s Zip64 end record is damaged.');
    count = safeNumber(record.getBigUint64(32, true));
    cdSize = safeNumber(record.getBigUint64(40, true));
    cdOffset = safeNumber(record.getBigUint64(48, true));
  }
  if (cdOffset + cdSize > end || count * 46 > cdSize) throw corrupt('The zip\'s central directory lies outside the file: it is damaged or truncated.');

  const cd = source.read(cdOffset, cdSize);
  const view = viewOf(cd);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  const spans: { start: number; end: number; name: string }[] = [];
  let p = 0;
  for (let n = 0; n < count; n += 1) {
    if (p + 46 > cdSize || view.getUint32(p, true) !== SIG_CENTRAL) throw corrupt('The zip\'s central directory is damaged.');
    const madeBy = view.getUint16(p + 4, true);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const externalAttributes = view.getUint32(p + 38, true);
    let localOffset = view.getUint32(p + 42, true);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > cdSize) throw corrupt('The zip\'s central directory is damaged.');
    const rawName = cd.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise it is in the old DOS code page.
    const name = ((flags & 0x800) !== 0 ? new TextDecoder().decode(rawName) : iconv.decode(Buffer.from(rawName), 'cp437')).normalize('NFC');

    // Zip64: sizes and offset that overflow 32 bits move to extra field 0x0001, in this order.
    let extra = p + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let q = extra + 4;
        const take = (): number => {
          if (q + 8 > extra + 4 + length) throw corrupt(`The Zip64 sizes of ${name} are damaged.`);
          const value = safeNumber(view.getBigUint64(q, true));
          q += 8;
          return value;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      extra += 4 + length;
    }

    checkPath(name);
    if (names.has(name)) throw corrupt(`The zip holds two entries named ${name}; which one is meant is ambiguous.`, 'duplicate-entry');
    names.add(name);

    if (localOffset + 30 > cdOffset) throw corrupt(`The zip's entry ${name} points outside its data: the file is damaged or truncated.`);
    const local = viewOf(source.read(localOffset, 30));
    if (local.getUint32(0, true) !== SIG_LOCAL) throw corrupt(`The zip's entry ${name} points outside its data: the file is damaged or truncated.`);
    const dataOffset = localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
    if (dataOffset + compressedSize > cdOffset) throw corrupt(`The data of ${name} runs past the end of the zip: the file is truncated.`);
    spans.push({ start: localOffset, end: dataOffset + compressedSize, name });
    entries.push({
      name,
      method,
      compressedSize,
      size,
      crc32: crc,
      encrypted: (flags & 0x1) !== 0,
      directory: name.endsWith('/'),
      symlink: madeBy >>> 8 === HOST_UNIX && ((externalAttributes >>> 16) & S_IFMT) === S_IFLNK,
      dataOffset,
    });
    p = next;
  }

  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i += 1) {
    const before = spans[i - 1];
    const span = spans[i];
    if (before !== undefined && span !== undefined && span.start < before.end) {
      throw corrupt(`The zip's entries ${before.name} and ${span.name} share their data, a trick of zip bombs; the file was not unpacked.`, 'overlapping-entries');
    }
  }
  return entries;
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('The zip declares sizes beyond any real file: it is damaged.');
  return Number(value);
}

/** Refuses names that would climb out of, or ignore, the folder a zip is unpacked into. */
function checkPath(name: string): void {
  const unsafe =
    name.length === 0 ||
    name.includes('\0') ||
    /^[/\\]/u.test(name) ||
    /^[a-zA-Z]:/u.test(name) ||
    name.split(/[/\\]/u).some((segment) => segment === '..');
  if (unsafe) throw corrupt(`The zip holds an entry with an unsafe path (${JSON.stringify(name)}): absolute, or climbing out with "..". It was not unpacked.`, 'unsafe-path');
}

/* ---------------------------------------------------------------------------------------------
 * XML parts. Office files are machine-written XML, so a small event reader does: it runs in one
 * pass without recursion, refuses nesting past the limit, resolves namespaces, and knows only
 * XML's five entities and character references (no DTDs, so no entity expansion attacks).
 * ------------------------------------------------------------------------------------------- */

export interface XmlHandler {
  /** name is `{namespace-uri}local` for namespaced elements, else the plain name; attributes likewise. */
  open?(name: string, attributes: ReadonlyMap<string, string>): void;
  close?(name: string): void;
  text?(text: string): void;
}

/** An XML part's bytes as text: UTF-8 unless a BOM or the XML declaration says otherwise. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const label = /^(?:\uFEFF|ï»¿)?<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/u.exec(head)?.[1];
  try {
    return new TextDecoder(label ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/gu, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
    }
    return XML_ENTITIES[ref] ?? whole;
  });
}

const NAME = /[^\s/>=]+/y;
const ATTRIBUTE = /\s*([^\s/>=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_CLOSE = /\s*(\/?)>/y;

/**
 * Reads `xml`, calling `handler` for each element and run of text. Throws TOO_DEEPLY_NESTED past
 * maxDepth and CORRUPT_FILE for XML that is not well-formed; `part` names it in messages.
 */
export function readXml(xml: string, handler: XmlHandler, options: { maxDepth: number; part: string }): void {
  const { part } = options;
  const malformed = (at: number, what: string): KartotekaError =>
    corrupt(`${part} inside the file is not well-formed XML (${what} at character ${at}): the file is damaged.`);
  /** Open elements: their raw names, and the namespace prefixes each declared. */
  const open: { raw: string; declared: string[] | undefined }[] = [];
  const namespaces = new Map<string, string[]>([['xml', ['http://www.w3.org/XML/1998/namespace']]]);
  const resolve = (raw: string, isAttribute: boolean): string => {
    const colon = raw.indexOf(':');
    const prefix = colon < 0 ? '' : raw.slice(0, colon);
    if (colon < 0 && isAttribute) return raw;
    const uris = namespaces.get(prefix);
    const uri = uris?.[uris.length - 1];
    if (uri === undefined || uri === '') return colon < 0 ? raw : raw.slice(colon + 1);
    return `{${uri}}${colon < 0 ? raw : raw.slice(colon + 1)}`;
  };

  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  let sawRoot = false;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > i) {
      if (open.length > 0) handler.text?.(decodeEntities(xml.slice(i, textEnd)));
      else if (xml.slice(i, textEnd).trim() !== '') throw malformed(i, 'text outside the root element');
    }
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) throw malformed(lt, 'an unclosed comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0) throw malformed(lt, 'an unclosed CDATA section');
      if (open.length > 0) handler.text?.(xml.slice(lt + 9, end));
      i = end + 3;
    } else if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) throw malformed(lt, 'an unclosed processing instruction');
      i = end + 2;
    } else if (xml.startsWith('<!', lt)) {
      // A DOCTYPE: skipped whole, internal subset included; its entities are never expanded.
      const bracket = xml.indexOf('[', lt);
      const gt = xml.indexOf('>', lt);
      const end = bracket >= 0 && bracket < gt ? xml.indexOf(']', bracket) : lt;
      const close = xml.indexOf('>', Math.max(end, lt));
      if (close < 0) throw malformed(lt, 'an unclosed declaration');
      i = close + 1;
    } else if (xml[lt + 1] === '/') {
      NAME.lastIndex = lt + 2;
      const raw = NAME.exec(xml)?.[0];
      const gt = xml.indexOf('>', lt);
      const top = open.pop();
      if (raw === undefined || gt < 0 || top === undefined || top.raw !== raw) throw malformed(lt, `a closing tag </${raw ?? ''}> that matches no open element`);
      handler.close?.(resolve(raw, false));
      for (const prefix of top.declared ?? []) namespaces.get(prefix)?.pop();
      i = gt + 1;
    } else {
      NAME.lastIndex = lt + 1;
      const raw = NAME.exec(xml)?.[0];
      if (raw === undefined) throw malformed(lt, 'a "<" that starts no tag');
      if (open.length === 0 && sawRoot) throw malformed(lt, 'a second root element');
      sawRoot = true;
      const rawAttributes: [string, string][] = [];
      let at = NAME.lastIndex;
      for (;;) {
        ATTRIBUTE.lastIndex = at;
        const attribute = ATTRIBUTE.exec(xml);
        if (attribute === null) break;
        rawAttributes.push([attribute[1] ?? '', decodeEntities(attribute[2] ?? attribute[3] ?? '')]);
        at = ATTRIBUTE.lastIndex;
      }
      TAG_CLOSE.lastIndex = at;
      const close = TAG_CLOSE.exec(xml);
      if (close === null) throw malformed(lt, `a broken <${raw}> tag`);
      i = TAG_CLOSE.lastIndex;

      let declared: string[] | undefined;
      for (const [key, value] of rawAttributes) {
        if (key !== 'xmlns' && !key.startsWith('xmlns:')) continue;
        const prefix = key === 'xmlns' ? '' : key.slice(6);
        const stack = namespaces.get(prefix) ?? [];
        stack.push(value);
        namespaces.set(prefix, stack);
        (declared ??= []).push(prefix);
      }
      const attributes = new Map<string, string>();
      for (const [key, value] of rawAttributes) {
        if (key !== 'xmlns' && !key.startsWith('xmlns:')) attributes.set(resolve(key, true), value);
      }
      const name = resolve(raw, false);
      if (open.length + 1 > options.maxDepth) {
        throw new KartotekaError(
          'TOO_DEEPLY_NESTED',
          `${part} inside the file nests elements more than ${options.maxDepth} deep; real documents stay far below that. The file is damaged or built to exhaust memory.`,
        );
      }
      handler.open?.(name, attributes);
      if (close[1] === '/') {
        handler.close?.(name);
        for (const prefix of declared ?? []) namespaces.get(prefix)?.pop();
      } else {
        open.push({ raw, declared });
      }
    }
  }
  if (open.length > 0) throw malformed(xml.length, `the end of the part inside <${open[open.length - 1]?.raw ?? ''}>`);
  if (!sawRoot) throw malformed(0, 'no root element');
}
