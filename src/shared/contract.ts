import { z } from 'zod';
import { DocumentId, DocumentMetadataPatch, DocumentSummary, DocumentWithText, OcrLanguage, RereadStatus, ocrLanguages } from './document.ts';
import {
  ArchiveInfo,
  AuditEntry,
  ImportProgress,
  Highlight,
  ImportReport,
  IndexStatus,
  SavedSearch,
  SearchRequest,
  SearchResult,
  SearchSort,
  SearchSuggestion,
  VerifyReport,
} from './reports.ts';
import { LanguageTag } from './document.ts';
import {
  AlignedParagraphs,
  BulkPatch,
  BulkUpdateResult,
  Case,
  CaseDetails,
  CaseEvent,
  CaseEventInput,
  CaseInput,
  CaseList,
  Citation,
  Collection,
  CollectionName,
  DocumentPerson,
  DocumentPersonRole,
  DuplicatePair,
  EntityId,
  ImportRunSummary,
  ExportedFile,
  GlossaryEntry,
  GlossaryEntryInput,
  GlossaryMatch,
  Person,
  PersonDetails,
  PersonInput,
  Redaction,
  RowId,
  SavedSegment,
  TimelineItem,
  TranslationExportFormat,
} from './entities.ts';

// Bundles (issue 6)
import { BundleImportReport, BundleInspection, BundleOptions, BundlePreview, BundleProgress, BundleSelection, ExportReport } from './bundles.ts';
// Settings and archives (issue 5)
import { RecentArchive, SettingsPatch, UserSettings } from './settings.ts';

/** Largest single file the UI may hand over for import (the CLI reads paths and has no such cap). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** The page uploads files in batches of about this many bytes, so that no request grows huge. */
export const UPLOAD_BATCH_BYTES = 16 * 1024 * 1024;

const Empty = z.object({}).strict();

/**
 * The one API contract. IPC channels, the preload bridge, HTTP routes and the renderer client
 * are all derived from this object; no method name is written anywhere else.
 */
