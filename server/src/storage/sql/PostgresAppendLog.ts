import type { DocumentId } from '@rapporteur/protocol';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
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
import type { Tables } from './tables';

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters per statement (six per update). */
const ROWS_PER_INSERT = 1_000;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) out.push(rows.slice(i, i + ROWS_PER_INSERT));
  return out;
}

/** Bytes as node-postgres sends them as `bytea`. */
export function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The PostgreSQL update log (see AppendLog). Appends queued in one turn are
 * written in one transaction, one transaction at a time (those arriving
 * meanwhile form the next one); PostgreSQL's commit is durable
 * (`synchronous_commit` on), so an append resolves at commit.
 *
 * A document's sequence numbers stay gap-free and monotonic with several
 * instances writing (issue 15) without a global lock: the transaction first
 * locks each document's row (`FOR UPDATE`, held until commit), so another
 * instance's append to the same document waits and then reads the new
 * `MAX(seq)`; documents are locked in id order, so two instances'
 * transactions never deadlock. Appends to other documents do not wait.
 */
export class PostgresAppendLog implements AppendLog {
  private queue: PendingAppend[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly known = new KnownBindings();

  constructor(private readonly db: Kysely<Tables>) {}

  append(id: DocumentId, updates: readonly NewUpdate[], now: number): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('store is closed'));
        return;
      }
      this.queue.push({ id, updates, now, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // Group commit: the appends of this turn share the transaction.
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.drain().finally(() => {
        this.running = null;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
  }

  private async commit(batch: readonly PendingAppend[]): Promise<void> {
    try {
      const results = await this.write(batch);
      batch.forEach((item, i) => item.resolve(results[i]!));
      return;
    } catch (error) {
      const groups = byDocument(batch);
      if (groups.length === 1) {
        for (const item of batch) item.reject(error);
        return;
      }
      // One document's failure must not fail the others' (SPEC S11).
      for (const items of groups) {
        try {
          const results = await this.write(items);
          items.forEach((item, i) => item.resolve(results[i]!));
        } catch (alone) {
          for (const item of items) item.reject(alone);
        }
      }
    }
  }

  /**
   * Writes `items` in one transaction; throws (having written nothing) when it
   * fails. A handful of statements whatever the number of documents: lock
   * the rows, read the last seqs, insert every update, every binding, touch
   * `updated_at` (markers and reopenings, rare, add their own).
   */
  private async write(items: readonly PendingAppend[]): Promise<AppendResult[]> {
    const bound: string[] = [];
    const results = await this.db.transaction().execute(async (trx) => {
      const state = await this.lockDocuments(trx, items);
      const out: AppendResult[] = [];
      const updateRows: RawBuilder<unknown>[] = [];
      const bindingRows: RawBuilder<unknown>[] = [];
      const newest = new Map<string, number>();
      for (const item of items) {
        const doc = state.get(item.id)!;
        newest.set(item.id, Math.max(item.now, newest.get(item.id) ?? 0));
        const reopen = item.updates.length > 0 ? reopening(doc.status, doc.seq + 1) : null;
        if (reopen) {
          doc.status = reopen.move.to;
          await sql`UPDATE documents SET status = ${reopen.move.to}, status_changed_at = ${item.now} WHERE id = ${item.id}`.execute(trx);
          await this.audit(trx, item.id, item.updates[0]!.author, 'status.changed', reopen.details, item.now);
        }
        for (const b of this.known.unknown(item.id, item.updates)) {
          bindingRows.push(sql`(${item.id}, ${b.clientId}, ${b.userId}, ${item.now})`);
          bound.push(b.key);
        }
        for (const u of item.updates) {
          doc.seq++;
          updateRows.push(sql`(${doc.logKey}, ${doc.seq}, ${toBuffer(u.data)}, ${u.author}, ${item.now})`);
          for (const m of u.markers ?? []) {
            const audit = markerAudit(m, doc.seq);
            if (m.blockId !== null) {
              await sql`INSERT INTO marker_events (document_id, block_id, level, actor_id, seq, created_at)
                VALUES (${item.id}, ${m.blockId}, ${m.marker?.level ?? null}, ${u.author}, ${doc.seq}, ${item.now})`.execute(trx);
            }
            await this.audit(trx, item.id, u.author, audit.action, audit.details, item.now);
          }
        }
        out.push(reopen ? { lastSeq: doc.seq, statusMove: reopen.move } : { lastSeq: doc.seq });
      }
      // A client id is bound once per document, by its first author (A4): a conflict keeps the first.
      for (const rows of chunks(bindingRows)) {
        await sql`INSERT INTO client_bindings (document_id, client_id, user_id, created_at) VALUES ${sql.join(rows)} ON CONFLICT DO NOTHING`.execute(trx);
      }
      for (const rows of chunks(updateRows)) {
        await sql`INSERT INTO updates (doc_key, seq, data, author, created_at) VALUES ${sql.join(rows)}`.execute(trx);
      }
      const touched = [...newest].map(([id, at]) => sql`(${id}, ${at}::bigint)`);
      await sql`UPDATE documents d SET updated_at = v.at FROM (VALUES ${sql.join(touched)}) AS v(id, at) WHERE d.id = v.id`.execute(trx);
      return out;
    });
    this.known.remember(bound);
    return results;
  }

  /**
   * Locks the row of every document in `items`, in id order (so two
   * instances' transactions never deadlock), then reads each one's last seq
   * in a statement of its own: under READ COMMITTED it takes a new snapshot,
   * so it sees an append another instance committed while this one waited
   * for the lock (one statement would not). Throws when a document does not
   * exist.
   */
  private async lockDocuments(trx: Transaction<Tables>, items: readonly PendingAppend[]): Promise<Map<string, { seq: number; status: string; logKey: number }>> {
    const ids = [...new Set(items.map((i) => i.id))].sort();
    const locked = await sql<{ id: string; status: string; log_key: number }>`SELECT id, status, log_key FROM documents
      WHERE id IN (${sql.join(ids)}) ORDER BY id FOR UPDATE`.execute(trx);
    const state = new Map(locked.rows.map((r) => [r.id, { seq: 0, status: r.status, logKey: r.log_key }]));
    const missing = ids.find((id) => !state.has(id));
    if (missing !== undefined) throw new Error(`no document ${missing}`);
    // A statement of its own, after the locks: its snapshot sees what the lock waited for (read committed).
    // The log is keyed by the document's log_key (migration 0019).
    const byKey = new Map([...state.values()].map((d) => [d.logKey, d]));
    const last = await sql<{ k: number; s: number | string }>`SELECT doc_key AS k, MAX(seq) AS s FROM updates
      WHERE doc_key IN (${sql.join([...byKey.keys()])}) GROUP BY doc_key`.execute(trx);
    for (const row of last.rows) byKey.get(Number(row.k))!.seq = Number(row.s);
    return state;
  }

  private async audit(trx: Transaction<Tables>, id: string, actorId: string | null, action: string, details: unknown, now: number): Promise<void> {
    await sql`INSERT INTO audit_events (document_id, actor_id, action, details, created_at)
      VALUES (${id}, ${actorId}, ${action}, ${JSON.stringify(details)}, ${now})`.execute(trx);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // What is queued is written; then every transaction in flight settles.
    while (this.scheduled || this.running || this.queue.length > 0) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
