import { CITATION_NODE, type CitationAttributes } from '@rapporteur/schema';
import type { JSONContent } from '@tiptap/core';
import { Fragment } from '@tiptap/pm/model';
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';

/** What to put in the text: a message's words (may be empty) followed by its citations. */
export interface Insertion {
  readonly text: string;
  readonly citations: readonly CitationAttributes[];
}

function contentOf(insertion: Insertion, leadingSpace: boolean): JSONContent[] {
  const out: JSONContent[] = [];
  const text = insertion.text.trim();
  if (text) out.push({ type: 'text', text: `${leadingSpace ? ' ' : ''}${text} ` });
  else if (leadingSpace) out.push({ type: 'text', text: ' ' });
  insertion.citations.forEach((c, i) => {
    if (i > 0) out.push({ type: 'text', text: ' ' });
    out.push({ type: CITATION_NODE, attrs: { documentId: c.documentId, blockId: c.blockId, hash: c.hash, label: c.label } });
  });
  return out;
}

/**
 * The transaction that puts a message in the text (issue 11): into the
 * caret's paragraph when it is empty; else as a new item after the caret's
 * list item (a track's messages are bullets), or a new paragraph after the
 * caret's top-level block. `cite` puts only the citations, after the
 * selection (nothing selected is replaced): another source for the message
 * being written. The caret ends after what was inserted.
 */
export function insertionTransaction(state: EditorState, insertion: Insertion, mode: 'message' | 'cite'): Transaction {
  const { schema, selection } = state;
  const $to = selection.$to;
  const inText = $to.parent.isTextblock && $to.parent.type.spec.code !== true;
  if (inText && (mode === 'cite' || $to.parent.content.size === 0)) {
    const before = $to.parent.textBetween(0, $to.parentOffset, undefined, '\ufffc');
    const content = contentOf(mode === 'cite' ? { text: '', citations: insertion.citations } : insertion, before.length > 0 && !/\s$/u.test(before));
    const fragment = Fragment.fromArray(content.map((json) => schema.nodeFromJSON(json)));
    const tr = state.tr.insert(selection.to, fragment);
    return tr.setSelection(TextSelection.create(tr.doc, selection.to + fragment.size)).scrollIntoView();
  }
  const paragraph = schema.nodeFromJSON({ type: 'paragraph', content: contentOf(insertion, false) });
  let depth = $to.depth;
  while (depth > 0 && $to.node(depth).type.name !== 'listItem') depth--;
  const node = depth > 0 ? schema.nodes['listItem']!.create(null, paragraph) : paragraph;
  const at = depth > 0 ? $to.after(depth) : $to.depth > 0 ? $to.after(1) : state.doc.content.size;
  const tr = state.tr.insert(at, node);
  // The end of the new paragraph: inside it, after its last inline node.
  const end = at + node.nodeSize - (depth > 0 ? 2 : 1);
  return tr.setSelection(TextSelection.create(tr.doc, end)).scrollIntoView();
}
