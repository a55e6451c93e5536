import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, fsyncSync, closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Content-addressed store of originals: blobs/sha256/ab/cd/<sha256>. A blob is written once,
 * made read-only, and never modified; writing goes through tmp/ and a rename so that a crash
 * never leaves half a file under its final name.
 */
export class BlobStore {
  readonly root: string;
  readonly tmpDir: string;

  constructor(archiveRoot: string) {
    this.root = join(archiveRoot, 'blobs', 'sha256');
    this.tmpDir = join(archiveRoot, 'tmp');
  }

  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** Stores the bytes; returns false when an identical blob was already there. */
  put(sha256: string, bytes: Uint8Array): boolean {
    const target = this.pathOf(sha256);
    if (existsSync(target)) return false;
    mkdirSync(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `${sha256}.${randomBytes(6).toString('hex')}.part`);
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        let written = 0;
        while (written < bytes.length) written += writeSync(fd, bytes, written);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(tmp, 0o444);
      mkdirSync(join(target, '..'), { recursive: true });
      renameSync(tmp, target);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    return true;
  }

  /** Only for undoing a put whose catalogue transaction failed. */
  remove(sha256: string): void {
    rmSync(this.pathOf(sha256), { force: true });
  }
}
