import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../dialect';

/**
 * Migration 0016: `versions.position`, the order versions of one document
 * were made in. Versions at the same seq and millisecond (a publication right
 * after a named version) were told apart by SQLite's rowid, which PostgreSQL
 * does not have; now both order by this column, set when a version is
 * stored. Existing SQLite rows take their rowid, so their order is kept.
 */
export function versionOrderMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('versions')
        .addColumn('position', dialect === 'postgres' ? 'bigint' : 'integer')
        .execute();
      if (dialect === 'sqlite') await sql`UPDATE versions SET position = rowid`.execute(db);
    },
  };
}
