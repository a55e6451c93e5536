import { KartotekaError } from '../../shared/errors.ts';
import type { ExtractContext, Extraction, Importer, PageSpan } from './types.ts';

type ImageFormat = 'png' | 'jpeg' | 'tiff';

const mediaTypes: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', tiff: 'image/tiff' };

/**
 * Larger images are refused before OCR: the engine decodes the whole bitmap into its wasm memory,
 * and a small hostile file can declare an enormous one. A4 at 600 DPI is 35 million pixels.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** The format from the file's first bytes: the extension may lie, and the OCR engine reads all three anyway. */
export function sniffImage(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (...sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  return undefined;
}

interface TiffPage {
  ifdOffset: number;
  width: number;
  height: number;
  compression: number;
}

/**
 * TIFF compressions the OCR engine's libtiff decodes, found by trying each: none, CCITT RLE,
 * G3, G4, LZW, PackBits. It has no zlib and no libjpeg, so Deflate and JPEG-in-TIFF fail.
 */
const readableTiffCompressions = new Set([1, 2, 3, 4, 5, 32773]);
const tiffCompressionNames: Record<number, string> = { 6: 'old-style JPEG', 7: 'JPEG', 8: 'Deflate (ZIP)', 32946: 'Deflate (ZIP)' };

/**
 * The full-size images of a classic TIFF, in order (reduced-resolution thumbnails skipped).
 * undefined for BigTIFF or a header too damaged to follow; stops at a loop or an offset outside the file.
 */
export function tiffPages(bytes: Uint8Array, max: number): TiffPage[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  if (bytes.length < 8 || view.getUint16(2, little) !== 42) return undefined;
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  let offset = view.getUint32(4, little);
  while (offset !== 0 && offset + 2 <= bytes.length && !seen.has(offset) && pages.length < max) {
    seen.add(offset);
    const count = view.getUint16(offset, little);
    const end = offset + 2 + count * 12;
    if (end + 4 > bytes.length) break;
    let width = 0;
    let height = 0;
    let compression = 1;
    let thumbnail = false;
    for (let entry = offset + 2; entry < end; entry += 12) {
      const tag = view.getUint16(entry, little);
      const type = view.getUint16(entry + 2, little);
      // SHORT values sit in the first two bytes of the value field, LONG ones fill it.
      const value = type === 3 ? view.getUint16(entry + 8, little) : view.getUint32(entry + 8, little);
      if (tag === 256) width = value;
      else if (tag === 257) height = value;
      else if (tag === 259) compression = value;
      else if (tag === 254) thumbnail = (value & 1) === 1;
    }
    if (!thumbnail) pages.push({ ifdOffset: offset, width, height, compression });
    offset = view.getUint32(end, little);
  }
  return pages;
}

/** The same TIFF with its header pointing at one page, which is the page an OCR engine reads. */
function tiffPage(bytes: Uint8Array, page: TiffPage): Uint8Array {
  if (page.ifdOffset === new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, bytes[0] === 0x49)) return bytes;
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint32(4, page.ifdOffset, copy[0] === 0x49);
  return copy;
}

/** Width and height from a PNG's IHDR or a JPEG's start-of-frame; undefined when not found. */
export function imageSize(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') {
    return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
  }
  if (format === 'jpeg') {
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1] ?? 0;
      if (marker === 0xff) {
        at++;
        continue;
      }
      // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
      }
      if (marker === 0xd9 || marker === 0xda) return undefined;
      at += 2 + view.getUint16(at + 2);
    }
  }
  return undefined;
}

function checkSize(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new KartotekaError(
      'UNPACKED_TOO_LARGE',
      `The image is ${width} × ${height} pixels; Kartoteka recognises text in images of up to ${MAX_IMAGE_PIXELS / 1_000_000} million pixels.`,
    );
  }
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/gu, '\n')
    .replace(/[ \t\u00A0]+$/gmu, '')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

