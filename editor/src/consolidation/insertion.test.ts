import { bodySchema } from '@rapporteur/schema';
import { doc, li, p, ul } from '@rapporteur/schema/testing';
import { Node } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { insertionTransaction } from './insertion';

const ws12 = { documentId: 'd1', blockId: 'b1', hash: 'h1', label: 'WS 12' };
const of3 = { documentId: 'd2', blockId: 'b2', hash: 'h2', label: 'OF 3' };

function at(json: ReturnType<typeof doc>, text: string, offset = text.length): EditorState {
  const node = Node.fromJSON(bodySchema(), json);
  let pos = -1;
  node.descendants((n, p) => {
    if (pos < 0 && n.isText && n.text!.includes(text)) pos = p + n.text!.indexOf(text) + offset;
    return pos < 0;
  });
  if (pos < 0) throw new Error(`no ${text}`);
  return EditorState.create({ doc: node, selection: TextSelection.create(node, pos) });
}

function emptyItem(): EditorState {
  const node = Node.fromJSON(bodySchema(), doc(ul(li(p()))));
  return EditorState.create({ doc: node, selection: TextSelection.create(node, 3) });
}

/** The body as text, citations as `[label]`. */
function read(state: { doc: Node }): string[] {
  const out: string[] = [];
  state.doc.descendants((n) => {
    if (!n.isTextblock) return true;
    let s = '';
    n.forEach((c) => (s += c.isText ? c.text : `[${String(c.attrs['label'])}]`));
    out.push(s);
    return false;
  });
  return out;
}

describe('inserting a takeaway as a message', () => {
  it('fills the empty bullet the caret is in, text then citations, and leaves the caret after them', () => {
    const tr = insertionTransaction(emptyItem(), { text: ' Access must be affordable. ', citations: [ws12, of3] }, 'message');
    expect(read(tr)).toEqual(['Access must be affordable. [WS 12] [OF 3]']);
    expect(tr.doc.firstChild!.type.name).toBe('bulletList');
    expect(tr.selection.$from.parentOffset).toBe(tr.selection.$from.parent.content.size);
  });

  it('adds a new bullet after the caret’s bullet when that one has words', () => {
    const tr = insertionTransaction(at(doc(ul(li(p('First message.')), li(p('Third.')))), 'First'), { text: 'Second.', citations: [ws12] }, 'message');
    const list = tr.doc.firstChild!;
    expect(list.childCount).toBe(3);
    expect(read(tr)).toEqual(['First message.', 'Second. [WS 12]', 'Third.']);
    expect(tr.selection.$from.parent).toBe(list.child(1).firstChild);
  });

  it('adds a paragraph after the caret’s block outside lists', () => {
    const tr = insertionTransaction(at(doc(p('Intro.'), p('End.')), 'Intro'), { text: 'A message.', citations: [ws12] }, 'message');
    expect(read(tr)).toEqual(['Intro.', 'A message. [WS 12]', 'End.']);
  });

  it('“cite here” adds only the citation after the selection, with a space after a word, replacing nothing', () => {
    const state = at(doc(p('Affordable access')), 'Affordable access');
    const tr = insertionTransaction(state, { text: 'ignored', citations: [of3] }, 'cite');
    expect(read(tr)).toEqual(['Affordable access [OF 3]']);

    const ranged = EditorState.create({ doc: state.doc, selection: TextSelection.create(state.doc, 1, 11) });
    const kept = insertionTransaction(ranged, { text: '', citations: [of3] }, 'cite');
    expect(read(kept)).toEqual(['Affordable [OF 3] access']);

    const afterSpace = insertionTransaction(at(doc(p('Access ')), 'Access '), { text: '', citations: [of3, ws12] }, 'cite');
    expect(read(afterSpace)).toEqual(['Access [OF 3] [WS 12]']);
  });
});

describe('telling whether an edit touched citations (so typing does not walk 100 pages)', () => {
  it('typing beside a citation does not; inserting, deleting or changing one does', async () => {
    const { touchesCitations } = await import('./CitationsController');
    const state = at(doc(p('Access matters. '), p('Second.')), 'Access matters. ');
    const inserted = insertionTransaction(state, { text: '', citations: [ws12] }, 'cite');
    expect(touchesCitations(inserted)).toBe(true);
    const withCitation = EditorState.create({ doc: inserted.doc, selection: inserted.selection });
    expect(touchesCitations(withCitation.tr.insertText('x', 2))).toBe(false);
    const citationAt = withCitation.doc.firstChild!.content.size - 1 + 1;
    expect(touchesCitations(withCitation.tr.delete(citationAt, citationAt + 1))).toBe(true);
    expect(touchesCitations(withCitation.tr.setNodeAttribute(citationAt, 'hash', 'h2'))).toBe(true);

    // The same edits arriving from a co-author, which y-sync brings as the whole document replaced.
    const fromYjs = (before: EditorState, edit: Transaction) =>
      before.tr.replaceWith(0, before.doc.content.size, edit.doc.content).setMeta(ySyncPluginKey, { isChangeOrigin: true });
    expect(touchesCitations(fromYjs(withCitation, withCitation.tr.insertText('x', 2)))).toBe(false);
    expect(touchesCitations(fromYjs(withCitation, withCitation.tr.insertText('x', withCitation.doc.content.size - 2)))).toBe(false);
    expect(touchesCitations(fromYjs(state, inserted))).toBe(true);
    expect(touchesCitations(fromYjs(withCitation, withCitation.tr.delete(citationAt, citationAt + 1)))).toBe(true);
    expect(touchesCitations(fromYjs(withCitation, withCitation.tr.setNodeAttribute(citationAt, 'hash', 'h2')))).toBe(true);
  });
});
