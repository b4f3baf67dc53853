import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../dialect';

/**
 * Migration 0018: `documents.compacted_seq`, the seq up to which the update
 * log has been considered for compaction (issue 16, SPEC S2, V2): the next
 * compaction run starts after it, and a run whose starting point another run
 * has moved meanwhile writes nothing. `updates.first_created_at`: when a
 * merged record's first part was stored (null: one part, `created_at`), so
 * the timeline's edit sessions stay as they were.
 */
export function logCompactionMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const int = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .alterTable('documents')
        .addColumn('compacted_seq', int, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('updates').addColumn('first_created_at', int).execute();
    },
  };
}
