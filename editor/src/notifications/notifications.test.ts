import { describe, expect, it } from 'vitest';
import { notificationPath } from './notifications';

describe('notificationPath', () => {
  it('links to the document with the comment selected', () => {
    expect(notificationPath({ document: { id: 'd1', title: 'T' }, comment: { id: 'c/1', parentId: null, excerpt: '', status: 'open' } })).toBe('/d/d1?comment=c%2F1');
  });
});
