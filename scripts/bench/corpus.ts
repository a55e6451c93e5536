import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';

const vocabulary: Record<'ru' | 'uk' | 'en', string[]> = {
  ru: 'письмо колония суд приговор адвокат свидание посылка здоровье апелляция жена дочь мама книги передача камера отряд начальник срок статья оправдание терроризма друзья поддержка новости погода зима весна работа библиотека учитель история школа город область правозащитник заявление'.split(' '),
  uk: 'лист колонія суд вирок адвокат побачення посилка здоров’я апеляція дружина донька мама книжки передача камера загін начальник строк стаття виправдання тероризму друзі підтримка новини погода зима весна робота бібліотека вчитель історія школа місто область правозахисник заява їжа єдність ґанок'.split(' '),
  en: 'letter colony court verdict lawyer visit parcel health appeal wife daughter mother books cell unit warden sentence article justification terrorism friends support news weather winter spring work library teacher history school town region defender statement'.split(' '),
};
const names: Record<'ru' | 'uk' | 'en', string[]> = {
  ru: ['Мирон Соловьёв', 'Анна Соловьёва', 'Вера Ломтева', 'Галина Петровна', 'Оксана Гребенюк'],
  uk: ['Мирон Соловйов', 'Оксана Гребенюк', 'Тарас Ковальчук', 'Олена Мельник'],
  en: ['Miron Solovyov', 'Anna Solovyova', 'Vera Lomteva', 'Clara Whitcombe'],
};

/** A deterministic pseudo-random source, so two runs generate the same corpus. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function documentText(language: 'ru' | 'uk' | 'en', bytes: number, rnd: () => number): string {
  const words = vocabulary[language];
  const people = names[language];
  const lines = [`${language === 'en' ? 'Letter from' : language === 'uk' ? 'Лист від' : 'Письмо от'} ${people[Math.floor(rnd() * people.length)]}`, ''];
  let size = lines[0]?.length ?? 0;
  while (size < bytes / (language === 'en' ? 1 : 1.8)) {
    const sentence = Array.from({ length: 6 + Math.floor(rnd() * 12) }, () => words[Math.floor(rnd() * words.length)]).join(' ');
    const line = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}, ${people[Math.floor(rnd() * people.length)]}.`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('\n');
}

const encodings: Record<'ru' | 'uk' | 'en', string[]> = {
  ru: ['utf-8', 'utf-8', 'windows-1251', 'koi8-r', 'cp866', 'utf-16le'],
  uk: ['utf-8', 'utf-8', 'windows-1251', 'koi8-u'],
  en: ['utf-8', 'windows-1252', 'utf-16le'],
};

/** Writes n text documents (1-20 KB, ru/uk/en, mixed encodings) under dir; returns bytes written. */
export function writeTextCorpus(dir: string, n: number, seed = 1): number {
  const rnd = random(seed);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const language = (['ru', 'uk', 'en'] as const)[i % 3] ?? 'ru';
    const text = documentText(language, 1024 + Math.floor(rnd() * 19 * 1024), rnd);
    const encoding = encodings[language][i % encodings[language].length] ?? 'utf-8';
    const body = encoding === 'utf-16le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]) : iconv.encode(text, encoding);
    const sub = join(dir, `folder-${String(Math.floor(i / 500)).padStart(3, '0')}`);
    if (i % 500 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `doc-${String(i).padStart(6, '0')}.txt`), body);
    total += body.length;
  }
  return total;
}
