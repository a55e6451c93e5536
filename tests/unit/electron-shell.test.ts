import { describe, expect, it, vi } from 'vitest';

// Electron's binary is not installed here. These stand-ins record what the shell asks of
// Electron, so the hardening it promises is checked even without a window.
type Listener = (...args: unknown[]) => void;
const appListeners = new Map<string, Listener>();
const windowOptions: Record<string, unknown>[] = [];
const loaded: string[] = [];

vi.mock('electron', () => ({
  app: { isPackaged: true, on: (name: string, fn: Listener) => appListeners.set(name, fn) },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  net: { fetch: vi.fn() },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  BrowserWindow: class {
    constructor(options: Record<string, unknown>) {
      windowOptions.push(options);
    }
    once(): void {}
    on(): void {}
    maximize(): void {}
    loadURL(url: string): Promise<void> {
      loaded.push(url);
      return Promise.resolve();
    }
  },
}));

const security = await import('../../src/main/security.ts');
const { createMainWindow } = await import('../../src/main/window.ts');
const { CONTENT_SECURITY_POLICY } = await import('../../src/shared/security.ts');

describe('the Electron shell', () => {
  it('opens a sandboxed, isolated window without Node, loading only the app scheme', () => {
    const settings = { get: () => ({ width: 1200, height: 800, maximized: false }), set: vi.fn() };
    createMainWindow('/app/out/preload/index.cjs', settings as never);
    const prefs = windowOptions[0]?.['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, preload: '/app/out/preload/index.cjs' });
    expect(loaded).toEqual(['app://kartoteka/index.html']);
  });

  it('denies every permission and cancels every request that is not the app itself', () => {
    let onRequest: ((permission: unknown, callback: (granted: boolean) => void) => void) | undefined;
    let onCheck: (() => boolean) | undefined;
    let filter: ((details: { url: string }, callback: (r: { cancel: boolean }) => void) => void) | undefined;
    security.lockDownSession({
      setPermissionRequestHandler: (fn: (c: unknown, p: string, cb: (g: boolean) => void) => void) => (onRequest = (p, cb) => fn(null, p as string, cb)),
      setPermissionCheckHandler: (fn: () => boolean) => (onCheck = fn),
      webRequest: { onBeforeRequest: (fn: typeof filter) => (filter = fn) },
    } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      onRequest?.(permission, (granted) => expect(granted).toBe(false));
    }
    expect(onCheck?.()).toBe(false);
    const verdict = (url: string): boolean | undefined => {
      let cancel: boolean | undefined;
      filter?.({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(verdict('app://kartoteka/assets/index.js')).toBe(false);
    expect(verdict('https://example.org/tracker.js')).toBe(true);
    expect(verdict('http://127.0.0.1:8080/')).toBe(true);
    expect(verdict('file:///etc/passwd')).toBe(true);
  });

  it('denies navigation, new windows and webviews in every web contents', () => {
    security.hardenContents();
    const handlers = new Map<string, (event: { preventDefault: () => void }) => void>();
    let openHandler: (() => { action: string }) | undefined;
    appListeners.get('web-contents-created')?.({}, {
      setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn),
      on: (name: string, fn: (event: { preventDefault: () => void }) => void) => handlers.set(name, fn),
    });
    expect(openHandler?.()).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers.get(name)?.({ preventDefault });
      expect(preventDefault, name).toHaveBeenCalled();
    }
  });

  it('trusts only frames of the app scheme once packaged', () => {
    expect(security.isTrustedFrame('app://kartoteka/index.html')).toBe(true);
    expect(security.isTrustedFrame('app://kartoteka.evil/index.html')).toBe(false);
    expect(security.isTrustedFrame('http://localhost:5173/')).toBe(false);
  });

  it('sends a Content-Security-Policy with no inline script, no eval and no network', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});
