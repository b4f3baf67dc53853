import type { CitationView, TakeawayView } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { citationKey, matchStatuses } from './consolidation';
import { filterChoices, filterTakeaways, groupTakeaways, NO_FILTER } from './takeaways';

const cite = (documentId: string, blockId: string, hash: string, label: string) => ({ documentId, blockId, hash, label });

function takeaway(over: Partial<TakeawayView>): TakeawayView {
  return {
    sessionId: 's1',
    sessionCode: 'WS 1',
    sessionTitle: 'Connectivity',
    sessionType: 'workshop',
    stakeholderGroups: ['government'],
    documentId: 'd1',
    blockId: 'b1',
    kind: 'takeaway',
    text: 'Affordable access matters.',
    hash: 'h',
    group: 0,
    ...over,
  };
}

describe('matchStatuses', () => {
  const a = cite('d1', 'b1', 'h1', 'WS 1');
  const b = cite('d2', 'b2', 'h2', 'WS 2');
  const current: CitationView = { inBlock: 'm', label: 'WS 1', status: 'current', documentId: 'd1', blockId: 'b1', title: 'One' };
  const hidden: CitationView = { inBlock: 'm', label: 'WS 2', status: 'not-public', documentId: null, blockId: null };

  it('matches by position while the labels line up, so a source the reader may not read still gets its status', () => {
    const out = matchStatuses([a, b], [current, hidden]);
    expect(out.get(citationKey(a))?.status).toBe('current');
    expect(out.get(citationKey(b))?.status).toBe('not-public');
  });

  it('when the text moved on, matches only the citations that name their source', () => {
    const c = cite('d3', 'b3', 'h3', 'WS 3');
    const out = matchStatuses([c, a, b], [current, hidden]);
    expect(out.get(citationKey(a))?.status).toBe('current');
    expect(out.has(citationKey(b))).toBe(false);
    expect(out.has(citationKey(c))).toBe(false);
  });
});

describe('takeaways in the panel', () => {
  const items = [
    takeaway({}),
    takeaway({ sessionId: 's2', sessionCode: 'OF 2', sessionType: 'open-forum', stakeholderGroups: ['civil-society'], blockId: 'b2', text: 'Access should be affordable.', group: 0 }),
    takeaway({ sessionId: 's3', sessionCode: 'WS 3', kind: 'call-to-action', stakeholderGroups: ['technical-community', 'government'], blockId: 'b3', text: 'Publish open data on prices.', group: 1 }),
  ];

  it('filters by kind, session type, the speakers’ stakeholder group and words (any case, any accent)', () => {
    expect(filterTakeaways(items, NO_FILTER)).toHaveLength(3);
    expect(filterTakeaways(items, { ...NO_FILTER, kind: 'call-to-action' }).map((i) => i.blockId)).toEqual(['b3']);
    expect(filterTakeaways(items, { ...NO_FILTER, sessionType: 'open-forum' }).map((i) => i.blockId)).toEqual(['b2']);
    expect(filterTakeaways(items, { ...NO_FILTER, stakeholderGroup: 'government' }).map((i) => i.blockId)).toEqual(['b1', 'b3']);
    expect(filterTakeaways(items, { ...NO_FILTER, query: 'AFFORDABLE of 2' }).map((i) => i.blockId)).toEqual(['b2']);
    expect(filterTakeaways([takeaway({ text: 'Accès abordable' })], { ...NO_FILTER, query: 'acces' })).toHaveLength(1);
  });

  it('groups what says nearly the same, in programme order, counting sessions', () => {
    const groups = groupTakeaways(items);
    expect(groups.map((g) => [g.group, g.items.map((i) => i.blockId), g.sessions])).toEqual([
      [0, ['b1', 'b2'], 2],
      [1, ['b3'], 1],
    ]);
  });

  it('offers as filter choices only the types and groups present', () => {
    expect(filterChoices(items)).toEqual({ sessionTypes: ['open-forum', 'workshop'], stakeholderGroups: ['civil-society', 'government', 'technical-community'] });
  });
});
