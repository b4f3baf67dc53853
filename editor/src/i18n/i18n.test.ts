import { describe, expect, it } from 'vitest';
import { createI18n } from './index';
import en from './locales/en.json';

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
});
