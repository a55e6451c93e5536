import i18next from 'i18next';
import { useSyncExternalStore } from 'react';
import { initReactI18next } from 'react-i18next';
import { UiLanguage } from '../../shared/settings.ts';
import { api } from './api.ts';
import en from './locales/en.json';
import ru from './locales/ru.json';
import uk from './locales/uk.json';

export const uiLanguages = [
  { code: 'en', name: 'English' },
  { code: 'ru', name: 'Русский' },
  { code: 'uk', name: 'Українська' },
] as const satisfies readonly { code: UiLanguage; name: string }[];
export type { UiLanguage };

/**
 * The language setting lives in the app's settings (settings.get / settings.update), beside the
 * archive's path. This browser's storage keeps a copy only to start in the right language when the
 * settings cannot be read (an old server, a page without its token).
 */
const CACHE_KEY = 'kartoteka.uiLanguageSetting';
/** Where earlier versions kept the language chosen; moved into the settings once, then dropped. */
const LEGACY_KEY = 'kartoteka.uiLanguage';
const SYSTEM = 'system';

const parse = (value: string | null): UiLanguage | null | undefined => {
  if (value === SYSTEM) return null;
  const parsed = UiLanguage.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

/** The first of the system's languages the interface speaks, else English. */
export function systemLanguage(): UiLanguage {
  for (const tag of navigator.languages) {
    const code = parse(tag.slice(0, 2).toLowerCase());
    if (code) return code;
  }
  return 'en';
}

// The setting (null: follow the system), kept outside React so the picker and i18n share it.
let setting: UiLanguage | null = null;
const listeners = new Set<() => void>();
const setSetting = (value: UiLanguage | null): void => {
  setting = value;
  try {
    localStorage.setItem(CACHE_KEY, value ?? SYSTEM);
  } catch {
    // Storage refused (a private window): the settings still hold the choice.
  }
  for (const listener of listeners) listener();
};

/** The language setting: a language, or null for "as the system". */
export function useUiLanguageSetting(): UiLanguage | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => setting,
  );
}

const storageValue = (key: string): string | null => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
};

/** What the settings say; the copy in this browser when they cannot be read. */
async function loadSetting(): Promise<UiLanguage | null> {
  const cached = parse(storageValue(CACHE_KEY));
  const legacy = parse(storageValue(LEGACY_KEY));
  try {
    const stored = (await api['settings.get']({})).uiLanguage;
    if (stored === null && cached === undefined && legacy) {
      // Chosen in an earlier version, before there were settings: carried over once.
      await api['settings.update']({ uiLanguage: legacy });
      localStorage.removeItem(LEGACY_KEY);
      return legacy;
    }
    return stored;
  } catch {
    return cached ?? legacy ?? null;
  }
}

/**
 * Changes the interface language at once and keeps the choice in the settings (null: follow the
 * system). The promise fails when the settings could not be written; the language is changed anyway.
 */
export async function chooseUiLanguage(choice: UiLanguage | null): Promise<void> {
  setSetting(choice);
  await i18next.changeLanguage(choice ?? systemLanguage());
  await api['settings.update']({ uiLanguage: choice });
}

export async function setupI18n(): Promise<typeof i18next> {
  setting = await loadSetting();
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ru: { translation: ru }, uk: { translation: uk } },
    lng: setting ?? systemLanguage(),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  setSetting(setting);
  document.documentElement.lang = i18next.language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  // Following the system: a change of the system's language shows at once.
  window.addEventListener('languagechange', () => {
    if (setting === null) void i18next.changeLanguage(systemLanguage());
  });
  return i18next;
}
