import { bodySchema } from '@rapporteur/schema';
import { doc, p, pAttrs } from '@rapporteur/schema/testing';
import type { Node as PMNode } from '@tiptap/pm/model';
import { EditorState } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { changeMapping, diffMapping, isTextOnlyChangeFromYjs } from './remoteChange';

const schema = bodySchema();
const node = (json: unknown): PMNode => schema.nodeFromJSON(json);

/** The transaction y-sync dispatches when `after` arrives from Yjs: the whole document replaced. */
function fromYjs(before: PMNode, after: PMNode) {
  const state = EditorState.create({ doc: before });
  return state.tr.replaceWith(0, before.content.size, after.content).setMeta(ySyncPluginKey, { isChangeOrigin: true });
}

describe('changes from Yjs', () => {
  it('compares two documents into a mapping of what changed, where repeated text makes the ends overlap', () => {
    const mapping = (a: string, b: string) => diffMapping(node(doc(p(a))), node(doc(p(b))));
    expect(mapping('abc', 'abc').map(3)).toBe(3);
    const inserted = mapping('abcd', 'abXcd');
    expect([inserted.map(2), inserted.map(3, 1), inserted.map(3, -1), inserted.map(4)]).toEqual([2, 4, 3, 5]);
    const deleted = mapping('abcd', 'ad');
    expect([deleted.map(1), deleted.map(2), deleted.map(4), deleted.map(5)]).toEqual([1, 2, 2, 3]);
    // "aa" → "aaa": one "a" inserted; positions before the change stay, the end moves by one.
    const repeated = mapping('aa', 'aaa');
    expect([repeated.map(1), repeated.map(3)]).toEqual([1, 4]);
    // "aaa" → "aa": the last "a" deleted; the position before it stays.
    const shortened = mapping('aaa', 'aa');
    expect([shortened.map(3, -1), shortened.map(4)]).toEqual([3, 3]);
  });

  it('maps a change from Yjs by comparing the documents, and one\'s own by its steps', () => {
    const before = node(doc(p('First.'), p('Second.')));
    const remote = fromYjs(before, node(doc(p('First.'), p('Second, longer.'))));
    // Its own mapping sends everything to an end; the comparison moves only what follows the change.
    expect(remote.mapping.map(3)).not.toBe(3);
    expect([changeMapping(remote).map(3), changeMapping(remote).map(15)]).toEqual([3, 23]);
    expect(changeMapping(remote)).toBe(changeMapping(remote));
    const local = EditorState.create({ doc: before }).tr.insertText('X', 1);
    expect(changeMapping(local)).toBe(local.mapping);
  });

  it('tells typing inside one block from changes to blocks', () => {
    const before = node(doc(p('First.'), p('Second.')));
    expect(isTextOnlyChangeFromYjs(fromYjs(before, node(doc(p('First.'), p('Second text.')))))).toBe(true);
    expect(isTextOnlyChangeFromYjs(fromYjs(before, node(doc(p('Fist.'), p('Second.')))))).toBe(true);
    // A block added, removed, split, or its attributes changed.
    expect(isTextOnlyChangeFromYjs(fromYjs(before, node(doc(p('First.'), p('Second.'), p('Third.')))))).toBe(false);
    expect(isTextOnlyChangeFromYjs(fromYjs(before, node(doc(p('Second.')))))).toBe(false);
    expect(isTextOnlyChangeFromYjs(fromYjs(before, node(doc(p('Fi'), p('rst.'), p('Second.')))))).toBe(false);
    expect(isTextOnlyChangeFromYjs(fromYjs(before, node(doc(pAttrs({ blockId: 'b1' }, 'First.'), p('Second.')))))).toBe(false);
    // Not from Yjs: the steps tell (see the plugins).
    expect(isTextOnlyChangeFromYjs(EditorState.create({ doc: before }).tr.insertText('X', 1))).toBe(false);
  });
});
