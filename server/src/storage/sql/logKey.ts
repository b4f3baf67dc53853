import { type RawBuilder, sql } from 'kysely';

/**
 * The update log is keyed by a document's small integer `log_key`, not its
 * id (migration 0019, SPEC S2): this is that key for a document id, as a
 * subquery (one primary-key lookup, evaluated once per statement).
 */
export function logKey(id: string): RawBuilder<number> {
  return sql<number>`(SELECT log_key FROM documents WHERE id = ${id})`;
}
