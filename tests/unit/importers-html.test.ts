import iconv from 'iconv-lite';
import { parseHTML } from 'linkedom';
import { describe, expect, test } from 'vitest';
import { declaredCharset, htmlImporter, htmlNestingDepth, htmlToText } from '../../src/core/importers/html.ts';
import { refusal } from '../helpers.ts';
import { context } from './office-fixtures.ts';

const extract = (bytes: Uint8Array, extra = {}) => htmlImporter.extract(bytes, context('statement.html', {}, extra));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);


const LETTER = 'Дорогие друзья! Спасибо за письма. Здесь холодно, но я держусь. Передайте привет всем, кто пишет.';

describe('htmlImporter', () => {
  test.each([
    ['<meta charset="windows-1251">'],
    ['<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'],
  ])('reads a Windows-1251 page that declares its charset with %s', async (meta) => {
    const page = `<html><head>${meta}<title>Письмо из колонии</title></head><body><p>${LETTER}</p></body></html>`;
    const result = await extract(iconv.encode(page, 'windows-1251'));
    expect(result.text).toBe(LETTER);
    expect(result.suggested.title).toBe('Письмо из колонии');
    expect(result.encoding).toMatchObject({ name: 'windows-1251', source: 'declared' });
    expect(result.mediaType).toBe('text/html');
  });

  test('reads a UTF-8 page without a charset declaration', async () => {
    const result = await extract(utf8(`<html><body><h1>Заява</h1><p>Євген Ґонта — політв’язень.</p></body></html>`));
    expect(result.text).toBe('Заява\n\nЄвген Ґонта — політв’язень.');
    expect(result.encoding?.name).toBe('utf-8');
    expect(result.suggested.title).toBe('Заява');
  });

  test("uses the user's chosen encoding over the page's declaration", async () => {
    const page = iconv.encode(`<meta charset="koi8-r"><p>${LETTER}</p>`, 'windows-1251');
    const result = await extract(page, { encodingOverride: 'windows-1251' });
    expect(result.text).toBe(LETTER);
    expect(result.encoding?.source).toBe('override');
  });

  test('keeps only the text of the page: no scripts, styles, menus, banners, forms or hidden parts', async () => {
    const page = `<!DOCTYPE html><html lang="ru"><head><title>Заявление «Мемориала»</title>
      <style>p { color: red }</style><script>var secret = "<p>скрипт</p>";</script></head>
      <body><header><nav><a href="/">Главная</a> | <a href="/news">Новости</a></nav></header>
      <main><article><header><h1>Свободу политзаключённым!</h1><p>Автор: И. Иванова</p></header>
      <p>Текст заявления.</p><div aria-hidden="true">иконка</div><div style="display:none">прехедер письма</div>
      <div hidden>скрытый блок</div><div role="navigation">хлебные крошки</div></article></main>
      <aside>Реклама</aside><footer>© 2024 Сайт</footer><noscript>Включите JavaScript</noscript>
      <svg><title>логотип</title><text>SVG</text></svg><template><p>шаблон</p></template>
      <form><label>Имя</label><input value="x"><button>Отправить</button></form><iframe src="x">фрейм</iframe></body></html>`;
    const result = await extract(utf8(page));
    expect(result.text).toBe('Свободу политзаключённым!\n\nАвтор: И. Иванова\n\nТекст заявления.');
    expect(result.suggested.title).toBe('Заявление «Мемориала»');
  });

  test('decodes entities and turns blocks, line breaks, lists and tables into lines', async () => {
    const page =
      '<p>Суд&nbsp;&mdash; &laquo;справедливый&raquo; &amp; &#1073;&#x44B;&#x441;&#1090;&#1088;&#1099;&#1081;.</p>' +
      '<p>Строка<br>вторая<br><br>после пустой</p><ul><li>первый</li><li>второй</li></ul>' +
      '<table><tr><th>Статья</th><th>Срок</th></tr><tr><td>207.3</td><td>7 лет</td></tr></table>' +
      '<div>Много    пробелов\n   и переносов</div><blockquote>Цитата</blockquote>';
    expect((await extract(utf8(page))).text).toBe(
      'Суд — «справедливый» & быстрый.\n\nСтрока\nвторая\n\nпосле пустой\n\nпервый\nвторой\n\nСтатья\tСрок\n207.3\t7 лет\n\nМного пробелов и переносов\n\nЦитата',
    );
  });

  test('refuses 100,000 nested <div>s quickly, and reads a page nested 900 deep', async () => {
    const nested = (n: number): string => `<html><body>${'<div>'.repeat(n)}глубоко${'</div>'.repeat(n)}</body></html>`;
    const error = await refusal(extract(utf8(nested(100_000))));
    expect(error.code).toBe('TOO_DEEPLY_NESTED');
    expect(htmlToText(nested(900), { maxNestingDepth: 1000 }).text).toBe('глубоко');
  });

  test('refuses an empty file and a page with no visible text (EMPTY_FILE); htmlToText returns empty text', async () => {
    expect((await refusal(extract(new Uint8Array(0)))).code).toBe('EMPTY_FILE');
    const blank = '<html><head><title>Пусто</title><script>x()</script></head><body> <img src="a.png"> </body></html>';
    const error = await refusal(extract(utf8(blank)));
    expect(error.code).toBe('EMPTY_FILE');
    expect(error.message).toMatch(/no text/u);
    expect(htmlToText(blank, { maxNestingDepth: 1000 })).toEqual({ text: '', title: 'Пусто' });
  });
});

