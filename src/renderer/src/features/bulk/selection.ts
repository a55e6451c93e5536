import { useSyncExternalStore } from 'react';

/** A row of the list: its id and title (for saying what failed), as the list holds it. */
export interface Checked {
  id: string;
  title: string;
}

/** Rows of the list as the bulk panel reads them (the list's paged rows). */
export interface RowSource {
  total: number;
  get(index: number): { id: string; title: string } | undefined;
}

/**
 * The documents ticked in the list for a bulk edit: by checkbox, Ctrl+click (one more or one
 * fewer) or Shift+click (everything from the last one ticked). Kept outside React, so each row's
 * checkbox re-renders alone.
 */
let checked = new Map<string, Checked>();
let anchor: number | null = null;
let source: RowSource | null = null;
const listeners = new Set<() => void>();
const emit = (): void => {
  for (const listener of listeners) listener();
};

export const selection = {
  get: (): ReadonlyMap<string, Checked> => checked,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** The list shown now; another list (a new search) starts with nothing ticked. */
  setSource(rows: RowSource | null): void {
    if (rows === source) return;
    source = rows;
    anchor = null;
    if (checked.size > 0) {
      checked = new Map();
      emit();
    }
  },
  toggle(index: number, item: Checked, on?: boolean): void {
    const next = new Map(checked);
    const want = on ?? !next.has(item.id);
    if (want) next.set(item.id, { id: item.id, title: item.title });
    else next.delete(item.id);
    checked = next;
    anchor = index;
    emit();
  },
  /** Ticks every loaded row from the last one ticked to this one. */
  range(index: number, item: Checked): void {
    if (anchor === null || !source) {
      selection.toggle(index, item, true);
      return;
    }
    const next = new Map(checked);
    const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
    for (let i = from; i <= to; i++) {
      const row = source.get(i);
      if (row) next.set(row.id, { id: row.id, title: row.title });
    }
    next.set(item.id, { id: item.id, title: item.title });
    checked = next;
    emit();
  },
  clear(): void {
    anchor = null;
    if (checked.size === 0) return;
    checked = new Map();
    emit();
  },
  source: (): RowSource | null => source,
};

export function useChecked(): ReadonlyMap<string, Checked> {
  return useSyncExternalStore(selection.subscribe, selection.get);
}
