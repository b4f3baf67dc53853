import type Database from 'better-sqlite3';

/** Tables of bookkeeping rather than data: which migration tool ran, SQLite's own. */
const BOOKKEEPING = /^(sqlite_|kysely_migration|schema_migrations$)/;

/**
 * The schema of an SQLite database as SQLite itself reports it (PRAGMA
 * table_xinfo, foreign_key_list, index_list/index_xinfo), independent of how
 * the CREATE statements were spelled: columns in order with type, NOT NULL,
 * default and key position; foreign keys; indexes with their columns,
 * collations, order, uniqueness and WHERE clause; WITHOUT ROWID and
 * AUTOINCREMENT. Two databases with equal dumps hold data the same way.
 */
export function sqliteSchemaDump(db: Database.Database): Record<string, unknown> {
  const tables = db
    .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .filter((t) => !BOOKKEEPING.test(t.name));
  const dump: Record<string, unknown> = {};
  for (const t of tables) {
    const columns = db
      .prepare(`SELECT name, lower(type) AS type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?)`)
      .all(t.name);
    const foreignKeys = db
      .prepare(`SELECT "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY "table", "from"`)
      .all(t.name);
    const indexes = db
      .prepare<[string], { name: string; unique: number; origin: string; partial: number }>(
        `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`,
      )
      .all(t.name)
      .map((i) => ({
        // SQLite names the indexes of constraints itself (sqlite_autoindex_…); ours are compared by name.
        name: i.origin === 'c' ? i.name : `(${i.origin})`,
        unique: i.unique,
        columns: db
          .prepare(`SELECT name, "desc", lower(coll) AS coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`)
          .all(i.name),
        where: i.partial ? whereClause(db, i.name) : null,
      }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    dump[t.name] = {
      columns,
      foreignKeys,
      indexes,
      withoutRowid: /\)\s*without\s+rowid\s*$/i.test(t.sql),
      autoincrement: /autoincrement/i.test(t.sql),
    };
  }
  return dump;
}

function whereClause(db: Database.Database, index: string): string {
  const { sql } = db.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(index)!;
  return sql
    .slice(sql.search(/\swhere\s/i) + 1)
    .replace(/["`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
