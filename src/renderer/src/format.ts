import i18next from 'i18next';

/** A language tag's name in the interface language: "ru" is "Russian" in English, "русский" in Russian. */
export const languageName = (code: string, uiLanguage: string): string => {
  if (code === 'und') return '—';
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};

/** Seconds as a clock: 83 is 1:23, 3723 is 1:02:03. */
export const clock = (seconds: number): string => {
  const total = Math.floor(seconds);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
};

/** A count as the interface language writes it: 100,000 in English, 100 000 in Russian and Ukrainian. */
export const formatCount = (value: number): string => value.toLocaleString(i18next.language || 'en');
