// npm run bench -- search [--sizes 10000,100000] [--queries 500] [--typing-files 2000] [--details] [--keep]
// Generates archives of documents in ru/uk/en (1-20 KB, inflected words, names in every script
// and transliteration, metadata), builds them through insertDocument (the path an import commits
// through), and times the search the UI calls, per query class, beside the same queries run
// straight on a plain FTS5 table (unicode61, no analyzer) built from the same text in the same run.
// Also: open-to-first-result in a fresh process, RSS, and keystrokes while a bulk import runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { DocumentKind, DocumentMetadata } from '../../src/shared/document.ts';
import { Archive } from '../../src/core/archive.ts';
import { insertDocument } from '../../src/core/documents.ts';
import { importPaths } from '../../src/core/import.ts';
import { search } from '../../src/core/search/search.ts';
import { suggest } from '../../src/core/search/suggest.ts';
import { random, writeTextCorpus } from './corpus.ts';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { sizes: { type: 'string' }, queries: { type: 'string' }, 'typing-files': { type: 'string' }, details: { type: 'boolean' }, keep: { type: 'boolean' } },
});
const sizes = (values.sizes ?? '10000,100000').split(',').map((s) => Number(s.replaceAll('_', '')));
const perClass = Number(values.queries ?? 500);
const typingFiles = Number(values['typing-files'] ?? 2000);
if (sizes.some((n) => !Number.isInteger(n) || n < 100) || !(perClass > 0) || !(typingFiles >= 0)) {
  console.error('Usage: npm run bench -- search [--sizes 10000,100000] [--queries 500] [--typing-files 2000] [--details] [--keep]');
  process.exit(2);
}

const TARGET_P95_MS = 25;
const TARGET_RATIO = 3;
const TARGET_OPEN_MS = 1000;
const TARGET_RSS_MB = 600;
const TARGET_KEYSTROKE_MS = 100;
const BATCH = 500;
const WARMUP = 20;
const KEYSTROKE_EVERY_MS = 150;

type Lang = 'ru' | 'uk' | 'en';
const langs: readonly Lang[] = ['ru', 'uk', 'en'];
type Rnd = () => number;

