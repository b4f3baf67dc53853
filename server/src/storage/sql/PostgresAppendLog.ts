import type { DocumentId } from '@rapporteur/protocol';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import {
  type AppendLog,
  type AppendResult,
  byDocument,
  DONE_STATUSES,
  KnownBindings,
  markerAudit,
  type PendingAppend,
  reopening,
} from '../appendLog';
import type { NewUpdate } from '../DocumentStore';
import type { Database } from './Database';
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
 * The common append as one statement, the same text for any batch (its rows
 * come as arrays), so PostgreSQL parses and plans it once per connection:
 * lock the documents' rows in id order; bump each one's `last_seq` by its
 * number of updates and set `updated_at` (`UPDATE … RETURNING`), skipping a
 * final or published document (an edit reopens it: `write`); insert the
 * updates of the documents bumped, numbered from what the update returned,
 * and their new client-id bindings (the first author keeps one, A4). Returns
 * each bumped document's seq before the batch. A document not returned wrote
 * nothing.
 *
 * $1 ids, $2 number of updates, $3 time; $4 statuses an edit reopens;
 * $5–$9 updates (document, 1-based position in its document's run, bytes,
 * author, time); $10–$13 bindings (document, client id, user, time).
 */
const FAST_APPEND = `
  WITH locked AS MATERIALIZED (
    SELECT id FROM documents WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE
  ), bumped AS (
    UPDATE documents d SET last_seq = d.last_seq + v.n, updated_at = v.at
    FROM locked l JOIN unnest($1::text[], $2::bigint[], $3::bigint[]) AS v(id, n, at) ON v.id = l.id
    WHERE d.id = l.id AND d.status <> ALL($4::text[])
    RETURNING d.id, d.log_key, d.last_seq - v.n AS base
  ), inserted AS (
    INSERT INTO updates (doc_key, seq, data, author, created_at)
    SELECT b.log_key, b.base + u.n, u.data, u.author, u.at
    FROM bumped b JOIN unnest($5::text[], $6::bigint[], $7::bytea[], $8::text[], $9::bigint[]) AS u(id, n, data, author, at) ON u.id = b.id
  ), bound AS (
    INSERT INTO client_bindings (document_id, client_id, user_id, created_at)
    SELECT c.id, c.client_id, c.user_id, c.at
    FROM bumped b JOIN unnest($10::text[], $11::bigint[], $12::text[], $13::bigint[]) AS c(id, client_id, user_id, at) ON c.id = b.id
    ON CONFLICT DO NOTHING
  )
  SELECT id, base FROM bumped`;

/**
 * The PostgreSQL update log (see AppendLog). Appends queued in one turn are
 * written together as a batch, one batch at a time (those arriving meanwhile
 * form the next one); PostgreSQL's commit is durable (`synchronous_commit`
 * on), so an append resolves at commit. (Several batches of distinct
 * documents at once, on several connections, measured no better in
 * `bench:durable-ack`: the writers' appends meet in one batch anyway.)
 *
 * A document's sequence numbers stay gap-free and monotonic with several
 * instances writing (issue 15) without a global lock: each document's row
 * holds its last seq (`documents.last_seq`, migration 0020), and an append
 * bumps it with `UPDATE … RETURNING` — the row lock, held until commit, and
 * the document's next seqs in one statement. Another instance's append to the
 * same document waits for the row; under READ COMMITTED the update then
 * re-reads the row that append committed, so it continues after its seqs.
 * Rows are locked in id order, so two instances' batches never deadlock;
 * appends to other documents do not wait.
 *
 * The common batch — updates, client-id bindings, no marker, no document to
 * reopen — is one statement (`fastWrite`, one round trip and its commit);
 * the rest (markers, an edit reopening a final or published document, a
 * missing document) take a transaction of a few statements (`write`).
 */
