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

/** What the checks may know beyond the body. */
export interface ReadinessContext {
  /**
   * The required fields of the template version the document started from
   * (`requiredFieldsOf`): a required field whose block was deleted is as
   * unfinished as an empty one (`required-field-missing`).
   */
  readonly requiredFields?: ReadonlyArray<{ readonly field: string; readonly label: string }>;
}

export type ReadinessCheck = (body: JSONContent, context: ReadinessContext) => ReadinessProblem[];

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

/**
 * `required-field-missing`: a required field of the document's template is
 * no longer in the document at all (its block was deleted, say by
 * Backspace in the empty field), named by the heading it had in the template.
 */
export const requiredFieldMissing: ReadinessCheck = (body, context) => {
  const required = context.requiredFields ?? [];
  if (required.length === 0) return [];
  const present = new Set(fieldBlocks(body).map((f) => f.field));
  return required.filter((r) => !present.has(r.field)).map((r) => ({ code: 'required-field-missing', blockId: null, passage: r.label }));
};

/** The required fields of a template's content (its blocks), each with the label its heading gives it. */
export function requiredFieldsOf(content: readonly JSONContent[]): Array<{ field: string; label: string }> {
  const seen = new Set<string>();
  return fieldBlocks({ type: 'doc', content: [...content] }).flatMap((f) => {
    if (!f.required || f.field === null || seen.has(f.field)) return [];
    seen.add(f.field);
    return [{ field: f.field, label: f.label }];
  });
}

const CHECKS: ReadinessCheck[] = [markerViewsMissing, requiredFieldEmpty, requiredFieldMissing, tooManyItems];

/** Every problem that keeps `body` (ProseMirror JSON, see docToJSON) from "final", in document order per check. */
export function readinessProblems(body: JSONContent, context: ReadinessContext = {}): ReadinessProblem[] {
  return CHECKS.flatMap((check) => check(body, context));
}
