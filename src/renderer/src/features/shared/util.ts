import type { TFunction } from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportedFile } from '../../../../shared/entities.ts';
import { KartotekaError } from '../../../../shared/errors.ts';

/** Whether an error is the backend's CONFLICT (a name or title already taken, work already started). */
export const isConflict = (e: unknown): e is KartotekaError => e instanceof KartotekaError && e.code === 'CONFLICT';

/** An error as a person reads it, in the interface language; CONFLICT said for the thing at hand. */
export function errorText(t: TFunction, e: unknown, conflictKey?: string): string {
  if (isConflict(e) && conflictKey) return t(conflictKey);
  if (e instanceof KartotekaError) return t(`error.${e.code}`, { defaultValue: e.message });
  return e instanceof Error ? e.message : String(e);
}

/** The id an error's details name (translations.start's CONFLICT names the translation already begun). */
export const detailsId = (e: unknown): string | null => {
  const details = e instanceof KartotekaError ? e.details : null;
  const id = details && typeof details === 'object' && 'id' in details ? (details as { id: unknown }).id : null;
  return typeof id === 'string' ? id : null;
};

/** Offers a file the backend made (base64) as a download. */
export function downloadFile(file: ExportedFile): void {
  const binary = atob(file.dataBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.className = 'visually-hidden';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Loads something and keeps it, dropping answers that come after a newer load began. `reload`
 * loads again; `setData` changes what is kept (an answer of a save).
 */
export function useLoaded<T>(load: () => Promise<T>, deps: readonly unknown[], onError: (e: unknown) => void) {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const errorRef = useRef(onError);
  errorRef.current = onError;
  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (mine !== seq.current) return;
        setData(value);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (mine !== seq.current) return;
        setLoading(false);
        errorRef.current(e);
      });
  }, []);
  useEffect(reload, deps);
  return { data, setData, loading, reload };
}

/** Moves focus to an element once it is drawn (a page's heading when the page opens). */
export function useFocusOnMount<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, [key]);
  return ref;
}

/** Intl names languages in lower case in Russian and Ukrainian ("русский"); a heading starts with a capital. */
export const capitalised = (text: string, locale: string): string => text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
