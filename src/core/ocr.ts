import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { KartotekaError } from '../shared/errors.ts';
import type { OcrEngine } from './importers/types.ts';
import { ocrLanguages } from '../shared/document.ts';

/**
 * Offline OCR with tesseract.js. What tesseract.js 7 does in Node, read from its source:
 * - the worker script and the wasm core are `require`d from node_modules (tesseract.js-core
 *   reads its .wasm with fs), so no `corePath`/`workerPath` is fetched;
 * - traineddata comes from `langPath`: a URL is fetched (the default is a CDN), a plain folder
 *   path is read with fs; we always give a folder, with `gzip: false` for Debian's plain files;
 * - unless `cacheMethod` is 'none' it first looks for, and afterwards writes, a copy of each
 *   traineddata in `cachePath` (default: the working directory); 'none' turns both off;
 * - images given as bytes are never fetched.
 */

export const defaultOcrLanguages: readonly string[] = ocrLanguages;

/** Where distributions put tesseract's language data, most likely first. */
export const systemTessdataDirs: readonly string[] = [
  '/usr/share/tesseract-ocr/5/tessdata', // Debian, Ubuntu
  '/usr/share/tesseract-ocr/4.00/tessdata', // older Debian, Ubuntu
  '/usr/share/tessdata', // Fedora, Arch
  '/usr/local/share/tessdata', // Homebrew on Intel macOS, source installs
  '/opt/homebrew/share/tessdata', // Homebrew on Apple silicon
];

/** The Debian package that ships a language's traineddata, for messages a person can act on. */
export const tessdataPackage = (language: string): string => `tesseract-ocr-${language.replaceAll('_', '-').toLowerCase()}`;

const LANGUAGE_CODE = /^[A-Za-z][A-Za-z0-9_]{1,40}$/u;
/** Index of the LSTM model among a traineddata file's components (tesseract's TessdataType). */
const TESSDATA_LSTM = 17;

/**
 * Why a traineddata file would make tesseract's initialisation fail, or undefined when its
 * component table looks sound. Checked before tesseract.js sees the file because a failed
 * initialisation inside tesseract.js 7 hangs createWorker and then throws in the main thread.
 */
export function traineddataProblem(file: string): string | undefined {
  let size: number;
  try {
    const info = statSync(file);
    if (!info.isFile()) return 'not a file';
    size = info.size;
  } catch {
    return 'missing';
  }
  const header = Buffer.alloc(4 + 8 * 64);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 4) return 'too short';
  const entries = header.readInt32LE(0);
  if (entries < 1 || entries > 64 || read < 4 + 8 * entries) return 'not a traineddata file';
  let previous = 4 + 8 * entries;
  for (let i = 0; i < entries; i++) {
    const offset = Number(header.readBigInt64LE(4 + 8 * i));
    if (offset === -1) continue;
    if (offset < previous || offset >= size) return 'damaged (truncated or not a traineddata file)';
    previous = offset;
  }
  if (entries <= TESSDATA_LSTM || Number(header.readBigInt64LE(4 + 8 * TESSDATA_LSTM)) === -1) {
    return 'made for tesseract 3 (it has no LSTM model)';
  }
  return undefined;
}

function holdsAll(dir: string, languages: readonly string[]): boolean {
  return languages.every((language) => LANGUAGE_CODE.test(language) && existsSync(join(dir, `${language}.traineddata`)));
}

/**
 * A folder holding `<language>.traineddata` for every requested language: KARTOTEKA_TESSDATA,
 * then TESSDATA_PREFIX (tesseract's own variable: the folder itself since tesseract 4, its
 * parent before), then the distributions' folders.
 */
export function findTessdata(env: Record<string, string | undefined>, languages: readonly string[] = defaultOcrLanguages): string | undefined {
  const prefix = env.TESSDATA_PREFIX;
  const candidates = [env.KARTOTEKA_TESSDATA, prefix, prefix ? join(prefix, 'tessdata') : undefined, ...systemTessdataDirs];
  for (const dir of candidates) {
    if (dir && holdsAll(dir, languages)) return dir;
  }
  return undefined;
}

