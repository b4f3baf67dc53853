import type { DocumentId, DocumentStatus, SessionType, Speaker, StakeholderGroup } from '@rapporteur/protocol';
import type { Deadline } from './DocumentStore';

/** An event (issue 11): its days in its own time zone, the rule for report deadlines, and its tracks. */
export interface EventRecord {
  readonly id: string;
  readonly name: string;
  /** `YYYY-MM-DD`, the event's first and last day in `timeZone`. */
  readonly startsOn: string;
  readonly endsOn: string;
  readonly timeZone: string;
  /** A session's report is due this many hours after the session ends, on the event's clock. */
  readonly reportDeadlineHours: number;
  readonly public: boolean;
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** In programme order. */
  readonly tracks: readonly TrackRecord[];
}

export interface TrackRecord {
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly messagesDocumentId: DocumentId | null;
}

export interface NewEvent {
  readonly id: string;
  readonly name: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly timeZone: string;
  readonly reportDeadlineHours: number;
  readonly public: boolean;
  readonly createdBy: string;
  readonly tracks: readonly { readonly id: string; readonly name: string }[];
}

/** A session's rapporteur, by address; `userId` is who holds the role (see migration 14). */
export interface RapporteurRecord {
  readonly email: string;
  readonly userId: string | null;
  readonly inviteId: string | null;
}

export interface SessionRecord {
  readonly id: string;
  readonly eventId: string;
  readonly code: string;
  readonly title: string;
  readonly type: SessionType;
  readonly trackId: string;
  /** ms since the epoch. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly organisers: readonly string[];
  readonly speakers: readonly Speaker[];
  readonly documentId: DocumentId;
  /** The log record that wrote the pre-filled template: nothing after it means nothing written. */
  readonly prefillSeq: number;
  /** The deadline the event's rule gave (ms). */
  readonly ruleDeadline: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** In the order the file listed them. */
  readonly rapporteurs: readonly RapporteurRecord[];
}

/** A session with what the dashboard needs of its report document, read in one query. */
export interface SessionReportRow extends SessionRecord {
  readonly documentStatus: DocumentStatus;
  readonly deadline: Deadline | null;
  /** Highest log seq of the report (0 when none). */
  readonly lastSeq: number;
}

/** A rapporteur's account as the dashboard shows it. */
export interface RapporteurAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly stakeholderGroup: StakeholderGroup;
}

/** A reminder sent about one deadline of one session (kind `due-soon` or `overdue`). */
export interface ReminderRecord {
  readonly sessionId: string;
  readonly userId: string;
  readonly kind: 'due-soon' | 'overdue';
  readonly deadline: number;
  readonly createdAt: number;
  readonly emailed: boolean;
  readonly readAt: number | null;
}

/** Which reminder: one per session, person, kind and deadline. */
export type ReminderKey = Pick<ReminderRecord, 'sessionId' | 'userId' | 'kind' | 'deadline'>;

/**
 * Events, tracks, organisers, sessions and their rapporteurs (issue 11,
 * migration 14). Every method that resolves has stored its effect.
 */
export interface EventStore {
  createEvent(event: NewEvent, now: number): Promise<EventRecord>;
  getEvent(id: string): Promise<EventRecord | null>;
  /** Every event, newest first (admins). */
  listEvents(): Promise<EventRecord[]>;
  /** Events a person may see: public ones, those they organise, those with a session they report on; newest first. */
  listEventsFor(userId: string | null): Promise<EventRecord[]>;
  updateEvent(id: string, change: { name?: string; public?: boolean; reportDeadlineHours?: number }, now: number): Promise<EventRecord | null>;
  addTracks(id: string, tracks: readonly { readonly id: string; readonly name: string }[], now: number): Promise<EventRecord | null>;
  setTrackMessages(eventId: string, trackId: string, documentId: DocumentId): Promise<void>;
  /** Replaces the organisers; returns who was added and who removed. */
  setOrganisers(id: string, userIds: readonly string[], addedBy: string, now: number): Promise<{ added: string[]; removed: string[] }>;
  listOrganisers(id: string): Promise<string[]>;
  isOrganiser(eventId: string, userId: string): Promise<boolean>;
  /** Whether the user reports on at least one session of the event. */
  isRapporteur(eventId: string, userId: string): Promise<boolean>;
  listSessions(eventId: string): Promise<SessionRecord[]>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** The session whose report `documentId` is, if any. */
  sessionOfDocument(documentId: DocumentId): Promise<SessionRecord | null>;
  /** The event and track whose messages document `documentId` is, if any. */
  trackOfMessages(documentId: DocumentId): Promise<{ eventId: string; trackId: string } | null>;
  /** Stores a new session and its rapporteurs in one transaction. */
  insertSession(session: SessionRecord): Promise<void>;
  /** Replaces a session's fields and rapporteurs in one transaction. */
  updateSession(session: SessionRecord): Promise<void>;
  /** Sessions with their report's status, deadline and last seq, in one query. */
  sessionReports(eventId: string): Promise<SessionReportRow[]>;
  /** The accounts of these ids (the dashboard's rapporteurs). */
  accounts(userIds: readonly string[]): Promise<Map<string, RapporteurAccount>>;
  /** Binds the rapporteur row of an accepted invitation to the account that accepted it; false when none. */
  bindInvite(inviteId: string, userId: string): Promise<boolean>;
  /** Records a reminder unless one of that kind exists for that deadline; true when recorded now. */
  addReminder(reminder: Omit<ReminderRecord, 'readAt'>): Promise<boolean>;
  /**
   * The person's reminders that still stand, newest first: their report is
   * not final or published and its deadline is still the one reminded of
   * (an extension or a submission retires them; SPEC EV12).
   */
  listReminders(userId: string, limit: number): Promise<ReminderRecord[]>;
  /** How many of the reminders `listReminders` would give are unread. */
  unreadReminders(userId: string): Promise<number>;
  markReminderEmailed(key: ReminderKey): Promise<void>;
  /** Marks one (or, without `key`, all) of the person's reminders read; how many were unread and are now read. */
  markRemindersRead(userId: string, now: number, key?: Omit<ReminderKey, 'userId'>): Promise<number>;
  /** Sessions of every event whose report is not done and whose deadline is at or before `upTo` (reminders). */
  sessionsDueBy(upTo: number): Promise<SessionReportRow[]>;
  /** Stores a passage's text by its hash (first one wins). */
  putCitationSource(documentId: DocumentId, blockId: string, hash: string, text: string, now: number): Promise<void>;
  getCitationSource(documentId: DocumentId, blockId: string, hash: string): Promise<string | null>;
}
