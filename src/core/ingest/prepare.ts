import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { KartotekaError, type ErrorCode } from '../../shared/errors.ts';
import { importerFor, supportedExtensions } from '../importers/registry.ts';
import type { Attachment, Extraction, ImportLimits, OcrEngine } from '../importers/types.ts';
import { analyzeText, type AnalyzedText } from '../search/analyzer.ts';
import { detectLanguage } from '../text/language.ts';
import { suggestMetadata } from '../text/suggest.ts';

/** One file for the pipeline: read from `path`, or given as `bytes` (uploads, e-mail attachments). */
export interface ExtractJob {
  key: number;
  /** How reports name the file. */
  file: string;
  name: string;
  path?: string | undefined;
  bytes?: Uint8Array | undefined;
  /** The file's size when it was scanned: the pool gives small files to a busy worker, big ones wait for a free one. */
  size?: number | undefined;
  encodingOverride?: string | undefined;
  repairMojibake: boolean;
  /**
   * Keep the bytes even when they cannot be read (an e-mail's attachment in an unknown or broken
   * format): the original is stored without text, with a warning, instead of failing.
   */
  keepUnreadable?: boolean | undefined;
}

export interface Prepared {
  key: number;
  ok: true;
  sha256: string;
  size: number;
  mtimeMs: number | null;
  importerId: string;
  /** The original's bytes, for the pipeline to store before it commits. */
  bytes: Uint8Array;
  extraction: Omit<Extraction, 'attachments'>;
  attachments: Attachment[];
  textHash: string | null;
  /** The text analyzed for the search index in the suggested language, here in the worker thread. */
  analyzedBody: AnalyzedText;
}

export interface PrepareFailure {
  key: number;
  ok: false;
  code: ErrorCode;
  message: string;
}

export type PrepareResult = Prepared | PrepareFailure;

export interface PrepareEnv {
  limits: ImportLimits;
  ocrLanguages: readonly string[];
  /** Created on first use only: most imports never need OCR. */
  ocr: () => Promise<OcrEngine | undefined>;
}

const fsCodes: Record<string, [ErrorCode, string]> = {
  ENOENT: ['FILE_NOT_FOUND', 'No such file or folder.'],
  ENOTDIR: ['FILE_NOT_FOUND', 'No such file or folder.'],
  EACCES: ['PERMISSION_DENIED', 'Permission denied: Kartoteka may not read this.'],
  EPERM: ['PERMISSION_DENIED', 'Permission denied: Kartoteka may not read this.'],
  EISDIR: ['NOT_A_FILE', 'This is a folder where a file was expected.'],
};

/** Any error from reading or extracting a file, as a code and a message a person can act on. */
export function describeFailure(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof KartotekaError) return { code: error.code, message: error.message };
  const errno = error as NodeJS.ErrnoException | undefined;
  const known = typeof errno?.code === 'string' ? fsCodes[errno.code] : undefined;
  if (known) return { code: known[0], message: known[1] };
  if (errno?.code === 'ERR_SQLITE_ERROR') {
    return { code: 'STORAGE_FAILED', message: `The catalogue refused the change, so nothing of this file was kept: ${errno.message}` };
  }
  if (typeof errno?.syscall === 'string') return { code: 'FILE_UNREADABLE', message: `The file could not be read (${String(errno.code)}).` };
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return { code: 'TOO_DEEPLY_NESTED', message: 'The file is nested too deeply to be read.' };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * A hash of the text with case, punctuation and spacing folded away: two files with the same
 * words (the PDF and the DOCX of one letter) get the same one. Works through the text in slices
 * cut between words, so a 200 MB text costs no more memory than a slice.
 */
export function textHashOf(text: string): string | null {
  const hash = createHash('sha256');
  const slice = 1 << 20;
  let words = 0;
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + slice);
    // Move the cut to the end of a word, so no word is split between two slices.
    while (end < text.length && /[\p{L}\p{N}]/u.test(text[end] ?? '')) end++;
    const folded = text
      .slice(at, end)
      .normalize('NFKC')
      .toLowerCase()
      .replace(/ё/gu, 'е')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    if (folded) {
      hash.update(words > 0 ? ` ${folded}` : folded);
      // Only whether there are at least five words matters; stop counting there.
      words++;
      for (let i = folded.indexOf(' '); i !== -1 && words < 5; i = folded.indexOf(' ', i + 1)) words++;
    }
    at = end;
  }
  return words < 5 ? null : hash.digest('hex');
}