function pick<T>(list: readonly T[], rnd: Rnd): T {
  const value = list[Math.floor(rnd() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}
/** Zipf-like (s = 1): index i is drawn with probability proportional to 1/(i+1). */
const zipf = (n: number, rnd: Rnd): number => Math.min(n - 1, Math.floor(Math.exp(rnd() * Math.log(n + 1)) - 1));
const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;

// ---------------------------------------------------------------------------------------------
// Vocabulary: common words with their inflected forms (one lemma per line), then a long tail of
// syllable-made words, so the index has a natural, Zipf-shaped vocabulary of tens of thousands of terms.

const functionWords: Record<Lang, string> = {
  ru: 'и в не на что с по к но как из за о от для это он она они мы я вы так уже еще только все его ее их мне меня нам тебе бы же ли до при после без через очень тоже когда где',
  uk: 'і в не на що з по до але як із за про від для це він вона вони ми я ви так вже ще тільки все його її їх мені мене нам тобі б ж чи при після без через дуже теж коли де',
  en: 'the a an and in not on that with by to but as from for of about this he she they we i you so already still only all his her their me us it is was were be been have has had will would at after without through very also when where',
};

const contentWords: Record<Lang, string> = {
  ru: `колония колонии колонию колонией колоний колониях
суд суда суду судом суде суды судов
приговор приговора приговору приговором приговоре
адвокат адвоката адвокату адвокатом адвокаты адвокатов
письмо письма письму письмом письме писем письмами
свидание свидания свиданию свиданием свиданий
посылка посылки посылку посылкой посылок
здоровье здоровья здоровью здоровьем
апелляция апелляции апелляцию апелляцией
жена жены жене жену женой
дочь дочери дочерью
мама мамы маме маму мамой
книга книги книгу книгой книг книгами
камера камеры камеру камерой
отряд отряда отряде отрядом
начальник начальника начальнику начальником
срок срока сроку сроком сроки
статья статьи статью статьей статей
друг друга другу другом друзья друзей друзьям
поддержка поддержки поддержку поддержкой
новость новости новостей новостями
погода погоды погоду
работа работы работе работу работой
библиотека библиотеки библиотеке библиотеку
история истории историю историей
город города городе городом
заявление заявления заявлению заявлением
время времени временем
день дня дню днем дни дней
год года году годом годы лет
жизнь жизни жизнью
человек человека человеку человеком люди людей людям
дело дела делу делом деле
защита защиты защите защиту защитой
следователь следователя следователю следователем
прокурор прокурора прокурору прокурором
судья судьи судье судью судьей
заседание заседания заседанию заседании
обвинение обвинения обвинению обвинением
свидетель свидетеля свидетелю свидетелем свидетели
показание показания показаний показаниями
лекарство лекарства лекарств лекарствами
врач врача врачу врачом
больница больницы больнице больницу
этап этапа этапе этапом
семья семьи семье семью семьей
сын сына сыну сыном
отец отца отцу отцом
мир мира миру миром
страна страны стране страну
война войны войне войну войной
свобода свободы свободе свободу свободой
право права праву правом прав
закон закона закону законом
протест протеста протесту протестом
газета газеты газете газету
журналист журналиста журналисту журналистом
вопрос вопроса вопросу вопросом вопросы
ответ ответа ответу ответом
слово слова слову словом слов
утро утра утром
вечер вечера вечером
зима зимы зиме зиму зимой
весна весны весне весну весной
лето лета летом
осень осени осенью
написать написал написала написали пишу пишет пишут
получить получил получила получили получаю получает
передать передал передала передали передаю
ждать жду ждет ждем ждут ждала
прочитать прочитал прочитала читаю читает
думать думаю думает думал думала
знать знаю знает знал знала знаем
говорить говорю говорит говорил говорила сказал сказала
прийти пришел пришла пришли приходит
отправить отправил отправила отправили
помогать помогает помогают помог помогла
решить решил решила решили решение решения
просить прошу просит просил просила
надеяться надеюсь надеется надеемся
обжаловать обжаловал обжаловали
рассмотреть рассмотрел рассмотрела рассмотрели
новый новая новое новые нового новой новым
большой большая большое большие большого
хороший хорошая хорошее хорошие хорошо
последний последняя последнее последние последнего
судебный судебная судебное судебного судебном
уголовный уголовная уголовное уголовного
политический политическая политические политического
долгий долгая долгое долгого долго
теплый теплая теплое теплые тепло
важный важная важное важные важно
трудный трудная трудно
сегодня вчера завтра теперь здесь там снова всегда никогда часто редко спасибо пожалуйста`,
  uk: `колонія колонії колонію колонією колоній колоніях
суд суду суді судом суди судів
вирок вироку вироком вироки
адвокат адвоката адвокату адвокатом адвокати адвокатів
лист листа листи листів листом листами
побачення побачень побаченням
посилка посилки посилку посилкою посилок
здоров’я здоров’ям
апеляція апеляції апеляцію апеляцією
дружина дружини дружині дружину дружиною
донька доньки доньці доньку донькою
мама мами мамі маму мамою
книжка книжки книжку книжкою книжок
камера камери камеру камерою
загін загону загоні
начальник начальника начальнику начальником
строк строку строком
стаття статті статтю статтею статей
друг друга другу другом друзі друзів
підтримка підтримки підтримку підтримкою
новина новини новину новин
погода погоди погоду
робота роботи роботі роботу роботою
бібліотека бібліотеки бібліотеці бібліотеку
історія історії історію історією
місто міста місті містом
заява заяви заяву заявою
час часу часом
день дня дню днем дні днів
рік року році роком роки років
життя життям
людина людини людині людиною люди людей
справа справи справі справу справою
захист захисту захистом
слідчий слідчого слідчому
прокурор прокурора прокурору прокурором
суддя судді суддею
засідання засідань засіданні
обвинувачення обвинуваченням
свідок свідка свідку свідком свідки
свідчення свідчень свідченнями
ліки ліків ліками
лікар лікаря лікарю лікарем
лікарня лікарні лікарню
етап етапу етапі етапом
родина родини родині родину родиною
син сина сину сином
батько батька батькові батьком
мир миру миром
країна країни країні країну
війна війни війні війну війною
свобода свободи свободі свободу свободою
право права праву правом прав
закон закону законом
протест протесту протестом
газета газети газеті газету
журналіст журналіста журналісту журналістом
питання питань питанням
відповідь відповіді відповіддю
слово слова слову словом слів
ранок ранку вранці
вечір вечора ввечері
зима зими взимку
весна весни навесні
літо літа влітку
осінь осені восени
написати написав написала написали пишу пише пишуть
отримати отримав отримала отримали отримую отримує
передати передав передала передали передаю
чекати чекаю чекає чекаємо чекають чекала
прочитати прочитав прочитала читаю читає
думати думаю думає думав думала
знати знаю знає знав знала знаємо
говорити говорю говорить говорив говорила сказав сказала
прийти прийшов прийшла прийшли приходить
відправити відправив відправила відправили
допомагати допомагає допомагають допоміг допомогла
вирішити вирішив вирішила вирішили рішення
просити прошу просить просив просила
сподіватися сподіваюся сподівається сподіваємося
оскаржити оскаржив оскаржили
розглянути розглянув розглянула розглянули
новий нова нове нові нового нової новим
великий велика велике великі великого
добрий добра добре добрі
останній остання останнє останні останнього
судовий судова судове судового судовому
кримінальний кримінальна кримінальне кримінального
політичний політична політичні політичного
довгий довга довге довгого довго
теплий тепла тепле теплі тепло
важливий важлива важливе важливі важливо
важкий важка важко
сьогодні вчора завтра тепер тут там знову завжди ніколи часто рідко дякую`,
  en: `colony colonies
court courts
verdict verdicts
lawyer lawyers
letter letters
visit visits visiting visited
parcel parcels
health
appeal appeals appealed
wife wives
daughter daughters
mother mothers
book books
cell cells
unit units
warden wardens
sentence sentences sentenced
article articles
friend friends
support supported supporting
news
weather
work worked working works
library libraries
history
town towns
statement statements
time times
day days
year years
life lives
person people
case cases
defence defense
investigator investigators
prosecutor prosecutors prosecution
judge judges judged
hearing hearings
charge charges charged
witness witnesses
testimony testimonies
medicine medicines
doctor doctors
hospital hospitals
transfer transfers transferred
family families
son sons
father fathers
peace
country countries
war wars
freedom
right rights
law laws
protest protests protested
newspaper newspapers
journalist journalists
question questions
answer answers answered
word words
morning mornings
evening evenings
winter spring summer autumn
write writes wrote written writing
receive receives received receiving
send sends sent sending
wait waits waited waiting
read reads reading
think thinks thought thinking
know knows knew known
say says said saying
come comes came coming
help helps helped helping
decide decides decided decision decisions
ask asks asked asking
hope hopes hoped hoping
review reviewed reviews
new newer newest
big bigger
good better best
last
judicial
criminal
political
long longer longest
warm warmer
important
hard harder
today yesterday tomorrow now here there again always never often rarely thanks please`,
};

interface Vocabulary {
  /** Function words first, then content words in a shuffled order: the order is the frequency rank. */
  common: string[];
  /** Content word forms only, for queries. */
  content: string[];
  /** Long-tail lemmas, each with its inflected forms. */
  tail: string[][];
}

const tailShapes: Record<Lang, { consonants: string; vowels: string; finals: string; classes: string[][] }> = {
  ru: {
    consonants: 'бвгдзклмнпрстфхчш',
    vowels: 'аоуеи',
    finals: 'нтлкрвсд',
    classes: [['', 'а', 'у', 'ом', 'ы', 'ов'], ['а', 'ы', 'у', 'ой', 'е'], ['ый', 'ого', 'ому', 'ая', 'ые']],
  },
  uk: {
    consonants: 'бвгдзклмнпрстфхчш',
    vowels: 'аоуеиі',
    finals: 'нтлкрвсд',
    classes: [['', 'а', 'у', 'ом', 'и', 'ів'], ['а', 'и', 'у', 'ою', 'і'], ['ий', 'ого', 'ому', 'а', 'і']],
  },
  en: {
    consonants: 'bcdfgklmnprstvz',
    vowels: 'aeiou',
    finals: 'nrltkms',
    classes: [['', 's', 'ed', 'ing'], ['', 's', 'er']],
  },
};
const TAIL_LEMMAS = 12_000;

function buildVocabulary(lang: Lang, rnd: Rnd): Vocabulary {
  const content = contentWords[lang].split(/\s+/u).filter(Boolean);
  const shuffled = [...content];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] ?? '', shuffled[i] ?? ''];
  }
  const shape = tailShapes[lang];
  const tail: string[][] = [];
  const seen = new Set<string>();
  while (tail.length < TAIL_LEMMAS) {
    let lemma = '';
    const syllables = 2 + Math.floor(rnd() * 2);
    for (let s = 0; s < syllables; s++) lemma += pick([...shape.consonants], rnd) + pick([...shape.vowels], rnd);
    lemma += pick([...shape.finals], rnd);
    if (seen.has(lemma)) continue;
    seen.add(lemma);
    tail.push(pick(shape.classes, rnd).map((ending) => lemma + ending));
  }
  return { common: [...functionWords[lang].split(' '), ...shuffled], content, tail };
}

// ---------------------------------------------------------------------------------------------
// People: surnames made of syllables, written per language, declined, and transliterated in the
// several ways English texts spell them.

interface Person {
  /** The full name per language, as metadata holds it. */
  full: Record<Lang, string>;
  /** Surname forms per language: case forms in ru and uk; spellings and possessives in en. First: nominative. */
  forms: Record<Lang, string[]>;
}

