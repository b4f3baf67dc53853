import fs from 'node:fs';
import type { Config } from './config';
import { StartupError } from './lib/StartupError';
import { CopyRefusedError, copySqliteToPostgres } from './storage/copyToPostgres';
import { sqliteFile } from './storage/openConfiguredDatabase';
import type { Database } from './storage/sql/Database';
import { openPostgresDatabase } from './storage/sql/openPostgresDatabase';
import { DataDirInUseError, lockDataDir } from './storage/sqlite/lockDataDir';
import { openSqliteDatabase } from './storage/sqlite/openDatabase';

export const COPY_USAGE = `  DATABASE_URL=postgres://… pnpm admin copy-to-postgres
      copies everything in DATA_DIR's SQLite database into an empty PostgreSQL database (the server must be stopped)`;

/**
 * `pnpm admin copy-to-postgres`: moves an SQLite installation's data to
 * PostgreSQL (SPEC S9). Returns the exit code: 0 copied, 1 refused or failed
 * (nothing is left half-copied: one PostgreSQL transaction), 2 usage.
 */
export async function runCopyCommand(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<number> {
  if (!config.databaseUrl) {
    console.error(`Set DATABASE_URL to the PostgreSQL database to copy into.\nUsage:\n${COPY_USAGE}`);
    return 2;
  }
  const file = sqliteFile(config.dataDir);
  if (!fs.existsSync(file)) {
    console.error(`Refusing to copy: there is no database at ${file} (check DATA_DIR).`);
    return 1;
  }
  let lock: { release(): void } | null = null;
  let from: Database | null = null;
  let to: Database | null = null;
  try {
    lock = lockDataDir(config.dataDir);
    from = await openSqliteDatabase({ file });
    to = await openPostgresDatabase({ url: config.databaseUrl });
    const copied = await copySqliteToPostgres(from, to);
    const total = copied.reduce((n, t) => n + t.rows, 0);
    for (const t of copied.filter((c) => c.rows > 0)) console.log(`  ${t.table}: ${t.rows}`);
    console.log(`Copied ${total} rows in ${copied.length} tables from ${file} to ${to.description}; each table's count checked.`);
    return 0;
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(`Refusing to copy: a Rapporteur server is running on ${config.dataDir} (it holds ${error.lockFile}). Stop it first.`);
      return 1;
    }
    if (error instanceof CopyRefusedError || error instanceof StartupError) {
      console.error(`Refusing to copy: ${error.message}`);
      return 1;
    }
    console.error(`The copy failed, and nothing was written to PostgreSQL: ${(error as Error).message}`);
    return 1;
  } finally {
    await to?.close();
    await from?.close();
    lock?.release();
  }
}
