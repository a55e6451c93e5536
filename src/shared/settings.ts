import { z } from 'zod';
import { StrippableField } from './bundles.ts';
import { Sensitivity } from './document.ts';

/**
 * The settings a user sees and changes in the app. They live outside any archive (electron-store
 * under the desktop app, a JSON file in the web mode), so they follow the person, not the archive.
 */

export const uiLanguageCodes = ['en', 'ru', 'uk'] as const;
export const UiLanguage = z.enum(uiLanguageCodes);
export type UiLanguage = z.infer<typeof UiLanguage>;

/** How the bundle export dialog starts: BundleOptions' own fields, and the folder last written to. */
export const ExportDefaults = z
  .object({
    /** false: text only, no original files. */
    originals: z.boolean(),
    translations: z.boolean(),
    sensitivities: z.array(Sensitivity).min(1),
    strip: z.array(StrippableField),
    /** An absolute folder to offer for the bundle's file; null: none chosen yet. */
    folder: z.string().min(1).max(4096).nullable(),
  })
  .strict();
export type ExportDefaults = z.infer<typeof ExportDefaults>;

/** What an export offers before anybody chose otherwise: BundleOptions' defaults. */
export const defaultExportDefaults: ExportDefaults = {
  originals: true,
  translations: true,
  sensitivities: ['public', 'internal'],
  strip: [],
  folder: null,
};

export const UserSettings = z.object({
  /** null: follow the system's language. */
  uiLanguage: UiLanguage.nullable(),
  exportDefaults: ExportDefaults,
  /** Read-only here: the archive open now (archive.open changes it). */
  archivePath: z.string(),
  /** Read-only here: archives opened before, the current one first (archive.open adds, archive.forget removes). */
  recentArchives: z.array(z.string()),
});
export type UserSettings = z.infer<typeof UserSettings>;

/** What settings.update takes: only the fields to change; exportDefaults field by field too. */
export const SettingsPatch = z
  .object({
    uiLanguage: UiLanguage.nullable().optional(),
    exportDefaults: ExportDefaults.partial().strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** A recent archive and whether it is still there (a USB stick unplugged, a folder moved). */
export const RecentArchive = z.object({
  path: z.string(),
  name: z.string(),
  /** ok: an archive is there; missing: nothing is; not-an-archive: something else is. */
  state: z.enum(['ok', 'missing', 'not-an-archive']),
  current: z.boolean(),
  /** The sample archive (Open sample archive), which the app names so. */
  isSample: z.boolean(),
});
export type RecentArchive = z.infer<typeof RecentArchive>;
