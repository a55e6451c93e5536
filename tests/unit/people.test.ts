import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { documentHistory, updateDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { deletePerson, getPerson, linkPerson, listPeople, peopleOfDocument, savePerson, unlinkPerson } from '../../src/core/people.ts';
import { saveCase, saveEvent, getCase } from '../../src/core/cases.ts';
import { search } from '../../src/core/search/search.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { tempDir } from '../helpers.ts';

const text = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });

function thrown(run: () => unknown): KartotekaError {
  try {
    run();
  } catch (error) {
    if (error instanceof KartotekaError) return error;
    throw error;
  }
  throw new Error('expected a KartotekaError');
}

describe('people', () => {
  let archive: Archive;
  const id: Record<string, string> = {};
  const found = (query: string): string[] => search(archive, query).hits.map((h) => h.id).sort();

  beforeEach(async () => {
    archive = Archive.create(join(tempDir('kartoteka-people-'), 'archive'));
    const report = await importBuffers(archive, [
      text('ruling.txt', 'Приговор\n\nСуд признал подсудимого виновным.'),
      text('column.txt', 'Колонка\n\nО левом движении в России.'),
      text('petition.txt', 'Петиция\n\nТребуем освободить политзаключённых.'),
      text('call.txt', 'Звонок\n\nРазговор с адвокатом о передачах.'),
    ]);
    for (const item of report.imported) id[item.file] = item.id;
    updateDocument(archive, id['ruling.txt'] ?? '', { recipients: ['Борис Кагарлицкий'] });
    updateDocument(archive, id['column.txt'] ?? '', { authors: ['Борис Кагарлицкий'] });
    updateDocument(archive, id['petition.txt'] ?? '', { authors: ['Евгения Беркович'] });
  });

  it('finds a document written by «Борис Кагарлицкий» with person:"Boris Kagarlitsky" once the person has that variant', () => {
    savePerson(archive, null, { name: 'Борис Кагарлицкий', variants: ['Boris Kagarlitsky'], roles: ['prisoner', 'author'] });
    expect(found('person:"Boris Kagarlitsky"')).toContain(id['column.txt']);
  });

  it('finds documents by a variant no transliteration would reach, and forgets it when the variant is removed', () => {
    expect(found('person:"Женя Беркович"')).toEqual([]);
    const person = savePerson(archive, null, { name: 'Евгения Беркович', roles: ['prisoner'] });
    expect(found('person:"Женя Беркович"')).toEqual([]);
    savePerson(archive, person.id, { name: 'Евгения Беркович', variants: ['Женя Беркович'], roles: ['prisoner'] });
    expect(found('person:"Женя Беркович"')).toEqual([id['petition.txt']]);
    savePerson(archive, person.id, { name: 'Евгения Беркович', variants: [], roles: ['prisoner'] });
    expect(found('person:"Женя Беркович"')).toEqual([]);
  });

  it('matches authors by name whatever the case and punctuation', () => {
    savePerson(archive, null, { name: 'борис  кагарлицкий', variants: ['Кагарлицкий Б.'] });
    expect(found('person:"Кагарлицкий Б."').sort()).toEqual([id['column.txt'], id['ruling.txt']].sort());
  });

  it('links a person to a document with a role; the document is then found by the person and lists them', () => {
    const lawyer = savePerson(archive, null, { name: 'Вера Ломтева', variants: ['Vera Lomteva'], roles: ['lawyer'] });
    const callId = id['call.txt'] ?? '';
    expect(found('person:Lomteva')).toEqual([]);
    const people = linkPerson(archive, lawyer.id, callId, 'lawyer');
    expect(people).toEqual([{ person: expect.objectContaining({ name: 'Вера Ломтева' }), linkedRoles: ['lawyer'], namedAs: [] }]);
    expect(found('person:Lomteva')).toEqual([callId]);
    expect(found('person:"Вера Ломтева"')).toEqual([callId]);
    expect(documentHistory(archive, callId).map((e) => e.action)).toContain('person.link');

    expect(unlinkPerson(archive, lawyer.id, callId)).toEqual([]);
    expect(found('person:Lomteva')).toEqual([]);
  });

  it("lists a person's documents, linked and named, with how each names them", () => {
    const boris = savePerson(archive, null, { name: 'Борис Кагарлицкий', variants: ['Boris Kagarlitsky'] });
    linkPerson(archive, boris.id, id['call.txt'] ?? '', 'mentioned');
    linkPerson(archive, boris.id, id['ruling.txt'] ?? '', 'subject');
    const details = getPerson(archive, boris.id);
    const byId = new Map(details.documents.map((d) => [d.id, d]));
    expect(byId.size).toBe(3);
    expect(byId.get(id['column.txt'] ?? '')).toMatchObject({ linkedRoles: [], namedAs: ['author'] });
    expect(byId.get(id['ruling.txt'] ?? '')).toMatchObject({ linkedRoles: ['subject'], namedAs: ['recipient'] });
    expect(byId.get(id['call.txt'] ?? '')).toMatchObject({ linkedRoles: ['mentioned'], namedAs: [] });
    expect(peopleOfDocument(archive, id['ruling.txt'] ?? '')).toEqual([{ person: expect.objectContaining({ id: boris.id }), linkedRoles: ['subject'], namedAs: ['recipient'] }]);
  });

  it('searches people by the start of any word of their name or variants, in any script', () => {
    savePerson(archive, null, { name: 'Борис Кагарлицкий', variants: ['Boris Kagarlitsky'] });
    savePerson(archive, null, { name: 'Анна Соловьёва' });
    savePerson(archive, null, { name: 'Мирон Соловьёв', roles: ['prisoner'] });
    const names = (prefix: string) => listPeople(archive, { prefix }).items.map((p) => p.name);
    expect(names('')).toEqual(['Анна Соловьёва', 'Борис Кагарлицкий', 'Мирон Соловьёв']);
    expect(names('каг')).toEqual(['Борис Кагарлицкий']);
    expect(names('Kagar')).toEqual(['Борис Кагарлицкий']);
    expect(names('солов')).toEqual(['Анна Соловьёва', 'Мирон Соловьёв']);
    expect(names('Solov')).toEqual(['Анна Соловьёва', 'Мирон Соловьёв']);
    expect(names('мирон солов')).toEqual(['Мирон Соловьёв']);
    expect(names('Петров')).toEqual([]);
    expect(listPeople(archive, { limit: 1, offset: 1 })).toMatchObject({ total: 3, items: [{ name: 'Борис Кагарлицкий' }] });
  });

  it('deleting a person unlinks them and takes their name out of the search, but keeps case events', () => {
    const boris = savePerson(archive, null, { name: 'Борис Кагарлицкий', variants: ['Бобби'] });
    linkPerson(archive, boris.id, id['call.txt'] ?? '');
    const theCase = saveCase(archive, null, { title: 'Дело Кагарлицкого' });
    saveEvent(archive, { caseId: theCase.id, personId: boris.id, kind: 'arrest', date: '2023-07-25' });
    saveEvent(archive, { personId: boris.id, kind: 'transfer', date: '2024-04' });
    expect(found('person:Бобби').length).toBe(3);
    expect(deletePerson(archive, boris.id)).toEqual({ deleted: true });
    expect(found('person:Бобби')).toEqual([]);
    expect(peopleOfDocument(archive, id['call.txt'] ?? '')).toEqual([]);
    expect(getCase(archive, theCase.id).events).toMatchObject([{ kind: 'arrest', personId: null }]);
    expect(deletePerson(archive, boris.id)).toEqual({ deleted: false });
  });

  it('refuses unknown people and documents with NOT_FOUND, and invalid roles', () => {
    const person = savePerson(archive, null, { name: 'Анна Соколова' });
    expect(thrown(() => linkPerson(archive, person.id, '0000000000000000')).code).toBe('NOT_FOUND');
    expect(thrown(() => linkPerson(archive, '0000000000000000', id['call.txt'] ?? '')).code).toBe('NOT_FOUND');
    expect(thrown(() => getPerson(archive, '0000000000000000')).code).toBe('NOT_FOUND');
    expect(() => savePerson(archive, null, { name: 'X', roles: ['spy' as 'other'] })).toThrow();
  });

  it('keeps variants without repeats of each other or of the name, and records changes in the audit log', () => {
    const person = savePerson(archive, null, { name: 'Анна Соколова', variants: ['Anna Sokolova', 'anna sokolova', 'АННА СОКОЛОВА'] });
    expect(person.variants).toEqual(['Anna Sokolova']);
    savePerson(archive, person.id, { name: 'Анна Соколова', variants: ['Anna Sokolova'], notes: 'сестра' });
    const actions = (archive.db.prepare('SELECT action FROM audit_log WHERE subject = ? ORDER BY seq').all(person.id) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['person.create', 'person.update']);
  });

  it('indexes people added to a document at import time, when the person was there first', async () => {
    savePerson(archive, null, { name: 'Мирон Соловьёв', variants: ['Мироша'] });
    const report = await importBuffers(archive, [text('letter.txt', 'Письмо\n\nМама, всё хорошо.')], { workers: 0 });
    const letter = report.imported[0]?.id ?? '';
    updateDocument(archive, letter, { authors: ['Мирон Соловьёв'] });
    expect(found('person:Мироша')).toEqual([letter]);
  });

  it('sees people saved by another connection to the archive (the command line beside the app) when indexing', async () => {
    const other = Archive.open(archive.root);
    try {
      savePerson(other, null, { name: 'Мирон Соловьёв', variants: ['Мироша'] });
    } finally {
      other.close();
    }
    const report = await importBuffers(archive, [text('letter.txt', 'Письмо\n\nМама, всё хорошо.')], { workers: 0 });
    const letter = report.imported[0]?.id ?? '';
    updateDocument(archive, letter, { authors: ['Мирон Соловьёв'] });
    expect(found('person:Мироша')).toEqual([letter]);
  });
});
