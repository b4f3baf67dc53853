import fs from 'node:fs';
import path from 'node:path';
import { LEGACY_SQLITE_VERSION, legacySqliteMigrations, MIGRATION_NAMES, openSqliteDatabase, SqlAccountStore } from '@rapporteur/server';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestPostgres } from '../support/postgres';
import { tempDataDir } from '../support/server';
import { sqliteSchemaDump } from '../support/sqliteSchema';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function newFile(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return path.join(dir, 'rapporteur.sqlite');
}

/** A database as the SQLite runner before Kysely left it at `version`, from its frozen SQL (the same loop it ran). */
function legacyDatabase(file: string, version: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const m of legacySqliteMigrations.filter((m) => m.version <= version)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, 1);
    })();
  }
  db.prepare(
    `INSERT INTO users (id, email, password_hash, name, stakeholder_group, region, created_at, updated_at)
     VALUES ('u1', 'Ada@Example.org', 'hash', 'Ada', 'academia', 'other', 1, 1)`,
  ).run();
  db.prepare("INSERT INTO sessions (id, secret_hash, user_id, created_at, expires_at) VALUES ('s1', 'sh1', 'u1', 1, 100000)").run();
  db.close();
}

function dumpOf(file: string): Record<string, unknown> {
  const db = new Database(file, { readonly: true });
  try {
    return sqliteSchemaDump(db);
  } finally {
    db.close();
  }
}

function migrationNames(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], { name: string }>('SELECT name FROM kysely_migration ORDER BY name').all().map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('S5: one migration tool (Kysely) for both dialects, adopting SQLite databases of the older runner', () => {
  it('S5: the old runner\'s migrations stay frozen at 1–15 (a new migration is a Kysely migration, ARCHITECTURE.md)', () => {
    expect(
      legacySqliteMigrations.map((m) => m.version),
      'legacySqliteMigrations.ts is frozen: write the change as server/src/storage/sql/migrations/00NN_name.ts instead',
    ).toEqual(Array.from({ length: LEGACY_SQLITE_VERSION }, (_, i) => i + 1));
  });

  it('S5: a fresh SQLite database gets the schema the old runner made, recorded only by Kysely', async () => {
    const fresh = newFile();
    await (await openSqliteDatabase({ file: fresh })).close();
    const legacy = newFile();
    legacyDatabase(legacy, LEGACY_SQLITE_VERSION);
    const expected = dumpOf(legacy);
    expect(Object.keys(expected).length).toBeGreaterThan(25);
    // The baseline alone: the fresh database without what later migrations added (0016: versions.position, 0017: leases,
    // 0018: documents.compacted_seq, updates.first_created_at).
    const baselineOnly = newFile();
    fs.copyFileSync(fresh, baselineOnly);
    const db = new Database(baselineOnly);
    db.exec('ALTER TABLE versions DROP COLUMN position; DROP TABLE leases; ALTER TABLE documents DROP COLUMN compacted_seq; ALTER TABLE updates DROP COLUMN first_created_at');
    db.close();
    expect(dumpOf(baselineOnly)).toEqual(expected);
    expect(migrationNames(fresh)).toEqual(MIGRATION_NAMES);
  });

  for (const version of [LEGACY_SQLITE_VERSION, 12, 2]) {
    it(`S5: a database the old runner left at version ${version} opens, keeps its data and ends with the same schema`, async () => {
      const file = newFile();
      legacyDatabase(file, version);
      const database = await openSqliteDatabase({ file });
      try {
        const accounts = new SqlAccountStore(database.db, database.dialect);
        expect(await accounts.findUserByEmail('ada@example.org')).toMatchObject({ id: 'u1', name: 'Ada' });
        expect(await accounts.isSessionLive('s1', 50)).toBe(true);
      } finally {
        await database.close();
      }
      const fresh = newFile();
      await (await openSqliteDatabase({ file: fresh })).close();
      expect(dumpOf(file)).toEqual(dumpOf(fresh));
      expect(migrationNames(file)).toEqual(MIGRATION_NAMES);
      // Opened again, nothing runs twice.
      await (await openSqliteDatabase({ file })).close();
      expect(migrationNames(file)).toEqual(MIGRATION_NAMES);
    });
  }

  it('S5: a database migrated by a newer Rapporteur is refused with a message saying so', async () => {
    const file = newFile();
    await (await openSqliteDatabase({ file })).close();
    const db = new Database(file);
    db.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')").run();
    db.close();
    await expect(openSqliteDatabase({ file })).rejects.toThrow(/newer Rapporteur \(migration 9999_from_the_future is unknown here\)/);
  });

  it('S5: on PostgreSQL the same migrations make the same tables and columns, and run once', async () => {
    const pg = await openTestPostgres();
    try {
      const { rows } = await sql<{ table_name: string; column_name: string }>`
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(pg.db);
      const pgColumns: Record<string, string[]> = {};
      for (const r of rows) if (!r.table_name.startsWith('kysely_')) (pgColumns[r.table_name] ??= []).push(r.column_name);
      const fresh = newFile();
      await (await openSqliteDatabase({ file: fresh })).close();
      const sqliteColumns = Object.fromEntries(
        Object.entries(dumpOf(fresh)).map(([table, t]) => [table, (t as { columns: { name: string }[] }).columns.map((c) => c.name)]),
      );
      expect(pgColumns).toEqual(sqliteColumns);
      const names = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(pg.db);
      expect(names.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    } finally {
      await pg.close();
    }
  });
});
