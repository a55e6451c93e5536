import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type * as CanvasModule from '@napi-rs/canvas';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { KartotekaError } from '../../shared/errors.ts';
import type { ExtractContext, Extraction, Importer, PageSpan, Suggestions } from './types.ts';

type PdfJs = typeof PdfJsModule;
type Canvas = typeof CanvasModule;
type RenderParameters = Parameters<PDFPageProxy['render']>[0];

/** Scans are rendered at this resolution for OCR: tesseract reads body text best near 300 DPI. */
export const OCR_DPI = 300;
/** A rendered page is kept below this many pixels (A3 at 300 DPI is 17.4 M), so huge pages stay affordable. */
const MAX_RENDER_PIXELS = 25_000_000;
/** A page whose text layer has fewer letters and digits than this, over an image, is taken for a scan. */
const MIN_TEXT_LAYER_CHARS = 20;

// Not named `require`: bundlers (electron-vite) inject a `require` of their own into ESM output.
const resolveFromHere = createRequire(import.meta.url);
let pdfjsLoading: Promise<PdfJs> | undefined;

/**
 * pdf.js, loaded on first use (it is large). Under Node the legacy build runs its "worker" in
 * this thread: we hand it the worker module ourselves so it never resolves a worker URL.
 */
function loadPdfJs(): Promise<PdfJs> {
  pdfjsLoading ??= (async () => {
    // A variable specifier: the worker module ships no type declarations.
    const workerSpecifier: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
    const worker = (await import(workerSpecifier)) as { WorkerMessageHandler: unknown };
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = { WorkerMessageHandler: worker.WorkerMessageHandler };
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjsLoading;
}

/** pdf.js's data folders as paths: under Node it reads them with fs, never over the network. */
function pdfjsFolders(): { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string; iccUrl: string } {
  const root = dirname(resolveFromHere.resolve('pdfjs-dist/package.json'));
  const folder = (name: string): string => join(root, name) + sep;
  return { cMapUrl: folder('cmaps'), standardFontDataUrl: folder('standard_fonts'), wasmUrl: folder('wasm'), iccUrl: folder('iccs') };
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KartotekaError('CANCELLED', 'The import was cancelled.');
}

/** Letters and digits: what tells a real text layer from a page number stamped on a scan. */
const meaningfulChars = (text: string): number => text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;

/** One page's text layer as lines. */
async function pageText(page: PDFPageProxy): Promise<string> {
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return tidy(text);
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/gu, '\n')
    // eslint-disable-next-line no-control-regex -- broken fonts map glyphs to control characters
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/gu, '')
    .replace(/[ \t\u00A0]+$/gmu, '')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

/** Whether a page draws anything at all: text, images, paths or shadings. */
function paintsSomething(pdfjs: PdfJs, fnArray: readonly number[]): { anything: boolean; image: boolean } {
  const { OPS } = pdfjs;
  const images = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageXObjectRepeat,
    OPS.paintImageMaskXObject,
    OPS.paintImageMaskXObjectGroup,
    OPS.paintImageMaskXObjectRepeat,
    OPS.paintSolidColorImageMask,
  ]);
  const marks = new Set<number>([
    ...images,
    OPS.showText,
    OPS.showSpacedText,
    OPS.nextLineShowText,
    OPS.nextLineSetSpacingShowText,
    OPS.constructPath,
    OPS.fill,
    OPS.eoFill,
    OPS.stroke,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.shadingFill,
  ]);
  let anything = false;
  for (const fn of fnArray) {
    if (images.has(fn)) return { anything: true, image: true };
    if (marks.has(fn)) anything = true;
  }
  return { anything, image: false };
}

/** The page as a PNG at OCR_DPI (less for very large pages), on white. */
async function renderPage(page: PDFPageProxy, canvasLib: Canvas): Promise<Uint8Array> {
  const base = page.getViewport({ scale: 1 });
  let scale = OCR_DPI / 72;
  const pixels = base.width * scale * base.height * scale;
  if (pixels > MAX_RENDER_PIXELS) scale *= Math.sqrt(MAX_RENDER_PIXELS / pixels);
  const viewport = page.getViewport({ scale });
  const canvas = canvasLib.createCanvas(Math.max(1, Math.ceil(viewport.width)), Math.max(1, Math.ceil(viewport.height)));
  const context = canvas.getContext('2d');
  await page.render({
    // pdf.js's types name the DOM canvas; under Node it draws on @napi-rs/canvas, which it loads itself.
    canvas: canvas as unknown as RenderParameters['canvas'],
    canvasContext: context as unknown as RenderParameters['canvasContext'],
    viewport,
    background: 'rgb(255,255,255)',
  }).promise;
  return canvas.encode('png');
}

