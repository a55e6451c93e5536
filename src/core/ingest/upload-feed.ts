import { UPLOAD_BATCH_BYTES } from '../../shared/contract.ts';
import type { ErrorCode } from '../../shared/errors.ts';

/** A file of an upload: its bytes, or why the page could not send them (data for the report). */
export type UploadedFile = { name: string; bytes: Uint8Array } | { name: string; failure: { code: ErrorCode; message: string } };

/**
 * The files of an upload, arriving batch by batch while its import already runs. The import takes
 * them as it gets to them; a batch is answered once the files waiting here are down to `maxWaitingBytes`,
 * so a page sending faster than the import reads (a long scan's OCR) holds a bounded amount of memory,
 * and nothing is ever written outside the archive. Closing (a cancel, the end of the import) drops
 * what waits and lets every pending batch go.
 */
export class UploadFeed {
  /** How many files the page said it would send, failures included. */
  readonly expected: number;
  private readonly maxWaitingBytes: number;
  private waiting: UploadedFile[] = [];
  private waitingBytes = 0;
  private received = 0;
  private isSealed = false;
  private isClosed = false;
  private arrived: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly roomWaiters: (() => void)[] = [];

  constructor(expected: number, maxWaitingBytes = UPLOAD_BATCH_BYTES) {
    this.expected = expected;
    this.maxWaitingBytes = maxWaitingBytes;
  }

  /** No more files will come: the last batch came, or the import stopped. */
  get sealed(): boolean {
    return this.isSealed || this.isClosed;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Sealed and every file taken: the import has all of it. */
  get finished(): boolean {
    return this.sealed && this.waiting.length === 0;
  }

  /** Files announced but not received yet (none once sealed). */
  get outstanding(): number {
    return this.sealed ? 0 : Math.max(0, this.expected - this.received);
  }

  /** Pending batches (ones waiting for room): while one waits, the page is not idle, the import is. */
  get batchesWaiting(): number {
    return this.roomWaiters.length;
  }

  /**
   * Adds a batch; `last` seals the feed. Resolves once there is room for the next batch (or the
   * feed is closed: the files are then dropped).
   */
  async add(files: readonly UploadedFile[], last: boolean): Promise<void> {
    this.push(files, last);
    while (!this.isClosed && this.waitingBytes > this.maxWaitingBytes) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Adds a batch without waiting for room (the first one, which the import takes as it starts). */
  push(files: readonly UploadedFile[], last: boolean): void {
    if (this.isClosed) return;
    for (const file of files) {
      this.waiting.push(file);
      if ('bytes' in file) this.waitingBytes += file.bytes.length;
    }
    this.received += files.length;
    if (last) this.isSealed = true;
    this.wake();
  }

  /** Every file waiting, in the order sent; the room they leave lets pending batches go. */
  take(): UploadedFile[] {
    const files = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    for (const resolve of this.roomWaiters.splice(0)) resolve();
    return files;
  }

  /** Resolves when a batch comes, the feed is sealed or closed. One promise for all who wait meanwhile. */
  arrival(): Promise<void> {
    if (this.waiting.length > 0 || this.sealed) return Promise.resolve();
    this.arrived ??= (() => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    })();
    return this.arrived.promise;
  }

  /** Drops the files waiting, takes no more, and lets everyone waiting go. */
  close(): void {
    this.isClosed = true;
    this.waiting = [];
    this.waitingBytes = 0;
    for (const resolve of this.roomWaiters.splice(0)) resolve();
    this.wake();
  }

  private wake(): void {
    const arrived = this.arrived;
    this.arrived = null;
    arrived?.resolve();
  }
}
