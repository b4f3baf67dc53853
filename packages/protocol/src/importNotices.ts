/**
 * What a paste or an import could not keep, said to the person instead of
 * dropped silently (issue 14). Zod-free: the editor shows these after a
 * paste. `POST /api/documents/import` answers them in `notices`.
 *
 * - `images`: pictures left out; `items` lists their alternative texts (those
 *   that had one), so the person can put the description back in words.
 * - `colours`: text colours, highlighting and cell shading left out.
 * - `embedded`: embedded objects, videos, drawings, form fields left out.
 * - `footnotes-as-text`: footnotes kept as numbered text after the rest (with
 *   superscript markers in the text) rather than as footnotes.
 */
export const IMPORT_NOTICE_CODES = ['images', 'colours', 'embedded', 'footnotes-as-text'] as const;
export type ImportNoticeCode = (typeof IMPORT_NOTICE_CODES)[number];

export interface ImportNotice {
  readonly code: ImportNoticeCode;
  /** How many (images, coloured passages, objects, footnotes). */
  readonly count: number;
  /** For `images`: the alternative texts the images had (at most 20, each at most 200 characters). */
  readonly items?: readonly string[];
}

/** The formats `POST /api/documents/import` reads, by their usual file extension. */
export const IMPORT_FORMATS = ['docx', 'odt', 'md', 'html'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** `201` answer of `POST /api/documents/import`: the new document, and what could not be kept, each worded in the reader's language. */
export interface ImportedDocument {
  readonly id: string;
  readonly title: string;
  readonly notices: ReadonlyArray<ImportNotice & { readonly message: string }>;
}
