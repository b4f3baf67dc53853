import { BODY_FIELD, bodySchema } from '@rapporteur/schema';
import { doc, p, pAttrs, yDocFromJSON } from '@rapporteur/schema/testing';
import type { Node as PMNode } from '@tiptap/pm/model';
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorForSelection, decodePosition, encodePosition, MAX_QUOTE, resolveAnchor, type YBinding } from './anchors';

/** The ProseMirror document and mapping an editor bound to `ydoc` would have now. */
function view(ydoc: Y.Doc): { binding: YBinding; pm: PMNode } {
  const type = ydoc.getXmlFragment(BODY_FIELD);
  const { doc: pm, meta } = initProseMirrorDoc(type, bodySchema());
  return { binding: { doc: ydoc, type, mapping: meta.mapping }, pm };
}

/** The ProseMirror position of the `n`th occurrence of `text` (first by default). */
function find(pm: PMNode, text: string): number {
  let at = -1;
  pm.descendants((node, pos) => {
    if (at >= 0) return false;
    if (node.isText) {
      const i = node.text!.indexOf(text);
      if (i >= 0) at = pos + i;
    }
    return true;
  });
  if (at < 0) throw new Error(`"${text}" not found`);
  return at;
}

function textOf(ydoc: Y.Doc, index: number): Y.XmlText {
  return (ydoc.getXmlFragment(BODY_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

function resolvedText(ydoc: Y.Doc, anchor: ReturnType<typeof anchorForSelection>): string | 'deleted' | 'unknown' {
  const { binding, pm } = view(ydoc);
  const r = resolveAnchor(binding, pm, anchor!);
  return r.kind === 'found' ? pm.textBetween(r.from, r.to, '\n') : r.kind;
}

describe('anchors', () => {
  it('encodes relative positions as base64 and back', () => {
    const ydoc = yDocFromJSON(doc(p('abc')));
    const rel = Y.createRelativePositionFromTypeIndex(textOf(ydoc, 0), 1, -1);
    const encoded = encodePosition(rel);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(encodePosition(decodePosition(encoded)!)).toBe(encoded);
    expect(decodePosition(encoded)?.item).toEqual(rel.item);
    expect(decodePosition('not base64!')).toBeNull();
  });

  it('anchors a selection as a range that follows edits made before, inside and after it', () => {
    const ydoc = yDocFromJSON(doc(p('The session agreed on access.'), p('Second paragraph.')));
    const { binding, pm } = view(ydoc);
    const from = find(pm, 'agreed');
    const anchor = anchorForSelection(binding, pm, from, from + 'agreed'.length)!;
    expect(anchor).toMatchObject({ type: 'range', quote: 'agreed' });
    expect(resolvedText(ydoc, anchor)).toBe('agreed');

    const text = textOf(ydoc, 0);
    text.insert(0, 'Today, ');
    expect(resolvedText(ydoc, anchor)).toBe('agreed');
    text.insert(text.toString().indexOf('agreed') + 3, '-');
    expect(resolvedText(ydoc, anchor)).toBe('agr-eed');
    text.insert(text.length, ' More.');
    expect(resolvedText(ydoc, anchor)).toBe('agr-eed');
  });

  it('quotes a selection across blocks with a line break, and cuts a long quote', () => {
    const ydoc = yDocFromJSON(doc(p('One two'), p('three four'), p('x'.repeat(MAX_QUOTE + 10))));
    const { binding, pm } = view(ydoc);
    expect(anchorForSelection(binding, pm, find(pm, 'two'), find(pm, 'three') + 5)?.quote).toBe('two\nthree');
    const long = find(pm, 'xxx');
    expect(anchorForSelection(binding, pm, long, long + MAX_QUOTE + 10)?.quote).toHaveLength(MAX_QUOTE);
  });

  it('marks a range whose text was deleted, and a range whose paragraph was deleted', () => {
    const ydoc = yDocFromJSON(doc(p('Keep this. Drop this. Keep too.'), p('Whole paragraph.')));
    const { binding, pm } = view(ydoc);
    const drop = find(pm, 'Drop this.');
    const onDrop = anchorForSelection(binding, pm, drop, drop + 'Drop this.'.length)!;
    const whole = find(pm, 'Whole');
    const onWhole = anchorForSelection(binding, pm, whole, whole + 5)!;

    const text = textOf(ydoc, 0);
    text.delete(text.toString().indexOf('Drop'), 'Drop this. '.length);
    expect(resolvedText(ydoc, onDrop)).toBe('deleted');
    ydoc.getXmlFragment(BODY_FIELD).delete(1, 1);
    expect(resolvedText(ydoc, onWhole)).toBe('deleted');
  });

  it('keeps a passage whose first characters, at the very start of the body, were deleted', () => {
    const ydoc = yDocFromJSON(doc(p('abcdef')));
    const { binding, pm } = view(ydoc);
    const anchor = anchorForSelection(binding, pm, find(pm, 'bcd'), find(pm, 'bcd') + 3)!;
    textOf(ydoc, 0).delete(0, 2);
    expect(resolvedText(ydoc, anchor)).toBe('cd');
  });

  it('comments on the block around the caret: by its id when it has one, else over its whole text', () => {
    const ydoc = yDocFromJSON(doc(pAttrs({ blockId: 'b-1' }, 'With an id.'), p('Without one.')));
    const { binding, pm } = view(ydoc);
    const withId = anchorForSelection(binding, pm, find(pm, 'an id'), find(pm, 'an id'))!;
    expect(withId).toEqual({ type: 'block', blockId: 'b-1', quote: 'With an id.' });
    expect(resolvedText(ydoc, withId)).toBe('With an id.');
    const without = anchorForSelection(binding, pm, find(pm, 'one'), find(pm, 'one'))!;
    expect(without).toMatchObject({ type: 'range', quote: 'Without one.' });
    textOf(ydoc, 1).insert(0, 'Still ');
    expect(resolvedText(ydoc, without)).toBe('Still Without one.');

    ydoc.getXmlFragment(BODY_FIELD).delete(0, 1);
    expect(resolvedText(ydoc, withId)).toBe('deleted');
  });

  it('says "unknown" for positions in text this client has not received yet', () => {
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(yDocFromJSON(doc(p('base')))));
    const reader = new Y.Doc();
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
    textOf(writer, 0).insert(4, ' and new text');
    const { binding, pm } = view(writer);
    const anchor = anchorForSelection(binding, pm, find(pm, 'new'), find(pm, 'new') + 3)!;
    expect(resolvedText(reader, anchor)).toBe('unknown');
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
    expect(resolvedText(reader, anchor)).toBe('new');
  });
});
