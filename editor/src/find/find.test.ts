import { bodySchema } from '@rapporteur/schema';
import { doc, li, p, text, ul } from '@rapporteur/schema/testing';
import { Node } from '@tiptap/pm/model';
import { EditorState } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { findMatches, holdOf, type Match, matchAtOrAfter, queryPattern, replaceAll, replaceOne } from './find';

const plain = { caseSensitive: false, wholeWord: false };
const node = (json: ReturnType<typeof doc>) => Node.fromJSON(bodySchema(), json);
const texts = (d: Node, ms: readonly Match[]) => ms.map((m) => d.textBetween(m.from, m.to, ' ', '\ufffc'));

describe('finding (SPEC FR1)', () => {
  const d = node(doc(p('The Forum met. ', text('forum', 'bold'), 's and fora.'), ul(li(p('FORUM of the forum')))));

  it('finds in every block, across marks, in any case unless asked', () => {
    expect(texts(d, findMatches(d, 'forum', plain))).toEqual(['Forum', 'forum', 'FORUM', 'forum']);
    expect(texts(d, findMatches(d, 'Forum', { caseSensitive: true, wholeWord: false }))).toEqual(['Forum']);
    expect(texts(d, findMatches(d, 'ms an', plain))).toEqual(['ms an']);
  });

  it('whole words: not inside a longer word, in any script', () => {
    expect(findMatches(d, 'forum', { caseSensitive: false, wholeWord: true })).toHaveLength(3);
    const ru = node(doc(p('форум и форумы; Форум.')));
    expect(texts(ru, findMatches(ru, 'форум', { caseSensitive: false, wholeWord: true }))).toEqual(['форум', 'Форум']);
  });

  it('never across blocks, and an inline atom breaks a match', () => {
    const two = node(doc(p('end of one'), p('start of two')));
    expect(findMatches(two, 'one start', plain)).toEqual([]);
    const cited = node(doc(p('access ', { type: 'citation', attrs: { documentId: 'd', blockId: 'b', hash: 'h', label: 'WS 1' } }, ' matters')));
    expect(findMatches(cited, 'access  matters', plain)).toEqual([]);
    expect(texts(cited, findMatches(cited, 'matters', plain))).toEqual(['matters']);
  });

  it('treats the query as words, not a pattern; an empty query finds nothing', () => {
    const d2 = node(doc(p('a.b (c) a*b')));
    expect(texts(d2, findMatches(d2, '(c)', plain))).toEqual(['(c)']);
    expect(texts(d2, findMatches(d2, 'a*b', plain))).toEqual(['a*b']);
    expect(queryPattern('', plain)).toBeNull();
  });

  it('the current match is the one at or after the caret, wrapping', () => {
    const ms = [
      { from: 2, to: 4 },
      { from: 10, to: 12 },
    ];
    expect(matchAtOrAfter(ms, 0)).toBe(0);
    expect(matchAtOrAfter(ms, 5)).toBe(1);
    expect(matchAtOrAfter(ms, 11)).toBe(0);
    expect(matchAtOrAfter([], 3)).toBe(-1);
  });
});

describe('replacing (SPEC FR3, FR4)', () => {
  it('replaces all in one transaction, keeping each match’s marks', () => {
    const d = node(doc(p('The forum and the ', text('forum', 'bold'), '.')));
    const state = EditorState.create({ doc: d });
    const { tr, replaced, held } = replaceAll(state, findMatches(d, 'forum', plain), 'IGF', { suggestions: [], comments: [] });
    expect([replaced, held]).toEqual([2, 0]);
    expect(tr.doc.textContent).toBe('The IGF and the IGF.');
    const bold = tr.doc.firstChild!.child(1);
    expect([bold.text, bold.marks.map((m) => m.type.name)]).toEqual(['IGF', ['bold']]);
  });

  it('leaves alone a match under an open suggestion or covering a commented passage, and says how many', () => {
    const d = node(doc(p('forum one, forum two, forum three')));
    const ms = findMatches(d, 'forum', plain);
    const guard = { suggestions: [{ from: ms[0]!.from + 1, to: ms[0]!.to + 4 }], comments: [{ from: ms[1]!.from, to: ms[1]!.to }, { from: 1, to: 40 }] };
    expect(ms.map((m) => holdOf(m, guard))).toEqual(['suggestion', 'comment', null]);
    const { tr, replaced, held } = replaceAll(EditorState.create({ doc: d }), ms, 'IGF', guard);
    expect([replaced, held]).toEqual([1, 2]);
    expect(tr.doc.textContent).toBe('forum one, forum two, IGF three');
  });

  it('an empty replacement deletes the match', () => {
    const d = node(doc(p('very very good')));
    const tr = replaceOne(EditorState.create({ doc: d }).tr, findMatches(d, 'very ', plain)[0]!, '');
    expect(tr.doc.textContent).toBe('very good');
  });
});
