import { describe, expect, it } from 'vitest';
import { commentBlock, fromLocalInput, nextPeriodChange, periodState, toLocalInput } from './period';

const period = { opensAt: '2025-06-01T08:00:00.000Z', closesAt: '2025-06-15T17:00:00.000Z' };
const at = (iso: string) => Date.parse(iso);

describe('comment period', () => {
  it('is open from opensAt (inclusive) to closesAt (exclusive)', () => {
    expect(periodState(null, 0)).toEqual({ kind: 'none' });
    expect(periodState(period, at('2025-05-31T00:00:00Z')).kind).toBe('before');
    expect(periodState(period, at(period.opensAt)).kind).toBe('open');
    expect(periodState(period, at(period.closesAt) - 1).kind).toBe('open');
    expect(periodState(period, at(period.closesAt)).kind).toBe('after');
  });

  it('says when the state changes next', () => {
    expect(nextPeriodChange(period, at(period.opensAt) - 10)).toBe(10);
    expect(nextPeriodChange(period, at(period.closesAt) - 5)).toBe(5);
    expect(nextPeriodChange(period, at(period.closesAt))).toBeNull();
    expect(nextPeriodChange(undefined, 0)).toBeNull();
  });

  it('keeps non-editors from commenting outside the period, never editors, always viewers', () => {
    const commenter = { comment: true, dispose: false };
    const editor = { comment: true, dispose: true };
    const closed = periodState(period, at('2025-07-01T00:00:00Z'));
    expect(commentBlock(commenter, closed)).toBe('closed');
    expect(commentBlock(commenter, periodState(period, at('2025-05-01T00:00:00Z')))).toBe('notYetOpen');
    expect(commentBlock(commenter, periodState(period, at('2025-06-02T00:00:00Z')))).toBeNull();
    expect(commentBlock(commenter, { kind: 'none' })).toBeNull();
    expect(commentBlock(editor, closed)).toBeNull();
    expect(commentBlock({ comment: false, dispose: false }, { kind: 'none' })).toBe('notAllowed');
  });

  it('converts between datetime-local values (local time) and ISO in UTC', () => {
    const local = toLocalInput(period.opensAt);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInput(local)).toBe(period.opensAt);
    const d = new Date(2025, 5, 1, 9, 30);
    expect(fromLocalInput('2025-06-01T09:30')).toBe(d.toISOString());
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
    expect(toLocalInput('nonsense')).toBe('');
  });
});
