import { useTranslation } from 'react-i18next';
import { UiLanguage } from '../../../shared/settings.ts';
import { chooseUiLanguage, systemLanguage, uiLanguages, useUiLanguageSetting } from '../i18n.ts';

/**
 * The interface language: one of the three, or as the system says (the first choice, and what a new
 * installation does). Kept in the settings, so it is the same in the next window and after a restart.
 */
export function LanguagePicker({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const setting = useUiLanguageSetting();
  // The system's language in its own name, for the option's title (the option itself stays short: the toolbar is narrow).
  const system = uiLanguages.find((l) => l.code === systemLanguage())?.name ?? 'English';
  return (
    <label className="language">
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        value={setting ?? ''}
        aria-label={t('language.label')}
        onChange={(e) => {
          const chosen = UiLanguage.safeParse(e.target.value);
          chooseUiLanguage(chosen.success ? chosen.data : null).catch(onError);
        }}
      >
        <option value="" title={system}>
          {t('language.system')}
        </option>
        {uiLanguages.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
