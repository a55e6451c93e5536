import type { BaseWindow, ContextMenuParams, MenuItemConstructorOptions, MessageBoxSyncOptions, OpenDialogOptions } from 'electron';
import { supportedExtensions } from '../core/importers/registry.ts';
import type { SettingsKey, SettingsStore, StoredSettings } from '../core/settings.ts';
import type { MenuCommand } from '../shared/contract.ts';
import { type MenuLabels, menuLabels } from '../shared/menu-labels.ts';
import { UiLanguage } from '../shared/settings.ts';

/**
 * The desktop app's native menus in the interface language: the application menu, and the context
 * menu of text fields and selected text. Everything here runs under plain Node (Electron comes in
 * only as types); index.ts hands in Electron's Menu and dialogs.
 */

/** What a menu item of ours asks for: a command for the window, or files or a folder to import (a native dialog first). */
export type MenuAction = Exclude<MenuCommand['command'], 'import'> | 'import-files' | 'import-folder';

/**
 * The interface language the menus speak: the one chosen, else the first of the system's languages
 * the interface has, else English (as the renderer's i18n.ts resolves "as the system").
 */
export function resolveUiLanguage(setting: unknown, systemLanguages: readonly string[]): UiLanguage {
  const chosen = UiLanguage.safeParse(setting);
  if (chosen.success) return chosen.data;
  for (const tag of systemLanguages) {
    const code = UiLanguage.safeParse(tag.slice(0, 2).toLowerCase());
    if (code.success) return code.data;
  }
  return 'en';
}

export interface AppMenuOptions {
  language: UiLanguage;
  platform: NodeJS.Platform;
  /** A packaged app has no developer tools in its View menu. */
  packaged: boolean;
  /** An item of ours was chosen, in this window (none: macOS with no window open). */
  onAction: (action: MenuAction, window: BaseWindow | undefined) => void;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

const editItems = (l: MenuLabels): MenuItemConstructorOptions[] => [
  { role: 'undo', label: l.undo },
  { role: 'redo', label: l.redo },
  separator,
  { role: 'cut', label: l.cut },
  { role: 'copy', label: l.copy },
  { role: 'paste', label: l.paste },
  { role: 'selectAll', label: l.selectAll },
];

/** The application menu: File, Edit, View, Window, Help (and the app's own menu on macOS). */
export function appMenuTemplate({ language, platform, packaged, onAction }: AppMenuOptions): MenuItemConstructorOptions[] {
  const l = menuLabels[language];
  const mac = platform === 'darwin';
  // The page handles these keys itself (a file picker opens only from a key press in the page):
  // the menu shows them without taking them, so the key still reaches the page.
  const item = (label: string, action: MenuAction, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    click: (_item, window) => onAction(action, window),
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
  });
  const appMenu: MenuItemConstructorOptions = {
    label: 'Kartoteka',
    submenu: [
      { role: 'about', label: l.about },
      separator,
      { role: 'services', label: l.services },
      separator,
      { role: 'hide', label: l.hide },
      { role: 'hideOthers', label: l.hideOthers },
      { role: 'unhide', label: l.showAll },
      separator,
      { role: 'quit', label: l.quit },
    ],
  };
  return [
    ...(mac ? [appMenu] : []),
    {
      label: l.file,
      submenu: [
        item(l.openArchive, 'open-archive'),
        item(l.newArchive, 'new-archive'),
        separator,
        item(l.importFiles, 'import-files', 'CmdOrCtrl+O'),
        item(l.importFolder, 'import-folder', 'CmdOrCtrl+Shift+O'),
        separator,
        item(l.exportBundle, 'export-bundle', 'CmdOrCtrl+E'),
        item(l.importBundle, 'import-bundle', 'CmdOrCtrl+Shift+E'),
        separator,
        // macOS quits from the app's menu; its File menu closes the window.
        mac ? { role: 'close', label: l.closeWindow } : { role: 'quit', label: l.quit },
      ],
    },
    { label: l.edit, submenu: editItems(l) },
    {
      label: l.view,
      submenu: [
        item(l.search, 'focus-search', 'CmdOrCtrl+F'),
        separator,
        { role: 'reload', label: l.reload },
        ...(packaged ? [] : [{ role: 'toggleDevTools', label: l.devTools } satisfies MenuItemConstructorOptions]),
        separator,
        { role: 'resetZoom', label: l.actualSize },
        { role: 'zoomIn', label: l.zoomIn },
        { role: 'zoomOut', label: l.zoomOut },
        separator,
        { role: 'togglefullscreen', label: l.fullScreen },
      ],
    },
    {
      label: l.window,
      role: 'window',
      submenu: mac
        ? [{ role: 'minimize', label: l.minimize }, { role: 'zoom', label: l.zoom }, separator, { role: 'front', label: l.front }]
        : [{ role: 'minimize', label: l.minimize }, { role: 'close', label: l.closeWindow }],
    },
    {
      label: l.help,
      role: 'help',
      submenu: [
        item(l.queryHelp, 'search-help'),
        item(l.shortcuts, 'shortcuts'),
        ...(mac ? [] : [separator, { role: 'about', label: l.about } satisfies MenuItemConstructorOptions]),
      ],
    },
  ];
}

