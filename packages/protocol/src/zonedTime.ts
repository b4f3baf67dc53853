import type { DUE_FILTERS } from './vocabulary';

/**
 * Deadlines (issue 9): an instant plus the IANA time zone it was set in
 * ("18:00 in Riyadh"). The instant decides "overdue"; the zone decides which
 * calendar day is "today" for it (SPEC WF8). Pure functions over `Intl`, so
 * the server (filters) and the editor (the deadline form) compute the same.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's canonical name (`europe/paris` → `Europe/Paris`), or null when `Intl` does not know it. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A wall-clock reading: month 1–12. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** What the wall clock shows in `timeZone` at the instant `ms`. */
export function wallTime(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at `ms`, in ms (Paris in summer: +7,200,000). */
export function zoneOffset(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const whole = Math.floor(ms / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

function sameWallTime(a: WallTime, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

/**
 * The instant at which the wall clock in `timeZone` shows `local`. Where the
 * clocks go back and a time happens twice, the earlier; where they jump
 * forward and a time never happens, it is moved forward by the jump (02:30 on
 * the spring-forward night in Paris is 03:30 CEST), as Temporal's
 * "compatible" disambiguation does.
 */
export function instantAt(local: Omit<WallTime, 'second'> & { second?: number }, timeZone: string): number {
  const wall: WallTime = { ...local, second: local.second ?? 0 };
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const day = 86_400_000;
  const before = zoneOffset(asUtc - day, timeZone);
  const after = zoneOffset(asUtc + day, timeZone);
  const candidates = [asUtc - before, asUtc - after].filter((t) => sameWallTime(wallTime(t, timeZone), wall));
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: read the wall time with the offset in force before the jump.
  return asUtc - before;
}

/** The first instant of the calendar day `days` after the one `ms` falls on in `timeZone`. */
export function startOfDay(ms: number, timeZone: string, days = 0): number {
  const w = wallTime(ms, timeZone);
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return instantAt({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: 0, minute: 0 }, timeZone);
}

/**
 * Whether a deadline falls in a due window at `now` (SPEC WF8):
 * - `overdue`: the deadline has passed (`at <= now`);
 * - `today`: not passed, and before the end of today — the calendar day
 *   `now` falls on in the deadline's own time zone;
 * - `week`: not passed, and before the end of the sixth day after today
 *   (today and the next six days), in the deadline's time zone.
 * Documents that are final or published are never due (the server leaves
 * them out before asking).
 */
export function isDue(filter: (typeof DUE_FILTERS)[number], deadline: { at: number; timeZone: string }, now: number): boolean {
  if (filter === 'overdue') return deadline.at <= now;
  if (deadline.at <= now) return false;
  return deadline.at < startOfDay(now, deadline.timeZone, filter === 'today' ? 1 : 7);
}
