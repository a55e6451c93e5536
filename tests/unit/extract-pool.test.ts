import { describe, expect, it } from 'vitest';
import { createExtractor, type Extractor } from '../../src/core/ingest/extractors.ts';
import type { ExtractJob, PrepareResult } from '../../src/core/ingest/prepare.ts';
import { defaultLimits } from '../../src/core/importers/types.ts';

const workerUrl = new URL('../fixtures/workers/misbehaving-extract-worker.ts', import.meta.url);

const pool = (fileTimeoutMs = 60_000): Extractor =>
  createExtractor({ limits: defaultLimits, ocrLanguages: [], tessdata: undefined, workers: 1, workerUrl, fileTimeoutMs });

let key = 0;
const job = (name: string): ExtractJob => ({
  key: key++,
  file: name,
  name,
  bytes: new TextEncoder().encode(`Письмо из колонии, файл ${name}: здоровье в порядке, жду свидания.\n`),
  repairMojibake: true,
});

const outcome = (r: PrepareResult): string => (r.ok ? 'ok' : r.code);

describe('the pool of extraction workers', () => {
  it('fails only the file that crashes its worker, and reads the files it held with it again', async () => {
    const extractor = pool();
    try {
      const names = ['one.txt', 'two.txt', 'crash.txt', 'three.txt', 'four.txt'];
      const results = await Promise.all(names.map((n) => extractor.run(job(n))));
      expect(results.map(outcome)).toEqual(['ok', 'ok', 'INTERNAL', 'ok', 'ok']);
      // The replacement worker goes on reading.
      expect(outcome(await extractor.run(job('five.txt')))).toBe('ok');
    } finally {
      await extractor.close();
    }
  });

  it('gives up a file that never finishes, and only that one', async () => {
    const extractor = pool(1500);
    try {
      const names = ['one.txt', 'hang.txt', 'two.txt', 'three.txt'];
      const results = await Promise.all(names.map((n) => extractor.run(job(n))));
      expect(results.map(outcome)).toEqual(['ok', 'TIMED_OUT', 'ok', 'ok']);
      const timedOut = results[1];
      expect(timedOut?.ok === false && timedOut.message).toMatch(/longer than 2 s/u);
    } finally {
      await extractor.close();
    }
  });

  it('gives a scan (which may need minutes of OCR) a worker of its own: texts after it wait their turn', async () => {
    const extractor = pool(1500);
    try {
      const settled: string[] = [];
      const run = (name: string): Promise<string> =>
        extractor.run(job(name)).then((r) => {
          settled.push(name);
          return outcome(r);
        });
      const results = await Promise.all([run('before.txt'), run('hang-scan.pdf'), run('after.txt')]);
      expect(results).toEqual(['ok', 'TIMED_OUT', 'ok']);
      expect(settled).toEqual(['before.txt', 'hang-scan.pdf', 'after.txt']);
    } finally {
      await extractor.close();
    }
  });

  it('does not give up a long file that keeps telling its pages, and passes the pages on', async () => {
    const extractor = pool(1000);
    try {
      const pages: string[] = [];
      const result = await extractor.run(job('slow-letter.txt'), (page, of) => pages.push(`${page}/${of}`));
      expect(outcome(result)).toBe('ok');
      expect(pages).toEqual(['1/8', '2/8', '3/8', '4/8', '5/8', '6/8', '7/8', '8/8']);
    } finally {
      await extractor.close();
    }
  });

  it('answers files still waiting with CANCELLED when the import stops', async () => {
    const extractor = pool();
    const waiting = [extractor.run(job('hang.pdf')), extractor.run(job('later.txt'))];
    await new Promise((resolve) => setTimeout(resolve, 200));
    await extractor.close();
    expect((await Promise.all(waiting)).map(outcome)).toEqual(['CANCELLED', 'CANCELLED']);
  });
});
