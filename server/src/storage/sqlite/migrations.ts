/**
 * Schema migrations, applied in order at open; each runs once, in a
 * transaction, and is recorded in `schema_migrations`. Never edit a released
 * migration: add a new one.
 */
export const migrations: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        schema_version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX documents_updated_at ON documents (updated_at DESC);

      -- Append-only: rows are never updated or deleted (SPEC.md S2).
      CREATE TABLE updates (
        document_id TEXT NOT NULL REFERENCES documents (id),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        author TEXT,
        client_ids TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE checkpoints (
        document_id TEXT NOT NULL REFERENCES documents (id),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, seq)
      ) WITHOUT ROWID;
    `,
  },
];
