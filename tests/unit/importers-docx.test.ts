import { describe, expect, test } from 'vitest';
import { docxImporter } from '../../src/core/importers/docx.ts';
import { refusal } from '../helpers.ts';
import { context, docx, encryptedDocx, noise, oleCompoundFile, wp, zip } from './office-fixtures.ts';

const extract = (bytes: Uint8Array, limits = {}) => docxImporter.extract(bytes, context('letter.docx', limits));


describe('docxImporter', () => {
  test('reads a Russian letter: paragraphs, line breaks, tabs, and title, author and date from its properties', async () => {
    const bytes = docx({
      body:
        wp('Дорогая мама!') +
        wp('У меня всё хорошо, ', 'не волнуйся.') +
        '<w:p><w:r><w:t>ИК-7, отряд 3</w:t><w:br/><w:t>Сегежа</w:t></w:r></w:p>' +
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Дата:</w:t><w:tab/><w:t>15.03.2024</w:t></w:r></w:p>' +
        '<w:p/>' +
        wp('Твой сын Алексей'),
      core: { title: 'Письмо из ИК-7', creator: 'Алексей Соловьёв', created: '2024-03-15T09:30:00Z' },
    });
    const result = await extract(bytes);
    expect(result.text).toBe(
      'Дорогая мама!\n\nУ меня всё хорошо, не волнуйся.\n\nИК-7, отряд 3\nСегежа\n\nДата:\t15.03.2024\n\nТвой сын Алексей',
    );
    expect(result.suggested).toEqual({ title: 'Письмо из ИК-7', authors: ['Алексей Соловьёв'], date: '2024-03-15' });
    expect(result.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(result.textSource).toBe('text');
    expect(result.details['paragraphs']).toBe(5);
  });

  test('reads a Ukrainian statement with a table, a text box, a field, tracked changes and a footnote, each once', async () => {
    const textBox =
      '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>' +
      wp('Врізка: Свободу політв’язням!') +
      '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>' +
      wp('Врізка: Свободу політв’язням!') +
      '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>';
    const bytes = docx({
      body:
        wp('Заява родини') +
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>' +
        `<w:tr><w:tc><w:tcPr><w:tcW w:w="4000"/></w:tcPr>${wp('Ім’я')}</w:tc><w:tc>${wp('Дата арешту')}</w:tc></w:tr>` +
        `<w:tr><w:tc>${wp('Євген Ґонта')}</w:tc><w:tc>${wp('12.01.2023')}</w:tc></w:tr></w:tbl>` +
        textBox +
        '<w:p><w:r><w:t xml:space="preserve">Див. </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>' +
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' +
        '<w:r><w:t>сайт кампанії</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>' +
        '<w:p><w:r><w:t xml:space="preserve">Суд </w:t></w:r><w:del w:id="1" w:author="Ред"><w:r><w:delText>нарешті </w:delText></w:r></w:del>' +
        '<w:ins w:id="2" w:author="Ред"><w:r><w:t xml:space="preserve">знову </w:t></w:r></w:ins><w:r><w:t>відклав засідання.</w:t></w:r>' +
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r></w:p>',
      footnotes: `<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Ухвала від 3 квітня 2024 р.</w:t></w:r></w:p></w:footnote>`,
    });
    const result = await extract(bytes);
    expect(result.text).toBe(
      [
        'Заява родини',
        'Ім’я\tДата арешту\nЄвген Ґонта\t12.01.2023',
        'Врізка: Свободу політв’язням!',
        'Див. сайт кампанії',
        'Суд знову відклав засідання.',
        'Ухвала від 3 квітня 2024 р.',
      ].join('\n\n'),
    );
    expect(result.details['notes']).toBe(1);
    expect(result.suggested).toEqual({});
  });

  test('refuses random bytes named .docx as a damaged file', async () => {
    const error = await refusal(extract(noise(10_000)));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/letter\.docx is not a Word document/u);
  });

  test('refuses a zip without word/document.xml', async () => {
    const error = await refusal(extract(zip({ 'readme.txt': 'not a document' })));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/no Word document body/u);
  });

  test('says a password-protected DOCX is password-protected', async () => {
    const error = await refusal(extract(encryptedDocx()));
    expect(error.code).toBe('ENCRYPTED_FILE');
    expect(error.message).toMatch(/password-protected/u);
  });

  test('says an old .doc named .docx is an old Word document', async () => {
    const error = await refusal(extract(oleCompoundFile({ WordDocument: new Uint8Array(6000), '1Table': new Uint8Array(4096) })));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/Word 97-2003/u);
  });

  test('refuses a DOCX carrying a zip bomb', async () => {
    const bytes = docx({ body: wp('Текст'), files: { 'word/media/image1.png': new Uint8Array(50 * 1024 * 1024) } });
    const error = await refusal(extract(bytes));
    expect(error.code).toBe('UNPACKED_TOO_LARGE');
  });

  test('refuses a document body nested 20,000 deep', async () => {
    const deep = `<w:p>${'<w:sdt><w:sdtContent>'.repeat(20_000)}<w:r><w:t>x</w:t></w:r>${'</w:sdtContent></w:sdt>'.repeat(20_000)}</w:p>`;
    const error = await refusal(extract(docx({ body: deep })));
    expect(error.code).toBe('TOO_DEEPLY_NESTED');
  });

  test('refuses a damaged document body', async () => {
    const bytes = docx({ body: wp('Текст'), files: { 'word/document.xml': '<w:document xmlns:w="x"><w:body><w:p>' } });
    expect((await refusal(extract(bytes))).code).toBe('CORRUPT_FILE');
  });

  test('refuses a document with no text, but keeps one that only holds a picture, with a warning', async () => {
    expect((await refusal(extract(docx({ body: '<w:p/>' })))).code).toBe('EMPTY_FILE');
    const picture = await extract(docx({ body: '<w:p><w:r><w:drawing/></w:r></w:p>', files: { 'word/media/image1.jpeg': new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) } }));
    expect(picture.text).toBe('');
    expect(picture.warnings?.[0]).toMatch(/pictures but no text/u);
  });
});
