import { describe, expect, it } from 'vitest';
import { createProgressReporter, progressLine } from '../../src/cli/progress.ts';

const at = (done: number, phase: 'importing' | 'finished' = 'importing') => ({
  phase,
  total: 200,
  done,
  imported: done,
  duplicates: 0,
  possibleDuplicates: 0,
  failed: done > 100 ? 2 : 0,
  filesPerSecond: 40,
  secondsLeft: phase === 'finished' ? null : Math.round((200 - done) / 40),
  currentFile: null,
});

describe('import progress on the command line', () => {
  it('says files done of total, the rate, the time left and failures', () => {
    expect(progressLine(at(50))).toBe('50/200 files · 40/s · 4s left');
    expect(progressLine(at(120))).toBe('120/200 files · 40/s · 2s left · 2 failed');
    expect(progressLine(at(200, 'finished'))).toBe('200/200 files · 40/s · finished · 2 failed');
  });

  it('redraws one line on a terminal and writes plain lines elsewhere', () => {
    const tty: string[] = [];
    const bar = createProgressReporter({ isTTY: true, columns: 100, write: (t) => tty.push(t) });
    bar.update(at(50));
    bar.update(at(100));
    bar.finish();
    expect(tty[0]).toMatch(/^\r\[#{10}\.{30}\] 50\/200 files/u);
    expect(tty.at(-1)).toBe('\n');

    const log: string[] = [];
    const plain = createProgressReporter({ isTTY: false, write: (t) => log.push(t) });
    plain.update(at(50));
    plain.update(at(60));
    plain.update(at(200, 'finished'));
    expect(log).toEqual(['50/200 files · 40/s · 4s left\n', '200/200 files · 40/s · finished · 2 failed\n']);
  });
});
