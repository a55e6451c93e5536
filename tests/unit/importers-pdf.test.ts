import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { pdfDate, pdfImporter, suggestionsFromInfo } from '../../src/core/importers/pdf.ts';
import { defaultLimits, type ExtractContext, type Extraction, type OcrEngine } from '../../src/core/importers/types.ts';
import { createOcrEngine, findTessdata } from '../../src/core/ocr.ts';
import { fixture } from '../helpers.ts';
import { blankPdf, mixedPdf, noise, scannedPdf, textPdf } from './pdf-fixtures.ts';

let engine: Promise<OcrEngine> | undefined;
const realOcr = (): Promise<OcrEngine> => (engine ??= createOcrEngine({ langPath: findTessdata(process.env) }));
afterAll(async () => {
  await (await engine)?.terminate();
});

function context(overrides: Partial<ExtractContext> = {}): ExtractContext {
  return {
    fileName: 'document.pdf',
    limits: defaultLimits,
    repairMojibake: true,
    ocr: undefined,
    ocrLanguages: ['rus', 'ukr', 'eng'],
    ...overrides,
  };
}

/** The page a search hit at `index` would cite. */
function pageAt(extraction: Extraction, index: number): number | undefined {
  return extraction.pages?.find((span) => index >= span.start && index < span.end)?.page;
}

/** An engine that records what it was given and answers without recognising anything. */
function recordingOcr(answer: string): OcrEngine & { images: Uint8Array[] } {
  const images: Uint8Array[] = [];
  return {
    images,
    recognize: (image) => {
      images.push(image);
      return Promise.resolve({ text: answer, confidence: 90 });
    },
    terminate: () => Promise.resolve(),
  };
}

describe('PDF with a text layer', () => {
  it('reads every page and says which page each word is on', async () => {
    const bytes = await textPdf(
      [
        ['ПРИГОВОР', 'именем Российской Федерации', 'Мещанский районный суд'],
        ['Суд установил: Соколов Иван участвовал', 'в одиночном пикете'],
        ['апелляционная жалоба', 'может быть подана в течение 15 суток'],
      ],
      { title: 'Приговор по делу Соколова', author: 'Мещанский районный суд', creationDate: new Date('2024-03-15T09:00:00Z') },
    );
    const size = bytes.length;
    const result = await pdfImporter.extract(bytes, context());

    expect(result.textSource).toBe('text');
    expect(result.mediaType).toBe('application/pdf');
    expect(result.details).toMatchObject({ pages: 3, ocrPages: 0 });
    expect(result.pages?.map((span) => span.page)).toEqual([1, 2, 3]);
    expect(pageAt(result, result.text.indexOf('ПРИГОВОР'))).toBe(1);
    expect(pageAt(result, result.text.indexOf('пикете'))).toBe(2);
    expect(pageAt(result, result.text.indexOf('апелляционная'))).toBe(3);
    const second = result.pages?.[1];
    expect(result.text.slice(second?.start, second?.end)).toBe('Суд установил: Соколов Иван участвовал\nв одиночном пикете');
    expect(result.text).toContain('\n\nСуд установил');
    expect(result.suggested).toMatchObject({ title: 'Приговор по делу Соколова', authors: ['Мещанский районный суд'], date: '2024-03-15' });
    // The pipeline stores the same bytes after extraction: they must not have been handed away.
    expect(bytes.length).toBe(size);
  });

  it('opens a PDF that only restricts printing and copying, without asking for a password', async () => {
    const result = await pdfImporter.extract(readFileSync(fixture('pdf/encrypted-owner-password-only.pdf')), context());
    expect(result.text).toContain('Statement of the Sokolov family');
  });
});

