import type { CommentAnchor, CommentEventType, DocumentId, Disposition, Region, StakeholderGroup } from '@rapporteur/protocol';
import type { CommentEventRecord, CommentPatch, CommentRecord, CommentStore, NewCommentEvent } from '../CommentStore';
import type { SqliteDatabase } from './openDatabase';

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

/** SQLite implementation of CommentStore, sharing the database of the document store. */
export class SqliteCommentStore implements CommentStore {
  private readonly stmts;

  constructor(private readonly db: SqliteDatabase) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO comments (id, document_id, parent_id, author_id, author_name, author_organisation, author_stakeholder_group,
           author_region, client_key, anchor, body, suggestion, status, created_at, updated_at)
         VALUES (@id, @documentId, @parentId, @authorId, @authorName, @authorOrganisation, @authorGroup, @authorRegion,
           @clientKey, @anchor, @body, @suggestion, @status, @now, @now)`,
      ),
      update: db.prepare(
        `UPDATE comments SET body = @body, suggestion = @suggestion, status = @status, response = @response,
           disposed_by = @disposedBy, disposed_by_name = @disposedByName, disposed_at = @disposedAt,
           hidden_reason = @hiddenReason, hidden_by = @hiddenBy, hidden_at = @hiddenAt, edited_at = @editedAt, updated_at = @now
         WHERE id = @id`,
      ),
      get: db.prepare<[string], CommentRow>('SELECT * FROM comments WHERE id = ?'),
      byKey: db.prepare<[string, string, string], CommentRow>(
        'SELECT * FROM comments WHERE document_id = ? AND author_id = ? AND client_key = ?',
      ),
      list: db.prepare<[string], CommentRow>('SELECT * FROM comments WHERE document_id = ? ORDER BY created_at, id'),
      lastSeq: db.prepare<[string], { s: number | null }>('SELECT MAX(seq) AS s FROM comment_events WHERE document_id = ?'),
      insertEvent: db.prepare(
        'INSERT INTO comment_events (document_id, seq, type, comment_id, actor_id, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      eventsAfter: db.prepare<[string, number, number], EventRow>(
        'SELECT seq, type, comment_id, actor_id, detail, created_at FROM comment_events WHERE document_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
    };
  }

  async insert(c: CommentRecord, event: NewCommentEvent, now: number): Promise<number> {
    return this.db.transaction(() => {
      this.stmts.insert.run({
        id: c.id,
        documentId: c.documentId,
        parentId: c.parentId,
        authorId: c.author.id,
        authorName: c.author.name,
        authorOrganisation: c.author.organisation,
        authorGroup: c.author.stakeholderGroup,
        authorRegion: c.author.region,
        clientKey: c.clientKey,
        anchor: c.anchor ? JSON.stringify(c.anchor) : null,
        body: c.body,
        suggestion: c.suggestion,
        status: c.status,
        now,
      });
      return this.appendEvent(c.documentId, c.id, event, now);
    })();
  }

  async update(id: string, patch: CommentPatch, event: NewCommentEvent, now: number, expected?: CommentRecord): Promise<number | null> {
    return this.db.transaction(() => {
      const row = this.stmts.get.get(id);
      if (!row) throw new Error(`no comment ${id}`);
      const current = toRecord(row);
      if (expected && !sameState(current, expected)) return null;
      const next = { ...current, ...patch };
      this.stmts.update.run({
        id,
        body: next.body,
        suggestion: next.suggestion,
        status: next.status,
        response: next.response,
        disposedBy: next.disposedBy?.id ?? null,
        disposedByName: next.disposedBy?.name ?? null,
        disposedAt: next.disposedAt,
        hiddenReason: next.hidden?.reason ?? null,
        hiddenBy: next.hidden?.by ?? null,
        hiddenAt: next.hidden?.at ?? null,
        editedAt: next.editedAt,
        now,
      });
      return this.appendEvent(row.document_id, id, event, now);
    })();
  }

  private appendEvent(documentId: string, commentId: string, event: NewCommentEvent, now: number): number {
    const seq = (this.stmts.lastSeq.get(documentId)?.s ?? 0) + 1;
    this.stmts.insertEvent.run(documentId, seq, event.type, commentId, event.actorId, event.detail ?? null, now);
    return seq;
  }

  async get(id: string): Promise<CommentRecord | null> {
    const row = this.stmts.get.get(id);
    return row ? toRecord(row) : null;
  }

  async findByClientKey(documentId: DocumentId, authorId: string, clientKey: string): Promise<CommentRecord | null> {
    const row = this.stmts.byKey.get(documentId, authorId, clientKey);
    return row ? toRecord(row) : null;
  }

  async list(documentId: DocumentId): Promise<CommentRecord[]> {
    return this.stmts.list.all(documentId).map(toRecord);
  }

  async eventsAfter(documentId: DocumentId, afterSeq: number, limit: number): Promise<CommentEventRecord[]> {
    return this.stmts.eventsAfter.all(documentId, afterSeq, limit).map((r) => ({
      seq: r.seq,
      type: r.type as CommentEventType,
      commentId: r.comment_id,
      actorId: r.actor_id,
      detail: r.detail,
      createdAt: r.created_at,
    }));
  }

  async lastEventSeq(documentId: DocumentId): Promise<number> {
    return this.stmts.lastSeq.get(documentId)?.s ?? 0;
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
