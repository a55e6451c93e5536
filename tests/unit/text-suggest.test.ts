import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suggestMetadata } from '../../src/core/text/suggest.ts';
import { sampleSourceDir } from '../helpers.ts';

interface ManifestEntry {
  file: string;
  kind: string;
  title: string;
  language: string;
  date: string;
}

const manifest = (JSON.parse(readFileSync(join(sampleSourceDir, 'manifest.json'), 'utf8')) as { documents: ManifestEntry[] }).documents;

function readSample(file: string): string {
  const bytes = readFileSync(join(sampleSourceDir, file));
  const text = bytes[0] === 0xff ? new TextDecoder('utf-16le').decode(bytes) : bytes.toString('utf8');
  return text.replace(/^\ufeff/u, '');
}

const suggest = (text: string, fileName = 'document.txt'): ReturnType<typeof suggestMetadata> => suggestMetadata(text, { fileName });

describe('suggestMetadata on the sample documents', () => {
  it.each(manifest.map((entry) => [entry.file, entry]))('%s: date, kind and language as the archivists catalogued them', (file, entry) => {
    const suggested = suggestMetadata(readSample(file), { fileName: basename(file) });
    expect(suggested.date).toBe(entry.date);
    expect(suggested.language).toBe(entry.language);
    // Letters, statements and articles do not say what they are: no kind is guessed for them.
    expect(suggested.kind).toBe(entry.kind === 'court-document' || entry.kind === 'audio-message' ? entry.kind : undefined);
  });

  it('finds the date in the text, not only in the file name', () => {
    expect(suggestMetadata(readSample('court/2024-01-23-verdict-solovyov.ru.md'), { fileName: 'verdict.md' }).date).toBe('2024-01-23');
    expect(suggestMetadata(readSample('statements/2025-06-16-family-statement.uk.txt'), { fileName: 'statement.txt' }).date).toBe('2025-06-16');
    expect(suggestMetadata(readSample('articles/2025-03-18-borderline-review-soloviev.en.md'), { fileName: 'article.md' }).date).toBe('2025-03-18');
  });

  it('ignores a date told deep in the text (the petition recalls 2 March 2023) and uses the file name', () => {
    const text = readSample('petitions/2025-05-20-free-miron-solovyov.ru.md');
    expect(text).toContain('2 марта 2023 года');
    expect(suggestMetadata(text, { fileName: 'petition.md' }).date).toBeUndefined();
    expect(suggestMetadata(text, { fileName: '2025-05-20-petition.md' }).date).toBe('2025-05-20');
  });

  it.each([
    ['petitions/2025-05-20-free-miron-solovyov.ru.md', 'Освободите Мирона Соловьёва — учителя, осуждённого за слова'],
    ['petitions/2025-05-20-free-miron-solovyov.uk.md', 'Звільніть Мирона Соловйова — вчителя, засудженого за слова'],
    ['petitions/2025-05-20-free-miron-solovyov.de.md', 'Freiheit für Miron Solowjow – einen Lehrer, der für seine Worte verurteilt wurde'],
    ['articles/2025-03-18-borderline-review-soloviev.en.md', '"He taught them to argue": the history teacher serving five years for a comment'],
    ['court/2024-01-23-verdict-solovyov.ru.md', 'ПРИГОВОР'],
    ['court/2024-01-23-verdict-solovyov.en.md', 'JUDGMENT'],
    ['letters/2024-08-19-solovyov-to-wife.ru.txt', 'Здравствуй, Анечка!'],
    ['letters/2024-08-19-solovyov-to-wife.en.txt', 'Hello, my dear Anya'],
    ['statements/2025-06-16-family-statement.uk.txt', 'ЗАЯВА'],
    ['transcripts/2025-04-12-solovyov-call-birthday.ru.txt', 'РАСШИФРОВКА АУДИОСООБЩЕНИЯ'],
  ])('titles %s from its first heading or first line', (file, title) => {
    expect(suggestMetadata(readSample(file), { fileName: basename(file) }).title).toBe(title);
  });
});

describe('suggestMetadata: title', () => {
  it('skips a date line, a number, a rule and a WEBVTT header', () => {
    expect(suggest('19.08.2024\n\n3\n---\nПисьмо из ИК-7\nТекст письма.').title).toBe('Письмо из ИК-7');
    expect(suggest('WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nАня, ты меня слышишь?').title).toBe('Аня, ты меня слышишь?');
  });

  it('prefers a Markdown heading that follows a byline or a date', () => {
    expect(suggest('12 марта 2024 г.\n\n# Заявление семьи\n\nТекст.').title).toBe('Заявление семьи');
  });

  it('cleans Markdown and HTML out of the title', () => {
    expect(suggest('## **Free** [Miron](https://example.org) `now` ##\n\nText.').title).toBe('Free Miron now');
    expect(suggest('<b>Письмо</b> <i>маме</i>\nТекст.').title).toBe('Письмо маме');
  });

  it('takes the title from YAML front matter', () => {
    expect(suggest('---\ntitle: "Письмо из колонии"\nauthor: М. С.\n---\n\nДорогая мама!').title).toBe('Письмо из колонии');
  });

  it('cuts a long first line at a word, at most about 120 characters', () => {
    const line = 'Мирон пишет, что в колонии стало холодно, окна в отряде не закрываются, а в цеху пальцы не гнутся до обеда, и просит прислать тёплые носки и варежки.';
    const title = suggest(`${line}\nЕщё текст.`).title ?? '';
    expect(title.length).toBeLessThanOrEqual(121);
    expect(title.endsWith('…')).toBe(true);
    expect(line.startsWith(title.slice(0, -1))).toBe(true);
    expect(line.charAt(title.length - 1)).toBe(' ');
  });

  it('suggests no title for a text with no words', () => {
    expect(suggest('12.03.2024\n\n---\n42').title).toBeUndefined();
  });
});

