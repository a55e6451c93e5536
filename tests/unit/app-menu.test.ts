import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions, OpenDialogOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { JsonFileSettingsStore } from '../../src/core/settings.ts';
import { AppMenus, type AppMenusOptions, appMenuTemplate, contextMenuTemplate, resolveUiLanguage, unsavedChangesDialog, watchingLanguage } from '../../src/main/app-menu.ts';
import { contract, type MenuCommand, menuChannel } from '../../src/shared/contract.ts';
import { menuLabels } from '../../src/shared/menu-labels.ts';
import { uiLanguageCodes, type UiLanguage } from '../../src/shared/settings.ts';
import { repoRoot, sampleSourceDir, tempDir } from '../helpers.ts';

// Electron's binary is not installed here. The stand-ins carry a message from main's
// webContents.send to the preload's ipcRenderer listeners, as Electron's IPC would (a copy of it).
const ipc = vi.hoisted(() => ({
  listeners: new Map<string, Set<(event: unknown, message: unknown) => void>>(),
  exposed: new Map<string, unknown>(),
}));
vi.mock('electron', () => ({
  ipcMain: { handle: vi.fn() },
  webUtils: { getPathForFile: () => '' },
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => ipc.exposed.set(name, api) },
  ipcRenderer: {
    invoke: vi.fn(),
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      const set = ipc.listeners.get(channel) ?? new Set();
      set.add(listener);
      ipc.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (event: unknown, message: unknown) => void) => ipc.listeners.get(channel)?.delete(listener),
  },
}));

const { sendMenuCommand } = await import('../../src/main/ipc.ts');
await import('../../src/preload/index.ts');

/** The window's end of it: what the preload exposes as window.kartotekaMenu. */
const kartotekaMenu = ipc.exposed.get('kartotekaMenu') as { onCommand(listener: (command: MenuCommand) => void): () => void };
const fakeContents = {
  send: (channel: string, message: unknown): void => {
    for (const listener of ipc.listeners.get(channel) ?? []) listener({}, structuredClone(message));
  },
};

type Item = MenuItemConstructorOptions;
const submenuOf = (item: Item | undefined): Item[] => (Array.isArray(item?.submenu) ? item.submenu : []);
const labels = (items: Item[]): (string | undefined)[] => items.filter((i) => i.type !== 'separator').map((i) => i.label);
const topMenu = (template: Item[], label: string): Item[] => submenuOf(template.find((i) => i.label === label));
const flatten = (items: Item[]): Item[] => items.flatMap((i) => [i, ...flatten(submenuOf(i))]);
const itemLabelled = (template: Item[], label: string): Item => {
  const found = flatten(template).find((i) => i.label === label);
  if (!found) throw new Error(`no menu item "${label}"`);
  return found;
};
/** Chooses an item as a person would: its click with the window it was chosen in. */
const choose = (item: Item, window: unknown = { id: 1 }): void => {
  (item.click as unknown as (item: unknown, window: unknown, event: unknown) => void)(item, window, {});
};

/** Stands in for Electron's Menu: each menu built keeps its template; the application menu is the last one set. */
class FakeMenu {
  applicationMenu: { template: Item[] } | null = null;
  buildFromTemplate(template: Item[]): { template: Item[] } {
    return { template };
  }
  setApplicationMenu(menu: { template: Item[] } | null): void {
    this.applicationMenu = menu;
  }
}

function menus(overrides: Partial<AppMenusOptions<{ template: Item[] }>> = {}) {
  const Menu = new FakeMenu();
  const sent: MenuCommand[] = [];
  const app = new AppMenus({
    Menu,
    platform: 'linux',
    packaged: true,
    systemLanguages: ['en-US'],
    send: (command) => sent.push(command),
    choosePaths: () => Promise.resolve([]),
    onError: (error) => {
      throw error;
    },
    ...overrides,
  });
  return { app, Menu, sent, template: (): Item[] => Menu.applicationMenu?.template ?? [] };
}

