import type { DocumentId, DocumentStatus, SessionType, Speaker, StakeholderGroup } from '@rapporteur/protocol';
import type {
  EventRecord,
  EventStore,
  NewEvent,
  RapporteurAccount,
  RapporteurRecord,
  ReminderKey,
  ReminderRecord,
  SessionRecord,
  SessionReportRow,
  TrackRecord,
} from '../EventStore';
import type { SqliteDatabase } from './openDatabase';

interface EventRow {
  id: string;
  name: string;
  starts_on: string;
  ends_on: string;
  time_zone: string;
  report_deadline_hours: number;
  public: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

interface TrackRow {
  event_id: string;
  id: string;
  name: string;
  position: number;
  messages_document_id: string | null;
}

interface SessionRow {
  id: string;
  event_id: string;
  code: string;
  title: string;
  type: string;
  track_id: string;
  starts_at: number;
  ends_at: number;
  organisers: string;
  speakers: string;
  document_id: string;
  prefill_seq: number;
  rule_deadline: number;
  created_at: number;
  updated_at: number;
}

interface ReportRow extends SessionRow {
  status: string;
  deadline: number | null;
  deadline_time_zone: string | null;
  last_seq: number | null;
}

interface RapporteurRow {
  session_id: string;
  email: string;
  position: number;
  user_id: string | null;
  invite_id: string | null;
}

const DONE_SQL = "('final', 'published')";

// A reminder stands while its report is not done and its deadline is still the one reminded of;
// a due-soon reminder is replaced by the overdue one of the same deadline. Used as `FROM … WHERE`.
const CURRENT_REMINDER = `JOIN event_sessions s ON s.id = r.session_id JOIN documents d ON d.id = s.document_id
  AND d.deadline = r.deadline AND d.status NOT IN ${DONE_SQL}
  WHERE NOT (r.kind = 'due-soon' AND EXISTS (SELECT 1 FROM session_reminders o
    WHERE o.session_id = r.session_id AND o.user_id = r.user_id AND o.deadline = r.deadline AND o.kind = 'overdue'))`;

// The report's last seq: the updates table's primary key makes MAX a seek per document.
const REPORT_SELECT = `SELECT s.*, d.status, d.deadline, d.deadline_time_zone,
  (SELECT MAX(u.seq) FROM updates u WHERE u.document_id = s.document_id) AS last_seq
  FROM event_sessions s JOIN documents d ON d.id = s.document_id`;

/** SQLite implementation of EventStore (migration 14). */
export class SqliteEventStore implements EventStore {
  private readonly stmts;

