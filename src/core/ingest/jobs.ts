import { randomBytes } from 'node:crypto';
import { MAX_UPLOAD_BYTES, type Request, UPLOAD_BATCH_BYTES } from '../../shared/contract.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { ImportProgress, ImportReport } from '../../shared/reports.ts';
import type { Archive } from '../archive.ts';
import { emptyImportReport, initialImportProgress } from '../../shared/reports.ts';
import { type ImportInput, type ImportOptions, runImport } from './pipeline.ts';
import { UploadFeed, type UploadedFile } from './upload-feed.ts';

interface Job {
  progress: ImportProgress;
  report: ImportReport | null;
  controller: AbortController;
  done: Promise<void>;
  /** An upload's files still arriving, batch by batch. */
  feed?: UploadFeed | undefined;
  /** Cancels an upload whose page stopped sending (a closed tab) without sealing it. */
  idle?: NodeJS.Timeout | undefined;
}

/** A batch of an upload as the contract carries it (validated by its schema before it gets here). */
export type UploadBatch = Request<'import.upload'>;

export interface ImportJobsOptions {
  /** How long an upload may wait for its next batch, with none on the way, before it is cancelled. */
  uploadIdleMs?: number | undefined;
  /** Bytes of an upload's files that may wait for the import to take them before a batch is answered. */
  uploadWaitingBytes?: number | undefined;
}

const failureMessages: Record<NonNullable<UploadBatch['failed']>[number]['code'], string> = {
  FILE_TOO_LARGE: `Larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: import it with \`kartoteka import\` instead.`,
  FILE_UNREADABLE: 'The browser could not read this file.',
};

const uploadedFiles = (batch: UploadBatch): UploadedFile[] => [
  ...batch.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.dataBase64, 'base64') })),
  ...(batch.failed ?? []).map((f) => ({ name: f.name, failure: { code: f.code, message: failureMessages[f.code] } })),
];

/**
 * Imports that run in the background of the app (desktop or web mode) while the UI keeps
 * working; the UI polls their progress and may cancel them.
 */
export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly defaults: ImportOptions;
  private readonly uploadIdleMs: number;
  private readonly uploadWaitingBytes: number;

  constructor(defaults: ImportOptions = {}, options: ImportJobsOptions = {}) {
    this.defaults = defaults;
    this.uploadIdleMs = options.uploadIdleMs ?? 5 * 60_000;
    this.uploadWaitingBytes = options.uploadWaitingBytes ?? UPLOAD_BATCH_BYTES;
  }

  /**
   * Files uploaded by the page, in batches: the first one (no jobId) starts an import job that
   * begins on them at once; the next ones join it until the one marked last. A batch is answered
   * when there is room for the next (the import has taken what waited), so memory stays bounded
   * however slow the import; the bytes stay in memory and go nowhere but the archive. A batch for
   * a job cancelled meanwhile is dropped.
   */
  async upload(archive: Archive, batch: UploadBatch): Promise<string> {
    if (batch.jobId === undefined) {
      const files = uploadedFiles(batch);
      const feed = new UploadFeed(Math.max(batch.total ?? 0, files.length), this.uploadWaitingBytes);
      feed.push(files, batch.last);
      const jobId = this.start(archive, { feed });
      this.watchIdle(this.get(jobId));
      return jobId;
    }
    const job = this.get(batch.jobId);
    const { feed } = job;
    if (!feed) throw new KartotekaError('INVALID_REQUEST', `The import ${batch.jobId} reads files on disk; it takes no uploads.`);
    if (feed.closed) return batch.jobId;
    if (feed.sealed) throw new KartotekaError('CONFLICT', `The upload ${batch.jobId} has had its last batch.`);
    clearTimeout(job.idle);
    await feed.add(uploadedFiles(batch), batch.last);
    this.watchIdle(job);
    return batch.jobId;
  }

  /** An upload not sealed, with no batch on the way, for uploadIdleMs: the page is gone, so the import stops. */
  private watchIdle(job: Job): void {
    const { feed } = job;
    clearTimeout(job.idle);
    if (!feed || feed.sealed) return;
    job.idle = setTimeout(() => {
      if (!feed.sealed && feed.batchesWaiting === 0) job.controller.abort();
    }, this.uploadIdleMs);
    job.idle.unref();
  }

  start(archive: Archive, input: ImportInput): string {
    const jobId = randomBytes(8).toString('hex');
    const controller = new AbortController();
    const job: Job = {
      progress: { ...initialImportProgress(), jobId },
      report: null,
      controller,
      done: Promise.resolve(),
      feed: input.feed,
    };
    job.done = runImport(archive, input, {
      ...this.defaults,
      signal: controller.signal,
      onProgress: (progress) => {
        job.progress = { ...progress, jobId };
      },
    }).then(
      (report) => {
        clearTimeout(job.idle);
        job.report = report;
        job.progress = { ...job.progress, phase: report.cancelled ? 'cancelled' : 'finished', currentFile: null, currentPage: null };
      },
      (error: unknown) => {
        input.feed?.close();
        clearTimeout(job.idle);
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
    // Batches not taken yet are dropped, and a page waiting to send the next one is answered.
    job.feed?.close();
    clearTimeout(job.idle);
    return job.progress;
  }

  /** Cancels every running import and waits for them to stop (before switching or closing an archive). */
  async stopAll(): Promise<void> {
    for (const job of this.jobs.values()) {
      job.controller.abort();
      job.feed?.close();
      clearTimeout(job.idle);
    }
    await Promise.all([...this.jobs.values()].map((job) => job.done));
  }

  private get(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new KartotekaError('NOT_FOUND', `No import ${jobId} is known in this session.`);
    return job;
  }
}
