import { parseHTML } from 'linkedom';
import { KartotekaError } from '../../shared/errors.ts';
import { decodeBytes } from '../text/encoding.ts';
import type { Extraction, Importer } from './types.ts';

/**
 * HTML pages (saved articles, statements, Word's "Save as Web Page") and, through htmlToText,
 * the HTML bodies of e-mails. linkedom builds the tree; we walk it without recursion and keep
 * only what a reader sees as the page's text.
 */

/** Subtrees whose text is not the page's own: code, chrome, forms, embedded documents. */
const DROPPED = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'nav', 'aside', 'form', 'iframe', 'frame', 'frameset',
  'object', 'embed', 'canvas', 'audio', 'video', 'map', 'select', 'button', 'datalist', 'dialog', 'title',
  'link', 'meta', 'base',
]);
/** Site banners and footers; inside an article they hold its headline and byline, so they stay there. */
const CHROME = new Set(['header', 'footer']);

/** Elements that start and end a paragraph: a blank line either side. */
const PARAGRAPHS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'ul', 'ol', 'dl', 'hr', 'figure',
  'address', 'article', 'section', 'main', 'fieldset', 'details', 'center', 'listing', 'xmp', 'plaintext',
]);
/** Elements that start and end a line. */
const LINES = new Set([
  'div', 'li', 'dt', 'dd', 'tr', 'caption', 'figcaption', 'legend', 'summary', 'body', 'html', 'option', 'menu',
  'dir', 'hgroup', 'search', 'header', 'footer', 'thead', 'tbody', 'tfoot', 'label',
]);
const CELLS = new Set(['td', 'th']);
const PREFORMATTED = new Set(['pre', 'textarea', 'listing', 'xmp', 'plaintext']);

/** The few members of linkedom's DOM we use; its typings need the DOM library, which core does not load. */
interface MarkupNode {
  readonly nodeType: number;
  readonly localName?: string;
  readonly data?: string;
  readonly childNodes: ArrayLike<MarkupNode>;
  getAttribute?(name: string): string | null;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/**
 * Whitespace as a reader expects it: one space between words, no spaces at line ends, at most
 * one blank line, no soft hyphens (invisible, and they split words for search), NFC.
 * Tabs survive, once, as table-cell and tab-stop separators.
 */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/gu, '\n')
    .replace(/\u00AD/gu, '')
    .replace(/[^\S\n\t]+/gu, ' ')
    .replace(/ *\t[\t ]*/gu, '\t')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim()
    .normalize('NFC');
}

/* The depth guard. htmlparser2 (linkedom's parser) keeps its open-element stack with unshift and
   shift, so each tag costs time in proportion to the depth: 100,000 nested <div>s take 2.5 s and
   1,000,000 did not finish in ten minutes (measured). So before parsing we replay its stack
   rules (void elements, tags that close others, raw-text elements) on a plain array, in linear
   time, and refuse pages nested deeper than the limit. The tables follow htmlparser2 10. */

const VOID = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen',
  'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
const formTags = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const pTag = new Set(['p']);
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t) => [t, formTags] as const),
  ...[
    'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl',
    'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section',
    'table', 'ul',
  ].map((t) => [t, pTag] as const),
]);
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp']);
const FOREIGN = new Set(['svg', 'math']);

/**
 * The deepest nesting linkedom's parser will reach on this markup. Linear time; stops counting
 * once past `stopAbove`.
 */
export function htmlNestingDepth(html: string, stopAbove = Number.POSITIVE_INFINITY): number {
  const stack: string[] = [];
  const counts = new Map<string, number>();
  let foreign = 0;
  let deepest = 0;
  const push = (name: string): void => {
    stack.push(name);
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (FOREIGN.has(name)) foreign += 1;
    if (stack.length > deepest) deepest = stack.length;
  };
  const pop = (): void => {
    const name = stack.pop();
    if (name === undefined) return;
    counts.set(name, (counts.get(name) ?? 1) - 1);
    if (FOREIGN.has(name)) foreign -= 1;
  };
  const tag = /<(\/?)([a-zA-Z][^\s/>]*)/gy;
  let i = 0;
  while (i < html.length && deepest <= stopAbove) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const end = html.indexOf('>', lt + 2);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    tag.lastIndex = lt;
    const match = tag.exec(html);
    if (match === null) {
      i = lt + 1;
      continue;
    }
    const closing = match[1] === '/';
    const name = (match[2] ?? '').toLowerCase();
    const end = tagEnd(html, tag.lastIndex);
    const selfClosing = end > 1 && html[end - 1] === '/';
    i = end < 0 ? html.length : end + 1;
    if (closing) {
      if (VOID.has(name) || (counts.get(name) ?? 0) === 0) continue;
      while (stack.length > 0 && stack[stack.length - 1] !== name) pop();
      pop();
      continue;
    }
    const implied = OPEN_IMPLIES_CLOSE.get(name);
    if (implied !== undefined) {
      while (stack.length > 0 && implied.has(stack[stack.length - 1] ?? '')) pop();
    }
    if (VOID.has(name)) continue;
    push(name);
    if (selfClosing && foreign > 0) {
      pop();
      continue;
    }
    if (RAW_TEXT.has(name) && foreign === 0) {
      const close = new RegExp(`</${name}`, 'giu');
      close.lastIndex = i;
      i = close.exec(html)?.index ?? html.length;
    }
  }
  return deepest;
}

