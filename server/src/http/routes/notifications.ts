import { REMINDER_KINDS, type NotificationView, type ReminderKind, type ReminderView } from '@rapporteur/protocol';
import { Router } from 'express';
import { NotFoundError } from '../../errors';
import type { Clock } from '../../lib/clock';
import type { AccountStore } from '../../storage/AccountStore';
import type { CommentStore } from '../../storage/CommentStore';
import type { DocumentStore } from '../../storage/DocumentStore';
import type { EventStore, ReminderKey } from '../../storage/EventStore';
import type { NotificationStore } from '../../storage/NotificationStore';
import { requirePrincipal } from '../authMiddleware';

export interface NotificationRoutesDeps {
  readonly notifications: NotificationStore;
  readonly store: DocumentStore;
  readonly commentStore: CommentStore;
  readonly accountStore: AccountStore;
  readonly eventStore: EventStore;
  readonly clock: Clock;
}

const EXCERPT = 200;
const REMINDERS = 50;

/** A reminder's opaque id: `r.<session>.<kind>.<deadline ms>` (session ids hold no dot). */
function reminderId(r: Pick<ReminderKey, 'sessionId' | 'kind' | 'deadline'>): string {
  return `r.${r.sessionId}.${r.kind}.${r.deadline}`;
}

function parseReminderId(id: string): Omit<ReminderKey, 'userId'> | null {
  const m = /^r\.([A-Za-z0-9_-]{1,64})\.([a-z-]{1,20})\.(\d{1,16})$/.exec(id);
  if (!m || !(REMINDER_KINDS as readonly string[]).includes(m[2]!)) return null;
  return { sessionId: m[1]!, kind: m[2] as ReminderKind, deadline: Number(m[3]) };
}

/** `/api/notifications`: the signed-in person's mentions, replies and decisions (SPEC C10), and deadline reminders (EV12). */
export function notificationRoutes(deps: NotificationRoutesDeps): Router {
  const { notifications, store, commentStore, accountStore, eventStore, clock } = deps;

  // A reminder is about the person's own session (EV12): the report and event are named to them alone.
  const reminderViews = async (userId: string): Promise<ReminderView[]> => {
    const views: ReminderView[] = [];
    for (const r of await eventStore.listReminders(userId, REMINDERS)) {
      const session = await eventStore.getSession(r.sessionId);
      if (!session) continue;
      const [event, doc] = await Promise.all([eventStore.getEvent(session.eventId), store.getDocument(session.documentId)]);
      if (!event || !doc) continue;
      views.push({
        id: reminderId(r),
        kind: r.kind,
        event: { id: event.id, name: event.name },
        session: { id: session.id, code: session.code, title: session.title },
        document: { id: doc.id, title: doc.title },
        deadline: new Date(r.deadline).toISOString(),
        timeZone: doc.deadline?.timeZone ?? event.timeZone,
        createdAt: new Date(r.createdAt).toISOString(),
        readAt: r.readAt === null ? null : new Date(r.readAt).toISOString(),
      });
    }
    return views;
  };
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
    const [reminders, unreadNotifications, unreadReminders] = await Promise.all([
      reminderViews(me.id),
      notifications.unreadCount(me.id),
      eventStore.unreadReminders(me.id),
    ]);
    res.json({ notifications: views, reminders, unread: unreadNotifications + unreadReminders });
  });

  router.post('/notifications/:id/read', async (req, res) => {
    const me = requirePrincipal(res).user;
    const id = req.params.id;
    if (id.startsWith('r.')) {
      const key = parseReminderId(id);
      if (!key) throw new NotFoundError('Notification');
      // Already read is fine (as for notifications); only someone else's or no such reminder is 404.
      if ((await eventStore.markRemindersRead(me.id, clock.now(), key)) === 0 && !(await eventStore.listReminders(me.id, REMINDERS)).some((r) => reminderId(r) === id)) {
        throw new NotFoundError('Notification');
      }
    } else if ((await notifications.markRead(me.id, id, clock.now())) === 0) {
      throw new NotFoundError('Notification');
    }
    res.status(204).end();
  });

  router.post('/notifications/read-all', async (_req, res) => {
    const me = requirePrincipal(res).user;
    await notifications.markRead(me.id, null, clock.now());
    await eventStore.markRemindersRead(me.id, clock.now());
    res.status(204).end();
  });

  return router;
}
