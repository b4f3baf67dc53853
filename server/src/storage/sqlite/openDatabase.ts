import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describeCause, StartupError } from '../../lib/StartupError';
import { prepareDataDir } from '../prepareDataDir';
import { migrations } from './migrations';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** Path of the database file, or ':memory:'. */
  readonly file: string;
  /**
   * `FULL` (default) fsyncs every commit: an acknowledged write survives a
   * power loss, not only a process crash. Group commit keeps this cheap.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens (creating if needed) the database in WAL mode and applies pending
 * migrations (S5). Throws a StartupError naming the file and the cause when
 * it cannot (O4): not a regular file, not an SQLite database, damaged,
 * read-only, or its directory missing.
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  const file = options.file;
  if (file !== ':memory:') {
    prepareDataDir(path.dirname(file));
    checkDatabaseFile(file);
  }
  let db: SqliteDatabase | null = null;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw new StartupError(`The database ${path.resolve(file)} cannot be opened: ${describeCause(error)}${hint(error)}`, { cause: error });
  }
}

function checkDatabaseFile(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // created below
    throw new StartupError(`The database ${path.resolve(file)} cannot be opened: ${describeCause(error)}`, { cause: error });
  }
  if (!stat.isFile()) throw new StartupError(`The database ${path.resolve(file)} is not a regular file.`);
}

function hint(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return '. The file is damaged or is not a Rapporteur database: move it away, or restore a backup (pnpm admin restore --from FILE).';
  }
  if (typeof code === 'string' && /^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code)) {
    return '. Check that the file and its directory are writable by this user.';
  }
  return '';
}

function migrate(db: SqliteDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  );
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    })();
  }
}
