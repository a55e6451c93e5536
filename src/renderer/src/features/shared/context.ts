/** What the app lends the pages of issue 5: opening a document, running a search, saying an error. */
export interface PageContext {
  /** Opens a document; `from` names the page it was opened from, for "Back to …" above it. */
  openDocument: (id: string, from: string) => void;
  search: (query: string) => void;
  onError: (error: unknown) => void;
  /** Documents changed (a bulk edit, a case renamed): the app reads its lists again. */
  onArchiveChanged: () => void;
}
