import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether a process of that id is running (an intent or import run may still be live). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Content-addressed store of originals: blobs/sha256/ab/cd/<sha256>. A blob is written once,
 * made read-only, and never modified. Writing goes through tmp/ and a rename, so a crash never
 * leaves half a file under its final name; an intent log names the blobs whose catalogue entries
 * are not committed yet, so that after a crash (kill -9) recovery takes back what no row refers to.
 */
export class BlobStore {
  readonly root: string;
  readonly tmpDir: string;
  readonly intentDir: string;
  /** Folders known to exist, so a bulk import does not ask the disk for each file. */
  private readonly madeDirs = new Set<string>();
  private intentLog: number | undefined;
  private unsettled = 0;

  constructor(archiveRoot: string) {
    this.root = join(archiveRoot, 'blobs', 'sha256');
    this.tmpDir = join(archiveRoot, 'tmp');
    this.intentDir = join(archiveRoot, 'tmp', 'intents');
  }

  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /**
   * Stores the bytes durably (fsync before the rename); returns false when an identical blob was
   * already there. Asynchronous, so that the waits for the disk of many files overlap, which is
   * what makes bulk imports fast on a slow disk.
   */
  async put(sha256: string, bytes: Uint8Array): Promise<boolean> {
    const target = this.pathOf(sha256);
    if (existsSync(target)) return false;
    await this.ensureDir(this.tmpDir);
    const tmp = join(this.tmpDir, `${process.pid}-${sha256}.${randomBytes(6).toString('hex')}.part`);
    try {
      // Created read-only: the mode applies to later opens, this handle may still write.
      const handle = await open(tmp, 'wx', 0o444);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.ensureDir(join(target, '..'));
      this.recordIntent(sha256);
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return true;
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.madeDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  /**
   * One append-only intent log per process (tmp/intents/<pid>.log): a blob's name goes in before
   * the blob takes its final name, and the log is emptied whenever no blob is waiting for its
   * catalogue entry. A small write to the page cache, which is all a process crash needs.
   */
  private recordIntent(sha256: string): void {
    if (this.intentLog === undefined) {
      mkdirSync(this.intentDir, { recursive: true });
      this.intentLog = openSync(join(this.intentDir, `${process.pid}.log`), 'a');
    }
    writeSync(this.intentLog, `${sha256}\n`);
    this.unsettled++;
  }

  /** The catalogue now refers to a blob put earlier (or it was taken back): one intent fewer. */
  settle(): void {
    this.unsettled = Math.max(0, this.unsettled - 1);
    if (this.unsettled === 0 && this.intentLog !== undefined) ftruncateSync(this.intentLog, 0);
  }

  /** Only for undoing a put whose catalogue transaction failed. */
  remove(sha256: string): void {
    rmSync(this.pathOf(sha256), { force: true });
    this.settle();
  }

  close(): void {
    if (this.intentLog === undefined) return;
    closeSync(this.intentLog);
    this.intentLog = undefined;
    if (this.unsettled === 0) rmSync(join(this.intentDir, `${process.pid}.log`), { force: true });
  }

  /**
   * After a crash: blobs that were written but never committed are removed, and half-written
   * temporary files too. Logs of processes still running (another import) are left alone.
   */
  recover(isReferenced: (sha256: string) => boolean): { removedBlobs: number } {
    let removedBlobs = 0;
    const owner = (name: string): number => Number.parseInt(name, 10);
    for (const name of safeList(this.intentDir)) {
      const pid = owner(name);
      if (pid === process.pid || processAlive(pid)) continue;
      const log = join(this.intentDir, name);
      for (const sha256 of readFileSync(log, 'utf8').split('\n')) {
        if (/^[0-9a-f]{64}$/u.test(sha256) && !isReferenced(sha256) && existsSync(this.pathOf(sha256))) {
          rmSync(this.pathOf(sha256), { force: true });
          removedBlobs++;
        }
      }
      rmSync(log, { force: true });
    }
    for (const name of safeList(this.tmpDir)) {
      if (!name.endsWith('.part')) continue;
      const pid = owner(name);
      if (pid !== process.pid && !processAlive(pid)) rmSync(join(this.tmpDir, name), { force: true });
    }
    return { removedBlobs };
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
