import type { SegmentView } from '@rapporteur/protocol';
import { schemaExtensions } from '@rapporteur/schema';
import { getSchema } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { anchorAt, languagesToOffer, nextToDo, segmentAt, segmentAttributes } from './translations';

const seg = (blockId: string, status: SegmentView['status'], sourceChanged = false): SegmentView => ({
  blockId,
  status,
  sourceChanged,
  inSource: true,
  setBy: null,
  setAt: null,
});

describe('the translation view’s helpers (SPEC LT3–LT5)', () => {
  it('finds the paragraph at a position, through lists, and nothing without an id', () => {
    const schema = getSchema(schemaExtensions({ uniqueIds: false }));
    const doc = schema.nodeFromJSON({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2, blockId: 'h' }, content: [{ type: 'text', text: 'Title' }] },
        { type: 'bulletList', attrs: { blockId: 'l' }, content: [{ type: 'listItem', attrs: { blockId: 'i' }, content: [{ type: 'paragraph', attrs: { blockId: 'p' }, content: [{ type: 'text', text: 'Item' }] }] }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'No id' }] },
      ],
    });
    expect(segmentAt(doc.resolve(2))?.blockId).toBe('h');
    const inItem = doc.content.child(0).nodeSize + 4;
    expect(segmentAt(doc.resolve(inItem))?.blockId).toBe('p');
    expect(segmentAt(doc.resolve(doc.content.size - 2))).toBeNull();
  });

  it('goes to the next paragraph not reviewed or whose original changed, coming round, and to none when all are done', () => {
    const list = [seg('a', 'reviewed'), seg('b', 'draft'), seg('c', 'reviewed', true), seg('d', 'reviewed'), seg('e', 'to-translate')];
    expect(nextToDo(list, 'a')?.blockId).toBe('b');
    expect(nextToDo(list, 'b')?.blockId).toBe('c');
    expect(nextToDo(list, 'c')?.blockId).toBe('e');
    expect(nextToDo(list, 'e')?.blockId).toBe('b');
    expect(nextToDo(list, null)?.blockId).toBe('b');
    expect(nextToDo([seg('a', 'reviewed'), seg('b', 'reviewed')], 'a')).toBeNull();
    expect(nextToDo([seg('a', 'draft')], 'a')).toBeNull();
  });

  it('offers the languages the family lacks; draws a status and a changed original as attributes', () => {
    expect(languagesToOffer(['ar', 'zh', 'en', 'fr', 'ru', 'es'], ['en', 'fr'])).toEqual(['ar', 'zh', 'ru', 'es']);
    expect(segmentAttributes(seg('a', 'reviewed', true))).toEqual({ 'data-segment': 'reviewed', 'data-source-changed': 'true' });
    expect(segmentAttributes(seg('a', 'draft'))).toEqual({ 'data-segment': 'draft' });
  });

  it('finds the block a line of the screen crosses, and how far into it', () => {
    const blocks = [
      { id: 'a', top: 0, bottom: 100 },
      { id: 'b', top: 120, bottom: 220 },
      { id: 'c', top: 220, bottom: 420 },
    ];
    const read: number[] = [];
    const at = (y: number) => anchorAt(blocks.length, (i) => (read.push(i), blocks[i]!), y);
    expect(at(50)).toEqual({ index: 0, fraction: 0.5 });
    expect(at(110)).toEqual({ index: 1, fraction: 0 });
    expect(at(320)).toEqual({ index: 2, fraction: 0.5 });
    expect(at(999)).toEqual({ index: 2, fraction: 1 });
    expect(anchorAt(0, () => ({ top: 0, bottom: 0 }), 10)).toBeNull();
    // Bisection: a long column is not read whole.
    read.length = 0;
    const long = Array.from({ length: 1000 }, (_, i) => ({ top: i * 10, bottom: i * 10 + 8 }));
    expect(anchorAt(long.length, (i) => (read.push(i), long[i]!), 5005)).toEqual({ index: 500, fraction: 5 / 8 });
    expect(read.length).toBeLessThan(15);
  });
});