function lazyOcr(env: PrepareEnv): OcrEngine {
  let engine: Promise<OcrEngine | undefined> | undefined;
  const get = async (): Promise<OcrEngine> => {
    engine ??= env.ocr();
    const ready = await engine;
    if (!ready) {
      throw new KartotekaError(
        'OCR_UNAVAILABLE',
        'This file needs OCR, but no Russian/Ukrainian/English language data was found. Install tesseract-ocr-rus, tesseract-ocr-ukr and tesseract-ocr-eng, or set KARTOTEKA_TESSDATA to a folder of .traineddata files.',
      );
    }
    return ready;
  };
  return {
    recognize: async (image, languages) => (await get()).recognize(image, languages),
    terminate: async () => (await engine)?.terminate(),
  };
}

/**
 * The heavy part of importing one file, safe to run in a worker thread: read, hash, extract the
 * text and suggest metadata. Neither the blob store nor the catalogue is touched here; the
 * pipeline stores and commits the result.
 */
export async function prepareFile(
  job: ExtractJob,
  env: PrepareEnv,
  ocr: OcrEngine = lazyOcr(env),
  onPage?: (page: number, pages: number) => void,
): Promise<PrepareResult> {
  const fail = (error: unknown): PrepareFailure => ({ key: job.key, ok: false, ...describeFailure(error) });
  const entry = importerFor(job.name);
  // Made only when needed: an error captures a stack, which costs more than reading a small file.
  const unsupported = (): KartotekaError =>
    new KartotekaError(
      'UNSUPPORTED_FORMAT',
      `Kartoteka cannot read ${extname(job.name) || 'files without an extension'} files; it reads ${supportedExtensions().join(' ')}.`,
    );
  if (!entry && !(job.keepUnreadable && job.bytes)) return fail(unsupported());
  let kept: { bytes: Uint8Array; sha256: string } | undefined;
  try {
    if (!entry) throw unsupported();
    const importer = await entry.load();
    let bytes: Uint8Array;
    let mtimeMs: number | null = null;
    if (job.bytes) {
      bytes = job.bytes;
    } else if (job.path) {
      const info = await stat(job.path);
      if (!info.isFile()) throw new KartotekaError('NOT_A_FILE', 'Not a regular file.');
      if (info.size > env.limits.maxFileBytes) {
        throw new KartotekaError(
          'FILE_TOO_LARGE',
          `The file is ${Math.round(info.size / 1048576)} MB; the limit is ${Math.round(env.limits.maxFileBytes / 1048576)} MB (a setting).`,
        );
      }
      mtimeMs = Math.trunc(info.mtimeMs);
      bytes = await readFile(job.path);
    } else {
      throw new KartotekaError('INTERNAL', 'A job with neither a path nor bytes.');
    }
    if (bytes.length > env.limits.maxFileBytes) {
      throw new KartotekaError('FILE_TOO_LARGE', `The file is larger than the ${Math.round(env.limits.maxFileBytes / 1048576)} MB limit.`);
    }
    if (bytes.length === 0) throw new KartotekaError('EMPTY_FILE', 'The file is empty.');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    kept = { bytes, sha256 };
    const { attachments = [], ...extraction } = await importer.extract(bytes, {
      fileName: job.name,
      limits: env.limits,
      encodingOverride: job.encodingOverride,
      repairMojibake: job.repairMojibake,
      ocr,
      ocrLanguages: env.ocrLanguages,
      onPage,
    });
    if (extraction.textSource === 'text' && extraction.text.trim().length === 0 && attachments.length === 0) {
      throw new KartotekaError('EMPTY_FILE', 'The file holds no text.');
    }
    const generic = suggestMetadata(extraction.text, { fileName: job.name, language: extraction.suggested.language });
    const language = extraction.suggested.language ?? generic.language ?? (extraction.text ? detectLanguage(extraction.text).language : 'und');
    const suggested = { ...generic, ...definedOnly(extraction.suggested), language };
    return {
      key: job.key,
      ok: true,
      sha256,
      size: bytes.length,
      mtimeMs,
      importerId: importer.id,
      bytes,
      extraction: { ...extraction, suggested },
      attachments,
      textHash: textHashOf(extraction.text),
      analyzedBody: analyzeText(extraction.text, language),
    };
  } catch (error) {
    const bytes = kept?.bytes ?? job.bytes;
    if (!job.keepUnreadable || !bytes || bytes.length === 0) return fail(error);
    return keepWithoutText(job, bytes, describeFailure(error).message);
  }
}

/** Stores an attachment that could not be read as an original without text, so nothing of a letter is lost. */
function keepWithoutText(job: ExtractJob, bytes: Uint8Array, reason: string): Prepared {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    key: job.key,
    ok: true,
    sha256,
    size: bytes.length,
    mtimeMs: null,
    importerId: 'unreadable',
    bytes,
    extraction: {
      text: '',
      mediaType: 'application/octet-stream',
      textSource: 'none',
      details: { unreadable: reason },
      suggested: { title: job.name, language: 'und' },
      warnings: [`Kept without text: ${reason}`],
    },
    attachments: [],
    textHash: null,
    analyzedBody: { stems: '', keys: '' },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
