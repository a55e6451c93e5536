import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import ru from './locales/ru.json';
import uk from './locales/uk.json';

export const uiLanguages = [
  { code: 'en', name: 'English' },
  { code: 'ru', name: 'Русский' },
  { code: 'uk', name: 'Українська' },
] as const;
export type UiLanguage = (typeof uiLanguages)[number]['code'];

const STORAGE_KEY = 'kartoteka.uiLanguage';

function initialLanguage(): UiLanguage {
  const saved = localStorage.getItem(STORAGE_KEY);
  const candidates = [saved, ...navigator.languages.map((l) => l.slice(0, 2))];
  return (candidates.find((c) => uiLanguages.some((l) => l.code === c)) as UiLanguage | undefined) ?? 'en';
}

export async function setupI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ru: { translation: ru }, uk: { translation: uk } },
    lng: initialLanguage(),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
    localStorage.setItem(STORAGE_KEY, lng);
  });
  return i18next;
}
