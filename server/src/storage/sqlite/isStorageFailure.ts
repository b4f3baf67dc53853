/**
 * SQLite result codes that say the storage itself is failing (disk full,
 * I/O error, read-only or vanished file, locked or corrupt database), as
 * opposed to a bug or a constraint: a request that meets one is answered
 * 503 `storage_unavailable`, not 500 (SPEC O3).
 */
const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM)/;

export function isStorageFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && STORAGE_CODES.test(code)) return true;
  // better-sqlite3 throws a TypeError once the connection is closed.
  return error instanceof TypeError && error.message === 'The database connection is not open';
}
