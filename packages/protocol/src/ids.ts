/** Branded identifiers, so a document id can never be passed where a user id is expected. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type DocumentId = Brand<string, 'DocumentId'>;

/** Document ids are URL-safe: letters, digits, `_` and `-`, 1–64 characters. */
export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Returns the branded id, or null when `value` cannot be a document id. */
export function parseDocumentId(value: string): DocumentId | null {
  return DOCUMENT_ID_PATTERN.test(value) ? (value as DocumentId) : null;
}
