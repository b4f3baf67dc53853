import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../dialect';

/**
 * Migration 0020: `documents.last_seq`, the seq of the document's last update
 * (0 with none), kept by the update log's appends in the statement that
 * touches the row anyway (issue 16, SPEC S12). On PostgreSQL the append bumps
 * it with `UPDATE … RETURNING` on the document's row: the row lock and the
 * document's next seqs come from one statement, which under READ COMMITTED
 * re-reads the row another instance updated while this one waited, so an
 * append is one round trip instead of six. Compaction keeps every range's
 * last seq, so the column stays the log's `MAX(seq)`; set from it here.
 */
export function documentLastSeqMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const int = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .alterTable('documents')
        .addColumn('last_seq', int, (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`UPDATE documents SET last_seq = (SELECT MAX(u.seq) FROM updates u WHERE u.doc_key = documents.log_key)
        WHERE EXISTS (SELECT 1 FROM updates u WHERE u.doc_key = documents.log_key)`.execute(db);
    },
  };
}
