import { describe, expect, it } from 'vitest';
import { intlLocale } from './languages';
import { formatDateTime, translatorFor } from './translator';

// SPEC L10: how each language writes dates, times and numbers. Arabic with
// Western Arabic digits (0–9) everywhere, whatever CLDR's default for the
// region; English in the UN's British usage.
const EASTERN_ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/;
const at = Date.UTC(2026, 0, 5, 14, 30);

describe('dates and numbers per language (SPEC L10)', () => {
  it('Arabic: Western Arabic digits, even for a region whose default is Eastern (ar-EG)', () => {
    for (const tag of ['ar', 'ar-EG', 'ar-SA']) {
      expect(intlLocale(tag)).toBe('ar-u-nu-latn');
      const date = formatDateTime(tag, at);
      expect(date).not.toMatch(EASTERN_ARABIC_DIGITS);
      expect(date).toContain('2026');
      expect(new Intl.NumberFormat(intlLocale(tag)).format(1234567.5)).toBe('1,234,567.5');
    }
    // The region alone would have given Eastern digits: the pin is what keeps them out.
    expect(new Intl.NumberFormat('ar-EG').format(12)).toMatch(EASTERN_ARABIC_DIGITS);
  });

  it('the messages’ own formats ({{date, datetime}}, {{n, number}}, lists) use the same locales', () => {
    const arabic = translatorFor('ar')('server.request.commentingOpens', { date: new Date(at) });
    expect(arabic).toContain('2026');
    expect(arabic).not.toMatch(EASTERN_ARABIC_DIGITS);
    expect(translatorFor('en')('server.request.commentingOpens', { date: new Date(at) })).toBe('Commenting opens on 5 January 2026 at 14:30 (UTC)');
  });

  it('English as the UN writes it; the other languages by their CLDR defaults', () => {
    expect(formatDateTime('en', at, { dateStyle: 'long', timeZone: 'UTC' })).toBe('5 January 2026');
    const n = (language: string) => new Intl.NumberFormat(intlLocale(language)).format(1234567.5);
    expect(n('en')).toBe('1,234,567.5');
    expect(n('fr')).toBe('1\u202f234\u202f567,5');
    expect(n('ru')).toBe('1\u00a0234\u00a0567,5');
    expect(n('es')).toBe('1.234.567,5');
    expect(n('zh')).toBe('1,234,567.5');
    expect(intlLocale('de')).toBe('de');
  });
});