describe('the menu labels', () => {
  it('exist in English, Russian and Ukrainian, every one of them, and are translated', () => {
    const keys = Object.keys(menuLabels.en).sort();
    expect(keys.length).toBeGreaterThan(30);
    for (const language of uiLanguageCodes) {
      expect(Object.keys(menuLabels[language]).sort(), language).toEqual(keys);
      for (const key of keys) {
        const text = menuLabels[language][key as keyof typeof menuLabels.en];
        expect(text.trim(), `${language}.${key}`).not.toBe('');
        if (language !== 'en') expect(text, `${language}.${key}`).toMatch(/[а-яіїєґё]/iu);
      }
    }
  });

  it('say what the window says for the same actions', () => {
    const pairs: [keyof typeof menuLabels.en, string][] = [
      ['openArchive', 'archives.open'],
      ['newArchive', 'archives.new'],
      ['importFiles', 'action.import'],
      ['importFolder', 'action.importFolder'],
      ['importBundle', 'bundles.menu.import'],
      ['search', 'shortcuts.search'],
      ['shortcuts', 'shortcuts.title'],
      ['queryHelp', 'search.queryHelp'],
      ['importFilesTitle', 'shortcuts.importFiles'],
      ['importFolderTitle', 'shortcuts.importFolder'],
      ['keepEditing', 'unsaved.keep'],
    ];
    for (const language of uiLanguageCodes) {
      const locale = JSON.parse(readFileSync(join(repoRoot, 'src', 'renderer', 'src', 'locales', `${language}.json`), 'utf8')) as Record<string, unknown>;
      const text = (key: string): unknown => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], locale);
      for (const [label, key] of pairs) expect(menuLabels[language][label], `${language}: ${label} / ${key}`).toBe(text(key));
    }
  });
});

