import type { CommentAnchor } from '@rapporteur/protocol';
import * as Y from 'yjs';

export type ReplaceOutcome = 'applied' | 'passage-deleted' | 'spans-blocks' | 'unsupported';

/**
 * Replaces the passage a comment anchors to with `replacement`, in the body
 * fragment of `doc`. A range must start and end in the same run of text (one
 * paragraph, heading or cell); a block anchor replaces the text of a block
 * that holds one run of text. The inserted text takes the formatting of the
 * text before it, as typing would.
 */
export function replaceAnchoredText(doc: Y.Doc, field: string, anchor: CommentAnchor, replacement: string): ReplaceOutcome {
  if (anchor.type === 'block') {
    const block = findBlock(doc.getXmlFragment(field), anchor.blockId);
    if (!block) return 'passage-deleted';
    const children = block.toArray();
    const text = children[0];
    if (children.length !== 1 || !(text instanceof Y.XmlText)) return 'unsupported';
    text.delete(0, text.length);
    text.insert(0, replacement);
    return 'applied';
  }
  const start = resolve(doc, anchor.start);
  const end = resolve(doc, anchor.end);
  // Positions of deleted text still resolve (to where it was): an anchor
  // that quoted something and now spans nothing lost its passage.
  if (!start || !end || end.index < start.index) return 'passage-deleted';
  if (end.index === start.index && start.type === end.type && anchor.quote.length > 0) return 'passage-deleted';
  if (start.type !== end.type) return 'spans-blocks';
  if (!(start.type instanceof Y.XmlText)) return 'unsupported';
  if (end.index > start.index) start.type.delete(start.index, end.index - start.index);
  start.type.insert(start.index, replacement);
  return 'applied';
}

function resolve(doc: Y.Doc, base64: string): Y.AbsolutePosition | null {
  return Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(base64, 'base64')), doc);
}

function findBlock(parent: Y.XmlFragment | Y.XmlElement, blockId: string): Y.XmlElement | null {
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.getAttribute('blockId') === blockId) return child;
    const inner = findBlock(child, blockId);
    if (inner) return inner;
  }
  return null;
}
