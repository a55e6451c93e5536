import { extname } from 'node:path';
import { decodeBytes } from '../text/encoding.ts';
import type { Importer } from './types.ts';

export const plainTextImporter: Importer = {
  id: 'plain-text',
  label: 'Plain text and Markdown',
  extensions: ['.txt', '.text', '.md', '.markdown'],
  extract(bytes, context) {
    const decoded = decodeBytes(bytes, { override: context.encodingOverride, repairMojibake: context.repairMojibake });
    return Promise.resolve({
      text: decoded.text,
      mediaType: extname(context.fileName).toLowerCase().startsWith('.m') ? 'text/markdown' : 'text/plain',
      textSource: 'text',
      encoding: decoded.encoding,
      repair: decoded.repair,
      details: {},
      suggested: {},
    });
  },
};
