import { describe, expect, it } from 'vitest';
import { CATALOG, keysOf, variablesOf } from './catalog';
import { LANGUAGES } from './languages';

// SPEC L9: every language has every key of the English catalog, the same
// interpolation variables, every plural form its language needs (the
// categories Intl.PluralRules gives it, as i18next picks them) and no English
// left in place.

const PLURAL = /_(zero|one|two|few|many|other)$/;

function valueAt(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), messages);
}

// `consensus` holds the translations of the schema package's consensus
// catalog (CONSENSUS_MESSAGES_EN, which English reads from there); the editor's
// i18n test checks it against that catalog.
const EXTERNAL = /^consensus\./;

/** Keys grouped by their base (a plural key's forms under one base). */
function groups(messages: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of keysOf(messages).filter((k) => !EXTERNAL.test(k))) {
    const base = key.replace(PLURAL, '');
    out.set(base, [...(out.get(base) ?? []), key]);
  }
  return out;
}

const english = groups(CATALOG.en);
const isPlural = (keys: readonly string[]): boolean => keys.some((k) => PLURAL.test(k));
const variables = (messages: unknown, keys: readonly string[]): string[] =>
  [...new Set(keys.flatMap((k) => variablesOf(String(valueAt(messages, k) ?? ''))))].sort();

// Words that read the same in every language: names, formats, key names.
const SAME_EVERYWHERE = new Set(
  'rapporteur html csv pdf markdown json odt docx word opendocument ltr rtl auto ctrl alt api igf prosemirror id type name description content field guidance required maxitems emptymeansnotstated https http mailto example org panda ibis lynx indigo olive version documents document organisation participation consensus notifications administration public région region'.split(' '),
);

// Words a language writes as English does (checked by a speaker, one by one).
const SAME_IN: Readonly<Record<string, ReadonlySet<string>>> = {
  fr: new Set(['passage', 'actions', 'date', 'utc', 'priv', 'tech', 'publication', 'publications', 'note', 'notes', 'code', 'rapporteurs', 'original', 'messages', 'citation', 'citations']),
  es: new Set(['utc', 'priv', 'acad', 'editor', 'no', 'original']),
  ru: new Set(['utc']),
  ar: new Set(['utc']),
  zh: new Set(['utc']),
};

function untranslated(language: string, value: string, englishValue: string): boolean {
  if (value !== englishValue) return false;
  const words = value.replace(/\{\{[^}]*\}\}/g, ' ').toLowerCase().match(/\p{L}{2,}/gu) ?? [];
  return words.some((w) => !SAME_EVERYWHERE.has(w) && !SAME_IN[language]?.has(w));
}

describe('the catalog in six languages (SPEC L9)', () => {
  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    const messages = CATALOG[language];
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

    it(`${language}: has every key, every plural form its language needs, and nothing English lacks`, () => {
      const problems: string[] = [];
      const own = groups(messages);
      for (const [base, keys] of english) {
        if (!isPlural(keys)) {
          if (typeof valueAt(messages, base) !== 'string') problems.push(`missing ${base}`);
          continue;
        }
        for (const category of categories) {
          if (typeof valueAt(messages, `${base}_${category}`) !== 'string') problems.push(`missing ${base}_${category}`);
        }
      }
      for (const [base, keys] of own) {
        const en = english.get(base);
        if (!en) problems.push(`not in English: ${keys.join(', ')}`);
        else if (!isPlural(en) && isPlural(keys)) problems.push(`plural forms for a key English does not pluralise: ${base}`);
      }
      expect(problems).toEqual([]);
    });

    it(`${language}: uses the same interpolation variables as English in every message`, () => {
      const problems: string[] = [];
      for (const [base, keys] of english) {
        const own = isPlural(keys) ? categories.map((c) => `${base}_${c}`) : [base];
        if (own.some((k) => typeof valueAt(messages, k) !== 'string')) continue;
        const expected = variables(CATALOG.en, keys);
        const found = variables(messages, own);
        // A plural form may leave out {{count}} ("one comment"), but not every form.
        if (JSON.stringify(found) !== JSON.stringify(expected)) problems.push(`${base}: ${found.join(' ')} ≠ ${expected.join(' ')}`);
      }
      expect(problems).toEqual([]);
    });

    it(`${language}: leaves no English in place`, () => {
      const problems: string[] = [];
      for (const key of keysOf(messages).filter((k) => !EXTERNAL.test(k))) {
        const value = valueAt(messages, key);
        const englishValue = valueAt(CATALOG.en, key.replace(/_(zero|two|few|many)$/, '_other'));
        if (typeof value === 'string' && typeof englishValue === 'string' && untranslated(language, value, englishValue)) problems.push(`${key}: ${value}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('English has one and other for every plural key', () => {
    for (const [base, keys] of english) {
      if (isPlural(keys)) expect(keys, base).toEqual(expect.arrayContaining([`${base}_one`, `${base}_other`]));
    }
  });
});
