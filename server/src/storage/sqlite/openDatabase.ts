import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describeCause, StartupError } from '../../lib/StartupError';
import { prepareDataDir } from '../prepareDataDir';
import type { Database } from '../sql/Database';
import { migrateToLatest } from '../sql/migrations';
import type { Tables } from '../sql/tables';

export type SqliteDatabase = BetterSqlite.Database;

export interface OpenDatabaseOptions {
  /** Path of the database file, or ':memory:'. */
  readonly file: string;
  /**
   * `FULL` (default) fsyncs every commit: an acknowledged write survives a
   * power loss, not only a process crash. Group commit keeps this cheap.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/** Prepared statements kept per connection for Kysely's queries (it prepares per call otherwise). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Opens (creating if needed) the SQLite database in WAL mode and applies
 * pending migrations with Kysely's Migrator (S5), adopting a database made
 * by the older SQLite runner (0015_baseline.ts). Throws a StartupError naming
 * the file and the cause when it cannot (O4): not a regular file, not an
 * SQLite database, damaged, read-only, its directory missing, or migrated by
 * a newer Rapporteur.
 *
 * Kysely and the stores still on better-sqlite3 share the one connection, so
 * a Kysely transaction is also open for them while it runs: a ported store's
 * transaction must check before it writes and not throw an expected failure
 * after writing (a rollback would take their writes too).
 */
export async function openSqliteDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const file = options.file;
  if (file !== ':memory:') {
    prepareDataDir(path.dirname(file));
    checkDatabaseFile(file);
  }
  let raw: SqliteDatabase | null = null;
  try {
    raw = new BetterSqlite(file);
    // A new database gives pages that compaction frees back to the file system (SPEC S2,
    // reclaimSpace); the mode can only be chosen before the first table exists.
    if (raw.pragma('page_count', { simple: true }) === 0) raw.pragma('auto_vacuum = INCREMENTAL');
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    const connection = raw;
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cachingStatements(connection) }) });
    await migrateToLatest(db as Kysely<unknown>, 'sqlite', { legacyExec: (sql) => connection.exec(sql) });
    return {
      dialect: 'sqlite',
      prepared: null,
      db,
      sqlite: connection,
      description: file === ':memory:' ? 'SQLite in memory' : `SQLite ${path.resolve(file)}`,
      ping: async () => {
        connection.prepare('SELECT 1').get();
      },
      close: async () => {
        if (connection.open) connection.close();
      },
    };
  } catch (error) {
    raw?.close();
    throw new StartupError(`The database ${path.resolve(file)} cannot be opened: ${describeCause(error)}${hint(error)}`, { cause: error });
  }
}

/** The connection as Kysely's driver sees it, reusing prepared statements by SQL text. */
function cachingStatements(db: SqliteDatabase): { prepare(sql: string): BetterSqlite.Statement; close(): void } {
  const cache = new Map<string, BetterSqlite.Statement>();
  return {
    prepare(sql) {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        stmt = db.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
    close: () => {
      if (db.open) db.close();
    },
  };
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
  const code = codeOf(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return '. The file is damaged or is not a Rapporteur database: move it away, or restore a backup (pnpm admin restore --from FILE).';
  }
  if (typeof code === 'string' && /^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code)) {
    return '. Check that the file and its directory are writable by this user.';
  }
  return '';
}

/** The SQLite code of an error, or of the error a failed migration wraps. */
function codeOf(error: unknown): unknown {
  const e = error as { code?: unknown; cause?: unknown } | null;
  return e?.code ?? (e?.cause as { code?: unknown } | undefined)?.code;
}
