import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { exportBundle } from '../../src/core/bundles/export.ts';
import { inspectBundle } from '../../src/core/bundles/import.ts';
import { importBuffers } from '../../src/core/import.ts';
import { BackgroundRebuild } from '../../src/core/search/background-rebuild.ts';
import { indexState } from '../../src/core/search/indexing.ts';
import { BundleOptions, type BundleProgress } from '../../src/shared/bundles.ts';
import { refusal, tempDir } from '../helpers.ts';
import { testEnvironment } from './bundle-fixtures.ts';

/**
 * An export by search while the search index is being rebuilt (paused, here) finishes the rebuild
 * first, since a search misses the documents not reached yet, but without freezing the app: the
 * rebuild goes in short steps with the event loop answered between them, shown as a phase of the
 * export's progress, and Cancel stops it.
 */

const DOCUMENTS = 300;
/** Every third letter names Kagarlitsky; the others name nobody the search looks for. */
const naming = (i: number): boolean => i % 3 === 0;

const opened: Archive[] = [];
afterEach(() => {
  for (const archive of opened.splice(0)) archive.close();
});

async function archiveOf(count: number): Promise<Archive> {
  const archive = Archive.create(join(tempDir('kartoteka-bundles-rebuild-'), 'archive'));
  opened.push(archive);
  const files = Array.from({ length: count }, (_, i) => ({
    name: `letter-${i}.txt`,
    bytes: new TextEncoder().encode(
      naming(i) ? `Письмо ${i}\n\nКагарлицкий пишет из колонии, номер ${i}.` : `Письмо ${i}\n\nПередайте привет адвокату и семье, номер ${i}.`,
    ),
  }));
  const report = await importBuffers(archive, files, { workers: 0 });
  expect(report.imported).toHaveLength(count);
  return archive;
}

/** Starts a rebuild and pauses it before its first step, as the Settings' Pause button does. */
function pausedRebuild(archive: Archive): BackgroundRebuild {
  const rebuild = new BackgroundRebuild(archive);
  rebuild.rebuild();
  const paused = rebuild.pause();
  expect(paused).toMatchObject({ current: false, paused: true, total: DOCUMENTS });
  expect(paused.done).toBeLessThan(DOCUMENTS);
  return rebuild;
}

/** Counts the turns a zero-delay timer gets until stopped: each one is the event loop answering. */
function ticker(): { count(): number; stop(): number } {
  let ticks = 0;
  let timer = setTimeout(function tick() {
    ticks++;
    timer = setTimeout(tick, 0);
  }, 0);
  return {
    count: () => ticks,
    stop() {
      clearTimeout(timer);
      return ticks;
    },
  };
}

describe('exporting a search while the index is being rebuilt', () => {
  it('finishes the paused rebuild without blocking the event loop, shows it as a phase, and exports every document found', async () => {
    const archive = await archiveOf(DOCUMENTS);
    const rebuild = pausedRebuild(archive);
    const seen: BundleProgress[] = [];
    const clock = ticker();
    /** The timer's turns when each indexing report came. */
    const ticksAt: number[] = [];
    const env = await testEnvironment({
      // One document a step, so even a fast machine takes many steps over these few hundred.
      indexStepMs: 0,
      onProgress: (p) => {
        seen.push(p);
        if (p.phase === 'indexing') ticksAt.push(clock.count());
      },
    });
    const path = join(tempDir(), 'kagarlitsky.zip');

    const report = await exportBundle(archive, { selection: { type: 'search', query: 'Kagarlitsky' }, options: BundleOptions.parse({}), path }, env);
    clock.stop();
    rebuild.stop();

    // The timer kept firing between the first and the last step of the rebuild: the thread was never held for all of it.
    expect(ticksAt.length).toBeGreaterThan(0);
    expect((ticksAt.at(-1) ?? 0) - (ticksAt[0] ?? 0)).toBeGreaterThanOrEqual(3);
    const indexing = seen.filter((p) => p.phase === 'indexing');
    expect(indexing.length).toBeGreaterThanOrEqual(2);
    expect(indexing.at(-1)).toMatchObject({ done: DOCUMENTS, total: DOCUMENTS });
    expect(indexing.every((p) => p.total === DOCUMENTS && p.done <= DOCUMENTS)).toBe(true);
    // Indexing comes before writing: the documents are chosen from the whole index.
    expect(seen.findIndex((p) => p.phase === 'writing')).toBeGreaterThan(seen.indexOf(indexing.at(-1) as BundleProgress));
    expect(indexState(archive).current).toBe(true);

    const expected = Array.from({ length: DOCUMENTS }, (_, i) => i)
      .filter(naming)
      .map((i) => `Письмо ${i}`)
      .sort();
    expect(report.items).toBe(expected.length);
    const inside = await inspectBundle(archive, report.path);
    expect(inside.items.map((item) => item.title).sort()).toEqual(expected);
  });

  it('Cancel stops the export while it builds the index, leaving the rebuild part-done and resumable', async () => {
    const archive = await archiveOf(DOCUMENTS);
    const rebuild = pausedRebuild(archive);
    const controller = new AbortController();
    const env = await testEnvironment({
      signal: controller.signal,
      indexStepMs: 0,
      onProgress: (p) => {
        if (p.phase === 'indexing' && p.done > 0) controller.abort();
      },
    });
    const error = await refusal(
      exportBundle(archive, { selection: { type: 'search', query: 'Kagarlitsky' }, options: BundleOptions.parse({}), path: join(tempDir(), 'never.zip') }, env),
    );
    expect(error.code).toBe('CANCELLED');
    const state = indexState(archive);
    expect(state.current).toBe(false);
    expect(state.done).toBeGreaterThan(0);
    expect(rebuild.status()).toMatchObject({ current: false, paused: true });
    rebuild.stop();
  });
});
