import { directionOf, LANGUAGES } from '@rapporteur/i18n/languages';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from './api/ApiContext';
import { currentLanguage, type Language, LANGUAGE_NAMES, setLanguage, storeLanguage } from './i18n';
import { useSession } from './session/SessionContext';

/**
 * The interface language, switchable from every page (in the header): each
 * language named in itself, a native select (keyboard and screen readers
 * know it), a globe for those who cannot read the current language. The
 * choice is kept in this browser, and in the profile when signed in (SPEC L3).
 */
export function LanguageMenu() {
  const { t, i18n } = useTranslation();
  const { session, setUser } = useSession();
  const api = useApi();
  const id = useId();
  const [failed, setFailed] = useState(false);
  const current = currentLanguage(i18n);

  // The profile's language, once the session is known or changes (sign-in).
  const profileLocale = session.kind === 'signed-in' ? session.user.locale : null;
  useEffect(() => {
    if (profileLocale && profileLocale !== currentLanguage(i18n)) void setLanguage(i18n, profileLocale);
  }, [profileLocale, i18n]);

  const choose = async (language: Language): Promise<void> => {
    setFailed(false);
    storeLanguage(language);
    await setLanguage(i18n, language);
    if (session.kind === 'signed-in' && session.user.locale !== language) {
      try {
        setUser(await api.updateMe({ locale: language }));
      } catch {
        setFailed(true);
      }
    }
  };

  return (
    <div className="language-menu">
      <span className="language-menu__globe" aria-hidden="true">
        🌐
      </span>
      <label htmlFor={id} className="visually-hidden">
        {t('language.label')}
      </label>
      <select id={id} className="language-menu__select" value={current} onChange={(e) => void choose(e.target.value as Language)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language} dir={directionOf(language)}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
      {failed && (
        <span role="alert" className="language-menu__error">
          {t('language.saveError')}
        </span>
      )}
    </div>
  );
}