describe('htmlNestingDepth', () => {
  /** The depth linkedom really builds, measured without recursion. */
  function linkedomDepth(html: string): number {
    interface Node {
      childNodes: ArrayLike<Node>;
    }
    const { document } = parseHTML(html) as unknown as { document: Node };
    let deepest = 0;
    const stack: { node: Node; depth: number }[] = [{ node: document, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop() as { node: Node; depth: number };
      deepest = Math.max(deepest, depth);
      for (let i = 0; i < node.childNodes.length; i += 1) stack.push({ node: node.childNodes[i] as Node, depth: depth + 1 });
    }
    return deepest - 1;
  }

  test.each([
    ['unclosed paragraphs', '<p>a'.repeat(300)],
    ['unclosed list items', `<ul>${'<li>x'.repeat(300)}</ul>`],
    ['unclosed <font>s', '<font>x'.repeat(300)],
    ['self-closing <div/>s (not self-closing in HTML)', '<div/>'.repeat(300)],
    ['self-closing SVG paths', `<svg>${'<path/>'.repeat(300)}</svg>`],
    ['tags inside a script', `<script>${'<div>'.repeat(300)}</script><p>x</p>`],
    ['tags inside a comment', `<!--${'<div>'.repeat(300)}--><p>x</p>`],
    ['a ">" inside an attribute', `${'<div title="a>b">'.repeat(300)}x`],
    ['stray closing tags', `<div>${'</span><b>'.repeat(300)}</div>`],
    ['a real page', '<!DOCTYPE html><html><head><title>t</title></head><body><table><tr><td>1<td>2<tr><td>3</table><dl><dt>a<dd>b</dl></body></html>'],
  ])('counts the depth linkedom builds: %s', (_name, html) => {
    // Never less (the guard would let a slow page through), and not more than one level over (no false refusals).
    const real = linkedomDepth(html);
    expect(htmlNestingDepth(html)).toBeGreaterThanOrEqual(real);
    expect(htmlNestingDepth(html)).toBeLessThanOrEqual(real + 1);
  });

  test('finds the declared charset in a meta tag or an XML declaration, and reads utf-16 labels as utf-8', () => {
    expect(declaredCharset(utf8('<html><head><META CHARSET=KOI8-R>'))).toBe('koi8-r');
    expect(declaredCharset(utf8('<?xml version="1.0" encoding="windows-1251"?><html>'))).toBe('windows-1251');
    expect(declaredCharset(utf8('<!-- <meta charset="koi8-r"> --><p>x</p>'))).toBeUndefined();
    expect(declaredCharset(utf8('<meta charset="utf-16">'))).toBe('utf-8');
  });
});
