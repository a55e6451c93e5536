/**
 * The pure part of the desktop shell's memory: where the window goes on the screens there are now
 * (the recent archives are the core's: core/settings.ts). No Electron here, so the unit tests can run it.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedBounds {
  x?: number | undefined;
  y?: number | undefined;
  width: number;
  height: number;
  maximized: boolean;
}

export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 500;
export const DEFAULT_BOUNDS: SavedBounds = { width: 1280, height: 820, maximized: false };

/** How much of the window a display must show for the saved place to be kept (the title bar, roughly). */
const GRIP = { width: 120, height: 40 };

const overlap = (a: Rect, b: Rect): number => {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
};

const finite = (n: unknown, fallback: number): number => (typeof n === 'number' && Number.isFinite(n) ? Math.round(n) : fallback);

/**
 * The bounds to open the window with: the saved ones when a display still shows enough of them,
 * moved and shrunk to fit inside that display's work area; otherwise the saved size (or the
 * default), centred on the primary display. A monitor unplugged since, a resolution lowered or a
 * settings file edited by hand never leaves the window off-screen or larger than the screen.
 */
export function clampBounds(saved: Partial<SavedBounds> | undefined, workAreas: readonly Rect[]): Required<Omit<SavedBounds, 'maximized'>> & { maximized: boolean } {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_BOUNDS.width, height: DEFAULT_BOUNDS.height };
  let width = Math.max(MIN_WIDTH, finite(saved?.width, DEFAULT_BOUNDS.width));
  let height = Math.max(MIN_HEIGHT, finite(saved?.height, DEFAULT_BOUNDS.height));
  const maximized = saved?.maximized === true;
  const hasPlace = typeof saved?.x === 'number' && typeof saved.y === 'number' && Number.isFinite(saved.x) && Number.isFinite(saved.y);
  // The title bar of the saved place, which the user needs to grab the window.
  const grip = hasPlace ? { x: finite(saved?.x, 0), y: finite(saved?.y, 0), width: Math.min(width, GRIP.width * 4), height: GRIP.height } : null;
  let area = primary;
  let keepPlace = false;
  if (grip) {
    let best = 0;
    for (const candidate of workAreas) {
      const shown = overlap(grip, candidate);
      if (shown > best) {
        best = shown;
        area = candidate;
      }
    }
    keepPlace = best >= Math.min(grip.width, GRIP.width) * Math.min(grip.height, GRIP.height) * 0.5;
    if (!keepPlace) area = primary;
  }
  width = Math.min(width, Math.max(area.width, 1));
  height = Math.min(height, Math.max(area.height, 1));
  let x: number;
  let y: number;
  if (keepPlace && grip) {
    x = Math.min(Math.max(grip.x, area.x), area.x + area.width - width);
    y = Math.min(Math.max(grip.y, area.y), area.y + area.height - height);
  } else {
    x = area.x + Math.round((area.width - width) / 2);
    y = area.y + Math.round((area.height - height) / 2);
  }
  return { x, y, width, height, maximized };
}
