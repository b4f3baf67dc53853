import { intlLocale } from '@rapporteur/i18n/languages';

/** A date and time for people, in the page's language (SPEC L10); the ISO string itself when it is not a date. */
export function formatDate(language: string, iso: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(intlLocale(language), options).format(date);
}
