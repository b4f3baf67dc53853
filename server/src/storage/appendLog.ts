import type { DocumentId, DocumentStatus } from '@rapporteur/protocol';
import type { NewMarkerEvent, NewUpdate, StatusMove } from './DocumentStore';

/** What one `appendUpdates` call resolves to. */
export type AppendResult = { lastSeq: number; statusMove?: StatusMove };

/** One `appendUpdates` call waiting for its group commit. */
export interface PendingAppend {
  readonly id: DocumentId;
  readonly updates: readonly NewUpdate[];
  readonly now: number;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * How a store writes the update log (SPEC S2, S3, S10, S11): appends made in
 * one turn share a transaction (group commit) and resolve only once durable.
 * The one part of the document store written per dialect, because durability
 * is reached differently: SQLite commits on a connection of its own and syncs
 * the write-ahead log off the event loop (sqlite/SqliteAppendLog); PostgreSQL
 * is durable at commit and serialises a document's appends on its row
 * (sql/PostgresAppendLog).
 */
export interface AppendLog {
  append(id: DocumentId, updates: readonly NewUpdate[], now: number): Promise<AppendResult>;
  /** Writes what is queued, refuses further appends, and resolves once every append made is settled. */
  close(): Promise<void>;
}

/** Statuses an edit moves to revising (SPEC WF5); policy.ts `DONE_STATUSES`. */
export const DONE_STATUSES: readonly DocumentStatus[] = ['final', 'published'];

/** The status move and its audit details when an append reopens a done document (WF5), or null. */
export function reopening(
  status: string | undefined,
  firstSeq: number,
): { readonly move: StatusMove; readonly details: Record<string, unknown> } | null {
  if (status !== 'final' && status !== 'published') return null;
  const move: StatusMove = { from: status, to: 'revising' };
  return { move, details: { ...move, cause: 'edit', seq: firstSeq } };
}

/** The audit event of a marker change (SPEC K1): its action and details. */
export function markerAudit(m: NewMarkerEvent, seq: number): { readonly action: string; readonly details: Record<string, unknown> } {
  return {
    action: m.marker ? 'marker.set' : 'marker.removed',
    details: {
      blockId: m.blockId,
      level: m.marker?.level ?? null,
      previousLevel: m.previous?.level ?? null,
      ...(m.cause === 'block-deleted' ? { blockDeleted: true } : {}),
      seq,
    },
  };
}

/**
 * Appends grouped by document, each group in call order: when a shared
 * transaction fails, each document is written alone so one document's
 * failure does not fail the others' (SPEC S11).
 */
export function byDocument(batch: readonly PendingAppend[]): PendingAppend[][] {
  const groups = new Map<string, PendingAppend[]>();
  for (const item of batch) {
    const group = groups.get(item.id);
    if (group) group.push(item);
    else groups.set(item.id, [item]);
  }
  return [...groups.values()];
}

/** Client-id bindings remembered per store before the memory is cleared (about 10 MB of keys). */
export const MAX_KNOWN_BINDINGS = 100_000;

/**
 * Client-id bindings (document, client id) a store wrote or found written,
 * so an append skips them: a client id is bound once per document (its first
 * author keeps it), and rewriting known bindings was most of a flush's writes.
 */
export class KnownBindings {
  private readonly keys = new Set<string>();

  /** The bindings of `updates` not known yet, each once. */
  unknown(id: DocumentId, updates: readonly NewUpdate[]): Array<{ readonly clientId: number; readonly userId: string; readonly key: string }> {
    const out: Array<{ clientId: number; userId: string; key: string }> = [];
    const seen = new Set<string>();
    for (const u of updates) {
      if (!u.author) continue;
      for (const c of u.clientIds) {
        const key = `${id}\u0000${c}`;
        if (this.keys.has(key) || seen.has(key)) continue;
        seen.add(key);
        out.push({ clientId: c, userId: u.author, key });
      }
    }
    return out;
  }

  /** Remembers bindings once their transaction committed. */
  remember(keys: readonly string[]): void {
    if (this.keys.size + keys.length > MAX_KNOWN_BINDINGS) this.keys.clear();
    for (const key of keys) this.keys.add(key);
  }
}
