import type { CreateCommentRequest, Disposition, DispositionRequest, ReplyRequest } from '@rapporteur/protocol';
import { ErrorCode } from '@rapporteur/protocol';
import * as Y from 'yjs';
import { newId } from '../auth/secrets';
import { AppError, BadRequestError, ForbiddenError } from '../errors';
import type { Clock } from '../lib/clock';
import type { UserRecord } from '../storage/AccountStore';
import type { CommentPatch, CommentRecord, CommentStore, NewCommentEvent } from '../storage/CommentStore';
import type { DocumentRecord, NewAuditEvent } from '../storage/DocumentStore';
import type { CommentHub } from './CommentHub';
import type { Notifier } from './Notifier';
import { type ReplaceOutcome, replaceAnchoredText } from './replaceAnchoredText';

/** Runs an edit of a document's body on behalf of an account (RoomManager-backed). */
/** Records an event in the document's audit trail (V6). */
export type RecordAudit = (documentId: DocumentRecord['id'], event: NewAuditEvent) => Promise<unknown>;

export type EditDocument = <T>(
  documentId: DocumentRecord['id'],
  author: string,
  edit: (doc: Y.Doc) => T,
) => Promise<{ result: T; changed: boolean; clientId: number }>;

/**
 * The commands on comments (SPEC C1–C6). Callers have already checked the
 * document-level right (comment, dispose, moderate) with the policy; these
 * check what depends on the comment itself (its author, its state).
 */
export class Comments {
  constructor(
    private readonly store: CommentStore,
    private readonly hub: CommentHub,
    private readonly clock: Clock,
    private readonly editDocument: EditDocument,
    /** Name of the body's Y.XmlFragment (packages/schema BODY_FIELD). */
    private readonly bodyField: string,
    private readonly notifier: Notifier,
    private readonly audit: RecordAudit,
  ) {}

  /** Creates a thread; a retry with the same client key returns the first one (`created: false`). */
  async create(doc: DocumentRecord, author: UserRecord, input: CreateCommentRequest): Promise<{ comment: CommentRecord; created: boolean }> {
    if (input.clientKey) {
      const existing = await this.store.findByClientKey(doc.id, author.id, input.clientKey);
      if (existing) return { comment: existing, created: false };
    }
    if (input.anchor.type === 'range') {
      for (const pos of [input.anchor.start, input.anchor.end]) {
        if (!isRelativePosition(pos)) throw new BadRequestError({ key: 'server.request.problem', values: { path: 'anchor', message: { key: 'server.comments.badAnchor' } } });
      }
    }
    const comment = this.newRecord(doc, author, {
      parentId: null,
      anchor: input.anchor,
      body: input.body,
      suggestion: input.suggestion ?? null,
      clientKey: input.clientKey ?? null,
    });
    await this.write(comment, () => this.store.insert(comment, { type: 'comment.created', actorId: author.id }, this.clock.now()));
    await this.notifier.created(doc, comment, null);
    return { comment, created: true };
  }

  /** Replies to a thread (replies to replies join the same thread). */
  async reply(doc: DocumentRecord, parent: CommentRecord, author: UserRecord, input: ReplyRequest): Promise<{ comment: CommentRecord; created: boolean }> {
    if (input.clientKey) {
      const existing = await this.store.findByClientKey(doc.id, author.id, input.clientKey);
      if (existing) return { comment: existing, created: false };
    }
    const thread = parent.parentId === null ? parent : ((await this.store.get(parent.parentId)) ?? parent);
    const comment = this.newRecord(doc, author, {
      parentId: thread.id,
      anchor: null,
      body: input.body,
      suggestion: null,
      clientKey: input.clientKey ?? null,
    });
    await this.write(comment, () => this.store.insert(comment, { type: 'comment.created', actorId: author.id }, this.clock.now()));
    await this.notifier.created(doc, comment, thread);
    return { comment, created: true };
  }

  /** The author edits their own comment while it is open (C4). */
  async edit(
    doc: DocumentRecord,
    comment: CommentRecord,
    actor: UserRecord,
    patch: { body?: string; suggestion?: string | null },
  ): Promise<CommentRecord> {
    this.assertAuthor(comment, actor);
    this.assertOpen(comment);
    if (patch.suggestion !== undefined && comment.parentId !== null) throw new BadRequestError({ key: 'server.comments.replyNoSuggestion' });
    const updated = await this.change(
      comment,
      { ...patch, editedAt: this.clock.now() },
      { type: 'comment.edited', actorId: actor.id, detail: comment.body },
    );
    await this.notifier.edited(doc, comment, updated);
    return updated;
  }

  /** The author withdraws their own open comment (C4). */
  async withdraw(comment: CommentRecord, actor: UserRecord): Promise<CommentRecord> {
    this.assertAuthor(comment, actor);
    this.assertOpen(comment);
    return this.change(comment, { status: 'withdrawn' }, { type: 'comment.withdrawn', actorId: actor.id });
  }

  /** An editor or owner records what became of a thread, with a response (C5). */
  async dispose(comment: CommentRecord, actor: UserRecord, input: DispositionRequest): Promise<CommentRecord> {
    if (comment.parentId !== null) throw new BadRequestError({ key: 'server.comments.disposeThread' });
    if (comment.status === 'withdrawn') throw new AppError(ErrorCode.commentClosed, { key: 'server.comments.withdrawnByAuthor' });
    const status: Disposition = input.status;
    const updated = await this.change(
      comment,
      {
        status,
        response: input.response ?? null,
        disposedBy: status === 'open' ? null : { id: actor.id, name: actor.name },
        disposedAt: status === 'open' ? null : this.clock.now(),
      },
      { type: 'comment.disposed', actorId: actor.id, detail: `${comment.status} → ${status}` },
    );
    await this.audit(comment.documentId, {
      actorId: actor.id,
      action: 'comment.disposed',
      details: { commentId: comment.id, from: comment.status, to: status },
    });
    if (status !== 'open') await this.notifier.decided(updated, actor.id);
    return updated;
  }

