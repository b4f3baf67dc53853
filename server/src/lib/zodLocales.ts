import type { Language } from '@rapporteur/i18n';
import { z } from 'zod';

/** Zod's own wording of validation problems, per language (SPEC L5). */
export const ZOD_LOCALES: Readonly<Record<Language, () => { localeError: z.core.$ZodErrorMap }>> = {
  ar: z.locales.ar,
  en: z.locales.en,
  es: z.locales.es,
  fr: z.locales.fr,
  ru: z.locales.ru,
  zh: z.locales.zhCN,
};
