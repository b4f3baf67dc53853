import { Schema } from '@tiptap/pm/model';
import { EditorState, NodeSelection, TextSelection } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { containedBlock, LONG_DOCUMENT_BLOCKS, nextContained } from './typingContainment';

const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: { group: 'block', content: 'text*' },
    bulletList: { group: 'block', content: 'listItem+' },
    listItem: { content: 'paragraph+' },
    image: { group: 'block', atom: true },
    text: {},
  },
});

const paragraphs = (count: number) => Array.from({ length: count }, (_, i) => schema.node('paragraph', null, schema.text(`Paragraph ${i}.`)));

/** A long document: paragraphs, an empty one at index 3, a list at index 4, an image at index 5. */
function longDoc() {
  const blocks = paragraphs(LONG_DOCUMENT_BLOCKS);
  blocks[3] = schema.node('paragraph');
  blocks[4] = schema.node('bulletList', null, [schema.node('listItem', null, [schema.node('paragraph', null, schema.text('An item.'))])]);
  blocks[5] = schema.node('image');
  return schema.node('doc', null, blocks);
}

/** The position before the top-level block at `index`. */
const before = (doc: ReturnType<typeof longDoc>, index: number): number => {
  let pos = 0;
  for (let i = 0; i < index; i++) pos += doc.child(i).nodeSize;
  return pos;
};

describe('the text block laid out on its own while typing (issue 14)', () => {
  const doc = longDoc();
  const at = (pos: number) => EditorState.create({ doc, selection: TextSelection.create(doc, pos) });

  it('is the non-empty text block holding the caret or a selection inside it, in a long document only', () => {
    const second = before(doc, 1);
    expect(containedBlock(at(second + 3))).toBe(second);
    expect(containedBlock(EditorState.create({ doc, selection: TextSelection.create(doc, second + 1, second + 5) }))).toBe(second);
    // A paragraph inside a list item: itself, not the list.
    const list = before(doc, 4);
    expect(containedBlock(at(list + 4))).toBe(list + 2);
    // An empty paragraph, a selection across two blocks, a selected node: nothing.
    expect(containedBlock(at(before(doc, 3) + 1))).toBeNull();
    expect(containedBlock(EditorState.create({ doc, selection: TextSelection.create(doc, 2, second + 3) }))).toBeNull();
    expect(containedBlock(EditorState.create({ doc, selection: NodeSelection.create(doc, before(doc, 5)) }))).toBeNull();
    // A short document.
    const short = schema.node('doc', null, paragraphs(LONG_DOCUMENT_BLOCKS - 1));
    expect(containedBlock(EditorState.create({ doc: short, selection: TextSelection.create(short, 3) }))).toBeNull();
  });

  it('marks the block holding the caret for this editor, follows it as text moves it, and leaves it for the next block', () => {
    const pos = before(doc, 10);
    let state = at(pos + 4);
    let contained = nextContained(state.tr, null, state, 'e7');
    expect(contained?.pos).toBe(pos);
    const marks = () =>
      contained!.decorations.find().map((d) => ({ from: d.from, to: d.to, attrs: (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs }));
    expect(marks()).toEqual([{ from: pos, to: pos + state.doc.nodeAt(pos)!.nodeSize, attrs: { class: 'typing-contained', 'data-contained': 'e7' } }]);

    // A selection change within it keeps the same state (nothing to redraw).
    let tr = state.tr.setSelection(TextSelection.create(state.doc, pos + 2));
    state = state.apply(tr);
    expect(nextContained(tr, contained, state, 'e7')).toBe(contained);

    // Typing into it, and a co-author's edit in a block above (which moves it): the mark follows, over the whole block.
    tr = state.tr.insertText('x', state.selection.from);
    state = state.apply(tr);
    contained = nextContained(tr, contained, state, 'e7');
    expect(marks()).toEqual([{ from: pos, to: pos + state.doc.nodeAt(pos)!.nodeSize, attrs: { class: 'typing-contained', 'data-contained': 'e7' } }]);
    tr = state.tr.insertText('above', 2);
    state = state.apply(tr);
    contained = nextContained(tr, contained, state, 'e7');
    expect(contained?.pos).toBe(pos + 5);
    expect(marks()[0]).toMatchObject({ from: pos + 5, to: pos + 5 + state.doc.nodeAt(pos + 5)!.nodeSize });

    // The caret moves to the next paragraph: the mark goes with it.
    const next = pos + 5 + state.doc.nodeAt(pos + 5)!.nodeSize;
    tr = state.tr.setSelection(TextSelection.create(state.doc, next + 2));
    state = state.apply(tr);
    contained = nextContained(tr, contained, state, 'e7');
    expect(marks()).toEqual([{ from: next, to: next + state.doc.nodeAt(next)!.nodeSize, attrs: { class: 'typing-contained', 'data-contained': 'e7' } }]);

    // Into an empty paragraph: nothing marked.
    tr = state.tr.setSelection(TextSelection.create(state.doc, before(state.doc, 3) + 1));
    state = state.apply(tr);
    expect(nextContained(tr, contained, state, 'e7')).toBeNull();
  });
});
