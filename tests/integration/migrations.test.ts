import fs from 'node:fs';
import path from 'node:path';
import { allMigrations, LEGACY_SQLITE_VERSION, legacySqliteMigrations, MIGRATION_NAMES, openSqliteDatabase, SqlAccountStore } from '@rapporteur/server';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestPostgres, TEST_POSTGRES_URL } from '../support/postgres';
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
    // The baseline alone: a new database migrated only to 0015_baseline (later migrations change the schema on purpose).
    const baselineOnly = newFile();
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(baselineOnly) }) });
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => allMigrations('sqlite', null) } });
      const { error } = await migrator.migrateTo('0015_baseline');
      expect(error).toBeUndefined();
    } finally {
      await db.destroy();
    }
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

  // Migration 0019 (issue 16, SPEC S2): the update log keyed by documents.log_key, without client_ids.
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`S2, S5: 0019 moves the update log to integer document keys on ${dialect}, every row kept; new documents get keys, a deleted one takes its log`, async () => {
      const { db, schema, close } = await unmigrated(dialect);
      try {
        // On PostgreSQL Kysely must be told the schema, or it may take another test's kysely_migration for this one's (as the server does).
        const migrator = new Migrator({ db, provider: { getMigrations: async () => allMigrations(dialect, null) }, ...(schema ? { migrationTableSchema: schema } : {}) });
        expect((await migrator.migrateTo('0018_log_compaction')).error).toBeUndefined();
        for (const id of ['d1', 'd2']) await sql`INSERT INTO documents (id, title, created_at, updated_at) VALUES (${id}, ${id}, 1, 1)`.execute(db);
        const rows = [
          { doc: 'd1', seq: 1, data: [1, 2], author: 'u1', created: 10, first: null, firstCreated: null },
          { doc: 'd1', seq: 2, data: [3], author: null, created: 11, first: null, firstCreated: null },
          { doc: 'd2', seq: 1, data: [4], author: 'u2', created: 12, first: null, firstCreated: null },
          { doc: 'd2', seq: 5, data: [5, 6, 7], author: 'u2', created: 20, first: 2, firstCreated: 13 },
        ];
        for (const r of rows) {
          await sql`INSERT INTO updates (document_id, seq, data, author, client_ids, created_at, first_seq, first_created_at)
            VALUES (${r.doc}, ${r.seq}, ${Buffer.from(r.data)}, ${r.author}, '[7]', ${r.created}, ${r.first}, ${r.firstCreated})`.execute(db);
        }
        expect((await migrator.migrateToLatest()).error).toBeUndefined();

        const log = async () =>
          (
            await sql<{ id: string; seq: number; data: Uint8Array; author: string | null; created_at: number; first_seq: number | null; first_created_at: number | null }>`
              SELECT d.id, u.seq, u.data, u.author, u.created_at, u.first_seq, u.first_created_at
              FROM updates u JOIN documents d ON d.log_key = u.doc_key ORDER BY d.id, u.seq`.execute(db)
          ).rows.map((r) => ({
            doc: r.id,
            seq: Number(r.seq),
            data: [...r.data],
            author: r.author,
            created: Number(r.created_at),
            first: r.first_seq === null ? null : Number(r.first_seq),
            firstCreated: r.first_created_at === null ? null : Number(r.first_created_at),
          }));
        expect(await log()).toEqual(rows);

        // A new document gets a key of its own (SQLite: the trigger; PostgreSQL: the identity column).
        await sql`INSERT INTO documents (id, title, created_at, updated_at) VALUES ('d3', 'd3', 1, 1)`.execute(db);
        const keys = (await sql<{ id: string; log_key: number | null }>`SELECT id, log_key FROM documents ORDER BY id`.execute(db)).rows;
        expect(keys.every((k) => k.log_key !== null)).toBe(true);
        expect(new Set(keys.map((k) => k.log_key)).size).toBe(3);
        await sql`INSERT INTO updates (doc_key, seq, data, created_at) VALUES ((SELECT log_key FROM documents WHERE id = 'd3'), 1, ${Buffer.from([9])}, 30)`.execute(db);
        // Deleting a document deletes its log, nobody else's.
        await sql`DELETE FROM documents WHERE id = 'd1'`.execute(db);
        expect((await log()).map((r) => `${r.doc}:${r.seq}`)).toEqual(['d2:1', 'd2:5', 'd3:1']);
      } finally {
        await close();
      }
    });
  }

  // Migration 0020 (issue 16, SPEC S12): documents.last_seq, set from the log.
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`S5, S12: 0020 gives every document its last seq from the log on ${dialect}, merged records included; a new one starts at 0`, async () => {
      const { db, schema, close } = await unmigrated(dialect);
      try {
        const migrator = new Migrator({ db, provider: { getMigrations: async () => allMigrations(dialect, null) }, ...(schema ? { migrationTableSchema: schema } : {}) });
        expect((await migrator.migrateTo('0019_compact_log_rows')).error).toBeUndefined();
        for (const id of ['d1', 'd2', 'd3']) await sql`INSERT INTO documents (id, title, created_at, updated_at) VALUES (${id}, ${id}, 1, 1)`.execute(db);
        const key = (id: string) => sql`(SELECT log_key FROM documents WHERE id = ${id})`;
        await sql`INSERT INTO updates (doc_key, seq, data, created_at) VALUES (${key('d1')}, 1, ${Buffer.from([1])}, 10), (${key('d1')}, 2, ${Buffer.from([2])}, 11)`.execute(db);
        // d2's log is one merged record, 1..7.
        await sql`INSERT INTO updates (doc_key, seq, data, created_at, first_seq, first_created_at) VALUES (${key('d2')}, 7, ${Buffer.from([3])}, 20, 1, 12)`.execute(db);
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        await sql`INSERT INTO documents (id, title, created_at, updated_at) VALUES ('d4', 'd4', 1, 1)`.execute(db);
        const rows = (await sql<{ id: string; last_seq: number | string }>`SELECT id, last_seq FROM documents ORDER BY id`.execute(db)).rows;
        expect(rows.map((r) => [r.id, Number(r.last_seq)])).toEqual([
          ['d1', 2],
          ['d2', 7],
          ['d3', 0],
          ['d4', 0],
        ]);
      } finally {
        await close();
      }
    });
  }
});

/** An empty database no migration has touched, on `dialect`, for running migrations one by one. */
async function unmigrated(dialect: 'sqlite' | 'postgres'): Promise<{ db: Kysely<unknown>; schema: string | null; close: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const sqlite = new Database(newFile());
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, schema: null, close: () => db.destroy() };
  }
  const schema = `m${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 2, options: `-c search_path=${schema}` }) }) });
  return {
    db,
    schema,
    close: async () => {
      await db.destroy();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

