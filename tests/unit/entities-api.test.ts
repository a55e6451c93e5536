import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createService, dispatch, type Service } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';

/** The calls of issue 5 as the UI makes them: through the contract, validated, as Result envelopes. */
describe('people, cases, collections, redactions and translations through the API', () => {
  let service: Service;
  let letter: string;
  const call = (method: string, payload: unknown) => dispatch(service, method, payload);
  const value = async <T = Record<string, unknown>>(method: string, payload: unknown): Promise<T> => {
    const result = await call(method, payload);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };

  beforeAll(async () => {
    const archive = Archive.create(join(tempDir('kartoteka-entities-api-'), 'archive'));
    service = createService(new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 's'), sampleSourceDir }));
    const report = await importBuffers(archive, [{ name: 'letter.txt', bytes: new TextEncoder().encode('Письмо\n\nМама, передай привет Ольге.') }]);
    letter = report.imported[0]?.id ?? '';
  });

  it('creates a person with defaults, links them to a document and finds them by prefix', async () => {
    const person = await value<{ id: string; variants: string[] }>('people.save', { name: 'Мирон Соловьёв', roles: ['prisoner'] });
    expect(person.variants).toEqual([]);
    const people = await value<unknown[]>('people.link', { personId: person.id, documentId: letter });
    expect(people).toMatchObject([{ linkedRoles: ['mentioned'] }]);
    expect(await value('people.list', { prefix: 'Solov' })).toMatchObject({ total: 1 });
    expect(await value('people.get', { id: person.id })).toMatchObject({ documents: [{ id: letter, linkedRoles: ['mentioned'] }] });
  });

  it('refuses malformed requests with INVALID_REQUEST before they reach the archive', async () => {
    expect(await call('people.save', { name: 'X', roles: ['spy'] })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call('cases.saveEvent', { kind: 'arrest', date: '2024' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call('cases.saveEvent', { caseId: null, personId: null, kind: 'arrest', date: '2024-13' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call('timeline.get', {})).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call('redactions.add', { documentId: letter, start: -1, end: 3 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call('translations.export', { id: letter, format: 'pdf' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await call('documents.updateMany', { ids: [], patch: {} })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('answers a taken case title with CONFLICT and the id of the case that has it', async () => {
    const first = await value<{ id: string }>('cases.save', { title: 'Дело Соловьёва' });
    expect(await call('cases.save', { title: 'дело соловьёва' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { id: first.id } } });
    await value('cases.saveEvent', { caseId: first.id, kind: 'arrest', date: '2023-05-12' });
    await value('documents.updateMany', { ids: [letter], patch: { cases: { add: ['Дело Соловьёва'] } } });
    expect(await value<unknown[]>('timeline.get', { caseId: first.id })).toMatchObject([{ type: 'event' }, { type: 'document', document: { id: letter } }]);
  });

  it('translates, exports and lists collections and redactions', async () => {
    const translation = await value<{ id: string }>('translations.start', { originalId: letter, language: 'en', translator: 'A. T.' });
    expect(await value('translations.saveSegment', { translationId: translation.id, seq: 1, text: 'Mum, say hello to Olga.' })).toMatchObject({ progress: { done: 1, total: 2 } });
    expect(await value('translations.aligned', { originalId: letter, translationId: translation.id })).toMatchObject({ pairs: [{ translation: null }, { translation: { text: 'Mum, say hello to Olga.' } }] });
    await value('redactions.add', { documentId: translation.id, start: 18, end: 22 });
    const file = await value<{ fileName: string; dataBase64: string }>('translations.export', { id: translation.id, format: 'txt' });
    expect(Buffer.from(file.dataBase64, 'base64').toString('utf8')).toBe('Mum, say hello to ████.');
    const collection = await value<{ id: string }>('collections.save', { name: 'Переводы' });
    expect(await value('collections.add', { id: collection.id, documentIds: [translation.id] })).toMatchObject({ documentCount: 1 });
    expect(await value('collections.documents', { id: collection.id })).toMatchObject({ total: 1, items: [{ id: translation.id }] });
    const csv = await value<{ dataBase64: string; rows: number }>('search.csv', { query: 'Olga' });
    // The original («Ольге») and the translation, whose «Olga» is redacted.
    expect(csv.rows).toBe(2);
    expect(Buffer.from(csv.dataBase64, 'base64').toString('utf8')).not.toContain('Olga');
    expect(await value('citations.get', { id: letter })).toMatchObject({ text: 'Письмо, n.d. (letter.txt)' });
  });

  it('gives glossary entries for a paragraph', async () => {
    await value('glossary.save', { sourceLanguage: 'ru', term: 'передать привет', targetLanguage: 'en', translation: 'send regards' });
    expect(await value<unknown[]>('glossary.for', { text: 'Мама, передай привет Ольге.', sourceLanguage: 'ru', targetLanguage: 'en' })).toMatchObject([
      { entry: { translation: 'send regards' }, matches: [[6, 20]] },
    ]);
  });
});
