import { DEFAULT_LANGUAGE, intlLocale, isLanguage, translatorFor } from '@rapporteur/i18n';
import type { FootnoteLabels } from '@rapporteur/schema';

/**
 * Labels of server-rendered pages and exports (headers, notices, the list of
 * publications) come from the one catalog (packages/i18n, DESIGN "One message
 * catalog"), under `server.page.*`; a key missing in a language reads in
 * English. `{{name}}` is interpolated (values are not escaped: renderers
 * escape what they insert).
 */
export type PageTranslate = (key: string, values?: Record<string, string | number>) => string;

/** Page labels in `language` (one of the six, else English). */
export function pageTranslator(language: string): PageTranslate {
  const t = translatorFor(isLanguage(language) ? language : DEFAULT_LANGUAGE);
  return (key, values = {}) => t(`server.page.${key}`, values);
}

/** The words of footnotes in exports and pages (SPEC FN3), in `language` (one of the six, else English). */
export function footnoteLabelsFor(language: string): FootnoteLabels {
  const t = pageTranslator(language);
  return {
    title: t('footnotes.title'),
    reference: (number) => t('footnotes.reference', { number }),
    back: (number) => t('footnotes.back', { number }),
  };
}

/** English page labels. */
export const pageLabel: PageTranslate = pageTranslator(DEFAULT_LANGUAGE);

/** A date as people read it in a header ("3 December 2026"), in UTC so a page reads the same everywhere. */
export function formatDate(ms: number, locale = 'en'): string {
  return new Intl.DateTimeFormat(dateLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(ms));
}

/** A date and time ("3 December 2026 at 07:24 UTC"). */
export function formatDateTime(ms: number, locale = 'en'): string {
  return `${new Intl.DateTimeFormat(dateLocale(locale), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' }).format(new Date(ms))} UTC`;
}

/** English dates day first ("12 March 2026"), as UN documents write them. */
/** SPEC L10: English as the UN writes it (5 January 2026), Arabic with Western Arabic digits. */
function dateLocale(locale: string): string {
  return intlLocale(locale);
}
