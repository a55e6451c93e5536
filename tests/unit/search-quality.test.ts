import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { importPaths } from '../../src/core/import.ts';
import { search } from '../../src/core/search/search.ts';
import { fixture, tempDir } from '../helpers.ts';

/**
 * The quality set: for each rule of the analyzer, which query must find which fixture file, and
 * which it must not. Files are in tests/fixtures/search (see its README).
 */
describe('search quality', () => {
  let archive: Archive;
  const fileOf = new Map<string, string>();
  const found = (query: string): string[] =>
    search(archive, { query, limit: 100 })
      .hits.map((h) => fileOf.get(h.id) ?? h.id)
      .sort();

  beforeAll(async () => {
    archive = Archive.create(join(tempDir('kartoteka-quality-'), 'archive'));
    const dir = fixture('search');
    const report = await importPaths(archive, [dir], { workers: 0 });
    expect(report.failed).toEqual([]);
    for (const item of report.imported) fileOf.set(item.id, item.file.slice(dir.length + 1));
    expect(fileOf.size).toBe(readdirSync(dir).length);
  });

  it('detects each fixture in its language, which chooses its stemmer', () => {
    const languages = Object.fromEntries(search(archive, { query: '-lang:xx', limit: 100 }).hits.map((h) => [fileOf.get(h.id), h.language]));
    expect(languages).toEqual({
      'article-misspelt-en.txt': 'en',
      'interview-en.txt': 'en',
      'letter-e-ru.txt': 'ru',
      'letter-yo-ru.txt': 'ru',
      'ruling-ru.txt': 'ru',
      'statement-uk.txt': 'uk',
      'warriors-ru.txt': 'ru',
      'wars-ru.txt': 'ru',
      'zaytsev-ru.txt': 'ru',
    });
  });

  const ruling = 'ruling-ru.txt';
  const statement = 'statement-uk.txt';
  const misspelt = 'article-misspelt-en.txt';
  const interview = 'interview-en.txt';
  const everyKagarlitsky = [misspelt, interview, ruling, statement];

  it.each(['Kagarlitsky', 'Kagarlitzky', 'Kagarlitskiy', 'Kagarlickij', 'Kaharlytskyi', 'Кагарлицкий', 'kagarlitsky', 'КАГАРЛИЦКИЙ'])(
    '%s finds the name in every script, case and spelling',
    (query) => {
      expect(found(query)).toEqual(everyKagarlitsky);
    },
  );

  it('finds Russian inflections of a name and of words', () => {
    for (const query of ['Кагарлицкого', 'Кагарлицкому', 'Кагарлицким']) expect(found(query), query).toContain(ruling);
    expect(found('приговора')).toEqual([ruling]);
    expect(found('приговором оправдания')).toEqual([ruling]);
    expect(found('апелляцию')).toEqual([ruling]);
  });

  it('finds Ukrainian inflections', () => {
    for (const query of ['Кагарлицького', 'Кагарлицькому', 'Кагарлицький']) expect(found(query), query).toContain(statement);
    expect(found('заяви')).toEqual([statement]);
    expect(found("п'ять")).toContain(statement);
  });

  it('folds Latin diacritics, and only on Latin letters', () => {
    expect(found('Zizek')).toEqual([interview]);
    expect(found('Žižek')).toEqual([interview]);
    expect(found('Walesa')).toEqual([interview]);
    expect(found('Muller')).toEqual([interview]);
  });

  it('folds ё into е both ways', () => {
    expect(found('Соловьев')).toEqual(['letter-e-ru.txt', 'letter-yo-ru.txt']);
    expect(found('Соловьёв')).toEqual(['letter-e-ru.txt', 'letter-yo-ru.txt']);
  });

  it.each(['Solovyov', 'Soloviev', 'Solovev', 'Solovyev', 'Соловьёва'])('%s finds Соловьёв and Соловьев', (query) => {
    expect(found(query)).toEqual(['letter-e-ru.txt', 'letter-yo-ru.txt']);
  });

  it('never folds й into и', () => {
    expect(found('войны')).toEqual(['wars-ru.txt']);
    expect(found('воины')).toEqual(['warriors-ru.txt']);
    expect(found('Зайцев')).toEqual(['zaytsev-ru.txt']);
    expect(found('Заицев')).toEqual([]);
  });

  it('lets a Latin transliteration reach a Cyrillic word with й', () => {
    expect(found('Zaytsev')).toEqual(['zaytsev-ru.txt']);
    expect(found('Zaitsev')).toEqual(['zaytsev-ru.txt']);
  });

  it('matches a phrase in order, in any inflection', () => {
    expect(found('"вынес приговор"')).toEqual([ruling]);
    expect(found('"колония общего режима"')).toEqual([ruling]);
    expect(found('"колонией общим режимом"')).toEqual([ruling]);
    expect(found('"приговор вынес"')).toEqual([]);
    expect(found('"режима общего"')).toEqual([]);
    expect(found('"penal colony"')).toEqual([misspelt]);
  });

  it('joins alternatives with OR, leaves out with a minus', () => {
    expect(found('войны OR воины')).toEqual(['warriors-ru.txt', 'wars-ru.txt']);
    expect(found('войны ИЛИ воины')).toEqual(['warriors-ru.txt', 'wars-ru.txt']);
    expect(found('Kagarlitsky -колонии')).toEqual([misspelt, interview]);
    expect(found('Kagarlitsky -Žižek')).toEqual([misspelt, ruling, statement]);
  });

  it('expands a prefix in any script', () => {
    expect(found('Кагарл*')).toEqual([interview, ruling, statement]);
    expect(found('Kagarl*')).toEqual([interview, ruling, statement]);
    expect(found('апелл*')).toEqual([ruling]);
    // A prefix that is a whole inflected word, longer than the stem the index holds.
    expect(found('апелляция*')).toEqual([ruling]);
    expect(found('sentenced*')).toEqual([misspelt]);
  });

  it('expands a fuzzy word within one or two typos', () => {
    expect(found('Соловьов~')).toEqual(['letter-e-ru.txt', 'letter-yo-ru.txt']);
    expect(found('приговр~')).toEqual([ruling]);
    // Two letters swapped are one typo.
    expect(found('приогвор~')).toEqual([ruling]);
    expect(found('sentecned~')).toEqual([misspelt]);
    expect(found('sociolgist~')).toEqual([misspelt]);
    expect(found('socailogist~')).toEqual([]);
    expect(found('socailogist~2')).toEqual([misspelt]);
  });

  it('filters by language', () => {
    expect(found('Kagarlitsky lang:en')).toEqual([misspelt, interview]);
    expect(found('Kagarlitsky lang:uk')).toEqual([statement]);
    expect(found('Kagarlitsky -lang:en')).toEqual([ruling, statement]);
  });

  it('highlights the matched word in the original text whatever form matched', () => {
    const hit = search(archive, 'Kagarlitsky lang:ru').hits[0];
    const marked = hit?.highlights.map(([s, e]) => hit.snippet.slice(s, e));
    expect(marked).toEqual(['Кагарлицкого', 'Кагарлицкому']);
    const uk = search(archive, 'Кагарлицкий lang:uk').hits[0];
    expect(uk?.highlights.map(([s, e]) => uk.snippet.slice(s, e))).toEqual(['Кагарлицького', 'Кагарлицький']);
  });
});
