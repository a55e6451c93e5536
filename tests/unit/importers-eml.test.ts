import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { emlImporter } from '../../src/core/importers/eml.ts';
import type { ExtractContext } from '../../src/core/importers/types.ts';
import type { KartotekaError } from '../../src/shared/errors.ts';
import { fixture, refusal as refusalOf, extractContext } from '../helpers.ts';

const context = (fileName: string, extra: Partial<ExtractContext> = {}): ExtractContext => extractContext(fileName, {}, extra);

const eml = (name: string): Uint8Array => readFileSync(fixture(`eml/${name}`));
const extract = (bytes: Uint8Array, fileName: string, extra: Partial<ExtractContext> = {}) =>
  emlImporter.extract(bytes, context(fileName, extra));
const crlf = (text: string): string => text.replace(/\r?\n/gu, '\r\n');
const ascii = (text: string): Buffer => Buffer.from(crlf(text), 'latin1');

const refusal = (bytes: Uint8Array, fileName: string): Promise<KartotekaError> => refusalOf(extract(bytes, fileName));

const body = 'Добрый день.\nВаше письмо осуждённому Громову П. А. передано адресату 14.04.2025.\nОтвет будет направлен после проверки цензором.';

describe('eml importer: letters', () => {
  it('reads a letter from a prison e-mail service with RFC 2047 headers and a quoted-printable body', async () => {
    const result = await extract(eml('prison-service-letter.eml'), 'prison-service-letter.eml');
    expect(result.text).toBe(
      [
        'Здравствуй, мама!',
        '',
        'Пишу тебе из ИК-7. У меня всё хорошо, работаю в швейном цехе, читаю книги, которые вы прислали.',
        'Передай Ольге Викторовне, что я получил её письмо и очень благодарен.',
        '',
        'Целую, твой Павел.',
      ].join('\n'),
    );
    expect(result.mediaType).toBe('message/rfc822');
    expect(result.textSource).toBe('text');
    expect(result.suggested).toEqual({
      kind: 'letter',
      title: 'Письмо от Громова П. А., ФКУ ИК-7, ответ на ваше письмо №48213',
      // Sent at 01:30 Moscow time: still 11 April in UTC, but the letter is dated the 12th.
      date: '2025-04-12',
      authors: ['Павел Громов (через «Письмо-Онлайн»)'],
      recipients: ['Нина Громова', 'Ольга Викторовна Лебедева', 'support@pismo-online.example'],
    });
    expect(result.details).toMatchObject({
      messageId: '<48213.reply@pismo-online.example>',
      from: 'Павел Громов (через «Письмо-Онлайн») <noreply@pismo-online.example>',
      to: ['Нина Громова <nina.gromova@example.org>'],
      cc: ['Ольга Викторовна Лебедева <o.lebedeva@example.net>', 'support@pismo-online.example'],
      date: '2025-04-11T22:30:00.000Z',
      attachments: 0,
    });
    expect(result.attachments).toEqual([]);
    expect(result.encoding).toMatchObject({ name: 'utf-8' });
  });

  it('reads a declared windows-1251 body and encoded words in windows-1251, with a two-digit year', async () => {
    const result = await extract(eml('cp1251.eml'), 'cp1251.eml');
    expect(result.text).toBe(body.replace('Ваше письмо', 'Сообщаем, что ваше письмо'));
    expect(result.encoding).toMatchObject({ name: 'windows-1251', source: 'declared' });
    expect(result.suggested).toMatchObject({
      title: 'Уведомление о доставке',
      authors: ['Служба «Письмо-Онлайн»'],
      recipients: ['nina.gromova@example.org'],
      date: '2025-04-14',
    });
  });

  it('detects a windows-1251 body that declares no charset', async () => {
    const message = Buffer.concat([
      ascii('From: noreply@pismo-online.example\nSubject: notice\nDate: Mon, 14 Apr 2025 16:45:10 +0300\n\n'),
      iconv.encode(crlf(`${body}\n`), 'windows-1251'),
    ]);
    const result = await extract(message, 'no-charset.eml');
    expect(result.encoding?.name).toBe('windows-1251');
    expect(result.text).toBe(body);
  });

  it('applies the encoding the user chose to a body whose charset label is wrong', async () => {
    const message = Buffer.concat([
      ascii('From: noreply@pismo-online.example\nSubject: notice\nContent-Type: text/plain; charset=windows-1251\n\n'),
      iconv.encode(`${body}\n`, 'koi8-r'),
    ]);
    const result = await extract(message, 'mislabelled.eml', { encodingOverride: 'koi8-r' });
    expect(result.encoding).toMatchObject({ name: 'koi8-r', source: 'override' });
    expect(result.text).toBe(body);
  });

  it('decodes a koi8-r part inside a multipart message by its declared charset', async () => {
    const message = Buffer.concat([
      ascii('From: a@example.org\nSubject: koi8\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n'),
      iconv.encode(crlf(body), 'koi8-r'),
      ascii('\n--B--\n'),
    ]);
    const result = await extract(message, 'koi8.eml');
    expect(result.text).toBe(body);
  });

  it('warns when a part without a charset label holds bytes that are not UTF-8', async () => {
    const message = Buffer.concat([
      ascii('From: a@example.org\nSubject: x\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\n'),
      iconv.encode(body, 'windows-1251'),
      ascii('\n--B--\n'),
    ]);
    const result = await extract(message, 'unlabelled-part.eml');
    expect(result.warnings?.join(' ')).toMatch(/could not be decoded/u);
  });

  it('joins format=flowed lines and accepts a message cut from an mbox file', async () => {
    const message = ascii(
      'From MAILER-DAEMON Sat Apr 12 10:15:00 2025\nFrom: a@example.org\nSubject: flowed\nContent-Type: text/plain; charset=utf-8; format=flowed\n\nThis line was \nwrapped by the mail client.\n-- \nA.\n',
    );
    const result = await extract(message, 'flowed.eml');
    expect(result.text).toBe('This line was wrapped by the mail client.\n-- \nA.');
    expect(result.suggested.authors).toEqual(['a@example.org']);
  });
});

