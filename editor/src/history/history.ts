import { intlLocale } from '@rapporteur/i18n/languages';
import type { DiffChange, DiffSectionView, DiffView, HistoryAuthor, HistoryEntry, Role } from '@rapporteur/protocol';

/** What the person may do with the history. `role` undefined: a server without accounts keeps no history. */
export interface HistoryAbilities {
  /** Open the panel: the timeline, versions, earlier texts and comparisons (members, any role). */
  readonly read: boolean;
  /** Name the current version and restore an earlier point (editors and owners; the server says 403 otherwise). */
  readonly change: boolean;
}

export function historyAbilities(role: Role | undefined): HistoryAbilities {
  switch (role) {
    case undefined:
      return { read: false, change: false };
    case 'owner':
    case 'editor':
      return { read: true, change: true };
    case 'commenter':
    case 'viewer':
      return { read: true, change: false };
  }
}

/**
 * A page of the timeline added after the ones shown: entries already shown
 * (the same id) are not repeated, so a page fetched twice changes nothing.
 */
export function appendEntries(shown: readonly HistoryEntry[], page: readonly HistoryEntry[]): HistoryEntry[] {
  const ids = new Set(shown.map((e) => e.id));
  return [...shown, ...page.filter((e) => !ids.has(e.id))];
}

/**
 * "14:02–14:31" for an edit session, in the page's language, with the date
 * when it is not today (`now`) and both ends when they differ; the ISO
 * strings themselves when they are not dates.
 */
export function sessionTime(language: string, fromIso: string, toIso: string, now: Date): string {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return fromIso === toIso ? fromIso : `${fromIso}–${toIso}`;
  const today = from.toDateString() === now.toDateString() && to.toDateString() === now.toDateString();
  const format = new Intl.DateTimeFormat(intlLocale(language), today ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' });
  return format.formatRange(from, to);
}

/** Who did it, for people: the name and the group's name (as text, never colour alone); `unknown` when the records have nobody. */
export function authorText(author: HistoryAuthor | null, groupName: (group: HistoryAuthor['stakeholderGroup']) => string, unknown: string): string {
  return author ? `${author.name} · ${groupName(author.stakeholderGroup)}` : unknown;
}

/**
 * Everyone who wrote in a history entry (one author, or several where the
 * server merged people writing in turn into one entry), as a list in the
 * reader's language ("A, B and C"; `Intl.ListFormat`).
 */
export function authorsText(
  language: string,
  authors: ReadonlyArray<HistoryAuthor | null>,
  groupName: (group: HistoryAuthor['stakeholderGroup']) => string,
  unknown: string,
): string {
  if (authors.length === 0) return unknown;
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(authors.map((a) => authorText(a, groupName, unknown)));
}

export interface AuthorChanges {
  readonly author: HistoryAuthor | null;
  /** Characters inserted and deleted. */
  readonly inserted: number;
  readonly deleted: number;
}

/** Characters inserted and deleted per author between two points, most changes first (ties: by name). */
export function changesByAuthor(changes: readonly DiffChange[]): AuthorChanges[] {
  const byId = new Map<string, { author: HistoryAuthor | null; inserted: number; deleted: number }>();
  for (const change of changes) {
    const key = change.author?.id ?? '';
    const entry = byId.get(key) ?? { author: change.author, inserted: 0, deleted: 0 };
    const length = [...change.text].length;
    if (change.type === 'insert') entry.inserted += length;
    else entry.deleted += length;
    byId.set(key, entry);
  }
  return [...byId.values()].sort((a, b) => b.inserted + b.deleted - (a.inserted + a.deleted) || (a.author?.name ?? '').localeCompare(b.author?.name ?? ''));
}

export interface SectionChanges {
  /** The heading the changes come under; null for text before the first heading. */
  readonly section: DiffSectionView | null;
  readonly inserted: number;
  readonly deleted: number;
  /** Who changed it, most changes first. */
  readonly authors: AuthorChanges[];
}

/**
 * The summary of a comparison per section (heading), in document order:
 * only sections with changes, each with its characters inserted and deleted
 * and who made them.
 */
export function changesBySection(diff: DiffView): SectionChanges[] {
  const groups = new Map<number, DiffChange[]>();
  for (const change of diff.changes) {
    const key = change.section ?? -1;
    const list = groups.get(key);
    if (list) list.push(change);
    else groups.set(key, [change]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, changes]) => {
      const authors = changesByAuthor(changes);
      return {
        section: key < 0 ? null : (diff.sections[key] ?? null),
        inserted: authors.reduce((n, a) => n + a.inserted, 0),
        deleted: authors.reduce((n, a) => n + a.deleted, 0),
        authors,
      };
    });
}

/** The i18n key labelling a run of a comparison: a deletion, an insertion, or an insertion that accepted someone's suggestion. */
export function changeLabelKey(change: DiffChange): 'history.deletedBy' | 'history.insertedBy' | 'history.insertedBySuggestion' {
  if (change.type === 'delete') return 'history.deletedBy';
  return change.suggestedBy ? 'history.insertedBySuggestion' : 'history.insertedBy';
}

/**
 * The `from` and `to` of a comparison between a picked point and another
 * (null: now), earlier first as the diff route wants; at equal times the
 * picked point comes first.
 */
export function comparePoints(picked: { id: string; at: string }, other: { id: string; at: string } | null): [string, string] {
  if (other === null) return [picked.id, 'current'];
  return Date.parse(other.at) < Date.parse(picked.at) ? [other.id, picked.id] : [picked.id, other.id];
}

/** Audit actions the page has words for (SPEC V6); another action is shown as its code. */
export const AUDIT_ACTIONS = [
  'member.added',
  'member.role_changed',
  'member.removed',
  'member.left',
  'member.joined',
  'invite.created',
  'invite.revoked',
  'visibility.changed',
  'comment_period.set',
  'comment_period.cleared',
  'version.named',
  'version.restored',
  'comment.disposed',
  'comment.accepted',
  'comment.hidden',
  'comment.unhidden',
  'marker.set',
  'marker.removed',
  'document.created_from_template',
  'status.changed',
  'deadline.set',
  'deadline.cleared',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The i18n key for an audit action, or null for one this page does not know. */
export function auditActionKey(action: string): `history.audit.action.${AuditAction}` | null {
  return (AUDIT_ACTIONS as readonly string[]).includes(action) ? `history.audit.action.${action as AuditAction}` : null;
}

/** An audit event's details as plain text ("name: Draft 1 · seq: 42"), values that are not text written as JSON; empty when there are none. */
export function auditDetails(details: Readonly<Record<string, unknown>>): string {
  return Object.entries(details)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}
