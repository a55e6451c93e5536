import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createOcrEngine } from '../ocr.ts';
import type { OcrEngine } from '../importers/types.ts';
import type { PageMessage, WorkerSetup } from './extract-worker.ts';
import { type ExtractJob, type PrepareEnv, type PrepareResult, prepareFile } from './prepare.ts';

/** Runs prepareFile somewhere: in this thread, or in a pool of worker threads. */
export interface Extractor {
  readonly parallelism: number;
  /** `onPage`: told as each page of a paged original is taken up. */
  run(job: ExtractJob, onPage?: PageListener): Promise<PrepareResult>;
  close(): Promise<void>;
}

type PageListener = (page: number, pages: number) => void;

export interface ExtractorOptions {
  limits: PrepareEnv['limits'];
  ocrLanguages: string[];
  tessdata: string | undefined;
  /** 0 runs everything in this thread (small imports, tests); otherwise the pool's size. */
  workers: number;
  /** The worker's entry file; built apps pass their bundled copy. */
  workerUrl?: URL | undefined;
  /** A file with no progress for this long (no page taken up either) is given up; its worker is replaced. */
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

  run(job: ExtractJob, onPage?: PageListener): Promise<PrepareResult> {
    return prepareFile(job, this.env, undefined, onPage);
  }

  async close(): Promise<void> {
    await this.engine?.terminate();
  }
}

/**
 * Files a worker may hold at once when they are light (small, and never OCR): while the main
 * thread commits a group (tens of milliseconds, during which it cannot hand out work), the worker
 * goes on with the files it already has instead of waiting.
 */
const LIGHT_DEPTH = 8;
const LIGHT_MAX_BYTES = 1 << 20;
/** Formats that may need OCR, which can take minutes: such a file always has a worker to itself. */
const HEAVY = /\.(pdf|png|jpe?g|tiff?|bmp|gif|webp)$/iu;

const cancelled = (job: ExtractJob): PrepareResult => ({ key: job.key, ok: false, code: 'CANCELLED', message: 'The import was stopped.' });

/** A file that may need OCR: read in a worker thread even in a small import, so that cancelling can stop it at once. */
export const mayNeedOcr = (name: string): boolean => HEAVY.test(name);

const isLight = (job: ExtractJob, size: number): boolean => size <= LIGHT_MAX_BYTES && !mayNeedOcr(job.name);

interface Pending {
  job: ExtractJob;
  light: boolean;
  resolve: (result: PrepareResult) => void;
  onPage: PageListener | undefined;
  timer: NodeJS.Timeout;
}

interface Waiting {
  job: ExtractJob;
  light: boolean;
  resolve: (result: PrepareResult) => void;
  onPage: PageListener | undefined;
}

interface Slot {
  worker: Worker;
  /** The files this worker holds, by job key. */
  pending: Map<number, Pending>;
}

/**
 * A fixed number of worker threads. A worker holds one heavy file, or several light ones; a
 * crashed or stuck worker is replaced, and the light files it held that did not cause it are read
 * again by its replacement.
 */
class WorkerPool implements Extractor {
  readonly parallelism: number;
  private readonly slots: Slot[] = [];
  /** Files waiting for a worker, first come first served, so a scan is not passed over by texts. */
  private readonly waiting: Waiting[] = [];
  private readonly options: ExtractorOptions;
  private closed = false;

  constructor(options: ExtractorOptions) {
    this.options = options;
    this.parallelism = options.workers;
    for (let i = 0; i < options.workers; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const setup: WorkerSetup = {
      limits: this.options.limits,
      ocrLanguages: this.options.ocrLanguages,
      tessdata: this.options.tessdata,
    };
    const worker = new Worker(this.options.workerUrl ?? new URL('./extract-worker.ts', import.meta.url), { workerData: setup });
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (message: PrepareResult | PageMessage) => {
      if ('page' in message) this.progress(slot, message.page);
      else this.settle(slot, message.key, message);
    });
    worker.on('error', (error: Error) => this.replace(slot, 'INTERNAL', `Reading this file crashed its reader: ${error.message}`));
    worker.on('exit', () => this.replace(slot, 'INTERNAL', 'Reading this file stopped its reader unexpectedly.'));
    return slot;
  }

