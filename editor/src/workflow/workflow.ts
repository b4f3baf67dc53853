import { type DeadlineView, type DocumentStatus, instantAt, wallTime } from '@rapporteur/protocol';

/**
 * The review workflow and deadlines in the editor (issue 9, SPEC WF1–WF9):
 * pure helpers behind the status badge, the "Move to…" control, the
 * deadline form and the "due in 5 hours" / "overdue" labels.
 */

/** Statuses in which the text is done: an edit moves it back to revising (WF5), its deadline is met (WF8). */
export const DONE_STATUSES: ReadonlySet<DocumentStatus> = new Set(['final', 'published']);

export type DueState =
  | { readonly kind: 'none' }
  /** The document is final or published: its deadline no longer runs. */
  | { readonly kind: 'met' }
  /** `ms` since the deadline passed. */
  | { readonly kind: 'overdue'; readonly ms: number }
  /** `ms` until the deadline. */
  | { readonly kind: 'due'; readonly ms: number };

/** Where a document stands against its deadline at `now` (overdue once the instant is reached, WF8). */
export function dueState(deadline: DeadlineView | null, status: DocumentStatus, now: number): DueState {
  if (!deadline) return { kind: 'none' };
  if (DONE_STATUSES.has(status)) return { kind: 'met' };
  const at = Date.parse(deadline.at);
  if (Number.isNaN(at)) return { kind: 'none' };
  return at <= now ? { kind: 'overdue', ms: now - at } : { kind: 'due', ms: at - now };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A span as `Intl.RelativeTimeFormat` takes it, in the largest unit that
 * reads naturally: minutes under an hour, hours under two days ("in 5
 * hours", "in 30 hours"), days under two weeks, then weeks. Never zero: a
 * deadline 20 seconds away is "in 1 minute". `ms` > 0 is the future.
 */
export function relativeParts(ms: number): { value: number; unit: 'minute' | 'hour' | 'day' | 'week' } {
  const abs = Math.abs(ms);
  const sign = ms < 0 ? -1 : 1;
  const round = (unit: number) => Math.max(1, Math.round(abs / unit)) * sign;
  if (abs < HOUR) return { value: round(MINUTE), unit: 'minute' };
  if (abs < 2 * DAY) return { value: round(HOUR), unit: 'hour' };
  if (abs < 14 * DAY) return { value: round(DAY), unit: 'day' };
  return { value: round(7 * DAY), unit: 'week' };
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** A `datetime-local` input's value (`2026-12-17T18:00`) read as wall time in `timeZone`: the instant, ISO 8601; null when malformed. */
export function localInputToIso(value: string, timeZone: string): string | null {
  const m = LOCAL_INPUT.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  try {
    return new Date(instantAt({ year, month, day, hour, minute }, timeZone)).toISOString();
  } catch {
    return null;
  }
}

/** The instant as a `datetime-local` value on the wall clock of `timeZone`. */
export function isoToLocalInput(iso: string, timeZone: string): string {
  const w = wallTime(Date.parse(iso), timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The browser's time zone (the deadline form's default), else UTC. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Zones to choose from: every one `Intl` lists, with UTC and `current` included. */
export function timeZoneOptions(current: string): string[] {
  let zones: string[];
  try {
    zones = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  const all = new Set(['UTC', ...zones, current]);
  return [...all].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

/** The passages a refused move to final named (`details.problems` of a 409 `not_ready`), or null for another error. */
export function readinessProblemsOf(details: unknown): Array<{ code: string; blockId: string | null; passage: string }> | null {
  if (typeof details !== 'object' || details === null) return null;
  const problems = (details as { problems?: unknown }).problems;
  if (!Array.isArray(problems)) return null;
  return problems.flatMap((p: unknown) => {
    if (typeof p !== 'object' || p === null) return [];
    const { code, blockId, passage } = p as Record<string, unknown>;
    if (typeof code !== 'string' || typeof passage !== 'string') return [];
    return [{ code, blockId: typeof blockId === 'string' ? blockId : null, passage }];
  });
}
