import type { DocumentFile } from '../../shared/document.ts';

/**
 * Where the renderer reads a document's original: a path on its own origin, which the web mode's
 * server and the desktop app's app:// handler both answer (after checking the file is that
 * document's). Relative, so it works under either.
 */
export const originalUrl = (documentId: string, file: Pick<DocumentFile, 'sha256'>): string => `files/${documentId}/${file.sha256}`;

export type PreviewKind = 'pdf' | 'image' | 'audio' | null;

/** What kind of preview a file gets, by its type (and name, for types the importer left generic). */
export function previewKind(file: Pick<DocumentFile, 'mediaType' | 'fileName'>): PreviewKind {
  const type = file.mediaType.toLowerCase();
  const name = file.fileName.toLowerCase();
  if (type === 'application/pdf' || name.endsWith('.pdf')) return 'pdf';
  if (/^image\/(png|jpeg|gif|webp|bmp)$/u.test(type) || /\.(png|jpe?g|gif|webp)$/u.test(name)) return 'image';
  if (type.startsWith('audio/') || /\.(mp3|ogg|opus|m4a|wav)$/u.test(name)) return 'audio';
  return null;
}
