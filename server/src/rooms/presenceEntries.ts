import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One client's entry in an awareness update. */
export interface PresenceEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: unknown;
}

/**
 * Rewrites an awareness update (y-protocols format: count, then per client
 * its id, clock and JSON state) entry by entry: `map` returns the entry to
 * keep (possibly changed) or null to drop it. Null when the update is
 * malformed.
 */
export function mapPresenceEntries(update: Uint8Array, map: (entry: PresenceEntry) => PresenceEntry | null): Uint8Array | null {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: PresenceEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state: unknown = JSON.parse(decoding.readVarString(decoder));
      const kept = map({ clientId, clock, state });
      if (kept) entries.push(kept);
    }
    if (decoding.hasContent(decoder)) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, entries.length);
    for (const e of entries) {
      encoding.writeVarUint(encoder, e.clientId);
      encoding.writeVarUint(encoder, e.clock);
      encoding.writeVarString(encoder, JSON.stringify(e.state));
    }
    return encoding.toUint8Array(encoder);
  } catch {
    return null;
  }
}
