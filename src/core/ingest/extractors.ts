import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createOcrEngine } from '../ocr.ts';
import type { OcrEngine } from '../importers/types.ts';
import type { WorkerSetup } from './extract-worker.ts';
import { type ExtractJob, type PrepareEnv, type PrepareResult, prepareFile } from './prepare.ts';

/** Runs prepareFile somewhere: in this thread, or in a pool of worker threads. */
export interface Extractor {
  readonly parallelism: number;
  run(job: ExtractJob): Promise<PrepareResult>;
  close(): Promise<void>;
}

export interface ExtractorOptions {
  limits: PrepareEnv['limits'];
  ocrLanguages: string[];
  tessdata: string | undefined;
  /** 0 runs everything in this thread (small imports, tests); otherwise the pool's size. */
  workers: number;
  /** The worker's entry file; built apps pass their bundled copy. */
  workerUrl?: URL | undefined;
  /** A file still extracting after this long is given up (its worker is replaced). */
  fileTimeoutMs: number;
}

export const defaultWorkerCount = (): number => Math.max(1, Math.min(4, cpus().length - 1 || 1));

export function createExtractor(options: ExtractorOptions): Extractor {
  return options.workers > 0 ? new WorkerPool(options) : new InProcessExtractor(options);
}

class InProcessExtractor implements Extractor {
  readonly parallelism = 1;
  private engine: OcrEngine | undefined;
  private readonly env: PrepareEnv;

  constructor(options: ExtractorOptions) {
    this.env = {
      limits: options.limits,
      ocrLanguages: options.ocrLanguages,
      ocr: async () => {
        if (!options.tessdata) return undefined;
        this.engine ??= await createOcrEngine({ langPath: options.tessdata });
        return this.engine;
      },
    };
  }

  run(job: ExtractJob): Promise<PrepareResult> {
    return prepareFile(job, this.env);
  }

  async close(): Promise<void> {
    await this.engine?.terminate();
  }
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/** A fixed number of worker threads, one file each at a time; a crashed or stuck worker is replaced. */
class WorkerPool implements Extractor {
  readonly parallelism: number;
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly options: ExtractorOptions;
  private closed = false;

  constructor(options: ExtractorOptions) {
    this.options = options;
    this.parallelism = options.workers;
    for (let i = 0; i < options.workers; i++) this.slots.push({ worker: this.spawn(), busy: false });
  }

  private spawn(): Worker {
    const setup: WorkerSetup = {
      limits: this.options.limits,
      ocrLanguages: this.options.ocrLanguages,
      tessdata: this.options.tessdata,
    };
    const worker = new Worker(this.options.workerUrl ?? new URL('./extract-worker.ts', import.meta.url), { workerData: setup });
    worker.unref();
    return worker;
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      const free = this.slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    this.waiting.shift()?.();
  }

  async run(job: ExtractJob): Promise<PrepareResult> {
    if (this.closed) return { key: job.key, ok: false, code: 'CANCELLED', message: 'The import was stopped.' };
    const slot = await this.acquire();
    // A private copy is transferred: the caller's bytes may share a pooled buffer.
    const bytes = job.bytes ? new Uint8Array(job.bytes) : undefined;
    try {
      return await new Promise<PrepareResult>((resolve) => {
        const { worker } = slot;
        const done = (result: PrepareResult): void => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          resolve(result);
        };
        const replace = (code: 'INTERNAL' | 'TIMED_OUT', message: string): void => {
          void worker.terminate();
          slot.worker = this.spawn();
          done({ key: job.key, ok: false, code, message });
        };
        const onMessage = (result: PrepareResult): void => done(result);
        const onError = (error: Error): void => replace('INTERNAL', `Reading this file crashed its reader: ${error.message}`);
        const onExit = (): void => replace('INTERNAL', 'Reading this file stopped its reader unexpectedly.');
        const timer = setTimeout(
          () => replace('TIMED_OUT', `Reading this file took longer than ${Math.round(this.options.fileTimeoutMs / 1000)} s; it was given up.`),
          this.options.fileTimeoutMs,
        );
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage({ ...job, bytes }, bytes ? [bytes.buffer] : []);
      });
    } finally {
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
