import type { ArchiveInfo } from '../shared/reports.ts';
import type { Archive} from './archive.ts';
import { type ArchiveOptions } from './archive.ts';
import { documentCount } from './documents.ts';
import { ImportJobs } from './ingest/jobs.ts';
import { indexState, rebuildStep } from './search/indexing.ts';
import type { ImportOptions } from './ingest/pipeline.ts';
import { isSampleArchive, openSampleArchive } from './sample.ts';
import type { BundleEnvironment } from './bundles/service.ts';

export interface SessionPaths {
  /** Folder of the sample archive, built on first use. */
  sampleArchiveDir: string;
  /** resources/sample, where the sample documents and their manifest live. */
  sampleSourceDir: string;
  /** What exporting bundles needs (issue 6): the viewer's script and the version to name; without it, exports are refused. */
  bundles?: BundleEnvironment | undefined;
}

/** The archive a running app (desktop or web mode) works on, and switching to another one. */
export class ArchiveSession {
  private current: Archive;
  private readonly paths: SessionPaths;
  private readonly options: ArchiveOptions;
  /** Told when the user switches archives, so the desktop app can remember the choice. */
  onSwitch: ((archive: Archive) => void) | undefined;
  readonly imports: ImportJobs;
  /** How imports run here: worker entry, OCR data, limits. */
  readonly importOptions: ImportOptions;

  /** The bundle viewer and version for exports (SessionPaths.bundles). */
  get bundles(): BundleEnvironment | undefined {
    return this.paths.bundles;
  }

  constructor(archive: Archive, paths: SessionPaths, options: ArchiveOptions = {}, importOptions: ImportOptions = {}) {
    this.current = archive;
    this.paths = paths;
    this.options = options;
    this.importOptions = importOptions;
    this.imports = new ImportJobs(importOptions);
    this.rebuildIndex();
  }

  /**
   * Brings the search index up to the current analyzer in the background, a short step at a time,
   * so searches and imports go on answering between steps.
   */
  private rebuildIndex(): void {
    const archive = this.current;
    const step = (): void => {
      if (archive !== this.current || archive.closed) return;
      try {
        if (!rebuildStep(archive).current) setTimeout(step, 5);
      } catch (error) {
        // A failed step (disk full, archive closed underneath) stops the rebuild; reopening resumes it.
        console.error('Re-indexing stopped:', error);
      }
    };
    if (!indexState(archive).current) setTimeout(step, 0);
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
    await this.imports.stopAll();
    const sample = await openSampleArchive(this.paths.sampleArchiveDir, this.paths.sampleSourceDir, this.options);
    this.switchTo(sample);
    return this.info();
  }

  switchTo(archive: Archive): void {
    if (archive !== this.current) this.current.close();
    this.current = archive;
    this.onSwitch?.(archive);
    this.rebuildIndex();
  }

  async close(): Promise<void> {
    await this.imports.stopAll();
    this.current.close();
  }
}
