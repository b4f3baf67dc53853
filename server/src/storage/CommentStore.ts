import type { CommentAnchor, CommentEventType, DocumentId, Disposition, Region, StakeholderGroup } from '@rapporteur/protocol';

/** A comment as stored. The author's profile fields are a copy made when it was written. */
export interface CommentRecord {
  readonly id: string;
  readonly documentId: DocumentId;
  readonly parentId: string | null;
  readonly author: {
    readonly id: string;
    readonly name: string;
    readonly organisation: string | null;
    readonly stakeholderGroup: StakeholderGroup;
    readonly region: Region;
  };
  readonly clientKey: string | null;
  readonly anchor: CommentAnchor | null;
  readonly body: string;
  readonly suggestion: string | null;
  readonly status: Disposition;
  readonly response: string | null;
  readonly disposedBy: { readonly id: string; readonly name: string } | null;
  readonly disposedAt: number | null;
  readonly hidden: { readonly reason: string; readonly by: string; readonly at: number } | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly editedAt: number | null;
}

export type CommentPatch = Partial<
  Pick<CommentRecord, 'body' | 'suggestion' | 'status' | 'response' | 'disposedBy' | 'disposedAt' | 'hidden' | 'editedAt'>
>;

/** One entry of the audit record and event channel. */
export interface CommentEventRecord {
  readonly seq: number;
  readonly type: CommentEventType;
  readonly commentId: string;
  readonly actorId: string | null;
  /** Free text for the audit record (a moderation reason, the previous body…). */
  readonly detail: string | null;
  readonly createdAt: number;
}

export interface NewCommentEvent {
  readonly type: CommentEventType;
  readonly actorId: string | null;
  readonly detail?: string | null;
}

/**
 * Comments and their append-only event log. Each change to a comment and
 * its event are written in one transaction, so the channel never misses or
 * invents a change (SPEC C3).
 */
export interface CommentStore {
  /** Inserts the comment with its `comment.created` event; returns the event's seq. */
  insert(comment: CommentRecord, event: NewCommentEvent, now: number): Promise<number>;
  /**
   * Applies the patch (updated_at = now) with its event; returns the event's
   * seq. With `expected` (the comment as the caller read it), only if the
   * comment is still exactly that, checked in the transaction that writes:
   * otherwise nothing is written and the answer is null (a lost race).
   */
  update(id: string, patch: CommentPatch, event: NewCommentEvent, now: number, expected?: CommentRecord): Promise<number | null>;
  get(id: string): Promise<CommentRecord | null>;
  findByClientKey(documentId: DocumentId, authorId: string, clientKey: string): Promise<CommentRecord | null>;
  /** Every comment and reply of the document, oldest first. */
  list(documentId: DocumentId): Promise<CommentRecord[]>;
  /** Events with seq greater than `afterSeq`, oldest first, at most `limit`. */
  eventsAfter(documentId: DocumentId, afterSeq: number, limit: number): Promise<CommentEventRecord[]>;
  lastEventSeq(documentId: DocumentId): Promise<number>;
}