describe('eml importer: HTML and attachments', () => {
  it('prefers the text/plain part of a multipart/alternative message', async () => {
    const result = await extract(eml('alternative.eml'), 'alternative.eml');
    expect(result.text).toBe('Дорогие друзья,\n\nсуд над Мариной Светловой перенесли на 20 мая. Приходите поддержать!\n\nКоманда кампании');
    expect(result.details['body']).toBe('plain');
    expect(result.suggested).toMatchObject({
      title: 'Суд перенесли на 20 мая',
      authors: ['Free Marina Campaign'],
      recipients: ['supporters@free-marina.example'],
      date: '2025-05-05',
    });
  });

  it('turns an HTML-only body into text and skips the inline logo it shows', async () => {
    const result = await extract(eml('html-only.eml'), 'html-only.eml');
    expect(result.text).toContain('Statement');
    expect(result.text).toContain('We, the relatives of Timur Aliev, ask the court to release him on bail.');
    expect(result.text).toContain('Signed: Zarema Alieva');
    expect(result.text).not.toMatch(/<[a-z]/u);
    expect(result.details).toMatchObject({ body: 'html', attachments: 0, skippedInlineImages: 1 });
    expect(result.attachments).toEqual([]);
  });

  it('hands over PDF and TXT attachments with their bytes untouched and safe names', async () => {
    const result = await extract(eml('with-attachments.eml'), 'with-attachments.eml');
    expect(result.text).toBe('Нина, во вложении приговор и черновик ходатайства.');
    expect(result.suggested.title).toBe('Документы для суда');
    const attachments = result.attachments ?? [];
    expect(attachments.map((a) => [a.name, a.mediaType])).toEqual([
      ['prigovor.pdf', 'application/pdf'],
      ['ходатайство.txt', 'text/plain'],
      // "../../secret/notes.bin" in the message: the folders are dropped.
      ['notes.bin', 'application/octet-stream'],
    ]);
    expect(Buffer.from(attachments[0]?.bytes ?? []).toString('latin1')).toMatch(/^%PDF-1\.4\n/u);
    // The TXT keeps its Windows-1251 bytes: the pipeline decodes it as a document of its own.
    expect(Buffer.from(attachments[1]?.bytes ?? [])).toEqual(
      iconv.encode('Ходатайство о свидании.\r\nПрошу разрешить свидание с сыном, Громовым Павлом Андреевичем.\r\n', 'windows-1251'),
    );
    expect([...(attachments[2]?.bytes ?? [])]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.details['attachments']).toBe(3);
  });

  it('imports an e-mail that is only an attachment, naming a nameless one by its type', async () => {
    const message = ascii(
      'From: a@example.org\nSubject: scan\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--B--\n',
    );
    const result = await extract(message, 'scan.eml');
    expect(result.text).toBe('');
    expect(result.attachments?.map((a) => a.name)).toEqual(['attachment-1.pdf']);
  });
});

describe('eml importer: files that are not e-mails or hold nothing', () => {
  it.each([
    ['a PDF', '%PDF-1.4\n1 0 obj\n<< >>\nendobj\n'],
    ['prose', 'Дорогая мама,\nпишу тебе из колонии.\n'],
    ['a field that no e-mail has', 'Color: blue\n\nhello\n'],
    ['binary bytes', '\u0000\u0001\u0002From: x\n\nhi'],
  ])('refuses %s as CORRUPT_FILE', async (_what, content) => {
    const error = await refusal(Buffer.from(content), 'message.eml');
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/not an e-mail message/u);
  });

  it('calls a message without body or attachments, and a zero-byte file, empty', async () => {
    expect((await refusal(ascii('From: a@example.org\nSubject: nothing\n'), 'headers.eml')).code).toBe('EMPTY_FILE');
    expect((await refusal(ascii('From: a@example.org\nSubject: blank\n\n \n\n'), 'blank.eml')).code).toBe('EMPTY_FILE');
    expect((await refusal(new Uint8Array(0), 'zero.eml')).code).toBe('EMPTY_FILE');
  });
});
