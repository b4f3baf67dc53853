import { bodySchema } from '@rapporteur/schema';
import { doc, h, li, p, pAttrs } from '@rapporteur/schema/testing';
import type { JSONContent } from '@tiptap/core';
import { Node } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { fieldAtSelection, guidanceDecorations, updateGuidance } from './guidance';

// The guidance of empty fields as placeholders (decorations, never content: SPEC TPL2), and the field at the caret.

const node = (json: JSONContent): Node => Node.fromJSON(bodySchema(), json);
const el = (type: string, attrs: Record<string, unknown>, ...content: JSONContent[]): JSONContent => ({ type, attrs, content });

function placeholders(json: JSONContent): Array<{ text: string; at: string }> {
  const d = node(json);
  return guidanceDecorations(d, 'not stated')
    .find()
    .map((deco) => ({ text: (deco as unknown as { type: { attrs: Record<string, string> } }).type.attrs['data-guidance']!, at: d.nodeAt(deco.from)!.type.name }));
}

const takeaways = (...items: JSONContent[]) => el('orderedList', { field: 'key-takeaways', guidance: 'Up to three.', required: true, maxItems: 3 }, ...items);

describe('guidanceDecorations', () => {
  it('shows a field’s guidance in its first empty text block, and not once it holds text', () => {
    expect(placeholders(doc(h(2, 'Key takeaways'), takeaways(li(p()))))).toEqual([{ text: 'Up to three.', at: 'paragraph' }]);
    expect(placeholders(doc(h(2, 'Key takeaways'), takeaways(li(p('Access matters')))))).toEqual([]);
    expect(placeholders(doc(pAttrs({ guidance: 'What next.' })))).toEqual([{ text: 'What next.', at: 'paragraph' }]);
    expect(placeholders(doc(el('heading', { level: 2, guidance: 'The theme' })))).toEqual([{ text: 'The theme', at: 'heading' }]);
  });

  it('says "not stated" in the empty body cells of a participation table, and leaves a 0 alone', () => {
    const table = el(
      'table',
      { emptyMeansNotStated: true, guidance: 'Figures.' },
      el('tableRow', {}, el('tableHeader', {}, p('Participants')), el('tableHeader', {}, p('Number'))),
      el('tableRow', {}, el('tableCell', {}, p('On site')), el('tableCell', {}, p('0'))),
      el('tableRow', {}, el('tableCell', {}, p('Online')), el('tableCell', {}, p())),
    );
    expect(placeholders(doc(table))).toEqual([{ text: 'not stated', at: 'paragraph' }]);
  });
});

describe('fieldAtSelection', () => {
  it('names the field at the caret by the heading it comes under, with its rules', () => {
    const d = node(doc(h(2, 'Key takeaways'), takeaways(li(p()))));
    let inside = 0;
    d.descendants((n, pos) => {
      if (n.type.name === 'paragraph' && inside === 0) inside = pos + 1;
    });
    const state = EditorState.create({ doc: d, selection: TextSelection.create(d, inside) });
    expect(fieldAtSelection(state)).toMatchObject({ key: 'key-takeaways', label: 'Key takeaways', guidance: 'Up to three.', required: true, maxItems: 3 });
    const outside = EditorState.create({ doc: d, selection: TextSelection.create(d, 2) });
    expect(fieldAtSelection(outside)).toBeNull();
  });
});

describe('updateGuidance', () => {
  const listed = (set: ReturnType<typeof guidanceDecorations>): string[] =>
    set
      .find()
      .map((d) => `${d.from}-${d.to}:${(d as unknown as { type: { attrs: Record<string, string> } }).type.attrs['data-guidance']}`)
      .sort();

  it('after any edit, equals the decorations computed afresh (only touched blocks are recomputed)', () => {
    const start = node(
      doc(
        h(2, 'Key takeaways'),
        takeaways(li(p())),
        pAttrs({ guidance: 'Way forward.' }),
        el('table', { emptyMeansNotStated: true }, el('tableRow', {}, el('tableCell', {}, p('On site')), el('tableCell', {}, p()))),
        pAttrs({ guidance: 'Gender.' }),
      ),
    );
    let state = EditorState.create({ doc: start });
    let set = guidanceDecorations(state.doc, 'not stated');
    const textblocks = (): number[] => {
      const out: number[] = [];
      state.doc.descendants((n, pos) => {
        if (n.isTextblock) out.push(pos + 1);
      });
      return out;
    };
    // Type into each text block in turn, then delete what was typed, then join blocks.
    const steps: Array<(s: EditorState) => EditorState['tr']> = [];
    for (let i = 0; i < 6; i++) steps.push((s) => s.tr.insertText('x', textblocks()[i % textblocks().length]!));
    for (let i = 0; i < 6; i++) {
      steps.push((s) => {
        let tr = s.tr;
        s.doc.descendants((n, pos) => {
          if (tr.docChanged || !n.isText) return;
          tr = tr.delete(pos, pos + 1);
        });
        return tr;
      });
    }
    steps.push((s) => s.tr.delete(1, 20));
    for (const step of steps) {
      const tr = step(state);
      set = updateGuidance(set, tr, 'not stated');
      state = state.apply(tr);
      expect(listed(set)).toEqual(listed(guidanceDecorations(state.doc, 'not stated')));
    }
  });
});

describe('fieldAtSelection in nested fields', () => {
  it('joins a cell’s guidance with its table’s, and takes the table’s key and rules', () => {
    const d = node(
      doc(
        h(3, 'Speakers'),
        el(
          'table',
          { field: 'speakers', required: true, guidance: 'Every speaker, with their group.' },
          el('tableRow', {}, el('tableHeader', {}, p('Speaker'))),
          el('tableRow', {}, el('tableCell', { guidance: 'Name' }, p())),
        ),
      ),
    );
    let inCell = 0;
    d.descendants((n, pos) => {
      if (n.type.name === 'tableCell') inCell = pos + 2;
    });
    const field = fieldAtSelection(EditorState.create({ doc: d, selection: TextSelection.create(d, inCell) }));
    expect(field).toMatchObject({ key: 'speakers', label: 'Speakers', guidance: 'Name. Every speaker, with their group.', required: true });
  });
});
