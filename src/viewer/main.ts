import type { Filters } from '../core/search/query.ts';
import type { PackedCatalogue, ViewerDetails, ViewerItem, ViewerText } from '../core/bundles/viewer-index.ts';
import { compareNames } from '../shared/names.ts';
import { ViewerEngine, matchesIn } from './engine.ts';

/**
 * The bundle viewer: data/index.html's script. Opened from the unpacked bundle, it lists the items,
 * filters and searches them, and shows one with its translation beside it and its recording with
 * the transcript. It builds every element with text nodes, never with HTML from the bundle, so a
 * title or a text cannot inject anything into the page.
 */

interface Registry {
  catalogue(data: PackedCatalogue): void;
  shard(n: number, data: [string, string][]): void;
  text(id: string, data: ViewerText): void;
  /** Resolves when the catalogue is loaded and the page drawn (tests and the benchmark wait on it). */
  ready: Promise<void>;
  /** The last search: its query, its time in milliseconds and how many items it found. */
  lastSearch: { query: string; ms: number; count: number } | null;
}

declare global {
  var __kartoteka: Registry;
}

const PAGE = 50;
const SNIPPET_BEFORE = 90;
const SNIPPET_LENGTH = 260;

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** A path of the bundle (relative to data/) as a URL relative to index.html. */
const href = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

const loadScript = (src: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => {
      script.remove();
      resolve();
    };
    script.onerror = () => {
      script.remove();
      reject(new Error(`${src} is missing from the bundle.`));
    };
    document.head.append(script);
  });

/** Text with the given ranges wrapped in <mark>. */
function highlighted(text: string, ranges: readonly [number, number][], offset = 0): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of ranges) {
    const s = start - offset;
    const e = end - offset;
    if (e <= at || s >= text.length) continue;
    fragment.append(text.slice(at, Math.max(at, s)), h('mark', {}, text.slice(Math.max(at, s), Math.min(text.length, e))));
    at = Math.min(text.length, e);
  }
  fragment.append(text.slice(at));
  return fragment;
}

