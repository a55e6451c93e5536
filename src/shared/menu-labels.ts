import type { UiLanguage } from './settings.ts';

/**
 * The desktop app's native menus (application menu, text-field context menu, the import dialogs
 * they open) in each interface language. Here, not in the renderer's locale files, because main
 * builds the menus and may not import the renderer; the wording follows the renderer's for the same
 * actions (tests/unit/app-menu.test.ts compares them).
 */
export interface MenuLabels {
  file: string;
  openArchive: string;
  newArchive: string;
  importFiles: string;
  importFolder: string;
  exportBundle: string;
  importBundle: string;
  quit: string;
  edit: string;
  undo: string;
  redo: string;
  cut: string;
  copy: string;
  paste: string;
  selectAll: string;
  view: string;
  search: string;
  reload: string;
  devTools: string;
  actualSize: string;
  zoomIn: string;
  zoomOut: string;
  fullScreen: string;
  window: string;
  minimize: string;
  /** macOS's Window > Zoom. */
  zoom: string;
  front: string;
  closeWindow: string;
  help: string;
  queryHelp: string;
  shortcuts: string;
  about: string;
  services: string;
  hide: string;
  hideOthers: string;
  showAll: string;
  /** The native dialogs File > Import files… and Import folder… open. */
  importFilesTitle: string;
  importFolderTitle: string;
  importButton: string;
  supportedFiles: string;
  allFiles: string;
  /** The native question when the window is closed with metadata not saved. */
  unsavedMessage: string;
  unsavedDetail: string;
  closeWithoutSaving: string;
  keepEditing: string;
}

export const menuLabels: Record<UiLanguage, MenuLabels> = {
  en: {
    file: 'File',
    openArchive: 'Open archive…',
    newArchive: 'New archive…',
    importFiles: 'Import files…',
    importFolder: 'Import folder…',
    exportBundle: 'Export a bundle…',
    importBundle: 'Import a bundle…',
    quit: 'Quit Kartoteka',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select all',
    view: 'View',
    search: 'Go to the search box',
    reload: 'Reload',
    devTools: 'Toggle developer tools',
    actualSize: 'Actual size',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    fullScreen: 'Full screen',
    window: 'Window',
    minimize: 'Minimize',
    zoom: 'Zoom',
    front: 'Bring all to front',
    closeWindow: 'Close window',
    help: 'Help',
    queryHelp: 'How to write queries',
    shortcuts: 'Keyboard shortcuts',
    about: 'About Kartoteka',
    services: 'Services',
    hide: 'Hide Kartoteka',
    hideOthers: 'Hide others',
    showAll: 'Show all',
    importFilesTitle: 'Import files',
    importFolderTitle: 'Import a folder',
    importButton: 'Import',
    supportedFiles: 'Documents Kartoteka reads',
    allFiles: 'All files',
    unsavedMessage: 'The metadata being edited has changes that are not saved.',
    unsavedDetail: 'Close the window and lose them?',
    closeWithoutSaving: 'Close without saving',
    keepEditing: 'Keep editing',
  },
  ru: {
    file: 'Файл',
    openArchive: 'Открыть архив…',
    newArchive: 'Новый архив…',
    importFiles: 'Импорт файлов…',
    importFolder: 'Импорт папки…',
    exportBundle: 'Выгрузить пакет…',
    importBundle: 'Загрузить пакет…',
    quit: 'Выйти из Картотеки',
    edit: 'Правка',
    undo: 'Отменить',
    redo: 'Повторить',
    cut: 'Вырезать',
    copy: 'Копировать',
    paste: 'Вставить',
    selectAll: 'Выделить всё',
    view: 'Вид',
    search: 'Перейти в поле поиска',
    reload: 'Перезагрузить',
    devTools: 'Инструменты разработчика',
    actualSize: 'Исходный размер',
    zoomIn: 'Увеличить',
    zoomOut: 'Уменьшить',
    fullScreen: 'Во весь экран',
    window: 'Окно',
    minimize: 'Свернуть',
    zoom: 'Изменить масштаб',
    front: 'Все окна — на передний план',
    closeWindow: 'Закрыть окно',
    help: 'Справка',
    queryHelp: 'Как писать запросы',
    shortcuts: 'Сочетания клавиш',
    about: 'О Картотеке',
    services: 'Службы',
    hide: 'Скрыть Картотеку',
    hideOthers: 'Скрыть остальные',
    showAll: 'Показать все',
    importFilesTitle: 'Импорт файлов',
    importFolderTitle: 'Импорт папки',
    importButton: 'Импортировать',
    supportedFiles: 'Документы, которые читает Картотека',
    allFiles: 'Все файлы',
    unsavedMessage: 'В редактируемом описании есть несохранённые изменения.',
    unsavedDetail: 'Закрыть окно и потерять их?',
    closeWithoutSaving: 'Закрыть без сохранения',
    keepEditing: 'Продолжить правку',
  },
  uk: {
    file: 'Файл',
    openArchive: 'Відкрити архів…',
    newArchive: 'Новий архів…',
    importFiles: 'Імпорт файлів…',
    importFolder: 'Імпорт теки…',
    exportBundle: 'Вивантажити пакет…',
    importBundle: 'Завантажити пакет…',
    quit: 'Вийти з Картотеки',
    edit: 'Редагування',
    undo: 'Скасувати',
    redo: 'Повторити',
    cut: 'Вирізати',
    copy: 'Копіювати',
    paste: 'Вставити',
    selectAll: 'Виділити все',
    view: 'Вигляд',
    search: 'Перейти до поля пошуку',
    reload: 'Перезавантажити',
    devTools: 'Інструменти розробника',
    actualSize: 'Початковий розмір',
    zoomIn: 'Збільшити',
    zoomOut: 'Зменшити',
    fullScreen: 'На весь екран',
    window: 'Вікно',
    minimize: 'Згорнути',
    zoom: 'Змінити масштаб',
    front: 'Усі вікна — на передній план',
    closeWindow: 'Закрити вікно',
    help: 'Довідка',
    queryHelp: 'Як писати запити',
    shortcuts: 'Сполучення клавіш',
    about: 'Про Картотеку',
    services: 'Служби',
    hide: 'Сховати Картотеку',
    hideOthers: 'Сховати інші',
    showAll: 'Показати всі',
    importFilesTitle: 'Імпорт файлів',
    importFolderTitle: 'Імпорт теки',
    importButton: 'Імпортувати',
    supportedFiles: 'Документи, які читає Картотека',
    allFiles: 'Усі файли',
    unsavedMessage: 'В описі, що редагується, є незбережені зміни.',
    unsavedDetail: 'Закрити вікно й утратити їх?',
    closeWithoutSaving: 'Закрити без збереження',
    keepEditing: 'Далі редагувати',
  },
};