export interface OcrEngineOptions {
  /** A folder of plain (not gzipped) .traineddata files; found with findTessdata when undefined. */
  langPath?: string | undefined;
  /**
   * Where tesseract.js would cache traineddata. Caching is off (the files are local already), so
   * nothing is written; this only keeps a future default from pointing at the working directory.
   */
  cacheDir?: string | undefined;
}

/** A started worker. `died` rejects when its thread ends, so that a waiting call fails instead of hanging. */
interface Live {
  worker: Tesseract.Worker;
  thread: ThreadWorker | undefined;
  died: Promise<never>;
  dead: boolean;
  languages: string;
}

function ocrFailure(error: unknown): KartotekaError {
  if (error instanceof KartotekaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/attempting to read image/iu.test(message)) {
    return new KartotekaError('CORRUPT_FILE', 'The image could not be read: it is damaged, or in a variant the OCR engine does not know.');
  }
  return new KartotekaError('OCR_FAILED', `Text recognition failed: ${message}`);
}

class TesseractEngine implements OcrEngine {
  readonly #langPath: string;
  readonly #cacheDir: string;
  #live: Promise<Live> | undefined;
  /** One job at a time: a language switch must not run under another call's recognition. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Set while (re)initialising: a failure then has to be caught before tesseract.js mishandles it. */
  #initFailed: ((error: Error) => void) | undefined;

  constructor(langPath: string, cacheDir: string) {
    this.#langPath = langPath;
    this.#cacheDir = cacheDir;
  }

  recognize(image: Uint8Array, languages: readonly string[]): Promise<{ text: string; confidence: number }> {
    const run = this.#queue.then(() => this.#recognize(image, languages));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async terminate(): Promise<void> {
    const live = this.#live;
    this.#live = undefined;
    if (!live) return;
    try {
      await (await live).worker.terminate();
    } catch {
      // A worker that never started has nothing to stop.
    }
  }

  #checkLanguages(languages: readonly string[]): string {
    if (languages.length === 0) throw new KartotekaError('OCR_FAILED', 'No OCR language was given.');
    for (const language of languages) {
      if (!LANGUAGE_CODE.test(language)) throw new KartotekaError('OCR_FAILED', `"${language}" is not a tesseract language code.`);
      const problem = traineddataProblem(join(this.#langPath, `${language}.traineddata`));
      if (problem === 'missing') {
        throw new KartotekaError(
          'OCR_UNAVAILABLE',
          `No OCR language data for "${language}" in ${this.#langPath}. Install ${tessdataPackage(language)}, or set KARTOTEKA_TESSDATA to a folder holding ${language}.traineddata.`,
        );
      }
      if (problem) {
        throw new KartotekaError(
          'OCR_UNAVAILABLE',
          `The OCR language data ${join(this.#langPath, `${language}.traineddata`)} cannot be used: ${problem}. Reinstall ${tessdataPackage(language)}.`,
        );
      }
    }
    return languages.join('+');
  }

  async #recognize(image: Uint8Array, languages: readonly string[]): Promise<{ text: string; confidence: number }> {
    const wanted = this.#checkLanguages(languages);
    const live = await this.#ready(wanted);
    try {
      // tesseract.js's types take a Buffer, not a Uint8Array: a view over the same memory.
      const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
      const result = await Promise.race([live.worker.recognize(bytes), live.died]);
      return { text: result.data.text, confidence: result.data.confidence };
    } catch (error) {
      const failure = ocrFailure(error);
      // An unreadable image leaves the engine sound; anything else (a wasm abort) may not have.
      if (failure.code !== 'CORRUPT_FILE') await this.terminate();
      throw failure;
    }
  }

