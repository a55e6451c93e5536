import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/core/text/language.ts';
import { sampleSourceDir } from '../helpers.ts';

interface ManifestEntry {
  file: string;
  language: string;
}

const manifest = (JSON.parse(readFileSync(join(sampleSourceDir, 'manifest.json'), 'utf8')) as { documents: ManifestEntry[] }).documents;

function readSample(file: string): string {
  const bytes = readFileSync(join(sampleSourceDir, file));
  return bytes[0] === 0xff ? new TextDecoder('utf-16le').decode(bytes) : bytes.toString('utf8');
}

describe('detectLanguage', () => {
  it.each(manifest.map((entry) => [entry.file, entry.language]))('finds the language of the sample document %s (%s)', (file, language) => {
    const result = detectLanguage(readSample(file));
    expect(result.language).toBe(language);
    expect(result.confidence).toBeGreaterThan(0.7);
  });

  it.each([
    ['ru', 'Суд отклонил апелляцию, а адвокат подала жалобу в кассационный суд.'],
    ['uk', 'Суд відхилив апеляцію, а адвокатка подала скаргу до касаційного суду.'],
    ['en', 'The court refused the appeal and the lawyer filed a complaint.'],
    ['de', 'Das Gericht hat die Berufung abgelehnt, die Anwältin legte Beschwerde ein.'],
    ['fr', 'Le tribunal a rejeté l’appel et l’avocate a déposé une plainte.'],
    ['es', 'El tribunal rechazó la apelación y la abogada presentó una queja.'],
    ['pt', 'O tribunal rejeitou o recurso e a advogada apresentou uma queixa.'],
    ['pl', 'Sąd odrzucił apelację, a adwokatka złożyła skargę kasacyjną.'],
    ['cs', 'Soud odvolání zamítl a advokátka podala stížnost.'],
    ['it', 'Il tribunale ha respinto il ricorso e l’avvocata ha presentato un reclamo.'],
    ['zh', '法院驳回了上诉，律师提出了申诉。'],
    ['be', 'Суд адхіліў апеляцыю, і адвакатка падала скаргу ў касацыйны суд.'],
    ['bg', 'Съдът отхвърли жалбата, а адвокатът подаде касационна жалба.'],
  ])('finds %s in a sentence', (language, text) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  // eld alone calls these Russian, Ukrainian, Serbian or Bulgarian: the letters decide.
  it.each([
    ['uk', 'соцмережі короткий допис'],
    ['uk', 'через розстебнутий ґудзик.'],
    ['ru', 'твоё письмо пока'],
    ['ru', 'у Соловьёва из'],
    ['ru', 'провёл в карантине,'],
  ])('lets the letters decide between Russian and Ukrainian where eld errs: %s for %j', (language, text) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it('calls a short Ukrainian line Ukrainian because of і, ї, є, ґ', () => {
    expect(detectLanguage('Дякую, мамо, їжі вистачає.').language).toBe('uk');
  });

  it('calls a short Russian line Russian because of ы, э', () => {
    expect(detectLanguage('Мы здесь, это ваш адрес.').language).toBe('ru');
  });

  it('keeps a Russian letter that quotes a Ukrainian phrase Russian', () => {
    const text = 'Вчера пришло письмо, и в нём было написано по-украински: «Тримайся, ми з тобою». Мы все очень обрадовались, это было неожиданно.';
    expect(detectLanguage(text).language).toBe('ru');
  });

  it.each([[''], ['12.03.2024'], ['ok'], ['— № 5 —'], ['Привет']])('returns und when there is too little text: %j', (text) => {
    expect(detectLanguage(text)).toEqual({ language: 'und', confidence: 0 });
  });

  it('is not swayed by web and e-mail addresses in a Russian text', () => {
    const text = 'Пишите нам: https://example.org/letters/solovyov-support-campaign и letters-to-miron@example.org — мы передадим.';
    expect(detectLanguage(text).language).toBe('ru');
  });

  it('reads the start of a long document: a Russian letter with a long English translation after it', () => {
    const russian = readSample('letters/2024-08-19-solovyov-to-wife.ru.txt');
    const english = readSample('letters/2024-08-19-solovyov-to-wife.en.txt').repeat(3);
    expect(detectLanguage(`${russian}\n\n${english}`).language).toBe('ru');
  });
});
