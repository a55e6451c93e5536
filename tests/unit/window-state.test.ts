import { describe, expect, it } from 'vitest';
import { withRecentArchive } from '../../src/core/settings.ts';
import { clampBounds, MIN_HEIGHT, MIN_WIDTH } from '../../src/main/window-state.ts';

const laptop = { x: 0, y: 0, width: 1366, height: 740 };
const monitor = { x: 1366, y: 0, width: 2560, height: 1400 };

describe('where the window opens', () => {
  it('keeps a saved place that a display still shows', () => {
    expect(clampBounds({ x: 100, y: 30, width: 1200, height: 700, maximized: false }, [laptop])).toEqual({ x: 100, y: 30, width: 1200, height: 700, maximized: false });
    // Its bottom edge would be below the screen's: moved up just enough.
    expect(clampBounds({ x: 100, y: 50, width: 1200, height: 700, maximized: false }, [laptop])).toEqual({ x: 100, y: 40, width: 1200, height: 700, maximized: false });
    expect(clampBounds({ x: 1500, y: 100, width: 1600, height: 1000, maximized: true }, [laptop, monitor])).toEqual({ x: 1500, y: 100, width: 1600, height: 1000, maximized: true });
  });

  it('brings a window whose monitor was unplugged back onto the one there is, centred', () => {
    expect(clampBounds({ x: 1500, y: 100, width: 1600, height: 1000, maximized: false }, [laptop])).toEqual({ x: 0, y: 0, width: 1366, height: 740, maximized: false });
    expect(clampBounds({ x: 3000, y: 100, width: 1000, height: 600, maximized: false }, [laptop])).toEqual({ x: 183, y: 70, width: 1000, height: 600, maximized: false });
  });

  it('shrinks a window larger than its screen and moves it fully inside', () => {
    expect(clampBounds({ x: 1000, y: 400, width: 1280, height: 820, maximized: false }, [laptop])).toEqual({ x: 86, y: 0, width: 1280, height: 740, maximized: false });
    expect(clampBounds({ x: -40, y: -20, width: 1000, height: 600, maximized: false }, [laptop])).toEqual({ x: 0, y: 0, width: 1000, height: 600, maximized: false });
  });

  it('keeps the window no smaller than its minimum, and copes with no place, no display and nonsense', () => {
    expect(clampBounds({ width: 200, height: 100, maximized: false }, [monitor])).toMatchObject({ width: MIN_WIDTH, height: MIN_HEIGHT });
    expect(clampBounds(undefined, [monitor])).toEqual({ x: 1366 + 640, y: 290, width: 1280, height: 820, maximized: false });
    expect(clampBounds({ x: Number.NaN, y: 5, width: Number.POSITIVE_INFINITY, height: -3, maximized: false }, [laptop])).toEqual({ x: 43, y: 120, width: 1280, height: MIN_HEIGHT, maximized: false });
    expect(clampBounds({ x: 10, y: 10, width: 900, height: 600, maximized: false }, [])).toMatchObject({ width: 900, height: 600 });
  });
});

describe('recent archives', () => {
  it('puts the archive opened first, without repeating it, and keeps a few', () => {
    expect(withRecentArchive(undefined, '/a')).toEqual(['/a']);
    expect(withRecentArchive(['/b', '/a', '/c'], '/a')).toEqual(['/a', '/b', '/c']);
    expect(withRecentArchive(['/1', '/2', '/3'], '/4', 3)).toEqual(['/4', '/1', '/2']);
    expect(withRecentArchive(['/x', 42, null, ''], '/y')).toEqual(['/y', '/x']);
  });
});
