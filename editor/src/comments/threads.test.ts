import type { CommentView } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import type { ResolvedAnchor } from './anchors';
import type { Thread } from './store';
import { DEFAULT_FILTERS, filterThreads, isFiltered, nextThreadIndex, orderThreads, threadAuthors } from './threads';

function thread(id: string, patch: Partial<CommentView> = {}, author: Partial<CommentView['author']> = {}): Thread {
  return {
    comment: {
      id,
      documentId: 'd1',
      parentId: null,
      author: { id: 'u1', name: 'Amina', organisation: null, stakeholderGroup: 'civil-society', region: 'african', ...author },
      anchor: { type: 'block', blockId: 'b', quote: 'q' },
      body: id,
      suggestion: null,
      status: 'open',
      response: null,
      disposedBy: null,
      disposedAt: null,
      hidden: null,
      createdAt: `2025-06-01T10:00:0${id.length}.000Z`,
      updatedAt: '2025-06-01T10:00:00.000Z',
      editedAt: null,
      ...patch,
    },
    replies: [],
  };
}

describe('thread order', () => {
  it('follows the passages in the text; deleted and unknown ones come last, by time', () => {
    const positions = new Map<string, ResolvedAnchor>([
      ['late', { kind: 'found', from: 50, to: 60 }],
      ['early', { kind: 'found', from: 3, to: 9 }],
      ['same-start-longer', { kind: 'found', from: 3, to: 20 }],
      ['gone', { kind: 'deleted' }],
    ]);
    const order = orderThreads(
      [thread('late'), thread('gone', { createdAt: '2025-06-01T09:00:00.000Z' }), thread('early'), thread('same-start-longer'), thread('new', { createdAt: '2025-06-01T11:00:00.000Z' })],
      positions,
    );
    expect(order.map((t) => `${t.comment.id}:${t.placement.kind}`)).toEqual([
      'early:found',
      'same-start-longer:found',
      'late:found',
      'gone:deleted',
      'new:unknown',
    ]);
  });
});

describe('filters', () => {
  const threads = [
    thread('open-cso'),
    thread('noted-gov', { status: 'noted' }, { id: 'u2', name: 'Bruno', stakeholderGroup: 'government', region: 'latin-american-caribbean' }),
    thread('suggests', { suggestion: 'Better words' }, { id: 'u2', name: 'Bruno', stakeholderGroup: 'government', region: 'latin-american-caribbean' }),
    thread('withdrawn', { status: 'withdrawn' }),
  ];
  const ids = (f: Partial<typeof DEFAULT_FILTERS>) => filterThreads(threads, { ...DEFAULT_FILTERS, ...f });

  it('folds resolved threads away unless asked, and counts them', () => {
    expect(ids({})).toEqual({ visible: [threads[0], threads[2]], hiddenResolved: 2 });
    expect(ids({ showResolved: true }).visible).toHaveLength(4);
    // Asking for a status shows it, resolved or not.
    expect(ids({ status: 'noted' }).visible.map((t) => t.comment.id)).toEqual(['noted-gov']);
  });

  it('keeps the selected thread, even once it is resolved or filtered out', () => {
    const { visible } = filterThreads(threads, { ...DEFAULT_FILTERS, group: 'government' }, 'withdrawn');
    expect(visible.map((t) => t.comment.id)).toEqual(['suggests', 'withdrawn']);
  });

  it('filters by stakeholder group, region, author and suggestion', () => {
    expect(ids({ group: 'government', showResolved: true }).visible.map((t) => t.comment.id)).toEqual(['noted-gov', 'suggests']);
    expect(ids({ region: 'african', showResolved: true }).visible.map((t) => t.comment.id)).toEqual(['open-cso', 'withdrawn']);
    expect(ids({ author: 'u2' }).visible.map((t) => t.comment.id)).toEqual(['suggests']);
    expect(ids({ suggestion: true }).visible.map((t) => t.comment.id)).toEqual(['suggests']);
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, showResolved: true })).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, suggestion: true })).toBe(true);
  });

  it('lists the authors once each, by name', () => {
    expect(threadAuthors(threads)).toEqual([
      { id: 'u1', name: 'Amina' },
      { id: 'u2', name: 'Bruno' },
    ]);
  });
});

describe('keyboard movement between threads', () => {
  it('moves with j/k and the arrows, stops at the ends, jumps with Home/End', () => {
    expect(nextThreadIndex(0, 3, 'j')).toBe(1);
    expect(nextThreadIndex(2, 3, 'ArrowDown')).toBe(2);
    expect(nextThreadIndex(1, 3, 'k')).toBe(0);
    expect(nextThreadIndex(0, 3, 'ArrowUp')).toBe(0);
    expect(nextThreadIndex(1, 3, 'Home')).toBe(0);
    expect(nextThreadIndex(0, 3, 'End')).toBe(2);
    expect(nextThreadIndex(0, 3, 'x')).toBeNull();
    expect(nextThreadIndex(0, 0, 'j')).toBeNull();
  });
});
