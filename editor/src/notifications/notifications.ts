import type { NotificationView } from '@rapporteur/protocol';

/** Where a notification leads: its document, with the comment selected (`?comment=`; a reply selects its thread). */
export function notificationPath(n: Pick<NotificationView, 'document' | 'comment'>): string {
  return `/d/${encodeURIComponent(n.document.id)}?comment=${encodeURIComponent(n.comment.id)}`;
}
