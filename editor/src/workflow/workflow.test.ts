import { describe, expect, it } from 'vitest';
import { dueState, isoToLocalInput, localInputToIso, readinessProblemsOf, relativeParts, timeZoneOptions } from './workflow';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const deadline = (at: string) => ({ at, timeZone: 'Europe/Paris' });

describe('due labels (SPEC WF8)', () => {
  it('is overdue from the deadline on, due before it, met once final or published, nothing without one', () => {
    expect(dueState(deadline('2026-03-10T17:00:00Z'), 'review', NOW)).toEqual({ kind: 'due', ms: 5 * 3_600_000 });
    expect(dueState(deadline('2026-03-10T12:00:00Z'), 'review', NOW)).toEqual({ kind: 'overdue', ms: 0 });
    expect(dueState(deadline('2026-03-10T10:00:00Z'), 'drafting', NOW)).toEqual({ kind: 'overdue', ms: 2 * 3_600_000 });
    expect(dueState(deadline('2026-03-10T10:00:00Z'), 'final', NOW)).toEqual({ kind: 'met' });
    expect(dueState(deadline('2026-03-10T10:00:00Z'), 'published', NOW)).toEqual({ kind: 'met' });
    expect(dueState(null, 'review', NOW)).toEqual({ kind: 'none' });
  });

  it('reads a span in the largest natural unit, never zero: "in 5 hours", "2 days ago"', () => {
    expect(relativeParts(5 * 3_600_000)).toEqual({ value: 5, unit: 'hour' });
    expect(relativeParts(20_000)).toEqual({ value: 1, unit: 'minute' });
    expect(relativeParts(-45 * 60_000)).toEqual({ value: -45, unit: 'minute' });
    expect(relativeParts(30 * 3_600_000)).toEqual({ value: 30, unit: 'hour' });
    expect(relativeParts(-2 * 86_400_000)).toEqual({ value: -2, unit: 'day' });
    expect(relativeParts(21 * 86_400_000)).toEqual({ value: 3, unit: 'week' });
    const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
    const { value, unit } = relativeParts(5 * 3_600_000);
    expect(rtf.format(value, unit)).toBe('in 5 hours');
  });
});

describe('the deadline form (SPEC WF6)', () => {
  it('reads the date-time input in the chosen zone, DST included, and back', () => {
    expect(localInputToIso('2026-12-17T18:00', 'Asia/Riyadh')).toBe('2026-12-17T15:00:00.000Z');
    expect(localInputToIso('2026-07-01T18:00', 'Europe/Paris')).toBe('2026-07-01T16:00:00.000Z');
    expect(localInputToIso('2026-01-01T18:00', 'Europe/Paris')).toBe('2026-01-01T17:00:00.000Z');
    // A time the clocks skip moves forward by the jump.
    expect(localInputToIso('2026-03-29T02:30', 'Europe/Paris')).toBe('2026-03-29T01:30:00.000Z');
    expect(isoToLocalInput('2026-12-17T15:00:00.000Z', 'Asia/Riyadh')).toBe('2026-12-17T18:00');
    expect(isoToLocalInput('2026-12-17T15:00:00.000Z', 'America/New_York')).toBe('2026-12-17T10:00');
    expect(localInputToIso('', 'UTC')).toBeNull();
    expect(localInputToIso('2026-13-01T10:00', 'UTC')).toBeNull();
  });

  it('offers every zone Intl knows, UTC first, and the current one even if unlisted', () => {
    const zones = timeZoneOptions('Etc/GMT+5');
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Asia/Riyadh');
    expect(zones).toContain('Etc/GMT+5');
    expect(new Set(zones).size).toBe(zones.length);
  });

  it('reads the passages of a refused move to final, ignoring what is not one', () => {
    expect(readinessProblemsOf({ problems: [{ code: 'required-field-empty', blockId: 'b1', passage: 'Key takeaways' }, { nope: 1 }] })).toEqual([
      { code: 'required-field-empty', blockId: 'b1', passage: 'Key takeaways' },
    ]);
    expect(readinessProblemsOf({ from: 'review' })).toBeNull();
    expect(readinessProblemsOf(undefined)).toBeNull();
  });
});
