import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Service, createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { BackgroundRebuild } from '../../src/core/search/background-rebuild.ts';
import { indexState } from '../../src/core/search/indexing.ts';
import { search } from '../../src/core/search/search.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import type { IndexStatus } from '../../src/shared/reports.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';

const DOCUMENTS = 40;
/** One document a step, with a rest between steps long enough to pause between two of them. */
const pace = { stepMs: 0, restMs: 15 };

/** An archive of `count` letters, each naming Kagarlitsky, so one query finds every document indexed. */
async function archiveOf(count: number, name = 'archive'): Promise<string> {
  const dir = join(tempDir('kartoteka-reindex-control-'), name);
  const archive = Archive.create(dir);
  const files = Array.from({ length: count }, (_, i) => ({
    name: `letter-${i}.txt`,
    bytes: new TextEncoder().encode(`Письмо ${i}\n\nКагарлицкий пишет из колонии, номер ${i}. Передайте привет адвокату.`),
  }));
  const report = await importBuffers(archive, files, { workers: 0 });
  expect(report.imported).toHaveLength(count);
  archive.close();
  return dir;
}

const sessions: ArchiveSession[] = [];
function sessionOn(dir: string): { session: ArchiveSession; service: Service } {
  const session = new ArchiveSession(Archive.open(dir), { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir, indexPace: pace });
  sessions.push(session);
  return { session, service: createService(session) };
}
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
});

const status = async (service: Service): Promise<IndexStatus> => service['search.index.status']({});
/** Waits (polling, as the UI does) until the rebuild's status satisfies `ready`. */
async function until(service: Service, ready: (s: IndexStatus) => boolean): Promise<IndexStatus> {
  for (;;) {
    const now = await status(service);
    if (ready(now)) return now;
    await sleep(5);
  }
}
const found = (archive: Archive): number => search(archive, 'Kagarlitsky').total;

