import * as z from 'zod';

import { Email } from './api';
import { TimeZoneName } from './deadlines';
import type { DeadlineView } from './deadlines';
import { Region, StakeholderGroup } from './domain';
import type { DocumentStatus } from './outcome';
import { lineText } from './text';
import { REPORT_STATUSES, SESSION_TYPES } from './vocabulary';
import type { REMINDER_KINDS, TAKEAWAY_KINDS } from './vocabulary';

// Events, tracks and sessions (issue 11, SPEC EV1–EV…): request shapes and answers.

export const SessionType = z.enum(SESSION_TYPES);
export type SessionType = z.infer<typeof SessionType>;

export const ReportStatus = z.enum(REPORT_STATUSES);
export type ReportStatus = z.infer<typeof ReportStatus>;

export type TakeawayKind = (typeof TAKEAWAY_KINDS)[number];

/** A calendar date `YYYY-MM-DD` that exists. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'No such date');

/** A local date and time `YYYY-MM-DDTHH:mm[:ss]` (what a datetime-local field gives), in the event's time zone. */
export const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/, 'A local time as YYYY-MM-DDTHH:mm');

export const EventName = lineText({ min: 1, max: 200 });
export const TrackName = lineText({ min: 1, max: 100 });

/** Hours after a session's end its report is due (SPEC EV…): 1 hour to 60 days, 24 by default. */
export const ReportDeadlineHours = z.number().int().min(1).max(24 * 60);

/** `POST /api/events` (admins). Dates are the event's days in its own time zone. */
export const CreateEventRequest = z
  .strictObject({
    name: EventName,
    startsAt: LocalDate,
    endsAt: LocalDate,
    timeZone: TimeZoneName,
    reportDeadlineHours: ReportDeadlineHours.optional(),
    public: z.boolean().optional(),
    tracks: z.array(TrackName).max(50).optional(),
  })
  .refine((e) => e.endsAt >= e.startsAt, { message: 'endsAt must not be before startsAt', path: ['endsAt'] })
  .refine((e) => new Set((e.tracks ?? []).map(trackKey)).size === (e.tracks ?? []).length, { message: 'Two tracks have the same name', path: ['tracks'] });
export type CreateEventRequest = z.infer<typeof CreateEventRequest>;

/** `PATCH /api/events/:id` (admins and organisers): any of these; `tracks` adds tracks by name. */
export const UpdateEventRequest = z
  .strictObject({
    name: EventName.optional(),
    public: z.boolean().optional(),
    reportDeadlineHours: ReportDeadlineHours.optional(),
    addTracks: z.array(TrackName).min(1).max(50).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateEventRequest = z.infer<typeof UpdateEventRequest>;

/** `PUT /api/events/:id/organisers` (admins): the whole list, by e-mail address of existing accounts. */
export const SetOrganisersRequest = z.strictObject({ emails: z.array(Email).max(100) });
export type SetOrganisersRequest = z.infer<typeof SetOrganisersRequest>;

/** How tracks are matched by name (CSV `track`, duplicates): trimmed, NFC, case-insensitive. */
export function trackKey(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase('en');
}

export const SessionCode = lineText({ min: 1, max: 40 });
export const SessionTitle = lineText({ min: 1, max: 300 });

/** A speaker: `Name (stakeholder group id, region id)` in the CSV. */
export const Speaker = z.strictObject({ name: lineText({ min: 1, max: 200 }), stakeholderGroup: StakeholderGroup, region: Region });
export type Speaker = z.infer<typeof Speaker>;

/** `POST /api/events/:id/sessions`: one session added by hand (the same checks as a CSV row). */
export const CreateSessionRequest = z.strictObject({
  code: SessionCode,
  title: SessionTitle,
  type: SessionType,
  track: TrackName,
  start: LocalDateTime,
  end: LocalDateTime,
  organisers: z.array(lineText({ min: 1, max: 200 })).max(50).default([]),
  speakers: z.array(Speaker).max(100).default([]),
  rapporteurs: z.array(Email).min(1).max(10),
});
export type CreateSessionRequest = z.input<typeof CreateSessionRequest>;

/** `?dryRun=` of the import: true unless `false` (a preview writes nothing). */
export const ImportQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).default('true') });

export const DashboardQuery = z.strictObject({
  format: z.enum(['json', 'csv']).default('json'),
  track: z.string().max(100).optional(),
});

export const TakeawaysQuery = z.strictObject({ track: z.string().max(100).optional() });

