import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IndexRequest, IndexResponse } from './index-worker.ts';
import { type FieldName, type RawIndex, type ViewerIndexHead, type ViewerShard, ViewerIndexBuilder } from './viewer-index.ts';

/**
 * Where the export hands its documents to be indexed for the viewer. With a worker thread, each
 * document goes to the worker while it keeps up, and is indexed here when it has its hands full
 * (the export's own work on a document is lighter than indexing it): both threads stay busy, and
 * build() merges the two halves into one index.
 */
export interface IndexSink {
  add(fields: Record<FieldName, string>, language: string): Promise<void>;
  build(onShard: (shard: ViewerShard) => Promise<void>): Promise<ViewerIndexHead>;
  close(): Promise<void>;
}

const BATCH = 10;
const IN_FLIGHT = 4;

class SplitIndex implements IndexSink {
  private readonly local = new ViewerIndexBuilder();
  private readonly worker: Worker | null;
  private next = 0;
  private batch: { fields: Record<FieldName, string>; language: string; doc: number }[] = [];
  /** Batches the worker has not finished, which it counts down itself (main may be too busy for messages). */
  private readonly pending = new Int32Array(new SharedArrayBuffer(4));
  private failure: Error | undefined;
  private finished: { resolve: (raw: RawIndex) => void; reject: (error: Error) => void } | undefined;

  constructor(workerUrl: URL | null) {
    this.worker = workerUrl === null ? null : new Worker(workerUrl, { workerData: { pending: this.pending.buffer }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    this.worker?.on('message', (message: IndexResponse) => {
      if (message.type === 'raw') this.finished?.resolve(message.raw);
      else this.fail(new Error(`Indexing for the viewer failed: ${message.message}`));
    });
    this.worker?.on('error', (error) => this.fail(error));
    this.worker?.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`The indexing worker stopped (exit ${code}).`));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.finished?.reject(this.failure);
  }

  async add(fields: Record<FieldName, string>, language: string): Promise<void> {
    if (this.failure) throw this.failure;
    const doc = this.next++;
    if (this.worker === null || Atomics.load(this.pending, 0) >= IN_FLIGHT) {
      this.local.add(fields, language, doc);
      return;
    }
    this.batch.push({ fields, language, doc });
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0 || this.worker === null) return;
    Atomics.add(this.pending, 0, 1);
    this.worker.postMessage({ type: 'add', documents: this.batch } satisfies IndexRequest);
    this.batch = [];
  }

  async build(onShard: (shard: ViewerShard) => Promise<void>): Promise<ViewerIndexHead> {
    if (this.worker !== null) {
      this.flush();
      const raw = new Promise<RawIndex>((resolve, reject) => (this.finished = { resolve, reject }));
      if (this.failure) throw this.failure;
      this.worker.postMessage({ type: 'finish' } satisfies IndexRequest);
      this.local.absorb(await raw);
    }
    return this.local.build(onShard);
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

/**
 * A worker thread when its script is there (running from the sources, or the app built with it
 * beside main), else this thread alone: the same index either way.
 */
export function indexSink(workerUrl: URL | null | undefined): IndexSink {
  const url = workerUrl === undefined ? new URL('./index-worker.ts', import.meta.url) : workerUrl;
  const usable = url !== null && url.protocol === 'file:' && existsSync(fileURLToPath(url));
  return new SplitIndex(usable ? url : null);
}
