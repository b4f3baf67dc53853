import { describe, expect, it } from 'vitest';
import { presenceEntries, samePresence } from './presence';

describe('presenceEntries', () => {
  const states = new Map<number, unknown>([
    [3, { user: { name: 'Zoé', color: '#1a5fb4' } }],
    [1, { user: { name: 'Amina', color: '#b3261e' }, cursor: { anchor: 1 } }],
    [2, { user: { name: 'Me', color: '#1e6b3a' } }],
  ]);

  it('lists yourself first, then the others by name', () => {
    expect(presenceEntries(states, 2).map((p) => [p.clientId, p.name, p.self])).toEqual([
      [2, 'Me', true],
      [1, 'Amina', false],
      [3, 'Zoé', false],
    ]);
  });

  it('does not trust remote states', () => {
    const hostile = new Map<number, unknown>([
      [5, { user: { name: 'x'.repeat(500), color: 'red;background:url(evil)' } }],
      [6, { user: 'not an object' }],
      [7, null],
    ]);
    const [a, b, c] = presenceEntries(hostile, 99);
    expect(a).toMatchObject({ clientId: 5, color: null });
    expect(a?.name?.length).toBe(80);
    expect(b).toMatchObject({ clientId: 6, name: null, color: null });
    expect(c).toMatchObject({ clientId: 7, name: null, color: null });
  });

  it('compares lists by content', () => {
    expect(samePresence(presenceEntries(states, 2), presenceEntries(new Map(states), 2))).toBe(true);
    expect(samePresence(presenceEntries(states, 2), presenceEntries(states, 1))).toBe(false);
  });
});
