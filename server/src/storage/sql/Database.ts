import type { Kysely } from 'kysely';
import type { SqliteDatabase } from '../sqlite/openDatabase';
import type { Dialect } from './dialect';
import type { Tables } from './tables';

/**
 * One open database, SQLite or PostgreSQL, as the stores use it: Kysely for
 * the stores written once for both dialects (storage/sql/*), and, on SQLite,
 * the better-sqlite3 connection of the stores not yet ported (DocumentStore,
 * CommentStore, EventStore). Both share that one connection.
 */
export interface Database {
  readonly dialect: Dialect;
  readonly db: Kysely<Tables>;
  /** The SQLite connection for stores still on SQLite-only code; null on PostgreSQL. */
  readonly sqlite: SqliteDatabase | null;
  /**
   * PostgreSQL: runs `text` as the named prepared statement `name` on a
   * connection of the pool (parsed and planned once per connection, then only
   * bound and executed), for the hottest write, the update log's append; one
   * name is always one text. Null on SQLite.
   */
  readonly prepared: ((name: string, text: string, values: readonly unknown[]) => Promise<Array<Record<string, unknown>>>) | null;
  /** Where it is, for messages: the SQLite file, or PostgreSQL's host, port and database (never the password). */
  readonly description: string;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Closes the connection (SQLite) or the pool (PostgreSQL). Calling it again does nothing. */
  close(): Promise<void>;
}
