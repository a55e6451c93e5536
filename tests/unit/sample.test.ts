import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDocument, listDocuments } from '../../src/core/documents.ts';
import { openSampleArchive, isSampleArchive } from '../../src/core/sample.ts';
import { search } from '../../src/core/search/search.ts';
import { verifyArchive } from '../../src/core/verify.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';

const manifest = JSON.parse(readFileSync(join(sampleSourceDir, 'manifest.json'), 'utf8')) as { documents: { key: string; translationOf: string | null; language: string }[] };

describe('the sample archive', () => {
  it('holds every manifest document with its metadata and links translations to their originals', async () => {
    const archive = await openSampleArchive(join(tempDir(), 'sample'), sampleSourceDir);
    expect(isSampleArchive(archive)).toBe(true);
    const { total, items } = listDocuments(archive, 0, 100);
    expect(total).toBe(manifest.documents.length);
    expect(total).toBeGreaterThanOrEqual(12);
    const translations = items.filter((i) => i.translationOf !== null);
    expect(translations.length).toBe(manifest.documents.filter((d) => d.translationOf !== null).length);
    for (const translation of translations) {
      const original = getDocument(archive, translation.translationOf ?? '');
      expect(original.translations.map((t) => t.id)).toContain(translation.id);
    }
    expect(new Set(items.map((i) => i.language))).toEqual(new Set(manifest.documents.map((d) => d.language)));
    expect((await verifyArchive(archive)).ok).toBe(true);
    archive.close();
  });

  it('can be searched in Russian, Ukrainian and English', async () => {
    const archive = await openSampleArchive(join(tempDir(), 'sample'), sampleSourceDir);
    expect(search(archive, 'Соловьёва').total).toBeGreaterThan(0);
    expect(search(archive, 'Соловйова').total).toBeGreaterThan(0);
    expect(search(archive, 'Solovyov').total).toBeGreaterThan(0);
    archive.close();
  });

  it('is built once and reopened afterwards', async () => {
    const dir = join(tempDir(), 'sample');
    const first = await openSampleArchive(dir, sampleSourceDir);
    const count = listDocuments(first, 0, 1).total;
    first.close();
    const again = await openSampleArchive(dir, sampleSourceDir);
    expect(listDocuments(again, 0, 1).total).toBe(count);
    again.close();
  });
});
