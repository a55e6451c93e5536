import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { listCases, saveCase } from '../../src/core/cases.ts';
import { collectionsOfDocument, addToCollection, listCollections, saveCollection } from '../../src/core/collections.ts';
import { updateDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { listPeople, peopleOfDocument, savePerson } from '../../src/core/people.ts';
import { search } from '../../src/core/search/search.ts';
import { tempDir } from '../helpers.ts';

const text = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });

/** Lists in name order put numbers inside names by their value, and Cyrillic in alphabet order. */
describe('names listed by name', () => {
  let archive: Archive;
  const ids: string[] = [];

  beforeEach(async () => {
    archive = Archive.create(join(tempDir('kartoteka-name-order-'), 'archive'));
    const report = await importBuffers(archive, [
      text('1.txt', 'Письмо из колонии\n\nЗдравствуйте, пишу вам из ИК-2.'),
      text('2.txt', 'Письмо из СИЗО\n\nПередачи принимают по вторникам.'),
      text('3.txt', 'Заявление\n\nПрошу приобщить к делу.'),
    ]);
    ids.splice(0, ids.length, ...report.imported.map((i) => i.id));
  });
  afterEach(() => {
    archive.close();
  });

  it('lists people with "Автор 2" before "Автор 10", in Cyrillic alphabet order', () => {
    for (const name of ['Автор 10', 'Ёлкина Вера', 'Автор 2', 'Жуков Иван', 'Автор 1', 'Елена Жукова', 'Ігор Гнатюк']) savePerson(archive, null, { name });
    expect(listPeople(archive).items.map((p) => p.name)).toEqual(['Автор 1', 'Автор 2', 'Автор 10', 'Елена Жукова', 'Ёлкина Вера', 'Жуков Иван', 'Ігор Гнатюк']);
    expect(listPeople(archive, { prefix: 'автор' }).items.map((p) => p.name)).toEqual(['Автор 1', 'Автор 2', 'Автор 10']);
  });

  it("lists a document's people by name, numbers by their value", () => {
    const [doc] = ids as [string];
    updateDocument(archive, doc, { authors: ['Заключённый 12'], recipients: ['Заключённый 3'] });
    savePerson(archive, null, { name: 'Заключённый 12' });
    savePerson(archive, null, { name: 'Заключённый 3' });
    expect(peopleOfDocument(archive, doc).map((p) => p.person.name)).toEqual(['Заключённый 3', 'Заключённый 12']);
  });

  it('lists cases, and case titles without a record, with "Дело № 9" before "Дело № 10"', () => {
    const [a, b, c] = ids as [string, string, string];
    updateDocument(archive, a, { cases: ['Дело № 10'] });
    updateDocument(archive, b, { cases: ['Дело № 9'] });
    updateDocument(archive, c, { cases: ['Апелляция 21', 'Апелляция 3'] });
    saveCase(archive, null, { title: 'Дело № 10' });
    saveCase(archive, null, { title: 'Дело № 9' });
    const list = listCases(archive);
    expect(list.items.map((x) => x.title)).toEqual(['Дело № 9', 'Дело № 10']);
    expect(list.unrecorded.map((x) => x.title)).toEqual(['Апелляция 3', 'Апелляция 21']);
  });

  it('lists collections with "Досье 9" before "Досье 10"', () => {
    const [doc] = ids as [string];
    for (const name of ['Досье 10', 'Досье 9', 'Для прессы']) addToCollection(archive, saveCollection(archive, null, name).id, [doc]);
    expect(listCollections(archive).map((c) => c.name)).toEqual(['Для прессы', 'Досье 9', 'Досье 10']);
    expect(collectionsOfDocument(archive, doc).map((c) => c.name)).toEqual(['Для прессы', 'Досье 9', 'Досье 10']);
  });

  it('keeps the most named first in the counts, and names named as often by their numbers', () => {
    const [a, b, c] = ids as [string, string, string];
    updateDocument(archive, a, { authors: ['Автор 10'], tags: ['Этап 10', 'суд'] });
    updateDocument(archive, b, { authors: ['Автор 2'], tags: ['Этап 2', 'суд'] });
    updateDocument(archive, c, { authors: ['Автор 30'], recipients: ['Автор 1'], tags: ['суд'] });
    updateDocument(archive, b, { recipients: ['Автор 30'] });
    const facets = search(archive, { query: '-lang:xx', limit: 1, facets: true }).facets;
    expect(facets?.person.map((f) => f.value)).toEqual(['Автор 30', 'Автор 1', 'Автор 2', 'Автор 10']);
    expect(facets?.tag.map((f) => f.value)).toEqual(['суд', 'Этап 2', 'Этап 10']);
    // A query's own counts (not the whole archive's: the two letters, each name once) are in the same order.
    expect(search(archive, { query: 'письмо', limit: 1, facets: true }).facets?.person.map((f) => f.value)).toEqual(['Автор 2', 'Автор 10', 'Автор 30']);
  });
});