describe('re-indexing from the app: start, pause, resume', () => {
  it('pausing stops the rebuild where it is, search says it covers only part, and resuming finishes it', async () => {
    const { session, service } = sessionOn(await archiveOf(DOCUMENTS));
    expect(await status(service)).toEqual({ analyzerVersion: expect.any(Number), current: true, done: DOCUMENTS, total: DOCUMENTS, paused: false, failure: null });
    expect(found(session.archive)).toBe(DOCUMENTS);

    const started = await service['search.index.rebuild']({});
    expect(started).toMatchObject({ current: false, done: 0, total: DOCUMENTS, paused: false });
    // Emptied first: right after starting, search finds nothing and says why.
    expect(search(session.archive, 'Kagarlitsky').indexing).toMatchObject({ current: false, total: DOCUMENTS, paused: false });

    await until(service, (s) => s.done >= 3);
    const paused = await service['search.index.pause']({});
    expect(paused).toMatchObject({ current: false, paused: true, failure: null, total: DOCUMENTS });
    expect(paused.done).toBeGreaterThanOrEqual(3);
    expect(paused.done).toBeLessThan(DOCUMENTS);

    // Many rests later nothing has moved: the steps stopped.
    await sleep(pace.restMs * 10);
    const still = await status(service);
    expect(still).toEqual(paused);
    const result = search(session.archive, 'Kagarlitsky');
    expect(result.total).toBe(paused.done);
    expect(result.indexing).toMatchObject({ done: paused.done, total: DOCUMENTS, paused: true });

    const resumed = await service['search.index.resume']({});
    expect(resumed).toMatchObject({ current: false, paused: false, done: paused.done });
    const finished = await until(service, (s) => s.current);
    expect(finished).toMatchObject({ current: true, done: DOCUMENTS, total: DOCUMENTS, paused: false, failure: null });
    const after = search(session.archive, 'Kagarlitsky');
    expect(after.total).toBe(DOCUMENTS);
    expect(after.indexing).toBeNull();
    expect(search(session.archive, 'адвокат').total).toBe(DOCUMENTS);
  });

  it('refuses a second rebuild while one is under way, with a typed error; pause and resume with nothing to do change nothing', async () => {
    const { service } = sessionOn(await archiveOf(12));
    expect(await dispatch(service, 'search.index.pause', {})).toMatchObject({ ok: true, value: { current: true, paused: false } });
    expect(await dispatch(service, 'search.index.resume', {})).toMatchObject({ ok: true, value: { current: true, paused: false } });
    expect(await dispatch(service, 'search.index.rebuild', { from: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });

    expect(await dispatch(service, 'search.index.rebuild', {})).toMatchObject({ ok: true, value: { current: false, total: 12 } });
    expect(await dispatch(service, 'search.index.rebuild', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { total: 12, paused: false } } });
    await dispatch(service, 'search.index.pause', {});
    const again = await dispatch(service, 'search.index.rebuild', {});
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { paused: true } } });
    expect(again.ok ? '' : again.error.message).toMatch(/resume it/u);
    // Paused twice is paused once; the refused rebuild did not start again from nothing.
    const before = await status(service);
    expect(await service['search.index.pause']({})).toEqual(before);
    await service['search.index.resume']({});
    await until(service, (s) => s.current);
  });

  it('a paused rebuild resumes by itself when the archive is opened again, and search becomes complete', async () => {
    const dir = await archiveOf(DOCUMENTS);
    const first = sessionOn(dir);
    await first.service['search.index.rebuild']({});
    await until(first.service, (s) => s.done >= 2);
    const paused = await first.service['search.index.pause']({});
    await first.session.close();
    sessions.splice(sessions.indexOf(first.session), 1);

    const second = sessionOn(dir);
    const reopened = await status(second.service);
    expect(reopened).toMatchObject({ current: false, paused: false, done: paused.done, total: DOCUMENTS });
    await until(second.service, (s) => s.current);
    expect(found(second.session.archive)).toBe(DOCUMENTS);
  });

  it('switching to another archive leaves the old archive’s rebuild standing still, and goes on with the new one’s', async () => {
    const oldDir = await archiveOf(DOCUMENTS, 'old');
    const newDir = await archiveOf(DOCUMENTS, 'new');
    // The new archive has a rebuild under way, left by an earlier run.
    const left = sessionOn(newDir);
    await left.service['search.index.rebuild']({});
    await left.service['search.index.pause']({});
    await left.session.close();
    sessions.splice(sessions.indexOf(left.session), 1);

    const { session, service } = sessionOn(oldDir);
    await service['search.index.rebuild']({});
    await until(service, (s) => s.done >= 2);
    await service['archive.open']({ path: newDir, create: false });
    expect(session.archive.root).toBe(newDir);

    const doneAt = (dir: string): number => {
      const archive = Archive.open(dir);
      try {
        return indexState(archive).done;
      } finally {
        archive.close();
      }
    };
    const oldDone = doneAt(oldDir);
    expect(oldDone).toBeLessThan(DOCUMENTS);
    await until(service, (s) => s.current);
    expect(found(session.archive)).toBe(DOCUMENTS);
    // The old archive's rebuild did not move meanwhile.
    expect(doneAt(oldDir)).toBe(oldDone);
  });

  it('a step that fails holds the rebuild and says why; resuming once the cause is gone finishes it', async () => {
    const archive = Archive.open(await archiveOf(10));
    const logged: string[] = [];
    const rebuild = new BackgroundRebuild(archive, pace, (message) => logged.push(message));
    try {
      // A damaged row the analyzer cannot read (its authors are not a list).
      archive.db.exec("UPDATE documents SET authors = 'not json' WHERE n = (SELECT n FROM documents ORDER BY n LIMIT 1 OFFSET 4)");
      rebuild.rebuild();
      for (;;) {
        const now = rebuild.status();
        if (now.paused) break;
        expect(now.current).toBe(false);
        await sleep(5);
      }
      const held = rebuild.status();
      expect(held).toMatchObject({ current: false, paused: true, done: 4, failure: { code: 'INTERNAL' } });
      expect(logged).toEqual(['Re-indexing stopped:']);
      expect(search(archive, 'Kagarlitsky').indexing).toMatchObject({ paused: true, failure: { code: 'INTERNAL' } });

      archive.db.exec("UPDATE documents SET authors = '[]' WHERE authors = 'not json'");
      expect(rebuild.resume()).toMatchObject({ paused: false, failure: null });
      while (!rebuild.status().current) await sleep(5);
      expect(found(archive)).toBe(10);
    } finally {
      rebuild.stop();
      archive.close();
    }
  });
});
