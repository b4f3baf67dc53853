import { z } from 'zod';

// Text that people type into titles, names and comments, checked where it
// enters (the HTTP boundary) so that what is stored is text: no NUL or
// other control characters (which truncate C strings, break CSV and
// terminals, and hide content) and no unpaired UTF-16 surrogates (which are
// not Unicode: UTF-8 storage would silently turn them into U+FFFD). What
// passes is normalised to NFC, so the same name typed on two keyboards is
// stored, compared and sorted as the same string.

/** An unpaired high or low surrogate. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 controls and DEL: nothing of these belongs in a one-line field. */
// eslint-disable-next-line no-control-regex
const LINE_CONTROLS = /[\u0000-\u001F\u007F]/;
/** The same, but tab, line feed and carriage return are allowed in multi-line text. */
// eslint-disable-next-line no-control-regex
const TEXT_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function checked(controls: RegExp, controlMessage: string) {
  return z
    .string()
    .refine((s) => !LONE_SURROGATE.test(s), 'Contains an unpaired surrogate, which is not valid Unicode text')
    .refine((s) => !controls.test(s), controlMessage)
    .transform((s) => s.normalize('NFC'));
}

/**
 * A one-line field (a title, a name): refused if it holds a control
 * character or an unpaired surrogate, then NFC-normalised and trimmed, and
 * held to `min`–`max` characters.
 */
export function lineText(options: { min?: number; max: number }) {
  return checked(LINE_CONTROLS, 'Contains a control character (such as NUL or a line break)').pipe(
    z.string().trim().min(options.min ?? 0, options.min ? 'Required' : undefined).max(options.max),
  );
}

/**
 * Multi-line text (a comment, a response): like `lineText`, but tabs and
 * line breaks are allowed. `trim` (default true) drops surrounding spaces.
 */
export function multilineText(options: { min?: number; max: number; trim?: boolean; minMessage?: string }) {
  const base = options.trim === false ? z.string() : z.string().trim();
  return checked(TEXT_CONTROLS, 'Contains a control character (such as NUL)').pipe(
    base.min(options.min ?? 0, options.minMessage).max(options.max),
  );
}