/** Index of the '>' that ends a tag whose attributes start at `from`, minding quoted values; -1 if none. */
function tagEnd(html: string, from: number): number {
  let quote = '';
  for (let j = from; j < html.length; j += 1) {
    const c = html[j];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      // Quotes only open a value after '='; a stray one in a tag name or attribute name is text.
      if (/=\s*$/u.test(html.slice(Math.max(from, j - 8), j))) quote = c;
    } else if (c === '>') {
      return j;
    }
  }
  return -1;
}

export interface HtmlText {
  text: string;
  title?: string | undefined;
}

interface Frame {
  nodes: ArrayLike<MarkupNode>;
  index: number;
  /** The element these are the children of, closed when they run out. */
  element: string;
  /** Output offset where the first <h1> started: its text is the title when <title> is missing. */
  h1Start?: number | undefined;
}

/**
 * The text a reader sees on the page, and its title (<title>, else the first <h1>). Throws
 * TOO_DEEPLY_NESTED when elements nest deeper than maxNestingDepth (see htmlNestingDepth).
 */
export function htmlToText(html: string, options: { maxNestingDepth: number }): HtmlText {
  const depth = htmlNestingDepth(html, options.maxNestingDepth);
  if (depth > options.maxNestingDepth) {
    throw new KartotekaError(
      'TOO_DEEPLY_NESTED',
      `The HTML nests elements more than ${options.maxNestingDepth} deep. Real pages stay far below that; the file is damaged ` +
        'or built to exhaust memory. If you trust it, open it in a browser and save the page as text.',
    );
  }
  const { document } = parseHTML(html) as unknown as { document: MarkupNode };

  let out = '';
  let title: string | undefined;
  let firstH1: string | undefined;
  let h1Seen = false;
  let preformatted = 0;
  let inArticle = 0;
  // Breaks and cell gaps wait until text follows, so empty elements add no blank lines.
  let pendingBreak = 0;
  let cellGap = false;
  const breakLine = (lines: number): void => {
    if (lines > pendingBreak) pendingBreak = lines;
  };
  const write = (text: string): void => {
    if (out.length > 0) {
      if (pendingBreak > 0) out += '\n'.repeat(pendingBreak);
      else if (cellGap) out += '\t';
    }
    pendingBreak = 0;
    cellGap = false;
    out += text;
  };

  const stack: Frame[] = [{ nodes: document.childNodes, index: 0, element: '#document' }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      const name = frame.element;
      if (PARAGRAPHS.has(name)) breakLine(2);
      else if (LINES.has(name)) breakLine(1);
      else if (CELLS.has(name)) cellGap = true;
      if (PREFORMATTED.has(name)) preformatted -= 1;
      if (name === 'article' || name === 'main') inArticle -= 1;
      if (frame.h1Start !== undefined) firstH1 = oneLine(out.slice(frame.h1Start));
      continue;
    }
    const node = frame.nodes[frame.index] as MarkupNode;
    frame.index += 1;

    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
      const data = node.data ?? '';
      if (preformatted > 0) {
        data.replace(/\r\n?/gu, '\n').split('\n').forEach((line, n) => {
          if (n > 0) pendingBreak += 1;
          if (line.length > 0) write(line);
        });
        continue;
      }
      const collapsed = data.replace(/[ \t\n\r\f]+/gu, ' ');
      // Whitespace between blocks is layout, not text.
      if (collapsed === ' ' && (pendingBreak > 0 || out.length === 0)) continue;
      if (collapsed.length > 0) write(collapsed);
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;

    const name = (node.localName ?? '').toLowerCase();
    if (name === 'title' && title === undefined) title = oneLine(textOf(node));
    if (isHidden(node, name, inArticle > 0)) continue;
    if (name === 'br') {
      // Each <br> ends a line; two in a row leave a blank one.
      pendingBreak = Math.min(2, pendingBreak + 1);
      continue;
    }
    if (PARAGRAPHS.has(name)) breakLine(2);
    else if (LINES.has(name)) breakLine(1);
    if (name === 'tr') cellGap = false;
    if (PREFORMATTED.has(name)) preformatted += 1;
    if (name === 'article' || name === 'main') inArticle += 1;
    const child: Frame = { nodes: node.childNodes, index: 0, element: name };
    if (name === 'h1' && !h1Seen) {
      h1Seen = true;
      child.h1Start = out.length;
    }
    stack.push(child);
  }

  return { text: tidyText(out), title: title ?? firstH1 };
}

