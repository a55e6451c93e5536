import { extname } from 'node:path';
import { decodeText } from '../text-decode.ts';
import { guessLanguage } from '../language-guess.ts';
import type { Importer } from './registry.ts';

const MAX_TITLE = 120;

/** First non-empty line, without Markdown heading marks, shortened at a word. */
export function titleFromText(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((l) => l.replace(/^#{1,6}\s+/u, '').replace(/[*_`]/gu, '').trim())
    .find((l) => l.length > 0);
  if (!line) return undefined;
  if (line.length <= MAX_TITLE) return line;
  const cut = line.slice(0, MAX_TITLE);
  const space = cut.lastIndexOf(' ');
  return `${space > 40 ? cut.slice(0, space) : cut}…`;
}

export const plainTextImporter: Importer = {
  id: 'plain-text',
  label: 'Plain text and Markdown',
  extensions: ['.txt', '.md', '.markdown'],
  extract(bytes, fileName) {
    const decoded = decodeText(bytes);
    const title = titleFromText(decoded.text);
    return {
      text: decoded.text,
      mediaType: extname(fileName).toLowerCase() === '.txt' ? 'text/plain' : 'text/markdown',
      details: { encoding: decoded.encoding, bom: decoded.bom },
      suggested: { language: guessLanguage(decoded.text), ...(title ? { title } : {}) },
    };
  },
};
