import type { DocumentKind } from '../../shared/document.ts';

/** Limits that keep one hostile or huge file from exhausting the machine. */
export interface ImportLimits {
  /** Files larger than this are refused before reading (FILE_TOO_LARGE). Default 500 MB. */
  maxFileBytes: number;
  /** Total bytes a zip container (DOCX, ODT) may expand to (UNPACKED_TOO_LARGE). Default 256 MB. */
  maxUnpackedBytes: number;
  /** Largest ratio uncompressed/compressed for one zip entry (UNPACKED_TOO_LARGE). Default 100. */
  maxCompressionRatio: number;
  /** Deepest element nesting accepted in HTML or XML (TOO_DEEPLY_NESTED). Default 1000. */
  maxNestingDepth: number;
  /** Pages OCR'd per scanned PDF before giving up on the rest (recorded as a warning). Default 500. */
  maxOcrPages: number;
}

export const defaultLimits: ImportLimits = {
  maxFileBytes: 500 * 1024 * 1024,
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxNestingDepth: 1000,
  maxOcrPages: 500,
};

/** Offline OCR, provided by the import pipeline (tesseract.js with local language data). */
export interface OcrEngine {
  /** image: the bytes of a PNG, JPEG or TIFF file. languages: tesseract codes such as 'rus', 'ukr', 'eng'. */
  recognize(image: Uint8Array, languages: readonly string[]): Promise<{ text: string; confidence: number }>;
  terminate(): Promise<void>;
}

export interface ExtractContext {
  fileName: string;
  limits: ImportLimits;
  /** An encoding the user chose for this document (WHATWG label, e.g. 'windows-1251'); beats detection. */
  encodingOverride?: string | undefined;
  /** false when the user reverted a mojibake repair: keep the text exactly as decoded. */
  repairMojibake: boolean;
  /** undefined where OCR cannot run; image and scanned-PDF importers then fail with OCR_UNAVAILABLE. */
  ocr: OcrEngine | undefined;
  /** Languages to OCR with, most likely first (tesseract codes). */
  ocrLanguages: readonly string[];
  signal?: AbortSignal | undefined;
  /** Told as each page of a paged original is taken up, so a long scan's OCR shows where it is. */
  onPage?: ((page: number, pages: number) => void) | undefined;
}

/** Where page N of a paged original sits in the extracted text: [start, end) offsets. */
export interface PageSpan {
  page: number;
  start: number;
  end: number;
}

/** One transcript cue: its time in seconds and where its words sit in the extracted text. */
export interface Cue {
  start: number;
  end: number;
  textStart: number;
  textEnd: number;
  speaker?: string | undefined;
}

export interface EncodingInfo {
  /** WHATWG encoding name as TextDecoder knows it: 'utf-8', 'utf-16le', 'windows-1251', 'koi8-r', 'ibm866', ... */
  name: string;
  /** 0..1 */
  confidence: number;
  bom: boolean;
  source: 'bom' | 'declared' | 'detected' | 'override';
}

export interface RepairInfo {
  /** What was undone, outermost first, e.g. ['utf-8 read as windows-1252', 'utf-8 read as windows-1251']. */
  steps: string[];
  /** Score of suspicious characters before and after; a repair is kept only when it lowers it. */
  scoreBefore: number;
  scoreAfter: number;
}

/** A file inside another (an e-mail's attachments); imported as its own document, linked to its parent. */
export interface Attachment {
  name: string;
  bytes: Uint8Array;
  mediaType?: string | undefined;
}

export interface Suggestions {
  title?: string | undefined;
  language?: string | undefined;
  kind?: DocumentKind | undefined;
  /** Partial ISO date: 2024, 2024-03 or 2024-03-15. */
  date?: string | undefined;
  authors?: string[] | undefined;
  recipients?: string[] | undefined;
}

/** What an importer reads out of a file. Suggestions never overwrite what a user typed. */
export interface Extraction {
  text: string;
  mediaType: string;
  /** 'none' for originals without text of their own (audio); 'ocr' when the text was recognised. */
  textSource: 'text' | 'ocr' | 'none';
  pages?: PageSpan[] | undefined;
  cues?: Cue[] | undefined;
  encoding?: EncodingInfo | undefined;
  repair?: RepairInfo | undefined;
  attachments?: Attachment[] | undefined;
  /** Facts about the extraction worth keeping in the audit log (page count, OCR confidence, ...). */
  details: Record<string, unknown>;
  suggested: Suggestions;
  /** Things the user should know that did not stop the import (e.g. pages skipped). */
  warnings?: string[] | undefined;
}

export interface Importer {
  id: string;
  label: string;
  /** Lower-case, with the dot: '.pdf'. */
  extensions: readonly string[];
  extract(bytes: Uint8Array, context: ExtractContext): Promise<Extraction>;
}