  constructor(private readonly db: SqliteDatabase) {
    this.stmts = {
      insertEvent: db.prepare(
        `INSERT INTO events (id, name, starts_on, ends_on, time_zone, report_deadline_hours, public, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertTrack: db.prepare('INSERT INTO event_tracks (event_id, id, name, position) VALUES (?, ?, ?, ?)'),
      getEvent: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
      allEvents: db.prepare<[], EventRow>('SELECT * FROM events ORDER BY starts_on DESC, created_at DESC'),
      eventsFor: db.prepare<[string, string], EventRow>(
        `SELECT * FROM events e WHERE e.public = 1
           OR e.id IN (SELECT event_id FROM event_organisers WHERE user_id = ?)
           OR e.id IN (SELECT s.event_id FROM event_sessions s JOIN session_rapporteurs r ON r.session_id = s.id WHERE r.user_id = ?)
         ORDER BY starts_on DESC, created_at DESC`,
      ),
      publicEvents: db.prepare<[], EventRow>('SELECT * FROM events WHERE public = 1 ORDER BY starts_on DESC, created_at DESC'),
      tracksOf: db.prepare<[string], TrackRow>('SELECT * FROM event_tracks WHERE event_id = ? ORDER BY position'),
      maxTrackPosition: db.prepare<[string], { p: number | null }>('SELECT MAX(position) AS p FROM event_tracks WHERE event_id = ?'),
      setTrackMessages: db.prepare('UPDATE event_tracks SET messages_document_id = ? WHERE event_id = ? AND id = ?'),
      updateEvent: db.prepare(
        `UPDATE events SET name = COALESCE(@name, name), public = COALESCE(@public, public),
           report_deadline_hours = COALESCE(@hours, report_deadline_hours), updated_at = @now WHERE id = @id`,
      ),
      touchEvent: db.prepare('UPDATE events SET updated_at = ? WHERE id = ?'),
      organisers: db.prepare<[string], { user_id: string }>('SELECT user_id FROM event_organisers WHERE event_id = ? ORDER BY created_at, user_id'),
      insertOrganiser: db.prepare('INSERT OR IGNORE INTO event_organisers (event_id, user_id, added_by, created_at) VALUES (?, ?, ?, ?)'),
      deleteOrganiser: db.prepare('DELETE FROM event_organisers WHERE event_id = ? AND user_id = ?'),
      isOrganiser: db.prepare<[string, string], { x: number }>('SELECT 1 AS x FROM event_organisers WHERE event_id = ? AND user_id = ?'),
      isRapporteur: db.prepare<[string, string], { x: number }>(
        'SELECT 1 AS x FROM event_sessions s JOIN session_rapporteurs r ON r.session_id = s.id WHERE s.event_id = ? AND r.user_id = ? LIMIT 1',
      ),
      sessionsOf: db.prepare<[string], SessionRow>('SELECT * FROM event_sessions WHERE event_id = ? ORDER BY starts_at, code'),
      getSession: db.prepare<[string], SessionRow>('SELECT * FROM event_sessions WHERE id = ?'),
      sessionOfDocument: db.prepare<[string], SessionRow>('SELECT * FROM event_sessions WHERE document_id = ?'),
      trackOfMessages: db.prepare<[string], { event_id: string; id: string }>('SELECT event_id, id FROM event_tracks WHERE messages_document_id = ?'),
      rapporteursOf: db.prepare<[string], RapporteurRow>('SELECT * FROM session_rapporteurs WHERE session_id = ? ORDER BY position'),
      rapporteursOfEvent: db.prepare<[string], RapporteurRow>(
        `SELECT r.* FROM session_rapporteurs r JOIN event_sessions s ON s.id = r.session_id WHERE s.event_id = ? ORDER BY r.session_id, r.position`,
      ),
      insertSession: db.prepare(
        `INSERT INTO event_sessions (id, event_id, code, title, type, track_id, starts_at, ends_at, organisers, speakers, document_id, prefill_seq, rule_deadline, created_at, updated_at)
         VALUES (@id, @eventId, @code, @title, @type, @trackId, @startsAt, @endsAt, @organisers, @speakers, @documentId, @prefillSeq, @ruleDeadline, @createdAt, @updatedAt)`,
      ),
      updateSession: db.prepare(
        `UPDATE event_sessions SET title = @title, type = @type, track_id = @trackId, starts_at = @startsAt, ends_at = @endsAt,
           organisers = @organisers, speakers = @speakers, prefill_seq = @prefillSeq, rule_deadline = @ruleDeadline, updated_at = @updatedAt
         WHERE id = @id`,
      ),
      deleteRapporteurs: db.prepare('DELETE FROM session_rapporteurs WHERE session_id = ?'),
      insertRapporteur: db.prepare('INSERT INTO session_rapporteurs (session_id, email, position, user_id, invite_id) VALUES (?, ?, ?, ?, ?)'),
      reports: db.prepare<[string], ReportRow>(`${REPORT_SELECT} WHERE s.event_id = ?`),
      dueBy: db.prepare<[number], ReportRow>(`${REPORT_SELECT} WHERE d.deadline IS NOT NULL AND d.deadline <= ? AND d.status NOT IN ${DONE_SQL}`),
      account: db.prepare<[string], { id: string; name: string; email: string; stakeholder_group: string }>(
        'SELECT id, name, email, stakeholder_group FROM users WHERE id = ?',
      ),
      bindInvite: db.prepare('UPDATE session_rapporteurs SET user_id = ? WHERE invite_id = ? AND user_id IS NULL'),
      addReminder: db.prepare(
        'INSERT OR IGNORE INTO session_reminders (session_id, user_id, kind, deadline, created_at, emailed) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      reminders: db.prepare<[string, number], { session_id: string; user_id: string; kind: string; deadline: number; created_at: number; emailed: number; read_at: number | null }>(
        `SELECT r.* FROM session_reminders r ${CURRENT_REMINDER} AND r.user_id = ? ORDER BY r.created_at DESC, r.session_id LIMIT ?`,
      ),
      unreadReminders: db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM session_reminders r ${CURRENT_REMINDER} AND r.user_id = ? AND r.read_at IS NULL`),
      reminderEmailed: db.prepare('UPDATE session_reminders SET emailed = 1 WHERE session_id = ? AND user_id = ? AND kind = ? AND deadline = ?'),
      readReminders: db.prepare('UPDATE session_reminders SET read_at = ? WHERE user_id = ? AND read_at IS NULL'),
      readReminder: db.prepare('UPDATE session_reminders SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND session_id = ? AND kind = ? AND deadline = ?'),
      putCitation: db.prepare('INSERT OR IGNORE INTO citation_sources (document_id, block_id, hash, text, created_at) VALUES (?, ?, ?, ?, ?)'),
      getCitation: db.prepare<[string, string, string], { text: string }>('SELECT text FROM citation_sources WHERE document_id = ? AND block_id = ? AND hash = ?'),
    };
  }

