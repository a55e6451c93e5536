import { parentPort, workerData } from 'node:worker_threads';
import { createOcrEngine } from '../ocr.ts';
import { type ExtractJob, type PrepareEnv, prepareFile } from './prepare.ts';

/** What a pool passes to each worker thread. */
export interface WorkerSetup {
  limits: PrepareEnv['limits'];
  ocrLanguages: string[];
  tessdata: string | undefined;
}

const setup = workerData as WorkerSetup;
const env: PrepareEnv = {
  limits: setup.limits,
  ocrLanguages: setup.ocrLanguages,
  ocr: async () => (setup.tessdata ? createOcrEngine({ langPath: setup.tessdata }) : undefined),
};

/** A page of a long original taken up: the pool passes it on as progress, and it shows the file is not stuck. */
export interface PageMessage {
  page: { key: number; page: number; pages: number };
}

parentPort?.on('message', (job: ExtractJob) => {
  const onPage = (page: number, pages: number): void => parentPort?.postMessage({ page: { key: job.key, page, pages } } satisfies PageMessage);
  void prepareFile(job, env, undefined, onPage).then((result) => {
    if (!result.ok) {
      parentPort?.postMessage(result);
      return;
    }
    // The original's bytes go back to the pipeline by transfer, not by copy.
    const own = result.bytes.byteOffset === 0 && result.bytes.byteLength === result.bytes.buffer.byteLength;
    const bytes = own ? result.bytes : new Uint8Array(result.bytes);
    parentPort?.postMessage({ ...result, bytes }, [bytes.buffer as ArrayBuffer]);
  });
});
