import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { getDocument } from '../../src/core/documents.ts';
import { importPaths } from '../../src/core/import.ts';
import { fixture, repoRoot, tempDir } from '../helpers.ts';

// The desktop app runs imports in the worker that electron-vite bundles beside main; this checks
// that bundle (not the TypeScript sources) reads every kind of file, without Electron itself.
describe('the import worker as the desktop app bundles it', () => {
  it('imports text, PDF, transcript, audio and e-mail files', async () => {
    const worker = join(repoRoot, 'out', 'main', 'extract-worker.js');
    if (!existsSync(worker)) throw new Error('out/main is not built: run `npm run build` (npm test does) first.');
    const archive = Archive.create(join(tempDir(), 'archive'));
    const report = await importPaths(
      archive,
      [fixture('letter-cp1251.txt'), fixture('pdf/encrypted-owner-password-only.pdf'), fixture('transcripts'), fixture('audio'), fixture('eml/alternative.eml')],
      { workers: 2, workerUrl: pathToFileURL(worker) },
    );
    expect(report.failed.filter((f) => f.code === 'INTERNAL')).toEqual([]);
    expect(report.imported.length).toBeGreaterThanOrEqual(8);
    const letter = report.imported.find((i) => i.file.endsWith('letter-cp1251.txt'));
    expect(getDocument(archive, letter?.id ?? '').text).toContain('Соловьёв');
    archive.close();
  });
});
