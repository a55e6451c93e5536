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
});
