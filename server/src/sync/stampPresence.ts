import type { Region, StakeholderGroup } from '@rapporteur/protocol';
import { mapPresenceEntries } from '../rooms/presenceEntries';

/** Who the server knows is behind a socket, as presence shows them. */
export interface PresenceIdentity {
  readonly userId: string;
  readonly name: string;
  readonly organisation: string | null;
  readonly stakeholderGroup: StakeholderGroup;
  readonly region: Region;
}

/** Fields of a presence `user` object that only the server may set. */
const STAMPED = ['userId', 'name', 'organisation', 'stakeholderGroup', 'region'] as const;

/**
 * Rewrites an awareness update (y-protocols format: count, then per client
 * its id, clock and JSON state) so that the identity in each state's `user`
 * comes from the account, not from the client (SPEC A7): a signed-in
 * person's name, organisation, stakeholder group and region are the
 * server's; an anonymous reader's claims of them are dropped (their chosen
 * display name stays, marked `anonymous`). Other fields (colour, cursor)
 * pass through. Entries for client ids `allowed` rejects are dropped.
 * Returns null when the update is malformed.
 */
export function stampPresence(
  update: Uint8Array,
  identity: PresenceIdentity | null,
  allowed: (clientId: number) => boolean,
): Uint8Array | null {
  return mapPresenceEntries(update, (e) => (allowed(e.clientId) ? { ...e, state: stamp(e.state, identity) } : null));
}

function stamp(state: unknown, identity: PresenceIdentity | null): unknown {
  // null means "this client left": nothing to stamp.
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return state;
  const s = state as Record<string, unknown>;
  const claimed = s.user !== null && typeof s.user === 'object' && !Array.isArray(s.user) ? (s.user as Record<string, unknown>) : {};
  const user: Record<string, unknown> = { ...claimed };
  for (const key of STAMPED) delete user[key];
  if (identity) {
    Object.assign(user, {
      userId: identity.userId,
      name: identity.name,
      organisation: identity.organisation,
      stakeholderGroup: identity.stakeholderGroup,
      region: identity.region,
    });
    delete user.anonymous;
  } else {
    user.name = typeof claimed.name === 'string' ? claimed.name.slice(0, 80) : 'Anonymous';
    user.anonymous = true;
  }
  return { ...s, user };
}
