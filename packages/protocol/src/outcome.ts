import * as z from 'zod';

import type { ConsensusView } from './consensusMarker';
import type { StakeholderGroup } from './domain';
import { CONSENSUS_BASES, CONSENSUS_LEVELS, DOCUMENT_STATUSES, DOCUMENT_TYPES } from './vocabulary';

/**
 * The outcome-drafting domain of DESIGN.md ("Domain"): document types with
 * templates, the review workflow and the consensus scale. Shared by the
 * server (validation, policy), the schema package (rendering, readiness) and
 * the editor. The lists themselves are in vocabulary.ts, the marker's shape
 * in consensusMarker.ts.
 */

export const DocumentType = z.enum(DOCUMENT_TYPES);
export type DocumentType = z.infer<typeof DocumentType>;

export const DocumentStatus = z.enum(DOCUMENT_STATUSES);
export type DocumentStatus = z.infer<typeof DocumentStatus>;

export const ConsensusLevel = z.enum(CONSENSUS_LEVELS);
export type ConsensusLevel = z.infer<typeof ConsensusLevel>;

export const ConsensusBasis = z.enum(CONSENSUS_BASES);
export type ConsensusBasis = z.infer<typeof ConsensusBasis>;

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
