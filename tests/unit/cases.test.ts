import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { deleteCase, deleteEvent, getCase, listCases, saveCase, saveEvent, timeline } from '../../src/core/cases.ts';
import { documentHistory, getDocument, updateDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { linkPerson, savePerson } from '../../src/core/people.ts';
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

describe('cases', () => {
  let archive: Archive;
  const id: Record<string, string> = {};

  beforeEach(async () => {
    archive = Archive.create(join(tempDir('kartoteka-cases-'), 'archive'));
    const report = await importBuffers(archive, [
      text('indictment.txt', 'Обвинительное заключение\n\nОбвиняется в оправдании терроризма.'),
      text('verdict.txt', 'Приговор\n\nПризнать виновным, назначить пять лет.'),
      text('letter.txt', 'Письмо\n\nМама, меня этапируют.'),
      text('other.txt', 'Другое дело\n\nНе относится.'),
    ]);
    for (const item of report.imported) id[item.file] = item.id;
    updateDocument(archive, id['indictment.txt'] ?? '', { date: '2023-09-01', cases: ['Дело Соловьёва'] });
    updateDocument(archive, id['verdict.txt'] ?? '', { date: '2024-01-23', cases: ['дело соловьёва', 'Апелляция'] });
    updateDocument(archive, id['letter.txt'] ?? '', { date: '2024-08', cases: ['Дело Соловьёва'], authors: ['Мирон Соловьёв'] });
    updateDocument(archive, id['other.txt'] ?? '', { cases: ['Дело Петрова'] });
  });

  it('keeps a case with its court and charges, and lists its documents by date (case titles compare case-insensitively)', () => {
    const saved = saveCase(archive, null, {
      title: 'Дело Соловьёва',
      court: 'Приозёрный окружной военный суд',
      charges: [{ article: '205.2(2)', code: 'УК РФ', description: 'Оправдание терроризма' }],
    });
    const details = getCase(archive, saved.id);
    expect(details).toMatchObject({ title: 'Дело Соловьёва', court: 'Приозёрный окружной военный суд', charges: [{ article: '205.2(2)', code: 'УК РФ' }] });
    expect(details.documents.map((d) => d.id)).toEqual([id['indictment.txt'], id['verdict.txt'], id['letter.txt']]);
  });

  it('lists recorded cases with their counts and the case titles documents use without a record', () => {
    const saved = saveCase(archive, null, { title: 'Дело Соловьёва' });
    saveEvent(archive, { caseId: saved.id, kind: 'arrest', date: '2023-05-12' });
    const list = listCases(archive);
    expect(list.items).toMatchObject([{ title: 'Дело Соловьёва', documentCount: 3, eventCount: 1 }]);
    expect(list.unrecorded).toEqual([
      { title: 'Апелляция', documentCount: 1 },
      { title: 'Дело Петрова', documentCount: 1 },
    ]);
  });

  it('refuses a second case with the same title, whatever its case, with CONFLICT', () => {
    saveCase(archive, null, { title: 'Дело Соловьёва' });
    const error = thrown(() => saveCase(archive, null, { title: 'ДЕЛО СОЛОВЬЁВА' }));
    expect(error.code).toBe('CONFLICT');
  });

  it('renames a case in every document of it, in one go, and the case: search follows', () => {
    const saved = saveCase(archive, null, { title: 'Дело Соловьёва' });
    saveCase(archive, saved.id, { title: 'Дело № 1-17/2024' });
    expect(getDocument(archive, id['verdict.txt'] ?? '').cases).toEqual(['Дело № 1-17/2024', 'Апелляция']);
    expect(getDocument(archive, id['letter.txt'] ?? '').cases).toEqual(['Дело № 1-17/2024']);
    expect(getDocument(archive, id['other.txt'] ?? '').cases).toEqual(['Дело Петрова']);
    expect(search(archive, 'case:"Дело № 1-17/2024"').total).toBe(3);
    expect(search(archive, 'case:"Дело Соловьёва"').total).toBe(0);
    expect(documentHistory(archive, id['letter.txt'] ?? '').at(-1)).toMatchObject({
      action: 'document.update',
      details: { cases: { from: ['Дело Соловьёва'], to: ['Дело № 1-17/2024'] } },
    });
  });

  it('renaming onto a title a document already has leaves it there once', () => {
    updateDocument(archive, id['letter.txt'] ?? '', { cases: ['Дело Соловьёва', 'Дело 2'] });
    const saved = saveCase(archive, null, { title: 'Дело Соловьёва' });
    saveCase(archive, saved.id, { title: 'Дело 2' });
    expect(getDocument(archive, id['letter.txt'] ?? '').cases).toEqual(['Дело 2']);
  });

  it('adds, changes and deletes events, and refuses an event of no case and no person', () => {
    const saved = saveCase(archive, null, { title: 'Дело Соловьёва' });
    const event = saveEvent(archive, { caseId: saved.id, kind: 'trial', date: '2024-01', place: 'Приозёрск' });
    expect(event).toMatchObject({ caseTitle: 'Дело Соловьёва', kind: 'trial', date: '2024-01', place: 'Приозёрск', personId: null });
    expect(saveEvent(archive, { id: event.id, caseId: saved.id, kind: 'verdict', date: '2024-01-23' })).toMatchObject({ id: event.id, kind: 'verdict', place: '' });
    expect(() => saveEvent(archive, { kind: 'other', date: '2024' })).toThrow(/case, a person or both/);
    expect(() => saveEvent(archive, { caseId: saved.id, kind: 'other', date: '2024-02-30' })).toThrow();
    expect(thrown(() => saveEvent(archive, { caseId: '0000000000000000', kind: 'other', date: '2024' })).code).toBe('NOT_FOUND');
    expect(deleteEvent(archive, event.id)).toEqual({ deleted: true });
    expect(getCase(archive, saved.id).events).toEqual([]);
  });

  it('shows a case as one timeline of events and documents by date, partial dates before the days in them', () => {
    const saved = saveCase(archive, null, { title: 'Дело Соловьёва' });
    saveEvent(archive, { caseId: saved.id, kind: 'verdict', date: '2024-01-23', description: 'Пять лет колонии общего режима' });
    saveEvent(archive, { caseId: saved.id, kind: 'arrest', date: '2023-05-12' });
    saveEvent(archive, { caseId: saved.id, kind: 'transfer', date: '2024-08' });
    updateDocument(archive, id['other.txt'] ?? '', { cases: ['Дело Соловьёва'] });
    const items = timeline(archive, { caseId: saved.id });
    expect(items.map((i) => [i.type, i.date, i.type === 'event' ? i.event.kind : i.document.title])).toEqual([
      ['event', '2023-05-12', 'arrest'],
      ['document', '2023-09-01', 'Обвинительное заключение'],
      ['event', '2024-01-23', 'verdict'],
      ['document', '2024-01-23', 'Приговор'],
      ['event', '2024-08', 'transfer'],
      ['document', '2024-08', 'Письмо'],
      ['document', null, 'Другое дело'],
    ]);
  });

  it("shows a person's timeline: their events in any case and the documents that name them", () => {
    const saved = saveCase(archive, null, { title: 'Дело Соловьёва' });
    const miron = savePerson(archive, null, { name: 'Мирон Соловьёв', roles: ['prisoner'] });
    saveEvent(archive, { caseId: saved.id, personId: miron.id, kind: 'arrest', date: '2023-05-12' });
    saveEvent(archive, { personId: miron.id, kind: 'transfer', date: '2024-07-30', place: 'ИК-7' });
    linkPerson(archive, miron.id, id['verdict.txt'] ?? '', 'subject');
    const items = timeline(archive, { personId: miron.id });
    expect(items.map((i) => [i.type, i.date])).toEqual([
      ['event', '2023-05-12'],
      ['document', '2024-01-23'],
      ['event', '2024-07-30'],
      ['document', '2024-08'],
    ]);
    expect(items[0]).toMatchObject({ event: { caseTitle: 'Дело Соловьёва', personName: 'Мирон Соловьёв' } });
    expect(Object.keys(items[1]?.type === 'document' ? items[1].document : {})).not.toContain('linkedRoles');
  });

  it('deletes a case with its events; documents keep the title unless asked to let go of it', () => {
    const first = saveCase(archive, null, { title: 'Дело Соловьёва' });
    saveEvent(archive, { caseId: first.id, kind: 'arrest', date: '2023' });
    expect(deleteCase(archive, first.id)).toEqual({ deleted: true, documentsChanged: 0 });
    expect(getDocument(archive, id['letter.txt'] ?? '').cases).toEqual(['Дело Соловьёва']);
    expect(archive.db.prepare('SELECT count(*) AS c FROM case_events').get()).toEqual({ c: 0 });

    const second = saveCase(archive, null, { title: 'Дело Соловьёва' });
    expect(deleteCase(archive, second.id, { detachDocuments: true })).toEqual({ deleted: true, documentsChanged: 3 });
    expect(getDocument(archive, id['verdict.txt'] ?? '').cases).toEqual(['Апелляция']);
    expect(thrown(() => getCase(archive, second.id)).code).toBe('NOT_FOUND');
  });
});
