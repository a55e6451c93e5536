import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { search } from '../../src/core/search/search.ts';
import { updateDocument } from '../../src/core/documents.ts';
import { tempDir } from '../helpers.ts';

const doc = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });

describe('search', () => {
  let archive: Archive;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    archive = Archive.create(join(tempDir('kartoteka-search-'), 'archive'));
    const report = await importBuffers(archive, [
      doc('letter.txt', 'Письмо из колонии\n\nДорогая Аня! Соловьёв передаёт привет. Купи йогурт и книги.'),
      doc('article.md', '# Žižek on prisons\n\nSlavoj Žižek wrote about the colony and about Solovyov.'),
      doc('ruling.md', '# Приговор\n\nСуд признал подсудимого виновным. Колония общего режима.'),
      doc('noise.txt', 'Ants\n\nColony colony colony colony. A text about a colony of ants, many times colony.'),
      doc('title.txt', 'Colony\n\nThe title says it.'),
    ]);
    for (const item of report.imported) ids[item.file] = item.id;
  });

  it('folds case in Cyrillic and Latin', () => {
    const both = [ids['article.md'], ids['letter.txt']].sort();
    expect(search(archive, 'СОЛОВЬЁВ').hits.map((h) => h.id).sort()).toEqual(both);
    expect(search(archive, 'SOLOVYOV').hits.map((h) => h.id).sort()).toEqual(both);
    expect(search(archive, 'СОЛОВЬЁВ lang:ru').hits.map((h) => h.id)).toEqual([ids['letter.txt']]);
  });

  it('folds Latin diacritics but never turns й into и', () => {
    expect(search(archive, 'zizek').hits.map((h) => h.id)).toEqual([ids['article.md']]);
    expect(search(archive, 'йогурт').total).toBe(1);
    expect(search(archive, 'иогурт').total).toBe(0);
  });

  it('needs every word to match', () => {
    expect(search(archive, 'колонии привет').total).toBe(1);
    expect(search(archive, 'йогурт приговор').total).toBe(0);
  });

  it('ranks by bm25 with the title above the body', () => {
    const hits = search(archive, 'colony').hits.map((h) => h.id);
    expect(hits[0]).toBe(ids['title.txt']);
    expect(hits).toHaveLength(3);
  });

  it('returns a snippet whose highlights sit on the matched words', () => {
    const [hit] = search(archive, 'передаёт').hits;
    expect(hit?.file).toBe('letter.txt');
    const marked = hit?.highlights.map(([s, e]) => hit.snippet.slice(s, e));
    expect(marked).toEqual(['передаёт']);
    expect(hit?.score).toBeGreaterThan(0);
  });

  it('takes FTS5 operators as plain words, never as an error', () => {
    for (const query of ['NEAR(a b', '-colony', 'col*', '(((', 'title:colony', '^', 'AND', 'NOT colony', '{body}: x']) {
      expect(() => search(archive, query), query).not.toThrow();
    }
    expect(search(archive, 'colony AND ants').total).toBe(0);
    expect(search(archive, '   ').total).toBe(0);
    expect(search(archive, '"колонии"').total).toBe(2);
  });

  it('suggests an index word for a misspelled word that found nothing', () => {
    const result = search(archive, 'привт');
    expect(result.total).toBe(0);
    expect(result.suggestions).toEqual(['привет']);
    expect(search(archive, 'приве').suggestions).toEqual(['привет']);
  });

  it('finds a document by a new title or author after its metadata changes', () => {
    expect(search(archive, 'Кравцова').total).toBe(0);
    updateDocument(archive, ids['ruling.md'] ?? '', { title: 'Приговор по делу Кравцовой', authors: ['Судья Петрова'] });
    expect(search(archive, 'Кравцовой').hits.map((h) => h.id)).toEqual([ids['ruling.md']]);
    expect(search(archive, 'Петрова').hits.map((h) => h.id)).toEqual([ids['ruling.md']]);
    expect(search(archive, 'привт').suggestions).toEqual(['привет']);
  });

  it('cuts its own snippet for a very long text, highlighting the first match', async () => {
    const long = `${'обычные слова без значения '.repeat(25_000)}Здесь упомянут Кравчук из колонии. ${'хвост '.repeat(1000)}`;
    const { imported } = await importBuffers(archive, [doc('long.txt', long)]);
    const hit = search(archive, 'кравчук').hits[0];
    expect(hit?.id).toBe(imported[0]?.id);
    expect(hit?.highlights.map(([s, e]) => hit.snippet.slice(s, e))).toEqual(['Кравчук']);
    expect(hit?.snippet.length).toBeLessThan(300);
  });

  it('pages through results', () => {
    const all = search(archive, { query: 'colony', offset: 0, limit: 50 }).hits.map((h) => h.id);
    const page2 = search(archive, { query: 'colony', offset: 1, limit: 1 });
    expect(page2.total).toBe(3);
    expect(page2.hits.map((h) => h.id)).toEqual([all[1]]);
  });
});
