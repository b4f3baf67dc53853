import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { Dialect } from '../dialect';
import { baselineMigration, type LegacyExec } from './0015_baseline';
import { versionOrderMigration } from './0016_version_order';
import { leasesMigration } from './0017_leases';
import { logCompactionMigration } from './0018_log_compaction';
import { compactLogRowsMigration } from './0019_compact_log_rows';
import { documentLastSeqMigration } from './0020_document_last_seq';

/**
 * Every migration, by name; Kysely's Migrator applies them in name order,
 * once each, recording them in `kysely_migration`. Names are the number
 * (four digits, continuing the SQLite runner's 1–15) and a few words.
 * ARCHITECTURE.md says how to write one.
 */
export function allMigrations(dialect: Dialect, legacyExec: LegacyExec | null): Record<string, Migration> {
  return {
    '0015_baseline': baselineMigration(dialect, legacyExec),
    '0016_version_order': versionOrderMigration(dialect),
    '0017_leases': leasesMigration(dialect),
    '0018_log_compaction': logCompactionMigration(dialect),
    '0019_compact_log_rows': compactLogRowsMigration(dialect),
    '0020_document_last_seq': documentLastSeqMigration(dialect),
  };
}

/** Every migration's name, oldest first. */
export const MIGRATION_NAMES = Object.keys(allMigrations('sqlite', null));

/** The name of the newest migration this version knows. */
export const NEWEST_MIGRATION = '0020_document_last_seq';

/**
 * Applies pending migrations (S5). Throws with the failing migration's name
 * and cause; a database whose migrations this version does not know (made by
 * a newer Rapporteur) is refused rather than run against.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: Dialect,
  options: { legacyExec?: LegacyExec; schema?: string } = {},
): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => allMigrations(dialect, options.legacyExec ?? null) };
  const migrator = new Migrator({ db, provider, ...(options.schema ? { migrationTableSchema: options.schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const cause = error instanceof Error ? error.message : String(error);
    const unknown = /previously executed migration (\S+) is missing/.exec(cause);
    if (unknown) throw new Error(`it was migrated by a newer Rapporteur (migration ${unknown[1]} is unknown here); upgrade Rapporteur`, { cause: error });
    throw new Error(failed ? `migration ${failed.migrationName} failed: ${cause}` : cause, { cause: error });
  }
}
