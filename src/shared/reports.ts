import { z } from 'zod';
import { ErrorCode } from './errors.ts';
import { DocumentId, DocumentKind, LanguageTag, Sha256 } from './document.ts';

/** One file that could not be imported: data, not an exception. */
export const FileFailure = z.object({ file: z.string(), code: ErrorCode, message: z.string() });
export type FileFailure = z.infer<typeof FileFailure>;

/**
 * The shape `kartoteka import --json` prints; kept stable for scripts. Every file ends in exactly
 * one list: imported, duplicates (the same bytes are already in the archive), possibleDuplicates
 * (imported, but its text equals a document already there, e.g. the PDF and the DOCX of one
 * letter) or failed.
 */
export const ImportReport = z.object({
  imported: z.array(z.object({ id: DocumentId, file: z.string(), sha256: Sha256 })),
  duplicates: z.array(z.object({ file: z.string(), id: DocumentId })),
  possibleDuplicates: z.array(z.object({ file: z.string(), id: DocumentId, sha256: Sha256, duplicateOf: DocumentId })),
  failed: z.array(FileFailure),
  /** Things worth knowing that did not stop a file (pages skipped by OCR, cues dropped). */
  warnings: z.array(z.object({ file: z.string(), message: z.string() })),
  /** True when the import was cancelled before every file was seen; running it again imports the rest. */
  cancelled: z.boolean(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const emptyImportReport = (): ImportReport => ({
  imported: [],
  duplicates: [],
  possibleDuplicates: [],
  failed: [],
  warnings: [],
  cancelled: false,
});

export const ImportProgress = z.object({
  jobId: z.string(),
  phase: z.enum(['scanning', 'importing', 'finished', 'cancelled', 'failed']),
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  possibleDuplicates: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  filesPerSecond: z.number().nonnegative(),
  /** Seconds left at the current rate; null until there is a rate to go by. */
  secondsLeft: z.number().nonnegative().nullable(),
  currentFile: z.string().nullable(),
  /** A long original being read page by page (a scan's OCR, minutes of work): which page it is at. */
  currentPage: z.object({ file: z.string(), page: z.number().int().positive(), pages: z.number().int().positive() }).nullish(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

/** An import's progress before anything is read: `total` files announced (0 while a folder is walked). */
export const initialImportProgress = (total = 0): Omit<ImportProgress, 'jobId'> => ({
  phase: 'scanning',
  total,
  done: 0,
  imported: 0,
  duplicates: 0,
  possibleDuplicates: 0,
  failed: 0,
  filesPerSecond: 0,
  secondsLeft: null,
  currentFile: null,
  currentPage: null,
});

/** [start, end) offsets, in UTF-16 code units, of highlighted words inside a snippet. */
export const Highlight = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);
export type Highlight = z.infer<typeof Highlight>;

export const SearchHit = z.object({
  id: DocumentId,
  title: z.string(),
  kind: DocumentKind,
  language: LanguageTag,
  file: z.string().nullable(),
  snippet: z.string(),
  highlights: z.array(Highlight),
  score: z.number(),
  date: z.string().nullable(),
  /** The PDF page the snippet is on. */
  page: z.number().int().positive().nullable(),
  /** Where in the recording the snippet is said, in seconds (transcripts). */
  time: z.number().nonnegative().nullable(),
  /** A hit in a translation names its original. */
  translationOf: z.object({ id: DocumentId, title: z.string(), language: LanguageTag }).nullable(),
  /** The other languages this document is available in (its original and translations). */
  otherLanguages: z.array(z.object({ id: DocumentId, language: LanguageTag })),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const FacetCount = z.object({ value: z.string(), count: z.number().int().nonnegative() });
export const Facets = z.object({
  kind: z.array(FacetCount),
  language: z.array(FacetCount),
  year: z.array(FacetCount),
  person: z.array(FacetCount),
  case: z.array(FacetCount),
  tag: z.array(FacetCount),
});
export type Facets = z.infer<typeof Facets>;

export const SearchSort = z.enum(['relevance', 'date-desc', 'date-asc']);
export type SearchSort = z.infer<typeof SearchSort>;

export const SearchRequest = z
  .object({
    query: z.string().max(2000),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(500).default(50),
    sort: SearchSort.default('relevance'),
    /** Facet counts over every match; they cost more than a page of hits, so the UI asks apart. */
    facets: z.boolean().default(false),
  })
  .strict();
export type SearchRequest = z.input<typeof SearchRequest>;

export const SavedSearch = z.object({
  name: z.string().trim().min(1).max(200),
  query: z.string().max(2000),
  sort: SearchSort,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedSearch = z.infer<typeof SavedSearch>;

export const SearchSuggestion = z.object({
  type: z.enum(['person', 'case', 'tag', 'title']),
  value: z.string(),
  /** Titles name their document. */
  id: DocumentId.nullable(),
});
export type SearchSuggestion = z.infer<typeof SearchSuggestion>;

export const IndexStatus = z.object({
  analyzerVersion: z.number().int(),
  current: z.boolean(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /**
   * The rebuild is under way but stands still (search.index.pause, or a step that failed): search
   * covers only `done` of `total` documents until search.index.resume, or until the archive is
   * opened again, which resumes it.
   */
  paused: z.boolean().default(false),
  /** Why the rebuild stopped by itself (disk full, the archive's folder gone), if it did. */
  failure: z.object({ code: ErrorCode, message: z.string() }).nullable().default(null),
});
export type IndexStatus = z.infer<typeof IndexStatus>;

/** The shape `kartoteka search --json` prints; kept stable for scripts. */
export const SearchResult = z.object({
  total: z.number().int().nonnegative(),
  hits: z.array(SearchHit),
  /** Index words close to query words that matched nothing ("did you mean"). */
  suggestions: z.array(z.string()),
  facets: Facets.nullable(),
  /** Set while the index is being rebuilt: results may be missing documents not yet reached. */
  indexing: IndexStatus.nullable(),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const VerifyProblem = z.object({
  kind: z.enum(['blob-missing', 'blob-mismatch', 'blob-unreferenced', 'audit-chain', 'catalogue']),
  subject: z.string(),
  message: z.string(),
});
export type VerifyProblem = z.infer<typeof VerifyProblem>;

export const VerifyReport = z.object({
  ok: z.boolean(),
  blobsChecked: z.number().int(),
  auditEntriesChecked: z.number().int(),
  problems: z.array(VerifyProblem),
});
export type VerifyReport = z.infer<typeof VerifyReport>;

export const ArchiveInfo = z.object({
  path: z.string(),
  name: z.string(),
  isSample: z.boolean(),
  documentCount: z.number().int().nonnegative(),
  schemaVersion: z.number().int(),
});
export type ArchiveInfo = z.infer<typeof ArchiveInfo>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.unknown(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export { DocumentId, LanguageTag };
