// Loaded with the first page: the HTTP client and types only (no protocol values, no zod).
import { ApiError, type NotificationList } from '@rapporteur/client/http';
import type { NotificationView, ReminderView } from '@rapporteur/protocol';
import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage, useApi } from '../api/ApiContext';
import { plainBody } from '../comments/text';
import { formatDate } from '../formatDate';
import { notificationPath } from './notifications';

/** How often the unread count is refreshed while the page is open (also on focus). */
const POLL_MS = 60_000;

/** `stale`: the last refresh failed (offline, say); the list shown is the one before. */
type State = { kind: 'loading' } | { kind: 'loaded'; list: NotificationList; stale: string | null } | { kind: 'error'; message: string };

function NotificationItem({ n, onOpen }: { n: NotificationView; onOpen: (n: NotificationView) => void }) {
  const { t, i18n } = useTranslation();
  const actor = n.actor?.name ?? t('notifications.someone');
  const what =
    n.kind === 'mention'
      ? t('notifications.mention', { actor, title: n.document.title })
      : n.kind === 'reply'
        ? t('notifications.reply', { actor, title: n.document.title })
        : t('notifications.disposition', { actor, title: n.document.title, status: t(`comments.status.${n.comment.status}`) });
  const unread = n.readAt === null;
  return (
    <li className={`notification${unread ? ' notification--unread' : ''}`} data-testid="notification" data-kind={n.kind} data-unread={unread || undefined}>
      <Link to={notificationPath(n)} className="notification__link" onClick={() => onOpen(n)}>
        <span className="notification__what">
          {unread && <span className="visually-hidden">{t('notifications.unreadMark')} </span>}
          {what}
        </span>
        {n.comment.excerpt && <span className="notification__excerpt">{plainBody(n.comment.excerpt)}</span>}
        <time className="notification__time" dateTime={n.createdAt}>
          {formatDate(i18n.language, n.createdAt)}
        </time>
      </Link>
    </li>
  );
}

/** A deadline on the event's clock, naming the zone (dateStyle cannot be combined with timeZoneName). */
const DEADLINE_FORMAT: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };

