import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { NEWEST_MIGRATION } from '../sql/migrations';
import { LEGACY_SQLITE_VERSION } from '../sql/migrations/legacySqliteMigrations';

/** What a checked Rapporteur database holds. */
export interface DatabaseSummary {
  /** The number of its newest migration (1–15 for a database of the SQLite runner before Kysely). */
  readonly schemaVersion: number;
  readonly documents: number;
  readonly updates: number;
}

/** A backup or restore that cannot go ahead; the message says why, naming the file. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/**
 * Writes a consistent copy of the database `source` to the new file `to`,
 * while a server may be writing to it. Refuses when `to` exists.
 *
 * Why `VACUUM INTO` and not the online backup API (`db.backup()`): the copy
 * is made inside one read transaction, so it is a snapshot of one instant,
 * and in WAL mode that reader never blocks the server's writes. The backup
 * API copies pages in steps and starts over whenever another process (the
 * server) writes between two steps, so under steady editing it may never
 * finish. The copy is one self-contained file (no -wal beside it), compacted.
 */
export function backupDatabase(source: string, to: string): DatabaseSummary {
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source} (check DATA_DIR).`);
  if (fs.existsSync(to)) throw new BackupError(`${to} already exists; choose a new file name.`);
  const partial = `${to}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  let summary: DatabaseSummary;
  try {
    const copy = new Database(partial, { fileMustExist: true });
    try {
      // A single file that opens anywhere, even read-only, without a WAL.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    summary = checkRapporteurDatabase(partial);
    fsyncFile(partial);
    fs.renameSync(partial, to);
    fsyncFile(path.dirname(path.resolve(to)));
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return summary;
}

/**
 * Checks that `file` is an intact Rapporteur database this version can open
 * (SQLite, passes `quick_check`, has our tables, schema not newer than ours).
 * Throws BackupError saying what is wrong.
 */
export function checkRapporteurDatabase(file: string): DatabaseSummary {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist.`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${file} cannot be opened as a database: ${(error as Error).message}`);
  }
  try {
    let check: unknown;
    try {
      check = db.pragma('quick_check', { simple: true });
    } catch (error) {
      throw new BackupError(`${file} is not a Rapporteur database: ${(error as Error).message}`);
    }
    if (check !== 'ok') throw new BackupError(`${file} is damaged (SQLite quick_check: ${String(check)}).`);
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .all()
        .map((r) => r.name),
    );
    // Kysely's migration table, or the older SQLite runner's (adopted at open).
    const record = tables.has('kysely_migration') ? 'kysely_migration' : 'schema_migrations';
    const missing = [record, 'documents', 'updates', 'checkpoints', 'users'].filter((t) => !tables.has(t));
    if (missing.length > 0) {
      throw new BackupError(`${file} is not a Rapporteur database (no ${missing.map((t) => `"${t}"`).join(', ')} table).`);
    }
    const known = migrationNumber(NEWEST_MIGRATION);
    let version: number;
    if (record === 'schema_migrations') {
      version = db.prepare<[], { version: number | null }>('SELECT max(version) AS version FROM schema_migrations').get()!.version ?? 0;
      if (version > LEGACY_SQLITE_VERSION) {
        throw new BackupError(`${file} comes from a newer Rapporteur (schema ${version}, this one knows up to ${known}); upgrade first.`);
      }
    } else {
      const newest = db.prepare<[], { name: string | null }>('SELECT max(name) AS name FROM kysely_migration').get()!.name ?? '';
      version = migrationNumber(newest);
      if (newest > NEWEST_MIGRATION) {
        throw new BackupError(`${file} comes from a newer Rapporteur (migration ${newest}, this one knows up to ${NEWEST_MIGRATION}); upgrade first.`);
      }
    }
    const count = (table: string): number => db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
    return { schemaVersion: version, documents: count('documents'), updates: count('updates') };
  } finally {
    db.close();
  }
}

/**
 * Replaces the database `target` with a copy of the backup `from`, after
 * checking it. The replaced database (with its -wal and -shm, so nothing in
 * them is lost) is renamed aside to `<target>.replaced-<time>`; returns that
 * path (null when there was none). The caller must hold the DATA_DIR lock.
 */
export function restoreDatabase(from: string, target: string, now: Date): { summary: DatabaseSummary; replaced: string | null } {
  const summary = checkRapporteurDatabase(from);
  const incoming = `${target}.restoring`;
  fs.copyFileSync(from, incoming);
  fsyncFile(incoming);
  let replaced: string | null = null;
  if (fs.existsSync(target)) {
    replaced = `${target}.replaced-${now.toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, replaced + suffix);
    }
  }
  fs.renameSync(incoming, target);
  fsyncFile(path.dirname(path.resolve(target)));
  return { summary, replaced };
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** 15 for '0015_baseline'. */
function migrationNumber(name: string): number {
  return Number.parseInt(name, 10) || 0;
}
