import { describe, expect, it } from 'vitest';
import { createI18n } from './index';
import en from '@rapporteur/i18n/locales/en.json';

describe('createI18n', () => {
  it('sets <html lang dir> from the language', () => {
    const documentElement = { lang: '', dir: '' };
    createI18n({ lng: 'en', document: { documentElement } as unknown as Document });
    expect(documentElement).toEqual({ lang: 'en', dir: 'ltr' });
  });

  it('falls back to English for a language without translations', () => {
    const i18n = createI18n({ lng: 'sw' });
    expect(i18n.t('documents.newDocument')).toBe('New document');
  });

  it('has one and other forms for every plural key', () => {
    const keys: string[] = [];
    const walk = (node: unknown, prefix: string): void => {
      if (typeof node === 'string') keys.push(prefix);
      else for (const [k, v] of Object.entries(node as object)) walk(v, prefix ? `${prefix}.${k}` : k);
    };
    walk(en, '');
    for (const key of keys.filter((k) => k.endsWith('_one'))) {
      expect(keys, key).toContain(key.replace(/_one$/, '_other'));
    }
  });

  it('names every toolbar button whose glyph is a word with a name containing that word, so what is seen can be said (WCAG 2.5.3)', () => {
    const toolbar = en.toolbar as Record<string, string>;
    const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const [key, glyph] of Object.entries(toolbar)) {
      if (!key.endsWith('Glyph')) continue;
      const glyphWords = words(glyph.replaceAll('{{level}}', '1'));
      // Single letters and symbols (B, I, ¶, •) are not read as words.
      if (glyphWords.join('').length < 2) continue;
      const label = words(toolbar[key.replace(/Glyph$/, '')]!.replaceAll('{{level}}', '1'));
      const at = label.findIndex((_, i) => glyphWords.every((w, j) => label[i + j] === w));
      expect(at, `${key}: "${glyph}" is not in the button's name`).toBeGreaterThanOrEqual(0);
    }
  });
});