export class PostgresAppendLog implements AppendLog {
  private queue: PendingAppend[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly known = new KnownBindings();

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly prepared: NonNullable<Database['prepared']>,
  ) {}

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
    // Group commit: the appends of this turn share a batch.
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
    let rest: readonly PendingAppend[];
    try {
      const written = await this.fastWrite(batch);
      rest = batch.filter((item) => !written.has(item));
      for (const [item, result] of written) item.resolve(result);
    } catch (error) {
      // One statement: when it fails, it wrote nothing.
      await this.afterFailure(batch, error);
      return;
    }
    if (rest.length === 0) return;
    try {
      const results = await this.write(rest);
      rest.forEach((item, i) => item.resolve(results[i]!));
    } catch (error) {
      await this.afterFailure(rest, error);
    }
  }

  /** After a shared write failed, having written nothing: each document alone, so one's failure does not fail the others' (SPEC S11). */
  private async afterFailure(items: readonly PendingAppend[], error: unknown): Promise<void> {
    const groups = byDocument(items);
    if (groups.length === 1) {
      for (const item of items) item.reject(error);
      return;
    }
    for (const group of groups) {
      try {
        const results = await this.write(group);
        group.forEach((item, i) => item.resolve(results[i]!));
      } catch (alone) {
        for (const item of group) item.reject(alone);
      }
    }
  }

  /**
   * Writes, in one statement (its own transaction), the appends of every
   * document in `batch` that needs nothing but its updates and bindings
   * stored (FAST_APPEND). Resolves to the appends written and their results;
   * the others (a marker among a document's updates, a document to reopen or
   * missing) are left to `write`. Throws, having written nothing, when the
   * statement fails.
   */
  private async fastWrite(batch: readonly PendingAppend[]): Promise<Map<PendingAppend, AppendResult>> {
    const written = new Map<PendingAppend, AppendResult>();
    const slow = new Set(batch.filter((item) => item.updates.some((u) => (u.markers?.length ?? 0) > 0)).map((item) => item.id));
    const items = batch.filter((item) => !slow.has(item.id));
    if (items.length === 0) return written;

    const docs = new Map<string, { count: number; at: number; bound: string[] }>();
    const u = { id: [] as string[], n: [] as number[], data: [] as Buffer[], author: [] as Array<string | null>, at: [] as number[] };
    const b = { id: [] as string[], clientId: [] as number[], userId: [] as string[], at: [] as number[] };
    for (const item of items) {
      const doc = docs.get(item.id) ?? { count: 0, at: 0, bound: [] };
      docs.set(item.id, doc);
      doc.at = Math.max(doc.at, item.now);
      for (const update of item.updates) {
        doc.count++;
        u.id.push(item.id);
        u.n.push(doc.count);
        u.data.push(toBuffer(update.data));
        u.author.push(update.author);
        u.at.push(item.now);
      }
      for (const binding of this.known.unknown(item.id, item.updates)) {
        // Two appends of one batch may name one new binding: the first author keeps it (A4), as ON CONFLICT does across batches.
        if (doc.bound.includes(binding.key)) continue;
        doc.bound.push(binding.key);
        b.id.push(item.id);
        b.clientId.push(binding.clientId);
        b.userId.push(binding.userId);
        b.at.push(item.now);
      }
    }
    const ids = [...docs.keys()];
    const values = [ids, ids.map((id) => docs.get(id)!.count), ids.map((id) => docs.get(id)!.at), DONE_STATUSES, u.id, u.n, u.data, u.author, u.at, b.id, b.clientId, b.userId, b.at];
    const rows = await this.prepared('rapporteur_append', FAST_APPEND, values);

    const next = new Map(rows.map((r) => [r.id as string, Number(r.base)]));
    this.known.remember(ids.filter((id) => next.has(id)).flatMap((id) => docs.get(id)!.bound));
    for (const item of items) {
      const base = next.get(item.id);
      if (base === undefined) continue;
      next.set(item.id, base + item.updates.length);
      written.set(item, { lastSeq: base + item.updates.length });
    }
    return written;
  }

  /**
   * Writes `items` in one transaction; throws (having written nothing) when it
   * fails. A handful of statements whatever the number of documents: lock
   * the rows (reading their last seqs), insert every update, every binding,
   * set `updated_at` and `last_seq` (markers and reopenings add their own).
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
      const touched = [...newest].map(([id, at]) => sql`(${id}, ${at}::bigint, ${state.get(id)!.seq}::bigint)`);
      await sql`UPDATE documents d SET updated_at = v.at, last_seq = v.seq FROM (VALUES ${sql.join(touched)}) AS v(id, at, seq) WHERE d.id = v.id`.execute(trx);
      return out;
    });
    this.known.remember(bound);
    return results;
  }

  /**
   * Locks the row of every document in `items`, in id order (so two
   * instances' transactions never deadlock), and reads each one's status and
   * last seq from it: under READ COMMITTED a row another instance updated
   * while this one waited for it is returned as that instance committed it.
   * Throws when a document does not exist.
   */
  private async lockDocuments(trx: Transaction<Tables>, items: readonly PendingAppend[]): Promise<Map<string, { seq: number; status: string; logKey: number }>> {
    const ids = [...new Set(items.map((i) => i.id))].sort();
    const locked = await sql<{ id: string; status: string; log_key: number; last_seq: number | string }>`SELECT id, status, log_key, last_seq FROM documents
      WHERE id IN (${sql.join(ids)}) ORDER BY id FOR UPDATE`.execute(trx);
    const state = new Map(locked.rows.map((r) => [r.id, { seq: Number(r.last_seq), status: r.status, logKey: r.log_key }]));
    const missing = ids.find((id) => !state.has(id));
    if (missing !== undefined) throw new Error(`no document ${missing}`);
    return state;
  }

  private async audit(trx: Transaction<Tables>, id: string, actorId: string | null, action: string, details: unknown, now: number): Promise<void> {
    await sql`INSERT INTO audit_events (document_id, actor_id, action, details, created_at)
      VALUES (${id}, ${actorId}, ${action}, ${JSON.stringify(details)}, ${now})`.execute(trx);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // What is queued is written; then every batch in flight settles.
    while (this.scheduled || this.running || this.queue.length > 0) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
