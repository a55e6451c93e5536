import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrEngine } from '../../src/core/importers/types.ts';
import { createOcrEngine, findTessdata } from '../../src/core/ocr.ts';
import { tempDir } from '../helpers.ts';
import { drawText, noise } from './pdf-fixtures.ts';

const tessdata = findTessdata(process.env);

describe('findTessdata', () => {
  it('prefers KARTOTEKA_TESSDATA when it holds every requested language', () => {
    const dir = tempDir();
    for (const language of ['rus', 'ukr', 'eng']) writeFileSync(join(dir, `${language}.traineddata`), '');
    expect(findTessdata({ KARTOTEKA_TESSDATA: dir })).toBe(dir);
  });

  it('passes over a folder that lacks one of the languages', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rus.traineddata'), '');
    expect(findTessdata({ KARTOTEKA_TESSDATA: dir })).not.toBe(dir);
    expect(findTessdata({ KARTOTEKA_TESSDATA: dir }, ['rus'])).toBe(dir);
  });

  it('finds nothing for a language no folder holds', () => {
    expect(findTessdata({}, ['zzz'])).toBeUndefined();
  });

  it("finds Debian's language data on this machine (CI installs tesseract-ocr-rus/-ukr/-eng)", () => {
    expect(tessdata).toBeDefined();
  });
});

describe('OCR engine', () => {
  let engine: OcrEngine;
  const cacheDir = tempDir();
  beforeAll(async () => {
    engine = await createOcrEngine({ langPath: tessdata, cacheDir });
  });
  afterAll(async () => {
    await engine.terminate();
  });

  it('refuses a folder that does not exist, saying what to install', async () => {
    await expect(createOcrEngine({ langPath: join(tempDir(), 'missing') })).rejects.toMatchObject({
      code: 'OCR_UNAVAILABLE',
      message: expect.stringContaining('tesseract-ocr-rus'),
    });
  });

  it('fails at once, naming the package, when a language has no data', async () => {
    const image = drawText(['Проверка']).png;
    await expect(engine.recognize(image, ['rus', 'zzz'])).rejects.toMatchObject({
      code: 'OCR_UNAVAILABLE',
      message: expect.stringContaining('tesseract-ocr-zzz'),
    });
  });

  it('refuses language data that is not a traineddata file instead of hanging on it', async () => {
    const dir = join(tempDir(), 'tessdata');
    mkdirSync(dir);
    writeFileSync(join(dir, 'rus.traineddata'), noise(4096));
    const broken = await createOcrEngine({ langPath: dir });
    try {
      await expect(broken.recognize(drawText(['Проверка']).png, ['rus'])).rejects.toMatchObject({
        code: 'OCR_UNAVAILABLE',
        message: expect.stringContaining('not a traineddata file'),
      });
    } finally {
      await broken.terminate();
    }
  });

  it('reads Russian words from an image, after the failures above', async () => {
    const image = drawText(['Приговор Мещанского суда', 'осуждённый Соколов']).png;
    const result = await engine.recognize(image, ['rus', 'ukr', 'eng']);
    expect(result.text).toContain('Приговор');
    expect(result.text).toContain('Соколов');
    expect(result.confidence).toBeGreaterThan(50);
  });

  it('calls damaged image bytes a corrupt file', async () => {
    const png = drawText(['Проверка']).png;
    await expect(engine.recognize(png.subarray(0, png.length >> 1), ['rus'])).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('caches no copy of the language data, in the working directory or elsewhere', () => {
    expect(readdirSync(process.cwd()).filter((name) => name.endsWith('.traineddata'))).toEqual([]);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
