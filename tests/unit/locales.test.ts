import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.ts';

type Tree = { [key: string]: string | Tree };
const load = (code: string): Tree => JSON.parse(readFileSync(join(repoRoot, 'src', 'renderer', 'src', 'locales', `${code}.json`), 'utf8')) as Tree;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/u;
const stems = (keys: Iterable<string>): Set<string> => new Set([...keys].map((k) => k.replace(PLURAL, '')));
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{\{\s*(\w+)/gu)].map((m) => m[1] ?? ''))].sort();

/**
 * Placeholders holding a number of things: written as the interface language writes numbers
 * (100,000 in English, 100 000 in Russian and Ukrainian), so each must be `{{name, number}}`.
 */
const COUNTS = new Set(['count', 'done', 'total', 'shown', 'rate', 'confidential', 'originals', 'pages']);
/**
 * Every other placeholder, each decided not to be a count: words, names and formatted values
 * (size, time and date come formatted), and numbers that name rather than count, where a
 * thousands separator would be wrong (a page "p. 1234", a paragraph, a position in the query, a percentage).
 */
const NOT_COUNTS = new Set([
  'name', 'title', 'text', 'path', 'filter', 'language', 'word', 'query', 'reason', 'term', 'role', 'list', 'field', 'example', 'variant',
  'value', 'translation', 'suffix', 'status', 'names', 'kind', 'file', 'files', 'citation', 'article', 'a', 'b', 'steps',
  'size', 'time', 'date',
  'page', 'n', 'position', 'percent', 'confidence',
]);
const interpolations = (text: string): { name: string; format: string | null }[] =>
  [...text.matchAll(/\{\{\s*(\w+)\s*(?:,\s*([\w-]+)\s*)?\}\}/gu)].map((m) => ({ name: m[1] ?? '', format: m[2] ?? null }));

describe('the interface languages', () => {
  const en = flatten(load('en'));
  for (const code of ['ru', 'uk']) {
    const other = flatten(load(code));
    it(`${code} says everything English says, with the plural forms it needs and the same placeholders`, () => {
      expect([...stems(en.keys())].filter((k) => !stems(other.keys()).has(k))).toEqual([]);
      expect([...stems(other.keys())].filter((k) => !stems(en.keys()).has(k))).toEqual([]);
      for (const key of en.keys()) {
        if (!key.endsWith('_one')) continue;
        const stem = key.slice(0, -4);
        for (const form of ['one', 'few', 'many', 'other']) expect(other.has(`${stem}_${form}`), `${code} ${stem}_${form}`).toBe(true);
      }
      for (const [key, text] of en) {
        const stem = key.replace(PLURAL, '');
        const counterpart = other.get(key) ?? other.get(`${stem}_other`) ?? '';
        // "count" may be spelled out in a form ("одна пара"); every other value must be there.
        expect(placeholders(counterpart).filter((p) => p !== 'count'), `${code} ${key}`).toEqual(placeholders(text).filter((p) => p !== 'count'));
      }
    });
  }

  for (const code of ['en', 'ru', 'uk']) {
    it(`${code} writes every count in the number format of the language, and every placeholder is known to be a count or not`, () => {
      const unformatted: string[] = [];
      const unknown: string[] = [];
      for (const [key, text] of flatten(load(code))) {
        for (const { name, format } of interpolations(text)) {
          if (COUNTS.has(name) && format !== 'number') unformatted.push(`${key}: {{${name}}}`);
          // A new placeholder is decided here: a count goes in COUNTS (and takes ", number"), anything else in NOT_COUNTS.
          if (!COUNTS.has(name) && !NOT_COUNTS.has(name)) unknown.push(`${key}: {{${name}}}`);
        }
      }
      expect(unformatted, 'counts without ", number"').toEqual([]);
      expect(unknown, 'placeholders neither in COUNTS nor in NOT_COUNTS').toEqual([]);
    });
  }
});
