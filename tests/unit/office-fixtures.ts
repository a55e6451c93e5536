import { Deflate, deflateSync, strToU8, zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import { crc32 } from 'node:zlib';

/** Builders for the office files the importer tests read: real formats, generated in code. */

export { extractContext as context } from '../helpers.ts';

/** A zip of these files, deflated, in this order; a string is written as UTF-8. */
export function zip(files: Record<string, string | Uint8Array>, storedFirst?: string): Uint8Array {
  const input: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? strToU8(content) : content;
    input[name] = name === storedFirst ? [data, { level: 0 }] : data;
  }
  return zipSync(input, { level: 6 });
}

const xml = (body: string): string => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`;

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A WordprocessingML paragraph of plain runs. */
export const wp = (...runs: string[]): string => `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>${runs.map((r) => `<w:r><w:t xml:space="preserve">${r}</w:t></w:r>`).join('')}</w:p>`;

export interface DocxOptions {
  /** The inside of <w:body>. */
  body: string;
  core?: { title?: string; creator?: string; created?: string } | undefined;
  /** The inside of <w:footnotes>, after the two separator notes Word always writes. */
  footnotes?: string | undefined;
  /** More files, or replacements; undefined removes one. */
  files?: Record<string, string | Uint8Array | undefined>;
}

/** A minimal DOCX as Word writes it: content types, package and document relationships, core properties. */
export function docx(options: DocxOptions): Uint8Array {
  const { core } = options;
  const files: Record<string, string | Uint8Array | undefined> = {
    '[Content_Types].xml': xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>' +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
        '</Types>',
    ),
    '_rels/.rels': xml(
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
        '</Relationships>',
    ),
    'word/document.xml': xml(
      `<w:document xmlns:w="${W_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps">' +
        `<w:body>${options.body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`,
    ),
    'word/_rels/document.xml.rels': xml(
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        (options.footnotes !== undefined
          ? '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
          : '') +
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>' +
        '</Relationships>',
    ),
    ...(options.footnotes !== undefined
      ? {
          'word/footnotes.xml': xml(
            `<w:footnotes xmlns:w="${W_NS}">` +
              '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>' +
              '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>' +
              `${options.footnotes}</w:footnotes>`,
          ),
        }
      : {}),
    ...(core !== undefined
      ? {
          'docProps/core.xml': xml(
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
              'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
              (core.title !== undefined ? `<dc:title>${core.title}</dc:title>` : '') +
              (core.creator !== undefined ? `<dc:creator>${core.creator}</dc:creator>` : '') +
              '<cp:lastModifiedBy>Admin</cp:lastModifiedBy>' +
              (core.created !== undefined ? `<dcterms:created xsi:type="dcterms:W3CDTF">${core.created}</dcterms:created>` : '') +
              '</cp:coreProperties>',
          ),
        }
      : {}),
    ...options.files,
  };
  return zip(Object.fromEntries(Object.entries(files).filter((e): e is [string, string | Uint8Array] => e[1] !== undefined)));
}

export const ODF = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  draw: 'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0',
  meta: 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0',
  dc: 'http://purl.org/dc/elements/1.1/',
  manifest: 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0',
  svg: 'urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0',
};
const odfNamespaces = Object.entries(ODF).map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`).join(' ');

export interface OdtOptions {
  /** The inside of <office:text>. */
  text: string;
  /** The inside of <office:meta>. */
  meta?: string | undefined;
  mimetype?: string | undefined;
  /** Extra <manifest:file-entry> content for content.xml (e.g. encryption data). */
  contentManifestEntry?: string | undefined;
  files?: Record<string, string | Uint8Array | undefined>;
}

/** An ODT as LibreOffice writes it: a stored mimetype first, the manifest, content and meta. */
export function odt(options: OdtOptions): Uint8Array {
  const files: Record<string, string | Uint8Array | undefined> = {
    mimetype: options.mimetype ?? 'application/vnd.oasis.opendocument.text',
    'META-INF/manifest.xml': xml(
      `<manifest:manifest xmlns:manifest="${ODF.manifest}" manifest:version="1.3">` +
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>' +
        `<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">${options.contentManifestEntry ?? ''}</manifest:file-entry>` +
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>' +
        '</manifest:manifest>',
    ),
    'content.xml': xml(
      `<office:document-content ${odfNamespaces} office:version="1.3">` +
        '<office:font-face-decls><style:font-face xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" style:name="Liberation Serif"/></office:font-face-decls>' +
        `<office:body><office:text>${options.text}</office:text></office:body></office:document-content>`,
    ),
    'meta.xml': xml(`<office:document-meta ${odfNamespaces} office:version="1.3"><office:meta>${options.meta ?? ''}</office:meta></office:document-meta>`),
    ...options.files,
  };
  return zip(Object.fromEntries(Object.entries(files).filter((e): e is [string, string | Uint8Array] => e[1] !== undefined)), 'mimetype');
}

