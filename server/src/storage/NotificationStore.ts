import type { DocumentId, NotificationKind } from '@rapporteur/protocol';

export type { NotificationKind };

export interface NotificationRecord {
  readonly id: string;
  readonly userId: string;
  readonly kind: NotificationKind;
  readonly documentId: DocumentId;
  readonly commentId: string;
  readonly actorId: string | null;
  readonly createdAt: number;
  readonly readAt: number | null;
}

/** Per-person notifications about comments. */
export interface NotificationStore {
  add(notifications: readonly NotificationRecord[]): Promise<void>;
  /** Newest first, at most `limit`. */
  listFor(userId: string, limit: number): Promise<NotificationRecord[]>;
  unreadCount(userId: string): Promise<number>;
  /**
   * Marks one (or, without `id`, all) of the user's notifications read; an
   * already-read one keeps its time. Returns how many matched (0: no such
   * notification of this user).
   */
  markRead(userId: string, id: string | null, now: number): Promise<number>;
}
