import { describe, expect, it } from 'vitest';
import { DeadlineInput } from './deadlines';
import { canonicalTimeZone, instantAt, isDue, startOfDay, wallTime, zoneOffset } from './zonedTime';

const at = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;

describe('deadline arithmetic (SPEC WF6, WF8)', () => {
  it('reads the wall clock and the offset of a zone, summer and winter', () => {
    expect(wallTime(at('2026-07-01T16:00:00Z'), 'Europe/Paris')).toEqual({ year: 2026, month: 7, day: 1, hour: 18, minute: 0, second: 0 });
    expect(zoneOffset(at('2026-07-01T16:00:00Z'), 'Europe/Paris')).toBe(2 * HOUR);
    expect(zoneOffset(at('2026-01-01T16:00:00Z'), 'Europe/Paris')).toBe(1 * HOUR);
    expect(zoneOffset(at('2026-01-01T16:00:00Z'), 'Asia/Kathmandu')).toBe(5.75 * HOUR);
  });

  it('turns a local date-time into the instant, in any zone', () => {
    expect(instantAt({ year: 2026, month: 3, day: 10, hour: 18, minute: 0 }, 'Europe/Paris')).toBe(at('2026-03-10T17:00:00Z'));
    expect(instantAt({ year: 2026, month: 12, day: 17, hour: 9, minute: 30 }, 'Asia/Riyadh')).toBe(at('2026-12-17T06:30:00Z'));
    expect(instantAt({ year: 2026, month: 6, day: 1, hour: 0, minute: 0 }, 'UTC')).toBe(at('2026-06-01T00:00:00Z'));
  });

  it('DST: a time the clocks skip moves forward by the jump; a time they repeat is the earlier one', () => {
    // Paris springs forward at 02:00 on 29 March 2026: 02:30 never happens, it is 03:30 CEST.
    expect(instantAt({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Paris')).toBe(at('2026-03-29T01:30:00Z'));
    // … and falls back at 03:00 on 25 October: 02:30 happens twice; the first is in CEST.
    expect(instantAt({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Paris')).toBe(at('2026-10-25T00:30:00Z'));
    // New York springs forward on 8 March 2026 at 02:00.
    expect(instantAt({ year: 2026, month: 3, day: 8, hour: 2, minute: 15 }, 'America/New_York')).toBe(at('2026-03-08T07:15:00Z'));
  });

  it('DST: days are 23 or 25 hours long, and a day whose midnight is skipped starts at 01:00', () => {
    const spring = at('2026-03-29T12:00:00Z');
    expect(startOfDay(spring, 'Europe/Paris', 1) - startOfDay(spring, 'Europe/Paris')).toBe(23 * HOUR);
    const autumn = at('2026-10-25T12:00:00Z');
    expect(startOfDay(autumn, 'Europe/Paris', 1) - startOfDay(autumn, 'Europe/Paris')).toBe(25 * HOUR);
    // Chile moves from 00:00 to 01:00 on 6 September 2026: that day starts at 01:00 (-03).
    expect(startOfDay(at('2026-09-06T15:00:00Z'), 'America/Santiago')).toBe(at('2026-09-06T04:00:00Z'));
    expect(startOfDay(at('2026-09-05T15:00:00Z'), 'America/Santiago', 1)).toBe(at('2026-09-06T04:00:00Z'));
  });

  it('overdue once the instant has passed, whatever the zone', () => {
    const now = at('2026-03-10T12:00:00Z');
    expect(isDue('overdue', { at: now - 1, timeZone: 'Pacific/Kiritimati' }, now)).toBe(true);
    expect(isDue('overdue', { at: now, timeZone: 'UTC' }, now)).toBe(true);
    expect(isDue('overdue', { at: now + 1, timeZone: 'UTC' }, now)).toBe(false);
    expect(isDue('today', { at: now, timeZone: 'UTC' }, now)).toBe(false);
  });

  it('"today" is the calendar day of now in the deadline’s own zone', () => {
    const now = at('2026-03-10T22:30:00Z');
    // 08:00 on 11 March in Tokyo: there, it is already 07:30 on the 11th.
    expect(isDue('today', { at: at('2026-03-10T23:00:00Z'), timeZone: 'Asia/Tokyo' }, now)).toBe(true);
    // 23:00 on 10 March in Los Angeles, where it is 15:30 on the 10th.
    expect(isDue('today', { at: at('2026-03-11T06:00:00Z'), timeZone: 'America/Los_Angeles' }, now)).toBe(true);
    // The same instant set in London is 06:00 on the 11th, where it is still the 10th: not today, but this week.
    expect(isDue('today', { at: at('2026-03-11T06:00:00Z'), timeZone: 'Europe/London' }, now)).toBe(false);
    expect(isDue('week', { at: at('2026-03-11T06:00:00Z'), timeZone: 'Europe/London' }, now)).toBe(true);
  });

  it('"week" is today and the six days after it, in the deadline’s zone, across a DST change', () => {
    const now = at('2026-03-24T10:00:00Z'); // Tuesday 24 March, 11:00 in Paris
    // The week ends at midnight starting Tuesday 31 March in Paris (CEST by then): 30 March 22:00 UTC.
    expect(isDue('week', { at: at('2026-03-30T21:59:59Z'), timeZone: 'Europe/Paris' }, now)).toBe(true);
    expect(isDue('week', { at: at('2026-03-30T22:00:00Z'), timeZone: 'Europe/Paris' }, now)).toBe(false);
    expect(isDue('week', { at: now - 1, timeZone: 'Europe/Paris' }, now)).toBe(false);
  });

  it('accepts only zones Intl knows, in their canonical spelling', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(DeadlineInput.parse({ at: '2026-03-10T18:00:00+01:00', timeZone: 'europe/paris' })).toEqual({
      at: '2026-03-10T18:00:00+01:00',
      timeZone: 'Europe/Paris',
    });
    expect(DeadlineInput.safeParse({ at: '2026-03-10T18:00:00+01:00', timeZone: 'Mars/Olympus_Mons' }).success).toBe(false);
    expect(DeadlineInput.safeParse({ at: '10 March', timeZone: 'UTC' }).success).toBe(false);
  });
});
