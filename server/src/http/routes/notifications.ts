import type { NotificationView } from '@rapporteur/protocol';
import { Router } from 'express';
import { NotFoundError } from '../../errors';
import type { Clock } from '../../lib/clock';
import type { AccountStore } from '../../storage/AccountStore';
import type { CommentStore } from '../../storage/CommentStore';
import type { DocumentStore } from '../../storage/DocumentStore';
import type { NotificationStore } from '../../storage/NotificationStore';
import { requirePrincipal } from '../authMiddleware';

export interface NotificationRoutesDeps {
  readonly notifications: NotificationStore;
  readonly store: DocumentStore;
  readonly commentStore: CommentStore;
  readonly accountStore: AccountStore;
  readonly clock: Clock;
}

const EXCERPT = 200;

/** `/api/notifications`: the signed-in person's mentions, replies and decisions (SPEC C10). */
export function notificationRoutes(deps: NotificationRoutesDeps): Router {
  const { notifications, store, commentStore, accountStore, clock } = deps;
  const router = Router();

  router.get('/notifications', async (_req, res) => {
    const me = requirePrincipal(res).user;
    const list = await notifications.listFor(me.id, 100);
    const views: NotificationView[] = [];
    for (const n of list) {
      const [doc, comment, actor] = await Promise.all([
        store.getDocument(n.documentId),
        commentStore.get(n.commentId),
        n.actorId ? accountStore.getUser(n.actorId) : null,
      ]);
      if (!doc || !comment) continue;
      views.push({
        id: n.id,
        kind: n.kind,
        document: { id: doc.id, title: doc.title },
        comment: {
          id: comment.id,
          parentId: comment.parentId,
          // A hidden comment's text is not repeated here.
          excerpt: comment.hidden ? '' : comment.body.slice(0, EXCERPT),
          status: comment.status,
        },
        actor: actor ? { id: actor.id, name: actor.name } : null,
        createdAt: new Date(n.createdAt).toISOString(),
        readAt: n.readAt === null ? null : new Date(n.readAt).toISOString(),
      });
    }
    res.json({ notifications: views, unread: await notifications.unreadCount(me.id) });
  });

  router.post('/notifications/:id/read', async (req, res) => {
    const me = requirePrincipal(res).user;
    if ((await notifications.markRead(me.id, req.params.id, clock.now())) === 0) throw new NotFoundError('Notification');
    res.status(204).end();
  });

  router.post('/notifications/read-all', async (_req, res) => {
    const me = requirePrincipal(res).user;
    await notifications.markRead(me.id, null, clock.now());
    res.status(204).end();
  });

  return router;
}