async function extractImage(bytes: Uint8Array, context: ExtractContext): Promise<Extraction> {
  if (bytes.length === 0) throw new KartotekaError('EMPTY_FILE', 'The file is empty.');
  const format = sniffImage(bytes);
  if (!format) {
    throw new KartotekaError('CORRUPT_FILE', 'This file is not a PNG, JPEG or TIFF image, or its beginning is damaged.');
  }
  const images: Uint8Array[] = [];
  const warnings: string[] = [];
  let pageCount = 1;
  if (format === 'tiff') {
    // One more than the limit, to know whether pages were left out.
    const pages = tiffPages(bytes, context.limits.maxOcrPages + 1);
    if (pages && pages.length === 0) throw new KartotekaError('CORRUPT_FILE', 'This TIFF file holds no readable image.');
    if (pages) {
      for (const page of pages) {
        checkSize(page.width, page.height);
        if (!readableTiffCompressions.has(page.compression)) {
          const name = tiffCompressionNames[page.compression] ?? `compression ${page.compression}`;
          throw new KartotekaError(
            'UNSUPPORTED_FORMAT',
            `This TIFF is compressed with ${name}, which Kartoteka's OCR cannot decode. Save it as PNG, or as TIFF with LZW or no compression, and import that.`,
          );
        }
      }
      pageCount = pages.length;
      if (pages.length > context.limits.maxOcrPages) {
        pages.length = context.limits.maxOcrPages;
        warnings.push(`Only the first ${context.limits.maxOcrPages} pages of this TIFF were recognised (the OCR page limit).`);
      }
      images.push(...pages.map((page) => tiffPage(bytes, page)));
    } else {
      images.push(bytes);
    }
  } else {
    const size = imageSize(bytes, format);
    if (size) checkSize(size.width, size.height);
    images.push(bytes);
  }

  if (!context.ocr) {
    throw new KartotekaError(
      'OCR_UNAVAILABLE',
      'Reading text from images needs OCR, which is not available. Install tesseract-ocr-rus, tesseract-ocr-ukr and tesseract-ocr-eng, or set KARTOTEKA_TESSDATA to a folder of .traineddata files.',
    );
  }

  const texts: string[] = [];
  let confidenceSum = 0;
  let confidenceCount = 0;
  for (const image of images) {
    if (context.signal?.aborted) throw new KartotekaError('CANCELLED', 'The import was cancelled.');
    let result: { text: string; confidence: number };
    try {
      result = await context.ocr.recognize(image, context.ocrLanguages);
    } catch (error) {
      if (error instanceof KartotekaError) throw error;
      throw new KartotekaError('OCR_FAILED', `Text recognition failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = tidy(result.text);
    if (text.length > 0) {
      confidenceSum += result.confidence;
      confidenceCount++;
    }
    texts.push(text);
  }

  const text = texts.join('\n\n');
  if (text.length === 0) warnings.push(`No text was recognised in this image${images.length > 1 ? ' file' : ''}.`);
  const details: Record<string, unknown> = {
    ocrConfidence: confidenceCount > 0 ? Math.round(confidenceSum / confidenceCount) : 0,
    ocrPages: images.length,
    ocrLanguages: [...context.ocrLanguages],
  };
  let pages: PageSpan[] | undefined;
  if (pageCount > 1) {
    details.pages = pageCount;
    pages = [];
    let offset = 0;
    texts.forEach((pageText, index) => {
      if (index > 0) offset += 2;
      pages?.push({ page: index + 1, start: offset, end: offset + pageText.length });
      offset += pageText.length;
    });
  }
  return {
    text,
    mediaType: mediaTypes[format],
    textSource: 'ocr',
    ...(pages ? { pages } : {}),
    details,
    suggested: {},
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

export const imageImporter: Importer = {
  id: 'image',
  label: 'Scanned images (OCR): PNG, JPEG, TIFF',
  extensions: ['.png', '.jpg', '.jpeg', '.tif', '.tiff'],
  extract: extractImage,
};
