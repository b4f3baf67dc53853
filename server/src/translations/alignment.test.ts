import type { Segment } from '@rapporteur/schema';
import { describe, expect, it } from 'vitest';
import type { SegmentRecord } from '../storage/DocumentStore';
import { align, EMPTY_SEGMENT_HASH, segmentHash } from './alignment';

// SPEC LT3–LT5: where each paragraph of a translation stands, from the live
// texts of both documents and the stored status rows.

const seg = (blockId: string, text: string): Segment => {
  const content = text === '' ? [] : [{ type: 'text', text }];
  return { blockId, fingerprint: JSON.stringify(content), empty: content.length === 0 };
};
const row = (blockId: string, status: SegmentRecord['status'], source: Segment | null, target: Segment | null): SegmentRecord => ({
  blockId,
  status,
  sourceHash: source ? segmentHash(source) : null,
  targetHash: target ? segmentHash(target) : EMPTY_SEGMENT_HASH,
  setBy: 'u1',
  setAt: 1,
});

describe('align (SPEC LT3–LT5)', () => {
  it('an empty paragraph hashes as a new translation’s rows say', () => {
    expect(segmentHash(seg('a', ''))).toBe(EMPTY_SEGMENT_HASH);
  });

  it('follows the translation’s order, leaves out paragraphs the source never had, lists those the translation lacks', () => {
    const source = [seg('a', 'One'), seg('b', 'Two'), seg('c', 'Three')];
    const target = [seg('b', ''), seg('split', 'added by the translator'), seg('a', '')];
    const result = align(source, target, []);
    expect(result.segments.map((s) => s.blockId)).toEqual(['b', 'a']);
    expect(result.newInSource).toEqual(['c']);
    expect(result.counts).toEqual({ toTranslate: 2, draft: 0, reviewed: 0, sourceChanged: 0 });
  });

  it('reads draft when the translation changed since the status was set, whatever it was', () => {
    const source = [seg('a', 'One'), seg('b', 'Two'), seg('c', 'Three')];
    const target = [seg('a', 'Un'), seg('b', 'Deux'), seg('c', 'Trois')];
    const rows = [row('a', 'to-translate', source[0]!, null), row('b', 'reviewed', source[1]!, seg('b', 'Deux !')), row('c', 'reviewed', source[2]!, target[2]!)];
    expect(align(source, target, rows).segments.map((s) => s.status)).toEqual(['draft', 'draft', 'reviewed']);
  });

  it('flags the source changed against the status’s source text, and a paragraph gone from the source', () => {
    const then = [seg('a', 'One'), seg('b', 'Two')];
    const now = [seg('a', 'One!')];
    const target = [seg('a', 'Un'), seg('b', 'Deux')];
    const rows = [row('a', 'reviewed', then[0]!, target[0]!), row('b', 'reviewed', then[1]!, target[1]!)];
    const result = align(now, target, rows);
    expect(result.segments.map((s) => [s.blockId, s.sourceChanged, s.inSource])).toEqual([
      ['a', true, true],
      ['b', true, false],
    ]);
    expect(result.counts.sourceChanged).toBe(2);
    expect(align(then, target, rows).counts.sourceChanged).toBe(0);
  });
});
