import { type Kysely, sql } from 'kysely';
import type { Database } from './sql/Database';

/** Why a copy cannot go ahead; the message says what to do. */
export class CopyRefusedError extends Error {
  override name = 'CopyRefusedError';
}

export interface CopiedTable {
  readonly table: string;
  readonly rows: number;
}

/** Tables of bookkeeping, not data: each side keeps its own. */
const BOOKKEEPING = /^(sqlite_|kysely_migration)/;

/** PostgreSQL accepts at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;

/**
 * Copies every row of every table of the SQLite database `from` into the
 * PostgreSQL database `to`, in one PostgreSQL transaction (all or nothing),
 * and checks each table's row count on both sides. Both must be migrated to
 * the same migrations (opening them does that) and `to` must hold no data;
 * the caller holds the DATA_DIR lock, so nothing writes to `from` meanwhile.
 * Tables are copied parents first (by their foreign keys), rows of a table
 * that refers to itself (a reply to its comment, a translation to its
 * original) parents first too (PostgreSQL checks a foreign key at the end of
 * each statement, and a table may take several); identity columns continue
 * after the copied ids. `maxRowsPerStatement` is for tests.
 * Throws CopyRefusedError when the two are not at the same migration or
 * `to` is not empty.
 */
export async function copySqliteToPostgres(from: Database, to: Database, options: { maxRowsPerStatement?: number } = {}): Promise<CopiedTable[]> {
  const source = from.sqlite;
  if (!source || to.dialect !== 'postgres') throw new RangeError('copySqliteToPostgres copies from SQLite to PostgreSQL');
  const target = to.db as unknown as Kysely<Record<string, Record<string, unknown>>>;

  const migrations = (db: 'sqlite' | 'postgres', names: string[]) => `${db}: ${names.join(', ') || 'none'}`;
  const sourceMigrations = source.prepare<[], { name: string }>('SELECT name FROM kysely_migration ORDER BY name').all().map((r) => r.name);
  const targetMigrations = (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(to.db)).rows.map((r) => r.name);
  if (sourceMigrations.join() !== targetMigrations.join()) {
    throw new CopyRefusedError(
      `the two databases are not at the same migrations (${migrations('sqlite', sourceMigrations)}; ${migrations('postgres', targetMigrations)}); run the same Rapporteur version on both`,
    );
  }

  const tables = tablesParentsFirst(from);
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(to.db);
    if (Number(rows[0]?.n ?? 0) > 0) {
      throw new CopyRefusedError(`${to.description} already holds data (table ${table} has rows); copy into an empty database`);
    }
  }

  const copied: CopiedTable[] = [];
  await target.transaction().execute(async (trx) => {
    for (const table of tables) {
      const columns = source.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table).map((c) => c.name);
      const batch = Math.max(1, Math.min(options.maxRowsPerStatement ?? Infinity, Math.floor(MAX_PARAMETERS / columns.length)));
      const selfRef = selfReference(from, table);
      const rows = source.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      const ordered = selfRef ? parentsFirst(rows, selfRef.from, selfRef.to) : rows;
      for (let i = 0; i < ordered.length; i += batch) {
        await trx.insertInto(table).values(ordered.slice(i, i + batch)).execute();
      }
      const { rows: counted } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(trx);
      if (Number(counted[0]?.n) !== rows.length) throw new Error(`table ${table}: ${rows.length} rows read, ${String(counted[0]?.n)} written`);
      copied.push({ table, rows: rows.length });
    }
    // Identity columns (audit and marker events) continue after the copied ids.
    const { rows: identities } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_identity = 'YES'`.execute(trx);
    for (const { table_name, column_name } of identities) {
      await sql`SELECT setval(pg_get_serial_sequence(${table_name}, ${column_name}),
        COALESCE((SELECT MAX(${sql.ref(column_name)}) FROM ${sql.table(table_name)}), 0) + 1, false)`.execute(trx);
    }
  });
  return copied;
}

/** The SQLite database's data tables, each after every table it refers to. */
function tablesParentsFirst(db: Database): string[] {
  const source = db.sqlite!;
  const names = source
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((t) => t.name)
    .filter((n) => !BOOKKEEPING.test(n));
  const parents = new Map(
    names.map((n) => [
      n,
      source
        .prepare<[string], { table: string }>('SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)')
        .all(n)
        .map((r) => r.table)
        .filter((p) => p !== n),
    ]),
  );
  const ordered: string[] = [];
  const visit = (n: string, path: string[]) => {
    if (ordered.includes(n)) return;
    if (path.includes(n)) throw new Error(`foreign keys form a cycle: ${[...path, n].join(' → ')}`);
    for (const p of parents.get(n) ?? []) visit(p, [...path, n]);
    ordered.push(n);
  };
  for (const n of names) visit(n, []);
  return ordered;
}

function selfReference(db: Database, table: string): { from: string; to: string } | null {
  const fk = db
    .sqlite!.prepare<[string], { table: string; from: string; to: string }>('SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)')
    .all(table)
    .find((r) => r.table === table);
  return fk ? { from: fk.from, to: fk.to } : null;
}

/** Rows ordered so that a row comes after the row its `from` column refers to. */
function parentsFirst(rows: Record<string, unknown>[], from: string, to: string): Record<string, unknown>[] {
  const placed = new Set<unknown>();
  const out: Record<string, unknown>[] = [];
  let pending = rows;
  while (pending.length > 0) {
    const waiting: Record<string, unknown>[] = [];
    for (const r of pending) {
      if (r[from] === null || placed.has(r[from])) {
        out.push(r);
        placed.add(r[to]);
      } else {
        waiting.push(r);
      }
    }
    if (waiting.length === pending.length) throw new Error(`rows refer to rows that do not exist (${from} → ${to})`);
    pending = waiting;
  }
  return out;
}
