import { openPostgresDatabase } from '@rapporteur/server';
import { sql } from 'kysely';
import { POSTGRES_SCHEMA_PREFIX, TEST_POSTGRES_URL } from '../support/postgres';

// The `integration-postgres` project: the integration suite's servers store in
// PostgreSQL, a schema per DATA_DIR (support/server.ts). PostgreSQL is
// required: without it the project fails here, saying so. The schemas are
// dropped before (an interrupted run's) and after the run.

async function dropServerSchemas(): Promise<void> {
  const database = await openPostgresDatabase({ url: TEST_POSTGRES_URL, maxConnections: 1 }).catch((error: unknown) => {
    throw new Error(`The integration-postgres tests need PostgreSQL at ${TEST_POSTGRES_URL} (set TEST_DATABASE_URL): ${(error as Error).message}`, {
      cause: error,
    });
  });
  try {
    const { rows } = await sql<{ name: string }>`SELECT schema_name AS name FROM information_schema.schemata
      WHERE schema_name LIKE ${`${POSTGRES_SCHEMA_PREFIX}%`}`.execute(database.db);
    for (const { name } of rows) await sql`DROP SCHEMA ${sql.id(name)} CASCADE`.execute(database.db);
  } finally {
    await database.close();
  }
}

export async function setup(): Promise<() => Promise<void>> {
  await dropServerSchemas();
  return dropServerSchemas;
}