async function loadCanvas(): Promise<Canvas> {
  try {
    return await import('@napi-rs/canvas');
  } catch (error) {
    throw new KartotekaError(
      'OCR_UNAVAILABLE',
      `Scanned PDF pages cannot be rendered for OCR on this machine: @napi-rs/canvas did not load (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

/** Title, author and date from the PDF's info dictionary, when they look like real ones. */
export function suggestionsFromInfo(info: Record<string, unknown>): Suggestions {
  const suggested: Suggestions = {};
  const title = cleanTitle(infoString(info.Title));
  if (title) suggested.title = title;
  const authors = infoString(info.Author)
    ?.split(/;|\n/u)
    .map((author) => author.trim())
    .filter((author) => author.length > 0 && !placeholderAuthor.test(author));
  if (authors && authors.length > 0) suggested.authors = authors;
  const date = pdfDate(infoString(info.CreationDate));
  if (date) suggested.date = date;
  return suggested;
}

/** Account names that office software writes as the author of everything. */
const placeholderAuthor = /^(user|admin|administrator|owner|windows user|microsoft office user|пользователь|администратор|користувач|адміністратор|\d+)$/iu;

function infoString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = repairCp1251(value.replaceAll('\u0000', '')).trim();
  return text.length > 0 ? text : undefined;
}

/**
 * Old Russian software writes Windows-1251 bytes into info strings that readers decode as
 * PDFDocEncoding ("Ïðèãîâîð" for "Приговор"). Re-decode when the string is mostly such letters.
 */
function repairCp1251(text: string): string {
  // eslint-disable-next-line no-control-regex -- every code point of one byte, controls included
  if (!/^[\u0000-\u00FF]*$/u.test(text)) return text;
  const high = text.match(/[\u00C0-\u00FF]/gu)?.length ?? 0;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (high < 3 || high * 2 < letters) return text;
  return new TextDecoder('windows-1251').decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
}

function cleanTitle(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const cleaned = title
    .replace(/^Microsoft (Word|PowerPoint|Excel) - /u, '')
    .replace(/\.(docx?|rtf|odt|pdf|txt)$/iu, '')
    .trim();
  if (/^(untitled|без названия|без назви|document\d*|документ\d*)$/iu.test(cleaned)) return undefined;
  return cleaned.length > 0 ? cleaned : undefined;
}

/** PDF dates are D:YYYYMMDDHHmmSS with optional parts; the date as written, without moving it across time zones. */
export function pdfDate(value: string | undefined): string | undefined {
  const match = value?.match(/^(?:D:)?(\d{4})(\d{2})?(\d{2})?/u);
  if (!match) return undefined;
  const [, year, month, day] = match;
  if (!year || Number(year) < 1900) return undefined;
  if (!month) return year;
  if (Number(month) < 1 || Number(month) > 12) return year;
  if (!day || Number(day) < 1 || Number(day) > 31) return `${year}-${month}`;
  return `${year}-${month}-${day}`;
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
}

function openFailure(error: unknown): KartotekaError {
  if (errorName(error) === 'PasswordException') {
    return new KartotekaError(
      'ENCRYPTED_FILE',
      'This PDF is protected by a password. Open it with the password, save an unprotected copy and import that.',
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/size is zero bytes/iu.test(message)) return new KartotekaError('EMPTY_FILE', 'The file is empty.');
  return new KartotekaError('CORRUPT_FILE', `This PDF is damaged or is not a PDF, and could not be read (${message}).`);
}

/** "3", "3–5" or "3, 7, 9–12": page numbers for a warning. */
export function pageList(pages: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === (pages[j] ?? 0) + 1) j++;
    ranges.push(i === j ? String(pages[i]) : `${pages[i]}–${pages[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}

/** "Page 3" or "Pages 3–5, 9". */
const pagesLabel = (numbers: readonly number[]): string => `Page${numbers.length > 1 ? 's' : ''} ${pageList(numbers)}`;

async function extractPdf(bytes: Uint8Array, context: ExtractContext): Promise<Extraction> {
  throwIfCancelled(context.signal);
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    // A copy: pdf.js transfers (detaches) the buffer it is given, and the caller still needs its bytes.
    data: new Uint8Array(bytes),
    ...pdfjsFolders(),
    cMapPacked: true,
    useSystemFonts: false,
    disableFontFace: true,
    enableXfa: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    let doc: PDFDocumentProxy;
    try {
      doc = await task.promise;
    } catch (error) {
      throw openFailure(error);
    }
    if (doc.numPages === 0) throw new KartotekaError('EMPTY_FILE', 'This PDF has no pages.');

    let suggested: Suggestions = {};
    try {
      suggested = suggestionsFromInfo((await doc.getMetadata()).info as Record<string, unknown>);
    } catch {
      // A damaged info dictionary costs only the suggestions.
    }

    const parts: string[] = [];
    const pages: PageSpan[] = [];
    let offset = 0;
    const unreadable: number[] = [];
    const notRecognised: number[] = [];
    const failedOcr: number[] = [];
    let lastOcrError: KartotekaError | undefined;
    let ocrUnavailable: KartotekaError | undefined;
    let ocrPages = 0;
    let scannedPages = 0;
    let blankPages = 0;
    let textLayerPages = 0;
    let confidenceSum = 0;
    let confidenceCount = 0;
    let canvasLib: Canvas | undefined;

    for (let number = 1; number <= doc.numPages; number++) {
      throwIfCancelled(context.signal);
      context.onPage?.(number, doc.numPages);
      let text = '';
      let page: PDFPageProxy | undefined;
      try {
        page = await doc.getPage(number);
        text = await pageText(page);
        const layerChars = meaningfulChars(text);
        if (layerChars >= MIN_TEXT_LAYER_CHARS) {
          textLayerPages++;
        } else {
          const painted = paintsSomething(pdfjs, (await page.getOperatorList()).fnArray);
          const scanned = painted.image || (layerChars === 0 && painted.anything);
          if (!scanned) {
            if (layerChars === 0) blankPages++;
            else textLayerPages++;
          } else {
            scannedPages++;
            if (ocrUnavailable || !context.ocr) {
              ocrUnavailable ??= new KartotekaError(
                'OCR_UNAVAILABLE',
                'This PDF holds scanned pages, and OCR is not available to read them. Install tesseract-ocr-rus, tesseract-ocr-ukr and tesseract-ocr-eng, or set KARTOTEKA_TESSDATA to a folder of .traineddata files.',
              );
              notRecognised.push(number);
            } else if (ocrPages >= context.limits.maxOcrPages) {
              notRecognised.push(number);
            } else {
              try {
                canvasLib ??= await loadCanvas();
                const image = await renderPage(page, canvasLib);
                throwIfCancelled(context.signal);
                const result = await context.ocr.recognize(image, context.ocrLanguages);
                ocrPages++;
                const recognised = tidy(result.text);
                if (recognised.length > 0) {
                  confidenceSum += result.confidence;
                  confidenceCount++;
                  text = recognised;
                }
              } catch (error) {
                if (error instanceof KartotekaError && error.code === 'CANCELLED') throw error;
                if (error instanceof KartotekaError && error.code === 'OCR_UNAVAILABLE') {
                  ocrUnavailable = error;
                  notRecognised.push(number);
                } else {
                  lastOcrError =
                    error instanceof KartotekaError && error.code === 'OCR_FAILED'
                      ? error
                      : new KartotekaError('OCR_FAILED', `Text recognition failed: ${error instanceof Error ? error.message : String(error)}`);
                  failedOcr.push(number);
                }
              }
            }
          }
        }
      } catch (error) {
        if (error instanceof KartotekaError) throw error;
        unreadable.push(number);
      } finally {
        // Each page's fonts, images and operator lists go before the next page is read.
        page?.cleanup();
      }
      if (parts.length > 0) offset += 2;
      parts.push(text);
      pages.push({ page: number, start: offset, end: offset + text.length });
      offset += text.length;
    }

    const fullText = parts.join('\n\n');
    const hasText = fullText.trim().length > 0;
    if (unreadable.length === doc.numPages) {
      throw new KartotekaError('CORRUPT_FILE', 'This PDF is damaged: none of its pages could be read.');
    }
    if (!hasText && ocrUnavailable) throw ocrUnavailable;
    if (!hasText && lastOcrError && ocrPages === 0) throw lastOcrError;
    if (!hasText && scannedPages === 0) {
      throw new KartotekaError('EMPTY_FILE', 'This PDF holds no text: its pages are blank.');
    }

    const warnings: string[] = [];
    if (unreadable.length > 0) {
      warnings.push(`${pagesLabel(unreadable)} could not be read; the file may be damaged or incomplete.`);
    }
    if (ocrUnavailable && notRecognised.length > 0) {
      warnings.push(`Scanned ${pagesLabel(notRecognised).toLowerCase()} ${notRecognised.length > 1 ? 'were' : 'was'} not recognised: ${ocrUnavailable.message}`);
    } else if (notRecognised.length > 0) {
      warnings.push(
        `Only the first ${context.limits.maxOcrPages} scanned pages were recognised (the OCR page limit); ${pagesLabel(notRecognised).toLowerCase()} ${notRecognised.length > 1 ? 'have' : 'has'} no text.`,
      );
    }
    if (failedOcr.length > 0 && lastOcrError) {
      warnings.push(`Recognition failed on ${pagesLabel(failedOcr).toLowerCase()}: ${lastOcrError.message}`);
    }
    if (ocrPages > 0 && confidenceCount === 0) warnings.push('No text was recognised on the scanned pages.');

    const details: Record<string, unknown> = { pages: doc.numPages, ocrPages };
    if (confidenceCount > 0) details.ocrConfidence = Math.round(confidenceSum / confidenceCount);
    if (ocrPages > 0) details.ocrLanguages = [...context.ocrLanguages];
    if (blankPages > 0) details.blankPages = blankPages;
    if (textLayerPages > 0 && ocrPages > 0) details.textLayerPages = textLayerPages;
    return {
      text: fullText,
      mediaType: 'application/pdf',
      textSource: ocrPages > 0 ? 'ocr' : 'text',
      pages,
      details,
      suggested,
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  } finally {
    await task.destroy();
  }
}

export const pdfImporter: Importer = {
  id: 'pdf',
  label: 'PDF (text layer, OCR for scanned pages)',
  extensions: ['.pdf'],
  extract: extractPdf,
};
