import { describe, expect, it } from 'vitest';
import { CATALOG, keysOf, LANGUAGES, variablesOf } from '@rapporteur/i18n';
import en from '@rapporteur/i18n/locales/en.json';
import { CONSENSUS_MESSAGES_EN } from '@rapporteur/schema';
import { createI18n, initialLanguage, setLanguage } from './index';

describe('createI18n', () => {
  it('sets <html lang dir> from the language', () => {
    const documentElement = { lang: '', dir: '' };
    createI18n({ lng: 'en', document: { documentElement } as unknown as Document });
    expect(documentElement).toEqual({ lang: 'en', dir: 'ltr' });
  });

  it('lays the page out right to left in Arabic and back left to right in French (SPEC L2)', async () => {
    const documentElement = { lang: '', dir: '' };
    const i18n = createI18n({ document: { documentElement } as unknown as Document });
    await setLanguage(i18n, 'ar');
    expect(documentElement).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(i18n.t('language.label')).not.toBe('Language');
    await setLanguage(i18n, 'fr');
    expect(documentElement).toEqual({ lang: 'fr', dir: 'ltr' });
  });

  it("starts in the browser's preferred language among the six (SPEC L1)", () => {
    expect(initialLanguage(['de-DE', 'ar-EG', 'en'])).toBe('ar');
    expect(initialLanguage(['zh-CN'])).toBe('zh');
    expect(initialLanguage(['pt-BR'])).toBe('en');
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

  it('translates the consensus catalog (the schema package’s) into every language, with the same variables (SPEC L9)', () => {
    const at = (node: unknown, key: string): unknown => key.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown> | undefined)?.[p], node);
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const own = (CATALOG[language] as { consensus?: unknown }).consensus;
      for (const key of keysOf(CONSENSUS_MESSAGES_EN)) {
        const value = at(own, key);
        expect(typeof value, `${language}: consensus.${key}`).toBe('string');
        expect(variablesOf(value as string), `${language}: consensus.${key}`).toEqual(variablesOf(at(CONSENSUS_MESSAGES_EN, key) as string));
      }
    }
  });

  it('shows consensus labels in the interface language', async () => {
    const i18n = createI18n();
    await setLanguage(i18n, 'fr');
    expect(i18n.t('consensus.level.divergence.label' as never)).toBe('Divergence');
    expect(i18n.t('consensus.level.minority-view.label' as never)).toBe('Point de vue minoritaire');
  });

  for (const language of LANGUAGES) {
    it(`${language}: names every toolbar button whose glyph is a word with a name containing that word, so what is seen can be said (WCAG 2.5.3)`, () => {
      const toolbar = (CATALOG[language] as unknown as typeof en).toolbar as Record<string, string>;
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
  }
});
