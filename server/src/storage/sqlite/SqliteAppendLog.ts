import fs from 'node:fs';
import { promisify } from 'node:util';
import type { DocumentId } from '@rapporteur/protocol';
import Database from 'better-sqlite3';
import {
  type AppendLog,
  type AppendResult,
  byDocument,
  KnownBindings,
  markerAudit,
  type PendingAppend,
  reopening,
} from '../appendLog';
import type { NewUpdate } from '../DocumentStore';
import type { SqliteDatabase } from './openDatabase';

export interface SqliteAppendLogOptions {
  /**
   * How an append is made durable before it resolves (SPEC R4, S10).
   * `background` (default for a database file): the update log is written
   * through a connection of its own with `synchronous = NORMAL`, and the
   * write-ahead log is fdatasync'ed on libuv's thread pool, one sync for
   * every append waiting, before the appends resolve — so the event loop
   * never waits for the disk. `inline`: the shared connection's own commit
   * (`synchronous = FULL`) syncs, on the event loop (an in-memory database).
   */
  readonly logSync?: 'background' | 'inline';
  /** How the WAL's descriptor is synced (`background`); tests hold or fail it. Default: fs.fdatasync on the pool. */
  readonly syncFile?: (fd: number) => Promise<void>;
}

const fdatasync = promisify(fs.fdatasync);

/**
 * The SQLite update log (see AppendLog): better-sqlite3 statements on a
 * connection of its own, because the group commit must be one synchronous
 * transaction followed by one sync off the loop — the part of SQLite's store
 * Kysely's asynchronous driver cannot do. Everything else of the document
 * store is Kysely (sql/SqlDocumentStore).
 */
export class SqliteAppendLog implements AppendLog {
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly known = new KnownBindings();
  /** The update log's own connection and the -wal file's descriptor (`background`); null: inline. */
  private readonly log: { readonly db: SqliteDatabase; readonly walPath: string; fd: number | null; readonly sync: (fd: number) => Promise<void> } | null =
    null;
  private readonly writer: SqliteDatabase;
  private readonly s;
  /** Settles once every batch committed so far is resolved or failed (batches resolve in commit order). */
  private syncing: Promise<void> | null = null;

