import { Kysely, PostgresDialect, sql } from 'kysely';
import { describeCause, StartupError } from '../../lib/StartupError';
import type { Database } from './Database';
import { migrateToLatest } from './migrations';
import type { Tables } from './tables';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  readonly url: string;
  /**
   * A schema to keep every table in (created if missing); default: the
   * server's search_path (normally `public`). Tests give each store its own.
   */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing (default 10 s). */
  readonly connectTimeoutMs?: number;
}

const INT8_OID = 20;

/**
 * Opens a pool on PostgreSQL, checks that the server answers and applies
 * pending migrations (S5). Throws a StartupError naming the server (never
 * the password) and the cause when it cannot: unreachable, refused
 * credentials, no such database, or migrated by a newer Rapporteur.
 */
export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const where = describePostgresUrl(options.url);
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new RangeError(`invalid schema name ${schema}`);
  // Loaded only when PostgreSQL is used: a server on SQLite does not carry the driver in memory (SPEC O5).
  const { default: pg } = await import('pg');
  // PostgreSQL's bigints (our ms times and counts) come back as numbers:
  // they are well below 2^53. pg's default is a string.
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A connection's error (the server restarted, or ended it) must not crash
  // the process: idle, the pool drops it and the next query gets a new one;
  // busy, the query it was running fails with it and is reported there.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`SELECT 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new StartupError(`PostgreSQL at ${where} cannot be reached: ${describeCause(error)}${hint(error)}`, { cause: error });
  }
  try {
    if (schema) await db.schema.createSchema(schema).ifNotExists().execute();
    // Kysely's Migrator looks for its table in every schema unless told
    // which: name the one the tables go to (search_path's first, normally public).
    const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db);
    const current = rows[0]?.schema;
    if (!current) throw new Error('no schema to create tables in (search_path names none that exists)');
    await migrateToLatest(db as Kysely<unknown>, 'postgres', { schema: current });
  } catch (error) {
    await db.destroy();
    throw new StartupError(`The database at ${where} cannot be opened: ${describeCause(error)}`, { cause: error });
  }
  let closed: Promise<void> | null = null;
  return {
    dialect: 'postgres',
    db,
    sqlite: null,
    prepared: async (name, text, values) => (await pool.query({ name, text, values: [...values] })).rows as Array<Record<string, unknown>>,
    description: `PostgreSQL ${where}${schema ? ` (schema ${schema})` : ''}`,
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: () => (closed ??= db.destroy()),
  };
}

/** `host:port/database` of a PostgreSQL URL, without user or password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(an unreadable DATABASE_URL)';
  }
}

function hint(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return '. Check that PostgreSQL runs there and DATABASE_URL names it.';
  if (code === '28P01' || code === '28000') return '. Check the user and password in DATABASE_URL.';
  if (code === '3D000') return '. Create the database first (createdb), or name an existing one in DATABASE_URL.';
  return '';
}
