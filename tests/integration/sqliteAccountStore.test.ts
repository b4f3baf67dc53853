import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, SqliteAccountStore } from '@rapporteur/server';
import { afterAll } from 'vitest';
import { tempDataDir } from '../support/server';
import { accountStoreContract } from './accountStoreContract';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

accountStoreContract('SQLite in memory', async () => {
  const db = openDatabase({ file: ':memory:' });
  return { store: new SqliteAccountStore(db), close: () => db.close() };
});

accountStoreContract('SQLite file', async () => {
  const dir = tempDataDir();
  dirs.push(dir);
  const db = openDatabase({ file: path.join(dir, 'rapporteur.sqlite') });
  return { store: new SqliteAccountStore(db), close: () => db.close() };
});
