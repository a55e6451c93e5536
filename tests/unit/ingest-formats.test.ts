import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { getDocument, updateDocument } from '../../src/core/documents.ts';
import { importPaths } from '../../src/core/import.ts';
import { reextractDocument } from '../../src/core/ingest/reextract.ts';
import { search } from '../../src/core/search/search.ts';
import { verifyArchive } from '../../src/core/verify.ts';
import type { ImportReport } from '../../src/shared/reports.ts';
import { fixture, tempDir } from '../helpers.ts';
import { docx, odt, wp } from './office-fixtures.ts';
import { textPdf } from './pdf-fixtures.ts';

const statement = ['Заявление родственников Мирона Соловьёва', 'Мы требуем немедленно освободить учителя истории из колонии ИК-7.'];

/** An archivist's folder: many formats, old encodings, damaged text, a pair, an e-mail, bad files. */
async function archivistFolder(): Promise<string> {
  const dir = tempDir('kartoteka-folder-');
  mkdirSync(join(dir, 'letters'));
  mkdirSync(join(dir, 'court'));
  mkdirSync(join(dir, 'calls'));
  mkdirSync(join(dir, 'mail'));
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'letters', 'koi8.txt'), iconv.encode('Письмо из Ольхового Лога\n\nДорогая мама, посылку получил, спасибо за тёплые носки.\n', 'koi8-r'));
  writeFileSync(join(dir, 'letters', 'ukrainian-cp1251.txt'), iconv.encode('Лист до редакції\n\nМи, родина, просимо підтримки. Їжа, єдність, ґанок.\n', 'windows-1251'));
  // UTF-8 Russian that went through a program reading it as windows-1251: "РџРёСЃСЊРјРѕ…"
  writeFileSync(join(dir, 'letters', 'damaged.txt'), Buffer.from(iconv.decode(Buffer.from('Письмо адвокату Ломтевой о свидании в колонии.\n', 'utf8'), 'windows-1251'), 'utf8'));
  writeFileSync(
    join(dir, 'letters', 'page.html'),
    iconv.encode(
      '<html><head><meta charset="windows-1251"><title>Новости кампании</title><script>var tracker = 1;</script></head><body><nav>Главная | О нас</nav><h1>Новости кампании</h1><p>Суд отклонил апелляцию Соловьёва.</p></body></html>',
      'windows-1251',
    ),
  );
  writeFileSync(join(dir, 'letters', 'statement.docx'), docx({ body: statement.map((line) => wp(line)).join(''), core: { title: 'Заявление родственников' } }));
  writeFileSync(join(dir, 'letters', 'statement.odt'), odt({ text: statement.map((line) => `<text:p>${line}</text:p>`).join('') }));
  writeFileSync(join(dir, 'court', 'ruling.pdf'), await textPdf([['ПРИГОВОР', 'Приозёрный окружной военный суд'], ['Назначить наказание в виде лишения свободы сроком на пять лет.']]));
  copyFileSync(fixture('audio/2025-04-12-call-anna.wav'), join(dir, 'calls', '2025-04-12-call-anna.wav'));
  copyFileSync(fixture('transcripts/2025-04-12-call-anna.vtt'), join(dir, 'calls', '2025-04-12-call-anna.vtt'));
  copyFileSync(fixture('eml/with-attachments.eml'), join(dir, 'mail', 'with-attachments.eml'));
  writeFileSync(join(dir, 'broken', 'random.docx'), Buffer.from('PK this is not really a zip file at all, only its first two letters'));
  writeFileSync(join(dir, 'broken', 'deep.html'), `<html><body>${'<div>'.repeat(5000)}глубоко${'</div>'.repeat(5000)}</body></html>`);
  return dir;
}