/** The same document as a flat .fodt: one XML file. */
export function fodt(options: { text: string; meta?: string }): Uint8Array {
  return strToU8(
    xml(
      `<office:document ${odfNamespaces} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">` +
        `<office:meta>${options.meta ?? ''}</office:meta><office:body><office:text>${options.text}</office:text></office:body></office:document>`,
    ),
  );
}

/**
 * A compound file (the OLE container of .doc files and of password-protected DOCX) holding these
 * streams. Version 3, 512-byte sectors; each stream is padded past the 4 KB mini-stream cutoff so
 * only the main FAT is needed. At most three streams (one directory sector).
 */
export function oleCompoundFile(streams: Record<string, Uint8Array>): Uint8Array {
  const SECTOR = 512;
  const END = 0xfffffffe;
  const FREE = 0xffffffff;
  const names = Object.keys(streams);
  if (names.length > 3) throw new Error('oleCompoundFile: at most three streams');
  const sized = names.map((name) => {
    const data = streams[name] as Uint8Array;
    const size = Math.max(data.length, 4096);
    const padded = new Uint8Array(Math.ceil(size / SECTOR) * SECTOR);
    padded.set(data);
    return { name, data: padded, size };
  });
  const dataSectors = sized.reduce((n, s) => n + s.data.length / SECTOR, 0);
  const total = 1 + 2 + dataSectors;
  const out = new Uint8Array(total * SECTOR);
  const view = new DataView(out.buffer);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  view.setUint16(24, 0x003e, true);
  view.setUint16(26, 0x0003, true);
  view.setUint16(28, 0xfffe, true);
  view.setUint16(30, 9, true);
  view.setUint16(32, 6, true);
  view.setUint32(44, 1, true); // one FAT sector
  view.setUint32(48, 1, true); // directory at sector 1
  view.setUint32(56, 4096, true);
  view.setUint32(60, END, true);
  view.setUint32(68, END, true);
  for (let i = 0; i < 109; i += 1) view.setUint32(76 + i * 4, i === 0 ? 0 : FREE, true);
  const sectorOffset = (n: number): number => SECTOR * (n + 1);

  // FAT (sector 0): itself, the directory, then each stream's chain.
  const fat = sectorOffset(0);
  for (let i = 0; i < SECTOR / 4; i += 1) view.setUint32(fat + i * 4, FREE, true);
  view.setUint32(fat, 0xfffffffd, true);
  view.setUint32(fat + 4, END, true);
  let next = 2;
  const starts: number[] = [];
  for (const stream of sized) {
    const count = stream.data.length / SECTOR;
    starts.push(next);
    for (let k = 0; k < count; k += 1) view.setUint32(fat + (next + k) * 4, k === count - 1 ? END : next + k + 1, true);
    out.set(stream.data, sectorOffset(next));
    next += count;
  }

  // Directory (sector 1): the root, then the streams as a chain of right siblings.
  const directory = sectorOffset(1);
  const entry = (index: number, name: string, type: number, start: number, size: number, child: number, right: number): void => {
    const at = directory + index * 128;
    const utf16 = Buffer.from(`${name}\0`, 'utf16le');
    out.set(utf16, at);
    view.setUint16(at + 64, utf16.length, true);
    out[at + 66] = type;
    out[at + 67] = 1;
    view.setUint32(at + 68, FREE, true);
    view.setUint32(at + 72, right, true);
    view.setUint32(at + 76, child, true);
    view.setUint32(at + 116, start, true);
    view.setUint32(at + 120, size, true);
  };
  for (let i = 0; i < 4; i += 1) {
    view.setUint32(directory + i * 128 + 68, FREE, true);
    view.setUint32(directory + i * 128 + 72, FREE, true);
    view.setUint32(directory + i * 128 + 76, FREE, true);
  }
  entry(0, 'Root Entry', 5, END, 0, sized.length > 0 ? 1 : FREE, FREE);
  sized.forEach((stream, i) => entry(i + 1, stream.name, 2, starts[i] as number, stream.size, FREE, i + 2 <= sized.length ? i + 2 : FREE));
  return out;
}

