import type { Connection } from '@rapporteur/client/connect';
import { useCallback, useId, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { StakeholderBadge } from '../stakeholder/StakeholderBadge';
import { type PresenceEntry, presenceEntries, samePresence } from './presence';

function usePresence(connection: Connection): readonly PresenceEntry[] {
  const { awareness } = connection;
  const snapshot = useRef<readonly PresenceEntry[]>([]);
  const read = useCallback((): readonly PresenceEntry[] => {
    const next = presenceEntries(awareness.getStates(), awareness.clientID);
    // Cursor moves change awareness too; keep the same array unless the list changed.
    if (!samePresence(snapshot.current, next)) snapshot.current = next;
    return snapshot.current;
  }, [awareness]);
  const subscribe = useCallback(
    (onChange: () => void) => {
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    [awareness],
  );
  return useSyncExternalStore(subscribe, read);
}

/** Who is in the document, each with the colour of their caret and their stakeholder group; yourself first. */
export function Presence({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const people = usePresence(connection);
  const headingId = useId();
  return (
    <section className="presence" aria-labelledby={headingId}>
      <h2 id={headingId} className="presence__heading">
        {t('presence.heading')} <span className="presence__count">({t('presence.count', { count: people.length })})</span>
      </h2>
      <ul className="presence__list" data-testid="presence">
        {people.map((p) => {
          const name = p.name ?? t('presence.anonymous');
          return (
            <li key={p.clientId} className="presence__person" data-self={p.self || undefined}>
              <span className="swatch" style={{ backgroundColor: p.color ?? 'transparent' }} aria-hidden="true" />
              <span className="presence__name">{p.self ? t('presence.you', { name }) : name}</span>
              {p.stakeholderGroup && <StakeholderBadge group={p.stakeholderGroup} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
