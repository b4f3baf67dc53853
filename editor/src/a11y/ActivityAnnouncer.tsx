import { intlLocale } from '@rapporteur/i18n/languages';
import type { Connection } from '@rapporteur/client';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as Y from 'yjs';
import type { CommentsController } from '../comments/controller';
import { type Activity, ActivityDigest, type ActivitySummary, isEmptySummary } from './activity';

/** How often the digest is asked whether something should be said. */
const TICK_MS = 1_000;

/**
 * A polite live region that tells screen-reader users what others did:
 * edits (named from the writers' awareness), arrivals and departures, and new
 * comments — batched by `ActivityDigest`, quiet while the person types. What
 * was there when the page opened is not news and is not announced.
 */
export function ActivityAnnouncer({ connection, comments, userId }: { connection: Connection; comments: CommentsController | null; userId: string | null }) {
  const { t, i18n } = useTranslation();
  const [message, setMessage] = useState('');

  useEffect(() => {
    const digest = new ActivityDigest();
    const add = (activity: Activity): void => digest.add(activity, Date.now());
    const { doc, provider, awareness } = connection;
    type UserState = { user?: { name?: unknown } };
    const nameOf = (client: number): string | null => {
      const name = (awareness.getStates().get(client) as UserState | undefined)?.user?.name;
      return typeof name === 'string' && name.trim() !== '' ? name : null;
    };

    // Edits that came over the socket after the first sync (before it: the document as it was).
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin !== provider || !connection.status.synced) return;
      const clients = [...Y.parseUpdateMeta(update).from.keys()].filter((c) => c !== doc.clientID);
      const names = new Set(clients.map(nameOf));
      for (const who of names) add({ kind: 'edit', who });
    };
    doc.on('update', onUpdate);

    // Arrivals and departures, once the people already there are known.
    const known = new Map<number, string | null>();
    let baseline = false;
    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
      for (const c of [...added, ...updated]) if (c !== doc.clientID) known.set(c, nameOf(c));
      if (!baseline) return;
      for (const c of added) if (c !== doc.clientID) add({ kind: 'joined', who: nameOf(c) });
      for (const c of removed) {
        if (c === doc.clientID) continue;
        add({ kind: 'left', who: known.get(c) ?? null });
        known.delete(c);
      }
    };
    awareness.on('change', onAwareness);
    const settle = window.setTimeout(() => (baseline = true), 3_000);

    // New comments by others, after the first full list.
    const seen = new Set<string>();
    let listed = false;
    const onComments = (): void => {
      if (!comments) return;
      const snapshot = comments.store.getSnapshot();
      if (snapshot.status !== 'ready') return;
      for (const c of snapshot.comments) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        if (listed && c.author.id !== userId) add({ kind: 'comment', who: c.author.name });
      }
      listed = true;
    };
    const unsubscribeComments = comments?.store.subscribe(onComments);
    onComments();

    const onKey = (): void => digest.typed(Date.now());
    window.addEventListener('keydown', onKey, true);
    const timer = window.setInterval(() => {
      const summary = digest.take(Date.now());
      if (!summary || isEmptySummary(summary)) return;
      // Cleared first, so the same words are announced again.
      setMessage('');
      window.setTimeout(() => setMessage(describe(summary)), 50);
    }, TICK_MS);

    const list = (names: readonly string[]): string => new Intl.ListFormat(intlLocale(i18n.language), { type: 'conjunction' }).format(names);
    const describe = (s: ActivitySummary): string =>
      [
        s.editors.length > 0 ? t('activity.edited', { names: list(s.editors), count: s.editors.length }) : null,
        s.someoneEdited ? t('activity.someoneEdited') : null,
        s.joined.length > 0 ? t('activity.joined', { names: list(s.joined), count: s.joined.length }) : null,
        s.left.length > 0 ? t('activity.left', { names: list(s.left), count: s.left.length }) : null,
        ...s.comments.map((c) => (c.who ? t('activity.comments', { count: c.count, name: c.who }) : t('activity.commentsUnnamed', { count: c.count }))),
      ]
        .filter((line): line is string => line !== null)
        .join(' ');

    return () => {
      doc.off('update', onUpdate);
      awareness.off('change', onAwareness);
      unsubscribeComments?.();
      window.removeEventListener('keydown', onKey, true);
      window.clearInterval(timer);
      window.clearTimeout(settle);
    };
  }, [connection, comments, userId, t, i18n.language]);

  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="activity-announcer">
      {message}
    </div>
  );
}