describe('suggestMetadata: date', () => {
  it.each([
    ['12 марта 2024 г.', '2024-03-12'],
    ['Москва, 12.03.2024', '2024-03-12'],
    ['«16» червня 2025 року', '2025-06-16'],
    ['March 12, 2024', '2024-03-12'],
    ['London, 12 March 2024', '2024-03-12'],
    ['2024-03-12', '2024-03-12'],
    ['март 2024', '2024-03'],
    ['листопад 2024 р.', '2024-11'],
    ['Berlin, 16. Juni 2025', '2025-06-16'],
    ['Madrid, 16 de junio de 2025', '2025-06-16'],
    ['Paris, le 1er mai 2025', '2025-05-01'],
  ])('reads %j at the top of a document', (line, date) => {
    expect(suggest(`Письмо\n${line}\n\nТекст письма.`).date).toBe(date);
  });

  it.each([['30.02.2023'], ['2023-02-30'], ['31 апреля 2024']])('rejects the impossible date %j', (line) => {
    expect(suggest(`Письмо\n${line}\n\nТекст.`).date).toBeUndefined();
  });

  it.each([
    ['2024-03-12-letter.txt', '2024-03-12'],
    ['2025-02-x.txt', '2025-02'],
    ['scan_20240312.txt', '2024-03-12'],
    ['letter 12.03.2024.txt', '2024-03-12'],
    ['2023-02-30-letter.txt', undefined],
    ['letter-to-mother.txt', undefined],
  ])('reads the file name %j when the text has no date', (fileName, date) => {
    expect(suggestMetadata('Дорогая мама!\n\nВсё хорошо.', { fileName }).date).toBe(date);
  });

  it('prefers the date in the text to the one in the file name', () => {
    expect(suggestMetadata('27.11.2024\n\nДорогая мама!', { fileName: '2025-01-01-scan.txt' }).date).toBe('2024-11-27');
  });
});

describe('suggestMetadata: kind', () => {
  it.each([
    ['ПРИГОВОР\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\n\nг. Москва'],
    ['АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ\n\nСудебная коллегия по уголовным делам Московского городского суда'],
    ['ПОСТАНОВЛЕНИЕ\nо продлении срока содержания под стражей\n\nСудья Басманного районного суда г. Москвы'],
    ['# Решение\n\nИменем Российской Федерации. Мещанский районный суд'],
    ['ВИРОК\nІМЕНЕМ УКРАЇНИ\n\nм. Київ'],
    ['УХВАЛА\n\nСлідчий суддя Печерського районного суду міста Києва'],
    ['РІШЕННЯ\nІМЕНЕМ УКРАЇНИ\n\nОкружний адміністративний суд'],
    ['ПОСТАНОВА\n\nВерховний Суд у складі колегії суддів'],
    ['# JUDGMENT\n# IN THE NAME OF THE RUSSIAN FEDERATION'],
    ['IN THE HIGH COURT OF JUSTICE\nKING’S BENCH DIVISION'],
    ['RULING\n\nThe European Court of Human Rights, sitting as a Chamber'],
  ])('calls a court document one when its heading says so: %j', (text) => {
    expect(suggest(text).kind).toBe('court-document');
  });

  it('calls a WebVTT transcript an audio message', () => {
    expect(suggest('WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nАня?').kind).toBe('audio-message');
  });

  it('does not call a letter a court document because it mentions the verdict', () => {
    const letter = ['Дорогая мама!', 'Получил твоё письмо.', 'Носки уже на мне.', 'Здесь всё спокойно.', 'Адвокат говорит, что приговор могут смягчить в апелляции, но суд не торопится.'].join('\n\n');
    expect(suggest(letter).kind).toBeUndefined();
  });

  it('does not call an article about a verdict a court document', () => {
    expect(suggest('# Приговор Мирону Соловьёву: пять лет за пост\n\nСуд в Светлоозёрске вынес приговор.').kind).toBeUndefined();
    expect(suggest('Verdict day in Svetloozyorsk: what the court decided\n\nThe court sentenced him.').kind).toBeUndefined();
  });

  it('does not call a decree a court document when no court is named', () => {
    expect(suggest('ПОСТАНОВЛЕНИЕ\nПравительства Приозёрной области\n\nО порядке посещения учреждений.').kind).toBeUndefined();
  });

  it('guesses no kind for an ordinary letter', () => {
    expect(suggest('Дорогая мама!\n\nВсё хорошо.').kind).toBeUndefined();
  });
});

describe('suggestMetadata: language', () => {
  it('detects the language', () => {
    expect(suggest('Мене звати Оксана. Я пишу цю заяву українською, бо це моя мова.').language).toBe('uk');
  });

  it('keeps a language it is given', () => {
    expect(suggestMetadata('Мене звати Оксана. Я пишу цю заяву українською.', { fileName: 'x.txt', language: 'ru' }).language).toBe('ru');
  });
});
