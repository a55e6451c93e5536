import { KartotekaError } from '../../shared/errors.ts';

/**
 * Throws CANCELLED once the signal is aborted. Bundle operations call it between their steps
 * (each item, each phase), so a cancel lands within one item's work.
 */
export function checkCancelled(signal: AbortSignal | undefined, what: 'export' | 'import'): void {
  if (!signal?.aborted) return;
  throw new KartotekaError(
    'CANCELLED',
    what === 'export' ? 'The export was cancelled; no file was written.' : 'The import was cancelled; the archive was not changed.',
  );
}
