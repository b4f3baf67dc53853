import type { ConsensusMarker } from '@rapporteur/protocol';
import { bodySchema, translateConsensusEn } from '@rapporteur/schema';
import { doc, li, p, pAttrs, ul } from '@rapporteur/schema/testing';
import { Node } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n';
import { consensusTranslate, draftFromMarker, findBlock, markerBadges, markerFromDraft, newView, targetAtSelection } from './consensus';

const divergence: ConsensusMarker = {
  level: 'divergence',
  basis: 'chair-designation',
  basisNote: 'discussion in session, 12 March',
  views: [{ text: 'One view', groups: ['government'] }],
};

function state(json: ReturnType<typeof doc>, at: number): EditorState {
  const node = Node.fromJSON(bodySchema(), json);
  return EditorState.create({ doc: node, selection: TextSelection.create(node, at) });
}

describe('markerFromDraft', () => {
  it('asks for a level first', () => {
    expect(markerFromDraft(draftFromMarker(null))).toEqual({ ok: false, problem: 'no-level' });
  });

  it('trims, drops an empty note, and keeps views only where the level has them', () => {
    const views = [newView('  First view  ', ['media']), newView('', [])];
    expect(markerFromDraft({ level: 'divergence', basis: 'in-room-check', basisNote: '  ', views })).toEqual({
      ok: true,
      // An empty view stays for divergence: the readiness check names it.
      marker: { level: 'divergence', basis: 'in-room-check', views: [{ text: 'First view', groups: ['media'] }, { text: '', groups: [] }] },
    });
    expect(markerFromDraft({ level: 'strong-support-with-opposition', basis: 'in-room-check', basisNote: 'x', views })).toEqual({
      ok: true,
      marker: { level: 'strong-support-with-opposition', basis: 'in-room-check', basisNote: 'x', views: [{ text: 'First view', groups: ['media'] }] },
    });
    expect(markerFromDraft({ level: 'consensus', basis: 'comment-period', basisNote: '', views })).toEqual({
      ok: true,
      marker: { level: 'consensus', basis: 'comment-period' },
    });
  });

  it('round-trips a marker through the dialog draft', () => {
    expect(markerFromDraft(draftFromMarker(divergence))).toEqual({ ok: true, marker: divergence });
  });

  it('refuses a note longer than the marker allows', () => {
    expect(markerFromDraft({ level: 'consensus', basis: 'comment-period', basisNote: 'x'.repeat(301), views: [] })).toEqual({ ok: false, problem: 'invalid' });
  });
});

describe('where "Mark consensus" applies', () => {
  it('is the paragraph at the caret, with its id and marker', () => {
    const s = state(doc(p('intro'), pAttrs({ blockId: 'b2', consensus: divergence }, 'Liability of platforms')), 9);
    expect(targetAtSelection(s)).toMatchObject({ pos: 7, type: 'paragraph', blockId: 'b2', marker: divergence, quote: 'Liability of platforms' });
  });

  it('is the list item around a list paragraph', () => {
    const s = state(doc(ul(li(p('one')), li(p('two')))), 11);
    expect(targetAtSelection(s)).toMatchObject({ type: 'listItem', quote: 'two' });
  });

  it('finds a block by id wherever it moved', () => {
    const node = Node.fromJSON(bodySchema(), doc(p('a'), p('b'), pAttrs({ blockId: 'x' }, 'c')));
    expect(findBlock(node, 'x')).toBe(6);
    expect(findBlock(node, 'nope')).toBeNull();
  });
});

describe('labels beside marked blocks', () => {
  it('name each level in words, in document order, from the i18n catalog', () => {
    const node = Node.fromJSON(
      bodySchema(),
      doc(pAttrs({ consensus: divergence }, 'a'), ul({ type: 'listItem', attrs: { consensus: { level: 'minority-view', basis: 'source-reports' } }, content: [p('b')] })),
    );
    const t = consensusTranslate(createI18n({ lng: 'en' }).t);
    const badges = markerBadges(node, t);
    expect(badges.map((b) => [b.label, b.basis, b.at])).toEqual([
      ['Divergence', "Basis: chair's designation — discussion in session, 12 March", 0],
      ['Minority view', 'Basis: source reports', 5],
    ]);
    // The editor's catalog is the schema's: the exports say the same words.
    expect(badges.map((b) => b.label)).toEqual(markerBadges(node, translateConsensusEn).map((b) => b.label));
  });
});