  private event(row: EventRow): EventRecord {
    return {
      id: row.id,
      name: row.name,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      timeZone: row.time_zone,
      reportDeadlineHours: row.report_deadline_hours,
      public: row.public === 1,
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      tracks: this.stmts.tracksOf.all(row.id).map(toTrack),
    };
  }

  async createEvent(e: NewEvent, now: number): Promise<EventRecord> {
    this.db.transaction(() => {
      this.stmts.insertEvent.run(e.id, e.name, e.startsOn, e.endsOn, e.timeZone, e.reportDeadlineHours, e.public ? 1 : 0, e.createdBy, now, now);
      e.tracks.forEach((t, i) => this.stmts.insertTrack.run(e.id, t.id, t.name, i));
    })();
    return this.event(this.stmts.getEvent.get(e.id)!);
  }

  async getEvent(id: string): Promise<EventRecord | null> {
    const row = this.stmts.getEvent.get(id);
    return row ? this.event(row) : null;
  }

  async listEvents(): Promise<EventRecord[]> {
    return this.stmts.allEvents.all().map((r) => this.event(r));
  }

  async listEventsFor(userId: string | null): Promise<EventRecord[]> {
    const rows = userId === null ? this.stmts.publicEvents.all() : this.stmts.eventsFor.all(userId, userId);
    return rows.map((r) => this.event(r));
  }

  async updateEvent(id: string, change: { name?: string; public?: boolean; reportDeadlineHours?: number }, now: number): Promise<EventRecord | null> {
    this.stmts.updateEvent.run({
      id,
      now,
      name: change.name ?? null,
      public: change.public === undefined ? null : change.public ? 1 : 0,
      hours: change.reportDeadlineHours ?? null,
    });
    return this.getEvent(id);
  }

  async addTracks(id: string, tracks: readonly { id: string; name: string }[], now: number): Promise<EventRecord | null> {
    if (!this.stmts.getEvent.get(id)) return null;
    this.db.transaction(() => {
      let position = (this.stmts.maxTrackPosition.get(id)?.p ?? -1) + 1;
      for (const t of tracks) this.stmts.insertTrack.run(id, t.id, t.name, position++);
      this.stmts.touchEvent.run(now, id);
    })();
    return this.getEvent(id);
  }

