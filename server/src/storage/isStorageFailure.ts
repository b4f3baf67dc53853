/**
 * Errors that say the storage itself is failing (disk full, I/O error,
 * read-only or vanished file, locked or corrupt database; PostgreSQL gone,
 * refusing connections or out of resources), as opposed to a bug or a
 * constraint: a request that meets one is answered 503
 * `storage_unavailable`, not 500 (SPEC O3).
 */
const SQLITE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM)/;
/** SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (operator intervention: shutdown). */
const POSTGRES_CODES = /^(08|53|57P0)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export function isStorageFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SQLITE_CODES.test(code) || POSTGRES_CODES.test(code) || NETWORK_CODES.has(code))) return true;
  const message = error instanceof Error ? error.message : '';
  // better-sqlite3 throws a TypeError once the connection is closed; pg says so in words.
  if (error instanceof TypeError && message === 'The database connection is not open') return true;
  return /^Connection terminated|^timeout exceeded when trying to connect|^Cannot use a pool after calling end/.test(message);
}
