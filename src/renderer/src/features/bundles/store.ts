import { useSyncExternalStore } from 'react';
import type { BundleSelection } from '../../../../shared/bundles.ts';

/** What an export dialog was opened for: the selection, and what the dialog says about it. */
export interface ExportTarget {
  selection: BundleSelection;
  /** How many documents the list showed (a search's hits, the ticked rows); null when not known. */
  count: number | null;
  /** The person's name when the selection names one by id. */
  name?: string;
}

export type BundleDialog = { type: 'export'; target: ExportTarget } | { type: 'import' };

/**
 * Which bundle dialog is open. Kept outside React's tree (like nav.ts) so that the result list, the
 * bulk panel, a person's or a case's page and the toolbar can open one without callbacks passed down.
 */
let open: BundleDialog | null = null;
const listeners = new Set<() => void>();
const set = (next: BundleDialog | null): void => {
  open = next;
  for (const listener of listeners) listener();
};

export const bundleDialogs = {
  get: (): BundleDialog | null => open,
  openExport(target: ExportTarget): void {
    set({ type: 'export', target });
  },
  openImport(): void {
    set({ type: 'import' });
  },
  close(): void {
    if (open !== null) set(null);
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useBundleDialog(): BundleDialog | null {
  return useSyncExternalStore(bundleDialogs.subscribe, bundleDialogs.get);
}
