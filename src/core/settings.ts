import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { KartotekaError } from '../shared/errors.ts';
import {
  ExportDefaults,
  type RecentArchive,
  type SettingsPatch,
  UiLanguage,
  type UserSettings,
  defaultExportDefaults,
} from '../shared/settings.ts';
import { Archive, CATALOGUE_FILE } from './archive.ts';

/** What is kept between runs, key by key (the desktop app keeps its window's place beside them). */
export interface StoredSettings {
  /** The archive opened last: the app opens it at start (and the CLI works on it). */
  archivePath: string;
  recentArchives: string[];
  uiLanguage: UiLanguage | null;
  exportDefaults: ExportDefaults;
}
export type SettingsKey = keyof StoredSettings;

/**
 * Where settings live; the core never knows how. The desktop app hands in electron-store, the web
 * mode a JSON file, tests a file in a temp folder. `get` answers whatever is stored (a file edited
 * by hand may hold anything): the core checks it and falls back to defaults.
 */
export interface SettingsStore {
  get(key: SettingsKey): unknown;
  set<K extends SettingsKey>(key: K, value: StoredSettings[K]): void;
}

/** Settings held for this run only: a session started without a place to keep them (tests, scripts). */
export class MemorySettingsStore implements SettingsStore {
  private readonly values = new Map<SettingsKey, unknown>();
  get(key: SettingsKey): unknown {
    return this.values.get(key);
  }
  set<K extends SettingsKey>(key: K, value: StoredSettings[K]): void {
    this.values.set(key, structuredClone(value));
  }
}

/**
 * Settings in a JSON file: the same file (and the same keys) as the desktop app's electron-store,
 * so the web mode and the desktop app remember one archive and one language. Keys it does not know
 * (the window's place) are kept as they are. Read at every get, so a change made by the other app
 * meanwhile is seen; written whole to a temporary file and renamed over, so a crash never leaves
 * half a file.
 */
export class JsonFileSettingsStore implements SettingsStore {
  readonly path: string;
  constructor(path: string) {
    this.path = resolve(path);
  }

  private read(): Record<string, unknown> {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      // No file yet, or one that is not JSON: start from the defaults (the next write replaces it).
      return {};
    }
  }

  get(key: SettingsKey): unknown {
    return this.read()[key];
  }

  set<K extends SettingsKey>(key: K, value: StoredSettings[K]): void {
    const next = { ...this.read(), [key]: value };
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(next, null, '\t')}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}

export const MAX_RECENT_ARCHIVES = 8;

/** The recent archives with this one first: no duplicates, at most MAX_RECENT_ARCHIVES. */
export function withRecentArchive(recent: readonly unknown[] | undefined, path: string, max = MAX_RECENT_ARCHIVES): string[] {
  const others = (recent ?? []).filter((p): p is string => typeof p === 'string' && p.length > 0 && p !== path);
  return [path, ...others].slice(0, max);
}

const recentOf = (store: SettingsStore): string[] => {
  const value = store.get('recentArchives');
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string' && p.length > 0) : [];
};

/** The export defaults stored, field by field: a field that does not check out takes its default. */
function exportDefaultsOf(store: SettingsStore): ExportDefaults {
  const stored = store.get('exportDefaults');
  const result: ExportDefaults = { ...defaultExportDefaults };
  if (stored === null || typeof stored !== 'object') return result;
  const shape = ExportDefaults.shape;
  const record = stored as Record<string, unknown>;
  const pick = <K extends keyof ExportDefaults>(key: K): void => {
    const parsed = shape[key].safeParse(record[key]);
    if (parsed.success) result[key] = parsed.data as ExportDefaults[K];
  };
  pick('originals');
  pick('translations');
  pick('sensitivities');
  pick('strip');
  pick('folder');
  return result;
}

/** The settings as the UI sees them; archivePath is the archive open now, whatever the file says. */
export function readUserSettings(store: SettingsStore, currentArchive: string): UserSettings {
  const language = UiLanguage.nullable().safeParse(store.get('uiLanguage') ?? null);
  return {
    uiLanguage: language.success ? language.data : null,
    exportDefaults: exportDefaultsOf(store),
    archivePath: currentArchive,
    recentArchives: recentOf(store),
  };
}

/** Changes the fields of the patch; the export defaults are checked whole before anything is written. */
export function updateUserSettings(store: SettingsStore, patch: SettingsPatch, currentArchive: string): UserSettings {
  if (patch.exportDefaults !== undefined) {
    const merged = ExportDefaults.safeParse({ ...exportDefaultsOf(store), ...patch.exportDefaults });
    if (!merged.success) {
      throw new KartotekaError('INVALID_REQUEST', `Invalid export defaults: ${merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    if (merged.data.folder !== null && !isAbsolute(merged.data.folder)) {
      throw new KartotekaError('INVALID_REQUEST', `The export folder must be an absolute path; ${merged.data.folder} is not.`);
    }
    store.set('exportDefaults', merged.data);
  }
  if (patch.uiLanguage !== undefined) store.set('uiLanguage', patch.uiLanguage);
  return readUserSettings(store, currentArchive);
}

/** Remembers the archive now open: it opens next time, and heads the recent list. */
export function rememberArchive(store: SettingsStore, path: string): void {
  store.set('archivePath', path);
  store.set('recentArchives', withRecentArchive(recentOf(store), path));
}

/** The recent list without this archive (its folder is not touched). */
export function forgetArchive(store: SettingsStore, path: string): void {
  const recent = recentOf(store);
  const next = recent.filter((p) => p !== path);
  if (next.length !== recent.length) store.set('recentArchives', next);
}

/** Whether the catalogue in dir is the sample archive's; read-only, and false when it cannot be read. */
function isSampleAt(dir: string): boolean {
  try {
    const db = new DatabaseSync(join(dir, CATALOGUE_FILE), { readOnly: true });
    try {
      return db.prepare("SELECT 1 AS x FROM meta WHERE key = 'sample'").get() !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

/** The recent archives, each saying whether it is still there; currentIsSample: the one open is the sample. */
export function recentArchives(store: SettingsStore, currentArchive: string, currentIsSample = false): RecentArchive[] {
  const list = recentOf(store);
  const all = list.includes(currentArchive) ? list : [currentArchive, ...list];
  return all.map((path) => {
    const current = path === currentArchive;
    const state = current || Archive.isArchive(path) ? 'ok' : existsSync(path) ? 'not-an-archive' : 'missing';
    return { path, name: basename(path) || path, state, current, isSample: current ? currentIsSample : state === 'ok' && isSampleAt(path) };
  });
}