describe('scanned PDF', () => {
  it('recognises the words on an image-only page', async () => {
    const bytes = await scannedPdf([['Приговор суда Москвы', 'Verdict of the Moscow court']]);
    const result = await pdfImporter.extract(bytes, context({ ocr: await realOcr() }));
    expect(result.textSource).toBe('ocr');
    expect(result.text).toContain('Приговор');
    expect(result.text).toContain('Moscow');
    expect(result.details).toMatchObject({ pages: 1, ocrPages: 1 });
    expect(result.details.ocrConfidence).toBeGreaterThan(50);
    expect(pageAt(result, result.text.indexOf('Moscow'))).toBe(1);
  });

  it('without OCR, refuses a wholly scanned PDF saying what to install', async () => {
    const bytes = await scannedPdf([['Приговор']]);
    await expect(pdfImporter.extract(bytes, context())).rejects.toMatchObject({
      code: 'OCR_UNAVAILABLE',
      message: expect.stringContaining('tesseract-ocr-rus'),
    });
  });

  it('without OCR, keeps the text pages of a mixed PDF and names the scanned page it could not read', async () => {
    const bytes = await mixedPdf(['Ходатайство защиты о приобщении документов'], ['Справка']);
    const result = await pdfImporter.extract(bytes, context());
    expect(result.textSource).toBe('text');
    expect(result.text).toContain('Ходатайство защиты');
    expect(result.pages).toHaveLength(2);
    expect(result.warnings?.join(' ')).toMatch(/page 2 was not recognised/u);
  });

  it('recognises only as many scanned pages as the limit allows, and says so', async () => {
    const bytes = await scannedPdf([['Страница один'], ['Страница два'], ['Страница три']]);
    const ocr = recordingOcr('распознанный текст');
    const result = await pdfImporter.extract(bytes, context({ ocr, limits: { ...defaultLimits, maxOcrPages: 2 } }));
    expect(ocr.images).toHaveLength(2);
    // What the engine is given is a PNG rendering of the page.
    expect([...(ocr.images[0] ?? new Uint8Array()).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(result.details).toMatchObject({ pages: 3, ocrPages: 2 });
    expect(result.warnings?.join(' ')).toMatch(/first 2 scanned pages.*page 3/u);
    expect(result.pages?.[2]).toMatchObject({ page: 3 });
    expect(result.pages?.[2]?.start).toBe(result.pages?.[2]?.end);
  });

  it('stops between pages when the import is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(pdfImporter.extract(await textPdf([['Текст']]), context({ signal: controller.signal }))).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('PDF that cannot be imported', () => {
  it('calls a PDF cut in half corrupt', async () => {
    const bytes = await textPdf([['Первая страница приговора'], ['Вторая страница приговора']]);
    await expect(pdfImporter.extract(bytes.subarray(0, bytes.length >> 1), context())).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('calls random bytes named .pdf corrupt', async () => {
    await expect(pdfImporter.extract(noise(20_000), context())).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('asks for an unprotected copy of a password-protected PDF', async () => {
    await expect(pdfImporter.extract(readFileSync(fixture('pdf/encrypted-user-password.pdf')), context())).rejects.toMatchObject({
      code: 'ENCRYPTED_FILE',
      message: expect.stringContaining('password'),
    });
  });

  it('calls a PDF without pages, or with only blank pages, empty', async () => {
    // pdf.js reads a page tree of /Count 0 as one blank page.
    await expect(pdfImporter.extract(await blankPdf(0), context())).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(pdfImporter.extract(await blankPdf(3), context())).rejects.toMatchObject({ code: 'EMPTY_FILE', message: expect.stringContaining('blank') });
  });
});

describe('suggestions from the info dictionary', () => {
  it('reads partial PDF dates as written', () => {
    expect(pdfDate("D:20240315093000+03'00'")).toBe('2024-03-15');
    expect(pdfDate('D:202403')).toBe('2024-03');
    expect(pdfDate('D:2024')).toBe('2024');
    expect(pdfDate('D:20241399')).toBe('2024');
    expect(pdfDate('yesterday')).toBeUndefined();
  });

  it('drops office placeholders and repairs Windows-1251 titles read as Latin-1', () => {
    const cp1251AsLatin1 = String.fromCharCode(...new Uint8Array([0xcf, 0xf0, 0xe8, 0xe3, 0xee, 0xe2, 0xee, 0xf0, 0x20, 0xf1, 0xf3, 0xe4, 0xe0]));
    expect(suggestionsFromInfo({ Title: cp1251AsLatin1, Author: 'User' })).toEqual({ title: 'Приговор суда' });
    expect(suggestionsFromInfo({ Title: 'Microsoft Word - apelliaciia_Sokolov.docx', Author: 'Петрова А. В.; Иванов К. С.' })).toEqual({
      title: 'apelliaciia_Sokolov',
      authors: ['Петрова А. В.', 'Иванов К. С.'],
    });
    expect(suggestionsFromInfo({ Title: 'Élégie über Zürich' }).title).toBe('Élégie über Zürich');
  });
});
