import type { StakeholderGroup } from '@rapporteur/protocol';
import { parseStakeholderGroup } from '../stakeholder/stakeholder';

/** One person in a document, from their awareness state. */
export interface PresenceEntry {
  readonly clientId: number;
  /** Null when the client announced no name (e.g. a stock y-websocket client). */
  readonly name: string | null;
  /** `#rrggbb`, or null when missing or malformed. */
  readonly color: string | null;
  /** Null when not signed in, or not one of the known groups. */
  readonly stakeholderGroup: StakeholderGroup | null;
  readonly self: boolean;
}

const COLOR = /^#[0-9a-f]{6}$/i;
const MAX_NAME = 80;

/**
 * The people in a document: every awareness state, with the local client
 * first and the others by name. Remote states are untrusted: names are cut to
 * a sane length and colours not in `#rrggbb` form are dropped.
 */
export function presenceEntries(states: ReadonlyMap<number, unknown>, selfId: number): PresenceEntry[] {
  const entries: PresenceEntry[] = [];
  for (const [clientId, state] of states) {
    const user = typeof state === 'object' && state !== null ? (state as { user?: unknown }).user : undefined;
    const { name, color, stakeholderGroup } = typeof user === 'object' && user !== null ? (user as Record<string, unknown>) : {};
    const cleanName = typeof name === 'string' && name.trim() !== '' ? [...name.trim()].slice(0, MAX_NAME).join('') : null;
    entries.push({
      clientId,
      name: cleanName,
      color: typeof color === 'string' && COLOR.test(color) ? color : null,
      stakeholderGroup: parseStakeholderGroup(stakeholderGroup),
      self: clientId === selfId,
    });
  }
  return entries.sort((a, b) => {
    if (a.self !== b.self) return a.self ? -1 : 1;
    return (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.clientId - b.clientId;
  });
}

export function samePresence(a: readonly PresenceEntry[], b: readonly PresenceEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return y !== undefined && x.clientId === y.clientId && x.name === y.name && x.color === y.color && x.stakeholderGroup === y.stakeholderGroup && x.self === y.self;
    })
  );
}