/** A title on one line, or undefined when it is blank. */
function oneLine(text: string): string | undefined {
  const line = tidyText(text).replace(/\s+/gu, ' ');
  return line.length > 0 ? line : undefined;
}

function isHidden(node: MarkupNode, name: string, inArticle: boolean): boolean {
  if (DROPPED.has(name)) return true;
  if (CHROME.has(name) && !inArticle) return true;
  const attr = (key: string): string => (node.getAttribute?.(key) ?? '').trim().toLowerCase();
  if (attr('aria-hidden') === 'true' || attr('role') === 'navigation') return true;
  if (node.getAttribute?.('hidden') != null) return true;
  // E-mails hide a "preheader" line for inbox previews this way; readers never see it.
  return /(?:^|;)\s*display\s*:\s*none/u.test(attr('style'));
}

/** The text below a node, gathered without recursion. */
function textOf(root: MarkupNode): string {
  let text = '';
  const stack: { nodes: ArrayLike<MarkupNode>; index: number }[] = [{ nodes: root.childNodes, index: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as { nodes: ArrayLike<MarkupNode>; index: number };
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const node = frame.nodes[frame.index] as MarkupNode;
    frame.index += 1;
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) text += node.data ?? '';
    else if (node.nodeType === ELEMENT_NODE) stack.push({ nodes: node.childNodes, index: 0 });
  }
  return text;
}

/** How far into the file a charset declaration is looked for (browsers look at the first 1,024 bytes). */
const PRESCAN_BYTES = 2048;

/**
 * The charset the page declares in its first bytes: <meta charset>, <meta http-equiv=
 * "Content-Type" content="...; charset=...">, or an XHTML file's XML declaration.
 */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, PRESCAN_BYTES)).replace(/<!--[\s\S]*?-->/gu, '');
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/iu.exec(head)?.[1];
  const xml = /^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/iu.exec(head)?.[1];
  const label = (meta ?? xml)?.toLowerCase();
  // A page found by reading it as ASCII cannot be UTF-16: the HTML standard reads such a label as UTF-8.
  if (label !== undefined && /^utf-?16/u.test(label)) return 'utf-8';
  return label;
}

export const htmlImporter: Importer = {
  id: 'html',
  label: 'Web pages (.html)',
  extensions: ['.html', '.htm', '.xhtml'],
  // async so that every failure arrives as a rejected promise, never as a synchronous throw.
  async extract(bytes, context) {
    const { fileName } = context;
    if (bytes.length === 0) throw new KartotekaError('EMPTY_FILE', `${fileName} is empty (0 bytes).`);
    const declared = declaredCharset(bytes);
    const decoded = decodeBytes(bytes, { declared, override: context.encodingOverride, repairMojibake: context.repairMojibake });
    const page = htmlToText(decoded.text, { maxNestingDepth: context.limits.maxNestingDepth });
    if (page.text.length === 0) {
      throw new KartotekaError('EMPTY_FILE', `${fileName} is a web page with no text a reader would see (only markup, scripts, menus or pictures).`);
    }
    const extraction: Extraction = {
      text: page.text,
      mediaType: /\.xhtml$/iu.test(fileName) ? 'application/xhtml+xml' : 'text/html',
      textSource: 'text',
      encoding: decoded.encoding,
      repair: decoded.repair,
      details: {
        paragraphs: page.text.split(/\n{2,}/u).length,
        ...(declared !== undefined ? { declaredCharset: declared } : {}),
      },
      suggested: page.title !== undefined ? { title: page.title } : {},
    };
    return extraction;
  },
};
