import { z } from 'zod';
import { ErrorEnvelope } from './errors.ts';

export const documentKinds = [
  'letter',
  'audio-message',
  'court-document',
  'statement',
  'article',
  'testimony',
  'other',
] as const;
export const DocumentKind = z.enum(documentKinds);
export type DocumentKind = z.infer<typeof DocumentKind>;

export const sensitivities = ['public', 'internal', 'confidential'] as const;
export const Sensitivity = z.enum(sensitivities);
export type Sensitivity = z.infer<typeof Sensitivity>;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A date known to the year, the month or the day: 2024, 2024-03, 2024-03-15. */
export const PartialDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date is YYYY, YYYY-MM or YYYY-MM-DD')
  .refine((value) => {
    const [year, month, day] = value.split('-').map(Number);
    if (month === undefined) return true;
    if (month < 1 || month > 12) return false;
    if (day === undefined) return true;
    return day >= 1 && day <= daysInMonth(year ?? 0, month);
  }, 'no such month or day');
export type PartialDate = z.infer<typeof PartialDate>;

/** BCP-47 language tag, loosely checked (language, then subtags), or "und" when unknown. */
export const LanguageTag = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'a language is a BCP-47 tag such as ru, uk, en or pt-BR');

export const DocumentId = z.string().regex(/^[0-9a-z]{8,40}$/, 'not a document id');

const Name = z.string().trim().min(1).max(300);

export const translationStatuses = ['draft', 'reviewed', 'final'] as const;
export const TranslationStatus = z.enum(translationStatuses);
export type TranslationStatus = z.infer<typeof TranslationStatus>;

/** The metadata fields without defaults: a patch names only the fields it changes. */
const metadataFields = {
  kind: DocumentKind,
  title: z.string().trim().min(1).max(500),
  language: LanguageTag,
  date: PartialDate.nullable(),
  dateApproximate: z.boolean(),
  authors: z.array(Name),
  recipients: z.array(Name),
  source: z.string().max(2000),
  sensitivity: Sensitivity,
  tags: z.array(z.string().trim().min(1).max(100)),
  /** Cases (names or numbers) the document belongs to. */
  cases: z.array(z.string().trim().min(1).max(200)),
  notes: z.string().max(100_000),
  translationOf: DocumentId.nullable(),
  /** Who translated it (translations only); empty when unknown. */
  translator: z.string().trim().max(300),
  /** How far a translation has got; null for documents that are not translations. */
  translationStatus: TranslationStatus.nullable(),
};

export const DocumentMetadata = z.object({
  ...metadataFields,
  // Defaults keep metadata written before these fields existed (sample manifest, scripts) valid.
  cases: metadataFields.cases.default([]),
  translator: metadataFields.translator.default(''),
  translationStatus: metadataFields.translationStatus.default(null),
});
export type DocumentMetadata = z.infer<typeof DocumentMetadata>;

/**
 * Built from the fields without defaults: a partial of DocumentMetadata would fill in the defaults
 * and so wipe a document's cases on every update that did not mention them.
 */
export const DocumentMetadataPatch = z.object(metadataFields).partial();
export type DocumentMetadataPatch = z.infer<typeof DocumentMetadataPatch>;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const DocumentFile = z.object({
  sha256: Sha256,
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int().nonnegative(),
  role: z.enum(['original']),
});
export type DocumentFile = z.infer<typeof DocumentFile>;

export const TextSource = z.enum(['text', 'ocr', 'none']);

/** The languages OCR can read a scan in (Tesseract's codes); their data ships with the app's packages. */
export const ocrLanguages = ['rus', 'ukr', 'eng'] as const;
export const OcrLanguage = z.enum(ocrLanguages);
export type OcrLanguage = z.infer<typeof OcrLanguage>;
export type TextSource = z.infer<typeof TextSource>;

export const DocumentLink = z.object({
  id: DocumentId,
  title: z.string(),
  kind: z.enum(['attachment', 'transcript', 'possible-duplicate']),
  /** 'from': this document points at the other (an e-mail at its attachment, audio at its transcript). */
  direction: z.enum(['from', 'to']),
});
export type DocumentLink = z.infer<typeof DocumentLink>;

export const DocumentRecord = DocumentMetadata.extend({
  id: DocumentId,
  createdAt: z.string(),
  updatedAt: z.string(),
  files: z.array(DocumentFile),
  translations: z.array(z.object({ id: DocumentId, language: LanguageTag, title: z.string() })),
  textSource: TextSource,
  /** How the text was decoded, for text formats; the user can override it. */
  encoding: z.object({ name: z.string(), confidence: z.number(), source: z.string() }).nullable(),
  /**
   * How a scan's text was recognised: the OCR languages (empty when the archive did not record
   * them), the mean confidence (0-100) and the pages recognised; null when no OCR was done.
   */
  ocr: z.object({ languages: z.array(OcrLanguage), confidence: z.number().nullable(), pages: z.number().int().nonnegative() }).nullable(),
  /** A mojibake repair applied to the text (never to the original); reverted: the user undid it. */
  repair: z.object({ steps: z.array(z.string()), reverted: z.boolean() }).nullable(),
  pages: z.array(z.object({ page: z.number().int(), start: z.number().int(), end: z.number().int() })),
  cues: z.array(
    z.object({ start: z.number(), end: z.number(), textStart: z.number().int(), textEnd: z.number().int(), speaker: z.string().nullable() }),
  ),
  links: z.array(DocumentLink),
  warnings: z.array(z.string()),
  /** Metadata fields a person set; re-extraction never overwrites them. */
  userFields: z.array(z.string()),
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;

export const DocumentWithText = DocumentRecord.extend({ text: z.string() });
export type DocumentWithText = z.infer<typeof DocumentWithText>;

/**
 * A document's original read again in the background (a scan's OCR may take minutes): the page it
 * is at, then the document with its new text, or why it failed or that it was stopped.
 */
export const RereadStatus = z.object({
  documentId: DocumentId,
  state: z.enum(['reading', 'finished', 'cancelled', 'failed']),
  page: z.object({ page: z.number().int().positive(), pages: z.number().int().positive() }).nullable(),
  document: DocumentWithText.nullable(),
  error: ErrorEnvelope.pick({ code: true, message: true }).nullable(),
});
export type RereadStatus = z.infer<typeof RereadStatus>;

export const DocumentSummary = z.object({
  id: DocumentId,
  kind: DocumentKind,
  title: z.string(),
  language: LanguageTag,
  date: PartialDate.nullable(),
  dateApproximate: z.boolean(),
  authors: z.array(z.string()),
  sensitivity: Sensitivity,
  translationOf: DocumentId.nullable(),
  fileName: z.string().nullable(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;
