import { z } from 'zod';
import { DocumentId, DocumentKind, DocumentSummary, LanguageTag, PartialDate, Sensitivity, TranslationStatus } from './document.ts';
import { ErrorCode } from './errors.ts';
import { Highlight } from './reports.ts';

/**
 * People, cases, collections, redactions, translations, the glossary and citations (issue 5): the
 * things archivists, translators and lawyers work with besides documents.
 */

/** Ids of people, cases and collections: the same time-ordered form as document ids. */
export const EntityId = z.string().regex(/^[0-9a-z]{8,40}$/, 'not an id');
export type EntityId = z.infer<typeof EntityId>;

/** Row ids of case events, redactions and glossary entries. */
export const RowId = z.number().int().positive();

const Name = z.string().trim().min(1).max(300);
const Notes = z.string().max(100_000);

// ---------------------------------------------------------------------------------------------
// People

export const personRoles = ['prisoner', 'relative', 'lawyer', 'translator', 'author', 'journalist', 'other'] as const;
export const PersonRole = z.enum(personRoles);
export type PersonRole = z.infer<typeof PersonRole>;

/** What a person is to one document they are linked to. */
export const documentPersonRoles = ['author', 'recipient', 'mentioned', 'subject', 'lawyer', 'translator', 'source', 'other'] as const;
export const DocumentPersonRole = z.enum(documentPersonRoles);
export type DocumentPersonRole = z.infer<typeof DocumentPersonRole>;

export const PersonInput = z.object({
  name: Name,
  /** Other spellings and scripts of the name ("Boris Kagarlitsky", "Кагарлицкий Б. Ю."); search finds any of them. */
  variants: z.array(Name).max(200).default([]),
  roles: z.array(PersonRole).max(personRoles.length).default([]),
  notes: Notes.default(''),
});
export type PersonInput = z.input<typeof PersonInput>;

