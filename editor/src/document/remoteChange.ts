import type { Node as PMNode } from '@tiptap/pm/model';
import type { Transaction } from '@tiptap/pm/state';
import { Mapping, StepMap } from '@tiptap/pm/transform';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/**
 * Co-authors' changes reach the editor through y-sync as one replacement of
 * the whole document (its `_typeChanged`), so such a transaction's own
 * mapping sends every position to an end, and its one step spans everything.
 * Plugins that keep their work incremental for one's own typing (comment
 * highlights, consensus labels, citations) use what is here to stay
 * incremental for a co-author's typing too: on 100 pages each of them
 * walking the whole document for every key a co-author typed cost more than
 * the rest of applying it (issue 14, `pnpm bench:typing`, "a co-author
 * typing").
 */

/** Whether y-sync made `tr`: a change from Yjs (a co-author, an undo through Yjs, the document arriving). */
export function isFromYjs(tr: Transaction): boolean {
  return tr.getMeta(ySyncPluginKey) !== undefined;
}

/** The region where `before` and `after` differ: start, and its end in each. Null when they are equal. */
export function diffRange(before: PMNode, after: PMNode): { start: number; endBefore: number; endAfter: number } | null {
  const start = before.content.findDiffStart(after.content);
  if (start === null) return null;
  let { a: endBefore, b: endAfter } = before.content.findDiffEnd(after.content)!;
  // Repeated text lets the two searches overlap ("aa" → "aaa"): move both ends past the start.
  const overlap = start - Math.min(endBefore, endAfter);
  if (overlap > 0) {
    endBefore += overlap;
    endAfter += overlap;
  }
  return { start, endBefore, endAfter };
}

/**
 * How positions moved from `before` to `after`, found by comparing them. y-sync
 * rebuilds only the blocks a change touched and keeps every other node, so
 * the comparison passes over unchanged blocks by identity at once.
 */
export function diffMapping(before: PMNode, after: PMNode): Mapping {
  const range = diffRange(before, after);
  if (!range) return new Mapping();
  return new Mapping([new StepMap([range.start, range.endBefore - range.start, range.endAfter - range.start])]);
}

const mappings = new WeakMap<Transaction, Mapping>();

/** What `tr` changed, as a mapping: its steps', or for a change from Yjs the one found by comparing its documents. */
export function changeMapping(tr: Transaction): Mapping {
  if (!isFromYjs(tr) || !tr.docChanged) return tr.mapping;
  let mapping = mappings.get(tr);
  if (!mapping) mappings.set(tr, (mapping = diffMapping(tr.before, tr.doc)));
  return mapping;
}

/**
 * Whether a change from Yjs only typed or deleted text inside one textblock:
 * no block came, went or changed its attributes (a changed attribute stops
 * the comparison at the block's start, outside it).
 */
export function isTextOnlyChangeFromYjs(tr: Transaction): boolean {
  if (!isFromYjs(tr) || !tr.docChanged) return false;
  const range = diffRange(tr.before, tr.doc);
  if (!range) return true;
  const inOneTextblock = (doc: PMNode, from: number, to: number): boolean => {
    const $from = doc.resolve(from);
    return $from.parent.isTextblock && $from.sameParent(doc.resolve(to));
  };
  return inOneTextblock(tr.before, range.start, range.endBefore) && inOneTextblock(tr.doc, range.start, range.endAfter);
}
