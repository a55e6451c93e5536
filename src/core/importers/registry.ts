import { extname } from 'node:path';
import type { Importer } from './types.ts';

/** A format Kartoteka reads. The module is loaded on first use, so starting the CLI stays quick. */
export interface ImporterEntry {
  id: string;
  extensions: readonly string[];
  load: () => Promise<Importer>;
}

/** Every format Kartoteka reads; adding a format is one module plus one line here. */
export const importers: readonly ImporterEntry[] = [
  { id: 'plain-text', extensions: ['.txt', '.text', '.md', '.markdown'], load: async () => (await import('./plain-text.ts')).plainTextImporter },
  { id: 'html', extensions: ['.html', '.htm', '.xhtml'], load: async () => (await import('./html.ts')).htmlImporter },
  { id: 'docx', extensions: ['.docx', '.docm'], load: async () => (await import('./docx.ts')).docxImporter },
  { id: 'odt', extensions: ['.odt', '.ott', '.fodt'], load: async () => (await import('./odt.ts')).odtImporter },
  { id: 'rtf', extensions: ['.rtf'], load: async () => (await import('./rtf.ts')).rtfImporter },
  { id: 'pdf', extensions: ['.pdf'], load: async () => (await import('./pdf.ts')).pdfImporter },
  { id: 'image', extensions: ['.png', '.jpg', '.jpeg', '.tif', '.tiff'], load: async () => (await import('./image.ts')).imageImporter },
  { id: 'transcript', extensions: ['.vtt', '.srt'], load: async () => (await import('./transcript.ts')).transcriptImporter },
  { id: 'audio', extensions: ['.mp3', '.ogg', '.opus', '.m4a', '.wav'], load: async () => (await import('./audio.ts')).audioImporter },
  { id: 'eml', extensions: ['.eml'], load: async () => (await import('./eml.ts')).emlImporter },
];

export function importerFor(fileName: string): ImporterEntry | undefined {
  const ext = extname(fileName).toLowerCase();
  return importers.find((entry) => entry.extensions.includes(ext));
}

export const supportedExtensions = (): string[] => importers.flatMap((entry) => [...entry.extensions]);
