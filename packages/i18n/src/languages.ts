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
