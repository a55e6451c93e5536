import { Decrypter, Encrypter } from 'age-encryption';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { KartotekaError } from '../../shared/errors.ts';
import type { ByteSink } from './zip-writer.ts';

/**
 * age encryption of a bundle with a passphrase (age's scrypt recipient), streamed both ways so
 * that no plaintext copy of the zip is ever written to disk on export. Files made here open with
 * `age --decrypt`, and files made by `age --passphrase` open here.
 */

const MAGIC = 'age-encryption.org/v1\n';

/** Where bytes go: a file handle, or a wrapper that also hashes what it writes. */
interface Writable {
  write(bytes: Uint8Array): Promise<unknown>;
}

/** The scrypt work factor (log2 N) age itself uses; reading refuses more (2^19+ costs 512 MB+ of memory per try). */
export const DEFAULT_WORK_FACTOR = 18;
const MAX_WORK_FACTOR = 18;

/** Whether the file at `path` starts like an age file (binary, not armored). */
export function isAgeFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.toString('latin1') === MAGIC;
  } finally {
    closeSync(fd);
  }
}

/**
 * A sink whose bytes are encrypted into `out` as they come; `close()` ends the file. Errors on
 * the way out (a full disk) surface on the next write or on close.
 */
export async function encryptingSink(out: Writable, passphrase: string, workFactor = DEFAULT_WORK_FACTOR): Promise<ByteSink & { close(): Promise<void> }> {
  const plain = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: 4 }, { highWaterMark: 4 });
  const encrypter = new Encrypter();
  encrypter.setPassphrase(passphrase);
  encrypter.setScryptWorkFactor(workFactor);
  const encrypted = await encrypter.encrypt(plain.readable);
  const writer = plain.writable.getWriter();
  let failure: unknown;
  const pump = (async () => {
    const reader = encrypted.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await out.write(value);
    }
  })().catch(async (error: unknown) => {
    failure = error;
    await writer.abort(error).catch(() => undefined);
  });
  return {
    async write(chunk) {
      if (failure !== undefined) throw failure;
      await writer.ready;
      await writer.write(chunk);
    },
    async close() {
      if (failure === undefined) await writer.close();
      await pump;
      if (failure !== undefined) throw failure;
    },
  };
}

/** The work factor an age file's scrypt stanza asks for, or null when it has none (not a passphrase file). */
function scryptWorkFactor(path: string): number | null {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString('latin1');
    const match = /\n-> scrypt \S+ (\d+)\n/u.exec(text);
    return match?.[1] ? Number(match[1]) : null;
  } finally {
    closeSync(fd);
  }
}

/** Decrypts the age file at `path` into `out`; WRONG_PASSPHRASE when the passphrase does not open it. An aborted signal stops it early (the caller checks the signal). */
export async function decryptFile(path: string, out: Writable, passphrase: string, signal?: AbortSignal): Promise<void> {
  const workFactor = scryptWorkFactor(path);
  if (workFactor === null) {
    throw new KartotekaError('WRONG_PASSPHRASE', 'This bundle is encrypted for a key, not with a passphrase; open it with `age --decrypt -i KEYFILE` first.');
  }
  if (workFactor > MAX_WORK_FACTOR) {
    throw new KartotekaError('BUNDLE_UNSAFE', `This bundle asks for an scrypt work factor of ${workFactor} (age uses 18); that much would exhaust memory, so it is refused.`, {
      reason: 'work-factor',
    });
  }
  const decrypter = new Decrypter();
  decrypter.addPassphrase(passphrase);
  // The cast: Node's web stream type and the DOM one age-encryption names are the same object.
  const input = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
  let plain: ReadableStream<Uint8Array>;
  try {
    plain = await decrypter.decrypt(input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/no identity matched|invalid header HMAC/u.test(message)) {
      throw new KartotekaError('WRONG_PASSPHRASE', 'The passphrase does not open this bundle.');
    }
    throw new KartotekaError('BUNDLE_INVALID', `This age file cannot be read: ${message}.`);
  }
  try {
    const reader = plain.getReader();
    for (;;) {
      // Cancelled: stop reading; the caller removes what was written.
      if (signal?.aborted) {
        await reader.cancel().catch(() => undefined);
        return;
      }
      const { done, value } = await reader.read();
      if (done) break;
      await out.write(value);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new KartotekaError('BUNDLE_INVALID', `The encrypted bundle is damaged or cut short (${message}).`);
  }
}
