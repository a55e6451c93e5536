import { z } from 'zod';
import { DocumentId, DocumentMetadata, LanguageTag, Sha256, TextSource } from '../../shared/document.ts';
import { DocumentPersonRole, PersonRole } from '../../shared/entities.ts';
import { StrippableField } from '../../shared/bundles.ts';

/**
 * The layout of a bundle's payload and the schema of what it holds (docs/bundle-format.md).
 * Raise the schema versions when a field changes meaning; a reader refuses versions it does not know.
 */

export const BUNDLE_FORMAT_VERSION = 1;
export const ITEM_SCHEMA = 'kartoteka-bundle-item';
export const ITEM_SCHEMA_VERSION = 1;
export const CATALOGUE_SCHEMA = 'kartoteka-bundle-catalogue';
export const CATALOGUE_SCHEMA_VERSION = 1;

/** Payload paths, relative to data/. */
export const paths = {
  index: 'index.html',
  catalogue: 'catalogue.json',
  itemDir: (id: string): string => `items/${id}`,
  metadata: (id: string): string => `items/${id}/metadata.json`,
  text: (id: string): string => `items/${id}/text.txt`,
  original: (id: string, fileName: string): string => `items/${id}/original/${fileName}`,
  viewerCatalogue: 'viewer/catalogue.js',
  viewerShard: (n: number): string => `viewer/index/${n}.js`,
  viewerText: (id: string): string => `viewer/text/${id}.js`,
};

/**
 * A file name that unpacks on every system: no path separators, nothing Windows forbids (<>:"|?*,
 * control characters, trailing dots and spaces, reserved device names). % stays: manifests encode it.
 */
export function safeFileName(name: string): string {
  let safe = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is being replaced
    .replace(/[/\\<>:"|?*\u0000-\u001f\u007f]/gu, '_')
    .replace(/[. ]+$/u, '')
    .trim();
  if (safe === '' || safe === '.' || safe === '..') safe = 'file';
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/iu.test(safe)) safe = `_${safe}`;
  // Long names break unpacking on some systems; keep the extension.
  if (safe.length > 150) {
    const dot = safe.lastIndexOf('.');
    const ext = dot > 0 && safe.length - dot <= 10 ? safe.slice(dot) : '';
    safe = safe.slice(0, 150 - ext.length) + ext;
  }
  return safe;
}

const Cue = z.object({ start: z.number(), end: z.number(), textStart: z.number().int(), textEnd: z.number().int(), speaker: z.string().nullable() });
const Page = z.object({ page: z.number().int(), start: z.number().int(), end: z.number().int() });

/** data/items/<id>/metadata.json. */
export const ItemMetadata = DocumentMetadata.extend({
  schema: z.literal(ITEM_SCHEMA),
  schemaVersion: z.number().int().positive(),
  id: DocumentId,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Metadata fields a person set in the archive the item came from. */
  userFields: z.array(z.string()),
  /** Fields emptied for this bundle. */
  stripped: z.array(StrippableField),
  text: z.object({
    path: z.string(),
    sha256: Sha256,
    /** UTF-16 code units, the unit of every offset below. */
    length: z.number().int().nonnegative(),
    source: TextSource,
    /** How many spans were blacked out (█) before export. */
    redactedSpans: z.number().int().nonnegative(),
  }),
  extraction: z.object({
    importer: z.string(),
    encoding: z.object({ name: z.string(), confidence: z.number(), source: z.string() }).nullable(),
    repair: z.object({ steps: z.array(z.string()), reverted: z.boolean() }).nullable(),
    warnings: z.array(z.string()),
  }),
  files: z.array(
    z.object({
      path: z.string(),
      fileName: z.string(),
      sha256: Sha256,
      size: z.number().int().nonnegative(),
      mediaType: z.string(),
      role: z.literal('original'),
    }),
  ),
  /** Originals that stayed out of this bundle, and why. */
  omittedFiles: z.array(
    z.object({ fileName: z.string(), sha256: Sha256, size: z.number().int().nonnegative(), mediaType: z.string(), reason: z.enum(['text-only', 'redacted']) }),
  ),
  pages: z.array(Page),
  cues: z.array(Cue),
  /** Links to other items of this bundle (never to documents left out). */
  links: z.array(z.object({ id: DocumentId, kind: z.enum(['attachment', 'transcript', 'possible-duplicate']), direction: z.enum(['from', 'to']) })),
  /** Translations of this item that are in the bundle. */
  translations: z.array(z.object({ id: DocumentId, language: LanguageTag })),
  /** People linked to the item in the archive (their notes stay behind). */
  people: z.array(z.object({ name: z.string(), variants: z.array(z.string()), roles: z.array(PersonRole), linkedRoles: z.array(DocumentPersonRole) })),
});
export type ItemMetadata = z.infer<typeof ItemMetadata>;

/** data/catalogue.json. */
export const Catalogue = z.object({
  schema: z.literal(CATALOGUE_SCHEMA),
  schemaVersion: z.number().int().positive(),
  createdAt: z.string(),
  producer: z.string(),
  description: z.string(),
  items: z.array(
    z.object({
      id: DocumentId,
      title: z.string(),
      kind: z.string(),
      language: z.string(),
      date: z.string().nullable(),
      translationOf: DocumentId.nullable(),
      metadata: z.string(),
      text: z.string(),
      files: z.array(z.string()),
    }),
  ),
});
export type Catalogue = z.infer<typeof Catalogue>;
