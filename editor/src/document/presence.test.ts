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

  it('reads the stakeholder group, ignoring unknown ones', () => {
    const withGroups = new Map<number, unknown>([
      [1, { user: { name: 'A', color: '#1a5fb4', stakeholderGroup: 'academia' } }],
      [2, { user: { name: 'B', color: '#1a5fb4', stakeholderGroup: 'aliens' } }],
      [3, { user: { name: 'C', color: '#1a5fb4' } }],
    ]);
    expect(presenceEntries(withGroups, 0).map((p) => p.stakeholderGroup)).toEqual(['academia', null, null]);
  });

  it('compares lists by content', () => {
    expect(samePresence(presenceEntries(states, 2), presenceEntries(new Map(states), 2))).toBe(true);
    expect(samePresence(presenceEntries(states, 2), presenceEntries(states, 1))).toBe(false);
    const grouped = new Map(states);
    grouped.set(3, { user: { name: 'Zoé', color: '#1a5fb4', stakeholderGroup: 'media' } });
    expect(samePresence(presenceEntries(states, 2), presenceEntries(grouped, 2))).toBe(false);
  });
});
