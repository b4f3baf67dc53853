import { DEFAULT_LANGUAGE, directionOf, isLanguage, type Language, LANGUAGES, negotiateLanguage, useIntlLocales } from '@rapporteur/i18n/languages';
import en from '@rapporteur/i18n/locales/en.json';
import { CONSENSUS_MESSAGES_EN } from '@rapporteur/schema/consensusMessages';
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

export { LANGUAGE_NAMES, type Language } from '@rapporteur/i18n/languages';
export const SUPPORTED_LANGUAGES = LANGUAGES;
export { DEFAULT_LANGUAGE };

export const resources = { en: { translation: en } } as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: (typeof resources)['en'];
  }
}

// The consensus markers' labels and standard wording come from the schema
// package (the exports use the same catalog), mounted under `consensus`
// (read through consensus/consensus.ts `consensusTranslate`; left out of the
// typed resources, whose types it would make too deep to check). A language's
// own `consensus` messages in its locale file take precedence over them.
const withConsensus = (messages: object): object => ({ consensus: CONSENSUS_MESSAGES_EN, ...messages });

/**
 * The other five languages are separate chunks, fetched when chosen, so
 * the first load carries English only (a language is 30–40 KB of JSON).
 */
const LOADERS: Readonly<Record<Exclude<Language, 'en'>, () => Promise<{ default: object }>>> = {
  ar: () => import('@rapporteur/i18n/locales/ar.json'),
  es: () => import('@rapporteur/i18n/locales/es.json'),
  fr: () => import('@rapporteur/i18n/locales/fr.json'),
  ru: () => import('@rapporteur/i18n/locales/ru.json'),
  zh: () => import('@rapporteur/i18n/locales/zh.json'),
};

/**
 * Creates and initialises an i18next instance with English (bundled), so it
 * is ready when this returns; `setLanguage` then switches to another. Pass
 * `document` to keep `<html lang dir>` in step with the language, so
 * right-to-left languages lay out correctly.
 */
export function createI18n(options: { lng?: string; document?: Document } = {}): i18n {
  const instance = i18next.createInstance();
  instances.add(instance);
  instance.use(initReactI18next);
  void instance.init({
    resources: { en: { translation: withConsensus(en) } },
    lng: options.lng ?? DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...SUPPORTED_LANGUAGES],
    nonExplicitSupportedLngs: true,
    initAsync: false,
    // React escapes text itself.
    interpolation: { escapeValue: false },
    returnNull: false,
    // A bundle added later (a language loaded on demand) shows at once.
    react: { bindI18nStore: 'added' },
  });
  for (const part of parts) instance.addResourceBundle('en', 'translation', part, true, false);
  // Dates, numbers and lists in messages format as everywhere else (SPEC L10: Arabic with 0–9).
  useIntlLocales(instance);
  const doc = options.document;
  if (doc) {
    const apply = (): void => {
      const lng = currentLanguage(instance);
      doc.documentElement.lang = lng;
      doc.documentElement.dir = directionOf(lng);
    };
    apply();
    instance.on('languageChanged', apply);
  }
  return instance;
}

const instances = new Set<i18n>();
const parts: Record<string, unknown>[] = [];

/**
 * English messages of a page loaded on demand (the build leaves them out of
 * the first load: `LAZY_PARTS` in editor/vite.config.ts). The page's module
 * calls this as its chunk loads, before anything of it renders.
 */
export function addEnglishPart(part: Record<string, unknown>): void {
  parts.push(part);
  for (const instance of instances) instance.addResourceBundle('en', 'translation', part, true, false);
}

/** The interface language the instance shows now (one of the six). */
export function currentLanguage(instance: i18n): Language {
  const lng = instance.resolvedLanguage ?? instance.language;
  return isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
}

/** Loads `language`'s messages if they are not yet loaded, then switches to it. */
export async function setLanguage(instance: i18n, language: Language): Promise<void> {
  if (language !== 'en' && !instance.hasResourceBundle(language, 'translation')) {
    const messages = (await LOADERS[language]()).default;
    instance.addResourceBundle(language, 'translation', withConsensus(messages), true, true);
  }
  await instance.changeLanguage(language);
}

const STORAGE_KEY = 'rapporteur.language';

/** The language chosen in this browser before signing in (the language menu), if any. */
export function storedLanguage(storage: Pick<Storage, 'getItem'> | undefined = safeLocalStorage()): Language | null {
  try {
    const value = storage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeLanguage(language: Language, storage: Pick<Storage, 'setItem'> | undefined = safeLocalStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing without storage: the choice lasts for this page.
  }
}

/**
 * The language to start in before the session is known: one chosen in this
 * browser, else the browser's preferred languages (SPEC L1), else English.
 */
export function initialLanguage(languages: readonly string[] | undefined = typeof navigator === 'undefined' ? undefined : navigator.languages): Language {
  return storedLanguage() ?? negotiateLanguage(languages);
}

function safeLocalStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
