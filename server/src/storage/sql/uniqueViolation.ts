/**
 * Whether `error` is a unique or primary-key violation, in either dialect:
 * better-sqlite3's `SQLITE_CONSTRAINT_UNIQUE`/`_PRIMARYKEY`, or PostgreSQL's
 * SQLSTATE 23505. Stores turn it into their own expected-failure error.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
