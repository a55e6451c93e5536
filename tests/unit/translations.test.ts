import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { documentHistory, getDocument, updateDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { docxImporter } from '../../src/core/importers/docx.ts';
import { addRedaction, listRedactions } from '../../src/core/redactions.ts';
import { search } from '../../src/core/search/search.ts';
import {
  alignedParagraphs,
  docxOf,
  exportTranslation,
  paragraphsOf,
  saveSegment,
  startTranslation,
  translationProgress,
} from '../../src/core/translations.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { extractContext, tempDir } from '../helpers.ts';

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

describe('paragraphsOf', () => {
  it('splits at blank lines, keeps single line breaks inside a paragraph, and gives offsets into the text', () => {
    const body = '  Дорогая мама!\n\nИК-7, отряд 3\nСегежа\n \t\n\n\nТвой сын\r\n\r\nМирон  \n';
    const paragraphs = paragraphsOf(body);
    expect(paragraphs.map((p) => p.text)).toEqual(['Дорогая мама!', 'ИК-7, отряд 3\nСегежа', 'Твой сын', 'Мирон']);
    for (const p of paragraphs) expect(body.slice(p.start, p.end)).toBe(p.text);
    expect(paragraphs.map((p) => p.index)).toEqual([0, 1, 2, 3]);
  });

  it('gives no paragraphs for an empty or blank text', () => {
    expect(paragraphsOf('')).toEqual([]);
    expect(paragraphsOf(' \n\n \n')).toEqual([]);
  });
});

describe('translating in the app', () => {
  let archive: Archive;
  let original: string;
  const letter = 'Письмо из колонии\n\nМама, у меня всё хорошо.\nНе волнуйся.\n\nПередай привет Ольге.\n\nТвой сын';

  beforeEach(async () => {
    archive = Archive.create(join(tempDir('kartoteka-translations-'), 'archive'));
    const report = await importBuffers(archive, [text('letter.txt', letter)]);
    original = report.imported[0]?.id ?? '';
    updateDocument(archive, original, {
      kind: 'letter',
      language: 'ru',
      date: '2024-08-19',
      authors: ['Мирон Соловьёв'],
      sensitivity: 'confidential',
      cases: ['Дело Соловьёва'],
    });
  });

  it('starts a draft translation: the original kind, people, case and sensitivity, an empty text, no file', () => {
    const translation = startTranslation(archive, original, { language: 'en', translator: 'Anna T.' });
    expect(translation).toMatchObject({
      kind: 'letter',
      title: 'Письмо из колонии (en)',
      language: 'en',
      text: '',
      translationOf: original,
      translator: 'Anna T.',
      translationStatus: 'draft',
      sensitivity: 'confidential',
      authors: ['Мирон Соловьёв'],
      cases: ['Дело Соловьёва'],
      date: '2024-08-19',
      files: [],
    });
    expect(getDocument(archive, original).translations).toEqual([{ id: translation.id, language: 'en', title: 'Письмо из колонии (en)' }]);
    expect(translationProgress(archive, translation.id)).toEqual({ done: 0, total: 4 });
    const again = thrown(() => startTranslation(archive, original, { language: 'en' }));
    expect(again.code).toBe('CONFLICT');
    expect(again.details).toEqual({ id: translation.id });
  });

  it('saves paragraph by paragraph: the text, the search and the progress follow', () => {
    const { id } = startTranslation(archive, original, { language: 'en', translator: 'Anna T.' });
    expect(saveSegment(archive, id, 1, 'Mum, I am fine.\nDo not worry.')).toMatchObject({ seq: 1, progress: { done: 1, total: 4 } });
    saveSegment(archive, id, 0, 'A letter from the colony');
    saveSegment(archive, id, 3, 'Your son');
    expect(getDocument(archive, id).text).toBe('A letter from the colony\n\nMum, I am fine.\nDo not worry.\n\nYour son');
    expect(search(archive, 'worry').hits.map((h) => h.id)).toEqual([id]);

    saveSegment(archive, id, 1, 'Mum, all is well.');
    expect(search(archive, 'worry').total).toBe(0);
    expect(saveSegment(archive, id, 3, '  ').progress).toEqual({ done: 2, total: 4 });
    expect(getDocument(archive, id).text).toBe('A letter from the colony\n\nMum, all is well.');
    expect(documentHistory(archive, id).filter((e) => e.action === 'translation.segment')).toHaveLength(5);
  });

  it('refuses paragraphs the original does not have, and translations imported from files', async () => {
    const { id } = startTranslation(archive, original, { language: 'uk' });
    expect(thrown(() => saveSegment(archive, id, 4, 'зайве')).code).toBe('INVALID_REQUEST');
    expect(thrown(() => saveSegment(archive, original, 0, 'x')).code).toBe('INVALID_REQUEST');
    const report = await importBuffers(archive, [text('letter.en.txt', 'A letter\n\nMum.')]);
    const imported = report.imported[0]?.id ?? '';
    updateDocument(archive, imported, { translationOf: original, language: 'en' });
    expect(thrown(() => saveSegment(archive, imported, 0, 'x')).code).toBe('INVALID_REQUEST');
  });

  it('lines up original and translation paragraph by paragraph, gaps included', () => {
    const { id } = startTranslation(archive, original, { language: 'en' });
    saveSegment(archive, id, 0, 'A letter from the colony');
    saveSegment(archive, id, 2, 'Say hello to Olga.');
    const aligned = alignedParagraphs(archive, original, id);
    expect(aligned.translation).toMatchObject({ inApp: true, status: 'draft', language: 'en' });
    expect(aligned.progress).toEqual({ done: 2, total: 4 });
    expect(aligned.pairs.map((p) => [p.original?.text ?? null, p.translation?.text ?? null])).toEqual([
      ['Письмо из колонии', 'A letter from the colony'],
      ['Мама, у меня всё хорошо.\nНе волнуйся.', null],
      ['Передай привет Ольге.', 'Say hello to Olga.'],
      ['Твой сын', null],
    ]);
    const translated = getDocument(archive, id).text;
    for (const pair of aligned.pairs) if (pair.translation) expect(translated.slice(pair.translation.start, pair.translation.end)).toBe(pair.translation.text);
  });

  it('lines up a translation imported as a file by the order of its paragraphs', async () => {
    const report = await importBuffers(archive, [text('letter.en.txt', 'A letter from the colony\n\nMum, I am fine.\nDo not worry.\n\nSay hello to Olga.\n\nYour son\n\nP.S. Send socks.')]);
    const imported = report.imported[0]?.id ?? '';
    updateDocument(archive, imported, { translationOf: original, language: 'en' });
    const aligned = alignedParagraphs(archive, original, imported);
    expect(aligned.translation.inApp).toBe(false);
    expect(aligned.progress).toEqual({ done: 4, total: 4 });
    expect(aligned.pairs.map((p) => [p.original?.text.split('\n')[0] ?? null, p.translation?.text.split('\n')[0] ?? null])).toEqual([
      ['Письмо из колонии', 'A letter from the colony'],
      ['Мама, у меня всё хорошо.', 'Mum, I am fine.'],
      ['Передай привет Ольге.', 'Say hello to Olga.'],
      ['Твой сын', 'Your son'],
      [null, 'P.S. Send socks.'],
    ]);
    expect(thrown(() => alignedParagraphs(archive, imported, original)).code).toBe('INVALID_REQUEST');
  });

  it('keeps a redaction on the name it covers while earlier paragraphs are edited', () => {
    const { id } = startTranslation(archive, original, { language: 'en' });
    saveSegment(archive, id, 0, 'A letter');
    saveSegment(archive, id, 2, 'Say hello to Olga.');
    const before = getDocument(archive, id).text;
    addRedaction(archive, { documentId: id, start: before.indexOf('Olga'), end: before.indexOf('Olga') + 4, reason: 'name' });
    saveSegment(archive, id, 0, 'A letter from the colony, written in pencil');
    saveSegment(archive, id, 1, 'Mum, I am fine.');
    const after = getDocument(archive, id).text;
    expect(listRedactions(archive, id).map((s) => after.slice(s.start, s.end))).toEqual(['Olga']);
    // Editing the paragraph with the name blacks out all of that paragraph: the name may have moved anywhere in it.
    saveSegment(archive, id, 2, 'Olga: say hello to her.');
    const last = getDocument(archive, id).text;
    expect(listRedactions(archive, id).map((s) => last.slice(s.start, s.end))).toEqual(['Olga: say hello to her.']);
  });
});

describe('saving as the translator types', () => {
  it('saves a paragraph of a long court record in a few milliseconds', async () => {
    const archive = Archive.create(join(tempDir('kartoteka-translation-speed-'), 'archive'));
    const paragraph = 'Суд, исследовав материалы уголовного дела и выслушав показания свидетелей, установил следующее. '.repeat(4);
    const report = await importBuffers(archive, [text('record.txt', Array.from({ length: 400 }, (_, i) => `${i + 1}. ${paragraph}`).join('\n\n'))]);
    const { id } = startTranslation(archive, report.imported[0]?.id ?? '', { language: 'en' });
    const sentence = 'The court, having examined the case file and heard the witnesses, found as follows. '.repeat(4);
    for (let i = 0; i < 400; i++) saveSegment(archive, id, i, sentence);
    const started = performance.now();
    // Keystrokes in one paragraph in the middle, as the UI sends them (debounced).
    for (let k = 0; k < 20; k++) saveSegment(archive, id, 200, sentence.slice(0, 100 + k * 10));
    const perSave = (performance.now() - started) / 20;
    expect(perSave).toBeLessThan(100);
    expect(translationProgress(archive, id)).toEqual({ done: 400, total: 400 });
  });
});

describe('exporting a translation', () => {
  let archive: Archive;

  beforeEach(() => {
    archive = Archive.create(join(tempDir('kartoteka-translation-export-'), 'archive'));
  });

  it('writes TXT in UTF-8 with redactions blacked out, named after the title', async () => {
    const report = await importBuffers(archive, [text('letter.txt', 'Письмо\n\nПередай привет Ольге.')]);
    const original = report.imported[0]?.id ?? '';
    const { id } = startTranslation(archive, original, { language: 'uk' });
    saveSegment(archive, id, 0, 'Лист');
    saveSegment(archive, id, 1, 'Передай вітання Ользі.');
    const body = getDocument(archive, id).text;
    addRedaction(archive, { documentId: id, start: body.indexOf('Ользі'), end: body.indexOf('Ользі') + 5 });
    const file = exportTranslation(archive, id, 'txt');
    expect(file).toMatchObject({ fileName: 'Письмо (uk).txt', mediaType: 'text/plain; charset=utf-8' });
    expect(Buffer.from(file.dataBase64, 'base64').toString('utf8')).toBe('Лист\n\nПередай вітання █████.');
  });

  it('writes DOCX that the DOCX importer reads back to the same paragraphs', async () => {
    const body = 'Judgment of the court\n\nThe defendant <M. A. Solovyov> & "others"\nwere heard.\n\nSentence:\t5 years\n\nЛист: «привіт» — ґанок, їжак';
    const report = await importBuffers(archive, [text('verdict.txt', body)]);
    const file = exportTranslation(archive, report.imported[0]?.id ?? '', 'docx');
    expect(file.fileName).toBe('Judgment of the court.docx');
    expect(file.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const read = await docxImporter.extract(new Uint8Array(Buffer.from(file.dataBase64, 'base64')), extractContext('out.docx'));
    expect(paragraphsOf(read.text).map((p) => p.text)).toEqual(paragraphsOf(body).map((p) => p.text));
  });

  it('writes a DOCX even for text with characters XML cannot hold, leaving them out', async () => {
    const read = await docxImporter.extract(docxOf('Bell\u0007 here\n\nend', 'en'), extractContext('out.docx'));
    expect(read.text).toBe('Bell here\n\nend');
  });

  it('imports its own DOCX export as a document', async () => {
    const report = await importBuffers(archive, [{ name: 'export.docx', bytes: docxOf('Первый абзац\n\nВторой абзац', 'ru') }]);
    expect(report.failed).toEqual([]);
    expect(getDocument(archive, report.imported[0]?.id ?? '').text).toBe('Первый абзац\n\nВторой абзац');
  });
});