describe('the application menu template', () => {
  const onAction = vi.fn();

  it('is built by plain Node, without Electron', () => {
    const code = [
      "const { appMenuTemplate } = await import('./src/main/app-menu.ts');",
      "const menu = appMenuTemplate({ language: 'uk', platform: 'linux', packaged: true, onAction: () => {} });",
      'console.log(JSON.stringify(menu.map((item) => item.label)));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', code], { cwd: repoRoot, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(['Файл', 'Редагування', 'Вигляд', 'Вікно', 'Довідка']);
  });
  const build = (language: UiLanguage, platform: NodeJS.Platform = 'linux', packaged = true): Item[] => appMenuTemplate({ language, platform, packaged, onAction });

  it('has File, Edit, View, Window and Help in each language', () => {
    expect(build('en').map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(build('ru').map((i) => i.label)).toEqual(['Файл', 'Правка', 'Вид', 'Окно', 'Справка']);
    expect(build('uk').map((i) => i.label)).toEqual(['Файл', 'Редагування', 'Вигляд', 'Вікно', 'Довідка']);
  });

  it('lists the archive, import and bundle actions in the File menu, localized', () => {
    expect(labels(topMenu(build('en'), 'File'))).toEqual(['Open archive…', 'New archive…', 'Import files…', 'Import folder…', 'Export a bundle…', 'Import a bundle…', 'Quit Kartoteka']);
    expect(labels(topMenu(build('ru'), 'Файл'))).toEqual(['Открыть архив…', 'Новый архив…', 'Импорт файлов…', 'Импорт папки…', 'Выгрузить пакет…', 'Загрузить пакет…', 'Выйти из Картотеки']);
    expect(labels(topMenu(build('uk'), 'Файл'))).toEqual(['Відкрити архів…', 'Новий архів…', 'Імпорт файлів…', 'Імпорт теки…', 'Вивантажити пакет…', 'Завантажити пакет…', 'Вийти з Картотеки']);
    expect(topMenu(build('uk'), 'Файл').at(-1)?.role).toBe('quit');
  });

  it("keeps Electron's edit roles under translated labels", () => {
    const edit = (language: UiLanguage, label: string) => topMenu(build(language), label).filter((i) => i.type !== 'separator').map((i) => [i.role, i.label]);
    expect(edit('en', 'Edit')).toEqual([['undo', 'Undo'], ['redo', 'Redo'], ['cut', 'Cut'], ['copy', 'Copy'], ['paste', 'Paste'], ['selectAll', 'Select all']]);
    expect(edit('ru', 'Правка')).toEqual([['undo', 'Отменить'], ['redo', 'Повторить'], ['cut', 'Вырезать'], ['copy', 'Копировать'], ['paste', 'Вставить'], ['selectAll', 'Выделить всё']]);
    expect(edit('uk', 'Редагування')).toEqual([['undo', 'Скасувати'], ['redo', 'Повторити'], ['cut', 'Вирізати'], ['copy', 'Копіювати'], ['paste', 'Вставити'], ['selectAll', 'Виділити все']]);
  });

  it('offers the developer tools only in a build that is not packaged', () => {
    expect(labels(topMenu(build('en', 'linux', true), 'View'))).toEqual(['Go to the search box', 'Reload', 'Actual size', 'Zoom in', 'Zoom out', 'Full screen']);
    expect(labels(topMenu(build('ru', 'linux', false), 'Вид'))).toEqual([
      'Перейти в поле поиска',
      'Перезагрузить',
      'Инструменты разработчика',
      'Исходный размер',
      'Увеличить',
      'Уменьшить',
      'Во весь экран',
    ]);
    expect(topMenu(build('en', 'linux', false), 'View').map((i) => i.role)).toContain('toggleDevTools');
  });

  it('shows the keys the window already answers to, without taking them from it', () => {
    const keys = (label: string) => {
      const item = itemLabelled(build('en'), label);
      return [item.accelerator, item.registerAccelerator];
    };
    expect(keys('Import files…')).toEqual(['CmdOrCtrl+O', false]);
    expect(keys('Import folder…')).toEqual(['CmdOrCtrl+Shift+O', false]);
    expect(keys('Export a bundle…')).toEqual(['CmdOrCtrl+E', false]);
    expect(keys('Import a bundle…')).toEqual(['CmdOrCtrl+Shift+E', false]);
    expect(keys('Go to the search box')).toEqual(['CmdOrCtrl+F', false]);
  });

  it('has the query help, the shortcuts and About in Help', () => {
    expect(labels(topMenu(build('en'), 'Help'))).toEqual(['How to write queries', 'Keyboard shortcuts', 'About Kartoteka']);
    expect(labels(topMenu(build('uk'), 'Довідка'))).toEqual(['Як писати запити', 'Сполучення клавіш', 'Про Картотеку']);
    expect(itemLabelled(build('ru'), 'О Картотеке').role).toBe('about');
  });

  it("on macOS puts About and Quit in the app's own menu, translated", () => {
    const mac = build('ru', 'darwin');
    expect(mac.map((i) => i.label)).toEqual(['Kartoteka', 'Файл', 'Правка', 'Вид', 'Окно', 'Справка']);
    expect(labels(submenuOf(mac[0]))).toEqual(['О Картотеке', 'Службы', 'Скрыть Картотеку', 'Скрыть остальные', 'Показать все', 'Выйти из Картотеки']);
    expect(topMenu(mac, 'Файл').at(-1)).toMatchObject({ role: 'close', label: 'Закрыть окно' });
  });
});

describe('the language the menus speak', () => {
  it('follows the system when the setting is "as the system"', () => {
    expect(resolveUiLanguage(null, ['uk-UA'])).toBe('uk');
    expect(resolveUiLanguage(null, ['ru-RU'])).toBe('ru');
    expect(resolveUiLanguage(null, ['de-DE'])).toBe('en');
    expect(resolveUiLanguage(null, ['de-DE', 'uk'])).toBe('uk');
    expect(resolveUiLanguage(null, [])).toBe('en');
  });

  it('is the language chosen, whatever the system; a setting it cannot read counts as "as the system"', () => {
    expect(resolveUiLanguage('ru', ['uk-UA'])).toBe('ru');
    expect(resolveUiLanguage('en', ['ru-RU'])).toBe('en');
    expect(resolveUiLanguage('system', ['uk-UA'])).toBe('uk');
    expect(resolveUiLanguage('fr', ['ru-RU'])).toBe('ru');
  });

  it('is set at start from the settings file, and the menu is built again when the language is changed in the window', async () => {
    const settingsFile = join(tempDir(), 'config.json');
    writeFileSync(settingsFile, JSON.stringify({ uiLanguage: 'ru' }));
    const store = new JsonFileSettingsStore(settingsFile);
    const { app, template } = menus({ systemLanguages: ['uk-UA', 'en-US'] });
    app.apply(store.get('uiLanguage'));
    expect(template().map((i) => i.label)).toEqual(['Файл', 'Правка', 'Вид', 'Окно', 'Справка']);

    const session = new ArchiveSession(
      Archive.create(join(tempDir(), 'archive')),
      { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir },
      {},
      {},
      watchingLanguage(store, (language) => app.apply(language)),
    );
    const service = createService(session);
    try {
      expect(await dispatch(service, 'settings.update', { uiLanguage: 'en' })).toMatchObject({ ok: true });
      expect(template().map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
      // "As the system": the system's Ukrainian.
      expect(await dispatch(service, 'settings.update', { uiLanguage: null })).toMatchObject({ ok: true });
      expect(labels(topMenu(template(), 'Файл'))[0]).toBe('Відкрити архів…');
      expect(app.language).toBe('uk');
      // Other settings leave the menu as it is.
      expect(await dispatch(service, 'settings.update', { exportDefaults: { originals: false } })).toMatchObject({ ok: true });
      expect(app.language).toBe('uk');
      expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toMatchObject({ uiLanguage: null });
    } finally {
      await session.close();
    }
  });
});

describe('the right-click menu', () => {
  const flags = { canUndo: true, canRedo: false, canCut: true, canCopy: true, canPaste: true, canDelete: true, canSelectAll: true, canEditRichly: false };

  it('offers cut, copy, paste and select all in a text field, in the interface language', () => {
    const { app } = menus();
    app.apply('uk');
    const menu = app.contextMenu({ isEditable: true, selectionText: '', editFlags: { ...flags, canPaste: false } });
    const items = (menu?.template ?? []).filter((i) => i.type !== 'separator');
    expect(items.map((i) => [i.role, i.label, i.enabled])).toEqual([
      ['undo', 'Скасувати', true],
      ['redo', 'Повторити', false],
      ['cut', 'Вирізати', true],
      ['copy', 'Копіювати', true],
      ['paste', 'Вставити', false],
      ['selectAll', 'Виділити все', true],
    ]);
  });

  it('offers Copy on selected text outside a field, and nothing where there is nothing to do', () => {
    expect(contextMenuTemplate('ru', { isEditable: false, selectionText: 'приговор', editFlags: flags }).map((i) => [i.role, i.label])).toEqual([['copy', 'Копировать']]);
    const { app } = menus();
    app.apply('en');
    expect(app.contextMenu({ isEditable: false, selectionText: ' ', editFlags: flags })).toBeNull();
  });

  it('changes language with the application menu', () => {
    const { app } = menus();
    app.apply('en');
    expect(app.contextMenu({ isEditable: true, selectionText: '', editFlags: flags })?.template.find((i) => i.role === 'paste')?.label).toBe('Paste');
    app.apply('ru');
    expect(app.contextMenu({ isEditable: true, selectionText: '', editFlags: flags })?.template.find((i) => i.role === 'paste')?.label).toBe('Вставить');
  });
});

describe("the window's own question", () => {
  it('asks in the interface language before a window with unsaved metadata closes', () => {
    expect(unsavedChangesDialog('uk')).toMatchObject({
      buttons: ['Закрити без збереження', 'Далі редагувати'],
      cancelId: 1,
      message: 'В описі, що редагується, є незбережені зміни.',
      detail: 'Закрити вікно й утратити їх?',
    });
    expect(unsavedChangesDialog('ru').buttons).toEqual(['Закрыть без сохранения', 'Продолжить правку']);
    expect(unsavedChangesDialog('en').buttons).toEqual(['Close without saving', 'Keep editing']);
  });
});

describe('menu commands on their way to the window', () => {
  /** Menus whose commands go through main's sendMenuCommand and the preload to a listener in the window. */
  function wired(choosePaths: AppMenusOptions<{ template: Item[] }>['choosePaths'] = () => Promise.resolve([])) {
    const received: MenuCommand[] = [];
    const stop = kartotekaMenu.onCommand((command) => received.push(command));
    const windows: unknown[] = [];
    const built = menus({
      choosePaths,
      send: (command, window) => {
        windows.push(window);
        sendMenuCommand(fakeContents, command);
      },
    });
    return { ...built, received, windows, stop };
  }

  it('arrive as the contract says, from the window the menu was used in', () => {
    const { app, template, received, windows, stop } = wired();
    app.apply('ru');
    const window = { id: 7 };
    choose(itemLabelled(template(), 'Открыть архив…'), window);
    choose(itemLabelled(template(), 'Новый архив…'), window);
    choose(itemLabelled(template(), 'Выгрузить пакет…'), window);
    choose(itemLabelled(template(), 'Загрузить пакет…'), window);
    choose(itemLabelled(template(), 'Перейти в поле поиска'), window);
    choose(itemLabelled(template(), 'Как писать запросы'), window);
    choose(itemLabelled(template(), 'Сочетания клавиш'), window);
    stop();
    expect(received).toEqual([
      { command: 'open-archive' },
      { command: 'new-archive' },
      { command: 'export-bundle' },
      { command: 'import-bundle' },
      { command: 'focus-search' },
      { command: 'search-help' },
      { command: 'shortcuts' },
    ]);
    expect(windows.every((w) => w === window)).toBe(true);
  });

  it('import the files or the folder chosen in a native dialog that speaks the interface language', async () => {
    const asked: OpenDialogOptions[] = [];
    let answer: string[] = ['/home/anna/letters/appeal.pdf', '/home/anna/letters/letter.txt'];
    const { app, template, received, stop } = wired((options) => {
      asked.push(options);
      return Promise.resolve(answer);
    });
    app.apply('uk');
    choose(itemLabelled(template(), 'Імпорт файлів…'));
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]).toEqual({ command: 'import', paths: answer });
    expect(contract['import.start'].request.safeParse({ paths: answer }).success).toBe(true);
    expect(asked[0]).toMatchObject({ title: 'Імпорт файлів', buttonLabel: 'Імпортувати', properties: ['openFile', 'multiSelections'] });
    expect(asked[0]?.filters?.[0]).toMatchObject({ name: 'Документи, які читає Картотека' });
    expect(asked[0]?.filters?.[0]?.extensions).toEqual(expect.arrayContaining(['txt', 'pdf', 'docx', 'eml', 'opus']));

    answer = ['/home/anna/Case files'];
    choose(itemLabelled(template(), 'Імпорт теки…'));
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received[1]).toEqual({ command: 'import', paths: ['/home/anna/Case files'] });
    expect(asked[1]).toMatchObject({ title: 'Імпорт теки', properties: ['openDirectory', 'multiSelections'] });

    // Cancelled: nothing is imported.
    answer = [];
    await app.run('import-files', undefined);
    expect(asked).toHaveLength(3);
    expect(received).toHaveLength(2);
    stop();
  });

  it('never reach the window when they do not fit the contract', () => {
    const received: MenuCommand[] = [];
    const stop = kartotekaMenu.onCommand((command) => received.push(command));
    expect(() => sendMenuCommand(fakeContents, { command: 'delete-everything' } as unknown as MenuCommand)).toThrow();
    fakeContents.send(menuChannel, { command: 'import', paths: [] });
    fakeContents.send(menuChannel, { command: 'focus-search', extra: 'no' });
    fakeContents.send(menuChannel, { command: 'shortcuts' });
    stop();
    fakeContents.send(menuChannel, { command: 'shortcuts' });
    expect(received).toEqual([{ command: 'shortcuts' }]);
  });
});
