/** The six UN languages, in the order the language menu lists them (by their names in themselves). */
export const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language named in itself, as the language menu shows it. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The locale `Intl` formats dates, times, numbers and lists with, for each
 * language (SPEC L10). Arabic uses Western Arabic digits (0–9), pinned with
 * `-u-nu-latn` rather than left to the ICU version (CLDR's default for `ar`
 * has been both): they are what i18next's plain `{{count}}` writes, what
 * every Arabic-speaking region reads, and what the figures, document symbols
 * and versions beside them use; nobody then meets two digit systems on one
 * screen. English follows the UN's British usage (5 January 2026, 24-hour
 * times), as the pages the server renders always have. French, Spanish,
 * Russian and Chinese use their CLDR defaults (1 234,5 · 1234,5 / 12.345,6 ·
 * 1 234,5 · 1,234.5). Digits people type in a document are theirs and are
 * never converted.
 */
const INTL_LOCALES: Readonly<Record<Language, string>> = { ar: 'ar-u-nu-latn', zh: 'zh', en: 'en-GB', fr: 'fr', ru: 'ru', es: 'es' };

/** The `Intl` locale for one of the six languages (or a tag whose base is one); any other tag as it is. */
export function intlLocale(language: string): string {
  const base = language.toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? INTL_LOCALES[base] : language;
}

/** What `useIntlLocales` needs of an i18next instance (kept structural: this module imports no i18next). */
export interface FormatterHost {
  readonly services: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- i18next's own signature
    readonly formatter?: { addCached(name: string, make: (lng: string | undefined, options: any) => (value: any) => string): void } | undefined;
  };
}

/**
 * Makes an initialised i18next instance's formats (`{{n, number}}`,
 * `{{d, datetime}}`, `{{n, relativetime}}`, `{{items, list}}`) use
 * `intlLocale`, so messages format like the rest of the interface.
 */
export function useIntlLocales(i18n: FormatterHost): void {
  const formatter = i18n.services.formatter;
  if (!formatter) return;
  formatter.addCached('number', (lng, options: Intl.NumberFormatOptions) => {
    const f = new Intl.NumberFormat(intlLocale(lng ?? DEFAULT_LANGUAGE), options);
    return (value: number) => f.format(value);
  });
  formatter.addCached('datetime', (lng, options: Intl.DateTimeFormatOptions) => {
    const f = new Intl.DateTimeFormat(intlLocale(lng ?? DEFAULT_LANGUAGE), options);
    return (value: Date | number) => f.format(value);
  });
  formatter.addCached('relativetime', (lng, options: Intl.RelativeTimeFormatOptions & { range?: Intl.RelativeTimeFormatUnit }) => {
    const f = new Intl.RelativeTimeFormat(intlLocale(lng ?? DEFAULT_LANGUAGE), options);
    const unit = options.range ?? 'day';
    return (value: number) => f.format(value, unit);
  });
  formatter.addCached('list', (lng, options: Intl.ListFormatOptions) => {
    const f = new Intl.ListFormat(intlLocale(lng ?? DEFAULT_LANGUAGE), options);
    return (value: string[]) => f.format(value);
  });
}

// Languages whose usual script is written right to left (base subtags).
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'syrc', 'thaa', 'nkoo', 'adlm', 'rohg']);
const LTR_SCRIPTS = new Set(['latn', 'cyrl', 'hans', 'hant', 'grek']);

/** The direction a language is written in: `rtl` for Arabic (and other right-to-left languages or scripts), else `ltr`. */
export function directionOf(tag: string): 'ltr' | 'rtl' {
  const parts = tag.toLowerCase().split(/[-_]/);
  const script = parts.find((p, i) => i > 0 && p.length === 4);
  if (script && RTL_SCRIPTS.has(script)) return 'rtl';
  if (script && LTR_SCRIPTS.has(script)) return 'ltr';
  return RTL.has(parts[0] ?? '') ? 'rtl' : 'ltr';
}

/**
 * The best supported language for what a person asked for: an
 * `Accept-Language` header (`fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5`) or the
 * browser's `navigator.languages`, in order of preference. An exact tag wins,
 * then its base language (`zh-Hans-CN` → `zh`, `ar-EG` → `ar`); q=0 excludes;
 * nothing usable gives `fallback` (English).
 */
export function negotiateLanguage<L extends string = Language>(
  preferences: string | readonly string[] | null | undefined,
  supported: readonly L[] = LANGUAGES as unknown as readonly L[],
  fallback: L = DEFAULT_LANGUAGE as L,
): L {
  const ranked = typeof preferences === 'string' ? parseAcceptLanguage(preferences) : [...(preferences ?? [])];
  const bySupported = new Map(supported.map((s) => [s.toLowerCase(), s]));
  for (const wanted of ranked) {
    const tag = wanted.trim().toLowerCase().replaceAll('_', '-');
    if (!tag || tag === '*') continue;
    const exact = bySupported.get(tag);
    if (exact) return exact;
    const base = bySupported.get(tag.split('-')[0]!);
    if (base) return base;
  }
  return fallback;
}

/** The tags of an Accept-Language header, most preferred first (stable for equal weights), without those of q=0. */
export function parseAcceptLanguage(header: string): string[] {
  const entries: Array<{ tag: string; q: number; i: number }> = [];
  header.split(',').forEach((part, i) => {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag?.trim() ?? '';
    if (!/^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$/.test(tag)) return;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    if (q > 0) entries.push({ tag, q, i });
  });
  return entries.sort((a, b) => b.q - a.q || a.i - b.i).map((e) => e.tag);
}