const initials: [string, string, string][] = [
  ['ка', 'ка', 'ka'], ['ло', 'ло', 'lo'], ['ми', 'мі', 'mi'], ['ры', 'ри', 'ry'], ['ше', 'ше', 'she'], ['ва', 'ва', 'va'],
  ['ко', 'ко', 'ko'], ['бе', 'бе', 'be'], ['ни', 'ні', 'ni'], ['ту', 'ту', 'tu'], ['пи', 'пі', 'pi'], ['до', 'до', 'do'],
  ['зе', 'зе', 'ze'], ['ля', 'ля', 'lya'], ['сю', 'сю', 'syu'], ['хо', 'хо', 'kho'], ['жу', 'жу', 'zhu'], ['чи', 'чі', 'chi'],
  ['па', 'па', 'pa'], ['ре', 'ре', 're'], ['се', 'се', 'se'], ['да', 'да', 'da'], ['ба', 'ба', 'ba'], ['го', 'го', 'go'],
  ['му', 'му', 'mu'], ['ти', 'ті', 'ti'], ['фе', 'фе', 'fe'], ['ша', 'ша', 'sha'], ['ци', 'ці', 'tsi'], ['ру', 'ру', 'ru'],
];
const finals: [string, string, string][] = [
  ['гар', 'гар', 'gar'], ['лит', 'літ', 'lit'], ['мар', 'мар', 'mar'], ['тин', 'тин', 'tin'], ['сол', 'сол', 'sol'],
  ['вол', 'вол', 'vol'], ['ков', 'ков', 'kov'], ['мел', 'мел', 'mel'], ['бор', 'бор', 'bor'], ['рад', 'рад', 'rad'],
  ['слав', 'слав', 'slav'], ['вин', 'він', 'vin'], ['дар', 'дар', 'dar'], ['пет', 'пет', 'pet'], ['гор', 'гор', 'gor'],
  ['рос', 'рос', 'ros'], ['зин', 'зін', 'zin'], ['тар', 'тар', 'tar'], ['кур', 'кур', 'kur'], ['шан', 'шан', 'shan'],
  ['лев', 'лев', 'lev'], ['фед', 'фед', 'fed'], ['рен', 'рен', 'ren'], ['мих', 'міх', 'mikh'], ['дуб', 'дуб', 'dub'],
  ['сак', 'сак', 'sak'], ['нож', 'нож', 'nozh'], ['хар', 'хар', 'khar'], ['чер', 'чер', 'cher'], ['лоз', 'лоз', 'loz'],
];
type Endings = Record<Lang, string[]>;
const maleEndings: Endings[] = [
  { ru: ['ский', 'ского', 'скому', 'ским'], uk: ['ський', 'ського', 'ському', 'ським'], en: ['sky', 'skiy', 'skii', 'sky’s'] },
  { ru: ['ов', 'ова', 'ову', 'овым'], uk: ['ов', 'ова', 'ову', 'овим'], en: ['ov', 'off', 'ov’s'] },
  { ru: ['енко'], uk: ['енко'], en: ['enko', 'enko’s'] },
  { ru: ['ин', 'ина', 'ину', 'иным'], uk: ['ін', 'іна', 'іну', 'іним'], en: ['in', 'in’s'] },
  { ru: ['ук', 'ука', 'уку', 'уком'], uk: ['ук', 'ука', 'уку', 'уком'], en: ['uk', 'uk’s'] },
  { ru: ['ич', 'ича', 'ичу', 'ичем'], uk: ['ич', 'ича', 'ичу', 'ичем'], en: ['ich', 'ych', 'ich’s'] },
  { ru: ['ёв', 'ёва', 'ёву', 'ёвым'], uk: ['йов', 'йова', 'йову', 'йовим'], en: ['yov', 'yev', 'ev'] },
];
const femaleEndings: Endings[] = [
  { ru: ['ская', 'ской', 'скую'], uk: ['ська', 'ської', 'ську'], en: ['skaya', 'skaia'] },
  { ru: ['ова', 'овой', 'ову'], uk: ['ова', 'ової', 'ову'], en: ['ova', 'ova’s'] },
  { ru: ['енко'], uk: ['енко'], en: ['enko'] },
  { ru: ['ина', 'иной', 'ину'], uk: ['іна', 'іної', 'іну'], en: ['ina'] },
  { ru: ['ук'], uk: ['ук'], en: ['uk'] },
  { ru: ['ёва', 'ёвой', 'ёву'], uk: ['йова', 'йової', 'йову'], en: ['yova', 'eva'] },
];
const maleFirst: [string, string, string][] = [
  ['Борис', 'Борис', 'Boris'], ['Михаил', 'Михайло', 'Mikhail'], ['Алексей', 'Олексій', 'Alexei'], ['Сергей', 'Сергій', 'Sergei'],
  ['Андрей', 'Андрій', 'Andrei'], ['Дмитрий', 'Дмитро', 'Dmitry'], ['Иван', 'Іван', 'Ivan'], ['Павел', 'Павло', 'Pavel'],
  ['Николай', 'Микола', 'Nikolai'], ['Олег', 'Олег', 'Oleg'], ['Игорь', 'Ігор', 'Igor'], ['Юрий', 'Юрій', 'Yuri'],
  ['Тарас', 'Тарас', 'Taras'], ['Максим', 'Максим', 'Maxim'], ['Владимир', 'Володимир', 'Vladimir'], ['Евгений', 'Євген', 'Evgeny'],
  ['Виктор', 'Віктор', 'Viktor'], ['Илья', 'Ілля', 'Ilya'], ['Григорий', 'Григорій', 'Grigory'], ['Роман', 'Роман', 'Roman'],
];
const femaleFirst: [string, string, string][] = [
  ['Анна', 'Ганна', 'Anna'], ['Мария', 'Марія', 'Maria'], ['Елена', 'Олена', 'Elena'], ['Ольга', 'Ольга', 'Olga'],
  ['Наталья', 'Наталія', 'Natalia'], ['Ирина', 'Ірина', 'Irina'], ['Екатерина', 'Катерина', 'Ekaterina'], ['Татьяна', 'Тетяна', 'Tatiana'],
  ['Юлия', 'Юлія', 'Yulia'], ['Светлана', 'Світлана', 'Svetlana'], ['Оксана', 'Оксана', 'Oksana'], ['Вера', 'Віра', 'Vera'],
  ['Галина', 'Галина', 'Galina'], ['Людмила', 'Людмила', 'Lyudmila'], ['Дарья', 'Дарина', 'Daria'],
];
const PEOPLE = 300;

function buildPeople(rnd: Rnd): Person[] {
  const people: Person[] = [
    {
      full: { ru: 'Борис Кагарлицкий', uk: 'Борис Кагарлицький', en: 'Boris Kagarlitsky' },
      forms: {
        ru: ['Кагарлицкий', 'Кагарлицкого', 'Кагарлицкому', 'Кагарлицким'],
        uk: ['Кагарлицький', 'Кагарлицького', 'Кагарлицькому', 'Кагарлицьким'],
        en: ['Kagarlitsky', 'Kagarlitskiy', 'Kagarlitzky', 'Kagarlitsky’s'],
      },
    },
  ];
  const seen = new Set(['Kagarlitsky']);
  while (people.length < PEOPLE) {
    const female = rnd() < 0.4;
    const parts = [pick(initials, rnd), ...(rnd() < 0.5 ? [pick(initials, rnd)] : []), pick(finals, rnd)];
    const endings = pick(female ? femaleEndings : maleEndings, rnd);
    const first = pick(female ? femaleFirst : maleFirst, rnd);
    const root = (i: 0 | 1 | 2): string => capitalize(parts.map((p) => p[i]).join(''));
    const forms: Record<Lang, string[]> = {
      ru: endings.ru.map((e) => root(0) + e),
      uk: endings.uk.map((e) => root(1) + e),
      en: endings.en.map((e) => root(2) + e),
    };
    // English texts spell one name several ways: Kh or H, ts or tz.
    const english = forms.en[0] ?? '';
    if (english.includes('kh')) forms.en.push(english.replace('kh', 'h'));
    if (english.includes('ts')) forms.en.push(english.replace('ts', 'tz'));
    if (seen.has(english)) continue;
    seen.add(english);
    people.push({
      full: { ru: `${first[0]} ${forms.ru[0] ?? ''}`, uk: `${first[1]} ${forms.uk[0] ?? ''}`, en: `${first[2]} ${english}` },
      forms,
    });
  }
  return people;
}

