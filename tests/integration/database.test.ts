import fs from 'node:fs';
import { ConfigError, loadConfig, openConfiguredDatabase, SqlAccountStore, sqliteFile } from '@rapporteur/server';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { signUp } from '../support/accounts';
import { runCli } from '../support/cli';
import { openTestPostgres, urlInSchema } from '../support/postgres';
import { startServer, tempDataDir } from '../support/server';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir;
}


describe('S6: the database is chosen by DATABASE_URL', () => {
  it('S6: DATABASE_URL must be a PostgreSQL URL; unset or empty, the server stores in DATA_DIR', () => {
    for (const bad of ['mysql://db/rapporteur', 'postgres://', 'postgres://db.example.org', 'not a url']) {
      expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(/DATABASE_URL: must be a PostgreSQL URL/);
    }
    expect(loadConfig({}).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/rapporteur' }).databaseUrl).toBe('postgresql://u:p@db:5432/rapporteur');
  });

  it('S6: unset, the database is the SQLite file in DATA_DIR, migrated', async () => {
    const dir = dataDir();
    const database = await openConfiguredDatabase({ dataDir: dir, databaseUrl: null });
    try {
      expect(database.dialect).toBe('sqlite');
      expect(database.description).toBe(`SQLite ${sqliteFile(dir)}`);
      await database.ping();
      expect(fs.existsSync(sqliteFile(dir))).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('S6: a PostgreSQL that does not answer is a startup error naming host, port and database, never the password', async () => {
    const url = 'postgres://rapporteur:s3cret-pw@127.0.0.1:1/rapporteur';
    const opening = openConfiguredDatabase({ dataDir: dataDir(), databaseUrl: url });
    await expect(opening).rejects.toMatchObject({ name: 'StartupError' });
    const message = await opening.catch((e: Error) => e.message);
    expect(message).toMatch(/^PostgreSQL at 127\.0\.0\.1:1\/rapporteur cannot be reached: .*ECONNREFUSED.*Check that PostgreSQL runs there/);
    expect(message).not.toContain('s3cret-pw');
  });

  it('S6: with DATABASE_URL, PostgreSQL is opened and migrated and every store is there; DATA_DIR holds no database; one server per database', async () => {
    const pg = await openTestPostgres();
    try {
      const url = urlInSchema(pg.schema);
      const database = await openConfiguredDatabase({ dataDir: dataDir(), databaseUrl: url });
      try {
        expect(database.dialect).toBe('postgres');
        await database.ping();
      } finally {
        await database.close();
      }
      const dir = dataDir();
      const server = await startServer(dir, { databaseUrl: url });
      try {
        const owner = await signUp(server.url, { email: 'owner@example.org' });
        const doc = await owner.api.createDocument({ title: 'Stored in PostgreSQL' });
        await owner.api.createComment(doc.id, { anchor: { type: 'block', blockId: 'b1', quote: 'x' }, body: 'A comment in PostgreSQL' });
        // The rows are PostgreSQL's: documents, members, comments and their events.
        const counts = await sql<{ documents: number; members: number; comments: number; events: number }>`SELECT
          (SELECT COUNT(*) FROM documents) AS documents, (SELECT COUNT(*) FROM document_members) AS members,
          (SELECT COUNT(*) FROM comments) AS comments, (SELECT COUNT(*) FROM comment_events) AS events`.execute(pg.db);
        expect(counts.rows[0]).toEqual({ documents: 1, members: 1, comments: 1, events: 1 });
        expect(fs.existsSync(sqliteFile(dir))).toBe(false);
        // A second server on the same database is refused while the first runs (until Redis fan-out).
        await expect(startServer(dataDir(), { databaseUrl: url })).rejects.toThrow(/Another Rapporteur server already uses PostgreSQL 127\.0\.0\.1:5432\/test/);
      } finally {
        await server.close();
      }
      // Once it stopped, another may start.
      const next = await startServer(dataDir(), { databaseUrl: url });
      await next.close();
    } finally {
      await pg.close();
    }
  });
});

describe('S8: administration on PostgreSQL', () => {
  it('S8: pnpm admin create-admin works on PostgreSQL', async () => {
    const pg = await openTestPostgres();
    try {
      const url = urlInSchema(pg.description.match(/schema (\w+)/)![1]!);
      const created = await runCli(['create-admin', '--email', 'chair@example.org'], {
        DATABASE_URL: url,
        DATA_DIR: dataDir(),
        RAPPORTEUR_ADMIN_PASSWORD: 'a long and unusual passphrase 42',
      });
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/Created administrator chair@example\.org in PostgreSQL 127\.0\.0\.1:5432\/test/);
      const accounts = new SqlAccountStore(pg.db, pg.dialect);
      expect(await accounts.findUserByEmail('Chair@Example.org')).toMatchObject({ isAdmin: true, name: 'Administrator' });
    } finally {
      await pg.close();
    }
  });

  it('S8: pnpm admin backup and restore copy nothing on PostgreSQL and say to use pg_dump and pg_restore', async () => {
    const dir = dataDir();
    const env = { DATABASE_URL: 'postgres://rapporteur:s3cret-pw@db.example.org:5432/rapporteur', DATA_DIR: dir };
    const backup = await runCli(['backup', '--to', `${dir}/copy.sqlite`], env);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('the data is in PostgreSQL (db.example.org:5432/rapporteur)');
    expect(backup.stderr).toContain('pg_dump --format=custom');
    expect(backup.stderr).not.toContain('s3cret-pw');
    const restore = await runCli(['restore', '--from', `${dir}/copy.sqlite`], env);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('pg_restore --clean');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
