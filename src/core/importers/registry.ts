import { extname } from 'node:path';
import type { DocumentKind } from '../../shared/document.ts';
import { plainTextImporter } from './plain-text.ts';

/** What an importer reads out of a file; suggestions never overwrite what a user typed. */
export interface Extraction {
  text: string;
  mediaType: string;
  details: Record<string, unknown>;
  suggested: { title?: string; language?: string; kind?: DocumentKind };
}

export interface Importer {
  id: string;
  label: string;
  extensions: readonly string[];
  extract(bytes: Uint8Array, fileName: string): Extraction;
}

/** Every format Kartoteka reads; adding a format is adding one module to this list. */
export const importers: readonly Importer[] = [plainTextImporter];

export function importerFor(fileName: string): Importer | undefined {
  const ext = extname(fileName).toLowerCase();
  return importers.find((importer) => importer.extensions.includes(ext));
}

export const supportedExtensions = (): string[] => importers.flatMap((importer) => [...importer.extensions]);