  async setTrackMessages(eventId: string, trackId: string, documentId: DocumentId): Promise<void> {
    this.stmts.setTrackMessages.run(documentId, eventId, trackId);
  }

  async setOrganisers(id: string, userIds: readonly string[], addedBy: string, now: number): Promise<{ added: string[]; removed: string[] }> {
    return this.db.transaction(() => {
      const current = new Set(this.stmts.organisers.all(id).map((r) => r.user_id));
      const wanted = new Set(userIds);
      const added = [...wanted].filter((u) => !current.has(u));
      const removed = [...current].filter((u) => !wanted.has(u));
      for (const u of added) this.stmts.insertOrganiser.run(id, u, addedBy, now);
      for (const u of removed) this.stmts.deleteOrganiser.run(id, u);
      this.stmts.touchEvent.run(now, id);
      return { added, removed };
    })();
  }

  async listOrganisers(id: string): Promise<string[]> {
    return this.stmts.organisers.all(id).map((r) => r.user_id);
  }

  async isOrganiser(eventId: string, userId: string): Promise<boolean> {
    return this.stmts.isOrganiser.get(eventId, userId) !== undefined;
  }

  async isRapporteur(eventId: string, userId: string): Promise<boolean> {
    return this.stmts.isRapporteur.get(eventId, userId) !== undefined;
  }

  async listSessions(eventId: string): Promise<SessionRecord[]> {
    const byId = this.rapporteursByEvent(eventId);
    return this.stmts.sessionsOf.all(eventId).map((r) => toSession(r, byId.get(r.id) ?? []));
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.stmts.getSession.get(id);
    return row ? toSession(row, this.stmts.rapporteursOf.all(row.id)) : null;
  }

  async sessionOfDocument(documentId: DocumentId): Promise<SessionRecord | null> {
    const row = this.stmts.sessionOfDocument.get(documentId);
    return row ? toSession(row, this.stmts.rapporteursOf.all(row.id)) : null;
  }

  async trackOfMessages(documentId: DocumentId): Promise<{ eventId: string; trackId: string } | null> {
    const row = this.stmts.trackOfMessages.get(documentId);
    return row ? { eventId: row.event_id, trackId: row.id } : null;
  }

  async insertSession(s: SessionRecord): Promise<void> {
    this.db.transaction(() => {
      this.stmts.insertSession.run(sessionParams(s));
      this.writeRapporteurs(s);
    })();
  }

  async updateSession(s: SessionRecord): Promise<void> {
    this.db.transaction(() => {
      this.stmts.updateSession.run(sessionParams(s));
      this.writeRapporteurs(s);
    })();
  }

  private writeRapporteurs(s: SessionRecord): void {
    this.stmts.deleteRapporteurs.run(s.id);
    s.rapporteurs.forEach((r, i) => this.stmts.insertRapporteur.run(s.id, r.email, i, r.userId, r.inviteId));
  }

  private rapporteursByEvent(eventId: string): Map<string, RapporteurRow[]> {
    const byId = new Map<string, RapporteurRow[]>();
    for (const r of this.stmts.rapporteursOfEvent.all(eventId)) {
      let list = byId.get(r.session_id);
      if (!list) byId.set(r.session_id, (list = []));
      list.push(r);
    }
    return byId;
  }

  async sessionReports(eventId: string): Promise<SessionReportRow[]> {
    const byId = this.rapporteursByEvent(eventId);
    return this.stmts.reports.all(eventId).map((r) => toReport(r, byId.get(r.id) ?? []));
  }

  async sessionsDueBy(upTo: number): Promise<SessionReportRow[]> {
    return this.stmts.dueBy.all(upTo).map((r) => toReport(r, this.stmts.rapporteursOf.all(r.id)));
  }

