import { type Kysely, sql } from 'kysely';
import { StartupError } from '../../lib/StartupError';
import type { Tables } from './tables';

/** Another server already serves this PostgreSQL database (schema). */
export class DatabaseInUseError extends StartupError {
  constructor(where: string) {
    super(
      `Another Rapporteur server already uses ${where}. Until instances share documents through Redis ` +
        '(issue 15), one server serves a database: stop the other one, or give this one its own database.',
    );
    this.name = 'DatabaseInUseError';
  }
}

/**
 * Holds PostgreSQL's session advisory lock of the current schema for the
 * server's life, as the DATA_DIR lock does for SQLite: rooms keep each
 * document in memory, so a second instance on the same tables would serve
 * edits the first never sees live (nothing is lost — every append is in the
 * log — but readers disagree until they reload). The lock lives on one
 * pooled connection kept for it; PostgreSQL releases it when that connection
 * ends, even if the process is killed. `release` ends it.
 */
export async function holdInstanceLock(db: Kysely<Tables>, where: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: Promise<void>;
  const acquired = await new Promise<boolean>((resolve, reject) => {
    held = db
      .connection()
      .execute(async (connection) => {
        const { rows } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(hashtext('rapporteur:' || current_schema())) AS ok`.execute(connection);
        const ok = rows[0]?.ok === true;
        resolve(ok);
        if (!ok) return;
        await released;
        await sql`SELECT pg_advisory_unlock(hashtext('rapporteur:' || current_schema()))`.execute(connection);
      })
      .catch((error: unknown) => reject(error));
  });
  if (!acquired) {
    await held;
    throw new DatabaseInUseError(where);
  }
  return {
    release: async () => {
      release();
      await held.catch(() => {});
    },
  };
}
