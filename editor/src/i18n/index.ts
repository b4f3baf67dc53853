import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { CONSENSUS_MESSAGES_EN } from '@rapporteur/schema/consensusMessages';
import en from '@rapporteur/i18n/locales/en.json';

export const SUPPORTED_LANGUAGES = ['en'] as const;
export const DEFAULT_LANGUAGE = 'en';

export const resources = { en: { translation: en } } as const;

// The consensus markers' labels and standard wording come from the schema
// package (the exports use the same catalog), mounted under `consensus`
// (read through consensus/consensus.ts `consensusTranslate`; left out of the
// typed resources, whose types it would make too deep to check).
const runtimeResources = { en: { translation: { ...en, consensus: CONSENSUS_MESSAGES_EN } } };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: (typeof resources)['en'];
  }
}

/**
 * Creates and initialises an i18next instance (resources are bundled, so it
 * is ready when this returns). `lng` defaults to the browser's preferred
 * language among the supported ones. Pass `document` to keep `<html lang dir>`
 * in step with the language, so right-to-left languages lay out correctly.
 */
export function createI18n(options: { lng?: string; document?: Document } = {}): i18n {
  const instance = i18next.createInstance();
  instance.use(initReactI18next);
  void instance.init({
    resources: runtimeResources,
    lng: options.lng ?? preferredLanguage(),
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...SUPPORTED_LANGUAGES],
    nonExplicitSupportedLngs: true,
    initAsync: false,
    // React escapes text itself.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const doc = options.document;
  if (doc) {
    const apply = (): void => {
      const lng = instance.resolvedLanguage ?? instance.language;
      doc.documentElement.lang = lng;
      doc.documentElement.dir = instance.dir(lng);
    };
    apply();
    instance.on('languageChanged', apply);
  }
  return instance;
}

function preferredLanguage(): string {
  if (typeof navigator === 'undefined') return DEFAULT_LANGUAGE;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    const found = SUPPORTED_LANGUAGES.find((l) => l === base);
    if (found) return found;
  }
  return DEFAULT_LANGUAGE;
}
