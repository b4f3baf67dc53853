import path from 'node:path';
import { prepareDataDir } from './prepareDataDir';
import type { Database } from './sql/Database';
import { openPostgresDatabase } from './sql/openPostgresDatabase';
import { openSqliteDatabase } from './sqlite/openDatabase';

/** Path of the SQLite file inside DATA_DIR. */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'rapporteur.sqlite');
}

/**
 * The database the configuration names: PostgreSQL when DATABASE_URL is set
 * (a pool), otherwise the SQLite file in DATA_DIR, migrated either way.
 * Throws a StartupError saying what is wrong (unreachable server, damaged
 * file, …). Taking the DATA_DIR lock is the caller's (the server's) part.
 */
export async function openConfiguredDatabase(config: { readonly dataDir: string; readonly databaseUrl: string | null }): Promise<Database> {
  if (config.databaseUrl) return openPostgresDatabase({ url: config.databaseUrl });
  prepareDataDir(config.dataDir);
  return openSqliteDatabase({ file: sqliteFile(config.dataDir) });
}
