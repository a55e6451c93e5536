import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureViewer } from '../../scripts/build-viewer.ts';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { inspectBundle } from '../../src/core/bundles/import.ts';
import { documentCount } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import type { Result } from '../../src/shared/errors.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';

const DOCUMENTS = 300;
const words = ['приговор', 'колония', 'апелляция', 'свидание', 'адвокат', 'письмо', 'передача', 'суд'];
const letters = Array.from({ length: DOCUMENTS }, (_, i) => ({
  name: `letter-${String(i).padStart(3, '0')}.txt`,
  bytes: new TextEncoder().encode(`Письмо ${i}\n\n${Array.from({ length: 400 }, (_, w) => words[(i + w) % words.length]).join(' ')}.`),
}));

const refusedWith = (result: Result<unknown>): { code: string; message: string; details?: unknown } => {
  if (result.ok) throw new Error('the call was not refused');
  return result.error;
};

/**
 * Opening another archive while a bundle is exported from or imported into the one open would
 * close the catalogue under it: the switch is refused with ARCHIVE_BUSY, the archive stays open,
 * and the bundle job goes on to its end.
 */
describe('switching archives while a bundle job runs', () => {
  let root: string;
  let viewerScriptPath: string;
  let bundle: string;
  const session = (archive: Archive): ArchiveSession =>
    new ArchiveSession(archive, { sampleArchiveDir: join(root, 'sample'), sampleSourceDir, bundles: { viewerScriptPath, version: '0.0.0-test' } });

  beforeAll(async () => {
    root = tempDir('kartoteka-busy-');
    viewerScriptPath = await ensureViewer();
    Archive.create(join(root, 'other')).close();
    bundle = join(root, 'everything.zip');
  }, 120_000);

  it('refuses another archive, a new one and the sample while an export runs; the export completes and verifies; then switching works', async () => {
    const archive = Archive.create(join(root, 'campaign'));
    const imported = await importBuffers(archive, letters, { workers: 0 });
    expect(imported.imported).toHaveLength(DOCUMENTS);
    const running = session(archive);
    const service = createService(running);

    const exporting = dispatch(service, 'bundles.export', { selection: { type: 'all' }, path: bundle });
    // Asked while the export runs: each refusal answers before the export reads its first file.
    const other = refusedWith(await dispatch(service, 'archive.open', { path: join(root, 'other'), create: false }));
    expect(other).toMatchObject({ code: 'ARCHIVE_BUSY', details: { operation: 'export' } });
    expect(other.message).toBe('A bundle is being exported from this archive. Wait until it is done, or cancel it, before opening another archive.');
    expect(refusedWith(await dispatch(service, 'archive.open', { path: join(root, 'new archive'), create: true })).code).toBe('ARCHIVE_BUSY');
    expect(refusedWith(await dispatch(service, 'archive.openSample', {})).code).toBe('ARCHIVE_BUSY');
    const during = await dispatch(service, 'bundles.progress', {});
    expect(during.ok && during.value).toMatchObject({ operation: 'export' });
    expect(during.ok && (during.value as { phase: string }).phase).not.toMatch(/^(finished|failed)$/u);
    // Nothing was made, and the archive open is the same one, still answering.
    expect(existsSync(join(root, 'new archive'))).toBe(false);
    expect(existsSync(join(root, 'sample'))).toBe(false);
    expect(await dispatch(service, 'archive.info', {})).toMatchObject({ ok: true, value: { path: archive.root, documentCount: DOCUMENTS } });

    const report = await exporting;
    expect(report).toMatchObject({ ok: true, value: { path: bundle, items: DOCUMENTS } });
    // Read back into an empty archive: every checksum verified, every document there to add.
    const reader = Archive.create(join(root, 'reader'));
    const inspection = await inspectBundle(reader, bundle);
    expect(inspection.counts).toMatchObject({ add: DOCUMENTS, conflict: 0 });
    reader.close();

    // Done: switching works again.
    expect(await dispatch(service, 'archive.open', { path: join(root, 'other'), create: false })).toMatchObject({ ok: true, value: { path: join(root, 'other') } });
    expect(archive.closed).toBe(true);
    await running.close();
  }, 120_000);

  it('refuses while a bundle is imported, and the import brings every document in', async () => {
    const receiving = session(Archive.create(join(root, 'receiving')));
    const service = createService(receiving);
    const importing = dispatch(service, 'bundles.import', { path: bundle });
    const refused = refusedWith(await dispatch(service, 'archive.open', { path: join(root, 'other'), create: false }));
    expect(refused).toMatchObject({ code: 'ARCHIVE_BUSY', details: { operation: 'import' } });
    expect(refused.message).toMatch(/imported into this archive\. Wait until it is done, or cancel it/u);
    expect(await importing).toMatchObject({ ok: true, value: { counts: { add: DOCUMENTS } } });
    expect(documentCount(receiving.archive)).toBe(DOCUMENTS);
    expect(await dispatch(service, 'archive.open', { path: join(root, 'other'), create: false })).toMatchObject({ ok: true });
    await receiving.close();
  }, 120_000);

  it('keeps the archive open when an export starts while another archive is being opened', async () => {
    const archive = Archive.open(join(root, 'campaign'));
    const running = session(archive);
    const service = createService(running);
    // The switch is under way (it waits for imports to stop) when the export begins.
    const opening = dispatch(service, 'archive.open', { path: join(root, 'other'), create: false });
    const path = join(root, 'second.zip');
    const exporting = dispatch(service, 'bundles.export', { selection: { type: 'all' }, path });
    expect(refusedWith(await opening).code).toBe('ARCHIVE_BUSY');
    expect(running.archive).toBe(archive);
    expect(await exporting).toMatchObject({ ok: true, value: { path, items: DOCUMENTS } });
    const reader = Archive.create(join(root, 'reader 2'));
    expect((await inspectBundle(reader, path)).counts).toMatchObject({ add: DOCUMENTS });
    reader.close();
    await running.close();
  }, 120_000);
});
