import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';

import { docToJSON, missingBlocks, readinessProblems, segmentsOf, translationBody } from './index';
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

describe('missingBlocks (SPEC LT7)', () => {
  const p = (id: string, text = ''): JSONContent => block('paragraph', { blockId: id }, ...(text ? [text_(text)] : []));
  const text_ = (t: string): JSONContent => ({ type: 'text', text: t });
  const list = (id: string, ...items: JSONContent[]): JSONContent => block('bulletList', { blockId: id }, ...items);
  const item = (id: string, para: JSONContent): JSONContent => block('listItem', { blockId: id }, para);
  const doc_ = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });

  /** Applies insertions to a JSON body the way the server applies them to the Y.Doc: in the order given. */
  const apply = (target: JSONContent, insertions: ReturnType<typeof missingBlocks>): JSONContent => {
    const copy = JSON.parse(JSON.stringify(target)) as JSONContent;
    for (const ins of insertions) {
      let node = copy;
      for (const i of ins.path) node = node.content![i]!;
      node.content = [...(node.content ?? []).slice(0, ins.index), ...ins.blocks, ...(node.content ?? []).slice(ins.index)];
    }
    return copy;
  };
  const ids = (node: JSONContent): unknown => (node.content ?? []).map((c) => (c.content && c.type !== 'paragraph' ? [c.attrs?.['blockId'], ids(c)] : c.attrs?.['blockId']));

  it('puts each new block of the original after the counterpart of the block before it, inside its parent’s counterpart, emptied', () => {
    const source = doc_(p('new0', 'First'), p('a', 'A'), p('new1', 'One'), p('new2', 'Two'), list('l', item('i1', p('q1', 'x')), item('i2', p('q2', 'y')), item('i3', p('q3', 'z'))), p('b', 'B'), p('new3', 'Three'));
    const target = doc_(p('a', 'Un'), list('l', item('i1', p('q1', 'x')), item('i3', p('q3', 'z'))), p('extra', 'added by the translator'), p('b', 'Bé'));
    const insertions = missingBlocks(source, target);
    const result = apply(target, insertions);
    expect(ids(result)).toEqual(['new0', 'a', 'new1', 'new2', ['l', [['i1', ['q1']], ['i2', ['q2']], ['i3', ['q3']]]], 'extra', 'b', 'new3']);
    // Copies are empty, as a translation starts them; the translation's own text is untouched.
    const added = result.content!.find((c) => c.attrs?.['blockId'] === 'new1')!;
    expect(added.content).toBeUndefined();
    expect(result.content![1]!.content).toEqual([text_('Un')]);
    expect(missingBlocks(source, result)).toEqual([]);
  });

  it('copies a missing container with what it holds', () => {
    const source = doc_(p('a', 'A'), list('l2', item('j1', p('r1', 'x'))));
    const result = apply(doc_(p('a')), missingBlocks(source, doc_(p('a'))));
    expect(ids(result)).toEqual(['a', ['l2', [['j1', ['r1']]]]]);
  });
});