/** A password-protected DOCX's container: Word keeps the encrypted package in these two streams. */
export function encryptedDocx(): Uint8Array {
  const info = new Uint8Array(200);
  info.set([4, 0, 4, 0, 0x40, 0, 0, 0]); // agile encryption, version 4.4
  return oleCompoundFile({ EncryptionInfo: info, EncryptedPackage: new Uint8Array(5000).map((_, i) => (i * 73) % 256) });
}

export interface Compressed {
  data: Uint8Array;
  size: number;
  crc: number;
}

/** `size` zero bytes deflated chunk by chunk, so a 300 MB bomb costs 1 MB of memory to make. */
export function deflatedZeros(size: number): Compressed {
  const chunk = new Uint8Array(1024 * 1024);
  const parts: Uint8Array[] = [];
  const deflate = new Deflate({ level: 1 });
  deflate.ondata = (data) => {
    parts.push(data);
  };
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    deflate.push(piece, left <= chunk.length);
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return { data, size, crc };
}

export function deflated(content: string | Uint8Array): Compressed {
  const bytes = typeof content === 'string' ? strToU8(content) : content;
  return { data: deflateSync(bytes), size: bytes.length, crc: crc32(bytes) };
}

export interface RawEntry {
  name: string;
  body: Compressed;
  /** 8 deflated (default) or 0 stored. */
  method?: number;
  /** What the headers claim; defaults to the truth. */
  declaredSize?: number;
  flags?: number;
  /** Point this entry's directory record at another entry's data (an overlapping bomb). */
  sameDataAs?: number;
}

/** A zip written byte by byte, so that it can lie: wrong sizes, unsafe names, duplicates, shared data. */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array): void => {
    chunks.push(bytes);
    offset += bytes.length;
  };
  const header = (entry: RawEntry, central: boolean, localOffset: number): Uint8Array => {
    const name = strToU8(entry.name);
    const out = new Uint8Array((central ? 46 : 30) + name.length);
    const view = new DataView(out.buffer);
    const size = entry.declaredSize ?? entry.body.size;
    const flags = (entry.flags ?? 0) | 0x800;
    if (central) {
      view.setUint32(0, 0x02014b50, true);
      view.setUint16(4, 20, true);
      view.setUint16(6, 20, true);
      view.setUint16(8, flags, true);
      view.setUint16(10, entry.method ?? 8, true);
      view.setUint32(16, entry.body.crc, true);
      view.setUint32(20, entry.body.data.length, true);
      view.setUint32(24, size, true);
      view.setUint16(28, name.length, true);
      view.setUint32(42, localOffset, true);
      out.set(name, 46);
    } else {
      view.setUint32(0, 0x04034b50, true);
      view.setUint16(4, 20, true);
      view.setUint16(6, flags, true);
      view.setUint16(8, entry.method ?? 8, true);
      view.setUint32(14, entry.body.crc, true);
      view.setUint32(18, entry.body.data.length, true);
      view.setUint32(22, size, true);
      view.setUint16(26, name.length, true);
      out.set(name, 30);
    }
    return out;
  };
  entries.forEach((entry) => {
    offsets.push(offset);
    if (entry.sameDataAs !== undefined) return;
    push(header(entry, false, 0));
    push(entry.body.data);
  });
  const cdStart = offset;
  entries.forEach((entry, i) => push(header(entry, true, offsets[entry.sameDataAs ?? i] as number)));
  const end = new Uint8Array(22);
  const view = new DataView(end.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, entries.length, true);
  view.setUint16(10, entries.length, true);
  view.setUint32(12, offset - cdStart, true);
  view.setUint32(16, cdStart, true);
  push(end);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Bytes that are no known format: a fixed pseudo-random sequence, so failures reproduce. */
export function noise(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
