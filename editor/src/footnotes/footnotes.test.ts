import { bodySchema, footnotesOf } from '@rapporteur/schema';
import { doc, fn, li, p, table, td, tr, ul } from '@rapporteur/schema/testing';
import type { JSONContent } from '@tiptap/core';
import { Node } from '@tiptap/pm/model';
import { EditorState, NodeSelection, TextSelection } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { footnoteAtSelection, footnotePositions, footnotesKey, footnotesPlugin } from './footnotes';

// Footnote numbers in the editor (SPEC FN2, FN4): computed from document order on every change, never stored.

const node = (json: JSONContent): Node => Node.fromJSON(bodySchema(), json);
const stateOf = (json: JSONContent): EditorState => EditorState.create({ doc: node(json), plugins: [footnotesPlugin()] });

/** Each footnote's text with the number its decoration gives it, in document order. */
function numbered(state: EditorState): string[] {
  const decorations = footnotesKey.getState(state)!.decorations.find();
  return decorations
    .map((d) => ({ at: d.from, n: (d.spec as { footnoteNumber: number }).footnoteNumber }))
    .sort((a, b) => a.at - b.at)
    .map(({ at, n }) => `${n}:${state.doc.nodeAt(at)!.textContent}`);
}

/** The position of the first text `needle` in the document. */
function find(state: EditorState, needle: string): number {
  let found = -1;
  state.doc.descendants((n, pos) => {
    if (found < 0 && n.isText && n.text!.includes(needle)) found = pos + n.text!.indexOf(needle);
    return found < 0;
  });
  if (found < 0) throw new Error(`no ${needle}`);
  return found;
}

describe('footnotePositions', () => {
  it('finds footnotes in paragraphs, lists and tables in document order, as the schema does', () => {
    const d = node(doc(p('a', fn('one'), 'b', fn('two')), ul(li(p('item', fn('three')))), table(tr(td(p('cell', fn('four')))))));
    const positions = footnotePositions(d, new WeakMap());
    expect(positions).toEqual(footnotesOf(d).map((f) => f.pos));
    expect(positions.map((pos) => d.nodeAt(pos)!.textContent)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('reuses what it found in blocks that did not change', () => {
    const cache = new WeakMap<Node, readonly number[]>();
    const d = node(doc(p('a', fn('one')), p('b', fn('two'))));
    footnotePositions(d, cache);
    const second = d.child(1);
    expect(cache.get(second)).toEqual([1]);
    // A stale entry proves the cache is read for the unchanged block.
    cache.set(second, [0]);
    const typed = EditorState.create({ doc: d }).tr.insertText('x', 2).doc;
    expect(typed.child(1)).toBe(second);
    expect(footnotePositions(typed, cache).at(-1)).toBe(typed.child(0).nodeSize + 1);
  });
});

describe('numbers (decorations) follow the text', () => {
  it('numbers in document order and renumbers when a footnote is inserted before others', () => {
    let state = stateOf(doc(p('Access', fn('first')), p('Rights', fn('second'))));
    expect(numbered(state)).toEqual(['1:first', '2:second']);
    const at = find(state, 'Access');
    state = state.apply(state.tr.insert(at, bodySchema().nodes['footnote']!.create(null, bodySchema().text('new'))));
    expect(numbered(state)).toEqual(['1:new', '2:first', '3:second']);
  });

  it('moving a paragraph (delete and insert in one transaction) renumbers both', () => {
    let state = stateOf(doc(p('Access', fn('about access')), p('Rights', fn('about rights'))));
    const first = state.doc.child(0);
    const tr = state.tr.delete(0, first.nodeSize);
    tr.insert(tr.doc.content.size, first);
    state = state.apply(tr);
    expect(state.doc.child(0).textContent).toBe('Rightsabout rights');
    expect(numbered(state)).toEqual(['1:about rights', '2:about access']);
  });

  it('typing elsewhere keeps the numbers and moves them with their footnotes; deleting one renumbers the rest', () => {
    let state = stateOf(doc(p('Access', fn('one')), p('Rights', fn('two')), p('Open', fn('three'))));
    state = state.apply(state.tr.insertText('Meaningful ', 1));
    expect(numbered(state)).toEqual(['1:one', '2:two', '3:three']);
    const two = footnoteAt(state, 'two');
    state = state.apply(state.tr.delete(two, two + state.doc.nodeAt(two)!.nodeSize));
    expect(numbered(state)).toEqual(['1:one', '2:three']);
  });

  it('a remote-looking replacement of the whole body numbers from scratch', () => {
    let state = stateOf(doc(p('a', fn('x'))));
    state = state.apply(state.tr.replaceWith(0, state.doc.content.size, node(doc(p('b', fn('y')), p('c', fn('z')))).content));
    expect(numbered(state)).toEqual(['1:y', '2:z']);
  });
});

/** The position of the footnote whose text is `text`. */
function footnoteAt(state: EditorState, text: string): number {
  const found = footnotesOf(state.doc).find((f) => f.node.textContent === text);
  if (!found) throw new Error(`no footnote ${text}`);
  return found.pos;
}

describe('the footnote at the selection', () => {
  it('says its number and whether the caret is in its text or it is selected; only the one with the caret is open', () => {
    let state = stateOf(doc(p('Access', fn('one'), ' and rights', fn('two'))));
    expect(footnoteAtSelection(state)).toBeNull();
    const two = footnoteAt(state, 'two');
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, two + 2)));
    expect(footnoteAtSelection(state)).toEqual({ number: 2, pos: two, editing: true });
    expect(footnotesKey.getState(state)!.open).toBe(two);
    const open = footnotesKey.getState(state)!.decorations.find().filter((d) => (d.spec as { open: boolean }).open);
    expect(open.map((d) => d.from)).toEqual([two]);
    const one = footnoteAt(state, 'one');
    state = state.apply(state.tr.setSelection(NodeSelection.create(state.doc, one)));
    expect(footnoteAtSelection(state)).toEqual({ number: 1, pos: one, editing: false });
    expect(footnotesKey.getState(state)!.open).toBeNull();
  });
});
