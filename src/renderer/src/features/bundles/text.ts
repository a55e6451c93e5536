import type { TFunction } from 'i18next';
import { KartotekaError } from '../../../../shared/errors.ts';

/** A size as people read it, in the interface language: "2.3 MB", "2,3 МБ". */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  try {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  } catch {
    return `${bytes} B`;
  }
}

/** An error of a bundle call in the interface language; the backend's own words when there are none. */
export function bundleErrorText(t: TFunction, e: unknown): string {
  if (e instanceof KartotekaError) return t(`bundles.error.${e.code}`, { defaultValue: t(`error.${e.code}`, { defaultValue: e.message }) });
  return e instanceof Error ? e.message : String(e);
}

export const errorCode = (e: unknown): string | null => (e instanceof KartotekaError ? e.code : null);

/** Whether a path names a place on this machine from its root (POSIX, a Windows drive, a UNC share). */
export const isAbsolutePath = (path: string): boolean => /^\//u.test(path) || /^[A-Za-z]:[\\/]/u.test(path) || /^\\\\[^\\]/u.test(path);

/** The folder part of a path, with either separator; null when it has none. */
export function folderOf(path: string): string | null {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return null;
  // "/kartoteka.zip": the root itself; "C:\\kartoteka.zip": the drive's root.
  return cut === 0 ? path.slice(0, 1) : /^[A-Za-z]:$/u.test(path.slice(0, cut)) ? path.slice(0, cut + 1) : path.slice(0, cut);
}

export const fileNameOf = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** The path with the ending an encrypted (.zip.age) or plain (.zip) bundle has; other endings are left as the user typed them. */
export function withBundleEnding(path: string, encrypted: boolean): string {
  if (encrypted && /\.zip$/iu.test(path)) return `${path}.age`;
  if (!encrypted && /\.zip\.age$/iu.test(path)) return path.slice(0, -'.age'.length);
  return path;
}
