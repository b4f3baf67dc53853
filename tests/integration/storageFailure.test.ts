import { isStorageFailure, openPostgresDatabase, openSqliteDatabase, SqlAccountStore } from '@rapporteur/server';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openTestPostgres } from '../support/postgres';

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

// SPEC O3 on both dialects: a failing database is told apart from a
// constraint or a bug, so requests meeting it get 503, not 500.
describe('O3: storage failures are recognised on SQLite and PostgreSQL', () => {
  it('O3: PostgreSQL going away mid-session is a storage failure; a unique violation is not', async () => {
    const pg = await openTestPostgres();
    try {
      const accounts = new SqlAccountStore(pg.db, pg.dialect);
      const user = { id: 'u1', email: 'a@example.org', passwordHash: 'h', name: 'A', stakeholderGroup: 'other', region: 'other', now: 1 } as const;
      await accounts.createUser(user);
      const duplicate = await errorOf(sql`INSERT INTO users (id, email, password_hash, name, stakeholder_group, region, created_at, updated_at)
        VALUES ('u2', 'A@example.org', 'h', 'B', 'other', 'other', 1, 1)`.execute(pg.db));
      expect((duplicate as { code?: string }).code).toBe('23505');
      expect(isStorageFailure(duplicate)).toBe(false);
      // The server ends this connection, as a restart or an administrator would.
      const terminated = await errorOf(
        pg.db.connection().execute((db) => sql`SELECT pg_terminate_backend(pg_backend_pid())`.execute(db)),
      );
      expect(isStorageFailure(terminated)).toBe(true);
      // The pool recovers with a new connection; a query that meets the
      // ended one before the pool has dropped it fails as a storage failure too.
      let found: unknown = null;
      for (let attempt = 0; attempt < 3 && !found; attempt++) {
        try {
          found = await accounts.getUser('u1');
        } catch (error) {
          expect(isStorageFailure(error)).toBe(true);
        }
      }
      expect(found).toMatchObject({ id: 'u1' });
    } finally {
      await pg.close();
    }
  });

  it('O3: a PostgreSQL that refuses connections is a storage failure', async () => {
    const refused = await errorOf(openPostgresDatabase({ url: 'postgres://postgres@127.0.0.1:1/test' }));
    expect(isStorageFailure((refused as Error).cause)).toBe(true);
  });

  it('O3: a closed SQLite connection is a storage failure; a constraint is not', async () => {
    const database = await openSqliteDatabase({ file: ':memory:' });
    const constraint = await errorOf(sql`INSERT INTO settings (key, value) VALUES ('k', NULL)`.execute(database.db));
    expect(isStorageFailure(constraint)).toBe(false);
    await database.close();
    expect(isStorageFailure(await errorOf(sql`SELECT 1`.execute(database.db)))).toBe(true);
  });
});