  /** A worker that can take this file now: the least loaded one that may hold it. */
  private free(light: boolean): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) {
      const held = [...slot.pending.values()];
      const fits = held.length === 0 || (light && held.length < LIGHT_DEPTH && held.every((p) => p.light));
      if (fits && (!best || slot.pending.size < best.pending.size)) best = slot;
    }
    return best;
  }

  /** A page taken up: passed on, and the file's time limit starts again, since it is moving. */
  private progress(slot: Slot, { key, page, pages }: PageMessage['page']): void {
    const pending = slot.pending.get(key);
    if (!pending) return;
    pending.timer.refresh();
    pending.onPage?.(page, pages);
  }

  private settle(slot: Slot, key: number, result: PrepareResult): void {
    const pending = slot.pending.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    slot.pending.delete(key);
    pending.resolve(result);
    this.pump();
  }

  /**
   * The worker crashed or a file timed out: a new worker takes the slot. When the worker held one
   * file, that file is the cause and fails; when it held several light ones, each is read again
   * on its own, so only the one that causes it again fails.
   */
  private replace(slot: Slot, code: 'INTERNAL' | 'TIMED_OUT', message: string, culprit?: number): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    const held = [...slot.pending.values()];
    slot.pending.clear();
    if (this.closed) {
      for (const p of held) {
        clearTimeout(p.timer);
        p.resolve(cancelled(p.job));
      }
      return;
    }
    this.slots[index] = this.spawn();
    for (const p of held) {
      clearTimeout(p.timer);
      const guilty = culprit === undefined ? held.length === 1 : p.job.key === culprit;
      if (guilty) p.resolve({ key: p.job.key, ok: false, code, message });
      else this.runSolo(p.job, p.onPage).then(p.resolve, () => p.resolve({ key: p.job.key, ok: false, code, message }));
    }
    this.pump();
  }

  run(job: ExtractJob, onPage?: PageListener): Promise<PrepareResult> {
    return this.dispatch(job, isLight(job, job.size ?? job.bytes?.length ?? 0), onPage);
  }

  /** Read again after a crash: as a heavy file, alone in its worker, so a second crash names it. */
  private runSolo(job: ExtractJob, onPage: PageListener | undefined): Promise<PrepareResult> {
    return this.dispatch(job, false, onPage);
  }

  private dispatch(job: ExtractJob, light: boolean, onPage: PageListener | undefined): Promise<PrepareResult> {
    if (this.closed) return Promise.resolve(cancelled(job));
    return new Promise((resolve) => {
      this.waiting.push({ job, light, resolve, onPage });
      this.pump();
    });
  }

  /**
   * Hands free workers to the files waiting, in order; one that does not fit yet holds the line.
   * Each file is put in its worker's hands here, synchronously, so the next one sees it there.
   */
  private pump(): void {
    for (let head = this.waiting[0]; head; head = this.waiting[0]) {
      if (this.closed) {
        this.waiting.shift();
        head.resolve(cancelled(head.job));
        continue;
      }
      const slot = this.free(head.light);
      if (!slot) return;
      this.waiting.shift();
      this.send(slot, head);
    }
  }

  private send(slot: Slot, { job, light, resolve, onPage }: Waiting): void {
    // A private copy is transferred: the caller's bytes may share a pooled buffer.
    const bytes = job.bytes ? new Uint8Array(job.bytes) : undefined;
    const timer = setTimeout(
      () => this.replace(slot, 'TIMED_OUT', `Reading this file took longer than ${Math.round(this.options.fileTimeoutMs / 1000)} s; it was given up.`, job.key),
      this.options.fileTimeoutMs,
    );
    slot.pending.set(job.key, { job, light, resolve, onPage, timer });
    slot.worker.postMessage({ ...job, bytes }, bytes ? [bytes.buffer] : []);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = [...this.slots];
    for (const slot of slots) this.replace(slot, 'INTERNAL', 'The import was stopped.');
    this.pump();
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