/**
 * The right-click menu: undo, cut, copy, paste and select all in a text field, copy on selected
 * text, nothing elsewhere (an empty list: no menu).
 */
export function contextMenuTemplate(language: UiLanguage, params: Pick<ContextMenuParams, 'isEditable' | 'selectionText' | 'editFlags'>): MenuItemConstructorOptions[] {
  const l = menuLabels[language];
  const can = params.editFlags;
  if (params.isEditable) {
    return [
      { role: 'undo', label: l.undo, enabled: can.canUndo },
      { role: 'redo', label: l.redo, enabled: can.canRedo },
      separator,
      { role: 'cut', label: l.cut, enabled: can.canCut },
      { role: 'copy', label: l.copy, enabled: can.canCopy },
      { role: 'paste', label: l.paste, enabled: can.canPaste },
      separator,
      { role: 'selectAll', label: l.selectAll, enabled: can.canSelectAll },
    ];
  }
  return params.selectionText.trim() !== '' ? [{ role: 'copy', label: l.copy, enabled: can.canCopy }] : [];
}

/** The native dialog File > Import files… or Import folder… opens. */
export function importDialogOptions(kind: 'files' | 'folder', language: UiLanguage): OpenDialogOptions {
  const l = menuLabels[language];
  if (kind === 'folder') return { title: l.importFolderTitle, buttonLabel: l.importButton, properties: ['openDirectory', 'multiSelections'] };
  return {
    title: l.importFilesTitle,
    buttonLabel: l.importButton,
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: l.supportedFiles, extensions: supportedExtensions().map((extension) => extension.slice(1)) },
      { name: l.allFiles, extensions: ['*'] },
    ],
  };
}

/** The question asked when the window is closed while metadata being edited is not saved: 0 closes, 1 keeps editing. */
export function unsavedChangesDialog(language: UiLanguage): MessageBoxSyncOptions {
  const l = menuLabels[language];
  return {
    type: 'question',
    buttons: [l.closeWithoutSaving, l.keepEditing],
    defaultId: 1,
    cancelId: 1,
    title: 'Kartoteka',
    message: l.unsavedMessage,
    detail: l.unsavedDetail,
  };
}

/** The two calls of Electron's Menu the menus need; tests pass a fake. */
export interface MenuSystem<M> {
  buildFromTemplate(template: MenuItemConstructorOptions[]): M;
  setApplicationMenu(menu: M | null): void;
}

export interface AppMenusOptions<M> {
  Menu: MenuSystem<M>;
  platform: NodeJS.Platform;
  packaged: boolean;
  /** The system's languages, most wanted first (app.getLocale(), app.getPreferredSystemLanguages()). */
  systemLanguages: readonly string[];
  /** Gives a command to the window the menu was used in (or the app's window when there is none). */
  send: (command: MenuCommand, window: BaseWindow | undefined) => void;
  /** Shows a native open dialog; the paths chosen, none when cancelled. */
  choosePaths: (options: OpenDialogOptions, window: BaseWindow | undefined) => Promise<string[]>;
  onError: (error: unknown) => void;
}

/** The application menu in the language of the setting, built again when the language changes. */
export class AppMenus<M> {
  private current: UiLanguage | null = null;
  private readonly options: AppMenusOptions<M>;
  constructor(options: AppMenusOptions<M>) {
    this.options = options;
  }

  /** The language the menus speak now (English until the first apply). */
  get language(): UiLanguage {
    return this.current ?? 'en';
  }

  /** Sets the application menu for a language setting as stored (a language, or null: the system's). */
  apply(setting: unknown): void {
    const language = resolveUiLanguage(setting, this.options.systemLanguages);
    if (language === this.current) return;
    this.current = language;
    const { Menu, platform, packaged } = this.options;
    const onAction = (action: MenuAction, window: BaseWindow | undefined): void => {
      this.run(action, window).catch(this.options.onError);
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ language, platform, packaged, onAction })));
  }

  /** The right-click menu for these parameters in the current language; null when there is nothing to offer. */
  contextMenu(params: Pick<ContextMenuParams, 'isEditable' | 'selectionText' | 'editFlags'>): M | null {
    const template = contextMenuTemplate(this.language, params);
    return template.length > 0 ? this.options.Menu.buildFromTemplate(template) : null;
  }

  /** What a menu item does: most go to the window as they are; importing asks for the files or folder first. */
  async run(action: MenuAction, window: BaseWindow | undefined): Promise<void> {
    if (action !== 'import-files' && action !== 'import-folder') {
      this.options.send({ command: action }, window);
      return;
    }
    const paths = await this.options.choosePaths(importDialogOptions(action === 'import-files' ? 'files' : 'folder', this.language), window);
    if (paths.length > 0) this.options.send({ command: 'import', paths }, window);
  }
}

/**
 * The settings as the core sees them, telling `onLanguage` whenever the interface language is
 * written (settings.update): the menus follow the language the user picks in the window.
 */
export function watchingLanguage(store: SettingsStore, onLanguage: (setting: UiLanguage | null) => void): SettingsStore {
  return {
    get: (key: SettingsKey): unknown => store.get(key),
    set<K extends SettingsKey>(key: K, value: StoredSettings[K]): void {
      store.set(key, value);
      if (key === 'uiLanguage') onLanguage(value as UiLanguage | null);
    },
  };
}
