import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { fixture } from '../helpers.ts';

/** Fixtures made in code: PDFs with pdf-lib, "scans" drawn with @napi-rs/canvas. Every name is fictional. */

export const dejaVuSans = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
GlobalFonts.registerFromPath(dejaVuSans, 'DejaVu Sans');

export interface PdfInfo {
  title?: string;
  author?: string;
  creationDate?: Date;
}

/** A PDF with a real text layer: one entry of `pages` per page, each a list of lines, in DejaVu Sans (Cyrillic). */
export async function textPdf(pages: string[][], info: PdfInfo = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(dejaVuSans), { subset: true });
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 60, y: 760 - i * 24, size: 14, font }));
  }
  if (info.title) doc.setTitle(info.title);
  if (info.author) doc.setAuthor(info.author);
  if (info.creationDate) doc.setCreationDate(info.creationDate);
  return doc.save();
}

/** Lines of text drawn black on white in large DejaVu Sans, like a clean scan. */
export function drawText(lines: string[], options: { width?: number; fontSize?: number } = {}): { width: number; height: number; rgba: Uint8ClampedArray; png: Buffer; jpeg: () => Promise<Buffer> } {
  const fontSize = options.fontSize ?? 44;
  const width = options.width ?? 1000;
  const height = Math.round(fontSize * 1.8 * lines.length + fontSize * 1.5);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#000000';
  context.font = `${fontSize}px "DejaVu Sans"`;
  lines.forEach((line, i) => context.fillText(line, fontSize, fontSize * 1.8 * (i + 1)));
  return {
    width,
    height,
    rgba: context.getImageData(0, 0, width, height).data,
    png: canvas.toBuffer('image/png'),
    jpeg: () => canvas.encode('jpeg', 90),
  };
}

/** A "scanned" PDF: each page holds only an image of its lines, no text layer. */
export async function scannedPdf(pages: string[][]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (const lines of pages) {
    const image = drawText(lines);
    const embedded = await doc.embedPng(image.png);
    // The drawing is placed at about 200 DPI, as a scanner would deliver it.
    const width = (image.width / 200) * 72;
    const height = (image.height / 200) * 72;
    const page = doc.addPage([width + 72, height + 72]);
    page.drawImage(embedded, { x: 36, y: 36, width, height });
  }
  return doc.save();
}

/** A PDF mixing a text page and a scanned page. */
export async function mixedPdf(textLines: string[], scanLines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await textPdf([textLines]));
  const scan = await PDFDocument.load(await scannedPdf([scanLines]));
  const [page] = await doc.copyPages(scan, [0]);
  if (page) doc.addPage(page);
  return doc.save();
}

/** A PDF whose pages hold nothing (count 0 gives a PDF without pages). */
export async function blankPdf(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < count; i++) doc.addPage([595, 842]);
  return doc.save();
}

/** A one-page PDF in a standard font, the source of the checked-in encrypted fixtures. */
export async function latinPdf(line: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([400, 200]).drawText(line, { x: 20, y: 100, size: 12, font });
  return doc.save({ useObjectStreams: false });
}

/**
 * A baseline TIFF (uncompressed 8-bit grayscale, little-endian, 300 DPI) with one image per page,
 * as a scanner's multi-page TIFF holds them. @napi-rs/canvas cannot write TIFF.
 */
export function grayTiff(pages: { width: number; height: number; rgba: Uint8ClampedArray }[]): Uint8Array {
  const entryCount = 11;
  const ifdSize = 2 + entryCount * 12 + 4;
  const sizes = pages.map((p) => ifdSize + 16 + p.width * p.height);
  const bytes = new Uint8Array(8 + sizes.reduce((a, b) => a + b, 0));
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 0x2a, 0x00]);
  view.setUint32(4, 8, true);
  let at = 8;
  pages.forEach((page, index) => {
    const ifd = at;
    const resolution = ifd + ifdSize;
    const pixels = resolution + 16;
    const entries: [number, number, number][] = [
      [256, 4, page.width],
      [257, 4, page.height],
      [258, 3, 8],
      [259, 3, 1], // no compression
      [262, 3, 1], // black is zero
      [273, 4, pixels],
      [277, 3, 1],
      [278, 4, page.height],
      [279, 4, page.width * page.height],
      [282, 5, resolution],
      [283, 5, resolution + 8],
    ];
    view.setUint16(ifd, entries.length, true);
    entries.forEach(([tag, type, value], i) => {
      const entry = ifd + 2 + i * 12;
      view.setUint16(entry, tag, true);
      view.setUint16(entry + 2, type, true);
      view.setUint32(entry + 4, 1, true);
      if (type === 3) view.setUint16(entry + 8, value, true);
      else view.setUint32(entry + 8, value, true);
    });
    const next = index + 1 < pages.length ? ifd + (sizes[index] ?? 0) : 0;
    view.setUint32(ifd + 2 + entries.length * 12, next, true);
    for (const offset of [resolution, resolution + 8]) {
      view.setUint32(offset, 300, true);
      view.setUint32(offset + 4, 1, true);
    }
    for (let i = 0; i < page.width * page.height; i++) bytes[pixels + i] = page.rgba[i * 4] ?? 255;
    at += sizes[index] ?? 0;
  });
  return bytes;
}

/** Deterministic bytes that are no file format at all. */
export function noise(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** A folder as a lawyer sends it: an appeal PDF cut in half on the way, an empty file and a good letter. */
export async function lawyersFolder(root: string): Promise<string> {
  const folder = join(root, 'from the lawyer');
  mkdirSync(folder);
  const pdf = await textPdf([['Апелляционная жалоба'], ['Защита просит отменить приговор']]);
  writeFileSync(join(folder, 'appeal.pdf'), pdf.subarray(0, pdf.length >> 1));
  writeFileSync(join(folder, 'empty.txt'), '');
  writeFileSync(join(folder, 'letter.txt'), readFileSync(fixture('letter-utf8.txt')));
  return folder;
}
