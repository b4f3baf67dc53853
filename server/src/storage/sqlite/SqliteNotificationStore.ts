import type { DocumentId } from '@rapporteur/protocol';
import type { NotificationKind, NotificationRecord, NotificationStore } from '../NotificationStore';
import type { SqliteDatabase } from './openDatabase';

interface Row {
  id: string;
  user_id: string;
  kind: string;
  document_id: string;
  comment_id: string;
  actor_id: string | null;
  created_at: number;
  read_at: number | null;
}

export class SqliteNotificationStore implements NotificationStore {
  private readonly stmts;

  constructor(private readonly db: SqliteDatabase) {
    this.stmts = {
      insert: db.prepare(
        'INSERT INTO notifications (id, user_id, kind, document_id, comment_id, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      list: db.prepare<[string, number], Row>('SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id LIMIT ?'),
      unread: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL'),
      // Marking a read notification again is not an error: it keeps its first read time.
      readOne: db.prepare('UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE user_id = ? AND id = ?'),
      readAll: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL'),
    };
  }

  async add(notifications: readonly NotificationRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const n of notifications) this.stmts.insert.run(n.id, n.userId, n.kind, n.documentId, n.commentId, n.actorId, n.createdAt);
    })();
  }

  async listFor(userId: string, limit: number): Promise<NotificationRecord[]> {
    return this.stmts.list.all(userId, limit).map((r) => ({
      id: r.id,
      userId: r.user_id,
      kind: r.kind as NotificationKind,
      documentId: r.document_id as DocumentId,
      commentId: r.comment_id,
      actorId: r.actor_id,
      createdAt: r.created_at,
      readAt: r.read_at,
    }));
  }

  async unreadCount(userId: string): Promise<number> {
    return this.stmts.unread.get(userId)?.n ?? 0;
  }

  async markRead(userId: string, id: string | null, now: number): Promise<number> {
    return (id === null ? this.stmts.readAll.run(now, userId) : this.stmts.readOne.run(now, userId, id)).changes;
  }
}
