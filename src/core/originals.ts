import { DocumentId, Sha256 } from '../shared/document.ts';
import type { Service } from './api.ts';
import { BlobStore } from './blob-store.ts';

/**
 * Serving a document's original file to the renderer (the web mode's /files/<id>/<sha256> and the
 * desktop app's app://kartoteka/files/<id>/<sha256>): which blob, under which type and name, and
 * which bytes of it a Range request asks for. The transports only stream what this decides.
 */

export interface OriginalFile {
  /** The blob on disk (read-only, content-addressed). */
  path: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
}

/** The path of an original: /files/<documentId>/<sha256>, nothing else. */
export function parseOriginalPath(pathname: string): { id: string; sha256: string } | null {
  const match = /^\/files\/([0-9a-z]{8,40})\/([0-9a-f]{64})$/u.exec(pathname);
  if (!match?.[1] || !match[2]) return null;
  return { id: match[1], sha256: match[2] };
}

/**
 * The original with that hash, when the catalogue lists it among that document's files; undefined
 * for anything else (an unknown document, a blob of another document, a malformed name).
 */
export async function findOriginal(service: Service, id: string, sha256: string): Promise<OriginalFile | undefined> {
  if (!DocumentId.safeParse(id).success || !Sha256.safeParse(sha256).success) return undefined;
  let files;
  try {
    ({ files } = await service['documents.get']({ id }));
  } catch {
    return undefined;
  }
  const file = files.find((f) => f.sha256 === sha256);
  if (!file) return undefined;
  const { path: archiveRoot } = await service['archive.info']({});
  return { path: new BlobStore(archiveRoot).pathOf(sha256), fileName: file.fileName, mediaType: file.mediaType, size: file.size, sha256 };
}

/**
 * Types shown inline in the app's own origin. Anything else (HTML, SVG, XML, office files) could
 * run script or be mistaken for a page of the app: it is sent as a download, never rendered.
 */
const INLINE = /^(?:application\/pdf|image\/(?:png|jpeg|gif|webp|bmp)|audio\/[\w.+-]+|video\/(?:mp4|webm|ogg)|text\/(?:plain|vtt|csv|markdown))$/u;

export function servedType(mediaType: string): { contentType: string; inline: boolean } {
  const base = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!INLINE.test(base)) return { contentType: 'application/octet-stream', inline: false };
  // Text originals may be in any encoding: the browser is not told one it would trust blindly.
  return { contentType: base === 'audio/x-wav' ? 'audio/wav' : base, inline: true };
}

/** Content-Disposition with the original's name: an ASCII fallback and the exact name (RFC 6266, 5987). */
export function contentDisposition(fileName: string, inline: boolean): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/gu, '_') || 'original';
  const exact = encodeURIComponent(fileName).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

export type ByteRange = { start: number; end: number };

/**
 * The one byte range a Range header asks for (RFC 9110 14.2), inclusive; null to send the whole
 * file (no header, another unit, several ranges, or a malformed one, which may be ignored), and
 * 'unsatisfiable' when it starts past the end.
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/u.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return null;
  return { start, end };
}

export interface OriginalResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** The bytes to send, inclusive; null for none (416, or an empty file). */
  range: ByteRange | null;
}

/** Status, headers and byte range of the answer to a GET of an original. */
export function originalResponse(file: OriginalFile, rangeHeader: string | null | undefined): OriginalResponse {
  const { contentType, inline } = servedType(file.mediaType);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-disposition': contentDisposition(file.fileName, inline),
    'accept-ranges': 'bytes',
    etag: `"${file.sha256}"`,
    // The laptop may be seized: no copy of an original in the browser's disk cache.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // Opened on its own, an original is inert: no script, no plugin, no form, whatever it holds.
    'content-security-policy': "default-src 'none'; sandbox",
  };
  const range = parseRange(rangeHeader, file.size);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'content-range': `bytes */${file.size}`, 'content-length': '0' }, range: null };
  }
  if (range === null) {
    return { status: 200, headers: { ...headers, 'content-length': String(file.size) }, range: file.size > 0 ? { start: 0, end: file.size - 1 } : null };
  }
  return {
    status: 206,
    headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${file.size}`, 'content-length': String(range.end - range.start + 1) },
    range,
  };
}
