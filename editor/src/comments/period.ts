// Types only: the share dialog and the header load this without zod.
import type { CommentPeriod } from '@rapporteur/client/http';

/** Where `now` falls in a document's comment period. */
export type PeriodState =
  | { readonly kind: 'none' }
  | { readonly kind: 'before'; readonly opensAt: string; readonly closesAt: string }
  | { readonly kind: 'open'; readonly opensAt: string; readonly closesAt: string }
  | { readonly kind: 'after'; readonly opensAt: string; readonly closesAt: string };

/** Open from `opensAt` (inclusive) to `closesAt` (exclusive), as the server decides (SPEC C8). */
export function periodState(period: CommentPeriod | null | undefined, now: number): PeriodState {
  if (!period) return { kind: 'none' };
  const opens = Date.parse(period.opensAt);
  const closes = Date.parse(period.closesAt);
  const kind = now < opens ? 'before' : now < closes ? 'open' : 'after';
  return { kind, opensAt: period.opensAt, closesAt: period.closesAt };
}

/** When the state next changes (ms from `now`), or null when it never will. */
export function nextPeriodChange(period: CommentPeriod | null | undefined, now: number): number | null {
  if (!period) return null;
  for (const at of [Date.parse(period.opensAt), Date.parse(period.closesAt)]) if (at > now) return at - now;
  return null;
}

/**
 * Why the person cannot comment now, or null when they can: viewers never;
 * outside a comment period only editors and owners (`dispose`) may.
 */
export function commentBlock(
  can: { readonly comment: boolean; readonly dispose: boolean },
  state: PeriodState,
): 'notAllowed' | 'notYetOpen' | 'closed' | null {
  if (!can.comment) return 'notAllowed';
  if (can.dispose) return null;
  if (state.kind === 'before') return 'notYetOpen';
  if (state.kind === 'after') return 'closed';
  return null;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO time as the value of `<input type="datetime-local">`, in the browser's time zone ('' when invalid). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (local time) as ISO 8601 in UTC, or null when it is not a time. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const d = new Date(value); // no offset: read as local time
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