describe("an archivist's folder of mixed files in mixed encodings", () => {
  let archive: Archive;
  let dir: string;
  let report: ImportReport;
  const idOf = (suffix: string): string => {
    const item = [...report.imported, ...report.possibleDuplicates].find((i) => i.file.endsWith(suffix));
    if (!item) throw new Error(`${suffix} was not imported: ${JSON.stringify(report.failed)}`);
    return item.id;
  };

  beforeAll(async () => {
    dir = await archivistFolder();
    archive = Archive.create(join(tempDir(), 'archive'));
    report = await importPaths(archive, [dir], { workers: 2 });
  }, 120_000);

  it('reads every text format, whatever its encoding, into searchable text', () => {
    expect(getDocument(archive, idOf('koi8.txt'))).toMatchObject({ language: 'ru', encoding: { name: 'koi8-r' } });
    expect(getDocument(archive, idOf('koi8.txt')).text).toContain('тёплые носки');
    const uk = getDocument(archive, idOf('ukrainian-cp1251.txt'));
    expect(uk.text).toContain('Їжа, єдність, ґанок');
    expect(uk.language).toBe('uk');
    const page = getDocument(archive, idOf('page.html'));
    expect(page.text).toContain('Суд отклонил апелляцию Соловьёва.');
    expect(page.text).not.toMatch(/tracker|Главная/u);
    expect(page.title).toBe('Новости кампании');
    expect(getDocument(archive, idOf('statement.docx')).title).toBe('Заявление родственников');
    for (const word of ['носки', 'ґанок', 'апелляцию', 'освободить', 'лишения']) expect(search(archive, word).total, word).toBeGreaterThan(0);
  });

  it('repairs damaged text without touching the original, and records the repair', () => {
    const damaged = getDocument(archive, idOf('damaged.txt'));
    expect(damaged.text).toContain('Письмо адвокату Ломтевой');
    expect(damaged.repair).toEqual({ steps: ['utf-8 read as windows-1251'], reverted: false });
    const original = readFileSync(archive.blobs.pathOf(damaged.files[0]?.sha256 ?? ''), 'utf8');
    expect(original).toContain('РџРёСЃСЊРјРѕ');
  });

  it('keeps the pages of a PDF and recognises a court ruling by its heading', () => {
    const ruling = getDocument(archive, idOf('ruling.pdf'));
    expect(ruling.kind).toBe('court-document');
    expect(ruling.pages.map((p) => p.page)).toEqual([1, 2]);
    const page2 = ruling.pages[1];
    expect(ruling.text.slice(page2?.start, page2?.end)).toContain('лишения свободы');
  });

  it('pairs an audio message with its transcript and keeps every cue with its time', () => {
    const audio = getDocument(archive, idOf('call-anna.wav'));
    const transcript = getDocument(archive, idOf('call-anna.vtt'));
    expect(audio).toMatchObject({ kind: 'audio-message', textSource: 'none' });
    expect(audio.links).toEqual([expect.objectContaining({ id: transcript.id, kind: 'transcript', direction: 'from' })]);
    expect(transcript.kind).toBe('audio-message');
    expect(transcript.cues.length).toBeGreaterThan(2);
    const cue = transcript.cues[1];
    expect(cue?.start).toBeGreaterThan(0);
    expect(transcript.text.slice(cue?.textStart, cue?.textEnd).length).toBeGreaterThan(3);
  });

  it('turns an e-mail into a letter with its attachments as linked documents', () => {
    const mail = getDocument(archive, idOf('with-attachments.eml'));
    expect(mail.kind).toBe('letter');
    expect(mail.authors.length).toBe(1);
    const attachments = mail.links.filter((l) => l.kind === 'attachment' && l.direction === 'from');
    // All three are kept: the text one with its text, the unreadable PDF and the .bin as originals without text.
    expect(attachments).toHaveLength(3);
    expect(attachments.map((l) => l.title)).toEqual(expect.arrayContaining(['notes.bin', 'prigovor.pdf']));
    const unreadable = getDocument(archive, attachments.find((l) => l.title === 'notes.bin')?.id ?? '');
    expect(unreadable).toMatchObject({ textSource: 'none', text: '' });
    expect(unreadable.warnings[0]).toMatch(/Kept without text/u);
    for (const link of attachments) expect(getDocument(archive, link.id).links).toContainEqual(expect.objectContaining({ id: mail.id, kind: 'attachment', direction: 'to' }));
  });

  it('flags the ODT with the same text as the DOCX as a possible duplicate', () => {
    expect(report.possibleDuplicates).toEqual([expect.objectContaining({ file: join(dir, 'letters', 'statement.odt'), duplicateOf: idOf('statement.docx') })]);
  });

  it('explains every failure and still verifies', async () => {
    const failed = Object.fromEntries(report.failed.map((f) => [f.file.slice(dir.length), f.code]));
    expect(failed['/broken/random.docx']).toBe('CORRUPT_FILE');
    expect(failed['/broken/deep.html']).toBe('TOO_DEEPLY_NESTED');
    expect((await verifyArchive(archive)).ok).toBe(true);
  });
});