  async accounts(userIds: readonly string[]): Promise<Map<string, RapporteurAccount>> {
    const out = new Map<string, RapporteurAccount>();
    for (const id of new Set(userIds)) {
      const row = this.stmts.account.get(id);
      if (row) out.set(id, { id: row.id, name: row.name, email: row.email, stakeholderGroup: row.stakeholder_group as StakeholderGroup });
    }
    return out;
  }

  async bindInvite(inviteId: string, userId: string): Promise<boolean> {
    return this.stmts.bindInvite.run(userId, inviteId).changes > 0;
  }

  async addReminder(r: Omit<ReminderRecord, 'readAt'>): Promise<boolean> {
    return this.stmts.addReminder.run(r.sessionId, r.userId, r.kind, r.deadline, r.createdAt, r.emailed ? 1 : 0).changes > 0;
  }

  async listReminders(userId: string, limit: number): Promise<ReminderRecord[]> {
    return this.stmts.reminders.all(userId, limit).map((r) => ({
      sessionId: r.session_id,
      userId: r.user_id,
      kind: r.kind as ReminderRecord['kind'],
      deadline: r.deadline,
      createdAt: r.created_at,
      emailed: r.emailed === 1,
      readAt: r.read_at,
    }));
  }

  async unreadReminders(userId: string): Promise<number> {
    return this.stmts.unreadReminders.get(userId)?.n ?? 0;
  }

  async markReminderEmailed(key: ReminderKey): Promise<void> {
    this.stmts.reminderEmailed.run(key.sessionId, key.userId, key.kind, key.deadline);
  }

  async markRemindersRead(userId: string, now: number, key?: Omit<ReminderKey, 'userId'>): Promise<number> {
    if (!key) return this.stmts.readReminders.run(now, userId).changes;
    return this.stmts.readReminder.run(now, userId, key.sessionId, key.kind, key.deadline).changes;
  }

  async putCitationSource(documentId: DocumentId, blockId: string, hash: string, text: string, now: number): Promise<void> {
    this.stmts.putCitation.run(documentId, blockId, hash, text, now);
  }

  async getCitationSource(documentId: DocumentId, blockId: string, hash: string): Promise<string | null> {
    return this.stmts.getCitation.get(documentId, blockId, hash)?.text ?? null;
  }
}

function toTrack(row: TrackRow): TrackRecord {
  return { id: row.id, name: row.name, position: row.position, messagesDocumentId: row.messages_document_id as DocumentId | null };
}

function toRapporteur(row: RapporteurRow): RapporteurRecord {
  return { email: row.email, userId: row.user_id, inviteId: row.invite_id };
}

function toSession(row: SessionRow, rapporteurs: readonly RapporteurRow[]): SessionRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    code: row.code,
    title: row.title,
    type: row.type as SessionType,
    trackId: row.track_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    organisers: JSON.parse(row.organisers) as string[],
    speakers: JSON.parse(row.speakers) as Speaker[],
    documentId: row.document_id as DocumentId,
    prefillSeq: row.prefill_seq,
    ruleDeadline: row.rule_deadline,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    rapporteurs: rapporteurs.map(toRapporteur),
  };
}

function toReport(row: ReportRow, rapporteurs: readonly RapporteurRow[]): SessionReportRow {
  return {
    ...toSession(row, rapporteurs),
    documentStatus: row.status as DocumentStatus,
    deadline: row.deadline !== null && row.deadline_time_zone !== null ? { at: row.deadline, timeZone: row.deadline_time_zone } : null,
    lastSeq: row.last_seq ?? 0,
  };
}

function sessionParams(s: SessionRecord): Record<string, unknown> {
  return {
    id: s.id,
    eventId: s.eventId,
    code: s.code,
    title: s.title,
    type: s.type,
    trackId: s.trackId,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    organisers: JSON.stringify(s.organisers),
    speakers: JSON.stringify(s.speakers),
    documentId: s.documentId,
    prefillSeq: s.prefillSeq,
    ruleDeadline: s.ruleDeadline,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
