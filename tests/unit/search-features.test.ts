import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { updateDocument } from '../../src/core/documents.ts';
import { importBuffers, importPaths } from '../../src/core/import.ts';
import { indexState, rebuildStep } from '../../src/core/search/indexing.ts';
import { parseQuery } from '../../src/core/search/query.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from '../../src/core/search/saved.ts';
import { highlightDocument, search } from '../../src/core/search/search.ts';
import { suggest } from '../../src/core/search/suggest.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { fixture, runCli, tempDir } from '../helpers.ts';
import { textPdf } from './pdf-fixtures.ts';

/** What a synchronous call threw. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const text = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });

describe('the query language', () => {
  it.each([
    ['"Кагарлицкий Борис', 'never closed'],
    ['kind:nonsense', 'letter, audio-message'],
    ['kind:', 'needs a value'],
    ['sensitivity:secret', 'public, internal, confidential'],
    ['date:2024..2023', 'ends before it starts'],
    ['date:yesterday', 'is not a date'],
    ['lang:русский', 'language code'],
    ['OR колония', 'a word on each side'],
    ['колония OR', 'needs a word after it'],
    ['колония OR OR приговор', 'a word on each side'],
    ['к*', 'at least 2 letters'],
    ['колония~3', '1 or 2 typos'],
    ['~', 'follows no word'],
  ])('refuses %s with a message that says how to write it', (query, message) => {
    const error = thrown(() => parseQuery(query));
    expect(error).toBeInstanceOf(KartotekaError);
    expect((error as KartotekaError).code).toBe('INVALID_QUERY');
    expect((error as KartotekaError).message).toContain(message);
  });

  it('reads words, phrases, OR groups, exclusions, prefixes, fuzzy words and filters', () => {
    const parsed = parseQuery('Кагарлицкий "общего режима" колония OR тюрьма -апелляция Кагар* Саловьев~2 kind:letter,statement -lang:en person:"Анна Соколова" date:2023..2024-05 tag:appeal case:7-25');
    expect(parsed.groups).toEqual([
      [{ type: 'word', text: 'Кагарлицкий' }],
      [{ type: 'phrase', words: ['общего', 'режима'] }],
      [{ type: 'word', text: 'колония' }, { type: 'word', text: 'тюрьма' }],
      [{ type: 'prefix', text: 'Кагар' }],
      [{ type: 'fuzzy', text: 'Саловьев', distance: 2 }],
    ]);
    expect(parsed.excluded).toEqual([{ type: 'word', text: 'апелляция' }]);
    expect(parsed.filters).toMatchObject({
      kinds: ['letter', 'statement'],
      people: ['Анна Соколова'],
      tags: ['appeal'],
      cases: ['7-25'],
      dateFrom: '2023',
      dateTo: '2024-05',
      not: { languages: ['en'] },
    });
  });

  it('takes unknown name:value pairs and FTS5 syntax as words', () => {
    expect(parseQuery('time:10:30 NEAR(a b) {body}').groups.flat()).toEqual([
      { type: 'phrase', words: ['time', '10', '30'] },
      { type: 'word', text: 'NEAR' },
      { type: 'word', text: 'a' },
      { type: 'word', text: 'b' },
      { type: 'word', text: 'body' },
    ]);
  });
});

describe('search results', () => {
  let archive: Archive;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    archive = Archive.create(join(tempDir('kartoteka-search-features-'), 'archive'));
    const pdf = await textPdf([
      ['Appeal of the verdict', 'Page one says nothing of note.'],
      ['The court heard Kagarlitsky on the second page.'],
      ['Third page: the appeal is dismissed.'],
    ]);
    const report = await importBuffers(archive, [
      { name: 'ruling.pdf', bytes: pdf },
      text('letter-2019.txt', 'Письмо из колонии\n\nМама, у меня всё хорошо. Передай привет Кагарлицкому.'),
      text('letter-2023.txt', 'Второе письмо из колонии\n\nСуд назначил апелляцию на май.'),
      text('statement-2024.txt', 'Заява\n\nМи вимагаємо звільнити всіх політв’язнів колонії.'),
      text('translation.txt', 'Second letter from the colony\n\nThe court set the appeal for May.'),
    ]);
    for (const item of report.imported) id[item.file] = item.id;
    await importPaths(archive, [fixture('transcripts/2025-04-12-call-anna.vtt')], { workers: 0 });
    id['call'] = search(archive, 'адвокату').hits[0]?.id ?? '';
    updateDocument(archive, id['letter-2019.txt'] ?? '', { date: '2019-06-01', kind: 'letter', authors: ['Анна Соколова'], tags: ['letters'], cases: ['Дело Соколовой'] });
    updateDocument(archive, id['letter-2023.txt'] ?? '', { date: '2023-03-10', kind: 'letter', authors: ['Анна Соколова'], recipients: ['Вера Соколова'], cases: ['Дело Соколовой'], sensitivity: 'confidential' });
    updateDocument(archive, id['statement-2024.txt'] ?? '', { date: '2024-01-20', kind: 'statement', tags: ['campaign', 'letters'] });
    updateDocument(archive, id['translation.txt'] ?? '', { date: '2023-03-11', translationOf: id['letter-2023.txt'] ?? null, language: 'en' });
  });

  it('cites the page of a PDF hit', () => {
    const hit = search(archive, 'Kagarlitsky lang:en').hits.find((h) => h.id === id['ruling.pdf']);
    expect(hit?.page).toBe(2);
    expect(search(archive, 'dismissed').hits[0]?.page).toBe(3);
  });

  it('gives the moment of a transcript hit in seconds', () => {
    const hit = search(archive, 'адвокату').hits[0];
    expect(hit?.id).toBe(id['call']);
    expect(hit?.time).toBe(13.2);
    expect(hit?.page).toBeNull();
  });

  it('names the original of a translation and the other languages', () => {
    const hit = search(archive, 'colony appeal').hits.find((h) => h.id === id['translation.txt']);
    expect(hit?.translationOf).toMatchObject({ id: id['letter-2023.txt'], language: 'ru' });
    expect(hit?.otherLanguages).toEqual([{ id: id['letter-2023.txt'], language: 'ru' }]);
    const original = search(archive, 'апелляцию').hits[0];
    expect(original?.otherLanguages).toEqual([{ id: id['translation.txt'], language: 'en' }]);
  });

  it('filters by kind, person, case, tag, sensitivity and date', () => {
    const ids = (query: string): string[] => search(archive, { query, limit: 100 }).hits.map((h) => h.id).sort();
    const sorted = (...files: string[]): string[] => files.map((f) => id[f] ?? f).sort();
    expect(ids('колония kind:letter')).toEqual(sorted('letter-2019.txt', 'letter-2023.txt'));
    expect(ids('колония -kind:letter')).toEqual(sorted('statement-2024.txt'));
    expect(ids('person:"Анна Соколова"')).toEqual(sorted('letter-2019.txt', 'letter-2023.txt'));
    expect(ids('person:Sokolova')).toEqual(sorted('letter-2019.txt', 'letter-2023.txt'));
    expect(ids('person:"Вера"')).toEqual(sorted('letter-2023.txt'));
    expect(ids('case:"дело соколовой"')).toEqual(sorted('letter-2019.txt', 'letter-2023.txt'));
    expect(ids('tag:letters')).toEqual(sorted('letter-2019.txt', 'statement-2024.txt'));
    expect(ids('sensitivity:confidential')).toEqual(sorted('letter-2023.txt'));
    expect(ids('date:2023')).toEqual(sorted('letter-2023.txt', 'translation.txt'));
    expect(ids('date:2020..2023-03-10')).toEqual(sorted('letter-2023.txt'));
    expect(ids('колония date:..2023')).toEqual(sorted('letter-2019.txt', 'letter-2023.txt'));
  });

  it('counts facets over every match', () => {
    const { facets, total } = search(archive, { query: 'колония OR colony', facets: true });
    expect(total).toBe(4);
    expect(facets?.kind).toEqual([
      { value: 'letter', count: 2 },
      { value: 'other', count: 1 },
      { value: 'statement', count: 1 },
    ]);
    expect(facets?.language).toEqual([
      { value: 'ru', count: 2 },
      { value: 'en', count: 1 },
      { value: 'uk', count: 1 },
    ]);
    expect(facets?.year).toEqual([
      { value: '2024', count: 1 },
      { value: '2023', count: 2 },
      { value: '2019', count: 1 },
    ]);
    expect(facets?.person).toEqual([
      { value: 'Анна Соколова', count: 2 },
      { value: 'Вера Соколова', count: 1 },
    ]);
    expect(facets?.case).toEqual([{ value: 'Дело Соколовой', count: 2 }]);
    expect(facets?.tag).toEqual([
      { value: 'letters', count: 2 },
      { value: 'campaign', count: 1 },
    ]);
    expect(search(archive, 'колония').facets).toBeNull();
  });

  it('sorts by date either way and pages without a cap', () => {
    const dates = (sort: 'date-desc' | 'date-asc'): (string | null)[] => search(archive, { query: 'колония OR colony', sort }).hits.map((h) => h.date);
    expect(dates('date-desc')).toEqual(['2024-01-20', '2023-03-11', '2023-03-10', '2019-06-01']);
    expect(dates('date-asc')).toEqual(['2019-06-01', '2023-03-10', '2023-03-11', '2024-01-20']);
    const all = search(archive, { query: 'колония OR colony', limit: 4 }).hits.map((h) => h.id);
    const paged = [0, 1, 2, 3].flatMap((offset) => search(archive, { query: 'колония OR colony', offset, limit: 1 }).hits.map((h) => h.id));
    expect(paged).toEqual(all);
  });

  it('highlights every match in a whole document', () => {
    const letter = id['letter-2019.txt'] ?? '';
    const body = search(archive, 'Kagarlitsky').hits.find((h) => h.id === letter);
    expect(body).toBeDefined();
    const ranges = highlightDocument(archive, letter, 'Kagarlitsky колония');
    const doc = archive.sql('SELECT text FROM documents WHERE id = ?').get(letter) as { text: string };
    expect(ranges.map(([s, e]) => doc.text.slice(s, e))).toEqual(['колонии', 'Кагарлицкому']);
  });

  it('suggests people, cases, tags and titles as the user types', () => {
    expect(suggest(archive, 'Соко')).toEqual(
      expect.arrayContaining([
        { type: 'person', value: 'Анна Соколова', id: null },
        { type: 'person', value: 'Вера Соколова', id: null },
        { type: 'case', value: 'Дело Соколовой', id: null },
      ]),
    );
    expect(suggest(archive, 'soko').map((s) => s.value)).toContain('Анна Соколова');
    expect(suggest(archive, 'lett')).toContainEqual({ type: 'tag', value: 'letters', id: null });
    expect(suggest(archive, 'Второе пис')).toContainEqual({ type: 'title', value: 'Второе письмо из колонии', id: id['letter-2023.txt'] });
  });

  it('saves searches by name, replaces them, lists and deletes them', () => {
    saveSearch(archive, 'Letters', 'колония kind:letter', 'date-desc');
    saveSearch(archive, 'appeals', 'апелляция', 'relevance');
    saveSearch(archive, 'Letters', 'колония kind:letter -tag:campaign', 'date-asc');
    expect(listSavedSearches(archive).map((s) => [s.name, s.query, s.sort])).toEqual([
      ['appeals', 'апелляция', 'relevance'],
      ['Letters', 'колония kind:letter -tag:campaign', 'date-asc'],
    ]);
    expect(thrown(() => saveSearch(archive, 'broken', 'kind:nonsense', 'relevance'))).toMatchObject({ code: 'INVALID_QUERY' });
    expect(deleteSavedSearch(archive, 'appeals')).toEqual({ deleted: true });
    expect(deleteSavedSearch(archive, 'appeals')).toEqual({ deleted: false });
    expect(listSavedSearches(archive).map((s) => s.name)).toEqual(['Letters']);
  });

  it('offers a corrected query when a word matched nothing', () => {
    expect(search(archive, 'колония письно').suggestions).toEqual(['колония письмо']);
  });
});

describe('re-indexing', () => {
  it('rebuilds the index after an analyzer change, in steps that resume, while search reports progress', async () => {
    const dir = join(tempDir('kartoteka-reindex-'), 'archive');
    let archive = Archive.create(dir);
    await importBuffers(archive, Array.from({ length: 30 }, (_, i) => text(`letter-${i}.txt`, `Письмо ${i}\n\nКагарлицкий пишет из колонии, номер ${i}.`)));
    expect(search(archive, 'Kagarlitsky').total).toBe(30);
    // As an older analyzer would have left it.
    archive.db.exec("UPDATE meta SET value = '0' WHERE key = 'index_version'");
    archive.close();

    archive = Archive.open(dir);
    const before = search(archive, 'Kagarlitsky');
    expect(before.total).toBe(0);
    expect(before.indexing).toMatchObject({ current: false, done: 0, total: 30 });
    const step = rebuildStep(archive, 0);
    expect(step.current).toBe(false);
    expect(step.done).toBe(1);
    archive.close();

    archive = Archive.open(dir);
    expect(indexState(archive).done).toBe(1);
    while (!rebuildStep(archive, 5).current);
    const after = search(archive, 'Kagarlitsky');
    expect(after.total).toBe(30);
    expect(after.indexing).toBeNull();
    archive.close();
  });

  it('kartoteka reindex rebuilds with progress, and search --json gains page, time and facets', async () => {
    const dir = join(tempDir('kartoteka-reindex-cli-'), 'archive');
    const archive = Archive.create(dir);
    await importPaths(archive, [fixture('transcripts/2025-04-12-call-anna.vtt')], { workers: 0 });
    archive.close();
    const reindex = runCli(['--archive', dir, 'reindex']);
    expect(reindex.status, reindex.stderr).toBe(0);
    expect(reindex.stderr).toMatch(/1\/1 documents/u);
    expect(reindex.stdout).toContain('Re-indexed 1 documents.');
    const found = runCli(['--archive', dir, '--json', 'search', 'адвокат']);
    expect(found.status, found.stderr).toBe(0);
    const result = JSON.parse(found.stdout) as { hits: { time: number | null; page: number | null }[]; facets: { language: unknown[] } };
    expect(result.hits[0]).toMatchObject({ time: 13.2, page: null });
    expect(result.facets.language).toEqual([{ value: 'ru', count: 1 }]);
    const bad = runCli(['--archive', dir, 'search', 'kind:nonsense']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('kind:nonsense is not a kind of document');
    const saved = runCli(['--archive', dir, 'saved', 'save', 'calls', 'адвокат', '--sort', 'date-desc']);
    expect(saved.status, saved.stderr).toBe(0);
    const rerun = runCli(['--archive', dir, 'search', '--saved', 'calls']);
    expect(rerun.stdout).toMatch(/^1 document found/u);
    expect(rerun.stdout).toContain('at 0:13');
  });
});
