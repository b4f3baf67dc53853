import path from 'node:path';
import { sqliteFile } from './storage/openConfiguredDatabase';
import { describePostgresUrl } from './storage/sql/openPostgresDatabase';
import { BackupError, backupDatabase, restoreDatabase } from './storage/sqlite/backupDatabase';
import { DataDirInUseError, lockDataDir } from './storage/sqlite/lockDataDir';
import { prepareDataDir } from './storage/prepareDataDir';
import { StartupError } from './lib/StartupError';

export const BACKUP_USAGE = `  pnpm admin backup --to <file>
      writes a consistent copy of the database to a new file; safe while the server runs
  pnpm admin restore --from <file>
      replaces the database with a backup (the server must be stopped); the old one is kept aside
  (SQLite only: with DATABASE_URL, use PostgreSQL's pg_dump and pg_restore)`;

/** What `pnpm admin backup|restore` says with DATABASE_URL set: PostgreSQL's own tools do it (README, Backups). */
export function postgresBackupAdvice(command: 'backup' | 'restore', databaseUrl: string): string {
  const where = describePostgresUrl(databaseUrl);
  return command === 'backup'
    ? `DATABASE_URL is set: the data is in PostgreSQL (${where}), which this command does not copy. ` +
        'Back it up with PostgreSQL\'s own tools, e.g. pg_dump --format=custom --file=rapporteur.dump "$DATABASE_URL" (see README, Backups).'
    : `DATABASE_URL is set: the data is in PostgreSQL (${where}). ` +
        'Restore a pg_dump backup with pg_restore --clean --dbname="$DATABASE_URL" rapporteur.dump, with the servers stopped (see README, Backups).';
}

/**
 * `pnpm admin backup|restore`: returns the exit code (0 done, 1 refused or
 * failed, 2 usage). Messages name the files involved.
 */
export function runBackupCommand(command: 'backup' | 'restore', file: string | undefined, dataDir: string, databaseUrl: string | null = null): number {
  if (databaseUrl) {
    console.error(postgresBackupAdvice(command, databaseUrl));
    return 1;
  }
  if (!file) {
    console.error(`Usage:\n${BACKUP_USAGE}`);
    return 2;
  }
  const database = sqliteFile(dataDir);
  try {
    if (command === 'backup') {
      const s = backupDatabase(database, file);
      console.log(`Backed up ${database} to ${file} (${s.documents} documents, ${s.updates} updates).`);
      return 0;
    }
    prepareDataDir(dataDir);
    const lock = lockDataDir(dataDir);
    try {
      const { summary: s, replaced } = restoreDatabase(file, database, new Date());
      console.log(`Restored ${database} from ${file} (${s.documents} documents, ${s.updates} updates).`);
      if (replaced) console.log(`The database it replaced is kept at ${path.relative(process.cwd(), replaced) || replaced}.`);
      return 0;
    } finally {
      lock.release();
    }
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(`Refusing to restore: a Rapporteur server is running on ${dataDir} (it holds ${error.lockFile}). Stop it first.`);
      return 1;
    }
    if (error instanceof BackupError || error instanceof StartupError) {
      console.error(`Refusing to ${command}: ${error.message}`);
      return 1;
    }
    console.error(`${command} failed: ${(error as Error).message}`);
    return 1;
  }
}
