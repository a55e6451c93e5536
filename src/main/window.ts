import { BrowserWindow, screen } from 'electron';
import type Store from 'electron-store';
import { APP_ORIGIN } from './security.ts';
import type { Settings } from './settings.ts';

/** The main window: sandboxed, isolated, no Node; remembers its size and position. */
export function createMainWindow(preloadPath: string, settings: Store<Settings>): BrowserWindow {
  const saved = settings.get('windowBounds');
  const visible = screen.getAllDisplays().some((display) => {
    const area = display.workArea;
    return saved.x !== undefined && saved.y !== undefined && saved.x >= area.x - 50 && saved.y >= area.y - 50 && saved.x < area.x + area.width && saved.y < area.y + area.height;
  });
  const window = new BrowserWindow({
    width: saved.width,
    height: saved.height,
    ...(visible ? { x: saved.x, y: saved.y } : {}),
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Kartoteka',
    backgroundColor: '#f6f5f2',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (saved.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  const remember = (): void => {
    if (window.isDestroyed()) return;
    settings.set('windowBounds', { ...window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('resized', remember);
  window.on('moved', remember);
  window.on('close', remember);

  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  void (devUrl ? window.loadURL(devUrl) : window.loadURL(`${APP_ORIGIN}/index.html`));
  return window;
}
