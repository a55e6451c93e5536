import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { deleteGlossaryEntry, glossaryFor, listGlossary, saveGlossaryEntry } from '../../src/core/glossary.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { tempDir } from '../helpers.ts';

function thrown(run: () => unknown): KartotekaError {
  try {
    run();
  } catch (error) {
    if (error instanceof KartotekaError) return error;
    throw error;
  }
  throw new Error('expected a KartotekaError');
}

describe('the glossary', () => {
  let archive: Archive;

  beforeEach(() => {
    archive = Archive.create(join(tempDir('kartoteka-glossary-'), 'archive'));
    saveGlossaryEntry(archive, null, { sourceLanguage: 'ru', term: 'оправдание терроризма', targetLanguage: 'en', translation: 'justification of terrorism', note: 'Art. 205.2' });
    saveGlossaryEntry(archive, null, { sourceLanguage: 'ru', term: 'колония общего режима', targetLanguage: 'en', translation: 'general-regime penal colony' });
    saveGlossaryEntry(archive, null, { sourceLanguage: 'ru', term: 'ШИЗО', targetLanguage: 'en', translation: 'punishment cell (SHIZO)' });
    saveGlossaryEntry(archive, null, { sourceLanguage: 'ru', term: 'оправдание терроризма', targetLanguage: 'uk', translation: 'виправдовування тероризму' });
  });

  it('finds a term in a paragraph in any inflection, with where it stands', () => {
    const paragraph = 'Он обвинён в оправдании терроризма и отправлен в колонию общего режима.';
    const matches = glossaryFor(archive, paragraph, 'ru', 'en');
    expect(matches.map((m) => m.entry.translation)).toEqual(['justification of terrorism', 'general-regime penal colony']);
    expect(matches.map((m) => m.matches.map(([s, e]) => paragraph.slice(s, e)))).toEqual([['оправдании терроризма'], ['колонию общего режима']]);
  });

  it('finds a term only where its words follow one another, inside one paragraph', () => {
    expect(glossaryFor(archive, 'Терроризма не было, а оправдание нашлось.', 'ru', 'en')).toEqual([]);
    expect(glossaryFor(archive, 'Это оправдание\n\nтерроризма', 'ru', 'en')).toEqual([]);
    expect(glossaryFor(archive, 'Три дня в шизо.', 'ru', 'en').map((m) => m.entry.term)).toEqual(['ШИЗО']);
  });

  it('gives the entries of the pair of languages asked for; ru-RU is ru', () => {
    expect(glossaryFor(archive, 'За оправдание терроризма.', 'ru-RU', 'uk').map((m) => m.entry.translation)).toEqual(['виправдовування тероризму']);
    expect(glossaryFor(archive, 'За оправдание терроризма.', 'uk', 'en')).toEqual([]);
  });

  it('lists, filters, changes and deletes entries', () => {
    expect(listGlossary(archive).map((e) => e.term)).toEqual(['колония общего режима', 'оправдание терроризма', 'оправдание терроризма', 'ШИЗО']);
    expect(listGlossary(archive, { targetLanguage: 'uk' }).map((e) => e.translation)).toEqual(['виправдовування тероризму']);
    expect(listGlossary(archive, { prefix: 'шиз' }).map((e) => e.term)).toEqual(['ШИЗО']);
    expect(listGlossary(archive, { prefix: 'punish' }).map((e) => e.term)).toEqual(['ШИЗО']);
    const [shizo] = listGlossary(archive, { prefix: 'шиз' });
    const changed = saveGlossaryEntry(archive, shizo?.id, { sourceLanguage: 'ru', term: 'ШИЗО', targetLanguage: 'en', translation: 'disciplinary isolation cell (SHIZO)' });
    expect(changed).toMatchObject({ id: shizo?.id, translation: 'disciplinary isolation cell (SHIZO)', note: '' });
    expect(deleteGlossaryEntry(archive, changed.id)).toEqual({ deleted: true });
    expect(deleteGlossaryEntry(archive, changed.id)).toEqual({ deleted: false });
    expect(glossaryFor(archive, 'В ШИЗО.', 'ru', 'en')).toEqual([]);
    const actions = (archive.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'glossary.%' ORDER BY seq").all() as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['glossary.create', 'glossary.create', 'glossary.create', 'glossary.create', 'glossary.update', 'glossary.delete']);
  });

  it('refuses a term already there for the same pair of languages, whatever its case', () => {
    const error = thrown(() => saveGlossaryEntry(archive, null, { sourceLanguage: 'ru', term: 'Оправдание  терроризма', targetLanguage: 'en', translation: 'x' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('justification of terrorism');
  });
});
