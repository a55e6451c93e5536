import { z } from 'zod';
import { DocumentId, DocumentKind, LanguageTag, PartialDate, Sensitivity } from './document.ts';
import { EntityId } from './entities.ts';

/**
 * Bundles (issue 6): a chosen part of the archive written as one zip holding a BagIt bag, with a
 * self-contained viewer, optionally encrypted with age; and such a bundle read back in.
 */

/** What goes into a bundle. */
export const BundleSelection = z.discriminatedUnion('type', [
  /** The documents a search finds (the query language of the search box). */
  z.object({ type: z.literal('search'), query: z.string().trim().min(1).max(2000) }).strict(),
  /** Documents chosen one by one. */
  z.object({ type: z.literal('ids'), ids: z.array(DocumentId).min(1).max(1_000_000) }).strict(),
  /** The documents of a person: by id (a person in the archive), or by name in any spelling. */
  z
    .object({ type: z.literal('person'), id: EntityId.optional(), name: z.string().trim().min(1).max(300).optional() })
    .strict()
    .refine((p) => (p.id === undefined) !== (p.name === undefined), 'name a person by id or by name, not both'),
  /** The documents of a case, by its title. */
  z.object({ type: z.literal('case'), title: z.string().trim().min(1).max(200) }).strict(),
  z.object({ type: z.literal('all') }).strict(),
]);
export type BundleSelection = z.infer<typeof BundleSelection>;

/** Metadata fields that can be left out of a bundle. */
export const strippableFields = ['notes', 'source', 'tags'] as const;
export const StrippableField = z.enum(strippableFields);
export type StrippableField = z.infer<typeof StrippableField>;

export const BundleOptions = z
  .object({
    /** false: text only, no original files. */
    originals: z.boolean().default(true),
    /** Add the translations of the chosen documents (and keep translations the selection found). */
    translations: z.boolean().default(true),
    /** Only documents of these sensitivities go in; confidential ones stay out unless named here. */
    sensitivities: z.array(Sensitivity).min(1).default(['public', 'internal']),
    /** Fields emptied in every item's metadata. */
    strip: z.array(StrippableField).default([]),
    /** Wrap the zip in an age file that this passphrase opens (`age --decrypt`). */
    encrypt: z.object({ passphrase: z.string().min(1).max(1024) }).strict().nullable().default(null),
    /** bag-info.txt Source-Organization. */
    organization: z.string().trim().max(300).default(''),
    /** bag-info.txt External-Description; a description of the selection when empty. */
    description: z.string().trim().max(2000).default(''),
  })
  .strict();
export type BundleOptions = z.infer<typeof BundleOptions>;
export type BundleOptionsInput = z.input<typeof BundleOptions>;

/** One line of bag-info.txt, in file order (labels may repeat). */
export const BagInfoLine = z.object({ label: z.string(), value: z.string() });
export type BagInfoLine = z.infer<typeof BagInfoLine>;

/** What an export of a selection with these options would hold, counted before anything is written. */
export const BundlePreview = z.object({
  /** Documents the selection itself names. */
  selected: z.number().int().nonnegative(),
  /** Items that would go in: the selection, its transcripts and translations, less what stays out. */
  items: z.number().int().nonnegative(),
  /** Of those, translations and transcripts added beside the selected documents. */
  added: z.number().int().nonnegative(),
  /** Original files that would go in, and their size. */
  originals: z.number().int().nonnegative(),
  originalBytes: z.number().int().nonnegative(),
  leftOutBySensitivity: z.number().int().nonnegative(),
  /** Confidential documents among those left out (the user may not know they were in the selection). */
  leftOutConfidential: z.number().int().nonnegative(),
  leftOutTranslations: z.number().int().nonnegative(),
  /** Items with redacted spans: their text goes with █ there, their original files stay out. */
  redacted: z.number().int().nonnegative(),
});
export type BundlePreview = z.infer<typeof BundlePreview>;

