import { useSyncExternalStore } from 'react';

/**
 * The pages of issue 5 (a person, a case, a collection, a translation being made, a translation
 * side by side with its original) take the place of the list and the document while they are open.
 * Which one is open lives here, outside React's tree, so that the sidebar, the document view and
 * the list can open one without the app passing callbacks down through every component.
 */
export type FeaturePage =
  | { type: 'person'; id: string | null }
  | { type: 'case'; id: string | null; title?: string }
  | { type: 'collection'; id: string }
  | { type: 'translate'; originalId: string; translationId: string }
  | { type: 'aligned'; originalId: string; translationId: string }
  | { type: 'duplicates' };

/** A page a document was opened from, offered as "Back to …" above that document. */
export interface BackLink {
  page: FeaturePage;
  label: string;
  documentId: string;
}

interface NavState {
  page: FeaturePage | null;
  back: BackLink | null;
  /** Bumped when people, cases or collections change, for the lists that show them to read them again. */
  version: number;
}

let state: NavState = { page: null, back: null, version: 0 };
const listeners = new Set<() => void>();

const set = (next: Partial<NavState>): void => {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
};

const subscribe = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const nav = {
  get: (): NavState => state,
  open(page: FeaturePage): void {
    set({ page });
  },
  /** Closes the open page (a document was opened, a search run, the library chosen). */
  close(): void {
    if (state.page !== null) set({ page: null });
  },
  /** Remembers the page a document is being opened from. */
  leaveFor(documentId: string, label: string): void {
    if (state.page) set({ back: { page: state.page, label, documentId } });
  },
  changed(): void {
    set({ version: state.version + 1 });
  },
};

/** What the app lends the features (set by FeatureHost): components in the document view use it too. */
export interface AppLinks {
  openDocument: (id: string) => void;
  /** Documents were added or changed: the app reads its lists again. */
  archiveChanged: () => void;
}
let links: AppLinks | null = null;
export const setAppLinks = (value: AppLinks | null): void => {
  links = value;
};
export const appLinks = (): AppLinks | null => links;

/** Called by the app whenever it shows something else than a page of issue 5. */
export const closeFeaturePage = (): void => nav.close();

export function useNav(): NavState {
  return useSyncExternalStore(subscribe, nav.get);
}

/** Same page (same thing shown), whatever object holds it. */
export const samePage = (a: FeaturePage | null, b: FeaturePage | null): boolean => JSON.stringify(a) === JSON.stringify(b);
