import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { documentHistory, getDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { reextractDocument } from '../../src/core/ingest/reextract.ts';
import { addRedaction, listRedactions, redactedText, removeRedaction } from '../../src/core/redactions.ts';
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

describe('redactedText', () => {
  it('blacks out each redacted character and keeps line breaks, so the text keeps its length', () => {
    const text = 'Адрес: ул. Ленина, 5\nкв. 12\r\nКонец';
    const start = text.indexOf('ул.');
    const end = text.indexOf('Конец');
    const out = redactedText(text, [{ start, end }]);
    expect(out).toBe(`Адрес: ${'█'.repeat('ул. Ленина, 5'.length)}\n██████\r\nКонец`);
    expect(out.length).toBe(text.length);
  });

  it('never cuts a character written as two code units in half', () => {
    expect(redactedText('a😀b', [{ start: 2, end: 3 }])).toBe('a██b');
  });

  it('leaves a text without spans as it is', () => {
    expect(redactedText('открыто', [])).toBe('открыто');
  });
});

describe('redactions of a document', () => {
  let archive: Archive;
  let id: string;
  const letter = 'Письмо\n\nПередайте посылку на адрес: Сегежа, ул. Северная, 7. Спросить Ольгу.';

  beforeEach(async () => {
    archive = Archive.create(join(tempDir('kartoteka-redactions-'), 'archive'));
    const report = await importBuffers(archive, [{ name: 'letter.txt', bytes: new TextEncoder().encode(letter) }]);
    id = report.imported[0]?.id ?? '';
  });

  it('adds spans, merges the ones that overlap or touch, and removes them', () => {
    const address = letter.indexOf('Сегежа');
    const name = letter.indexOf('Ольгу');
    addRedaction(archive, { documentId: id, start: address, end: address + 6, reason: 'адрес' });
    addRedaction(archive, { documentId: id, start: name, end: name + 5, reason: 'имя' });
    const spans = addRedaction(archive, { documentId: id, start: address + 3, end: letter.indexOf('7.') + 1, reason: 'адрес' });
    expect(spans.map((s) => [letter.slice(s.start, s.end), s.reason])).toEqual([
      ['Сегежа, ул. Северная, 7', 'адрес'],
      ['Ольгу', 'имя'],
    ]);
    expect(redactedText(getDocument(archive, id).text, listRedactions(archive, id))).toContain('адрес: ███████████████████████. Спросить █████.');
    expect(removeRedaction(archive, spans[1]?.id ?? 0).map((s) => s.reason)).toEqual(['адрес']);
    expect(documentHistory(archive, id).map((e) => e.action).filter((a) => a.startsWith('redaction'))).toEqual([
      'redaction.add',
      'redaction.add',
      'redaction.add',
      'redaction.remove',
    ]);
  });

  it('refuses spans outside the text, empty or backwards ones, and unknown documents', () => {
    expect(thrown(() => addRedaction(archive, { documentId: id, start: 0, end: letter.length + 1 })).code).toBe('INVALID_REQUEST');
    expect(thrown(() => addRedaction(archive, { documentId: id, start: 5, end: 5 })).code).toBe('INVALID_REQUEST');
    expect(thrown(() => addRedaction(archive, { documentId: id, start: 6, end: 2 })).code).toBe('INVALID_REQUEST');
    expect(thrown(() => addRedaction(archive, { documentId: '0000000000000000', start: 0, end: 1 })).code).toBe('NOT_FOUND');
    expect(thrown(() => removeRedaction(archive, 999)).code).toBe('NOT_FOUND');
    expect(listRedactions(archive, id)).toEqual([]);
  });
});

describe('redactions when a document is read again', () => {
  it('stay where they are when the text keeps its length (another single-byte encoding)', async () => {
    const archive = Archive.create(join(tempDir('kartoteka-redactions-reextract-'), 'archive'));
    const body = 'Письмо\n\nСпросить Ольгу у ворот колонии номер семь, в среду.';
    const report = await importBuffers(archive, [{ name: 'letter.txt', bytes: encode1251(body) }]);
    const id = report.imported[0]?.id ?? '';
    expect(getDocument(archive, id).text).toBe(body);
    const name = body.indexOf('Ольгу');
    addRedaction(archive, { documentId: id, start: name, end: name + 5, reason: 'имя' });
    await reextractDocument(archive, id, { encoding: 'koi8-r' });
    await reextractDocument(archive, id, { encoding: 'windows-1251' });
    expect(listRedactions(archive, id).map((s) => body.slice(s.start, s.end))).toEqual(['Ольгу']);
  });

  it('follow the words they covered when the text moves, drop what no longer fits, and say so in the audit log', async () => {
    const archive = Archive.create(join(tempDir('kartoteka-redactions-mojibake-'), 'archive'));
    // UTF-8 read as Windows-1251 and saved again: Kartoteka repairs it on import, and can undo the repair.
    const body = 'Письмо из колонии\n\nПередайте в IK-7 посылку. Спросить Ольгу у ворот в среду, она знает.';
    const mojibake = new TextEncoder().encode(new TextDecoder('windows-1251').decode(new TextEncoder().encode(body)));
    const report = await importBuffers(archive, [{ name: 'letter.txt', bytes: mojibake }]);
    const id = report.imported[0]?.id ?? '';
    expect(getDocument(archive, id).text).toBe(body);

    await reextractDocument(archive, id, { repairMojibake: false });
    const damaged = getDocument(archive, id).text;
    expect(damaged.length).toBeGreaterThan(body.length);
    const colony = damaged.indexOf('IK-7');
    addRedaction(archive, { documentId: id, start: colony, end: colony + 4, reason: 'колония' });
    addRedaction(archive, { documentId: id, start: damaged.length - 10, end: damaged.length, reason: 'конец' });

    await reextractDocument(archive, id, { repairMojibake: true });
    const repaired = getDocument(archive, id).text;
    expect(repaired).toBe(body);
    const spans = listRedactions(archive, id);
    expect(spans.map((s) => repaired.slice(s.start, s.end))).toEqual(['IK-7']);
    expect(redactedText(repaired, spans)).toContain('Передайте в ████ посылку.');
    const realign = documentHistory(archive, id).find((e) => e.action === 'redaction.realign');
    expect(realign?.details).toMatchObject({ moved: [{ to: [body.indexOf('IK-7'), body.indexOf('IK-7') + 4] }], dropped: [{ reason: 'конец' }] });
  });
});

/** Windows-1251 bytes of Russian text (the letters А-я and Ёё; ASCII as it is). */
function encode1251(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else if (code >= 0x410 && code <= 0x44f) out.push(code - 0x410 + 0xc0);
    else if (code === 0x401) out.push(0xa8);
    else if (code === 0x451) out.push(0xb8);
    else out.push(0x3f);
  }
  return new Uint8Array(out);
}