export const Person = z.object({
  id: EntityId,
  name: z.string(),
  variants: z.array(z.string()),
  roles: z.array(PersonRole),
  notes: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Person = z.infer<typeof Person>;

/** How a document names a person: links a person made, and authors or recipients equal to their name or a variant. */
export const PersonMention = z.object({
  /** Roles of the document_people links (they can be unlinked). */
  linkedRoles: z.array(DocumentPersonRole),
  /** The document's authors or recipients list names this person (change the document's metadata to undo). */
  namedAs: z.array(z.enum(['author', 'recipient'])),
});
export type PersonMention = z.infer<typeof PersonMention>;

export const PersonDocument = DocumentSummary.extend(PersonMention.shape);
export type PersonDocument = z.infer<typeof PersonDocument>;

export const PersonDetails = Person.extend({ documents: z.array(PersonDocument) });
export type PersonDetails = z.infer<typeof PersonDetails>;

export const DocumentPerson = PersonMention.extend({ person: Person });
export type DocumentPerson = z.infer<typeof DocumentPerson>;

// ---------------------------------------------------------------------------------------------
// Cases

export const Charge = z.object({
  /** The article, as the court writes it: "205.2(2)". */
  article: z.string().trim().min(1).max(100),
  /** The code it is an article of: "Criminal Code of the Russian Federation". */
  code: z.string().trim().max(300).default(''),
  description: z.string().max(5000).default(''),
});
export type Charge = z.infer<typeof Charge>;

export const CaseInput = z.object({
  /** Unique; documents name a case by its title (their `cases` list). */
  title: z.string().trim().min(1).max(200),
  court: z.string().trim().max(500).default(''),
  charges: z.array(Charge).max(100).default([]),
  notes: Notes.default(''),
});
export type CaseInput = z.input<typeof CaseInput>;

export const Case = z.object({
  id: EntityId,
  title: z.string(),
  court: z.string(),
  charges: z.array(Charge),
  notes: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Case = z.infer<typeof Case>;

export const CaseSummary = Case.extend({
  documentCount: z.number().int().nonnegative(),
  eventCount: z.number().int().nonnegative(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const eventKinds = ['arrest', 'detention', 'charge', 'trial', 'verdict', 'appeal', 'transfer', 'release', 'other'] as const;
export const EventKind = z.enum(eventKinds);
export type EventKind = z.infer<typeof EventKind>;

export const CaseEventInput = z
  .object({
    /** Absent: a new event; present: the event to change. */
    id: RowId.optional(),
    caseId: EntityId.nullable().default(null),
    personId: EntityId.nullable().default(null),
    kind: EventKind,
    date: PartialDate,
    place: z.string().trim().max(500).default(''),
    description: z.string().max(20_000).default(''),
  })
  .strict()
  .refine((event) => event.caseId !== null || event.personId !== null, 'an event belongs to a case, a person or both');
export type CaseEventInput = z.input<typeof CaseEventInput>;

export const CaseEvent = z.object({
  id: RowId,
  caseId: EntityId.nullable(),
  /** The case's title, for showing the event in a person's timeline. */
  caseTitle: z.string().nullable(),
  personId: EntityId.nullable(),
  personName: z.string().nullable(),
  kind: EventKind,
  date: PartialDate,
  place: z.string(),
  description: z.string(),
});
export type CaseEvent = z.infer<typeof CaseEvent>;

export const CaseDetails = Case.extend({
  events: z.array(CaseEvent),
  /** Documents whose `cases` list holds the case's title, oldest first. */
  documents: z.array(DocumentSummary),
});
export type CaseDetails = z.infer<typeof CaseDetails>;

export const CaseList = z.object({
  items: z.array(CaseSummary),
  /** Case titles documents name that have no case record yet (the UI can offer to create them). */
  unrecorded: z.array(z.object({ title: z.string(), documentCount: z.number().int().nonnegative() })),
});
export type CaseList = z.infer<typeof CaseList>;

/** A timeline: events and documents by date; undated documents come last, with date null. */
export const TimelineItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), date: PartialDate, event: CaseEvent }),
  z.object({ type: z.literal('document'), date: PartialDate.nullable(), document: DocumentSummary }),
]);
export type TimelineItem = z.infer<typeof TimelineItem>;

// ---------------------------------------------------------------------------------------------
// Collections

export const Collection = z.object({
  id: EntityId,
  name: z.string(),
  createdAt: z.string(),
  documentCount: z.number().int().nonnegative(),
});
export type Collection = z.infer<typeof Collection>;

export const CollectionName = z.string().trim().min(1).max(200);

// ---------------------------------------------------------------------------------------------
// Recent imports

/** One import into the archive (a folder, files dropped, a command-line run) as the sidebar lists it. */
export const ImportRunSummary = z.object({
  id: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['running', 'finished', 'cancelled', 'interrupted']),
  /** The folders and files it was started with. */
  roots: z.array(z.string()),
  counts: z.object({
    imported: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
    possibleDuplicates: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
  /** The first documents it brought in (imported or possible duplicates). */
  documents: z.array(z.object({ id: DocumentId, title: z.string(), file: z.string() })),
  /** The first files that failed, with their code and the importer's message (none kept by imports made before schema 6). */
  failed: z.array(z.object({ file: z.string(), code: ErrorCode, message: z.string() })),
  /** The first possible duplicates: the document imported and the one whose text it repeats (its title; null once deleted). */
  possibleDuplicates: z.array(z.object({ file: z.string(), id: DocumentId, duplicateOf: DocumentId, duplicateOfTitle: z.string().nullable() })),
});
export type ImportRunSummary = z.infer<typeof ImportRunSummary>;

// ---------------------------------------------------------------------------------------------
// Possible duplicates

/** A document whose text equals that of one the archive had before it: the two, for an archivist to compare. */
export const DuplicatePair = z.object({
  document: DocumentSummary,
  duplicateOf: DocumentSummary,
  linkedAt: z.string(),
});
export type DuplicatePair = z.infer<typeof DuplicatePair>;

// ---------------------------------------------------------------------------------------------
// Redactions

export const Redaction = z.object({
  id: RowId,
  documentId: DocumentId,
  /** [start, end) in UTF-16 code units of the document's text. */
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  reason: z.string(),
  createdAt: z.string(),
});
export type Redaction = z.infer<typeof Redaction>;

// ---------------------------------------------------------------------------------------------
// Bulk edit

const ListEdit = z
  .object({
    add: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
    remove: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  })
  .strict();

export const BulkPatch = z
  .object({
    kind: DocumentKind.optional(),
    sensitivity: Sensitivity.optional(),
    language: LanguageTag.optional(),
    /** Tags to add and to remove (compared case-insensitively, as the tag: filter does). */
    tags: ListEdit.optional(),
    /** Case titles to add and to remove. */
    cases: ListEdit.optional(),
  })
  .strict();
export type BulkPatch = z.input<typeof BulkPatch>;

export const BulkUpdateResult = z.object({
  updated: z.array(DocumentId),
  unchanged: z.array(DocumentId),
  /** Documents that could not be changed; every other document was changed. */
  failed: z.array(z.object({ id: z.string(), code: ErrorCode, message: z.string() })),
});
export type BulkUpdateResult = z.infer<typeof BulkUpdateResult>;

// ---------------------------------------------------------------------------------------------
// Translations

/** A paragraph of a text: [start, end) offsets in the text, and the paragraph itself. */
export const Paragraph = z.object({
  index: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
});
export type Paragraph = z.infer<typeof Paragraph>;

export const TranslationProgress = z.object({
  /** Paragraphs of the original that have a translation. */
  done: z.number().int().nonnegative(),
  /** Paragraphs of the original. */
  total: z.number().int().nonnegative(),
});
export type TranslationProgress = z.infer<typeof TranslationProgress>;

export const AlignedParagraphs = z.object({
  original: z.object({ id: DocumentId, title: z.string(), language: LanguageTag }),
  translation: z.object({
    id: DocumentId,
    title: z.string(),
    language: LanguageTag,
    translator: z.string(),
    status: TranslationStatus.nullable(),
    /** Made in the app paragraph by paragraph (editable with translations.saveSegment), not imported from a file. */
    inApp: z.boolean(),
  }),
  progress: TranslationProgress,
  /**
   * One pair per paragraph index, as many as the longer side has. An in-app translation's
   * paragraph `index` is the original paragraph it translates; null where there is none yet.
   */
  pairs: z.array(z.object({ index: z.number().int().nonnegative(), original: Paragraph.nullable(), translation: Paragraph.nullable() })),
});
export type AlignedParagraphs = z.infer<typeof AlignedParagraphs>;

export const SavedSegment = z.object({
  seq: z.number().int().nonnegative(),
  updatedAt: z.string(),
  progress: TranslationProgress,
});
export type SavedSegment = z.infer<typeof SavedSegment>;

/** A file made for the user to save: a translation's export, search results as CSV. */
export const ExportedFile = z.object({
  fileName: z.string(),
  mediaType: z.string(),
  dataBase64: z.string(),
});
export type ExportedFile = z.infer<typeof ExportedFile>;

export const TranslationExportFormat = z.enum(['txt', 'docx']);
export type TranslationExportFormat = z.infer<typeof TranslationExportFormat>;

// ---------------------------------------------------------------------------------------------
// Glossary

export const GlossaryEntryInput = z.object({
  sourceLanguage: LanguageTag,
  /** A word or phrase in the source language; it matches in any inflection. */
  term: z.string().trim().min(1).max(300),
  targetLanguage: LanguageTag,
  translation: z.string().trim().min(1).max(1000),
  note: z.string().max(5000).default(''),
});
export type GlossaryEntryInput = z.input<typeof GlossaryEntryInput>;

export const GlossaryEntry = z.object({
  id: RowId,
  sourceLanguage: z.string(),
  term: z.string(),
  targetLanguage: z.string(),
  translation: z.string(),
  note: z.string(),
  updatedAt: z.string(),
});
export type GlossaryEntry = z.infer<typeof GlossaryEntry>;

export const GlossaryMatch = z.object({
  entry: GlossaryEntry,
  /** Where the term occurs in the text asked about, [start, end) offsets. */
  matches: z.array(Highlight),
});
export type GlossaryMatch = z.infer<typeof GlossaryMatch>;

// ---------------------------------------------------------------------------------------------
// Citations

export const Citation = z.object({
  /** "Title, 2024-02-13, p. 2 (ruling.pdf)": ready to paste into a brief. */
  text: z.string(),
  title: z.string(),
  date: PartialDate.nullable(),
  page: z.number().int().positive().nullable(),
  fileName: z.string().nullable(),
});
export type Citation = z.infer<typeof Citation>;
