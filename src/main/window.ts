import { BrowserWindow, dialog, screen } from 'electron';
import type Store from 'electron-store';
import type { UiLanguage } from '../shared/settings.ts';
import { unsavedChangesDialog } from './app-menu.ts';
import { APP_ORIGIN } from './security.ts';
import type { Settings } from './settings.ts';
import { clampBounds, MIN_HEIGHT, MIN_WIDTH } from './window-state.ts';

/**
 * The main window: sandboxed, isolated, no Node; remembers its size and position. `language` is
 * the interface language now, which its native question speaks.
 */
export function createMainWindow(preloadPath: string, settings: Store<Settings>, language: () => UiLanguage = () => 'en'): BrowserWindow {
  const bounds = clampBounds(
    settings.get('windowBounds'),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
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
  if (bounds.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  const remember = (): void => {
    if (window.isDestroyed()) return;
    settings.set('windowBounds', { ...window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('resized', remember);
  window.on('moved', remember);
  window.on('maximize', remember);
  window.on('unmaximize', remember);
  window.on('close', remember);
  // The renderer holds back closing while metadata being edited is not saved (beforeunload): ask.
  window.webContents?.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, unsavedChangesDialog(language()));
    if (choice === 0) event.preventDefault();
  });

  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  void (devUrl ? window.loadURL(devUrl) : window.loadURL(`${APP_ORIGIN}/index.html`));
  return window;
}