  async #ready(languages: string): Promise<Live> {
    if (this.#live) {
      let live: Live;
      try {
        live = await this.#live;
      } catch {
        this.#live = undefined;
        return this.#ready(languages);
      }
      if (live.dead) {
        this.#live = undefined;
        return this.#ready(languages);
      }
      if (live.languages === languages) return live;
      try {
        await this.#initialising(Promise.race([live.worker.reinitialize(languages), live.died]), () => live.thread);
        live.languages = languages;
        return live;
      } catch (error) {
        await this.terminate();
        throw ocrFailure(error);
      }
    }
    const starting = this.#start(languages);
    this.#live = starting;
    try {
      return await starting;
    } catch (error) {
      this.#live = undefined;
      throw ocrFailure(error);
    }
  }

  async #start(languages: string): Promise<Live> {
    // tesseract.js hands out its worker_threads Worker only after a successful start; Node
    // announces every new Worker of this thread on `process`, so take the one it creates here.
    // Without it, a failed start would leave an idle thread that keeps the process alive.
    let thread: ThreadWorker | undefined;
    const spawned = (worker: ThreadWorker): void => {
      thread ??= worker;
    };
    process.once('worker', spawned);
    try {
      const worker = await this.#initialising(
        Tesseract.createWorker(languages, Tesseract.OEM.LSTM_ONLY, {
          langPath: this.#langPath,
          gzip: false,
          cacheMethod: 'none',
          cachePath: this.#cacheDir,
          logger: () => undefined,
          errorHandler: (data: unknown) => this.#initFailed?.(new Error(String(data))),
        }),
        () => thread,
      );
      // Typed nowhere, but this is the Worker tesseract.js talks to.
      thread = (worker as unknown as { worker?: ThreadWorker }).worker ?? thread;
      // Without an 'error' listener, a crash inside the worker (a wasm abort outside a job)
      // would be thrown in this thread.
      let markDead = (): void => undefined;
      const died = new Promise<never>((_, reject) => {
        thread?.once('error', (error) => {
          markDead();
          reject(new KartotekaError('OCR_FAILED', `The OCR engine stopped: ${error.message}`));
        });
        thread?.once('exit', () => {
          markDead();
          reject(new KartotekaError('OCR_FAILED', 'The OCR engine stopped.'));
        });
      });
      died.catch(() => undefined);
      const live: Live = { worker, thread, died, dead: false, languages };
      markDead = () => {
        live.dead = true;
      };
      return live;
    } catch (error) {
      void thread?.terminate();
      throw error;
    } finally {
      process.off('worker', spawned);
    }
  }

  /**
   * Runs a (re)initialisation so that its failure rejects: tesseract.js 7 reports a failed
   * initialise only to errorHandler (createWorker's promise never settles), and then sends a
   * second "resolve" for the same job that makes its message handler throw; the listeners go
   * before that message arrives.
   */
  async #initialising<T>(work: Promise<T>, thread: () => ThreadWorker | undefined): Promise<T> {
    const failed = new Promise<never>((_, reject) => {
      this.#initFailed = (error) => {
        thread()?.removeAllListeners('message');
        reject(error);
      };
    });
    try {
      return await Promise.race([work, failed]);
    } finally {
      this.#initFailed = undefined;
    }
  }
}

/** An OCR engine on one tesseract.js worker, started on first use and reused while it lives. */
export async function createOcrEngine(options: OcrEngineOptions): Promise<OcrEngine> {
  const langPath = options.langPath ?? findTessdata(process.env);
  if (!langPath || !existsSync(langPath)) {
    throw new KartotekaError(
      'OCR_UNAVAILABLE',
      `No OCR language data was found${langPath ? ` in ${langPath}` : ''}. Install tesseract-ocr-rus, tesseract-ocr-ukr and tesseract-ocr-eng, or set KARTOTEKA_TESSDATA to a folder of .traineddata files.`,
    );
  }
  return new TesseractEngine(langPath, options.cacheDir ?? tmpdir());
}