const clock = (seconds: number): string => {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** The viewer speaks English: kinds and languages by their names, not the catalogue's codes. */
const kindNames: Record<string, string> = {
  letter: 'Letter',
  'audio-message': 'Audio message',
  'court-document': 'Court document',
  statement: 'Statement',
  article: 'Article',
  testimony: 'Testimony',
  other: 'Other',
};
const kindName = (kind: string): string => kindNames[kind] ?? kind;
let languageNames: Intl.DisplayNames | undefined;
const languageName = (code: string): string => {
  if (code === 'und' || code === '') return 'Language not determined';
  try {
    languageNames ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
};

const describe = (item: ViewerItem): string =>
  [kindName(item.kind), languageName(item.language), item.date ? `${item.date}${item.dateApproximate ? ' (approx.)' : ''}` : '', item.authors.join(', ')].filter(Boolean).join(' · ');

function select(id: string, label: string, values: readonly string[], name: (value: string) => string = (v) => v): HTMLSelectElement {
  return h('select', { id, 'aria-label': label }, h('option', { value: '' }, label), ...values.map((v) => h('option', { value: v }, name(v))));
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].filter(Boolean).sort(compareNames);

class Viewer {
  private readonly engine: ViewerEngine;
  private readonly q: HTMLInputElement;
  private readonly kind: HTMLSelectElement;
  private readonly language: HTMLSelectElement;
  private readonly person: HTMLSelectElement;
  private readonly case: HTMLSelectElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly status = h('div', { id: 'status', role: 'status' });
  private readonly list = h('ol', { id: 'result-list' });
  private readonly more = h('button', { class: 'more', type: 'button', hidden: '' }, 'Show more');
  private readonly item = h('section', { id: 'item', 'aria-live': 'polite' }, h('p', { class: 'empty' }, 'Choose an item.'));
  private results: ViewerItem[] = [];
  private matched = new Set<string>();
  private shown = 0;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = '';

  constructor(engine: ViewerEngine, root: HTMLElement) {
    this.engine = engine;
    const { catalogue } = engine;
    const items = catalogue.items;
    this.q = h('input', { id: 'q', type: 'search', placeholder: 'Search the full text: words in any form, names in any spelling', 'aria-label': 'Search', autocomplete: 'off' });
    this.kind = select('f-kind', 'Any kind', sorted(items.map((i) => i.kind)), kindName);
    this.language = select('f-language', 'Any language', sorted(items.map((i) => i.language)), languageName);
    this.person = select('f-person', 'Anyone', sorted(items.flatMap((i) => i.people)));
    this.case = select('f-case', 'Any case', sorted(items.flatMap((i) => i.cases)));
    this.from = h('input', { id: 'f-from', class: 'date', placeholder: 'From: 2023', 'aria-label': 'From date (YYYY, YYYY-MM or YYYY-MM-DD)' });
    this.to = h('input', { id: 'f-to', class: 'date', placeholder: 'To: 2024-06', 'aria-label': 'To date (YYYY, YYYY-MM or YYYY-MM-DD)' });
    const made = catalogue.createdAt.slice(0, 10);
    root.replaceChildren(
      h('header', {}, h('h1', {}, catalogue.description), h('span', { class: 'about' }, `${items.length} items · made ${made} by ${catalogue.producer} · ${catalogue.options}`)),
      h('div', { class: 'controls' }, this.q, this.kind, this.language, this.person, this.case, this.from, this.to),
      h('main', {}, h('section', { id: 'results' }, this.status, this.list, this.more), this.item),
    );
    root.removeAttribute('aria-busy');
    this.q.addEventListener('input', () => this.soon());
    this.q.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      clearTimeout(this.timer);
      void this.run();
    });
    for (const control of [this.kind, this.language, this.person, this.case]) control.addEventListener('change', () => void this.run());
    for (const control of [this.from, this.to]) control.addEventListener('change', () => void this.run());
    this.more.addEventListener('click', () => this.showMore());
    window.addEventListener('hashchange', () => void this.route());
  }

  async start(): Promise<void> {
    await this.run();
    await this.route();
  }

  private soon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), 150);
  }

  private filters(): Partial<Filters> {
    const date = (input: HTMLInputElement): string | null => (/^\d{4}(-\d{2}(-\d{2})?)?$/u.test(input.value.trim()) ? input.value.trim() : null);
    return {
      kinds: this.kind.value ? [this.kind.value] : [],
      languages: this.language.value ? [this.language.value] : [],
      people: this.person.value ? [this.person.value] : [],
      cases: this.case.value ? [this.case.value] : [],
      dateFrom: date(this.from),
      dateTo: date(this.to),
    };
  }

  async run(): Promise<void> {
    const query = this.q.value.trim();
    // Typing then Enter asks twice for the same thing: answer once.
    const asked = JSON.stringify([query, this.filters()]);
    if (asked === this.asked) return;
    this.asked = asked;
    const generation = ++this.generation;
    const started = performance.now();
    let outcome;
    try {
      outcome = await this.engine.search(query, this.filters());
    } catch (error) {
      if (generation !== this.generation) return;
      this.status.textContent = error instanceof Error ? error.message : String(error);
      this.list.replaceChildren();
      this.more.hidden = true;
      return;
    }
    if (generation !== this.generation) return;
    this.results = outcome.items;
    this.matched = outcome.matched;
    this.shown = 0;
    this.list.replaceChildren();
    const n = this.results.length;
    this.status.textContent = query === '' ? `${n} item${n === 1 ? '' : 's'}` : `${n} found for “${query}”`;
    this.showMore();
    globalThis.__kartoteka.lastSearch = { query, ms: performance.now() - started, count: n };
    document.body.dataset['searched'] = query;
  }

  private showMore(): void {
    const page = this.results.slice(this.shown, this.shown + PAGE);
    const generation = this.generation;
    const snippets: (() => Promise<void>)[] = [];
    for (const item of page) {
      const snippet = h('div', { class: 'snippet' });
      const li = h('li', { 'data-id': item.id, tabindex: '0' }, h('div', { class: 'title' }, item.title), h('div', { class: 'meta' }, describe(item)), snippet);
      li.addEventListener('click', () => (location.hash = `item=${item.id}`));
      li.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') location.hash = `item=${item.id}`;
      });
      this.list.append(li);
      if (this.matched.size > 0) snippets.push(() => this.fillSnippet(item, snippet, generation));
    }
    // Snippets come after the list is on screen, one at a time, so they never hold the answer up.
    void (async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      for (const fill of snippets) {
        if (generation !== this.generation) return;
        await fill();
      }
    })();
    this.shown += page.length;
    this.more.hidden = this.shown >= this.results.length;
  }

  private async fillSnippet(item: ViewerItem, into: HTMLElement, generation: number): Promise<void> {
    const { text } = await this.engine.text(item.id);
    if (generation !== this.generation) return;
    const first = matchesIn(text, item.language, this.matched, 1)[0];
    if (!first) return;
    const start = Math.max(0, first[0] - SNIPPET_BEFORE);
    // Line breaks folded first, so the offsets of the marks are those of the words shown.
    const slice = text.slice(start, start + SNIPPET_LENGTH).replace(/\s+/gu, ' ');
    into.replaceChildren(start > 0 ? '…' : '', highlighted(slice, matchesIn(slice, item.language, this.matched)), start + SNIPPET_LENGTH < text.length ? '…' : '');
  }

  private async route(): Promise<void> {
    const id = /^#item=(.+)$/u.exec(location.hash)?.[1];
    const item = id === undefined ? undefined : this.engine.byId.get(decodeURIComponent(id));
    for (const li of this.list.querySelectorAll('li')) li.setAttribute('aria-selected', String(li.dataset['id'] === item?.id));
    if (!item) return;
    await this.show(item);
  }

  private async show(item: ViewerItem): Promise<void> {
    const { byId } = this.engine;
    const own = await this.engine.text(item.id);
    const details = own.details;
    const link = (id: string, label?: string): Node => {
      const other = byId.get(id);
      return other ? h('a', { href: `#item=${encodeURIComponent(id)}` }, label ?? other.title) : document.createTextNode(`${id} (not in this bundle)`);
    };
    const row = (label: string, value: Child | Child[]): Node[] => {
      const values = Array.isArray(value) ? value.filter(Boolean) : [value];
      if (values.length === 0 || values.every((v) => v === '' || v === null || v === undefined || v === false)) return [];
      return [h('dt', {}, label), h('dd', {}, ...values.flatMap((v, i) => (i > 0 ? [', ', v] : [v])))];
    };
    const linked = (direction: string): ViewerItem[] =>
      details.links.filter((l) => l.kind === 'transcript' && l.direction === direction).flatMap((l) => byId.get(l.id) ?? []);
    const transcripts = linked('from');
    const recordings = linked('to');
    const audioOf = (d: ViewerDetails): ViewerDetails['files'][number] | undefined => d.files.find((f) => f.mediaType.startsWith('audio/'));
    let audioFile = audioOf(details);
    for (const recording of recordings) audioFile ??= audioOf((await this.engine.text(recording.id)).details);
    const partner = item.translationOf !== null && byId.has(item.translationOf) ? [item.translationOf] : item.translations.filter((id) => byId.has(id));

    const notices: Node[] = [];
    if (item.redactedSpans > 0) {
      notices.push(h('p', { class: 'notice', 'data-notice': 'redacted' }, `${item.redactedSpans} passage${item.redactedSpans === 1 ? ' was' : 's were'} blacked out (█) before this bundle was made; the original file was left out, since the redaction cannot be applied to it.`));
    }
    const textOnly = details.omitted.filter((f) => f.reason === 'text-only');
    if (textOnly.length > 0) notices.push(h('p', { class: 'notice' }, `The original file${textOnly.length === 1 ? ' is' : 's are'} not in this bundle (text only): ${textOnly.map((f) => f.name).join(', ')}.`));

    const view = h(
      'article',
      { class: 'item', 'data-id': item.id },
      h('div', { class: 'meta' }, describe(item)),
      h('h2', {}, item.title),
      ...notices,
      h(
        'dl',
        {},
        ...row('Kind', kindName(item.kind)),
        ...row('Language', languageName(item.language)),
        ...row('Date', item.date ? `${item.date}${item.dateApproximate ? ' (approximate)' : ''}` : ''),
        ...row('Authors', item.authors),
        ...row('Recipients', item.recipients),
        ...row('Cases', item.cases),
        ...row('Tags', item.tags),
        ...row('Sensitivity', item.sensitivity),
        ...row('Source', details.source),
        ...row('Notes', details.notes),
        ...row('Translation of', item.translationOf ? link(item.translationOf) : null),
        ...row('Translations', item.translations.map((id) => link(id, `${languageName(byId.get(id)?.language ?? '')}: ${byId.get(id)?.title ?? id}`))),
        ...row('Transcript', transcripts.map((t) => link(t.id))),
        ...row('Recording', recordings.map((r) => link(r.id))),
        ...row('Original files', details.files.map((f) => h('a', { href: href(f.path), 'data-file': f.name }, f.name))),
      ),
    );
    this.item.replaceChildren(view);
    this.item.dataset['id'] = item.id;

    const audio = audioFile ? h('audio', { controls: '', preload: 'metadata', src: href(audioFile.path) }) : null;
    if (audio) view.append(audio);
    const withCues = item.hasCues ? item : (transcripts.find((t) => t.hasCues) ?? null);
    const texts = h('div', { class: partner.length > 0 ? 'texts side-by-side' : 'texts' });
    view.append(texts);
    const column = async (shown: ViewerItem, heading: string): Promise<HTMLElement> => {
      const data = await this.engine.text(shown.id);
      const body =
        shown === withCues && data.cues.length > 0
          ? this.cues(data, shown, audio)
          : h('div', { class: 'text', lang: shown.language }, highlighted(data.text, matchesIn(data.text, shown.language, this.matched)));
      return h('section', { class: 'text-column', 'data-id': shown.id }, h('h3', {}, heading), body);
    };
    // A recording has no text of its own: its transcript stands in for it.
    if (own.text.trim() !== '' || !withCues) texts.append(await column(item, item.translationOf ? `Translation (${languageName(item.language)})` : `Text (${languageName(item.language)})`));
    if (withCues && withCues !== item) {
      const data = await this.engine.text(withCues.id);
      texts.append(h('section', { class: 'text-column', 'data-id': withCues.id }, h('h3', {}, `Transcript: ${withCues.title}`), this.cues(data, withCues, audio)));
    }
    if (partner.length > 0) {
      const holder = h('div', {});
      const choose = async (id: string): Promise<void> => {
        const other = byId.get(id);
        if (other) holder.replaceChildren(await column(other, item.translationOf ? `Original (${languageName(other.language)})` : `Translation (${languageName(other.language)})`));
      };
      if (partner.length > 1) {
        const picker = select('translation-picker', 'Translation', []);
        picker.replaceChildren(...partner.map((id) => h('option', { value: id }, `${languageName(byId.get(id)?.language ?? '')}: ${byId.get(id)?.title ?? id}`)));
        picker.addEventListener('change', () => void choose(picker.value));
        texts.append(h('div', {}, picker, holder));
      } else texts.append(holder);
      await choose(partner[0] ?? '');
    }
  }

  /** A transcript cue by cue: a click plays the recording from there; the cue being heard is marked. */
  private cues(data: ViewerText, shown: ViewerItem, audio: HTMLAudioElement | null): HTMLElement {
    const list = h('ol', { class: 'cues' });
    const items = data.cues.map((cue) => {
      const text = data.text.slice(cue.textStart, cue.textEnd);
      const li = h(
        'li',
        { 'data-start': String(cue.start) },
        h('span', { class: 'time' }, clock(cue.start)),
        cue.speaker ? h('strong', {}, `${cue.speaker}: `) : null,
        highlighted(text, matchesIn(text, shown.language, this.matched)),
      );
      li.addEventListener('click', () => {
        if (!audio) return;
        audio.currentTime = cue.start;
        void audio.play().catch(() => undefined);
      });
      list.append(li);
      return { cue, li };
    });
    audio?.addEventListener('timeupdate', () => {
      const t = audio.currentTime;
      for (const { cue, li } of items) li.classList.toggle('current', t >= cue.start && t < cue.end);
    });
    return list;
  }
}

async function boot(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  let engine: ViewerEngine | undefined;
  let markReady = (): void => undefined;
  globalThis.__kartoteka = {
    catalogue(data) {
      engine = new ViewerEngine(data, loadScript);
    },
    shard: (n, data) => engine?.receiveShard(n, data),
    text: (id, data) => engine?.receiveText(id, data),
    ready: new Promise<void>((resolve) => (markReady = resolve)),
    lastSearch: null,
  };
  try {
    await loadScript('viewer/catalogue.js');
    if (!engine) throw new Error('viewer/catalogue.js did not describe the bundle.');
    const viewer = new Viewer(engine, root);
    await viewer.start();
    document.body.dataset['ready'] = 'true';
    markReady();
  } catch (error) {
    root.replaceChildren(h('p', { class: 'loading' }, `This bundle cannot be shown: ${error instanceof Error ? error.message : String(error)}`));
  }
}

void boot();
