import { randomBytes } from 'node:crypto';
import { KartotekaError } from '../../shared/errors.ts';
import type { ImportProgress, ImportReport } from '../../shared/reports.ts';
import type { Archive } from '../archive.ts';
import { emptyImportReport } from '../../shared/reports.ts';
import { type ImportInput, type ImportOptions, initialProgress, runImport } from './pipeline.ts';

interface Job {
  progress: ImportProgress;
  report: ImportReport | null;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Imports that run in the background of the app (desktop or web mode) while the UI keeps
 * working; the UI polls their progress and may cancel them.
 */
export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly defaults: ImportOptions;

  constructor(defaults: ImportOptions = {}) {
    this.defaults = defaults;
  }

  start(archive: Archive, input: ImportInput): string {
    const jobId = randomBytes(8).toString('hex');
    const controller = new AbortController();
    const job: Job = {
      progress: { ...initialProgress(), jobId },
      report: null,
      controller,
      done: Promise.resolve(),
    };
    job.done = runImport(archive, input, {
      ...this.defaults,
      signal: controller.signal,
      onProgress: (progress) => {
        job.progress = { ...progress, jobId };
      },
    }).then(
      (report) => {
        job.report = report;
        job.progress = { ...job.progress, phase: report.cancelled ? 'cancelled' : 'finished', currentFile: null, currentPage: null };
      },
      (error: unknown) => {
        job.progress = { ...job.progress, phase: 'failed', currentFile: null, currentPage: null };
        job.report = { ...emptyImportReport(), failed: [{ file: '', code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) }] };
      },
    );
    this.jobs.set(jobId, job);
    return jobId;
  }

  status(jobId: string): { progress: ImportProgress; report: ImportReport | null } {
    const job = this.get(jobId);
    return { progress: job.progress, report: job.report };
  }

  cancel(jobId: string): ImportProgress {
    const job = this.get(jobId);
    job.controller.abort();
    return job.progress;
  }

  /** Cancels every running import and waits for them to stop (before switching or closing an archive). */
  async stopAll(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.all([...this.jobs.values()].map((job) => job.done));
  }

  private get(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new KartotekaError('NOT_FOUND', `No import ${jobId} is known in this session.`);
    return job;
  }
}
