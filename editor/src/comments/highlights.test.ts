import { BODY_FIELD, bodySchema } from '@rapporteur/schema';
import { doc, p, yDocFromJSON } from '@rapporteur/schema/testing';
import { EditorState } from '@tiptap/pm/state';
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
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
});
