import type { HistoryAuthor } from '@rapporteur/protocol';
import { BODY_FIELD, bodySchema } from '@rapporteur/schema';
import { doc, p, yDocFromJSON } from '@rapporteur/schema/testing';
import type { Node as PMNode } from '@tiptap/pm/model';
import { EditorState } from '@tiptap/pm/state';
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { YBinding } from '../comments/anchors';
import { authorRuns, authorshipKey, authorshipPlugin, runAt } from './authorship';

const amina: HistoryAuthor = { id: 'u1', name: 'Amina Diallo', stakeholderGroup: 'civil-society' };
const bruno: HistoryAuthor = { id: 'u2', name: 'Bruno', stakeholderGroup: 'government' };

/** The ProseMirror document and mapping an editor bound to `ydoc` would have now. */
function view(ydoc: Y.Doc): { binding: YBinding; pm: PMNode } {
  const type = ydoc.getXmlFragment(BODY_FIELD);
  const { doc: pm, meta } = initProseMirrorDoc(type, bodySchema());
  return { binding: { doc: ydoc, type, mapping: meta.mapping }, pm };
}

const textOf = (ydoc: Y.Doc, index: number): Y.XmlText => (ydoc.getXmlFragment(BODY_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;

/** Two clients: the first wrote both paragraphs, the second inserts into the first and deletes from the second. */
function twoWriters(): { ydoc: Y.Doc; first: number; second: number } {
  const ydoc = yDocFromJSON(doc(p('Access must be affordable.'), p('Connectivity is a right.')));
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(ydoc));
  textOf(other, 0).insert('Access must be '.length, 'truly ');
  textOf(other, 1).delete(0, 'Connectivity '.length);
  Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(other));
  return { ydoc, first: ydoc.clientID, second: other.clientID };
}

describe('authorRuns', () => {
  it('places each live passage of the text by the client that wrote it, skipping deleted text', () => {
    const { ydoc, first, second } = twoWriters();
    const { binding, pm } = view(ydoc);
    const runs = authorRuns(binding).map((r) => [pm.textBetween(r.from, r.to), r.client]);
    expect(runs).toEqual([
      ['Access must be ', first],
      ['truly ', second],
      ['affordable.', first],
      ['is a right.', first],
    ]);
  });

  it('finds the run at a caret, the end of a run included', () => {
    const runs = [
      { from: 1, to: 4, client: 1 },
      { from: 4, to: 9, client: 2 },
    ];
    expect(runAt(runs, 1)?.client).toBe(1);
    expect(runAt(runs, 4)?.client).toBe(1);
    expect(runAt(runs, 5)?.client).toBe(2);
    expect(runAt(runs, 12)).toBeNull();
  });
});

describe('authorshipPlugin', () => {
  it('draws nothing until given the authors, then names each passage’s author, and stops when switched off', () => {
    const { ydoc, first, second } = twoWriters();
    const { binding, pm } = view(ydoc);
    const plugin = authorshipPlugin({ binding: () => binding, label: (a) => (a ? `Written by ${a.name}` : 'Unknown'), onCaret: () => undefined });
    let state = EditorState.create({ doc: pm, plugins: [plugin] });
    expect(authorshipKey.getState(state)!.decorations.find()).toHaveLength(0);

    state = state.apply(state.tr.setMeta(authorshipKey, { authors: new Map([[first, amina], [second, bruno]]) }));
    const shown = authorshipKey
      .getState(state)!
      .decorations.find()
      .map((d) => [pm.textBetween(d.from, d.to), (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs.title]);
    expect(shown).toEqual([
      ['Access must be ', 'Written by Amina Diallo'],
      ['truly ', 'Written by Bruno'],
      ['affordable.', 'Written by Amina Diallo'],
      ['is a right.', 'Written by Amina Diallo'],
    ]);

    state = state.apply(state.tr.setMeta(authorshipKey, { authors: null }));
    expect(authorshipKey.getState(state)!.decorations.find()).toHaveLength(0);
  });
});