/** A deadline reminder (SPEC EV12): the session, when its report is due on the event's clock, and a link to the report. */
function ReminderItem({ r, onOpen }: { r: ReminderView; onOpen: (id: string, readAt: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const unread = r.readAt === null;
  const vars = { session: r.session.code, title: r.session.title, when: formatDate(i18n.language, r.deadline, { ...DEADLINE_FORMAT, timeZone: r.timeZone }) };
  return (
    <li className={`notification notification--reminder${unread ? ' notification--unread' : ''}`} data-testid="reminder" data-kind={r.kind} data-unread={unread || undefined}>
      <Link to={`/d/${encodeURIComponent(r.document.id)}`} className="notification__link" onClick={() => onOpen(r.id, r.readAt)}>
        <span className="notification__what">
          {unread && <span className="visually-hidden">{t('notifications.unreadMark')} </span>}
          {r.kind === 'overdue' ? t('notifications.reminder.overdue', vars) : t('notifications.reminder.dueSoon', vars)}
        </span>
        <span className="notification__excerpt">{r.event.name}</span>
        <time className="notification__time" dateTime={r.createdAt}>
          {formatDate(i18n.language, r.createdAt)}
        </time>
      </Link>
    </li>
  );
}

/**
 * The header's notifications: a button with the unread count (fetched at
 * start, every minute and when the window regains focus) that opens the
 * list — deadline reminders of the sessions one reports on first, then
 * mentions, replies to one's threads and decisions on one's comments — each
 * linking to its report or thread. Opening one marks it read.
 */
export function NotificationsButton() {
  const { t } = useTranslation();
  const api = useApi();
  const ids = { panel: useId(), heading: useId() };
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [open, setOpen] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const stopped = useRef(false);

  const refresh = useCallback(async () => {
    if (stopped.current) return;
    try {
      const list = await api.listNotifications();
      setState({ kind: 'loaded', list, stale: null });
    } catch (e) {
      // Signed out meanwhile: stop asking (the page that needs the session says so).
      if (e instanceof ApiError && e.status === 401) stopped.current = true;
      setState((s) => (s.kind === 'loaded' ? { ...s, stale: errorMessage(e) } : { kind: 'error', message: errorMessage(e) }));
    }
  }, [api]);

  useEffect(() => {
    stopped.current = false;
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    const onFocus = (): void => void refresh();
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') void refresh();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refresh]);

  // Opening the list fetches it fresh; a click elsewhere closes it.
  useEffect(() => {
    if (!open) return;
    void refresh();
    const onPointer = (event: PointerEvent): void => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open, refresh]);

  const unread = state.kind === 'loaded' ? state.list.unread : 0;
  const markRead = (id: string, wasRead: string | null): void => {
    setOpen(false);
    if (wasRead !== null) return;
    const readAt = new Date().toISOString();
    setState((s) =>
      s.kind === 'loaded'
        ? {
            ...s,
            list: {
              unread: Math.max(0, s.list.unread - 1),
              notifications: s.list.notifications.map((x) => (x.id === id ? { ...x, readAt } : x)),
              reminders: s.list.reminders.map((x) => (x.id === id ? { ...x, readAt } : x)),
            },
          }
        : s,
    );
    api.markNotificationRead(id).catch(() => void refresh());
  };
  const markAllRead = async (): Promise<void> => {
    setActionError(null);
    try {
      await api.markAllNotificationsRead();
      await refresh();
    } catch (e) {
      setActionError(t('notifications.markAllError', { message: errorMessage(e) }));
    }
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    }
  };

  return (
    <div className="notifications" onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="button button--small notifications__button"
        aria-expanded={open}
        aria-controls={ids.panel}
        aria-label={unread > 0 ? t('notifications.buttonUnread', { count: unread }) : t('notifications.button')}
        onClick={() => setOpen(!open)}
        data-testid="notifications-button"
        data-unread={unread}
      >
        {t('notifications.button')}
        {unread > 0 && (
          <span className="notifications__count" aria-hidden="true" data-testid="notifications-count">
            {unread}
          </span>
        )}
      </button>
      <div ref={panelRef} id={ids.panel} className="notifications__panel" role="region" aria-labelledby={ids.heading} hidden={!open} data-testid="notifications-list">
        <div className="notifications__header">
          <h2 id={ids.heading} className="notifications__heading">
            {t('notifications.heading')}
          </h2>
          {unread > 0 && (
            <button type="button" className="button button--small" onClick={() => void markAllRead()} data-testid="notifications-read-all">
              {t('notifications.markAllRead')}
            </button>
          )}
        </div>
        {actionError && (
          <p className="field__error" role="alert">
            {actionError}
          </p>
        )}
        {state.kind === 'loading' && <p className="notifications__empty">{t('notifications.loading')}</p>}
        {state.kind === 'loaded' && state.stale && (
          <p className="notifications__empty" data-testid="notifications-stale">
            {t('notifications.stale', { message: state.stale })}
          </p>
        )}
        {state.kind === 'error' && (
          <p className="field__error" role="alert">
            {t('notifications.loadError', { message: state.message })}
          </p>
        )}
        {state.kind === 'loaded' && state.list.notifications.length === 0 && state.list.reminders.length === 0 && (
          <p className="notifications__empty" data-testid="notifications-empty">
            {t('notifications.empty')}
          </p>
        )}
        {state.kind === 'loaded' && state.list.reminders.length > 0 && (
          <ul className="notifications__list" aria-label={t('notifications.remindersLabel')} data-testid="reminders-list">
            {state.list.reminders.map((r) => (
              <ReminderItem key={r.id} r={r} onOpen={markRead} />
            ))}
          </ul>
        )}
        {state.kind === 'loaded' && state.list.notifications.length > 0 && (
          <ul className="notifications__list">
            {state.list.notifications.map((n) => (
              <NotificationItem key={n.id} n={n} onOpen={(x) => markRead(x.id, x.readAt)} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
