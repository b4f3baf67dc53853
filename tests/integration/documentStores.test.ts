import fs from 'node:fs';
import path from 'node:path';
import { type Database, MIGRATION_NAMES, openSqliteDatabase, SqlDocumentStore } from '@rapporteur/server';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestPostgres } from '../support/postgres';
import { tempDataDir } from '../support/server';
import { commentStoreContract } from './commentStoreContract';
import { compactionContract } from './compactionContract';
import { documentStoreMoreContract } from './documentStoreMoreContract';
import { storeContract } from './storeContract';

// The document and comment stores (SPEC S1–S11, C3, C11) are one Kysely
// implementation; each backend passes the same contracts: SQLite in memory,
// an SQLite file, and PostgreSQL (a schema of its own per test; PostgreSQL is
// required). `another` opens a second connection to the same storage, as a
// second server instance would, for the checks that must hold between
// instances.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Backend {
  /** A fresh, migrated, empty database. */
  open(): Promise<Database & { another?: () => Promise<Database> }>;
  /** `another` opens the same storage again (durability). */
  durable: boolean;
  /** Several server instances may share it (issue 15). */
  instances: boolean;
}

function sqliteFile(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return path.join(dir, 'rapporteur.sqlite');
}

const backends: Record<string, Backend> = {
  'SQLite in memory': { open: () => openSqliteDatabase({ file: ':memory:' }), durable: false, instances: false },
  'SQLite file': {
    open: async () => {
      const file = sqliteFile();
      const database = await openSqliteDatabase({ file });
      return { ...database, another: () => openSqliteDatabase({ file }) };
    },
    durable: true,
    instances: false,
  },
  PostgreSQL: { open: openTestPostgres, durable: true, instances: true },
};

/** A store that also closes the databases it was given (the last one drops a PostgreSQL test schema). */
class TestStore extends SqlDocumentStore {
  constructor(
    readonly storage: Database & { another?: () => Promise<Database> },
    readonly closeAfter: ReadonlyArray<() => Promise<void>>,
  ) {
    super(storage);
  }

  private closing: Promise<void> | null = null;

  override close(): Promise<void> {
    this.closing ??= (async () => {
      await super.close();
      for (const close of this.closeAfter) await close();
    })();
    return this.closing;
  }
}

for (const [name, backend] of Object.entries(backends)) {
  describe(name, () => {
    storeContract(
      name,
      async () => {
        const database = await backend.open();
        return new TestStore(database, [() => database.close()]);
      },
      backend.durable
        ? async (store) => {
            // This store stops (its appends settle), then the storage is read through a new connection.
            const first = store as TestStore;
            const reader = await first.storage.another!();
            await SqlDocumentStore.prototype.close.call(first);
            return new TestStore(reader, [() => reader.close(), ...first.closeAfter]);
          }
        : undefined,
    );
    documentStoreMoreContract(name, backend.open, backend);
    commentStoreContract(name, backend.open, backend);
    compactionContract(name, backend.open, { instances: backend.instances, file: name === 'SQLite file' });
  });
}

describe('SQLite specifics', () => {
  it('applies migrations once and runs in WAL mode', async () => {
    const file = sqliteFile();
    await (await SqlDocumentStore.openSqlite({ file })).close();
    const again = await SqlDocumentStore.openSqlite({ file });
    await again.close();
    expect(fs.existsSync(file)).toBe(true);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT name FROM kysely_migration ORDER BY name').all()).toEqual(MIGRATION_NAMES.map((name) => ({ name })));
    db.close();
  });
});
