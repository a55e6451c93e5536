import { describe, expect, test } from 'vitest';
import { odtImporter } from '../../src/core/importers/odt.ts';
import { refusal } from '../helpers.ts';
import { context, encryptedDocx, fodt, noise, odt, zip } from './office-fixtures.ts';

const extract = (bytes: Uint8Array, fileName = 'verdict.odt') => odtImporter.extract(bytes, context(fileName));


const META =
  '<dc:title>Приговор по делу № 1-234/2024</dc:title><meta:initial-creator>Секретарь суда</meta:initial-creator>' +
  '<dc:creator>Последний редактор</dc:creator><meta:creation-date>2024-05-20T11:02:33.123</meta:creation-date>' +
  '<dc:date>2024-06-01T08:00:00</dc:date><dc:language>ru-RU</dc:language>';

const BODY =
  '<text:h text:outline-level="1">Приговор</text:h>' +
  '<text:p>Именем   Российской\n  Федерации</text:p>' +
  '<text:p>Суд<text:s/><text:span>установил:</text:span><text:s text:c="3"/>подсудимый<text:tab/>виновен.</text:p>' +
  '<text:p>г. Москва<text:line-break/>20 мая 2024 г.</text:p>' +
  '<text:list><text:list-item><text:p>первое</text:p></text:list-item><text:list-item><text:p>второе</text:p>' +
  '<text:list><text:list-item><text:p>вложенное</text:p></text:list-item></text:list></text:list-item></text:list>' +
  '<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>' +
  '<table:table-row><table:table-cell><text:p>Статья</text:p></table:table-cell><table:table-cell><text:p>Срок</text:p></table:table-cell></table:table-row>' +
  '<table:table-row><table:table-cell><text:p>207.3 УК РФ</text:p></table:table-cell><table:table-cell><text:p>7 лет</text:p></table:table-cell></table:table-row>' +
  '</table:table>' +
  '<text:p>Смотри примечание<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>' +
  '<text:note-body><text:p>Апелляция подана 25 мая.</text:p></text:note-body></text:note>.</text:p>' +
  '<text:p>Удалённый текст:<text:tracked-changes><text:changed-region><text:deletion><text:p>не должен попасть</text:p></text:deletion></text:changed-region></text:tracked-changes> нет.</text:p>' +
  '<text:p>Фото:<draw:frame draw:name="Image1"><draw:image><office:binary-data>iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB</office:binary-data></draw:image>' +
  '<svg:title>Снимок у здания суда</svg:title></draw:frame></text:p>' +
  '<text:p><draw:frame draw:name="Box1"><draw:text-box><text:p>Врезка: свободу!</text:p></draw:text-box></draw:frame>Под врезкой.</text:p>' +
  '<text:p><office:annotation><text:p>комментарий рецензента</text:p></office:annotation>Конец.</text:p>';

const EXPECTED = [
  'Приговор',
  'Именем Российской Федерации',
  'Суд установил: подсудимый\tвиновен.',
  'г. Москва\n20 мая 2024 г.',
  'первое',
  'второе',
  'вложенное',
  'Статья\tСрок\n207.3 УК РФ\t7 лет',
  'Смотри примечание.',
  'Удалённый текст: нет.',
  'Фото:',
  'Под врезкой.',
  'Врезка: свободу!',
  'Конец.',
  'Апелляция подана 25 мая.',
].join('\n\n');

describe('odtImporter', () => {
  test('reads headings, spans, spaces, tabs, line breaks, lists, tables, text boxes and notes, with title, author and date from meta.xml', async () => {
    const result = await extract(odt({ text: BODY, meta: META }));
    expect(result.text).toBe(EXPECTED);
    expect(result.suggested).toEqual({ title: 'Приговор по делу № 1-234/2024', authors: ['Секретарь суда'], date: '2024-05-20' });
    expect(result.mediaType).toBe('application/vnd.oasis.opendocument.text');
    expect(result.details['notes']).toBe(1);
  });

  test('reads the same document saved as flat XML (.fodt)', async () => {
    const result = await extract(fodt({ text: BODY, meta: META }), 'verdict.fodt');
    expect(result.text).toBe(EXPECTED);
    expect(result.suggested.title).toBe('Приговор по делу № 1-234/2024');
  });

  test('refuses random bytes named .odt as a damaged file', async () => {
    const error = await refusal(extract(noise(5000)));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/verdict\.odt is not an OpenDocument text/u);
  });

  test('refuses a zip without content.xml', async () => {
    const error = await refusal(extract(zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'meta.xml': '<x/>' })));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/content\.xml/u);
  });

  test('says a password-protected ODT is password-protected', async () => {
    const encryption =
      '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">' +
      '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>' +
      '</manifest:encryption-data>';
    const bytes = odt({ text: '', contentManifestEntry: encryption, files: { 'content.xml': Uint8Array.from(noise(3000)) } });
    const error = await refusal(extract(bytes));
    expect(error.code).toBe('ENCRYPTED_FILE');
    expect(error.message).toMatch(/password-protected/u);
  });

  test('refuses an Office compound file named .odt', async () => {
    expect((await refusal(extract(encryptedDocx()))).code).toBe('ENCRYPTED_FILE');
  });

  test('refuses an ODT carrying a zip bomb', async () => {
    const bytes = odt({ text: '<text:p>Текст</text:p>', files: { 'Pictures/zeros.png': new Uint8Array(50 * 1024 * 1024) } });
    expect((await refusal(extract(bytes))).code).toBe('UNPACKED_TOO_LARGE');
  });

  test('refuses content nested 20,000 deep', async () => {
    const deep = `<text:p>${'<text:span>'.repeat(20_000)}x${'</text:span>'.repeat(20_000)}</text:p>`;
    expect((await refusal(extract(odt({ text: deep })))).code).toBe('TOO_DEEPLY_NESTED');
  });

  test('says a spreadsheet named .odt is not a text document', async () => {
    const error = await refusal(extract(odt({ text: '', mimetype: 'application/vnd.oasis.opendocument.spreadsheet' })));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/spreadsheet/u);
  });

  test('refuses a document with no text', async () => {
    expect((await refusal(extract(odt({ text: '<text:p/><text:p> </text:p>' })))).code).toBe('EMPTY_FILE');
  });
});
