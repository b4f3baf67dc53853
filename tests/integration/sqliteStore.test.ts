import fs from 'node:fs';
import path from 'node:path';
import { NEWEST_MIGRATION, SqliteDocumentStore } from '@rapporteur/server';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../support/server';
import { storeContract } from './storeContract';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function fileStore(): { file: string; open: () => Promise<SqliteDocumentStore> } {
  const dir = tempDataDir();
  dirs.push(dir);
  const file = path.join(dir, 'rapporteur.sqlite');
  return { file, open: async () => await SqliteDocumentStore.open({ file }) };
}

storeContract('SQLite in memory', async () => await SqliteDocumentStore.open({ file: ':memory:' }));

let current = fileStore();
storeContract(
  'SQLite file',
  async () => {
    current = fileStore();
    return current.open();
  },
  async (store) => {
    await store.close();
    return current.open();
  },
);

describe('SQLite specifics', () => {
  it('applies migrations once and runs in WAL mode', async () => {
    const { file, open } = fileStore();
    (await open()).close();
    const again = await open();
    await again.close();
    expect(fs.existsSync(file)).toBe(true);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1').get()).toEqual({ name: NEWEST_MIGRATION });
    expect(db.prepare('SELECT COUNT(*) AS n FROM kysely_migration').get()).toEqual({ n: 1 });
    db.close();
  });
});
