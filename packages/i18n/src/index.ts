/**
 * The one message catalog (DESIGN: "One message catalog for every surface"):
 * the locale files under ../locales are read by the editor (react-i18next)
 * and by the server (e-mails, API error messages, export and page labels).
 */
export const CATALOG_LANGUAGES = ['en'] as const;
