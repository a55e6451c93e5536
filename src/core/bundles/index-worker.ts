import { parentPort, workerData } from 'node:worker_threads';
import { type FieldName, type RawIndex, ViewerIndexBuilder } from './viewer-index.ts';

/**
 * Part of the viewer's index, built in a worker thread while the export's main thread reads
 * documents, writes the zip and indexes the documents the worker has no time for: analyzing
 * 100 MB of text is the larger half of a big export's work.
 */

export type IndexRequest =
  | { type: 'add'; documents: { fields: Record<FieldName, string>; language: string; doc: number }[] }
  | { type: 'finish' };

export type IndexResponse = { type: 'raw'; raw: RawIndex } | { type: 'failed'; message: string };

const builder = new ViewerIndexBuilder();
/** Batches given and not yet indexed, shared with the main thread, which reads it without waiting for a message. */
const pending = new Int32Array((workerData as { pending: SharedArrayBuffer }).pending);
const post = (message: IndexResponse, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(message, transfer);

parentPort?.on('message', (request: IndexRequest) => {
  try {
    if (request.type === 'add') {
      for (const d of request.documents) builder.add(d.fields, d.language, d.doc);
      Atomics.sub(pending, 0, 1);
      return;
    }
    const raw = builder.raw();
    // The typed arrays go back by transfer, not by copy.
    post({ type: 'raw', raw }, [raw.starts.buffer, raw.docs.buffer, raw.values.buffer, raw.lengths.buffer] as ArrayBuffer[]);
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
});
