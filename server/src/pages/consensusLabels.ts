import { isLanguage, translatorFor } from '@rapporteur/i18n';
import { type ConsensusTranslate, translateConsensusEn } from '@rapporteur/schema';

/**
 * The consensus markers' wording in `language` (SPEC L8): the catalog's
 * `consensus` messages of that language, else the schema package's English.
 */
export function consensusTranslatorFor(language: string): ConsensusTranslate {
  if (language === 'en' || !isLanguage(language)) return translateConsensusEn;
  const t = translatorFor(language);
  return (key, values = {}) => t(`consensus.${key}`, { ...values, defaultValue: translateConsensusEn(key, values) }) as string;
}
