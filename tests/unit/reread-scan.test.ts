import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RereadStatus } from '../../src/shared/document.ts';
import { createService, type Service } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { getDocument } from '../../src/core/documents.ts';
import { importPaths } from '../../src/core/import.ts';
import { findTessdata } from '../../src/core/ocr.ts';
import { search } from '../../src/core/search/search.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { verifyArchive } from '../../src/core/verify.ts';
import { refusal, sampleSourceDir, tempDir } from '../helpers.ts';
import { scannedPdf } from './pdf-fixtures.ts';

/**
 * A Russian scan recognised as English only (the archivist's OCR languages were wrong): its words
 * come out as Latin letters, so a search in Cyrillic does not find it.
 */
async function scanReadAsEnglish(pages: string[][]): Promise<{ session: ArchiveSession; service: Service; id: string }> {
  const folder = join(tempDir(), 'scans');
  mkdirSync(folder);
  writeFileSync(join(folder, 'verdict-scan.pdf'), await scannedPdf(pages));
  const archive = Archive.create(join(tempDir(), 'archive'));
  const tessdata = findTessdata(process.env);
  const report = await importPaths(archive, [folder], { tessdata, ocrLanguages: ['eng'] });
  const id = report.imported[0]?.id ?? '';
  expect(getDocument(archive, id).ocr).toMatchObject({ languages: ['eng'], pages: pages.length });
  const session = new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir }, {}, { tessdata });
  return { session, service: createService(session), id };
}

/** Follows a reading again as the window does, noting each page it reports, until it ends. */
async function follow(service: Service, id: string, pages: string[] = []): Promise<RereadStatus> {
  for (;;) {
    const status = await service['documents.rereadStatus']({ id });
    if (!status) throw new Error('no reading again of this document');
    const at = status.page ? `${status.page.page}/${status.page.pages}` : null;
    if (at && pages.at(-1) !== at) pages.push(at);
    if (status.state !== 'reading') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a scan read again from the app', () => {
  let open: ArchiveSession | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it('reads a scan again by OCR in the languages asked for, page by page, and the search finds its words', async () => {
    const { session, service, id } = await scanReadAsEnglish([['Приговор суда'], ['Кагарлицкий Борис Юльевич'], ['Страница третья']]);
    open = session;
    expect(search(session.archive, { query: 'Кагарлицкого' }).total).toBe(0);
    expect(await service['documents.rereadStatus']({ id })).toBeNull();

    const started = await service['documents.reread']({ id, ocrLanguages: ['rus', 'eng'] });
    expect(started.state).toBe('reading');
    // Asked again while it runs: the same reading, not a second one.
    expect((await service['documents.reread']({ id })).state).toBe('reading');
    const pages: string[] = [];
    const done = await follow(service, id, pages);

    expect(done.state).toBe('finished');
    expect(done.error).toBeNull();
    expect(pages).toContain('3/3');
    expect(done.document?.textSource).toBe('ocr');
    expect(done.document?.ocr).toMatchObject({ languages: ['rus', 'eng'], pages: 3 });
    expect(done.document?.text).toMatch(/Кагарлицк/u);
    expect(getDocument(session.archive, id).text).toMatch(/Кагарлицк/u);
    expect(search(session.archive, { query: 'Кагарлицкого' }).hits.map((h) => h.id)).toEqual([id]);
    expect((await verifyArchive(session.archive)).ok).toBe(true);
  }, 120_000);

  it('stops the OCR when asked, and the document keeps the text it had', async () => {
    const { session, service, id } = await scanReadAsEnglish(Array.from({ length: 10 }, (_, i) => [`Приговор суда, страница ${i + 1}`, 'Кагарлицкий Борис Юльевич']));
    open = session;
    const before = getDocument(session.archive, id);
    await service['documents.reread']({ id, ocrLanguages: ['rus'] });
    // Stopped while the pages are being recognised (ten take several seconds).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await service['documents.rereadStatus']({ id }))?.state).toBe('reading');
    const asked = await service['documents.rereadCancel']({ id });
    expect(asked?.documentId).toBe(id);
    const stopped = await follow(service, id);

    expect(stopped.state).toBe('cancelled');
    expect(stopped.error?.code).toBe('CANCELLED');
    expect(stopped.document).toBeNull();
    const after = getDocument(session.archive, id);
    expect(after.text).toBe(before.text);
    expect(after.ocr).toEqual(before.ocr);
    expect(search(session.archive, { query: 'Кагарлицкого' }).total).toBe(0);
    expect((await verifyArchive(session.archive)).ok).toBe(true);
  }, 120_000);

  it('refuses a document that is not in the archive', async () => {
    const { session, service } = await scanReadAsEnglish([['Приговор суда']]);
    open = session;
    const refused = await refusal(Promise.resolve().then(() => service['documents.reread']({ id: '0'.repeat(26) })));
    expect(refused.code).toBe('NOT_FOUND');
  }, 60_000);
});
