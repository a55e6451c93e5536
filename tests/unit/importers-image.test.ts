import { afterAll, describe, expect, it } from 'vitest';
import { imageImporter } from '../../src/core/importers/image.ts';
import { defaultLimits, type ExtractContext, type OcrEngine } from '../../src/core/importers/types.ts';
import { createOcrEngine, findTessdata } from '../../src/core/ocr.ts';
import { drawText, grayTiff, noise } from './pdf-fixtures.ts';

let engine: Promise<OcrEngine> | undefined;
const realOcr = (): Promise<OcrEngine> => (engine ??= createOcrEngine({ langPath: findTessdata(process.env) }));
afterAll(async () => {
  await (await engine)?.terminate();
});

async function context(overrides: Partial<ExtractContext> = {}): Promise<ExtractContext> {
  return {
    fileName: 'letter.png',
    limits: defaultLimits,
    repairMojibake: true,
    ocr: await realOcr(),
    ocrLanguages: ['rus', 'ukr', 'eng'],
    ...overrides,
  };
}

describe('image import', () => {
  it('recognises a Russian letter photographed as JPEG', async () => {
    const jpeg = await drawText(['Дорогая мама, у меня', 'всё хорошо. Твой Иван']).jpeg();
    const result = await imageImporter.extract(jpeg, await context({ fileName: 'letter.jpg' }));
    expect(result.textSource).toBe('ocr');
    expect(result.mediaType).toBe('image/jpeg');
    expect(result.text).toContain('мама');
    expect(result.text).toContain('Иван');
    expect(result.details.ocrConfidence).toBeGreaterThan(50);
  });

  it('reads every page of a multi-page TIFF and says which page each word is on', async () => {
    const tiff = grayTiff([drawText(['Первая страница'], { width: 700 }), drawText(['Вторая страница'], { width: 700 })]);
    const result = await imageImporter.extract(tiff, await context({ fileName: 'scan.tiff' }));
    expect(result.mediaType).toBe('image/tiff');
    expect(result.details).toMatchObject({ pages: 2, ocrPages: 2 });
    const page = (word: string): number | undefined => {
      const at = result.text.indexOf(word);
      return result.pages?.find((span) => at >= span.start && at < span.end)?.page;
    };
    expect(page('Первая')).toBe(1);
    expect(page('Вторая')).toBe(2);
  });

  it('names the TIFF compression it cannot decode instead of calling the file damaged', async () => {
    const tiff = grayTiff([drawText(['Письмо'], { width: 400 })]);
    // The third directory entry after the count is Compression (259): make it Deflate.
    const view = new DataView(tiff.buffer);
    expect(view.getUint16(8 + 2 + 3 * 12, true)).toBe(259);
    view.setUint16(8 + 2 + 3 * 12 + 8, 8, true);
    await expect(imageImporter.extract(tiff, await context({ fileName: 'scan.tif' }))).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: expect.stringContaining('Deflate'),
    });
  });

  it('keeps an image with no text, with empty text and a warning', async () => {
    const result = await imageImporter.extract(drawText([]).png, await context());
    expect(result.text).toBe('');
    expect(result.warnings).toEqual(['No text was recognised in this image.']);
  });

  it('calls random bytes named .png corrupt', async () => {
    await expect(imageImporter.extract(noise(5000), await context())).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('calls a PNG cut short corrupt', async () => {
    const png = drawText(['Письмо']).png;
    await expect(imageImporter.extract(png.subarray(0, png.length >> 1), await context())).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('refuses an image declaring more pixels than it is sensible to decode', async () => {
    const png = new Uint8Array(drawText(['Письмо']).png);
    const view = new DataView(png.buffer);
    view.setUint32(16, 30_000);
    view.setUint32(20, 30_000);
    await expect(imageImporter.extract(png, await context())).rejects.toMatchObject({ code: 'UNPACKED_TOO_LARGE' });
  });

  it('says what to install when OCR is not available', async () => {
    await expect(imageImporter.extract(drawText(['Письмо']).png, await context({ ocr: undefined }))).rejects.toMatchObject({
      code: 'OCR_UNAVAILABLE',
      message: expect.stringContaining('tesseract-ocr-rus'),
    });
  });
});
