import type { SavedSegment, TranslationProgress } from '../../../../shared/entities.ts';

export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

/**
 * Saves the paragraphs of a translation as they are typed: each change waits DELAY_MS for the
 * next keystroke, then goes; changes of several paragraphs (one moved to the next quickly) each
 * keep their latest text, and saves go one after another, in order, so an older text never
 * overwrites a newer one. A failed save keeps its text to try again; nothing typed is dropped.
 */
export class SegmentSaver {
  static readonly DELAY_MS = 400;
  private readonly pending = new Map<number, string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private failed = false;
  state: SaveState = 'saved';
  savedAt: string | null = null;

  private readonly save: (seq: number, text: string) => Promise<SavedSegment>;
  private readonly onChange: (state: SaveState, progress: TranslationProgress | null) => void;

  constructor(save: (seq: number, text: string) => Promise<SavedSegment>, onChange: (state: SaveState, progress: TranslationProgress | null) => void) {
    this.save = save;
    this.onChange = onChange;
  }

  /** Whether something typed is not in the archive yet. */
  get dirty(): boolean {
    return this.pending.size > 0 || this.inFlight > 0;
  }

  private set(state: SaveState, progress: TranslationProgress | null = null): void {
    this.state = state;
    this.onChange(state, progress);
  }

  /** The paragraph's new text: saved once typing pauses. */
  schedule(seq: number, text: string): void {
    this.pending.set(seq, text);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SegmentSaver.DELAY_MS);
    if (this.inFlight === 0) this.set('pending');
  }

  /** Sends every change not sent yet, now; resolves when all saves so far are done. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = [...this.pending];
    this.pending.clear();
    this.failed = false;
    for (const [seq, text] of batch) {
      this.inFlight++;
      this.chain = this.chain.then(() => this.send(seq, text));
    }
    if (batch.length > 0) this.set('saving');
    return this.chain;
  }

  private async send(seq: number, text: string): Promise<void> {
    try {
      const saved = await this.save(seq, text);
      this.inFlight--;
      this.savedAt = saved.updatedAt;
      if (this.failed) return;
      this.set(this.pending.size > 0 ? 'pending' : this.inFlight > 0 ? 'saving' : 'saved', saved.progress);
    } catch {
      this.inFlight--;
      // Kept to try again, unless newer text for the paragraph is already waiting.
      if (!this.pending.has(seq)) this.pending.set(seq, text);
      this.failed = true;
      this.set('error');
    }
  }
}
