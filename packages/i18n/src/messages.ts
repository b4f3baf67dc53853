import { CATALOG } from './catalog';
import type { Language } from './languages';

/**
 * One language's messages, for the translator. The built server replaces
 * this module (server/build.mjs) with one that holds English and reads each
 * other language's file the first time it is asked for, so a server holds
 * only the languages it has answered in (SPEC O5).
 */
export function messagesOf(language: Language): Record<string, unknown> {
  return CATALOG[language];
}
