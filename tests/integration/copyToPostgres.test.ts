import fs from 'node:fs';
import { connect } from '@rapporteur/client';
import { copySqliteToPostgres, type Database, openSqliteDatabase, sqliteFile } from '@rapporteur/server';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts';
import { runCli } from '../support/cli';
import { createDocument, WebSocket } from '../support/clients';
import { openTestPostgres, TEST_POSTGRES_URL } from '../support/postgres';
import { startServer, tempDataDir } from '../support/server';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** TEST_POSTGRES_URL with its tables in the test database's own schema. */
function urlOf(pg: Database): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${pg.description.match(/schema (\w+)/)![1]}`);
  return url.toString();
}

/** Every row of every data table, comparable across dialects (bytes as hex), in a stable order. */
async function contents(database: Database): Promise<Record<string, string[]>> {
  const { rows: tables } =
    database.dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`.execute(
          database.db,
        )
      : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_name NOT LIKE 'kysely_%'`.execute(database.db);
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(database.db);
    out[name] = rows
      .map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v])))
      .sort();
  }
  return out;
}

describe('S9: pnpm admin copy-to-postgres moves an SQLite installation to PostgreSQL', () => {
  it('S9: copies every row of every table, byte for byte, parents first; refuses a second copy and a running server', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const server = await startServer(dataDir);
    const owner = await signUp(server.url);
    const id = await createDocument(server.url, owner);
    const c = connect(id, { url: server.collabUrl, WebSocketPolyfill: WebSocket as never, token: owner.token });
    await c.whenSynced();
    c.doc.getText('t').insert(0, 'Key takeaways: ');
    c.doc.getText('t').insert(15, 'ünïcode and bytes');
    await c.whenSaved();
    c.destroy();
    const headers = { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' };
    const thread = await fetch(`${server.url}/api/documents/${id}/comments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ anchor: { type: 'block', blockId: 'b-1', quote: 'Key' }, body: 'A thread' }),
    });
    expect(thread.status).toBe(201);
    const threadId = ((await thread.json()) as { comment: { id: string } }).comment.id;
    const reply = await fetch(`${server.url}/api/documents/${id}/comments/${threadId}/replies`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ body: 'A reply' }),
    });
    expect(reply.status).toBe(201);

    // While the server runs, the copy is refused.
    const pg = await openTestPostgres();
    try {
      const running = await runCli(['copy-to-postgres'], { DATA_DIR: dataDir, DATABASE_URL: urlOf(pg) });
      expect(running.code).toBe(1);
      expect(running.stderr).toContain('a Rapporteur server is running');
      await server.close();

      // Rows whose parent comes later in the file (a translation before its original), and an audit id to continue after.
      const file = sqliteFile(dataDir);
      const raw = await openSqliteDatabase({ file });
      raw.sqlite!.exec(`
        INSERT INTO documents (id, title, created_at, updated_at, translation_of) VALUES ('z-original', 'Original', 1, 1, NULL);
        UPDATE documents SET translation_of = 'z-original' WHERE id = '${id}';
        INSERT INTO audit_events (id, document_id, actor_id, action, details, created_at) VALUES (41, '${id}', NULL, 'seeded', '{}', 2);`);
      await raw.close();

      const copied = await runCli(['copy-to-postgres'], { DATA_DIR: dataDir, DATABASE_URL: urlOf(pg) });
      expect(copied.stderr).toBe('');
      expect(copied.code).toBe(0);
      expect(copied.stdout).toMatch(/Copied \d+ rows in \d+ tables from .*rapporteur\.sqlite to PostgreSQL 127\.0\.0\.1:5432\/test/);

      const sqlite = await openSqliteDatabase({ file });
      try {
        const expected = await contents(sqlite);
        expect(expected.updates!.length).toBeGreaterThan(0);
        expect(expected.comments).toHaveLength(2);
        expect(expected.audit_events!.length).toBeGreaterThan(0);
        expect(await contents(pg)).toEqual(expected);
      } finally {
        await sqlite.close();
      }

      // Identity columns continue after the copied ids.
      const { rows } = await sql<{ id: number }>`INSERT INTO audit_events (document_id, action, details, created_at)
        VALUES (${id}, 'test', '{}', 1) RETURNING id`.execute(pg.db);
      const { rows: max } = await sql<{ n: number }>`SELECT MAX(id) AS n FROM audit_events WHERE action <> 'test'`.execute(pg.db);
      expect(max[0]!.n).toBe(41);
      expect(rows[0]!.id).toBe(42);

      // One row per statement: a translation's original, a reply's thread must be there before it.
      const rowByRow = await openTestPostgres();
      const source = await openSqliteDatabase({ file });
      try {
        await copySqliteToPostgres(source, rowByRow, { maxRowsPerStatement: 1 });
        expect(await contents(rowByRow)).toEqual(await contents(source));
      } finally {
        await source.close();
        await rowByRow.close();
      }

      // A second copy into the same database is refused, and changes nothing.
      const again = await runCli(['copy-to-postgres'], { DATA_DIR: dataDir, DATABASE_URL: urlOf(pg) });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/Refusing to copy: PostgreSQL .* already holds data/);
    } finally {
      await server.close();
      await pg.close();
    }
  });

  it('S9: without DATABASE_URL it says what it needs', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const result = await runCli(['copy-to-postgres'], { DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Set DATABASE_URL to the PostgreSQL database to copy into');
  });
});