export interface TrackView {
  readonly id: string;
  readonly name: string;
  /** The track's messages document, once made; null before. */
  readonly messagesDocumentId: string | null;
}

export interface OrganiserView {
  readonly id: string;
  readonly name: string;
  /** Only for admins and organisers. */
  readonly email: string | null;
}

export type ReportCounts = Readonly<Record<ReportStatus, number>> & { readonly overdue: number; readonly sessions: number };

export interface EventView {
  readonly id: string;
  readonly name: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timeZone: string;
  readonly reportDeadlineHours: number;
  readonly public: boolean;
  readonly tracks: readonly TrackView[];
  readonly organisers: readonly OrganiserView[];
  /** Whether the reader manages the event (admin or organiser): sessions, import, dashboard with e-mails. */
  readonly manage: boolean;
  /** Sessions per report status, as the reader may see them. */
  readonly counts: ReportCounts;
}

export interface RapporteurView {
  /** Null while nobody has accepted the invitation sent to `email`. */
  readonly id: string | null;
  readonly name: string | null;
  readonly stakeholderGroup: StakeholderGroup | null;
  /** Only for admins and organisers. */
  readonly email: string | null;
  /** Invited, no account has joined yet. */
  readonly pending: boolean;
}

export interface SessionView {
  readonly id: string;
  readonly code: string;
  readonly title: string;
  readonly track: string;
  readonly trackId: string;
  readonly type: SessionType;
  /** ISO 8601 instants. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly organisers: readonly string[];
  readonly speakers: readonly Speaker[];
  readonly rapporteurs: readonly RapporteurView[];
  readonly documentId: string;
  readonly documentStatus: DocumentStatus;
  readonly status: ReportStatus;
  readonly deadline: DeadlineView | null;
  readonly overdue: boolean;
}

export interface DashboardView {
  readonly event: { readonly id: string; readonly name: string; readonly timeZone: string };
  /** When the statuses were computed (the server's clock). */
  readonly at: string;
  readonly counts: ReportCounts;
  /** Overdue first (soonest deadline first), then by deadline, then code. */
  readonly sessions: readonly SessionView[];
}

/** One problem of an import, by line of the file (1 is the header). */
export interface ImportProblem {
  readonly line: number;
  readonly message: string;
}

export interface ImportSessionRef {
  readonly line: number;
  readonly code: string;
  readonly title: string;
}

/** An invitation link made for a rapporteur with no account: shown once, to the organiser. */
export interface InvitationView {
  readonly sessionCode: string;
  readonly email: string;
  readonly url: string;
  readonly emailed: boolean;
}

export interface ImportResult {
  readonly dryRun: boolean;
  /** False when errors kept anything from being written. */
  readonly written: boolean;
  readonly created: readonly ImportSessionRef[];
  readonly updated: readonly (ImportSessionRef & { readonly fields: readonly string[] })[];
  readonly unchanged: readonly ImportSessionRef[];
  /** Sessions of the event the file does not list: reported, never deleted. */
  readonly missing: readonly { readonly code: string; readonly title: string }[];
  readonly warnings: readonly ImportProblem[];
  readonly errors: readonly ImportProblem[];
  readonly invitations: readonly InvitationView[];
}

export interface TakeawayView {
  readonly sessionId: string;
  readonly sessionCode: string;
  readonly sessionTitle: string;
  readonly sessionType: SessionType;
  /** Stakeholder groups of the session's speakers. */
  readonly stakeholderGroups: readonly StakeholderGroup[];
  readonly documentId: string;
  readonly blockId: string;
  readonly kind: TakeawayKind;
  readonly text: string;
  /** SHA-256 of the passage as served: what a citation records to tell "source changed". */
  readonly hash: string;
  /** Index of its group of near-identical takeaways (same number: say nearly the same thing). */
  readonly group: number;
}

export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * A rapporteur's deadline reminder (SPEC EV12), listed with the
 * notifications. `id` is opaque: it marks the reminder read through
 * `POST /api/notifications/:id/read`.
 */
export interface ReminderView {
  readonly id: string;
  readonly kind: ReminderKind;
  readonly event: { readonly id: string; readonly name: string };
  readonly session: { readonly id: string; readonly code: string; readonly title: string };
  readonly document: { readonly id: string; readonly title: string };
  /** ISO time, and the event's zone it is shown in. */
  readonly deadline: string;
  readonly timeZone: string;
  readonly createdAt: string;
  readonly readAt: string | null;
}
