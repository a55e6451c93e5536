import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../src/core/text/mojibake.ts';
import { sampleSourceDir } from '../helpers.ts';

/** What a program shows when it reads the UTF-8 bytes of `text` with the wrong codec. */
const misread = (text: string, codec: string): string => iconv.decode(Buffer.from(text, 'utf8'), codec);
/** The same through a browser's (WHATWG) decoder, which keeps the bytes Windows code pages leave undefined. */
const misreadWhatwg = (text: string, codec: string): string => new TextDecoder(codec).decode(Buffer.from(text, 'utf8'));

const russian = 'Привет, мама! Иван передаёт привет. Шахматы, чай и яблоки — всё хорошо.';
const ukrainian = 'Привіт, мамо! Їжа добра, ґанок новий, єдність і надія.';

describe('repairMojibake: each kind of damage', () => {
  it('undoes UTF-8 read as GBK: "鈥楾here are"', () => {
    expect(repairMojibake('鈥楾here are')).toMatchObject({ text: '‘There are', repair: { steps: ['utf-8 read as gbk'] } });
  });

  it('undoes UTF-8 read as windows-1252 with the last byte of ” lost: "â€œquotedâ€"', () => {
    expect(repairMojibake('â€œquotedâ€')).toMatchObject({ text: '“quoted”', repair: { steps: ['utf-8 read as windows-1252'] } });
  });

  it('undoes UTF-8 read as windows-1251: "РџСЂРёРІРµС‚"', () => {
    expect(repairMojibake('РџСЂРёРІРµС‚')).toMatchObject({ text: 'Привет', repair: { steps: ['utf-8 read as windows-1251'] } });
  });

  it('undoes a whole Russian letter read as windows-1251, "И" included (its 0x98 has no cp1251 character)', () => {
    const damaged = misread(russian, 'windows-1251');
    expect(damaged).toContain('Р\ufffd');
    expect(repairMojibake(damaged).text).toBe(russian);
  });

  it('undoes UTF-8 read as windows-1252 in Portuguese and French', () => {
    const text = 'São Paulo, ação e informação — voilà, “un café”, naïve.';
    expect(repairMojibake(misread(text, 'windows-1252'))).toMatchObject({ text, repair: { steps: ['utf-8 read as windows-1252'] } });
  });

  it('undoes UTF-8 read as latin-1, whose C1 controls stand in for quotes and dashes', () => {
    const text = 'He said “don’t worry” — it’s fine.';
    const damaged = misread(text, 'latin1');
    expect(damaged).toMatch(/\u0080/u);
    expect(repairMojibake(damaged)).toMatchObject({ text, repair: { steps: ['utf-8 read as iso-8859-1'] } });
  });

  it('undoes UTF-8 read as windows-1252 in Polish and Czech (Ł and č lose a byte there too)', () => {
    const text = 'Zażółć gęślą jaźń. Łódź. Příliš žluťoučký kůň.';
    expect(repairMojibake(misread(text, 'windows-1252')).text).toBe(text);
  });

  it('undoes UTF-8 read as KOI8-R: "п÷я─п╦п╡п╣я┌"', () => {
    const damaged = misread(russian, 'koi8-r');
    expect(damaged.startsWith('п÷я─п╦п╡п╣я┌')).toBe(true);
    expect(repairMojibake(damaged)).toMatchObject({ text: russian, repair: { steps: ['utf-8 read as koi8-r'] } });
  });

  it('undoes UTF-8 read as KOI8-U', () => {
    expect(repairMojibake(misread(ukrainian, 'koi8-u'))).toMatchObject({ text: ukrainian, repair: { steps: ['utf-8 read as koi8-u'] } });
  });

  it('undoes UTF-8 read as CP866: "╨Я╤А╨╕╨▓╨╡╤В"', () => {
    const damaged = misread(russian, 'cp866');
    expect(damaged.startsWith('╨Я╤А╨╕╨▓╨╡╤В')).toBe(true);
    expect(repairMojibake(damaged)).toMatchObject({ text: russian, repair: { steps: ['utf-8 read as ibm866'] } });
  });

  it('undoes an English paragraph read as GBK, quotes and dashes included', () => {
    const text = 'He said “don’t worry” — the appeal’s date is set.';
    expect(repairMojibake(misread(text, 'gbk')).text).toBe(text);
  });

  it('undoes Ukrainian read as windows-1251', () => {
    expect(repairMojibake(misread(ukrainian, 'windows-1251')).text).toBe(ukrainian);
  });

  it('undoes text damaged twice (UTF-8 read as cp1251, then that read as cp1252), outermost step first', () => {
    const twice = misreadWhatwg(misreadWhatwg(russian, 'windows-1251'), 'windows-1252');
    const result = repairMojibake(twice);
    expect(result.text).toBe(russian);
    expect(result.repair?.steps).toEqual(['utf-8 read as windows-1252', 'utf-8 read as windows-1251']);
    expect(result.repair?.scoreAfter).toBe(0);
    expect(result.repair?.scoreBefore).toBeGreaterThan(0);
  });

  it('undoes text damaged twice by a program that dropped the bytes windows-1252 leaves undefined', () => {
    expect(repairMojibake(misread(misread(russian, 'windows-1251'), 'windows-1252')).text).toBe(russian);
  });

  it('puts back no-break spaces that were turned into spaces ("Р РѕСЃСЃРёСЏ", "voilÃ  tout")', () => {
    expect(repairMojibake(misread('Россия', 'windows-1251').replace(/\u00a0/gu, ' ')).text).toBe('Россия');
    expect(repairMojibake(misread('voilà tout', 'windows-1252').replace(/\u00a0/gu, ' ')).text).toBe('voilà tout');
  });
});