  constructor(shared: SqliteDatabase, options: SqliteAppendLogOptions = {}) {
    const file = shared.name;
    const background = (options.logSync ?? 'background') === 'background' && file !== ':memory:' && file !== '' && !shared.memory;
    let db = shared;
    if (background) {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      // Commits write the WAL without syncing it; flush() syncs it off the loop before anyone hears of them.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      this.log = { db, walPath: `${file}-wal`, fd: null, sync: options.syncFile ?? fdatasync };
    }
    this.writer = db;
    this.s = {
      insertUpdate: db.prepare('INSERT INTO updates (doc_key, seq, data, author, created_at) VALUES ((SELECT log_key FROM documents WHERE id = ?), ?, ?, ?, ?)'),
      bind: db.prepare('INSERT INTO client_bindings (document_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      // last_seq (migration 0020) is kept in the statement that touches the row anyway.
      touchDoc: db.prepare('UPDATE documents SET updated_at = ?, last_seq = ? WHERE id = ?'),
      docState: db.prepare<[string], { status: string; last_seq: number }>('SELECT status, last_seq FROM documents WHERE id = ?'),
      setStatus: db.prepare('UPDATE documents SET status = ?, status_changed_at = ?, updated_at = ? WHERE id = ?'),
      insertAudit: db.prepare<[string, string | null, string, string, number]>(
        'INSERT INTO audit_events (document_id, actor_id, action, details, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      insertMarkerEvent: db.prepare<[string, string, string | null, string | null, number, number]>(
        'INSERT INTO marker_events (document_id, block_id, level, actor_id, seq, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  append(id: DocumentId, updates: readonly NewUpdate[], now: number): Promise<AppendResult> {
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
    let committed: Array<{ readonly items: readonly PendingAppend[]; readonly results: readonly AppendResult[] }>;
    try {
      committed = [{ items: batch, results: this.write(batch) }];
    } catch (error) {
      const groups = byDocument(batch);
      if (groups.length === 1) {
        // The whole transaction rolled back: nothing of this batch is stored.
        for (const item of batch) item.reject(error);
        return;
      }
      // One document's failure must not fail the others' (SPEC S11): each document alone,
      // its appends in their order; only the failing one's writers hear of it (R6 retries them).
      committed = [];
      for (const items of groups) {
        try {
          committed.push({ items, results: this.write(items) });
        } catch (alone) {
          for (const item of items) item.reject(alone);
        }
      }
    }
    if (committed.length === 0) return;
    const resolveAll = (): void => {
      for (const { items, results } of committed) items.forEach((item, i) => item.resolve(results[i] ?? { lastSeq: 0 }));
    };
    if (!this.log) {
      resolveAll();
      return;
    }
    // Committed, not yet on disk: resolved (acknowledged, broadcast) only once the WAL is synced —
    // by a sync started after this commit, and after every earlier batch resolved (order kept).
    const log = this.log;
    const synced = (async () => {
      log.fd ??= fs.openSync(log.walPath, 'r');
      await log.sync(log.fd);
    })();
    const previous = this.syncing ?? Promise.resolve();
    const done = Promise.allSettled([previous, synced]).then(([, mine]) => {
      if (mine.status === 'fulfilled') resolveAll();
      // Whether the data reached the disk is unknown: the appends fail (their writers hear of no ack).
      else for (const { items } of committed) for (const item of items) item.reject(mine.reason);
    });
    this.syncing = done;
    void done.finally(() => {
      if (this.syncing === done) this.syncing = null;
    });
  }

  /** Writes `items` in one transaction on the log's connection; throws (having written nothing) when it fails. */
  private write(items: readonly PendingAppend[]): AppendResult[] {
    const results: AppendResult[] = [];
    // Bindings written in this transaction: known once it commits.
    const bound: string[] = [];
    const s = this.s;
    this.writer.transaction(() => {
      // Each document's last seq and status, read once per transaction; a missing document's insert fails (FK).
      const docs = new Map<string, { seq: number; status: string | undefined; at: number }>();
      for (const item of items) {
        let doc = docs.get(item.id);
        if (!doc) {
          const row = s.docState.get(item.id);
          doc = { seq: row?.last_seq ?? 0, status: row?.status, at: 0 };
          docs.set(item.id, doc);
        }
        let seq = doc.seq;
        // An edit to a final or published document moves it to revising, audited by its first update's author (WF5).
        const reopen = item.updates.length > 0 ? reopening(doc.status, seq + 1) : null;
        if (reopen) {
          doc.status = reopen.move.to;
          s.setStatus.run(reopen.move.to, item.now, item.now, item.id);
          s.insertAudit.run(item.id, item.updates[0]!.author, 'status.changed', JSON.stringify(reopen.details), item.now);
        }
        for (const b of this.known.unknown(item.id, item.updates)) {
          s.bind.run(item.id, b.clientId, b.userId, item.now);
          bound.push(b.key);
        }
        for (const u of item.updates) {
          seq++;
          s.insertUpdate.run(item.id, seq, u.data, u.author, item.now);
          for (const m of u.markers ?? []) {
            const audit = markerAudit(m, seq);
            if (m.blockId !== null) s.insertMarkerEvent.run(item.id, m.blockId, m.marker?.level ?? null, u.author, seq, item.now);
            s.insertAudit.run(item.id, u.author, audit.action, JSON.stringify(audit.details), item.now);
          }
        }
        doc.seq = seq;
        doc.at = Math.max(item.now, doc.at);
        results.push(reopen ? { lastSeq: seq, statusMove: reopen.move } : { lastSeq: seq });
      }
      // Each document's row once per transaction, however many appends it had.
      for (const [docId, doc] of docs) s.touchDoc.run(doc.at, doc.seq, docId);
    })();
    this.known.remember(bound);
    return results;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    // Appends committed but not yet synced resolve (or fail) before the connections close.
    while (this.syncing) await this.syncing;
    if (this.log) {
      if (this.log.fd !== null) fs.closeSync(this.log.fd);
      this.log.db.close();
    }
  }
}
