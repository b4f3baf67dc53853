import { mentionedUserIds } from '@rapporteur/protocol';
import { roleFor } from '../auth/documentRole';
import { roleAllows } from '../auth/policy';
import { newId } from '../auth/secrets';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { AccountStore } from '../storage/AccountStore';
import type { CommentRecord } from '../storage/CommentStore';
import type { DocumentRecord, DocumentStore } from '../storage/DocumentStore';
import type { NotificationRecord, NotificationStore } from '../storage/NotificationStore';

/**
 * Decides who should hear about a comment (SPEC C10): people it mentions
 * (only those who may read the document), the author of the thread a reply
 * joins, and the author of a comment that was decided on. Nobody is told
 * about their own action. A failure here never fails the comment itself.
 */
export class Notifier {
  constructor(
    private readonly notifications: NotificationStore,
    private readonly documents: DocumentStore,
    private readonly accounts: AccountStore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async created(doc: DocumentRecord, comment: CommentRecord, thread: CommentRecord | null): Promise<void> {
    await this.safely(async () => {
      const out = await this.mentions(doc, comment, new Set());
      if (thread && thread.author.id !== comment.author.id && !out.has(thread.author.id)) {
        out.set(thread.author.id, this.record(thread.author.id, 'reply', comment, comment.author.id));
      }
      if (out.size > 0) await this.notifications.add([...out.values()]);
    });
  }

  /** An edit notifies only the people it newly mentions. */
  async edited(doc: DocumentRecord, before: CommentRecord, after: CommentRecord): Promise<void> {
    await this.safely(async () => {
      const out = await this.mentions(doc, after, new Set(mentionedUserIds(before.body)));
      if (out.size > 0) await this.notifications.add([...out.values()]);
    });
  }

  private async mentions(doc: DocumentRecord, comment: CommentRecord, already: ReadonlySet<string>): Promise<Map<string, NotificationRecord>> {
    const out = new Map<string, NotificationRecord>();
    for (const userId of mentionedUserIds(comment.body)) {
      if (userId === comment.author.id || already.has(userId)) continue;
      const user = await this.accounts.getUser(userId);
      if (!user || user.disabled || !roleAllows(await roleFor(this.documents, user, doc, this.clock.now()), 'read')) continue;
      out.set(userId, this.record(userId, 'mention', comment, comment.author.id));
    }
    return out;
  }

  async decided(comment: CommentRecord, actorId: string): Promise<void> {
    if (comment.author.id === actorId) return;
    await this.safely(() => this.notifications.add([this.record(comment.author.id, 'disposition', comment, actorId)]));
  }

  private record(userId: string, kind: NotificationRecord['kind'], comment: CommentRecord, actorId: string): NotificationRecord {
    return {
      id: newId(),
      userId,
      kind,
      documentId: comment.documentId,
      commentId: comment.id,
      actorId,
      createdAt: this.clock.now(),
      readAt: null,
    };
  }

  private async safely(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.log.error({ err: error }, 'could not record notifications');
    }
  }
}