export const contract = {
  'archive.info': { request: Empty, response: ArchiveInfo },
  'archive.openSample': { request: Empty, response: ArchiveInfo },
  'archive.verify': { request: Empty, response: VerifyReport },
  /**
   * Opens the archive at an absolute path (create: a new, empty one there) and works on it from now
   * on; it heads the recent archives. NOT_AN_ARCHIVE, FILE_NOT_FOUND, PERMISSION_DENIED, ARCHIVE_EXISTS.
   */
  'archive.open': {
    request: z.object({ path: z.string().trim().min(1).max(4096), create: z.boolean().default(false) }).strict(),
    response: ArchiveInfo,
  },
  /** The archives opened before, the current one first, each saying whether it is still there. */
  'archive.recent': { request: Empty, response: z.array(RecentArchive) },
  /** Takes an archive off the recent list (the folder is not touched); answers with the list. */
  'archive.forget': { request: z.object({ path: z.string().min(1).max(4096) }).strict(), response: z.array(RecentArchive) },
  'settings.get': { request: Empty, response: UserSettings },
  /** Changes the fields sent (exportDefaults field by field); answers with all the settings. */
  'settings.update': { request: SettingsPatch, response: UserSettings },
  'documents.list': {
    request: z
      .object({
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    response: z.object({ total: z.number().int().nonnegative(), items: z.array(DocumentSummary) }),
  },
  'documents.get': { request: z.object({ id: DocumentId }).strict(), response: DocumentWithText },
  'documents.update': {
    request: z.object({ id: DocumentId, patch: DocumentMetadataPatch }).strict(),
    response: DocumentWithText,
  },
  'documents.history': {
    request: z.object({ id: DocumentId }).strict(),
    response: z.array(AuditEntry),
  },
  'documents.reextract': {
    request: z
      .object({
        id: DocumentId,
        /** A WHATWG encoding label to read the original with, or null to detect it again. */
        encoding: z.string().min(1).max(40).nullable().optional(),
        /** false undoes a mojibake repair; true applies it again. */
        repairMojibake: z.boolean().optional(),
      })
      .strict(),
    response: DocumentWithText,
  },
  /** Reads a document's original again in the background (a scan by OCR again); one at a time per document. */
  'documents.reread': {
    request: z
      .object({
        id: DocumentId,
        /** The languages to recognise a scan in; by default the three the archive reads. */
        ocrLanguages: z.array(OcrLanguage).min(1).max(ocrLanguages.length).optional(),
      })
      .strict(),
    response: RereadStatus,
  },
  /** The document's reading again in this session, the latest one; null when there was none. */
  'documents.rereadStatus': { request: z.object({ id: DocumentId }).strict(), response: RereadStatus.nullable() },
  /** Stops it: the document keeps the text it had. */
  'documents.rereadCancel': { request: z.object({ id: DocumentId }).strict(), response: RereadStatus.nullable() },
  'import.start': {
    request: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }).strict(),
    response: z.object({ jobId: z.string() }),
  },
  /**
   * Files the page uploads (picked or dropped in the web mode), imported in the background like
   * import.start, batch by batch: the first batch (no jobId) starts the job, saying how many files
   * will come in all (total); the next ones name it, and the last says so. A batch is answered when
   * the import has room for the next, so the page never runs far ahead of it. Files the page could
   * not send are reported as failures. Progress and cancel go through import.status and import.cancel;
   * a batch for a cancelled job is dropped.
   */
  'import.upload': {
    request: z
      .object({
        jobId: z.string().min(1).max(100).optional(),
        total: z.number().int().min(0).max(1_000_000).optional(),
        files: z
          .array(
            z
              .object({
                name: z.string().min(1).max(1000),
                // Base64 keeps one request shape for IPC and HTTP alike.
                dataBase64: z.string().max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4, 'file larger than 64 MB'),
              })
              .strict(),
          )
          .max(500),
        failed: z
          .array(z.object({ name: z.string().min(1).max(1000), code: z.enum(['FILE_TOO_LARGE', 'FILE_UNREADABLE']) }).strict())
          .max(10_000)
          .default([]),
        last: z.boolean(),
      })
      .strict()
      // Batches of about UPLOAD_BATCH_BYTES; a file larger than that goes alone.
      .refine((batch) => batch.files.reduce((sum, f) => sum + f.dataBase64.length, 0) <= Math.ceil(MAX_UPLOAD_BYTES / 3) * 4, {
        message: 'a batch larger than 64 MB',
        path: ['files'],
      }),
    response: z.object({ jobId: z.string() }),
  },
  'import.status': {
    request: z.object({ jobId: z.string() }).strict(),
    response: z.object({ progress: ImportProgress, report: ImportReport.nullable() }),
  },
  'import.cancel': { request: z.object({ jobId: z.string() }).strict(), response: ImportProgress },
  /** The archive's latest imports, newest first, whoever ran them, with the documents they brought in. */
  'import.recent': {
    request: z.object({ limit: z.number().int().min(1).max(50).default(6) }).strict(),
    response: z.array(ImportRunSummary),
  },
  'search.query': { request: SearchRequest, response: SearchResult },
  'search.suggest': {
    request: z.object({ prefix: z.string().max(200), limit: z.number().int().min(1).max(50).default(10) }).strict(),
    response: z.array(SearchSuggestion),
  },
  'search.saved.list': { request: z.object({}).strict(), response: z.array(SavedSearch) },
  'search.saved.save': {
    request: z.object({ name: SavedSearch.shape.name, query: z.string().max(2000), sort: SearchSort.default('relevance') }).strict(),
    response: SavedSearch,
  },
  'search.saved.delete': { request: z.object({ name: z.string().min(1).max(200) }).strict(), response: z.object({ deleted: z.boolean() }) },
  'search.index.status': { request: z.object({}).strict(), response: IndexStatus },
  /**
   * Empties the search index and rebuilds it from every document in the background; until it ends,
   * searches find only the documents done (IndexStatus says how many). CONFLICT while one is under way.
   */
  'search.index.rebuild': { request: Empty, response: IndexStatus },
  /** Stops the rebuild at once; it stays paused until search.index.resume, or until the archive is opened again. */
  'search.index.pause': { request: Empty, response: IndexStatus },
  /** Goes on with a paused rebuild (or one a failure stopped). */
  'search.index.resume': { request: Empty, response: IndexStatus },
  /** Where a query matches in one document's whole text, whatever form of each word matched. */
  'search.highlight': {
    request: z.object({ id: DocumentId, query: z.string().max(2000) }).strict(),
    response: z.array(Highlight),
  },

  // People, cases, collections, redactions, translations (issue 5)
  /** People whose name or a variant has words starting so ("Каг", "Kagar", "Борис Каг"); all of them without a prefix. */
  'people.list': {
    request: z
      .object({
        prefix: z.string().max(300).default(''),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    response: z.object({ total: z.number().int().nonnegative(), items: z.array(Person) }),
  },
  /** A person and the documents that name them (linked, or as an author or recipient). */
  'people.get': { request: z.object({ id: EntityId }).strict(), response: PersonDetails },
  /** Creates a person (id null or absent) or replaces one with what is sent (fields left out take their defaults); documents naming them are re-indexed. */
  'people.save': { request: PersonInput.extend({ id: EntityId.nullable().default(null) }).strict(), response: Person },
  'people.delete': { request: z.object({ id: EntityId }).strict(), response: z.object({ deleted: z.boolean() }) },
  /** The people a document names; what people.link and people.unlink answer with too. */
  'people.forDocument': { request: z.object({ documentId: DocumentId }).strict(), response: z.array(DocumentPerson) },
  'people.link': {
    request: z.object({ personId: EntityId, documentId: DocumentId, role: DocumentPersonRole.default('mentioned') }).strict(),
    response: z.array(DocumentPerson),
  },
  /** Without a role, every link of the person to the document goes. */
  'people.unlink': {
    request: z.object({ personId: EntityId, documentId: DocumentId, role: DocumentPersonRole.optional() }).strict(),
    response: z.array(DocumentPerson),
  },
  'cases.list': { request: z.object({}).strict(), response: CaseList },
  'cases.get': { request: z.object({ id: EntityId }).strict(), response: CaseDetails },
  /** Creates a case (id null or absent) or replaces one with what is sent (fields left out take their defaults); a new title is written into every document of the case. */
  'cases.save': { request: CaseInput.extend({ id: EntityId.nullable().default(null) }).strict(), response: Case },
  /** Its events go with it; its documents keep the title in their cases list unless detachDocuments. */
  'cases.delete': {
    request: z.object({ id: EntityId, detachDocuments: z.boolean().default(false) }).strict(),
    response: z.object({ deleted: z.boolean(), documentsChanged: z.number().int().nonnegative() }),
  },
  /** Adds an event (no id) or replaces one (with id). */
  'cases.saveEvent': { request: CaseEventInput, response: CaseEvent },
  'cases.deleteEvent': { request: z.object({ id: RowId }).strict(), response: z.object({ deleted: z.boolean() }) },
  /** A person's or a case's events and documents by date; undated documents last. */
  'timeline.get': {
    request: z.union([z.object({ personId: EntityId }).strict(), z.object({ caseId: EntityId }).strict()]),
    response: z.array(TimelineItem),
  },
  'collections.list': { request: z.object({}).strict(), response: z.array(Collection) },
  /** Creates a collection (id null or absent) or renames one. */
  'collections.save': { request: z.object({ id: EntityId.nullable().default(null), name: CollectionName }).strict(), response: Collection },
  'collections.delete': { request: z.object({ id: EntityId }).strict(), response: z.object({ deleted: z.boolean() }) },
  'collections.add': {
    request: z.object({ id: EntityId, documentIds: z.array(DocumentId).min(1).max(10_000) }).strict(),
    response: Collection,
  },
  'collections.remove': {
    request: z.object({ id: EntityId, documentIds: z.array(DocumentId).min(1).max(10_000) }).strict(),
    response: Collection,
  },
  'collections.documents': {
    request: z
      .object({ id: EntityId, offset: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(1000).default(200) })
      .strict(),
    response: z.object({ total: z.number().int().nonnegative(), items: z.array(DocumentSummary) }),
  },
  /** The collections a document is in, by name. */
  'collections.forDocument': { request: z.object({ documentId: DocumentId }).strict(), response: z.array(Collection) },
  /** Documents whose text equals one imported before (the PDF and the DOCX of one letter), newest first. */
  'duplicates.list': {
    request: z.object({ offset: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    response: z.object({ total: z.number().int().nonnegative(), items: z.array(DuplicatePair) }),
  },
  /** The two are different documents after all: the link between them goes, both stay; answers with how many pairs are left. */
  'duplicates.dismiss': {
    request: z.object({ documentId: DocumentId, duplicateOf: DocumentId }).strict(),
    response: z.object({ total: z.number().int().nonnegative() }),
  },
  'redactions.list': { request: z.object({ documentId: DocumentId }).strict(), response: z.array(Redaction) },
  /** Redacts [start, end) of the document's text; overlapping spans merge. Answers with all its spans. */
  'redactions.add': {
    request: z
      .object({
        documentId: DocumentId,
        start: z.number().int().nonnegative(),
        end: z.number().int().positive(),
        reason: z.string().max(1000).default(''),
      })
      .strict(),
    response: z.array(Redaction),
  },
  /** Answers with the spans its document still has. */
  'redactions.remove': { request: z.object({ id: RowId }).strict(), response: z.array(Redaction) },
  /** Kind, sensitivity, language, tags and cases of many documents at once; documents that fail are listed, the rest change. */
  'documents.updateMany': {
    request: z.object({ ids: z.array(DocumentId).min(1).max(10_000), patch: BulkPatch }).strict(),
    response: BulkUpdateResult,
  },
  /** A new, empty in-app translation of a document (a draft); CONFLICT (details.id) when one into that language exists. */
  'translations.start': {
    request: z.object({ originalId: DocumentId, language: LanguageTag, translator: z.string().trim().max(300).default('') }).strict(),
    response: DocumentWithText,
  },
  'translations.aligned': {
    request: z.object({ originalId: DocumentId, translationId: DocumentId }).strict(),
    response: AlignedParagraphs,
  },
  /** Saves the translation of the original's paragraph `seq` (empty text removes it); cheap enough to call as one types. */
  'translations.saveSegment': {
    request: z.object({ translationId: DocumentId, seq: z.number().int().nonnegative(), text: z.string().max(200_000) }).strict(),
    response: SavedSegment,
  },
  /** The document's text as TXT (UTF-8) or DOCX, redactions blacked out. */
  'translations.export': {
    request: z.object({ id: DocumentId, format: TranslationExportFormat }).strict(),
    response: ExportedFile,
  },
  'glossary.list': {
    request: z.object({ sourceLanguage: LanguageTag.optional(), targetLanguage: LanguageTag.optional(), prefix: z.string().max(300).optional() }).strict(),
    response: z.array(GlossaryEntry),
  },
  /** Adds an entry (id null or absent) or replaces one; CONFLICT when the term is already there for that pair of languages. */
  'glossary.save': { request: GlossaryEntryInput.extend({ id: RowId.nullable().default(null) }).strict(), response: GlossaryEntry },
  'glossary.delete': { request: z.object({ id: RowId }).strict(), response: z.object({ deleted: z.boolean() }) },
  /** The entries whose term occurs in the text (a paragraph being translated), in any inflection, with where. */
  'glossary.for': {
    request: z.object({ text: z.string().max(200_000), sourceLanguage: LanguageTag, targetLanguage: LanguageTag }).strict(),
    response: z.array(GlossaryMatch),
  },
  /** "Title, date, p. N (file)"; page only for documents with pages (PDF). */
  'citations.get': {
    request: z.object({ id: DocumentId, page: z.number().int().positive().nullable().default(null) }).strict(),
    response: Citation,
  },
  /** Every hit of a query as CSV (UTF-8 with BOM, for Excel): id, title, kind, language, date, page, time, file, snippet. */
  'search.csv': {
    request: z.object({ query: z.string().max(2000), sort: SearchSort.default('relevance') }).strict(),
    response: ExportedFile.extend({ rows: z.number().int().nonnegative() }),
  },

  // Bundles (issue 6)
  /** Writes a bundle (a zip holding a BagIt bag and a viewer; an age file when encrypted) to an absolute path on this machine. */
  'bundles.export': {
    request: z
      .object({ selection: BundleSelection, options: BundleOptions.prefault({}), path: z.string().min(1).max(4096) })
      .strict(),
    response: ExportReport,
  },
  /** Decrypts and verifies a bundle and says what importing it would add; the archive is not changed. */
  'bundles.inspect': {
    request: z.object({ path: z.string().min(1).max(4096), passphrase: z.string().max(1024).optional() }).strict(),
    response: BundleInspection,
  },
  /** Imports a verified bundle in one transaction; its bag-info goes to the audit log. */
  'bundles.import': {
    request: z.object({ path: z.string().min(1).max(4096), passphrase: z.string().max(1024).optional() }).strict(),
    response: BundleImportReport,
  },
  /** How far the running export or import has got (null before the first). */
  'bundles.progress': { request: z.object({}).strict(), response: BundleProgress.nullable() },
  /**
   * Stops the running export or import: the call running answers CANCELLED; an export leaves no
   * file, an import stopped before its merge leaves the archive as it was. cancelled: false when none ran.
   */
  'bundles.cancel': { request: z.object({}).strict(), response: z.object({ cancelled: z.boolean() }) },
  /** What exporting a selection with these options would hold (items, originals, what stays out); nothing is written. */
  'bundles.preview': {
    request: z.object({ selection: BundleSelection, options: BundleOptions.prefault({}) }).strict(),
    response: BundlePreview,
  },
  /** Where a new bundle is offered to go: <folder, else ~/Kartoteka exports>/kartoteka-YYYY-MM-DD.zip(.age), a name not yet taken. */
  'bundles.defaultPath': {
    request: z.object({ encrypted: z.boolean().default(false), folder: z.string().min(1).max(4096).nullable().default(null) }).strict(),
    response: z.object({ path: z.string(), folder: z.string() }),
  },
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export const methods = Object.keys(contract) as Method[];

export type Request<M extends Method> = z.input<Contract[M]['request']>;
export type ParsedRequest<M extends Method> = z.output<Contract[M]['request']>;
export type Response<M extends Method> = z.output<Contract[M]['response']>;

export function isMethod(name: string): name is Method {
  return Object.hasOwn(contract, name);
}

/** IPC channel of a method; the only place a channel name is spelled. */
export const channelOf = (method: Method): string => `kartoteka:${method}`;

/** HTTP path of a method in the local web mode. */
export const httpPathOf = (method: Method): string => `/api/${method}`;

/**
 * The one message that goes from main to the window: a command from the desktop app's menus
 * (src/main/app-menu.ts). Importing carries the paths main's native dialog chose, since a page may
 * open its own file picker only from a click or key press in the page.
 */
export const MenuCommand = z.union([
  z.object({ command: z.enum(['open-archive', 'new-archive', 'export-bundle', 'import-bundle', 'focus-search', 'search-help', 'shortcuts']) }).strict(),
  z.object({ command: z.literal('import'), paths: contract['import.start'].request.shape.paths }).strict(),
]);
export type MenuCommand = z.infer<typeof MenuCommand>;

/** The IPC channel menu commands come on (main sends, the preload listens). */
export const menuChannel = 'kartoteka-menu:command';
