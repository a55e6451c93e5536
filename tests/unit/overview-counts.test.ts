import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { insertDocument, updateDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { migrations } from '../../src/core/migrations.ts';
import { search } from '../../src/core/search/search.ts';
import { type DocumentKind, DocumentMetadata } from '../../src/shared/document.ts';
import { compareNames } from '../../src/shared/names.ts';
import type { Facets } from '../../src/shared/reports.ts';
import { tempDir } from '../helpers.ts';

/** The query the sidebar's library overview runs: every document. */
const EVERYTHING = '-lang:xx';

/** The counts as the code before the cache computed them: every row read as an object, every list parsed. */
function referenceFacets(archive: Archive, where = '', params: string[] = []): Facets {
  const maps = { kind: new Map<string, number>(), language: new Map<string, number>(), year: new Map<string, number>(), person: new Map<string, number>(), case: new Map<string, number>(), tag: new Map<string, number>() };
  const bump = (map: Map<string, number>, value: string): void => {
    map.set(value, (map.get(value) ?? 0) + 1);
  };
  const rows = archive.db.prepare(`SELECT kind, language, substr(date, 1, 4) AS year, authors, recipients, cases, tags FROM documents ${where}`).all(...params) as unknown as {
    kind: string;
    language: string;
    year: string | null;
    authors: string;
    recipients: string;
    cases: string;
    tags: string;
  }[];
  for (const row of rows) {
    bump(maps.kind, row.kind);
    bump(maps.language, row.language);
    if (row.year) bump(maps.year, row.year);
    for (const person of new Set([...(JSON.parse(row.authors) as string[]), ...(JSON.parse(row.recipients) as string[])])) bump(maps.person, person);
    for (const value of new Set(JSON.parse(row.cases) as string[])) bump(maps.case, value);
    for (const value of new Set(JSON.parse(row.tags) as string[])) bump(maps.tag, value);
  }
  const top = (map: Map<string, number>, byValue = false): { value: string; count: number }[] =>
    [...map.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => (byValue ? compareNames(b.value, a.value) : b.count - a.count || compareNames(a.value, b.value)))
      .slice(0, 20);
  return { kind: top(maps.kind), language: top(maps.language), year: top(maps.year, true), person: top(maps.person), case: top(maps.case), tag: top(maps.tag) };
}

const overview = (archive: Archive, query = EVERYTHING): Facets | null => search(archive, { query, limit: 1, facets: true }).facets;
const RUSSIAN = "WHERE language = 'ru' OR language LIKE 'ru-%'";
/** The whole archive's counts (kept by the catalogue) and a query's (read from its hits) against the reference. */
const expectExact = (archive: Archive): void => {
  expect(overview(archive)).toEqual(referenceFacets(archive));
  expect(overview(archive, 'lang:ru')).toEqual(referenceFacets(archive, RUSSIAN));
};
const countOf = (facets: Facets | null, group: keyof Facets, value: string): number => facets?.[group].find((c) => c.value === value)?.count ?? 0;

const kinds: DocumentKind[] = ['letter', 'court-document', 'statement', 'article', 'testimony'];
const tags = ['суд', 'visit', 'health', 'передача', 'appeal', 'здоров’я'];

function seed(archive: Archive, total: number): void {
  const base = DocumentMetadata.parse({ kind: 'letter', title: 'x', language: 'en', date: null, dateApproximate: false, authors: [], recipients: [], source: '', sensitivity: 'internal', tags: [], cases: [], notes: '', translationOf: null });
  const extras = { textSource: 'text' as const, textHash: null, extraction: { importer: 'test' } };
  archive.transaction(() => {
    for (let i = 0; i < total; i++) {
      insertDocument(
        archive,
        `doc${String(i).padStart(4, '0')}`,
        {
          ...base,
          kind: kinds[i % kinds.length] ?? 'other',
          language: ['ru', 'uk', 'en', 'ru-RU'][i % 4] ?? 'ru',
          title: `Document ${i}`,
          date: i % 9 === 0 ? null : `${2000 + (i % 23)}-${String(1 + (i % 12)).padStart(2, '0')}`,
          tags: i % 5 === 0 ? [] : [tags[i % tags.length] ?? '', tags[(i * 7) % tags.length] ?? ''],
          authors: i % 6 === 0 ? [] : [`Автор ${i % 31}`],
          recipients: i % 4 === 0 ? [`Автор ${i % 31}`, `Адресат ${i % 7}`] : [],
          cases: i % 3 === 0 ? [`Дело ${i % 11}`] : [],
        },
        `Document ${i}. A letter about visit number ${i}.`,
        extras,
      );
    }
  });
}

describe('the library overview and search facets count exactly and never show stale counts', () => {
  let dir: string;
  let archive: Archive;

  beforeEach(() => {
    dir = tempDir();
    archive = Archive.create(dir);
    seed(archive, 400);
  });
  afterEach(() => {
    archive.close();
  });

  it('counts the whole archive as the old query did, and again the same when asked twice', () => {
    const first = overview(archive);
    expect(first).toEqual(referenceFacets(archive));
    expect(countOf(first, 'kind', 'letter')).toBe(80);
    expect(overview(archive)).toEqual(first);
  });

  it('restricts facet counts to a query’s hits', () => {
    const ru = overview(archive, 'lang:ru');
    expect(ru).toEqual(referenceFacets(archive, RUSSIAN));
    expect(countOf(ru, 'language', 'uk')).toBe(0);
    expect(overview(archive, 'letter')).toEqual(referenceFacets(archive));
    expect(overview(archive, 'kind:statement')).toEqual(referenceFacets(archive, 'WHERE kind = ?', ['statement']));
  });

  it('shows an edit at once', () => {
    expect(countOf(overview(archive), 'tag', 'новый тег')).toBe(0);
    expect(countOf(overview(archive, 'lang:ru'), 'tag', 'новый тег')).toBe(0);
    updateDocument(archive, 'doc0000', { tags: ['новый тег', 'новый тег'], kind: 'other', authors: ['Автор 1'], recipients: ['Автор 1'] });
    const after = overview(archive);
    expect(countOf(after, 'tag', 'новый тег')).toBe(1);
    expect(countOf(after, 'kind', 'other')).toBe(1);
    expect(countOf(overview(archive, 'lang:ru'), 'tag', 'новый тег')).toBe(1);
    expectExact(archive);
    updateDocument(archive, 'doc0000', { tags: [], date: null, language: 'uk' });
    expect(countOf(overview(archive), 'tag', 'новый тег')).toBe(0);
    expectExact(archive);
  });

  it('shows a change of any one counted field at once, whatever code path writes it', () => {
    const changes: [string, string][] = [
      ['kind', "'other'"],
      ['language', "'be'"],
      ['date', "'1999-01'"],
      ['authors', `'["Новый автор"]'`],
      ['recipients', `'["Новый адресат", "Автор 3"]'`],
      ['cases', `'["Дело 99"]'`],
      ['tags', `'["тег"]'`],
    ];
    for (const [column, value] of changes) {
      archive.db.exec(`UPDATE documents SET ${column} = ${value} WHERE id = 'doc0004'`);
      expectExact(archive);
    }
  });

  it('shows an import at once', async () => {
    const before = overview(archive);
    const beforeRussian = overview(archive, 'lang:ru');
    await importBuffers(archive, [{ name: 'new.txt', bytes: new TextEncoder().encode('Новое письмо из колонии, написанное по-русски, о свиданиях и передачах.') }]);
    expect(overview(archive)).not.toEqual(before);
    expect(overview(archive, 'lang:ru')).not.toEqual(beforeRussian);
    expectExact(archive);
  });

  it('shows a deletion at once, even one made outside a transaction', () => {
    const before = overview(archive);
    expect(countOf(overview(archive, 'lang:ru'), 'kind', 'letter')).toBe(40);
    archive.db.exec("DELETE FROM documents WHERE kind = 'letter'");
    const after = overview(archive);
    expect(countOf(before, 'kind', 'letter')).toBe(80);
    expect(countOf(after, 'kind', 'letter')).toBe(0);
    expect(countOf(overview(archive, 'lang:ru'), 'kind', 'letter')).toBe(0);
    expectExact(archive);
  });

  it('shows a write from another connection (another process) at once', () => {
    expect(countOf(overview(archive), 'kind', 'article')).toBe(80);
    expect(countOf(overview(archive, 'lang:ru'), 'kind', 'article')).toBe(40);
    const other = Archive.open(dir);
    try {
      updateDocument(other, 'doc0000', { kind: 'article' });
    } finally {
      other.close();
    }
    expect(countOf(overview(archive), 'kind', 'article')).toBe(81);
    expect(countOf(overview(archive, 'lang:ru'), 'kind', 'article')).toBe(41);
    expectExact(archive);
  });

  it('counts an archive made before the counts were kept (the migration fills them in)', () => {
    const migration = migrations.find((m) => m.version === 7);
    archive.db.exec('DROP TRIGGER facet_counts_insert; DROP TRIGGER facet_counts_update; DROP TRIGGER facet_counts_delete; DROP TABLE facet_counts');
    archive.db.exec(migration?.sql ?? '');
    expectExact(archive);
  });

  it('hands out copies: changing one answer does not change the next', () => {
    const first = overview(archive);
    const letter = first?.kind.find((c) => c.value === 'letter');
    if (letter) letter.count = 0;
    expect(countOf(overview(archive), 'kind', 'letter')).toBe(80);
  });
});
