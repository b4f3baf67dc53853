import type { ConsensusMarker } from '@rapporteur/protocol';
import { bodySchema, translateConsensusEn } from '@rapporteur/schema';
import { doc, p, pAttrs, ul } from '@rapporteur/schema/testing';
import { Fragment, Node } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import type { DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { decorations, nextBadgeDecorations } from './ConsensusController';

const divergence: ConsensusMarker = { level: 'divergence', basis: 'chair-designation' };
const t = translateConsensusEn;

/** What a label set shows: each decoration's range, kind and what it draws — comparable between two sets. */
function shown(set: DecorationSet, state: EditorState): string[] {
  return set
    .find(0, state.doc.content.size)
    .map((d) => {
      const spec = d.spec as { key?: string };
      return `${d.from}-${d.to} ${d.from === d.to ? `widget ${spec.key}` : 'node'}`;
    })
    .sort();
}

describe('labels beside marked blocks, kept up as the text changes', () => {
  const start = EditorState.create({
    doc: Node.fromJSON(bodySchema(), doc(pAttrs({ consensus: divergence }, 'agreed text'), p('plain'), ul({ type: 'listItem', attrs: { consensus: { level: 'minority-view', basis: 'source-reports' } }, content: [p('a view')] }))),
  });

  /** Applies `make(state)` both ways — incrementally from the labels before, and afresh — and expects the same labels. */
  function step(state: EditorState, labels: DecorationSet, make: (s: EditorState) => Transaction): { state: EditorState; labels: DecorationSet } {
    const tr = make(state);
    const next = state.apply(tr);
    const kept = nextBadgeDecorations(tr, labels, next, t);
    expect(shown(kept, next)).toEqual(shown(decorations(next, t), next));
    return { state: next, labels: kept };
  }

  it('move with typing and deleting inside blocks, and follow markers set, cleared and blocks added, split or replaced', () => {
    let at = { state: start, labels: decorations(start, t) };
    expect(shown(at.labels, at.state)).toHaveLength(4);
    // Typing at the start, middle and end of the marked paragraph, in the unmarked one, in the list item; deleting.
    at = step(at.state, at.labels, (s) => s.tr.insertText('X', 1));
    at = step(at.state, at.labels, (s) => s.tr.insertText('Y', 5));
    at = step(at.state, at.labels, (s) => s.tr.insertText('Z', s.doc.firstChild!.nodeSize - 1));
    at = step(at.state, at.labels, (s) => s.tr.insertText('plain ', s.doc.firstChild!.nodeSize + 1));
    at = step(at.state, at.labels, (s) => s.tr.delete(2, 6));
    const listText = (s: EditorState): number => s.doc.content.size - 3;
    at = step(at.state, at.labels, (s) => s.tr.insertText('!', listText(s)));
    // A marker cleared (AttrStep) and set again (ReplaceAroundStep).
    at = step(at.state, at.labels, (s) => s.tr.setNodeAttribute(0, 'consensus', null));
    expect(shown(at.labels, at.state)).toHaveLength(2);
    at = step(at.state, at.labels, (s) => s.tr.setNodeMarkup(0, undefined, { ...s.doc.firstChild!.attrs, consensus: divergence }));
    // The marked paragraph split in two; a marked paragraph pasted; everything replaced (as a co-author's change arrives).
    at = step(at.state, at.labels, (s) => s.tr.split(4));
    at = step(at.state, at.labels, (s) => s.tr.insert(0, Node.fromJSON(bodySchema(), pAttrs({ consensus: divergence }, 'pasted'))));
    at = step(at.state, at.labels, (s) => s.tr.replaceWith(0, s.doc.content.size, Fragment.from(Node.fromJSON(bodySchema(), p('all new')))));
    expect(shown(at.labels, at.state)).toEqual([]);
  });

  it('move with a co-author\'s typing, which y-sync brings as the whole document replaced, and follow a co-author\'s marker', () => {
    let at = { state: start, labels: decorations(start, t) };
    /** A change from Yjs: the document after `edit`, every block y-sync did not rebuild kept as the same node. */
    const fromYjs = (edit: (s: EditorState) => Transaction) => (s: EditorState) => {
      const after = edit(s).doc;
      return s.tr.replaceWith(0, s.doc.content.size, after.content).setMeta(ySyncPluginKey, { isChangeOrigin: true });
    };
    const before = new Set(at.labels.find().map((d) => d.spec as unknown));
    at = step(at.state, at.labels, fromYjs((s) => s.tr.insertText('co-author ', 3)));
    // Moved, not made again: the same labels.
    expect(at.labels.find().every((d) => before.has(d.spec))).toBe(true);
    at = step(at.state, at.labels, fromYjs((s) => s.tr.delete(2, 5)));
    at = step(at.state, at.labels, fromYjs((s) => s.tr.insertText('!', s.doc.content.size - 3)));
    // The co-author clears the first marker and marks the plain paragraph.
    at = step(at.state, at.labels, fromYjs((s) => s.tr.setNodeAttribute(0, 'consensus', null)));
    at = step(at.state, at.labels, fromYjs((s) => s.tr.setNodeAttribute(s.doc.firstChild!.nodeSize, 'consensus', divergence)));
    expect(shown(at.labels, at.state)).toHaveLength(4);
  });

  it('are found afresh when asked (the language changed) and left as they are when only the selection moves', () => {
    const labels = decorations(start, t);
    const moved = start.tr.setSelection(TextSelection.create(start.doc, 3));
    expect(nextBadgeDecorations(moved, labels, start.apply(moved), t)).toBe(labels);
    const again = nextBadgeDecorations(moved, labels, start.apply(moved), t, true);
    expect(again).not.toBe(labels);
    expect(shown(again, start)).toEqual(shown(labels, start));
  });
});
