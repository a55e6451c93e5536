import { basename } from 'node:path';
import type { ImportProgress } from '../shared/reports.ts';

type Progress = Omit<ImportProgress, 'jobId'>;

const duration = (seconds: number | null): string => {
  if (seconds === null) return '…';
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
};

export function progressLine(p: Progress, unit = 'files'): string {
  if (p.phase === 'scanning') return 'scanning…';
  const finished = p.phase === 'finished' || p.phase === 'cancelled';
  const parts = [`${p.done}/${p.total} ${unit}`, `${p.filesPerSecond}/s`, finished ? p.phase : `${duration(p.secondsLeft)} left`];
  if (p.currentPage && !finished) parts.push(`page ${p.currentPage.page}/${p.currentPage.pages} of ${basename(p.currentPage.file)}`);
  if (p.failed > 0) parts.push(`${p.failed} failed`);
  return parts.join(' · ');
}

/**
 * A progress bar redrawn in place on a terminal; elsewhere (a log, CI) a plain line every few
 * seconds. Always on stderr, so stdout stays the command's result.
 */
export function createProgressReporter(
  stream: { isTTY?: boolean; columns?: number; write(text: string): unknown },
  unit = 'files',
): {
  update(p: Progress): void;
  finish(): void;
} {
  let lastLine = 0;
  let drawn = false;
  return {
    update(p) {
      if (stream.isTTY) {
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 60));
        const filled = p.total > 0 ? Math.round((p.done / p.total) * width) : 0;
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progressLine(p, unit)}\x1b[K`);
        drawn = true;
        return;
      }
      const now = Date.now();
      if (now - lastLine >= 2000 || p.phase === 'finished' || p.phase === 'cancelled') {
        lastLine = now;
        stream.write(`${progressLine(p, unit)}\n`);
      }
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}
