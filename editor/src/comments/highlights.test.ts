import { BODY_FIELD, bodySchema } from '@rapporteur/schema';
import { doc, p, yDocFromJSON } from '@rapporteur/schema/testing';
import { EditorState } from '@tiptap/pm/state';
import { initProseMirrorDoc, ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { anchorForSelection, type YBinding } from './anchors';
import { commentHighlights, commentHighlightsKey, type HighlightAnchor } from './highlights';

describe('comment highlights', () => {
  it('highlights open threads and the selected one, resolves every anchor, and maps highlights through local typing', () => {
    const ydoc = yDocFromJSON(doc(p('Alpha beta gamma delta.')));
    const type = ydoc.getXmlFragment(BODY_FIELD);
    const { doc: pm, meta } = initProseMirrorDoc(type, bodySchema());
    const binding: YBinding = { doc: ydoc, type, mapping: meta.mapping };
    const at = (word: string) => 1 + 'Alpha beta gamma delta.'.indexOf(word);
    const range = (word: string) => anchorForSelection(binding, pm, at(word), at(word) + word.length)!;
    const anchors: HighlightAnchor[] = [
      { id: 'open', anchor: range('beta'), open: true },
      { id: 'resolved', anchor: range('gamma'), open: false },
      { id: 'gone', anchor: { type: 'block', blockId: 'missing', quote: 'x' }, open: true },
    ];
    let state = EditorState.create({ doc: pm, plugins: [commentHighlights({ onSelect: () => {}, onPositions: () => {}, binding: () => binding })] });
    state = state.apply(state.tr.setMeta(commentHighlightsKey, { anchors }));
    const plugin = commentHighlightsKey.getState(state)!;
    expect(plugin.positions.get('open')).toEqual({ kind: 'found', from: at('beta'), to: at('beta') + 4 });
    expect(plugin.positions.get('resolved')?.kind).toBe('found');
    expect(plugin.positions.get('gone')).toEqual({ kind: 'deleted' });
    const highlighted = () => commentHighlightsKey.getState(state)!.decorations.find().map((d) => [d.from, d.to, (d.spec as { commentId: string }).commentId]);
    expect(highlighted()).toEqual([[at('beta'), at('beta') + 4, 'open']]);

    state = state.apply(state.tr.setMeta(commentHighlightsKey, { activeId: 'resolved' }));
    expect(highlighted().map((h) => h[2])).toEqual(['open', 'resolved']);

    state = state.apply(state.tr.insertText('New ', 1));
    expect(highlighted()[0]).toEqual([at('beta') + 4, at('beta') + 8, 'open']);
  });

  it('maps a co-author\'s change, brought as a whole new document, by comparing the two, and resolves anchors again only when asked', () => {
    const text = 'Alpha beta gamma delta.';
    const ydoc = yDocFromJSON(doc(p('First paragraph.'), p(text), p('Last paragraph.')));
    const type = ydoc.getXmlFragment(BODY_FIELD);
    const initial = initProseMirrorDoc(type, bodySchema());
    const binding: YBinding = { doc: ydoc, type, mapping: initial.meta.mapping };
    const base = 1 + 'First paragraph.'.length + 2;
    const at = (word: string) => base + text.indexOf(word);
    const range = (word: string) => anchorForSelection(binding, initial.doc, at(word), at(word) + word.length)!;
    const anchors: HighlightAnchor[] = [
      { id: 'beta', anchor: range('beta'), open: true },
      { id: 'delta', anchor: range('delta'), open: true },
    ];
    let resolutions = 0;
    let current = binding;
    const plugin = commentHighlights({ onSelect: () => {}, onPositions: () => {}, binding: () => (resolutions++, current) });
    let state = EditorState.create({ doc: initial.doc, plugins: [plugin] });
    state = state.apply(state.tr.setMeta(commentHighlightsKey, { anchors }));
    expect(resolutions).toBe(1);
    const highlighted = () => commentHighlightsKey.getState(state)!.decorations.find().map((d) => [d.from, d.to]);
    const positions = () => [...commentHighlightsKey.getState(state)!.positions.values()];
    // What y-sync dispatches for a co-author's change: the whole document replaced.
    const remote = (change: () => void) => {
      change();
      const next = initProseMirrorDoc(type, bodySchema());
      current = { doc: ydoc, type, mapping: next.meta.mapping };
      state = state.apply(state.tr.replaceWith(0, state.doc.content.size, next.doc.content).setMeta(ySyncPluginKey, { isChangeOrigin: true }));
    };
    const paragraph = (i: number) => (type.get(i) as Y.XmlElement).get(0) as Y.XmlText;

    remote(() => paragraph(0).insert(0, 'The '));
    expect(highlighted()).toEqual([
      [at('beta') + 4, at('beta') + 8],
      [at('delta') + 4, at('delta') + 9],
    ]);
    remote(() => paragraph(1).insert(text.indexOf('gamma'), 'and '));
    expect(highlighted()).toEqual([
      [at('beta') + 4, at('beta') + 8],
      [at('delta') + 8, at('delta') + 13],
    ]);
    expect(positions()).toEqual([
      { kind: 'found', from: at('beta') + 4, to: at('beta') + 8 },
      { kind: 'found', from: at('delta') + 8, to: at('delta') + 13 },
    ]);
    // The commented word deleted: its passage spans nothing.
    remote(() => paragraph(1).delete(text.indexOf('beta'), 'beta '.length));
    expect(positions()[0]).toEqual({ kind: 'deleted' });
    expect(resolutions).toBe(1);

    // Once typing pauses the view asks for a recomputation: the same answer from the anchors themselves.
    const mapped = positions();
    state = state.apply(state.tr.setMeta(commentHighlightsKey, { recompute: true }));
    expect(resolutions).toBe(2);
    expect(positions()).toEqual(mapped);
  });

});
