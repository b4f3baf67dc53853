import type { CommentAnchor, CommentEventType, DocumentId, Disposition, Region, StakeholderGroup } from '@rapporteur/protocol';
import type { CommentEventRecord, CommentPatch, CommentRecord, CommentStore, NewCommentEvent } from '../CommentStore';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Dialect } from './dialect';
import { prepare } from './prepared';
import type { Tables } from './tables';

interface CommentRow {
  id: string;
  document_id: string;
  parent_id: string | null;
  author_id: string;
  author_name: string;
  author_organisation: string | null;
  author_stakeholder_group: string;
  author_region: string;
  client_key: string | null;
  anchor: string | null;
  body: string;
  suggestion: string | null;
  status: string;
  response: string | null;
  disposed_by: string | null;
  disposed_by_name: string | null;
  disposed_at: number | null;
  hidden_reason: string | null;
  hidden_by: string | null;
  hidden_at: number | null;
  created_at: number;
  updated_at: number;
  edited_at: number | null;
}

interface EventRow {
  seq: number;
  type: string;
  comment_id: string;
  actor_id: string | null;
  detail: string | null;
  created_at: number;
}

/**
 * CommentStore on SQLite or PostgreSQL (SPEC C1–C11), in SQL both dialects
 * share. Each write locks the comment's document row first (PostgreSQL's
 * `FOR UPDATE`; SQLite runs one transaction at a time), so a document's event
 * seqs stay gap-free with several instances writing, and a command's
 * precondition (`expected`) is checked against the comment as it is when the
 * write happens, not as an earlier snapshot saw it.
 */
export class SqlCommentStore implements CommentStore {
  private readonly q;

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: Dialect,
  ) {
    this.q = {
      get: prepare(db, 1, (id: string) => sql<CommentRow>`SELECT * FROM comments WHERE id = ${id}`),
      lastSeq: prepare(db, 1, (documentId: string) => sql<{ s: number | null }>`SELECT MAX(seq) AS s FROM comment_events WHERE document_id = ${documentId}`),
    };
  }

  private async rows<T>(query: RawBuilder<unknown>, db: Kysely<Tables> = this.db): Promise<T[]> {
    return (await (query as RawBuilder<T>).execute(db)).rows;
  }

  /** Inside a transaction: holds the document's row until it ends (PostgreSQL). */
  private async lockDocument(trx: Transaction<Tables>, documentId: string): Promise<void> {
    if (this.dialect === 'postgres') await sql`SELECT 1 FROM documents WHERE id = ${documentId} FOR UPDATE`.execute(trx);
  }

  async insert(c: CommentRecord, event: NewCommentEvent, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await this.lockDocument(trx, c.documentId);
      await sql`INSERT INTO comments (id, document_id, parent_id, author_id, author_name, author_organisation, author_stakeholder_group,
          author_region, client_key, anchor, body, suggestion, status, created_at, updated_at)
        VALUES (${c.id}, ${c.documentId}, ${c.parentId}, ${c.author.id}, ${c.author.name}, ${c.author.organisation}, ${c.author.stakeholderGroup},
          ${c.author.region}, ${c.clientKey}, ${c.anchor ? JSON.stringify(c.anchor) : null}, ${c.body}, ${c.suggestion}, ${c.status}, ${now}, ${now})`.execute(
        trx,
      );
      return this.appendEvent(trx, c.documentId, c.id, event, now);
    });
  }

  async update(id: string, patch: CommentPatch, event: NewCommentEvent, now: number, expected?: CommentRecord): Promise<number | null> {
    return this.db.transaction().execute(async (trx) => {
      const [found] = await this.rows<{ document_id: string }>(sql`SELECT document_id FROM comments WHERE id = ${id}`, trx);
      if (!found) throw new Error(`no comment ${id}`);
      await this.lockDocument(trx, found.document_id);
      // Read again under the lock: this is the state the write replaces.
      const [row] = await this.rows<CommentRow>(sql`SELECT * FROM comments WHERE id = ${id}`, trx);
      const current = toRecord(row!);
      if (expected && !sameState(current, expected)) return null;
      const next = { ...current, ...patch };
      await sql`UPDATE comments SET body = ${next.body}, suggestion = ${next.suggestion}, status = ${next.status}, response = ${next.response},
          disposed_by = ${next.disposedBy?.id ?? null}, disposed_by_name = ${next.disposedBy?.name ?? null}, disposed_at = ${next.disposedAt},
          hidden_reason = ${next.hidden?.reason ?? null}, hidden_by = ${next.hidden?.by ?? null}, hidden_at = ${next.hidden?.at ?? null},
          edited_at = ${next.editedAt}, updated_at = ${now}
        WHERE id = ${id}`.execute(trx);
      return this.appendEvent(trx, found.document_id, id, event, now);
    });
  }

  private async appendEvent(trx: Transaction<Tables>, documentId: string, commentId: string, event: NewCommentEvent, now: number): Promise<number> {
    const [last] = await this.rows<{ s: number | null }>(sql`SELECT MAX(seq) AS s FROM comment_events WHERE document_id = ${documentId}`, trx);
    const seq = (last?.s ?? 0) + 1;
    await sql`INSERT INTO comment_events (document_id, seq, type, comment_id, actor_id, detail, created_at)
      VALUES (${documentId}, ${seq}, ${event.type}, ${commentId}, ${event.actorId}, ${event.detail ?? null}, ${now})`.execute(trx);
    return seq;
  }

  async get(id: string): Promise<CommentRecord | null> {
    const [row] = await this.q.get(id);
    return row ? toRecord(row) : null;
  }

  async findByClientKey(documentId: DocumentId, authorId: string, clientKey: string): Promise<CommentRecord | null> {
    const [row] = await this.rows<CommentRow>(
      sql`SELECT * FROM comments WHERE document_id = ${documentId} AND author_id = ${authorId} AND client_key = ${clientKey}`,
    );
    return row ? toRecord(row) : null;
  }

  async list(documentId: DocumentId): Promise<CommentRecord[]> {
    return (await this.rows<CommentRow>(sql`SELECT * FROM comments WHERE document_id = ${documentId} ORDER BY created_at, id`)).map(toRecord);
  }

  async eventsAfter(documentId: DocumentId, afterSeq: number, limit: number): Promise<CommentEventRecord[]> {
    const rows = await this.rows<EventRow>(
      sql`SELECT seq, type, comment_id, actor_id, detail, created_at FROM comment_events
        WHERE document_id = ${documentId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`,
    );
    return rows.map((r) => ({
      seq: r.seq,
      type: r.type as CommentEventType,
      commentId: r.comment_id,
      actorId: r.actor_id,
      detail: r.detail,
      createdAt: r.created_at,
    }));
  }

  async lastEventSeq(documentId: DocumentId): Promise<number> {
    return (await this.q.lastSeq(documentId))[0]?.s ?? 0;
  }
}