// ---------------------------------------------------------------------------------------------
// Documents.

const kinds: { kind: DocumentKind; weight: number; title: Record<Lang, string> }[] = [
  { kind: 'letter', weight: 40, title: { ru: 'Письмо', uk: 'Лист', en: 'Letter' } },
  { kind: 'court-document', weight: 15, title: { ru: 'Приговор по делу', uk: 'Вирок у справі', en: 'Verdict in case' } },
  { kind: 'statement', weight: 15, title: { ru: 'Заявление', uk: 'Заява', en: 'Statement' } },
  { kind: 'article', weight: 15, title: { ru: 'Статья', uk: 'Стаття', en: 'Article' } },
  { kind: 'audio-message', weight: 5, title: { ru: 'Аудиосообщение', uk: 'Аудіоповідомлення', en: 'Audio message' } },
  { kind: 'testimony', weight: 10, title: { ru: 'Показания', uk: 'Свідчення', en: 'Testimony' } },
];
const tags = ['appeal', 'health', 'visit', 'parcel', 'transfer', 'hunger-strike', 'verdict', 'support', 'press', 'апелляция', 'здоровье', 'этап'];
const caseNames = Array.from({ length: 50 }, (_, i) => `${1 + (i % 3)}-${17 + i * 7}/${2015 + (i % 11)}`);
const caseWords: Record<Lang, string> = { ru: 'по делу', uk: 'у справі', en: 'in case' };
const sensitivityOf = (r: number): DocumentMetadata['sensitivity'] => (r < 0.6 ? 'public' : r < 0.9 ? 'internal' : 'confidential');

interface GeneratedDocument {
  id: string;
  meta: DocumentMetadata;
  text: string;
  bytes: number;
}

class Corpus {
  readonly vocabularies: Record<Lang, Vocabulary>;
  readonly people: Person[];
  /** Two or three consecutive words of generated sentences, for phrase queries (reservoir sample). */
  readonly phrases: string[][] = [];
  private offered = 0;
  private readonly rnd: Rnd;
  private readonly phraseRnd: Rnd;

  constructor(seed: number) {
    const setup = random(seed);
    this.vocabularies = { ru: buildVocabulary('ru', setup), uk: buildVocabulary('uk', setup), en: buildVocabulary('en', setup) };
    this.people = buildPeople(setup);
    this.rnd = random(seed + 1);
    this.phraseRnd = random(seed + 2);
  }

  /** Someone of the pool, the first ones far more often (an archive centres on a few people). */
  person(rnd: Rnd = this.rnd): Person {
    return this.people[zipf(this.people.length, rnd)] ?? pick(this.people, rnd);
  }

  word(lang: Lang, rnd: Rnd = this.rnd): string {
    const vocabulary = this.vocabularies[lang];
    if (rnd() < 0.86) return vocabulary.common[zipf(vocabulary.common.length, rnd)] ?? '';
    return pick(vocabulary.tail[zipf(vocabulary.tail.length, rnd)] ?? [''], rnd);
  }

  private offerPhrase(words: string[]): void {
    if (words.length < 3) return;
    const length = 2 + Math.floor(this.phraseRnd() * 2);
    const start = Math.floor(this.phraseRnd() * (words.length - length + 1));
    const phrase = words.slice(start, start + length);
    if (phrase.some((w) => !/^[\p{L}’]+$/u.test(w))) return;
    this.offered++;
    if (this.phrases.length < 3000) this.phrases.push(phrase);
    else {
      const j = Math.floor(this.phraseRnd() * this.offered);
      if (j < 3000) this.phrases[j] = phrase;
    }
  }

