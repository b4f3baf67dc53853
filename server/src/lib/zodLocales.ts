import type { Language } from '@rapporteur/i18n';
import type * as z from 'zod';
// One module per language rather than `z.locales`, which would bring Zod's
// other forty-odd languages into the bundle (SPEC O5).
import ar from 'zod/v4/locales/ar.js';
import en from 'zod/v4/locales/en.js';
import es from 'zod/v4/locales/es.js';
import fr from 'zod/v4/locales/fr.js';
import ru from 'zod/v4/locales/ru.js';
import zhCN from 'zod/v4/locales/zh-CN.js';

/** Zod's own wording of validation problems, per language (SPEC L5). */
export const ZOD_LOCALES: Readonly<Record<Language, () => { localeError: z.core.$ZodErrorMap }>> = { ar, en, es, fr, ru, zh: zhCN };
