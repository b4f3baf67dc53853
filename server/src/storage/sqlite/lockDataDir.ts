import path from 'node:path';
import Database from 'better-sqlite3';
import { describeCause, StartupError } from '../../lib/StartupError';

/** Another process (a running server, or a restore) holds the data directory. */
export class DataDirInUseError extends StartupError {
  constructor(readonly lockFile: string) {
    super(`DATA_DIR ${path.dirname(lockFile)} is in use by another Rapporteur process (a running server or a restore holds ${lockFile})`);
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  /** The lock file, `rapporteur.lock` in DATA_DIR. */
  readonly file: string;
  release(): void;
}

/**
 * Takes the exclusive lock of DATA_DIR, held by a running server for its
 * whole life and by `pnpm admin restore` while it replaces the database.
 * Throws DataDirInUseError when another connection holds it.
 *
 * Why an SQLite lock and not a pid file: SQLite's exclusive locking mode
 * holds an OS file lock (fcntl), which the kernel releases when the process
 * dies, even by `kill -9`; a pid file can go stale, and its pid can be
 * reused by an unrelated process. The database itself cannot carry the lock:
 * its WAL mode lets the admin commands read while the server runs.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.join(dataDir, 'rapporteur.lock');
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    throw new StartupError(`The lock file ${path.resolve(file)} cannot be created: ${describeCause(error)}`, { cause: error });
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in this mode it is kept until close.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(file);
    throw new StartupError(`The lock file ${path.resolve(file)} cannot be locked: ${describeCause(error)}`, { cause: error });
  }
  return {
    file,
    release: () => {
      if (db.open) db.close();
    },
  };
}
