/**
 * The one message catalog (DESIGN: "One message catalog for every surface"):
 * the locale files under ../locales are read by the editor (react-i18next)
 * and by the server (e-mails, API error messages, export and page labels),
 * so a label reads the same everywhere. Server-only messages live under the
 * `server` key of each file.
 */
export {
  DEFAULT_LANGUAGE,
  directionOf,
  type FormatterHost,
  intlLocale,
  isLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  negotiateLanguage,
  parseAcceptLanguage,
  useIntlLocales,
} from './languages';
export { CATALOG, keysOf, type Messages, variablesOf } from './catalog';
export { formatDateTime, translatorFor } from './translator';
