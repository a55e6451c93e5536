import { KartotekaError, toEnvelope } from '../../shared/errors.ts';
import type { IndexStatus } from '../../shared/reports.ts';
import type { Archive } from '../archive.ts';
import { indexState, indexStatus, pauseRebuild, rebuildPaused, rebuildStep, resumeRebuild, startRebuild } from './indexing.ts';

/** How a background rebuild shares the thread with searches, imports and keystrokes. */
export interface RebuildPace {
  /** How long one step indexes, in one transaction (at least one document a step); 40 ms. */
  stepMs?: number | undefined;
  /** The rest between two steps, in which everything else is answered; 5 ms. */
  restMs?: number | undefined;
}

/**
 * Drives one archive's index rebuild in the background of the app, a short step at a time, and
 * lets a person start, pause and resume it. A paused rebuild stays paused for as long as this
 * archive stays open; opened again, the archive resumes it, since search has to become complete.
 */
export class BackgroundRebuild {
  readonly archive: Archive;
  readonly #stepMs: number;
  readonly #restMs: number;
  readonly #log: (message: string, error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(archive: Archive, pace: RebuildPace = {}, log: (message: string, error: unknown) => void = console.error) {
    this.archive = archive;
    this.#stepMs = pace.stepMs ?? 40;
    this.#restMs = pace.restMs ?? 5;
    this.#log = log;
  }

  /** Goes on with a rebuild that is under way and not paused (after the archive opened, after resume). */
  continue(): void {
    if (this.#stopped || this.#timer || this.archive.closed) return;
    const state = indexState(this.archive);
    if (!state.current && !state.paused) this.#schedule(0);
  }

  status(): IndexStatus {
    return indexStatus(this.archive);
  }

  /**
   * Empties the index and builds it again from every document, in the background; until it ends,
   * searches find only the documents done. A rebuild under way (running or paused) is resumed, not
   * started over: CONFLICT.
   */
  rebuild(): IndexStatus {
    const state = indexState(this.archive);
    if (!state.current) {
      throw new KartotekaError(
        'CONFLICT',
        `The search index is being rebuilt already (${state.done} of ${state.total} documents${state.paused ? ', paused' : ''}); resume it rather than starting again.`,
        { done: state.done, total: state.total, paused: state.paused },
      );
    }
    startRebuild(this.archive);
    resumeRebuild(this.archive);
    this.continue();
    return this.status();
  }

  /** Stops the rebuild at once: no step runs after this returns. Nothing under way, nothing changes. */
  pause(): IndexStatus {
    this.#cancelStep();
    if (!indexState(this.archive).current) pauseRebuild(this.archive);
    return this.status();
  }

  /** Goes on with a paused (or failed) rebuild. Nothing paused, nothing changes. */
  resume(): IndexStatus {
    resumeRebuild(this.archive);
    this.continue();
    return this.status();
  }

  /** For good: the session switched to another archive or is closing. The rebuild's state stays in the archive. */
  stop(): void {
    this.#stopped = true;
    this.#cancelStep();
  }

  #cancelStep(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#step();
    }, ms);
  }

  #step(): void {
    if (this.#stopped || this.archive.closed || rebuildPaused(this.archive)) return;
    try {
      if (!rebuildStep(this.archive, this.#stepMs).current) this.#schedule(this.#restMs);
    } catch (error) {
      // A failed step (disk full, the folder gone) holds the rebuild and says why; resume retries it.
      const { code, message } = toEnvelope(error);
      pauseRebuild(this.archive, { code, message });
      this.#log('Re-indexing stopped:', error);
    }
  }
}
