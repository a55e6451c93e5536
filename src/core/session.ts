import type { BundleProgress } from '../shared/bundles.ts';
import { KartotekaError } from '../shared/errors.ts';
import type { ArchiveInfo } from '../shared/reports.ts';
import type { RecentArchive, SettingsPatch, UserSettings } from '../shared/settings.ts';
import type { Archive} from './archive.ts';
import { type ArchiveOptions } from './archive.ts';
import { documentCount } from './documents.ts';
import { ImportJobs } from './ingest/jobs.ts';
import { RereadJobs } from './ingest/reread-jobs.ts';
import { BackgroundRebuild, type RebuildPace } from './search/background-rebuild.ts';
import type { ImportOptions } from './ingest/pipeline.ts';
import { isSampleArchive, openSampleArchive } from './sample.ts';
import type { BundleEnvironment } from './bundles/service.ts';
import { openArchiveAt } from './open-archive.ts';
import {
  MemorySettingsStore,
  type SettingsStore,
  forgetArchive,
  readUserSettings,
  recentArchives,
  rememberArchive,
  updateUserSettings,
} from './settings.ts';

export interface SessionPaths {
  /** Folder of the sample archive, built on first use. */
  sampleArchiveDir: string;
  /** resources/sample, where the sample documents and their manifest live. */
  sampleSourceDir: string;
  /** What exporting bundles needs (issue 6): the viewer's script and the version to name; without it, exports are refused. */
  bundles?: BundleEnvironment | undefined;
  /** How the background index rebuild paces itself (tests slow it down to watch it). */
  indexPace?: RebuildPace | undefined;
}

/** The archive a running app (desktop or web mode) works on, and switching to another one. */
export class ArchiveSession {
  private current: Archive;
  private readonly paths: SessionPaths;
  private readonly options: ArchiveOptions;
  /** The user's settings (the desktop app's electron-store, the web mode's file); the archive open is remembered there. */
  readonly settingsStore: SettingsStore;
  readonly imports: ImportJobs;
  /** Documents' originals being read again (a scan's OCR), in the background like imports. */
  readonly rereads: RereadJobs;
  private rebuilder: BackgroundRebuild;
  /** How imports run here: worker entry, OCR data, limits. */
  readonly importOptions: ImportOptions;
  /** The bundle export or import running on the open archive (set by bundles/service.ts); no other archive is opened under it. */
  bundleJob: BundleProgress['operation'] | null = null;

  /** The bundle viewer and version for exports (SessionPaths.bundles). */
  get bundles(): BundleEnvironment | undefined {
    return this.paths.bundles;
  }

  /** Without a settings store, settings last as long as the session (tests, scripts). */
  constructor(
    archive: Archive,
    paths: SessionPaths,
    options: ArchiveOptions = {},
    importOptions: ImportOptions = {},
    settings: SettingsStore = new MemorySettingsStore(),
  ) {
    this.current = archive;
    this.paths = paths;
    this.options = options;
    this.importOptions = importOptions;
    this.settingsStore = settings;
    this.imports = new ImportJobs(importOptions);
    this.rereads = new RereadJobs(importOptions);
    rememberArchive(settings, archive.root);
    this.rebuilder = new BackgroundRebuild(archive, paths.indexPace);
    this.rebuilder.continue();
  }

  /**
   * The search index's rebuild in the background of the open archive, a short step at a time, so
   * searches and imports go on answering between steps; a person may start, pause and resume it.
   */
  get index(): BackgroundRebuild {
    return this.rebuilder;
  }

  get archive(): Archive {
    return this.current;
  }

  info(): ArchiveInfo {
    const archive = this.current;
    return {
      path: archive.root,
      name: archive.name,
      isSample: isSampleArchive(archive),
      documentCount: documentCount(archive),
      schemaVersion: archive.schemaVersion,
    };
  }

  async openSample(): Promise<ArchiveInfo> {
    this.refuseWhileBundleJob();
    await this.stopBackgroundWork();
    const sample = await openSampleArchive(this.paths.sampleArchiveDir, this.paths.sampleSourceDir, this.options);
    this.switchTo(sample);
    return this.info();
  }

  /**
   * Opens another archive (create: a new one) by its absolute path and works on it from now on;
   * imports into the one open before are stopped first. The same archive again changes nothing.
   */
  async openArchive(path: string, create: boolean): Promise<ArchiveInfo> {
    if (!create && path === this.current.root) return this.info();
    // Before anything is opened or made: a refused "new archive" leaves no folder behind.
    this.refuseWhileBundleJob();
    const next = openArchiveAt(path, create, this.options);
    if (next.root === this.current.root) {
      next.close();
      return this.info();
    }
    try {
      await this.stopBackgroundWork();
    } catch (error) {
      next.close();
      throw error;
    }
    this.switchTo(next);
    return this.info();
  }

  /** A bundle job started while the archive asked for was being opened: it is closed again and the switch refused. */
  switchTo(archive: Archive): void {
    if (archive !== this.current && this.bundleJob) {
      archive.close();
      this.refuseWhileBundleJob();
    }
    // The old archive's rebuild stops with it (paused or not); the new one's goes on.
    this.rebuilder.stop();
    if (archive !== this.current) this.current.close();
    this.current = archive;
    rememberArchive(this.settingsStore, archive.root);
    this.rebuilder = new BackgroundRebuild(archive, this.paths.indexPace);
    this.rebuilder.continue();
  }

  /** Closing the archive under a bundle job would cut the bundle (or the import into the archive) off halfway. */
  private refuseWhileBundleJob(): void {
    const job = this.bundleJob;
    if (!job) return;
    const what = job === 'export' ? 'A bundle is being exported from' : job === 'import' ? 'A bundle is being imported into' : 'A bundle is being checked against';
    throw new KartotekaError('ARCHIVE_BUSY', `${what} this archive. Wait until it is done, or cancel it, before opening another archive.`, { operation: job });
  }

  settings(): UserSettings {
    return readUserSettings(this.settingsStore, this.current.root);
  }

  updateSettings(patch: SettingsPatch): UserSettings {
    return updateUserSettings(this.settingsStore, patch, this.current.root);
  }

  recentArchives(): RecentArchive[] {
    return recentArchives(this.settingsStore, this.current.root, isSampleArchive(this.current));
  }

  /** Takes an archive off the recent list; the one open stays on it. */
  forgetArchive(path: string): RecentArchive[] {
    if (path !== this.current.root) forgetArchive(this.settingsStore, path);
    return this.recentArchives();
  }

  /** Imports and readings again run on the open archive: they are stopped before it is left. */
  private async stopBackgroundWork(): Promise<void> {
    await Promise.all([this.imports.stopAll(), this.rereads.stopAll()]);
  }

  async close(): Promise<void> {
    this.rebuilder.stop();
    await this.stopBackgroundWork();
    this.current.close();
  }
}
