import type { DocumentId } from '@rapporteur/protocol';
import type { DocumentStore } from '../storage/DocumentStore';

/** Edits by one author further apart than this start a new entry of the timeline. */
export const SESSION_GAP_MS = 5 * 60_000;

const PAGE = 1_000;

/** One edit session: consecutive log records by one author without a long pause or a version between. */
export interface TimelineEntry {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly author: string | null;
  readonly fromAt: number;
  readonly toAt: number;
  /** Sequence numbers covered (stored updates). */
  readonly changes: number;
}

/**
 * Up to `limit` edit sessions ending before `beforeSeq`, newest first, and
 * the seq to continue from (null at the beginning of the log). Sessions are
 * decided by neighbouring records only, so pages join without gaps or
 * overlaps; a version's seq always ends a session (V2).
 */
export async function timeline(
  store: DocumentStore,
  id: DocumentId,
  options: { beforeSeq: number; limit: number; boundaries: ReadonlySet<number> },
): Promise<{ entries: TimelineEntry[]; nextBeforeSeq: number | null }> {
  const entries: TimelineEntry[] = [];
  let current: { -readonly [K in keyof TimelineEntry]: TimelineEntry[K] } | null = null;
  let cursor = options.beforeSeq;
  for (;;) {
    const rows = await store.listLogMeta(id, cursor, PAGE);
    for (const r of rows) {
      if (current && r.author === current.author && current.fromAt - r.createdAt <= SESSION_GAP_MS && !options.boundaries.has(r.seq)) {
        current.firstSeq = r.firstSeq;
        current.fromAt = r.firstCreatedAt;
        current.changes += r.seq - r.firstSeq + 1;
        continue;
      }
      if (current) {
        entries.push(current);
        if (entries.length === options.limit) return { entries, nextBeforeSeq: current.firstSeq };
      }
      current = { firstSeq: r.firstSeq, lastSeq: r.seq, author: r.author, fromAt: r.firstCreatedAt, toAt: r.createdAt, changes: r.seq - r.firstSeq + 1 };
    }
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1]!.seq;
  }
  if (current) entries.push(current);
  return { entries, nextBeforeSeq: null };
}