describe('reading a document again', () => {
  it('with an encoding the user chose, and back to detection', async () => {
    const archive = Archive.create(join(tempDir(), 'archive'));
    const { imported } = await importPaths(archive, [fixture('letter-cp1251.txt')]);
    const id = imported[0]?.id ?? '';
    expect(getDocument(archive, id).encoding).toMatchObject({ name: 'windows-1251', source: 'detected' });
    const wrong = await reextractDocument(archive, id, { encoding: 'koi8-r' });
    expect(wrong.encoding).toMatchObject({ name: 'koi8-r', source: 'override' });
    expect(wrong.text).not.toContain('Соловьёв');
    expect(search(archive, 'Соловьёв').total).toBe(0);
    const back = await reextractDocument(archive, id, { encoding: null });
    expect(back.text).toContain('Соловьёв передаёт привет');
    expect(search(archive, 'Соловьёв').total).toBe(1);
    const actions = (archive.db.prepare('SELECT action FROM audit_log WHERE subject = ? ORDER BY seq').all(id) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['document.import', 'document.reextract', 'document.reextract']);
    expect((await verifyArchive(archive)).ok).toBe(true);
    archive.close();
  });

  it('without the mojibake repair, and with it again, keeping what the user typed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'damaged.txt'), Buffer.from(iconv.decode(Buffer.from('Привет из колонии, мама.\nВсё хорошо.\n', 'utf8'), 'windows-1251'), 'utf8'));
    const archive = Archive.create(join(tempDir(), 'archive'));
    const { imported } = await importPaths(archive, [dir]);
    const id = imported[0]?.id ?? '';
    updateDocument(archive, id, { title: 'Письмо маме' });
    const raw = await reextractDocument(archive, id, { repairMojibake: false });
    expect(raw.text).toContain('РџСЂРёРІРµС‚');
    expect(raw.repair).toEqual({ steps: ['utf-8 read as windows-1251'], reverted: true });
    expect(raw.title).toBe('Письмо маме');
    const fixed = await reextractDocument(archive, id, { repairMojibake: true });
    expect(fixed.text).toContain('Привет из колонии');
    expect(fixed.repair?.reverted).toBe(false);
    archive.close();
  });
});

describe('a 200 MB text file on one line', () => {
  it('is imported whole, or refused clearly, without stopping the batch', async () => {
    const dir = tempDir();
    const line = Buffer.from('слово word '.repeat(100_000));
    const big = Buffer.alloc(200 * 1024 * 1024);
    for (let at = 0; at < big.length; at += line.length) line.copy(big, at);
    // Cut on a character boundary: the pattern's bytes repeat every line.length bytes.
    writeFileSync(join(dir, 'a-huge.txt'), big.subarray(0, Math.floor(big.length / line.length) * line.length));
    writeFileSync(join(dir, 'b-small.txt'), 'Короткое письмо из колонии, написанное после большого.');
    const archive = Archive.create(join(tempDir(), 'archive'));
    const report = await importPaths(archive, [dir], { workers: 1 });
    expect(report.failed).toEqual([]);
    expect(report.imported.map((i) => i.file)).toEqual([join(dir, 'a-huge.txt'), join(dir, 'b-small.txt')]);
    expect(search(archive, 'word').hits[0]?.file).toBe('a-huge.txt');
    expect(search(archive, 'Короткое').total).toBe(1);
    archive.close();
  }, 180_000);
});
