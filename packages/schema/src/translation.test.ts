import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';

import { docToJSON, readinessProblems, segmentsOf, translationBody } from './index';
import { text, yDocFromJSON } from './testing';

// Linked translations (issue 12, SPEC LT2): the first body of a translation
// keeps the source's structure and block ids with every paragraph empty; the
// alignment compares paragraphs by id and by their words.

const block = (type: string, attrs: Record<string, unknown>, ...content: JSONContent[]): JSONContent => ({
  type,
  attrs,
  ...(content.length > 0 ? { content } : {}),
});

const divergence = {
  level: 'divergence',
  basis: 'chair-designation',
  basisNote: 'in session',
  views: [
    { text: 'Platforms should carry liability.', groups: ['government'] },
    { text: 'Liability would chill speech.', groups: ['private-sector', 'academia'] },
  ],
};

const source = (): JSONContent => ({
  type: 'doc',
  content: [
    block('heading', { level: 2, blockId: 'h', dir: 'ltr' }, text('Key takeaways')),
    block('paragraph', { blockId: 'p1', dir: 'ltr', consensus: divergence, guidance: 'Say what was agreed.', field: 'agreement', required: true }, text('Open standards matter.')),
    block('bulletList', { blockId: 'list' }, block('listItem', { blockId: 'li1' }, block('paragraph', { blockId: 'p2' }, text('First, '), text('bold', 'bold')))),
    block(
      'table',
      { blockId: 't' },
      block('tableRow', { blockId: 'r' }, block('tableHeader', { blockId: 'th' }, block('paragraph', { blockId: 'p3' }, text('Group'))), block('tableCell', { blockId: 'td' }, block('paragraph', { blockId: 'p4' }, text('12')))),
    ),
    block('paragraph', {}, text('No id yet')),
  ],
});

describe('translationBody (SPEC LT2)', () => {
  it('copies structure, ids, levels and markers, with every paragraph empty and its direction auto', () => {
    let n = 0;
    const ydoc = translationBody(docToJSON(yDocFromJSON(source())), () => `new-${++n}`);
    const json = docToJSON(ydoc);
    const [heading, para, list, tbl, last] = json.content ?? [];
    expect(heading).toMatchObject({ type: 'heading', attrs: { level: 2, blockId: 'h', dir: 'auto' } });
    expect(heading?.content).toBeUndefined();
    expect(para?.attrs).toMatchObject({ blockId: 'p1', dir: 'auto', guidance: null, field: 'agreement', required: true });
    expect(para?.content).toBeUndefined();
    // The marker's level, basis and groups stay; its texts are to translate.
    expect(para?.attrs?.['consensus']).toEqual({
      level: 'divergence',
      basis: 'chair-designation',
      views: [
        { text: '', groups: ['government'] },
        { text: '', groups: ['private-sector', 'academia'] },
      ],
    });
    expect(list?.attrs?.['blockId']).toBe('list');
    expect(list?.content?.[0]?.content?.[0]).toMatchObject({ type: 'paragraph', attrs: { blockId: 'p2' } });
    expect(tbl?.content?.[0]?.content?.map((c) => [c.type, c.content?.[0]?.attrs?.['blockId']])).toEqual([
      ['tableHeader', 'p3'],
      ['tableCell', 'p4'],
    ]);
    // A block no client had given an id gets one, so it can be aligned from now on.
    expect(last?.attrs?.['blockId']).toBe('new-1');
    expect(segmentsOf(json).map((s) => [s.blockId, s.empty])).toEqual([
      ['h', true],
      ['p1', true],
      ['p2', true],
      ['p3', true],
      ['p4', true],
      ['new-1', true],
    ]);
    // Emptied views keep a translation from final until they are written (K3).
    expect(readinessProblems(json).map((p) => p.code)).toContain('marker-views-missing');
  });
});

describe('segmentsOf (SPEC LT2, LT5)', () => {
  it('lists paragraphs with ids in document order; the fingerprint changes with the words and marks, not with the direction or marker', () => {
    const before = segmentsOf(docToJSON(yDocFromJSON(source())));
    expect(before.map((s) => s.blockId)).toEqual(['h', 'p1', 'p2', 'p3', 'p4']);
    const edited = source();
    const p2 = edited.content![2]!.content![0]!.content![0]!;
    p2.content = [text('First, '), text('bold')];
    const p1 = edited.content![1]!;
    p1.attrs = { ...p1.attrs, dir: 'rtl', consensus: null };
    const after = segmentsOf(docToJSON(yDocFromJSON(edited)));
    const changed = after.filter((s, i) => s.fingerprint !== before[i]!.fingerprint).map((s) => s.blockId);
    expect(changed).toEqual(['p2']);
  });
});