  document(i: number): GeneratedDocument {
    const rnd = this.rnd;
    const r = rnd();
    const lang: Lang = r < 0.45 ? 'ru' : r < 0.7 ? 'uk' : 'en';
    let w = rnd() * 100;
    const kind = kinds.find((k) => (w -= k.weight) < 0) ?? kinds[0];
    if (!kind) throw new Error('no kinds');
    const authors = [this.person()];
    if (rnd() < 0.1) authors.push(this.person());
    const recipients = Array.from({ length: Math.floor(rnd() * 3) }, () => this.person());
    const mentioned = [...authors, ...recipients, ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(this.people, rnd))];
    const caseName = pick(caseNames, rnd);
    const year = 2015 + Math.floor(rnd() * 11);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const d = rnd();
    const date = d < 0.05 ? null : d < 0.15 ? String(year) : d < 0.3 ? `${year}-${String(month).padStart(2, '0')}` : `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const author = authors[0] ?? this.person();
    const title = kind.kind === 'court-document' ? `${kind.title[lang]} ${caseName}` : `${kind.title[lang]} — ${author.full[lang]}`;
    const target = 1024 + Math.floor(rnd() * 19 * 1024);
    const header = `${title}\n\n`;
    const parts: string[] = [header];
    let bytes = Buffer.byteLength(header);
    while (bytes < target) {
      const words: string[] = [];
      const n = 6 + Math.floor(rnd() * 12);
      for (let k = 0; k < n; k++) words.push(this.word(lang));
      if (rnd() < 0.35) {
        const person = pick(mentioned, rnd);
        const mention = rnd() < 0.3 ? person.full[lang] : pick(person.forms[lang], rnd);
        words.splice(Math.floor(rnd() * words.length), 0, mention);
      }
      if (rnd() < 0.04) words.push(caseWords[lang], caseName);
      if (this.phraseRnd() < 0.02) this.offerPhrase(words);
      const sentence = `${capitalize(words.join(' '))}${rnd() < 0.1 ? '?' : '.'}${rnd() < 0.2 ? '\n' : ' '}`;
      parts.push(sentence);
      bytes += Buffer.byteLength(sentence);
    }
    const text = parts.join('').trimEnd();
    const meta: DocumentMetadata = {
      kind: kind.kind,
      title,
      language: lang,
      date,
      dateApproximate: false,
      authors: authors.map((p) => p.full[lang]),
      recipients: recipients.map((p) => p.full[lang]),
      source: 'bench',
      sensitivity: sensitivityOf(rnd()),
      tags: rnd() < 0.7 ? [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => pick(tags, rnd)))] : [],
      cases: rnd() < 0.6 ? [caseName] : [],
      notes: '',
      translationOf: null,
      translator: '',
      translationStatus: null,
    };
    return { id: `d${String(i).padStart(9, '0')}`, meta, text, bytes: Buffer.byteLength(text) };
  }
}

// ---------------------------------------------------------------------------------------------
// Queries, each with its nearest raw-FTS5 form.

type QueryClass = 'word' | 'phrase' | 'prefix' | 'fuzzy' | 'filtered';
const classes: readonly QueryClass[] = ['word', 'phrase', 'prefix', 'fuzzy', 'filtered'];

interface Query {
  cls: QueryClass;
  text: string;
  raw: { match: string; where: string[]; params: SQLInputValue[] };
}

const ftsQuote = (text: string): string => `"${text.replaceAll('"', '""')}"`;
const alphabets: Record<Lang, string> = { ru: 'абвгдежзийклмнопрстуфхцчшщыэюя', uk: 'абвгґдеєжзиіїйклмнопрстуфхцчшщьюя', en: 'abcdefghijklmnopqrstuvwxyz' };

function typo(word: string, rnd: Rnd): string {
  const letters = [...word];
  const alphabet = [...alphabets[/[a-z]/iu.test(word) ? 'en' : /[ґєії]/iu.test(word) ? 'uk' : 'ru']];
  for (;;) {
    const out = [...letters];
    const at = 1 + Math.floor(rnd() * (out.length - 1));
    const op = rnd();
    if (op < 0.4) out[at] = pick(alphabet, rnd);
    else if (op < 0.6) out.splice(at, 1);
    else if (op < 0.8) out.splice(at, 0, pick(alphabet, rnd));
    else if (at < out.length - 1) [out[at], out[at + 1]] = [out[at + 1] ?? '', out[at] ?? ''];
    const result = out.join('');
    if (result.toLowerCase() !== word.toLowerCase()) return result;
  }
}

function makeQueries(corpus: Corpus, perClassCount: number, seed: number): Record<QueryClass, Query[]> {
  const rnd = random(seed);
  const lang = (): Lang => pick(langs, rnd);
  const surname = (l: Lang = lang()): string => pick((rnd() < 0.5 ? corpus.person(rnd) : pick(corpus.people, rnd)).forms[l], rnd);
  const content = (l: Lang = lang()): string => pick(corpus.vocabularies[l].content, rnd);
  const tail = (l: Lang = lang()): string => pick(corpus.vocabularies[l].tail[zipf(1000, rnd)] ?? [''], rnd);
  /** A single word: common, rare, or a name in any inflection, script and spelling. */
  const anyWord = (l?: Lang): string => {
    const r = rnd();
    return r < 0.4 ? content(l) : r < 0.6 ? tail(l) : surname(l);
  };
  const bareWord = (l?: Lang): string => {
    for (;;) {
      const word = anyWord(l);
      if (/^[\p{L}]+$/u.test(word)) return word;
    }
  };
  const out: Record<QueryClass, Query[]> = { word: [], phrase: [], prefix: [], fuzzy: [], filtered: [] };
  const total = perClassCount + WARMUP;
  for (let i = 0; i < total; i++) {
    // word: one or two words
    const words = rnd() < 0.15 ? [anyWord(), anyWord()] : [anyWord()];
    out.word.push({ cls: 'word', text: words.join(' '), raw: { match: words.map(ftsQuote).join(' '), where: [], params: [] } });
    // phrase: consecutive words of a generated sentence
    const phrase = pick(corpus.phrases, rnd).join(' ');
    out.phrase.push({ cls: 'phrase', text: `"${phrase}"`, raw: { match: ftsQuote(phrase), where: [], params: [] } });
    // prefix: the first 3-6 letters
    const base = bareWord();
    const prefix = [...base].slice(0, 3 + Math.floor(rnd() * 4)).join('');
    out.prefix.push({ cls: 'prefix', text: `${prefix}*`, raw: { match: `${ftsQuote(prefix)}*`, where: [], params: [] } });
    // fuzzy: one typo; the raw baseline looks up the word as it was meant (plain FTS5 has no fuzzy search)
    let meant = bareWord();
    while ([...meant].length < 5) meant = bareWord();
    out.fuzzy.push({ cls: 'fuzzy', text: `${typo(meant, rnd)}~`, raw: { match: ftsQuote(meant), where: [], params: [] } });
    // filtered: a word and one or two filters
    const filters = new Set<string>([pick(['kind', 'lang', 'date', 'tag', 'person'], rnd)]);
    if (rnd() < 0.4) filters.add(pick(['kind', 'lang', 'date', 'tag', 'person'], rnd));
    const filterLang = filters.has('lang') ? lang() : undefined;
    const word = rnd() < 0.6 ? content(filterLang) : surname(filterLang);
    const parts = [word];
    const raw: Query['raw'] = { match: ftsQuote(word), where: [], params: [] };
    for (const filter of filters) {
      if (filter === 'kind') {
        const kind = pick(kinds, rnd).kind;
        parts.push(`kind:${kind}`);
        raw.where.push('m.kind = ?');
        raw.params.push(kind);
      } else if (filter === 'lang' && filterLang) {
        parts.push(`lang:${filterLang}`);
        raw.where.push('m.language = ?');
        raw.params.push(filterLang);
      } else if (filter === 'date') {
        const from = 2015 + Math.floor(rnd() * 10);
        const to = Math.min(2025, from + Math.floor(rnd() * 4));
        parts.push(`date:${from}..${to}`);
        raw.where.push('m.date IS NOT NULL AND substr(m.date, 1, 4) >= ? AND substr(m.date, 1, 4) <= ?');
        raw.params.push(String(from), String(to));
      } else if (filter === 'tag') {
        const tag = pick(tags, rnd);
        parts.push(`tag:${tag}`);
        raw.where.push('EXISTS (SELECT 1 FROM json_each(m.tags) WHERE value = ?)');
        raw.params.push(tag);
      } else if (filter === 'person') {
        const name = (corpus.person(rnd).forms[lang()][0] ?? '').replace(/’s$/u, '');
        parts.push(`person:${name}`);
        raw.match += ` people : ${ftsQuote(name)}`;
      }
    }
    out.filtered.push({ cls: 'filtered', text: parts.join(' '), raw });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measuring.

let peakRss = 0;
const sampleRss = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};

interface Timing {
  ms: number[];
  /** Matches per query, in order (-1: the query failed). */
  totals: number[];
  hits: number;
  zero: number;
  errors: string[];
}
const newTiming = (): Timing => ({ ms: [], totals: [], hits: 0, zero: 0, errors: [] });

function percentile(ms: readonly number[], q: number): number {
  if (ms.length === 0) return NaN;
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
const fmt = (ms: number): string => (Number.isNaN(ms) ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

function timeOurs(archive: Archive, queries: readonly Query[], facets: boolean, timing: Timing): void {
  for (const query of queries) {
    const started = performance.now();
    try {
      const result = search(archive, { query: query.text, limit: 20, sort: 'relevance', facets });
      timing.ms.push(performance.now() - started);
      timing.totals.push(result.total);
      timing.hits += result.total;
      if (result.total === 0) timing.zero++;
    } catch (error) {
      timing.totals.push(-1);
      timing.errors.push(`${query.text}: ${error instanceof Error ? error.message : String(error)}`);
    }
    sampleRss();
  }
}

class RawIndex {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly insertText: StatementSync;
  private readonly insertMeta: StatementSync;

  constructor(file: string) {
    this.db = new DatabaseSync(file);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
    this.db.exec("CREATE VIRTUAL TABLE raw USING fts5(title, people, body, tokenize = 'unicode61 remove_diacritics 2')");
    this.db.exec('CREATE TABLE meta (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, language TEXT NOT NULL, date TEXT, tags TEXT NOT NULL)');
    this.insertText = this.db.prepare('INSERT INTO raw (rowid, title, people, body) VALUES (?, ?, ?, ?)');
    this.insertMeta = this.db.prepare('INSERT INTO meta (rowid, kind, language, date, tags) VALUES (?, ?, ?, ?, ?)');
  }

  insert(docs: readonly { n: number; doc: GeneratedDocument }[]): void {
    this.db.exec('BEGIN');
    for (const { n, doc } of docs) {
      this.insertText.run(n, doc.meta.title, [...doc.meta.authors, ...doc.meta.recipients].join('\n'), doc.text);
      this.insertMeta.run(n, doc.meta.kind, doc.meta.language, doc.meta.date, JSON.stringify(doc.meta.tags));
    }
    this.db.exec('COMMIT');
  }

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * What search() does, on the raw table: the count of matches, then the top 20 by bm25, then a
   * snippet of each of those 20 (in the one SELECT, SQLite would build a snippet of every match
   * before sorting, which would make the baseline slower than it need be).
   */
  query(query: Query): number {
    const { match, where, params } = query.raw;
    const from = where.length > 0 ? 'raw JOIN meta m ON m.rowid = raw.rowid' : 'raw';
    const condition = ['raw MATCH ?', ...where].join(' AND ');
    const { c } = this.sql(`SELECT count(*) AS c FROM ${from} WHERE ${condition}`).get(match, ...params) as { c: number };
    if (c > 0) {
      const top = this.sql(`SELECT raw.rowid AS n, bm25(raw, 10.0, 5.0, 1.0) AS rank FROM ${from} WHERE ${condition} ORDER BY rank LIMIT 20`).all(
        match,
        ...params,
      ) as unknown as { n: number }[];
      const snippet = this.sql("SELECT title, snippet(raw, 2, '[', ']', '…', 24) AS snippet FROM raw WHERE raw MATCH ? AND rowid = ?");
      for (const { n } of top) snippet.get(match, n);
    }
    return c;
  }

  time(queries: readonly Query[], timing: Timing): void {
    for (const query of queries) {
      const started = performance.now();
      try {
        const total = this.query(query);
        timing.ms.push(performance.now() - started);
        timing.totals.push(total);
        timing.hits += total;
        if (total === 0) timing.zero++;
      } catch (error) {
        timing.totals.push(-1);
        timing.errors.push(`${query.raw.match}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  close(): void {
    this.db.close();
  }
}

// Open-to-first-result, in a fresh process: from process start (module loading included), and
// from Archive.open to the first result; then a sample of every class, for the RSS of a process
// that only opens and searches (as the app does).
const childScript = `
const started = performance.now();
const { Archive } = await import(process.env.BENCH_ARCHIVE_URL);
const { search } = await import(process.env.BENCH_SEARCH_URL);
const { suggest } = await import(process.env.BENCH_SUGGEST_URL);
const loaded = performance.now();
const archive = Archive.open(process.env.BENCH_ARCHIVE);
const opened = performance.now();
const first = search(archive, { query: process.env.BENCH_FIRST, limit: 20, sort: 'relevance', facets: false });
const firstAt = performance.now();
const rssFirst = process.memoryUsage.rss();
const sample = JSON.parse(process.env.BENCH_SAMPLE);
for (const q of sample.queries) search(archive, { query: q, limit: 20, sort: 'relevance', facets: false });
for (const q of sample.facets) search(archive, { query: q, limit: 20, sort: 'relevance', facets: true });
for (const p of sample.suggest) suggest(archive, p, 10);
const rssAfter = process.memoryUsage.rss();
archive.close();
process.stdout.write(JSON.stringify({ started, loaded, opened, firstAt, total: first.total, rssFirst, rssAfter, maxRss: process.resourceUsage().maxRSS * 1024 }));
`;

interface ChildResult {
  started: number;
  loaded: number;
  opened: number;
  firstAt: number;
  total: number;
  rssFirst: number;
  rssAfter: number;
  maxRss: number;
}

function openToFirstResult(dir: string, first: string, sample: { queries: string[]; facets: string[]; suggest: string[] }): ChildResult {
  const core = new URL('../../src/core/', import.meta.url);
  const child = spawnSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', childScript], {
    env: {
      ...process.env,
      BENCH_ARCHIVE_URL: new URL('archive.ts', core).href,
      BENCH_SEARCH_URL: new URL('search/search.ts', core).href,
      BENCH_SUGGEST_URL: new URL('search/suggest.ts', core).href,
      BENCH_ARCHIVE: dir,
      BENCH_FIRST: first,
      BENCH_SAMPLE: JSON.stringify(sample),
    },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`open-to-first-result child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as ChildResult;
}

/** One keystroke in the search box: the text typed so far, and whether Enter follows it (a search). */
interface Keystroke {
  text: string;
  enter: boolean;
}

/** A word typed letter by letter, as the search box asks for suggestions, then Enter. */
const typedWord = (word: string): Keystroke[] => {
  const letters = [...word];
  return letters.slice(1).map((_, i) => ({ text: letters.slice(0, i + 2).join(''), enter: i + 2 === letters.length }));
};

/**
 * A keystroke every KEYSTROKE_EVERY_MS: what the search box does as one types (suggestions, from
 * the second letter), and at the end of a word Enter (a search for it, first page of 20). Latency
 * counts from when the keystroke was due, so a slow one also delays the next.
 */
function keystrokes(
  archive: Archive,
  typed: readonly Keystroke[],
  stop: () => boolean,
  max: number,
): Promise<{ ms: number[]; enter: number[]; errors: string[] }> {
  return new Promise((resolve) => {
    const ms: number[] = [];
    const enter: number[] = [];
    const errors: string[] = [];
    const start = performance.now();
    let k = 0;
    const tick = (): void => {
      const due = start + k * KEYSTROKE_EVERY_MS;
      const key = typed[k % typed.length] ?? { text: 'ka', enter: false };
      try {
        suggest(archive, key.text, 10);
        ms.push(performance.now() - due);
        if (key.enter) {
          const t = performance.now();
          search(archive, { query: key.text, limit: 20, sort: 'relevance', facets: false });
          enter.push(performance.now() - t);
        }
      } catch (error) {
        errors.push(`${key.text}: ${error instanceof Error ? error.message : String(error)}`);
      }
      sampleRss();
      k++;
      if (stop() || k >= max) resolve({ ms, enter, errors });
      else setTimeout(tick, Math.max(0, start + k * KEYSTROKE_EVERY_MS - performance.now()));
    };
    setTimeout(tick, 0);
  });
}

// ---------------------------------------------------------------------------------------------

interface SizeResult {
  size: number;
  classes: Record<QueryClass, { ours: Timing; raw: Timing }>;
  child: ChildResult;
  buildPeakRss: number;
  queryPeakRss: number;
}

const root = mkdtempSync(join(tmpdir(), 'kartoteka-bench-search-'));
const results: SizeResult[] = [];
let typingResult: { idle: number[]; during: number[]; enterIdle: number[]; enterDuring: number[]; imported: number; seconds: number; errors: string[] } | null = null;
const benchStarted = performance.now();
const row = (label: string, s: number, n: number, bytes: number): string =>
  `${label.padEnd(44)} ${s.toFixed(1).padStart(7)} s ${(n / s).toFixed(0).padStart(7)} docs/s ${(bytes / 1048576 / s).toFixed(2).padStart(7)} MB/s`;

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`Machine: ${cpus().length} CPUs, ${mb(totalmem())} memory, Node ${process.version}; load average at start ${load()}`);
try {
  for (const size of sizes) {
    console.log(`\n== ${size.toLocaleString('en')} documents (load average ${load()}) ==`);
    const dir = join(root, `archive-${size}`);
    const corpus = new Corpus(1);
    const archive0 = Archive.create(dir);
    const raw = new RawIndex(join(root, `raw-${size}.sqlite`));
    let oursMs = 0;
    let rawMs = 0;
    let bytes = 0;
    const perLang: Record<Lang, number> = { ru: 0, uk: 0, en: 0 };
    peakRss = 0;
    const extras = { textSource: 'text' as const, textHash: null, extraction: { importer: 'bench' } };
    for (let start = 0; start < size; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, size - start) }, (_, i) => ({ n: start + i + 1, doc: corpus.document(start + i) }));
      for (const { doc } of batch) {
        bytes += doc.bytes;
        perLang[doc.meta.language as Lang]++;
      }
      let t = performance.now();
      archive0.transaction(() => {
        for (const { doc } of batch) insertDocument(archive0, doc.id, doc.meta, doc.text, extras);
      });
      oursMs += performance.now() - t;
      t = performance.now();
      raw.insert(batch);
      rawMs += performance.now() - t;
      sampleRss();
      const done = start + batch.length;
      if (size >= 50_000 && done % (size / 10) === 0 && done < size) {
        console.log(`  … ${done.toLocaleString('en')} documents, ${(oursMs / 1000).toFixed(0)} s indexing so far (${((done / oursMs) * 1000).toFixed(0)} docs/s)`);
      }
    }
    let t = performance.now();
    archive0.close();
    const closeMs = performance.now() - t;
    const buildPeakRss = peakRss;
    console.log(`Corpus: ${size} documents, ${mb(bytes)} of UTF-8 text (ru ${perLang.ru}, uk ${perLang.uk}, en ${perLang.en}); ${corpus.phrases.length} phrases sampled`);
    console.log(row(`index build (insertDocument, ${BATCH} per transaction)`, oursMs / 1000, size, bytes));
    console.log(row('raw FTS5 build (unicode61, same text + metadata)', rawMs / 1000, size, bytes));
    console.log(
      `ratio: our build takes ${(oursMs / rawMs).toFixed(2)}x the raw build's time; closing the archive (checkpoint) ${(closeMs / 1000).toFixed(1)} s; ` +
        `catalogue ${mb(statSync(join(dir, 'catalogue.sqlite')).size)}, raw FTS5 file ${mb(statSync(join(root, `raw-${size}.sqlite`)).size)}; peak RSS while building ${mb(buildPeakRss)}`,
    );

    const queries = makeQueries(corpus, perClass, 1000 + size);
    const sample = {
      queries: classes.flatMap((c) => queries[c].slice(WARMUP, WARMUP + 40).map((q) => q.text)),
      facets: queries.word.slice(WARMUP, WARMUP + 20).map((q) => q.text),
      suggest: queries.prefix.slice(WARMUP, WARMUP + 20).map((q) => q.text.slice(0, -1)),
    };
    const child = openToFirstResult(dir, 'Kagarlitsky', sample);
    console.log(
      `open to first result (fresh process, query "Kagarlitsky", ${child.total} hits): ${child.firstAt.toFixed(0)} ms from process start ` +
        `(node start ${child.started.toFixed(0)} ms, loading modules ${(child.loaded - child.started).toFixed(0)} ms, Archive.open ${(child.opened - child.loaded).toFixed(0)} ms, ` +
        `first search ${(child.firstAt - child.opened).toFixed(0)} ms); Archive.open to first result ${(child.firstAt - child.loaded).toFixed(0)} ms`,
    );
    console.log(
      `RSS of that process: ${mb(child.rssFirst)} after the first result, ${mb(child.rssAfter)} after ${sample.queries.length} more queries, ` +
        `${sample.facets.length} with facets and ${sample.suggest.length} suggestions (peak ${mb(child.maxRss)})`,
    );

    const archive = Archive.open(dir);
    peakRss = 0;
    const warmup = classes.flatMap((c) => queries[c].slice(0, WARMUP / classes.length));
    timeOurs(archive, warmup, false, newTiming());
    raw.time(warmup, newTiming());
    const perClassResults = {} as Record<QueryClass, { ours: Timing; raw: Timing }>;
    for (const cls of classes) {
      const measured = queries[cls].slice(WARMUP);
      const ours = newTiming();
      timeOurs(archive, measured, false, ours);
      const rawTiming = newTiming();
      raw.time(measured, rawTiming);
      perClassResults[cls] = { ours, raw: rawTiming };
    }
    const facets = newTiming();
    timeOurs(archive, queries.word.slice(WARMUP, WARMUP + Math.min(200, perClass)), true, facets);
    const suggestMs: number[] = [];
    for (const q of queries.prefix.slice(WARMUP)) {
      const prefix = q.text.slice(0, -1);
      const started = performance.now();
      suggest(archive, prefix, 10);
      suggestMs.push(performance.now() - started);
    }
    const queryPeakRss = peakRss;

    console.log(`\nqueries: ${perClass} per class after ${WARMUP} warm-up queries, each run once; search(limit 20, relevance) vs raw FTS5 count + top 20 by bm25 with snippet`);
    console.log(
      `${'class'.padEnd(9)} ${'ours p50'.padStart(9)} ${'p95'.padStart(7)} ${'max'.padStart(7)} | ${'raw p50'.padStart(8)} ${'p95'.padStart(7)} ${'max'.padStart(7)} | ${'p95 ratio'.padStart(9)} | ${'avg hits ours/raw'.padStart(17)} ${'zero-hit ours/raw'.padStart(17)} | target (p95 <= ${TARGET_P95_MS} ms, <= ${TARGET_RATIO}x raw)`,
    );
    for (const cls of classes) {
      const { ours, raw: r } = perClassResults[cls];
      const p95 = percentile(ours.ms, 0.95);
      const rawP95 = percentile(r.ms, 0.95);
      const ratio = p95 / rawP95;
      console.log(
        `${cls.padEnd(9)} ${fmt(percentile(ours.ms, 0.5)).padStart(9)} ${fmt(p95).padStart(7)} ${fmt(Math.max(...ours.ms)).padStart(7)} | ` +
          `${fmt(percentile(r.ms, 0.5)).padStart(8)} ${fmt(rawP95).padStart(7)} ${fmt(Math.max(...r.ms)).padStart(7)} | ${`${ratio.toFixed(1)}x`.padStart(9)} | ` +
          `${`${(ours.hits / Math.max(1, ours.ms.length)).toFixed(0)}/${(r.hits / Math.max(1, r.ms.length)).toFixed(0)}`.padStart(17)} ` +
          `${`${ours.zero}/${r.zero}`.padStart(17)} | ${p95 <= TARGET_P95_MS ? 'PASS' : 'FAIL'} ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`,
      );
    }
    console.log('(fuzzy: the raw baseline looks up the word as meant, without the typo; plain FTS5 has no fuzzy search)');
    console.log(
      `${'facets'.padEnd(9)} ${fmt(percentile(facets.ms, 0.5)).padStart(9)} ${fmt(percentile(facets.ms, 0.95)).padStart(7)} ${fmt(Math.max(...facets.ms)).padStart(7)}   (search with facets: true, ${facets.ms.length} word queries; not part of the classes)`,
    );
    console.log(
      `${'suggest'.padEnd(9)} ${fmt(percentile(suggestMs, 0.5)).padStart(9)} ${fmt(percentile(suggestMs, 0.95)).padStart(7)} ${fmt(Math.max(...suggestMs)).padStart(7)}   (suggest(prefix, 10), ${suggestMs.length} prefixes of the prefix class)`,
    );
    for (const cls of classes) {
      const { ours, raw: r } = perClassResults[cls];
      for (const error of ours.errors.slice(0, 5)) console.log(`  ERROR ours ${cls}: ${error}`);
      if (ours.errors.length > 5) console.log(`  … ${ours.errors.length} errors in ${cls} in all`);
      for (const error of r.errors.slice(0, 3)) console.log(`  error raw ${cls}: ${error}`);
    }
    if (values.details) {
      for (const cls of classes) {
        const { ours, raw: r } = perClassResults[cls];
        const measured = queries[cls].slice(WARMUP);
        const slowest = measured
          .map((q, i) => ({ q, ms: ours.ms[i] ?? 0, total: ours.totals[i] ?? 0, rawMs: r.ms[i] ?? 0 }))
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 5);
        console.log(`  ${cls}, slowest: ${slowest.map((s) => `${s.q.text} (${s.ms.toFixed(0)} ms, ${s.total} hits; raw ${s.rawMs.toFixed(0)} ms)`).join('; ')}`);
        const misses = measured.filter((_, i) => ours.totals[i] === 0 && (r.totals[i] ?? 0) > 0);
        console.log(`  ${cls}: ${misses.length} queries found nothing here but matched raw FTS5${misses.length > 0 ? ':' : ''}`);
        for (const q of misses.slice(0, 10)) console.log(`    ${q.text}    (raw: ${q.raw.match})`);
      }
    }
    for (const error of facets.errors.slice(0, 3)) console.log(`  ERROR ours facets: ${error}`);
    console.log(`peak RSS of this process while querying: ${mb(queryPeakRss)} (it also holds the raw FTS5 database and the generator); load average ${load()}`);
    raw.close();
    results.push({ size, classes: perClassResults, child, buildPeakRss, queryPeakRss });

    if (typingResult === null && typingFiles > 0) {
      // Typing in the search box while a bulk import runs into this archive.
      const folder = join(root, 'typing-import');
      writeTextCorpus(folder, typingFiles, 11);
      const typed = ['Kagarlitsky', 'Кагарлицкого', 'приговор', 'colony', 'апеляція', corpus.people[5]?.forms.en[0] ?? 'Boris', corpus.people[9]?.forms.ru[1] ?? 'Борис', 'свидание']
        .flatMap(typedWord);
      const idle = await keystrokes(archive, typed, () => false, 40);
      let finished = false;
      t = performance.now();
      const importing = importPaths(archive, [folder], {}).finally(() => {
        finished = true;
      });
      const during = await keystrokes(archive, typed, () => finished, 100_000);
      const report = await importing;
      const seconds = (performance.now() - t) / 1000;
      typingResult = {
        idle: idle.ms,
        during: during.ms,
        enterIdle: idle.enter,
        enterDuring: during.enter,
        imported: report.imported.length,
        seconds,
        errors: [...idle.errors, ...during.errors],
      };
      console.log(
        `\ntyping while importing ${typingFiles} text files into this archive (a keystroke every ${KEYSTROKE_EVERY_MS} ms: suggestions as the search box asks for them, latency from when it was due; Enter at the end of each word: a search)`,
      );
      console.log(`import: ${report.imported.length} imported, ${report.failed.length} failed in ${seconds.toFixed(1)} s (${(report.imported.length / seconds).toFixed(0)} docs/s)`);
      const line = (label: string, ms: number[]): string =>
        `${label.padEnd(20)} ${String(ms.length).padStart(4)} keystrokes  p50 ${fmt(percentile(ms, 0.5)).padStart(7)} ms  p95 ${fmt(percentile(ms, 0.95)).padStart(7)} ms  max ${fmt(Math.max(...ms)).padStart(7)} ms`;
      console.log(line('idle (no import)', idle.ms));
      console.log(line('during the import', during.ms));
      console.log(line('Enter, idle', idle.enter).replace('keystrokes', 'searches  '));
      console.log(line('Enter, during', during.enter).replace('keystrokes', 'searches  '));
      for (const error of typingResult.errors.slice(0, 5)) console.log(`  ERROR keystroke: ${error}`);
      rmSync(folder, { recursive: true, force: true });
    }
    archive.close();
    if (values.keep) {
      console.log(`kept: archive ${dir}, raw FTS5 ${join(root, `raw-${size}.sqlite`)}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(root, `raw-${size}.sqlite${suffix}`), { force: true });
    }
  }

  console.log(`\n== Summary (targets; bench took ${((performance.now() - benchStarted) / 60000).toFixed(1)} min) ==`);
  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
  for (const result of results) {
    const n = result.size.toLocaleString('en');
    for (const cls of classes) {
      const { ours, raw: r } = result.classes[cls];
      const p95 = percentile(ours.ms, 0.95);
      const ratio = p95 / percentile(r.ms, 0.95);
      const errors = ours.errors.length > 0 ? `, ${ours.errors.length} errors` : '';
      console.log(`${verdict(p95 <= TARGET_P95_MS && ratio <= TARGET_RATIO && ours.errors.length === 0)}  ${n} docs, ${cls.padEnd(8)} p95 ${fmt(p95)} ms (<= ${TARGET_P95_MS}), ${ratio.toFixed(1)}x raw (<= ${TARGET_RATIO}x)${errors}`);
    }
    const open = result.child.firstAt;
    console.log(`${verdict(open <= TARGET_OPEN_MS)}  ${n} docs, open to first result ${open.toFixed(0)} ms from process start (<= ${TARGET_OPEN_MS} ms)`);
    const rss = result.child.maxRss;
    console.log(`${verdict(rss <= TARGET_RSS_MB * 1048576)}  ${n} docs, RSS ${mb(rss)} peak in a process that opens and searches (<= ${TARGET_RSS_MB} MB); bench process peaks: ${mb(result.buildPeakRss)} building, ${mb(result.queryPeakRss)} querying`);
  }
  if (typingResult) {
    const max = Math.max(...typingResult.during);
    console.log(
      `${max < TARGET_KEYSTROKE_MS ? 'PASS' : 'FAIL'}  typing during a bulk import: max ${fmt(max)} ms, p95 ${fmt(percentile(typingResult.during, 0.95))} ms per keystroke over ${typingResult.during.length} keystrokes (< ${TARGET_KEYSTROKE_MS} ms)`,
    );
  }
  if (!results.some((r) => r.size === 100_000)) console.log('(the p95 and RSS targets are stated for 100,000 documents; run without --sizes for them)');
} finally {
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}
