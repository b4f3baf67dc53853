import * as z from 'zod';

import { LINE_CONTROL_MESSAGE, LINE_CONTROLS, LONE_SURROGATE, LONE_SURROGATE_MESSAGE, TEXT_CONTROL_MESSAGE, TEXT_CONTROLS } from './textRules';

// Text that people type into titles, names and comments, checked where it
// enters (the HTTP boundary) so that what is stored is text: no NUL or
// other control characters (which truncate C strings, break CSV and
// terminals, and hide content) and no unpaired UTF-16 surrogates (which are
// not Unicode: UTF-8 storage would silently turn them into U+FFFD). What
// passes is normalised to NFC, so the same name typed on two keyboards is
// stored, compared and sorted as the same string.

function checked(controls: RegExp, controlMessage: string) {
  return z
    .string()
    .refine((s) => !LONE_SURROGATE.test(s), LONE_SURROGATE_MESSAGE)
    .refine((s) => !controls.test(s), controlMessage)
    .transform((s) => s.normalize('NFC'));
}

/**
 * A one-line field (a title, a name): refused if it holds a control
 * character or an unpaired surrogate, then NFC-normalised and trimmed, and
 * held to `min`–`max` characters.
 */
export function lineText(options: { min?: number; max: number }) {
  return checked(LINE_CONTROLS, LINE_CONTROL_MESSAGE).pipe(
    z.string().trim().min(options.min ?? 0, options.min ? 'Required' : undefined).max(options.max),
  );
}

/**
 * Multi-line text (a comment, a response): like `lineText`, but tabs and
 * line breaks are allowed. `trim` (default true) drops surrounding spaces.
 */
export function multilineText(options: { min?: number; max: number; trim?: boolean; minMessage?: string }) {
  const base = options.trim === false ? z.string() : z.string().trim();
  return checked(TEXT_CONTROLS, TEXT_CONTROL_MESSAGE).pipe(
    base.min(options.min ?? 0, options.minMessage).max(options.max),
  );
}
