import type { SegmentStatus, SegmentView } from '@rapporteur/protocol';
import type { Node as PMNode, ResolvedPos } from '@tiptap/pm/model';

/**
 * Pure helpers of the translation view (SPEC LT2–LT5): which paragraph holds
 * the caret, which comes next to do, and where aligned paragraphs are.
 */

/** The block types a translation is aligned by (packages/schema SEGMENT_TYPES). */
export const SEGMENT_TYPES: readonly string[] = ['paragraph', 'heading', 'codeBlock'];

/** HTML elements those blocks render as (for the scroll alignment). */
export const SEGMENT_SELECTOR = ':is(p, h1, h2, h3, h4, h5, h6, pre)[data-block-id]';

/** The paragraph (heading, code block) holding `$pos`, with its id and position; null outside one or without an id. */
export function segmentAt($pos: ResolvedPos): { blockId: string; pos: number; node: PMNode } | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (SEGMENT_TYPES.includes(node.type.name)) {
      const id: unknown = node.attrs['blockId'];
      return typeof id === 'string' && id !== '' ? { blockId: id, pos: $pos.before(depth), node } : null;
    }
  }
  return null;
}

/** Still to do: not reviewed, or reviewed against an original that has changed since. */
export function isToDo(segment: Pick<SegmentView, 'status' | 'sourceChanged'>): boolean {
  return segment.status !== 'reviewed' || segment.sourceChanged;
}

/**
 * The next paragraph to do after `current` (in the translation's order,
 * coming round to the start), or null when every one is done. With no
 * current paragraph, the first to do.
 */
export function nextToDo(segments: readonly SegmentView[], current: string | null): SegmentView | null {
  const start = current === null ? -1 : segments.findIndex((s) => s.blockId === current);
  for (let step = 1; step <= segments.length; step++) {
    const candidate = segments[(start + step + segments.length) % segments.length];
    if (candidate && isToDo(candidate) && candidate.blockId !== current) return candidate;
  }
  return null;
}

/** The languages a translation can still be made into: none the family has. */
export function languagesToOffer<L extends string>(all: readonly L[], family: readonly string[]): L[] {
  return all.filter((l) => !family.includes(l));
}

/** How a segment's status reads for the decoration (the border the CSS draws). */
export function segmentAttributes(segment: Pick<SegmentView, 'status' | 'sourceChanged'>): Record<string, string> {
  const attrs: Record<string, string> = { 'data-segment': segment.status satisfies SegmentStatus };
  if (segment.sourceChanged) attrs['data-source-changed'] = 'true';
  return attrs;
}

/**
 * The block that the horizontal line `y` crosses among `count` blocks in
 * document order (so their tops only grow), found by bisection — reading the
 * geometry of O(log n) blocks, not all of them; the first below `y` when it
 * falls in a gap, the last when it is below them all.
 */
export function anchorAt(count: number, rectOf: (index: number) => { readonly top: number; readonly bottom: number }, y: number): { index: number; fraction: number } | null {
  if (count === 0) return null;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (rectOf(mid).bottom <= y) low = mid + 1;
    else high = mid;
  }
  const b = rectOf(low);
  const height = Math.max(1, b.bottom - b.top);
  return { index: low, fraction: Math.min(1, Math.max(0, (y - b.top) / height)) };
}
