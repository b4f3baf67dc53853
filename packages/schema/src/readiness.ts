import type { JSONContent } from '@tiptap/core';

import { markedPassages, markerLacksViews } from './consensus';
import { fieldBlocks, fieldText, filledItems } from './templateFields';

/**
 * Why a document may not move to "final" yet (issue 9): a passage that must
 * be completed first. The server refuses the move with 409 naming the first
 * problems; the editor lists them all so the person can fix them.
 *
 * Each check of the outcome-drafting features adds itself to `CHECKS`
 * (required template fields, consensus markers that lack their views, …).
 */
export interface ReadinessProblem {
  /** Machine-readable kind, e.g. `required-field-empty`, `marker-views-missing`. */
  readonly code: string;
  /** The block at fault (its stable id), when it has one. */
  readonly blockId: string | null;
  /** A short quote or label of the passage, for people ("Key takeaways"). */
  readonly passage: string;
}

export type ReadinessCheck = (body: JSONContent) => ReadinessProblem[];

/**
 * `marker-views-missing`: a divergence or minority-view marker states no
 * view, or a marker has a view whose text is empty (issue 9).
 */
export const markerViewsMissing: ReadinessCheck = (body) =>
  markedPassages(body)
    .filter((m) => markerLacksViews(m.marker))
    .map((m) => ({ code: 'marker-views-missing', blockId: m.blockId, passage: m.passage }));

/**
 * `required-field-empty`: a block the template marked required (a paragraph,
 * a list, a table's body cells, …) holds no text. Named by the heading it
 * comes under ("Key takeaways").
 */
export const requiredFieldEmpty: ReadinessCheck = (body) =>
  fieldBlocks(body)
    .filter((f) => f.required && fieldText(f.node) === '')
    .map((f) => ({ code: 'required-field-empty', blockId: f.blockId, passage: f.label }));

/**
 * `too-many-items`: a list with a limit (`maxItems`, "key takeaways (≤ 3)")
 * has more items with text than the limit; empty items do not count.
 */
export const tooManyItems: ReadinessCheck = (body) =>
  fieldBlocks(body)
    .filter((f) => f.maxItems !== null && filledItems(f.node) > f.maxItems)
    .map((f) => ({ code: 'too-many-items', blockId: f.blockId, passage: f.label }));

const CHECKS: ReadinessCheck[] = [markerViewsMissing, requiredFieldEmpty, tooManyItems];

/** Every problem that keeps `body` (ProseMirror JSON, see docToJSON) from "final", in document order per check. */
export function readinessProblems(body: JSONContent): ReadinessProblem[] {
  return CHECKS.flatMap((check) => check(body));
}
