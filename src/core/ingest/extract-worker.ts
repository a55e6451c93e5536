import { parentPort, workerData } from 'node:worker_threads';
import { createOcrEngine } from '../ocr.ts';
import { type ExtractJob, type PrepareEnv, prepareFile } from './prepare.ts';

/** What a pool passes to each worker thread. */
export interface WorkerSetup {
  archiveRoot: string;
  limits: PrepareEnv['limits'];
  ocrLanguages: string[];
  tessdata: string | undefined;
}

const setup = workerData as WorkerSetup;
const env: PrepareEnv = {
  archiveRoot: setup.archiveRoot,
  limits: setup.limits,
  ocrLanguages: setup.ocrLanguages,
  ocr: async () => (setup.tessdata ? createOcrEngine({ langPath: setup.tessdata }) : undefined),
};

parentPort?.on('message', (job: ExtractJob) => {
  void prepareFile(job, env).then((result) => parentPort?.postMessage(result));
});
