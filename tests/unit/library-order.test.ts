import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { insertDocument, listDocuments } from '../../src/core/documents.ts';
import { metadataWith, tempDir } from '../helpers.ts';

describe('the library, page by page (documents.list)', () => {
  it('lists newest first, undated last, later-added first among equal dates, each document once however it is paged', () => {
    const archive = Archive.create(join(tempDir('kartoteka-library-'), 'archive'));
    const dates = [null, '2024', '2024-03', '2024-03-15', '2019-11-02', '2031', null, '2024-03', '1998-07'];
    const added: { id: string; date: string | null; n: number }[] = [];
    archive.transaction(() => {
      for (let i = 0; i < 500; i++) {
        const date = dates[(i * 7) % dates.length] ?? null;
        const id = `lib${String(i).padStart(4, '0')}`;
        const meta = metadataWith({ title: `Letter ${i}`, date });
        insertDocument(archive, id, meta, `Letter ${i}.`, { textSource: 'text', textHash: null, extraction: { importer: 'test' } });
        added.push({ id, date, n: i });
      }
    });
    const expected = [...added]
      .sort((a, b) => (a.date === b.date ? b.n - a.n : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? 1 : -1))
      .map((d) => d.id);

    const pages: string[] = [];
    for (let offset = 0; ; offset += 37) {
      const page = listDocuments(archive, offset, 37);
      expect(page.total).toBe(500);
      if (page.items.length === 0) break;
      pages.push(...page.items.map((d) => d.id));
    }
    expect(pages).toEqual(expected);
    expect(listDocuments(archive, 0, 1).items[0]?.date).toBe('2031');
    expect(listDocuments(archive, 499, 5).items.map((d) => d.date)).toEqual([null]);
    archive.close();
  });
});
