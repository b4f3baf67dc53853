import { describe, expect, it } from 'vitest';
import { directionOf, LANGUAGE_NAMES, LANGUAGES, negotiateLanguage, parseAcceptLanguage } from './languages';

describe('negotiateLanguage (SPEC L1)', () => {
  it('takes the most preferred supported language of an Accept-Language header, by weight', () => {
    expect(negotiateLanguage('ar-EG,ar;q=0.9,en;q=0.8')).toBe('ar');
    expect(negotiateLanguage('de-DE, fr;q=0.5, es;q=0.7')).toBe('es');
    expect(negotiateLanguage('en;q=0.2, ru')).toBe('ru');
    expect(negotiateLanguage('zh-Hans-CN')).toBe('zh');
    expect(negotiateLanguage('zh-TW,zh;q=0.9')).toBe('zh');
  });

  it('skips languages refused with q=0, wildcards and malformed tags', () => {
    expect(negotiateLanguage('fr;q=0, es')).toBe('es');
    expect(negotiateLanguage('*, ru;q=0.1')).toBe('ru');
    expect(negotiateLanguage('<script>, fr')).toBe('fr');
  });

  it('falls back to English when nothing asked for is supported', () => {
    expect(negotiateLanguage('de, pt-BR')).toBe('en');
    expect(negotiateLanguage('')).toBe('en');
    expect(negotiateLanguage(undefined)).toBe('en');
  });

  it("reads the browser's navigator.languages in order", () => {
    expect(negotiateLanguage(['de-AT', 'fr-CA', 'en-US'])).toBe('fr');
    expect(negotiateLanguage(['ar_SA'])).toBe('ar');
  });

  it('orders equal weights as written', () => {
    expect(parseAcceptLanguage('fr, es;q=0.8, ru;q=0.8, ar;q=1')).toEqual(['fr', 'ar', 'es', 'ru']);
  });
});

describe('directionOf (SPEC L2)', () => {
  it('is rtl for Arabic alone among the six, and for other right-to-left languages and scripts', () => {
    expect(LANGUAGES.filter((l) => directionOf(l) === 'rtl')).toEqual(['ar']);
    expect(directionOf('ar-EG')).toBe('rtl');
    expect(directionOf('fa')).toBe('rtl');
    expect(directionOf('he-IL')).toBe('rtl');
    expect(directionOf('ku-Arab')).toBe('rtl');
    expect(directionOf('az-Latn')).toBe('ltr');
    expect(directionOf('zh-Hans')).toBe('ltr');
  });

  it('names every language in itself', () => {
    expect(Object.keys(LANGUAGE_NAMES).sort()).toEqual([...LANGUAGES].sort());
    expect(LANGUAGE_NAMES.ar).toBe('العربية');
    expect(LANGUAGE_NAMES.zh).toBe('中文');
  });
});
