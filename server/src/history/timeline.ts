import type { DocumentId } from '@rapporteur/protocol';
import type { DocumentStore } from '../storage/DocumentStore';

/** Edits by one author further apart than this start a new entry of the timeline. */
export const SESSION_GAP_MS = 5 * 60_000;

const PAGE = 1_000;

/**
 * One edit session: consecutive log records by one author (or, where
 * compaction merged people writing in turn, by the same few authors) without
 * a long pause or a version between.
 */
export interface TimelineEntry {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Who wrote in it: one author, or several where the log holds their turns as one span (S2); the latest first. */
  readonly authors: ReadonlyArray<string | null>;
  readonly fromAt: number;
  readonly toAt: number;
  /** Sequence numbers covered (stored updates). */
  readonly changes: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The log newest first as spans: a single record, or the records compaction
 * wrote for one span (sharing a first seq, one per author; S2). Only the
 * ends of spans are points in history.
 */
async function* spans(store: DocumentStore, id: DocumentId, beforeSeq: number): AsyncGenerator<TimelineEntry> {
  let span: Mutable<TimelineEntry> & { authors: Array<string | null> } | null = null;
  let cursor = beforeSeq;
  for (;;) {
    const rows = await store.listLogMeta(id, cursor, PAGE);
    for (const r of rows) {
      if (span && r.firstSeq === span.firstSeq) {
        if (!span.authors.includes(r.author)) span.authors.push(r.author);
        span.fromAt = Math.min(span.fromAt, r.firstCreatedAt);
        span.toAt = Math.max(span.toAt, r.createdAt);
        continue;
      }
      if (span) yield span;
      span = { firstSeq: r.firstSeq, lastSeq: r.seq, authors: [r.author], fromAt: r.firstCreatedAt, toAt: r.createdAt, changes: r.seq - r.firstSeq + 1 };
    }
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1]!.seq;
  }
  if (span) yield span;
}

function sameAuthors(a: ReadonlyArray<string | null>, b: ReadonlyArray<string | null>): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Up to `limit` edit sessions ending before `beforeSeq`, newest first, and
 * the seq to continue from (null at the beginning of the log). Sessions are
 * decided by neighbouring spans only, so pages join without gaps or
 * overlaps; a version's seq always ends a session (V2).
 */
export async function timeline(
  store: DocumentStore,
  id: DocumentId,
  options: { beforeSeq: number; limit: number; boundaries: ReadonlySet<number> },
): Promise<{ entries: TimelineEntry[]; nextBeforeSeq: number | null }> {
  const entries: TimelineEntry[] = [];
  let current: Mutable<TimelineEntry> | null = null;
  for await (const s of spans(store, id, options.beforeSeq)) {
    if (current && sameAuthors(s.authors, current.authors) && current.fromAt - s.toAt <= SESSION_GAP_MS && !options.boundaries.has(s.lastSeq)) {
      current.firstSeq = s.firstSeq;
      current.fromAt = Math.min(current.fromAt, s.fromAt);
      current.changes += s.lastSeq - s.firstSeq + 1;
      continue;
    }
    if (current) {
      entries.push(current);
      if (entries.length === options.limit) return { entries, nextBeforeSeq: current.firstSeq };
    }
    current = { ...s, changes: s.lastSeq - s.firstSeq + 1 };
  }
  if (current) entries.push(current);
  return { entries, nextBeforeSeq: null };
}