  /**
   * Accepts a suggestion (C7): its text replaces the anchored passage as an
   * edit by the accepter, and the thread is marked accepted. The comment keeps
   * who suggested it; the update log keeps who applied it.
   */
  async acceptSuggestion(comment: CommentRecord, actor: UserRecord, response: string | undefined): Promise<CommentRecord> {
    if (comment.parentId !== null || comment.suggestion === null || !comment.anchor) {
      throw new BadRequestError({ key: 'server.comments.noSuggestion' });
    }
    if (comment.status !== 'open') throw closedAs(comment.status);
    const anchor = comment.anchor;
    const replacement = comment.suggestion;
    const { result, clientId } = await this.editDocument(comment.documentId, actor.id, (doc) =>
      replaceAnchoredText(doc, this.bodyField, anchor, replacement),
    );
    if (result !== 'applied') throw new AppError(ErrorCode.commentClosed, { key: SUGGESTION_PROBLEMS[result] });
    const updated = await this.change(
      comment,
      { status: 'accepted', response: response ?? null, disposedBy: { id: actor.id, name: actor.name }, disposedAt: this.clock.now() },
      { type: 'comment.disposed', actorId: actor.id, detail: `open → accepted; suggestion by ${comment.author.id} applied` },
    );
    await this.audit(comment.documentId, {
      actorId: actor.id,
      action: 'comment.accepted',
      // The client id ties the accepted text to the suggestion in diffs (V5).
      details: { commentId: comment.id, suggestedBy: comment.author.id, clientId },
    });
    await this.notifier.decided(updated, actor.id);
    return updated;
  }

  /** An owner or admin hides an abusive comment; the text stays in the record for moderators (C6). */
  async hide(comment: CommentRecord, actor: UserRecord, reason: string): Promise<CommentRecord> {
    const updated = await this.change(
      comment,
      { hidden: { reason, by: actor.id, at: this.clock.now() } },
      { type: 'comment.hidden', actorId: actor.id, detail: reason },
    );
    await this.audit(comment.documentId, { actorId: actor.id, action: 'comment.hidden', details: { commentId: comment.id, reason } });
    return updated;
  }

  async unhide(comment: CommentRecord, actor: UserRecord): Promise<CommentRecord> {
    const updated = await this.change(comment, { hidden: null }, { type: 'comment.unhidden', actorId: actor.id, detail: comment.hidden?.reason ?? null });
    await this.audit(comment.documentId, { actorId: actor.id, action: 'comment.unhidden', details: { commentId: comment.id } });
    return updated;
  }

  private newRecord(
    doc: DocumentRecord,
    author: UserRecord,
    fields: Pick<CommentRecord, 'parentId' | 'anchor' | 'body' | 'suggestion' | 'clientKey'>,
  ): CommentRecord {
    const now = this.clock.now();
    return {
      id: newId(),
      documentId: doc.id,
      // Attribution is copied from the account now, whatever the request said (C1).
      author: {
        id: author.id,
        name: author.name,
        organisation: author.organisation,
        stakeholderGroup: author.stakeholderGroup,
        region: author.region,
      },
      status: 'open',
      response: null,
      disposedBy: null,
      disposedAt: null,
      hidden: null,
      createdAt: now,
      updatedAt: now,
      editedAt: null,
      ...fields,
    };
  }

  private async write(comment: CommentRecord, op: () => Promise<number>): Promise<void> {
    const seq = await op();
    this.hub.publish(comment.documentId, seq);
  }

  private async change(comment: CommentRecord, patch: CommentPatch, event: NewCommentEvent): Promise<CommentRecord> {
    // The precondition the command checked (open, not hidden…) held for `comment` as read; the store
    // writes only if it is still that comment, in the same transaction (issue 15): a lost race is a 409.
    const seq = await this.store.update(comment.id, patch, event, this.clock.now(), comment);
    if (seq === null) throw new AppError(ErrorCode.commentChanged, { key: 'server.comments.changedMeanwhile' });
    this.hub.publish(comment.documentId, seq);
    return (await this.store.get(comment.id))!;
  }

  private assertAuthor(comment: CommentRecord, actor: UserRecord): void {
    if (comment.author.id !== actor.id) throw new ForbiddenError({ key: 'server.comments.onlyAuthor' });
  }

  private assertOpen(comment: CommentRecord): void {
    if (comment.status !== 'open') throw closedAs(comment.status);
    if (comment.hidden) throw new AppError(ErrorCode.commentClosed, { key: 'server.comments.hiddenByModerator' });
  }
}

/** True for a well-formed, canonically encoded Yjs relative position (base64). */
function isRelativePosition(base64: string): boolean {
  try {
    const bytes = Buffer.from(base64, 'base64');
    const again = Buffer.from(Y.encodeRelativePosition(Y.decodeRelativePosition(bytes)));
    return again.equals(bytes);
  } catch {
    return false;
  }
}

const SUGGESTION_PROBLEMS: Record<Exclude<ReplaceOutcome, 'applied'>, string> = {
  'passage-deleted': 'server.comments.passageDeleted',
  'spans-blocks': 'server.comments.spansBlocks',
  unsupported: 'server.comments.cannotReplace',
};

/** 409 `comment_closed` naming what became of the comment (its disposition, as the catalog words it). */
function closedAs(status: CommentRecord['status']): AppError {
  return new AppError(ErrorCode.commentClosed, { key: 'server.comments.closedAs', values: { status: { key: `comments.status.${status}` } } });
}
