/**
 * Labels of server-rendered pages and exports (headers, notices, the list of
 * publications), keyed like the editor's i18n resources so the six-language
 * catalog (DESIGN "One message catalog") can take them over key by key.
 * English only for now; `{{name}}` is interpolated.
 */
export const PAGE_MESSAGES_EN = {
  header: {
    date: 'Date',
    version: 'Version',
    liveText: 'Current text (not a frozen version)',
    namedVersion: 'Version “{{name}}”',
    historyPoint: 'Text as of {{when}}',
    publication: 'Publication {{number}}',
    publicationOf: 'Publication {{number}} of {{title}}',
  },
  publication: {
    other: 'Publications of this document',
    thisOne: '(this publication)',
    corrects: 'This publication is an erratum: it corrects publication {{number}}.',
    correctsLink: 'Read the publication it corrects: {{link}}.',
    correctedBy: 'This publication was corrected by {{link}}.',
    notFoundTitle: 'Publication not found',
    notFound: 'There is no publication at this address, or it is for members of the document only.',
    signIn: 'Sign in to read a members-only publication.',
    withdrawn: 'This publication was withdrawn on {{date}}.',
    withdrawnReason: 'Reason: {{reason}}',
    withdrawnShort: 'withdrawn',
    downloads: 'Download',
    note: 'Note',
    format: {
      html: 'Web page (HTML)',
      md: 'Markdown',
      docx: 'Word (DOCX)',
      odt: 'OpenDocument (ODT)',
      pdf: 'PDF',
    },
    dispositions: 'Disposition of comments',
  },
} as const;

export type PageTranslate = (key: string, values?: Record<string, string | number>) => string;

function lookup(catalog: unknown, key: string): string | undefined {
  let at: unknown = catalog;
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'string' ? at : undefined;
}

/** English page labels; an unknown key comes back as itself (so a missing label shows, never crashes). */
export const pageLabel: PageTranslate = (key, values = {}) =>
  (lookup(PAGE_MESSAGES_EN, key) ?? key).replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in values ? String(values[name]) : m));

/** A date as people read it in a header ("3 December 2026"), in UTC so a page reads the same everywhere. */
export function formatDate(ms: number, locale = 'en'): string {
  return new Intl.DateTimeFormat(dateLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(ms));
}

/** A date and time ("3 December 2026 at 07:24 UTC"). */
export function formatDateTime(ms: number, locale = 'en'): string {
  return `${new Intl.DateTimeFormat(dateLocale(locale), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' }).format(new Date(ms))} UTC`;
}

/** English dates day first ("12 March 2026"), as UN documents write them. */
function dateLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : locale;
}
