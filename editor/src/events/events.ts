import type { ReportCounts, SessionView } from '@rapporteur/protocol';

// What the events pages work out (issue 11), apart from React so it can be tested alone.

/** Tracks typed one per line (or separated by semicolons): trimmed, blanks and repeats (any case) dropped. */
export function parseTracks(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\n;]/u)) {
    const name = raw.trim().replace(/\s+/gu, ' ');
    const key = name.toLocaleLowerCase('en');
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

/** E-mail addresses typed one per line, or separated by commas, semicolons or spaces. */
export function parseEmails(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/u).map((e) => e.trim()).filter(Boolean))];
}

/** The problems of the "New event" form, by field, before asking the server (which checks again). */
export function eventFormProblems(form: { name: string; startsAt: string; endsAt: string; deadlineHours: string }): Partial<Record<'name' | 'startsAt' | 'endsAt' | 'deadlineHours', 'required' | 'endBeforeStart' | 'deadlineRange'>> {
  const out: Partial<Record<'name' | 'startsAt' | 'endsAt' | 'deadlineHours', 'required' | 'endBeforeStart' | 'deadlineRange'>> = {};
  if (!form.name.trim()) out.name = 'required';
  if (!form.startsAt) out.startsAt = 'required';
  if (!form.endsAt) out.endsAt = 'required';
  else if (form.startsAt && form.endsAt < form.startsAt) out.endsAt = 'endBeforeStart';
  const hours = Number(form.deadlineHours);
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 60) out.deadlineHours = 'deadlineRange';
  return out;
}

/** The dashboard's sessions by track, in the order the server gave them (overdue first), tracks by name. */
export function byTrack(sessions: readonly SessionView[]): { track: string; trackId: string; sessions: SessionView[] }[] {
  const groups = new Map<string, { track: string; trackId: string; sessions: SessionView[] }>();
  for (const s of sessions) {
    const group = groups.get(s.trackId) ?? { track: s.track, trackId: s.trackId, sessions: [] };
    group.sessions.push(s);
    groups.set(s.trackId, group);
  }
  return [...groups.values()].sort((a, b) => a.track.localeCompare(b.track));
}

/** The status counts to show, in the order a report goes through them. */
export const STATUS_ORDER = ['missing', 'drafting', 'in-review', 'submitted', 'published'] as const satisfies readonly (keyof ReportCounts)[];

/** A time on the event's clock, with the zone's short name, in the reader's language. */
export function eventTime(locale: string, iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // dateStyle cannot go with timeZoneName: the parts are named one by one.
  const parts: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat(locale, { ...parts, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...parts, timeZone: 'UTC' }).format(date);
  }
}

/** The browser's time zone, for a new event's default. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every zone this browser knows, for the time zone choice (the server checks the name again). */
export function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  const all = new Set([...zones, 'UTC', current]);
  return [...all].sort();
}

/**
 * Speakers typed one per line as in the session CSV, `Name (stakeholder
 * group id, region id)`; the lines that do not read so, by number (the
 * server checks the ids).
 */
export function parseSpeakers(text: string): { ok: { name: string; stakeholderGroup: never; region: never }[]; bad: number[] } {
  const ok: { name: string; stakeholderGroup: never; region: never }[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(.+?)\s*\(\s*([a-z-]+)\s*,\s*([a-z-]+)\s*\)$/u.exec(line);
    if (m) ok.push({ name: m[1]!, stakeholderGroup: m[2] as never, region: m[3] as never });
    else bad.push(i + 1);
  });
  return { ok, bad };
}