describe('repairMojibake: damage inside good text', () => {
  it('repairs one damaged sentence in a Russian paragraph and leaves the rest', () => {
    const before = 'Это нормальный текст, Соловьёв пишет из ИК-7. ';
    const after = ' И снова нормальный текст: «всё хорошо».';
    const result = repairMojibake(before + misread('А это испорченное предложение.', 'windows-1251') + after);
    expect(result.text).toBe(`${before}А это испорченное предложение.${after}`);
  });

  it('repairs one damaged sentence in an English paragraph', () => {
    const result = repairMojibake(`Fine text. ${misread('Ce café est très “bon”.', 'windows-1252')} Fine again.`);
    expect(result.text).toBe('Fine text. Ce café est très “bon”. Fine again.');
  });

  it('repairs a lone damaged word whose every pair could also be a real letter ("Рё" for "и")', () => {
    expect(repairMojibake('Кошка Рё собака, мыши РІ норе.').text).toBe('Кошка и собака, мыши в норе.');
  });

  it('repairs a damaged line and leaves the good lines around it alone', () => {
    const good = 'Здравствуй, Анечка!\nВот я и на месте.';
    const result = repairMojibake(`${good}\n${misread('Целую, твой Мирон.', 'koi8-r')}\n${good}`);
    expect(result.text).toBe(`${good}\nЦелую, твой Мирон.\n${good}`);
  });
});

describe('repairMojibake: text that is fine is never touched', () => {
  const corpus: Array<[string, string]> = [
    ['Russian', 'Здравствуй, Анечка! Вот я и на месте — в ИК-7, отряд № 5. «Слово» и „цитата“. Сёмга, ещё, объявление, подъезд, съёмка. СІЗО? Нет: СИЗО. Р. Иванов. С тобой.'],
    ['Ukrainian', 'Мене звати Оксана. Їжак, ґанок, єдність, зв’язку, м’ясо, Рівне, Сєвєродонецьк, «НІ», 16 СІЧНЯ, ПРІЗВИЩЕ, ХІ століття, Ці слова.'],
    ['English', 'He said: “don’t worry” — it’s fine… The café’s owner paid €20 (approx. £17). © 2024 ® ™ 25°C ±2.'],
    ['French', 'Le café est très populaire, « à la française » ; l’été, où ça ? Œuvre, cœur, naïve, Noël, ÉTÉ, Ça va. «été»'],
    ['German', 'Grüße aus München! Der Fußball-Verein „Schön“ – „Gruß“ ÄÖÜ äöüß Straße.'],
    ['Spanish', '¿Qué tal? ¡Hola! El niño, año, señor, Bogotá, ÁREA, Núñez. 1.º 2.ª'],
    ['Portuguese', 'São Paulo, ação, informação, não, irmã, coração, pães, MANHÃ e NÃO. À noite.'],
    ['Polish', 'Zażółć gęślą jaźń. Łódź, Kraków, źdźbło, ŻÓŁW.'],
    ['Czech', 'Příliš žluťoučký kůň úpěl ďábelské ódy. Čeština, příští, můžeš, váž.'],
    ['Chinese', '中文文本测试，这是一个正常的句子。我们使用Python编程。“引号”和《书名》。'],
    ['symbols', 'Symbols: © ° € «» „“ – — № § ¶ • … ‰ † ‡ ½ ¼ ¾ × ÷ ² ³ µ · ¹ ª º 3×² 5÷2 x≤y a≥b m² 20°C'],
    ['Belarusian and Serbian', 'Беларуская: прыйшоў, ўсё, Ўладзімір. Српски: између, љубав, њега, ђак, ћерка, џеп.'],
    ['Greek, Hebrew, Arabic, Japanese, Korean', 'Ελληνικά: Αθήνα. עברית טקסט. العربية نص. 日本語のテキスト。한국어 텍스트.'],
    ['Nordic, Hungarian, Romanian, Turkish', 'Þetta er ðað. Åsa, ÅÄÖ. Ærø, øl. Őrült, őszi, ű. Română: ș ț ă î â. Türkçe: ğ ı ş.'],
    ['a table drawn with box characters', '┌────────┬────────┐\n│ Имя    │ Срок   │\n└────────┴────────┘'],
  ];

  it.each(corpus)('%s', (_language, text) => {
    const result = repairMojibake(text);
    expect(result.text).toBe(text);
    expect(result.repair).toBeUndefined();
  });

  const samples: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(?:txt|md)$/u.test(name) && name !== 'README.md') samples.push(path);
    }
  };
  walk(sampleSourceDir);

  it.each(samples.map((path) => [relative(sampleSourceDir, path), path]))('the sample document %s', (_name, path) => {
    const bytes = readFileSync(path);
    const text = bytes[0] === 0xff ? new TextDecoder('utf-16le').decode(bytes) : bytes.toString('utf8');
    const result = repairMojibake(text);
    expect(result.text).toBe(text);
    expect(result.repair).toBeUndefined();
  });
});
