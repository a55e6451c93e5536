import type { OcrLanguage, RereadStatus } from '../../shared/document.ts';
import type { Archive } from '../archive.ts';
import { getDocument } from '../documents.ts';
import type { ImportOptions } from './pipeline.ts';
import { describeFailure } from './prepare.ts';
import { reextractDocument } from './reextract.ts';

interface Reread {
  status: RereadStatus;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Documents' originals read again in the background of the app (a scan's OCR takes minutes): the
 * UI follows the page reached and may stop it; the document keeps its text until the new one is in.
 * At most one per document; the latest one of each is remembered for the session.
 */
export class RereadJobs {
  private readonly jobs = new Map<string, Reread>();
  private readonly options: Pick<ImportOptions, 'tessdata' | 'workerUrl'>;

  constructor(options: Pick<ImportOptions, 'tessdata' | 'workerUrl'> = {}) {
    this.options = options;
  }

  /** Starts reading the document again; one already being read is not started twice. */
  start(archive: Archive, documentId: string, ocrLanguages?: readonly OcrLanguage[]): RereadStatus {
    const running = this.jobs.get(documentId);
    if (running?.status.state === 'reading') return running.status;
    // NOT_FOUND for a document that is not there, before anything starts.
    getDocument(archive, documentId);
    const controller = new AbortController();
    const job: Reread = {
      status: { documentId, state: 'reading', page: null, document: null, error: null },
      controller,
      done: Promise.resolve(),
    };
    job.done = reextractDocument(archive, documentId, {
      ...this.options,
      ocrLanguages,
      signal: controller.signal,
      onPage: (page, pages) => {
        job.status = { ...job.status, page: { page, pages } };
      },
    }).then(
      (document) => {
        job.status = { ...job.status, state: 'finished', document };
      },
      (error: unknown) => {
        const { code, message } = describeFailure(error);
        job.status = { ...job.status, state: code === 'CANCELLED' ? 'cancelled' : 'failed', error: { code, message } };
      },
    );
    this.jobs.set(documentId, job);
    return job.status;
  }

  status(documentId: string): RereadStatus | null {
    return this.jobs.get(documentId)?.status ?? null;
  }

  cancel(documentId: string): RereadStatus | null {
    const job = this.jobs.get(documentId);
    if (job?.status.state === 'reading') job.controller.abort();
    return job?.status ?? null;
  }

  /** Stops every reading and waits for them (before switching or closing an archive); they are forgotten. */
  async stopAll(): Promise<void> {
    const jobs = [...this.jobs.values()];
    for (const job of jobs) job.controller.abort();
    await Promise.all(jobs.map((job) => job.done));
    this.jobs.clear();
  }
}
