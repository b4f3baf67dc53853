import fs from 'node:fs';
import path from 'node:path';
import { type Database, openSqliteDatabase, SqlAccountStore } from '@rapporteur/server';
import { afterAll, describe } from 'vitest';
import { openTestPostgres } from '../support/postgres';
import { tempDataDir } from '../support/server';
import { accountStoreContract } from './accountStoreContract';
import { eventStoreContract } from './eventStoreContract';
import { sqlStoreContracts } from './sqlStoreContracts';

// The stores written once on Kysely (SPEC S7), each passing the same
// contract on every backend: SQLite in memory, an SQLite file, PostgreSQL
// (a schema of its own per store, dropped after; PostgreSQL is required).

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const backends: Record<string, () => Promise<Database>> = {
  'SQLite in memory': () => openSqliteDatabase({ file: ':memory:' }),
  'SQLite file': () => {
    const dir = tempDataDir();
    dirs.push(dir);
    return openSqliteDatabase({ file: path.join(dir, 'rapporteur.sqlite') });
  },
  PostgreSQL: openTestPostgres,
};

for (const [backend, open] of Object.entries(backends)) {
  describe(backend, () => {
    accountStoreContract(backend, async () => {
      const database = await open();
      return { store: new SqlAccountStore(database.db, database.dialect), close: () => database.close() };
    });
    sqlStoreContracts(backend, open);
    eventStoreContract(backend, open);
  });
}
