import * as z from 'zod';
import type { StakeholderGroup } from './domain';
import { lineText } from './text';

/** History, versions, diffs and audit (issue 8): request shapes and answers. */

/**
 * `POST /api/documents/:id/versions`. Other fields (an `author`, a
 * `createdBy`) are dropped: who named it comes from the session (V4).
 */
export const NameVersionRequest = z.object({ name: lineText({ min: 1, max: 200 }) });
export type NameVersionRequest = z.infer<typeof NameVersionRequest>;

/** A point in history: a version id, a history entry id (`h<seq>`), or `current`. */
export const HistoryPoint = z.string().min(1).max(100);

/** `GET /api/documents/:id/diff?from=&to=`. */
export const DiffQuery = z.strictObject({ from: HistoryPoint, to: HistoryPoint.default('current') });

/** `GET /api/documents/:id/history?before=&limit=`. */
export const HistoryQuery = z.strictObject({
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `GET /api/documents/:id/audit?before=&limit=`. */
export const AuditQuery = z.strictObject({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** Who did it, from the server's records (account id → profile now). */
export interface HistoryAuthor {
  readonly id: string;
  readonly name: string;
  readonly stakeholderGroup: StakeholderGroup;
}

export interface VersionView {
  readonly id: string;
  readonly name: string;
  readonly kind: 'named' | 'restore';
  /** For a restore: the point restored (a version id or a history entry id). */
  readonly restoredFrom: string | null;
  readonly createdAt: string;
  readonly createdBy: HistoryAuthor | null;
}

export interface DiffChange {
  readonly type: 'insert' | 'delete';
  readonly text: string;
  /** Null for text written before accounts existed. */
  readonly author: HistoryAuthor | null;
  /** Text that came from an accepted suggestion: who suggested it (the edit is the accepter's). */
  readonly suggestedBy?: HistoryAuthor | null;
  /** The `blockId` of the block holding the text, if any. */
  readonly block: string | null;
  /** Index into the diff's `sections`: the heading the text comes under; null before the first heading. */
  readonly section: number | null;
}

/** A heading of the compared text, for the per-section summary of a diff. */
export interface DiffSectionView {
  /** The heading's `blockId`, if it has one. */
  readonly block: string | null;
  /** Its text as it reads at `to` (as it was, if the heading itself was deleted). */
  readonly heading: string;
}

/** `GET /api/documents/:id/diff`. */
export interface DiffView {
  readonly changes: DiffChange[];
  /** Every heading at `to`, in document order; changes refer to them by index. */
  readonly sections: DiffSectionView[];
}

export interface HistoryEntry {
  /** A point in history: usable as `from`/`to` of a diff, or restored. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** The entry's author; where people writing in turn were compacted into one entry (S2), the latest of `authors`. */
  readonly author: HistoryAuthor | null;
  /** Everyone who wrote in the entry, the latest first: one author unless compaction merged people writing in turn. */
  readonly authors: ReadonlyArray<HistoryAuthor | null>;
  /** Stored updates in the entry. */
  readonly changes: number;
}

export interface AuditEventView {
  readonly id: number;
  readonly at: string;
  readonly actor: HistoryAuthor | null;
  readonly action: string;
  readonly details: Readonly<Record<string, unknown>>;
}
