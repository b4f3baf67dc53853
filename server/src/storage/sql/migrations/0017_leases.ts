import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../dialect';

/**
 * Migration 0017: `leases`, which instance does a document's background
 * work of a kind (checkpoints, history checkpoints) for a while, with a
 * fencing token that grows each time the lease changes hands (issue 15,
 * SPEC I7): a write carrying an older token is refused.
 */
export function leasesMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const int = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .createTable('leases')
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('token', int, (c) => c.notNull())
        .addColumn('expires_at', int, (c) => c.notNull())
        .addPrimaryKeyConstraint('leases_pk', ['document_id', 'kind'])
        .execute();
    },
  };
}
