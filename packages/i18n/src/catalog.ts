import ar from '../locales/ar.json';
import en from '../locales/en.json';
import es from '../locales/es.json';
import fr from '../locales/fr.json';
import ru from '../locales/ru.json';
import zh from '../locales/zh.json';
import type { Language } from './languages';

/** Every language's messages as the locale files hold them (the editor loads all but English lazily). */
export const CATALOG: Readonly<Record<Language, Record<string, unknown>>> = { ar, en, es, fr, ru, zh };

export type Messages = typeof en;

/** Every key (dot path) of a catalog whose value is a string. */
export function keysOf(messages: unknown, prefix = ''): string[] {
  if (typeof messages === 'string') return [prefix];
  if (typeof messages !== 'object' || messages === null) return [];
  return Object.entries(messages).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

/** The interpolation variables of a message (`{{count}}`, `{{name, number}}` → `count`, `name`), sorted. */
export function variablesOf(message: string): string[] {
  const names = new Set<string>();
  for (const m of message.matchAll(/\{\{\s*-?\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)) names.add(m[1]!);
  for (const m of message.matchAll(/\$t\(\s*([\w.:]+)/g)) names.add(`$t(${m[1]!})`);
  return [...names].sort();
}
