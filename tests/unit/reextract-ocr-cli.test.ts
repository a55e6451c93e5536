import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { importPaths } from '../../src/core/import.ts';
import { findTessdata } from '../../src/core/ocr.ts';
import { runCli, tempDir } from '../helpers.ts';
import { scannedPdf } from './pdf-fixtures.ts';

describe('kartoteka reextract on a scan', () => {
  it('reads the scan again through OCR and exits once it has answered (its OCR thread is ended)', async () => {
    const dir = join(tempDir('kartoteka-reextract-ocr-'), 'archive');
    const folder = tempDir('kartoteka-reextract-scan-');
    writeFileSync(join(folder, 'scan.pdf'), await scannedPdf([['Письмо из колонии', 'Прошу передать адвокату']]));
    const archive = Archive.create(dir);
    const report = await importPaths(archive, [folder], { workers: 0, tessdata: findTessdata(process.env) });
    archive.close();
    const id = report.imported[0]?.id ?? '';
    expect(id).not.toBe('');

    // Before, the command printed its answer and then hung on the OCR engine's thread until killed.
    const run = runCli(['--archive', dir, '--json', 'reextract', id]);
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { id: string; textSource: string; text: string };
    expect(doc).toMatchObject({ id, textSource: 'ocr' });
    expect(doc.text).toMatch(/колони/iu);
  });

  it('reads a scan again in the languages named by --ocr-languages, and refuses one it does not know', async () => {
    const dir = join(tempDir('kartoteka-reextract-ocr-'), 'archive');
    const folder = tempDir('kartoteka-reextract-scan-');
    writeFileSync(join(folder, 'scan.pdf'), await scannedPdf([['Приговор суда', 'Кагарлицкий Борис Юльевич']]));
    const archive = Archive.create(dir);
    // Recognised as English only: the Cyrillic comes out as Latin letters.
    const report = await importPaths(archive, [folder], { workers: 0, tessdata: findTessdata(process.env), ocrLanguages: ['eng'] });
    archive.close();
    const id = report.imported[0]?.id ?? '';

    const bad = runCli(['--archive', dir, 'reextract', id, '--ocr-languages', 'rus,klingon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--ocr-languages is a comma-separated list of rus, ukr, eng');

    const run = runCli(['--archive', dir, '--json', 'reextract', id, '--ocr-languages', 'rus']);
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { text: string; ocr: { languages: string[] } };
    expect(doc.text).toMatch(/Кагарлицкий/u);
    expect(doc.ocr.languages).toEqual(['rus']);
  });
});
