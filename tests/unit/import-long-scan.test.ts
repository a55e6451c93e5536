import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { listDocuments } from '../../src/core/documents.ts';
import { importPaths } from '../../src/core/import.ts';
import { findTessdata } from '../../src/core/ocr.ts';
import { search } from '../../src/core/search/search.ts';
import { verifyArchive } from '../../src/core/verify.ts';
import { progressLine } from '../../src/cli/progress.ts';
import { tempDir } from '../helpers.ts';
import { scannedPdf } from './pdf-fixtures.ts';

describe('a long scan being recognised', () => {
  it('stops the OCR at once, keeps the scan out, and the next run imports it', async () => {
    const folder = join(tempDir(), 'scans');
    mkdirSync(folder);
    const pages = Array.from({ length: 10 }, (_, i) => [`Приговор суда, страница ${i + 1}`, 'Кагарлицкий Борис Юльевич']);
    writeFileSync(join(folder, 'verdict-scan.pdf'), await scannedPdf(pages));
    const archive = Archive.create(join(tempDir(), 'archive'));
    const tessdata = findTessdata(process.env);
    try {
      const controller = new AbortController();
      // Recognising ten pages takes several seconds; the cancel comes while the scan is being read.
      setTimeout(() => controller.abort(), 1500);
      const stopped = await importPaths(archive, [folder], { signal: controller.signal, tessdata });
      expect(stopped.cancelled).toBe(true);
      expect(stopped.imported).toEqual([]);
      expect(stopped.failed).toEqual([]);
      expect(listDocuments(archive, 0, 10).total).toBe(0);
      expect((await verifyArchive(archive)).ok).toBe(true);

      const again = await importPaths(archive, [folder], { tessdata });
      expect(again.cancelled).toBe(false);
      expect(again.imported).toHaveLength(1);
      expect(search(archive, { query: 'Кагарлицкого' }).total).toBe(1);
    } finally {
      archive.close();
    }
  }, 120_000);

  it('shows which page it is at, in the progress the window and the command line show', async () => {
    const folder = join(tempDir(), 'scans');
    mkdirSync(folder);
    writeFileSync(join(folder, 'appeal-scan.pdf'), await scannedPdf([['Апелляционная жалоба'], ['Страница вторая'], ['Страница третья']]));
    const archive = Archive.create(join(tempDir(), 'archive'));
    try {
      const seen: string[] = [];
      const lines: string[] = [];
      const report = await importPaths(archive, [folder], {
        tessdata: findTessdata(process.env),
        progressEveryMs: 0,
        onProgress: (progress) => {
          if (progress.currentPage) {
            seen.push(`${progress.currentPage.page}/${progress.currentPage.pages}`);
            lines.push(progressLine(progress));
          }
        },
      });
      expect(report.imported).toHaveLength(1);
      expect([...new Set(seen)]).toEqual(['1/3', '2/3', '3/3']);
      expect(lines.at(-1)).toContain('page 3/3 of appeal-scan.pdf');
    } finally {
      archive.close();
    }
  }, 120_000);
});
