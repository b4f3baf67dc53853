import crypto from 'node:crypto';
import type { SegmentStatus } from '@rapporteur/protocol';
import type { Segment } from '@rapporteur/schema';
import type { SegmentRecord } from '../storage/DocumentStore';

/** A paragraph's words as stored beside its status: SHA-256 of its fingerprint (SPEC LT5). */
export function segmentHash(segment: Pick<Segment, 'fingerprint'>): string {
  return crypto.createHash('sha256').update(segment.fingerprint).digest('base64url');
}

/** The hash of an empty paragraph: what every paragraph of a new translation holds. */
export const EMPTY_SEGMENT_HASH = segmentHash({ fingerprint: '[]' });

/** One aligned paragraph as the alignment computes it (people and times are added by the route). */
export interface AlignedSegment {
  readonly blockId: string;
  readonly status: SegmentStatus;
  readonly sourceChanged: boolean;
  readonly inSource: boolean;
  /** The stored row, when there is one. */
  readonly row: SegmentRecord | null;
}

export interface Alignment {
  readonly segments: readonly AlignedSegment[];
  readonly newInSource: readonly string[];
  readonly counts: { readonly toTranslate: number; readonly draft: number; readonly reviewed: number; readonly sourceChanged: number };
}

/**
 * Aligns a translation with its source by block id and says where each
 * paragraph stands (SPEC LT3–LT5), from the live texts and the stored rows:
 *
 * - A paragraph of the translation is aligned when the source has (or had,
 *   per its row) a paragraph with its id; a paragraph the translator added
 *   (a split) is not, and is left out.
 * - Its status is the row's, except that a paragraph whose text differs from
 *   the text its status was set against reads `draft`: someone started it,
 *   or changed it after it was reviewed (LT4).
 * - `sourceChanged`: the source paragraph's text differs from the text the
 *   status was set against (LT5), or the source no longer has it. Hashes of
 *   the texts, not the update log: an edit undone is no change, and restores,
 *   compaction and garbage collection cannot fool it.
 * - `newInSource`: source paragraphs the translation lacks, in source order.
 */
export function align(source: readonly Segment[], target: readonly Segment[], rows: readonly SegmentRecord[]): Alignment {
  const sourceHashes = new Map(source.map((s) => [s.blockId, segmentHash(s)]));
  const byBlock = new Map(rows.map((r) => [r.blockId, r]));
  const inTarget = new Set<string>();
  const segments: AlignedSegment[] = [];
  const counts = { toTranslate: 0, draft: 0, reviewed: 0, sourceChanged: 0 };
  for (const t of target) {
    if (inTarget.has(t.blockId)) continue;
    inTarget.add(t.blockId);
    const row = byBlock.get(t.blockId) ?? null;
    const sourceHash = sourceHashes.get(t.blockId);
    if (row === null && sourceHash === undefined) continue;
    const targetHash = segmentHash(t);
    const stored: SegmentStatus = row?.status ?? 'to-translate';
    const edited = targetHash !== (row?.targetHash ?? EMPTY_SEGMENT_HASH);
    const status: SegmentStatus = edited && stored !== 'draft' ? 'draft' : stored;
    // A paragraph synced in without a row (none yet) has nothing to have changed against.
    const sourceChanged = sourceHash === undefined || (row !== null && row.sourceHash !== sourceHash);
    segments.push({ blockId: t.blockId, status, sourceChanged, inSource: sourceHash !== undefined, row });
    if (status === 'to-translate') counts.toTranslate++;
    else if (status === 'draft') counts.draft++;
    else counts.reviewed++;
    if (sourceChanged) counts.sourceChanged++;
  }
  const newInSource = source.filter((s) => !inTarget.has(s.blockId)).map((s) => s.blockId);
  return { segments, newInSource, counts };
}
