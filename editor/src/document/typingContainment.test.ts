import { Schema } from '@tiptap/pm/model';
import { EditorState, NodeSelection, TextSelection } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { containedBlock, LONG_DOCUMENT_BLOCKS, nextContained, typingContainmentKey } from './typingContainment';

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

  it('keeps its measured size while text is typed into it, and drops it when the caret goes to another block', () => {
    const pos = before(doc, 10);
    let state = at(pos + 4);
    let contained = nextContained(state.tr, null, state);
    expect(contained).toMatchObject({ pos, size: null });
    expect(contained!.decorations.find()).toHaveLength(0);

    // The view measured it: the size comes in a transaction of its own, and is drawn.
    let tr = state.tr.setMeta(typingContainmentKey, { pos, size: 51.2 });
    state = state.apply(tr);
    contained = nextContained(tr, contained, state);
    expect(contained).toMatchObject({ pos, size: 51.2 });
    const [decoration] = contained!.decorations.find();
    expect(decoration).toMatchObject({ from: pos, to: pos + state.doc.nodeAt(pos)!.nodeSize });
    expect((decoration as unknown as { type: { attrs: Record<string, string> } }).type.attrs).toEqual({ class: 'typing-contained', style: 'block-size: 51.2px' });

    // Typing into it, and a co-author's edit in a block above (which moves it): the size stands until the view checks it.
    tr = state.tr.insertText('x', state.selection.from);
    state = state.apply(tr);
    contained = nextContained(tr, contained, state);
    expect(contained).toMatchObject({ pos, size: 51.2 });
    tr = state.tr.insertText('above', 2);
    state = state.apply(tr);
    contained = nextContained(tr, contained, state);
    expect(contained).toMatchObject({ pos: pos + 5, size: 51.2 });

    // A size measured for another block is not taken.
    tr = state.tr.setMeta(typingContainmentKey, { pos: 2, size: 10 });
    state = state.apply(tr);
    contained = nextContained(tr, contained, state);
    expect(contained).toMatchObject({ pos: pos + 5, size: 51.2 });

    // The caret moves to the next paragraph: to be measured anew.
    const next = pos + 5 + state.doc.nodeAt(pos + 5)!.nodeSize;
    tr = state.tr.setSelection(TextSelection.create(state.doc, next + 2));
    state = state.apply(tr);
    contained = nextContained(tr, contained, state);
    expect(contained).toMatchObject({ pos: next, size: null });
    expect(contained!.decorations.find()).toHaveLength(0);
  });

  it('is measured anew when its block is replaced', () => {
    const pos = before(doc, 20);
    let state = at(pos + 2);
    let tr = state.tr.setMeta(typingContainmentKey, { pos, size: 25.6 });
    state = state.apply(tr);
    let contained = nextContained(tr, null, state);
    expect(contained).toMatchObject({ pos, size: 25.6 });
    // The whole block replaced by another (a paste over it, a remote rewrite): same position, a new node.
    tr = state.tr.replaceWith(pos, pos + state.doc.nodeAt(pos)!.nodeSize, schema.node('paragraph', null, schema.text('Rewritten.')));
    tr.setSelection(TextSelection.create(tr.doc, pos + 3));
    state = state.apply(tr);
    contained = nextContained(tr, contained, state);
    expect(contained).toMatchObject({ pos, size: null });
  });
});
