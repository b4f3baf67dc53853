import fs from 'node:fs';
import path from 'node:path';
import type { DocumentId } from '@rapporteur/protocol';
import Database from 'better-sqlite3';
import type {
  DocumentRecord,
  DocumentStore,
  HistoryStats,
  LoadedDocument,
  NewUpdate,
  StoredUpdate,
} from '../DocumentStore';
import { migrations } from './migrations';

interface DocumentRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  schema_version: number;
}

interface PendingAppend {
  id: DocumentId;
  updates: readonly NewUpdate[];
  now: number;
  resolve: (v: { lastSeq: number }) => void;
  reject: (e: unknown) => void;
}

export interface SqliteStoreOptions {
  /** Path of the database file, or ':memory:'. */
  readonly file: string;
  /**
   * `FULL` (default) fsyncs every commit: an acknowledged write survives a
   * power loss, not only a process crash. Group commit keeps this cheap.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/** SQLite (better-sqlite3, WAL) implementation of DocumentStore. */
export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;

  /** Opens (creating if needed) the database and applies pending migrations. */
  constructor(options: SqliteStoreOptions) {
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    const db = this.db;
    this.stmts = {
      insertDoc: db.prepare('INSERT INTO documents (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)'),
      getDoc: db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE id = ?'),
      listDocs: db.prepare<[], DocumentRow>('SELECT * FROM documents ORDER BY updated_at DESC, id'),
      renameDoc: db.prepare('UPDATE documents SET title = ?, updated_at = ? WHERE id = ?'),
      touchDoc: db.prepare('UPDATE documents SET updated_at = ? WHERE id = ?'),
      lastSeq: db.prepare<[string], { s: number | null }>('SELECT MAX(seq) AS s FROM updates WHERE document_id = ?'),
      insertUpdate: db.prepare(
        'INSERT INTO updates (document_id, seq, data, author, client_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      latestCheckpoint: db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM checkpoints WHERE document_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      updatesAfter: db.prepare<[string, number], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE document_id = ? AND seq > ? ORDER BY seq',
      ),
      insertCheckpoint: db.prepare(
        'INSERT OR REPLACE INTO checkpoints (document_id, seq, data, created_at) VALUES (?, ?, ?, ?)',
      ),
      // Checkpoints are a cache of the log, not history: keep the newest two.
      pruneCheckpoints: db.prepare(
        `DELETE FROM checkpoints WHERE document_id = ? AND seq < (
           SELECT MIN(seq) FROM (SELECT seq FROM checkpoints WHERE document_id = ? ORDER BY seq DESC LIMIT 2))`,
      ),
      updateStats: db.prepare<[string], { n: number; bytes: number | null }>(
        'SELECT COUNT(*) AS n, SUM(LENGTH(data)) AS bytes FROM updates WHERE document_id = ?',
      ),
      checkpointStats: db.prepare<[string], { n: number; bytes: number | null }>(
        'SELECT COUNT(*) AS n, SUM(LENGTH(data)) AS bytes FROM checkpoints WHERE document_id = ?',
      ),
    };
  }

  async createDocument(input: { id: DocumentId; title: string; now: number }): Promise<DocumentRecord> {
    this.assertOpen();
    this.stmts.insertDoc.run(input.id, input.title, input.now, input.now);
    return { id: input.id, title: input.title, createdAt: input.now, updatedAt: input.now, schemaVersion: 1 };
  }

  async getDocument(id: DocumentId): Promise<DocumentRecord | null> {
    this.assertOpen();
    const row = this.stmts.getDoc.get(id);
    return row ? toRecord(row) : null;
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    this.assertOpen();
    return this.stmts.listDocs.all().map(toRecord);
  }

  async renameDocument(id: DocumentId, title: string, now: number): Promise<DocumentRecord | null> {
    this.assertOpen();
    const info = this.stmts.renameDoc.run(title, now, id);
    return info.changes === 0 ? null : this.getDocument(id);
  }

  appendUpdates(id: DocumentId, updates: readonly NewUpdate[], now: number): Promise<{ lastSeq: number }> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('store is closed'));
        return;
      }
      this.queue.push({ id, updates, now, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Group commit: every append made in this tick shares one transaction (one fsync).
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const results: number[] = [];
    try {
      this.db.transaction(() => {
        const next = new Map<string, number>();
        for (const item of batch) {
          let seq = next.get(item.id) ?? (this.stmts.lastSeq.get(item.id)?.s ?? 0);
          for (const u of item.updates) {
            seq++;
            this.stmts.insertUpdate.run(item.id, seq, u.data, u.author, JSON.stringify(u.clientIds), item.now);
          }
          next.set(item.id, seq);
          results.push(seq);
          this.stmts.touchDoc.run(item.now, item.id);
        }
      })();
    } catch (error) {
      // The whole transaction rolled back: nothing of this batch is stored.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => item.resolve({ lastSeq: results[i] ?? 0 }));
  }

  async loadDocument(id: DocumentId): Promise<LoadedDocument> {
    this.assertOpen();
    return this.db.transaction((): LoadedDocument => {
      const cp = this.stmts.latestCheckpoint.get(id);
      const rows = this.stmts.updatesAfter.all(id, cp?.seq ?? 0);
      const lastRow = rows[rows.length - 1];
      return {
        checkpoint: cp ? { seq: cp.seq, data: new Uint8Array(cp.data) } : null,
        updates: rows.map(toStored),
        lastSeq: lastRow?.seq ?? cp?.seq ?? 0,
      };
    })();
  }

  async writeCheckpoint(id: DocumentId, seq: number, data: Uint8Array, now: number): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      this.stmts.insertCheckpoint.run(id, seq, data, now);
      this.stmts.pruneCheckpoints.run(id, id);
    })();
  }

  async historyStats(id: DocumentId): Promise<HistoryStats> {
    this.assertOpen();
    const u = this.stmts.updateStats.get(id);
    const c = this.stmts.checkpointStats.get(id);
    return {
      updates: u?.n ?? 0,
      updateBytes: u?.bytes ?? 0,
      checkpoints: c?.n ?? 0,
      checkpointBytes: c?.bytes ?? 0,
    };
  }

  async readLog(id: DocumentId, afterSeq = 0): Promise<StoredUpdate[]> {
    this.assertOpen();
    return this.stmts.updatesAfter.all(id, afterSeq).map(toStored);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  );
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    })();
  }
}

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id as DocumentId,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    schemaVersion: row.schema_version,
  };
}

function toStored(row: { seq: number; data: Buffer }): StoredUpdate {
  return { seq: row.seq, data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) };
}
