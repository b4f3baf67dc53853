import { type Language, negotiateLanguage, translatorFor } from '@rapporteur/i18n';
import type { Request, Response } from 'express';
import { principalOf } from './authMiddleware';

/**
 * The language to answer a request in (SPEC L4): the signed-in person's
 * chosen interface language, else the one `Accept-Language` asks for among
 * the six, else English. Answers that depend on it say `Vary: Accept-Language`.
 */
export function requestLanguage(req: Request, res: Response): Language {
  const locale = principalOf(res)?.user.locale;
  if (locale) return locale;
  res.vary('Accept-Language');
  return negotiateLanguage(req.get('accept-language'));
}

/** A translator of catalog keys in `language`, for labels of what the server renders (exports, pages). */
export function labelsIn(language: Language): (key: string, values?: Record<string, unknown>) => string {
  const t = translatorFor(language);
  return (key, values) => t(key, { ...values }) as string;
}
