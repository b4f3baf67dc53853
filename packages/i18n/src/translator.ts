import i18next, { type TFunction } from 'i18next';
import { DEFAULT_LANGUAGE, intlLocale, isLanguage, LANGUAGES, type Language, useIntlLocales } from './languages';
import { messagesOf } from './messages';

let shared: ReturnType<typeof i18next.createInstance> | null = null;

function instance(): ReturnType<typeof i18next.createInstance> {
  if (shared) return shared;
  const created = i18next.createInstance();
  void created.init({
    // The fallback now, every other language when first asked for (translatorFor).
    resources: { [DEFAULT_LANGUAGE]: { translation: messagesOf(DEFAULT_LANGUAGE) } },
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    // Server messages go into JSON, plain-text e-mails and documents whose
    // writers escape what they insert themselves.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  useIntlLocales(created);
  shared = created;
  return created;
}

/**
 * A translator for one language over the shared catalog, without React (the
 * server's error messages, e-mails and export labels). Plurals follow the
 * language through i18next's suffixes (`_zero`…`_other`, chosen with
 * Intl.PluralRules); a key missing in the language falls back to English.
 */
export function translatorFor(language: Language): TFunction {
  const i18n = instance();
  if (isLanguage(language) && !i18n.hasResourceBundle(language, 'translation')) i18n.addResourceBundle(language, 'translation', messagesOf(language));
  return i18n.getFixedT(language);
}

/** Dates and numbers for people in `language` (Intl, with `intlLocale`), the same way on every surface. */
export function formatDateTime(language: string, at: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }): string {
  return new Intl.DateTimeFormat(intlLocale(language), options).format(at);
}
