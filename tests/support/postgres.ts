import { type Database, openPostgresDatabase } from '@rapporteur/server';
import { sql } from 'kysely';

/** The PostgreSQL the tests use (CI: 127.0.0.1:5432, trust auth, database `test`). */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let opened = 0;

/** TEST_POSTGRES_URL with its tables in `schema` (PostgreSQL's own `options` parameter), as DATABASE_URL would name it. */
export function urlInSchema(schema: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Schemas of test servers on PostgreSQL (support/server.ts postgresSchemaFor), dropped after the run. */
export const POSTGRES_SCHEMA_PREFIX = 'srv_';

/** A test database on PostgreSQL: its own schema, dropped on close. */
export interface TestPostgres extends Database {
  readonly schema: string;
  /** Another pool on the same schema, as a second server instance would open it (closing it drops nothing). */
  another(): Promise<Database>;
}

/**
 * A migrated, empty database on PostgreSQL in a schema of its own (so test
 * files running at once never share tables); `close` drops the schema. Fails
 * — never skips — with a message saying PostgreSQL is required when it does
 * not answer.
 */
export async function openTestPostgres(): Promise<TestPostgres> {
  const schema = `t${process.pid}_${Date.now().toString(36)}_${opened++}`;
  let database: Database;
  try {
    database = await openPostgresDatabase({ url: TEST_POSTGRES_URL, schema, maxConnections: 4 });
  } catch (error) {
    throw new Error(
      `These tests need PostgreSQL at ${TEST_POSTGRES_URL} (set TEST_DATABASE_URL to use another): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    ...database,
    schema,
    another: () => openPostgresDatabase({ url: TEST_POSTGRES_URL, schema, maxConnections: 4 }),
    close: async () => {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(database.db);
      await database.close();
    },
  };
}
