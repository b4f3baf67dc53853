import type { DocumentId } from '@rapporteur/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { NotificationKind, NotificationRecord, NotificationStore } from '../NotificationStore';
import type { NotificationsTable, Tables } from './tables';

function toRecord(r: Selectable<NotificationsTable>): NotificationRecord {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind as NotificationKind,
    documentId: r.document_id as DocumentId,
    commentId: r.comment_id,
    actorId: r.actor_id,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

/** NotificationStore on SQLite or PostgreSQL (table `notifications`). */
export class SqlNotificationStore implements NotificationStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async add(notifications: readonly NotificationRecord[]): Promise<void> {
    if (notifications.length === 0) return;
    // One statement: all or none.
    await this.db
      .insertInto('notifications')
      .values(
        notifications.map((n) => ({
          id: n.id,
          user_id: n.userId,
          kind: n.kind,
          document_id: n.documentId,
          comment_id: n.commentId,
          actor_id: n.actorId,
          created_at: n.createdAt,
        })),
      )
      .execute();
  }

  async listFor(userId: string, limit: number): Promise<NotificationRecord[]> {
    const rows = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async unreadCount(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async markRead(userId: string, id: string | null, now: number): Promise<number> {
    const result =
      id === null
        ? await this.db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst()
        : // Marking a read notification again is not an error: it keeps its first read time.
          await this.db
            .updateTable('notifications')
            .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(now)) }))
            .where('user_id', '=', userId)
            .where('id', '=', id)
            .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
