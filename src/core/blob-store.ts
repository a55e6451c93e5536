import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chmod, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
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
 * leaves half a file under its final name; an intent file marks a blob whose catalogue entry is
 * not committed yet, so that after a crash (kill -9) recovery can take back what no row refers to.
 */
export class BlobStore {
  readonly root: string;
  readonly tmpDir: string;
  readonly intentDir: string;
  /** Folders known to exist, so a bulk import does not ask the disk for each file. */
  private readonly madeDirs = new Set<string>();

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
    await this.ensureDir(this.intentDir);
    const tmp = join(this.tmpDir, `${process.pid}-${sha256}.${randomBytes(6).toString('hex')}.part`);
    try {
      const handle = await open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await chmod(tmp, 0o444);
      await this.ensureDir(join(target, '..'));
      await writeFile(this.intentPath(sha256), '');
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

  /** The catalogue now refers to the blob (or it was taken back): its intent is done. */
  settle(sha256: string): void {
    rmSync(this.intentPath(sha256), { force: true });
  }

  /** Only for undoing a put whose catalogue transaction failed. */
  remove(sha256: string): void {
    rmSync(this.pathOf(sha256), { force: true });
    this.settle(sha256);
  }

  /**
   * After a crash: blobs that were written but never committed are removed, and half-written
   * temporary files too. Intents of processes still running (another import) are left alone.
   */
  recover(isReferenced: (sha256: string) => boolean): { removedBlobs: number } {
    let removedBlobs = 0;
    const owners = (name: string): number => Number(name.slice(0, name.indexOf('-')));
    for (const name of safeList(this.intentDir)) {
      const pid = owners(name);
      if (pid === process.pid || processAlive(pid)) continue;
      const sha256 = name.slice(name.indexOf('-') + 1);
      if (!isReferenced(sha256) && existsSync(this.pathOf(sha256))) {
        rmSync(this.pathOf(sha256), { force: true });
        removedBlobs++;
      }
      rmSync(join(this.intentDir, name), { force: true });
    }
    for (const name of safeList(this.tmpDir)) {
      if (!name.endsWith('.part')) continue;
      const pid = owners(name);
      if (pid !== process.pid && !processAlive(pid)) rmSync(join(this.tmpDir, name), { force: true });
    }
    return { removedBlobs };
  }

  private intentPath(sha256: string): string {
    return join(this.intentDir, `${process.pid}-${sha256}`);
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