function toRecord(row: CommentRow): CommentRecord {
  return {
    id: row.id,
    documentId: row.document_id as DocumentId,
    parentId: row.parent_id,
    author: {
      id: row.author_id,
      name: row.author_name,
      organisation: row.author_organisation,
      stakeholderGroup: row.author_stakeholder_group as StakeholderGroup,
      region: row.author_region as Region,
    },
    clientKey: row.client_key,
    anchor: row.anchor ? (JSON.parse(row.anchor) as CommentAnchor) : null,
    body: row.body,
    suggestion: row.suggestion,
    status: row.status as Disposition,
    response: row.response,
    disposedBy: row.disposed_by ? { id: row.disposed_by, name: row.disposed_by_name ?? '' } : null,
    disposedAt: row.disposed_at,
    hidden: row.hidden_reason ? { reason: row.hidden_reason, by: row.hidden_by ?? '', at: row.hidden_at ?? 0 } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    editedAt: row.edited_at,
  };
}

/** Whether a comment is still as it was read: every field a command changes, and when it last changed. */
function sameState(a: CommentRecord, b: CommentRecord): boolean {
  return (
    a.status === b.status &&
    a.body === b.body &&
    a.suggestion === b.suggestion &&
    a.response === b.response &&
    a.disposedAt === b.disposedAt &&
    (a.disposedBy?.id ?? null) === (b.disposedBy?.id ?? null) &&
    (a.hidden?.at ?? null) === (b.hidden?.at ?? null) &&
    (a.hidden?.reason ?? null) === (b.hidden?.reason ?? null) &&
    a.editedAt === b.editedAt &&
    a.updatedAt === b.updatedAt
  );
}
