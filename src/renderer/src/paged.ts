/**
 * Rows of a long list (the library, a search's hits) fetched a page at a time, by offset, as the
 * list scrolls to them. Only what was reached is held; a short page (the backend may answer with
 * fewer rows than asked) just leaves the rest to be asked for again from where it stopped.
 */
export type PageFetcher<T> = (offset: number, limit: number) => Promise<{ total: number; items: T[] }>;

export class PagedRows<T> {
  total: number;
  private readonly rows = new Map<number, T>();
  private readonly inFlight = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private failed: unknown = null;
  /** Bumped by reset(): answers to requests made before it are dropped. */
  private generation = 0;
  /** Bumped by every change, for React to notice. */
  version = 0;

  private readonly fetchPage: PageFetcher<T>;
  readonly pageSize: number;
  private readonly onError: ((error: unknown) => void) | undefined;

  constructor(fetchPage: PageFetcher<T>, pageSize: number, first?: { total: number; items: readonly T[]; offset?: number }, onError?: (error: unknown) => void) {
    this.fetchPage = fetchPage;
    this.pageSize = pageSize;
    this.onError = onError;
    this.total = first?.total ?? 0;
    if (first) this.put(first.offset ?? 0, first.items);
  }

  get(index: number): T | undefined {
    return this.rows.get(index);
  }

  has(index: number): boolean {
    return this.rows.has(index);
  }

  get loaded(): number {
    return this.rows.size;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  private put(offset: number, items: readonly T[]): void {
    items.forEach((item, i) => this.rows.set(offset + i, item));
  }

  /** Forgets every row (the archive changed) but keeps the count, so the list keeps its place. */
  reset(total = this.total): void {
    this.generation++;
    this.rows.clear();
    this.inFlight.clear();
    this.failed = null;
    this.total = total;
    this.changed();
  }

  /** Asks for whatever rows in [from, to] are not there yet, a page at a time. */
  ensure(from: number, to: number): void {
    if (this.failed !== null) return;
    const last = Math.min(to, this.total - 1);
    for (let i = Math.max(0, from); i <= last; i++) {
      if (this.rows.has(i)) continue;
      if ([...this.inFlight].some((start) => i >= start && i < start + this.pageSize)) {
        i = [...this.inFlight].filter((start) => i >= start && i < start + this.pageSize).reduce((a, b) => Math.max(a, b)) + this.pageSize - 1;
        continue;
      }
      this.request(i);
      i += this.pageSize - 1;
    }
  }

  private request(offset: number): void {
    const generation = this.generation;
    this.inFlight.add(offset);
    this.fetchPage(offset, this.pageSize)
      .then(({ total, items }) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(offset);
        this.put(offset, items);
        // Nothing where rows were expected: the list got shorter meanwhile.
        this.total = items.length === 0 ? Math.min(total, offset) : total;
        this.changed();
      })
      .catch((error: unknown) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(offset);
        // One failure stops the fetching (no storm of failing requests); reset() tries again.
        this.failed = error;
        this.onError?.(error);
        this.changed();
      });
  }
}
