// The rules of text.ts (what typed text may hold), apart from zod so that
// both zod's full API (text.ts, at the HTTP boundary) and its tree-shakable
// "mini" API (consensusMarker.ts, which the editor runs) check the same.

/** An unpaired high or low surrogate. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 controls and DEL: nothing of these belongs in a one-line field. */
// eslint-disable-next-line no-control-regex
export const LINE_CONTROLS = /[\u0000-\u001F\u007F]/;
/** The same, but tab, line feed and carriage return are allowed in multi-line text. */
// eslint-disable-next-line no-control-regex
export const TEXT_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const LONE_SURROGATE_MESSAGE = 'Contains an unpaired surrogate, which is not valid Unicode text';
export const LINE_CONTROL_MESSAGE = 'Contains a control character (such as NUL or a line break)';
export const TEXT_CONTROL_MESSAGE = 'Contains a control character (such as NUL)';
