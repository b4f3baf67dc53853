import { z } from 'zod';

import { StakeholderGroup } from './domain';
import { lineText, multilineText } from './text';

/**
 * The outcome-drafting domain of DESIGN.md ("Domain"): document types with
 * templates, the review workflow and the consensus scale. Shared by the
 * server (validation, policy), the schema package (rendering, readiness) and
 * the editor.
 */

/** Document types; each has a current template (blank has an empty one). */
export const DOCUMENT_TYPES = [
  'session-report',
  'igf-messages',
  'chairs-summary',
  'background-paper',
  'bpf-output',
  'dc-output',
  'nri-report',
  'blank',
] as const;
export const DocumentType = z.enum(DOCUMENT_TYPES);
export type DocumentType = z.infer<typeof DocumentType>;

/** The review workflow, in its usual order. */
export const DOCUMENT_STATUSES = ['drafting', 'review', 'public-comment', 'revising', 'final', 'published'] as const;
export const DocumentStatus = z.enum(DOCUMENT_STATUSES);
export type DocumentStatus = z.infer<typeof DocumentStatus>;

/** The consensus scale (the ICANN GNSO scale), strongest first. */
export const CONSENSUS_LEVELS = [
  'full-consensus',
  'consensus',
  'strong-support-with-opposition',
  'divergence',
  'minority-view',
  'not-assessed',
] as const;
export const ConsensusLevel = z.enum(CONSENSUS_LEVELS);
export type ConsensusLevel = z.infer<typeof ConsensusLevel>;

/** Levels whose marker must state each view and who holds it before "final". */
export const LEVELS_REQUIRING_VIEWS: readonly ConsensusLevel[] = ['divergence', 'minority-view'];

/** How the level was established. */
export const CONSENSUS_BASES = ['chair-designation', 'in-room-check', 'comment-period', 'source-reports'] as const;
export const ConsensusBasis = z.enum(CONSENSUS_BASES);
export type ConsensusBasis = z.infer<typeof ConsensusBasis>;

/** One view of a divergence, minority view or opposition, and who holds it. */
export const ConsensusView = z.strictObject({
  text: multilineText({ min: 0, max: 4000 }),
  groups: z.array(StakeholderGroup).max(8),
});
export type ConsensusView = z.infer<typeof ConsensusView>;

/**
 * A consensus marker as stored on a block (the `consensus` attribute of a
 * paragraph, heading or list item; on a heading it covers the section). Who
 * set it and when is never part of it: that comes from the server's records.
 */
export const ConsensusMarker = z.strictObject({
  level: ConsensusLevel,
  basis: ConsensusBasis,
  /** Free text beside the basis, e.g. "discussion in session, 12 March". */
  basisNote: lineText({ min: 0, max: 300 }).optional(),
  views: z.array(ConsensusView).max(20).optional(),
});
export type ConsensusMarker = z.infer<typeof ConsensusMarker>;

/** Who set a marker, from the server's records (account id → profile now). */
export interface MarkerAuthorView {
  readonly id: string;
  readonly name: string;
  readonly stakeholderGroup: StakeholderGroup;
}

/**
 * One marked passage, as `GET /api/documents/:id/markers` lists them in
 * document order: the marker from the live document, its words generated
 * from the level (English), and who set it and when from the server's
 * records (null when the server has no record of this marker, e.g. a block
 * that had no id when it was marked).
 */
export interface MarkerView {
  readonly blockId: string | null;
  /** `section` for a heading's marker (it covers the heading's section). */
  readonly scope: 'passage' | 'section';
  readonly level: ConsensusLevel;
  readonly label: string;
  readonly wording: string;
  readonly basis: ConsensusBasis;
  readonly basisNote: string | null;
  /** The basis in words: "Basis: chair's designation — discussion in session, 12 March". */
  readonly basisText: string;
  readonly views: readonly ConsensusView[];
  /** A short quote of the block (for a heading: the section's title). */
  readonly passage: string;
  readonly setBy: MarkerAuthorView | null;
  /** ISO time of the change that set the marker as it is now. */
  readonly setAt: string | null;
}