/** How far an export or a bundle import has got; the UI polls it while the call runs. */
export const BundleProgress = z.object({
  operation: z.enum(['export', 'inspect', 'import']),
  /**
   * indexing: an export by search finishes a rebuild of the search index first (done of total documents).
   * writing: an export's items, done of as many as the export dialog announced; finishing: then the
   * bundle's viewer index, catalogue and checksums, not counted (total 0), and finished says every item done.
   */
  phase: z.enum(['selecting', 'indexing', 'writing', 'finishing', 'encrypting', 'decrypting', 'verifying', 'merging', 'finished', 'failed']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type BundleProgress = z.infer<typeof BundleProgress>;

const ItemRef = z.object({ id: DocumentId, title: z.string() });

export const ExportReport = z.object({
  /** The file written: the zip, or the age file wrapping it. */
  path: z.string(),
  encrypted: z.boolean(),
  /** Size and SHA-256 of that file. */
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
  items: z.number().int().nonnegative(),
  payloadFiles: z.number().int().nonnegative(),
  payloadBytes: z.number().int().nonnegative(),
  originals: z.number().int().nonnegative(),
  /** Documents the selection found that stayed out because of their sensitivity. */
  leftOutBySensitivity: z.number().int().nonnegative(),
  /** Translations the selection found that stayed out because translations were not wanted. */
  leftOutTranslations: z.number().int().nonnegative(),
  /** Items with redacted spans: their text has █ there, and their original files stayed out. */
  redacted: z.array(ItemRef.extend({ spans: z.number().int().positive(), originalsLeftOut: z.array(z.string()) })),
  stripped: z.array(StrippableField),
  bagInfo: z.array(BagInfoLine),
  warnings: z.array(z.string()),
});
export type ExportReport = z.infer<typeof ExportReport>;

/** What importing one item of a bundle does. */
export const BundleItemAction = z.enum([
  /** New to this archive. */
  'add',
  /** Its original file (same SHA-256), or for a text-only item the same text, is already in the archive. */
  'duplicate',
  /** The archive has this very item (same id, same content). */
  'unchanged',
  /** The archive has an item of this id with other content: both are kept, the new one under a new id, flagged. */
  'conflict',
]);
export type BundleItemAction = z.infer<typeof BundleItemAction>;

export const BundleItemPlan = z.object({
  bundleId: DocumentId,
  title: z.string(),
  kind: DocumentKind,
  language: LanguageTag,
  date: PartialDate.nullable(),
  action: BundleItemAction,
  /** The archive's document it duplicates, equals or conflicts with. */
  existingId: DocumentId.nullable(),
  files: z.number().int().nonnegative(),
  /** Spans blacked out (█) in its text before it was bundled. */
  redactedSpans: z.number().int().nonnegative(),
  /** Original files the bundle names but does not carry (text only, or redacted). */
  omittedFiles: z.number().int().nonnegative(),
});
export type BundleItemPlan = z.infer<typeof BundleItemPlan>;

const counts = z.object({
  add: z.number().int().nonnegative(),
  duplicate: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  conflict: z.number().int().nonnegative(),
});

/** What `import-bundle --dry-run` shows: the bundle checked, and what importing it would do. */
export const BundleInspection = z.object({
  encrypted: z.boolean(),
  bagInfo: z.array(BagInfoLine),
  payloadFiles: z.number().int().nonnegative(),
  payloadBytes: z.number().int().nonnegative(),
  items: z.array(BundleItemPlan),
  counts,
  warnings: z.array(z.string()),
});
export type BundleInspection = z.infer<typeof BundleInspection>;

export const BundleImportReport = BundleInspection.extend({
  /** Ids the added and conflicting items got in this archive, by their id in the bundle. */
  ids: z.record(z.string(), DocumentId),
  /** The audit row that records the bundle's provenance. */
  auditSeq: z.number().int().positive(),
});
export type BundleImportReport = z.infer<typeof BundleImportReport>;
