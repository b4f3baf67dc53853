import type { DocumentId, DocumentStatus, SessionType, Speaker, StakeholderGroup } from '@rapporteur/protocol';
import { type Kysely, type RawBuilder, sql } from 'kysely';
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
import type { Tables } from './tables';

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

interface ReminderRow {
  session_id: string;
  user_id: string;
  kind: string;
  deadline: number;
  created_at: number;
  emailed: number;
  read_at: number | null;
}

const DONE = sql`('final', 'published')`;

// A reminder stands while its report is not done and its deadline is still the one reminded of;
// a due-soon reminder is replaced by the overdue one of the same deadline. Used as `FROM … WHERE`.
const CURRENT_REMINDER = sql`JOIN event_sessions s ON s.id = r.session_id JOIN documents d ON d.id = s.document_id
  AND d.deadline = r.deadline AND d.status NOT IN ${DONE}
  WHERE NOT (r.kind = 'due-soon' AND EXISTS (SELECT 1 FROM session_reminders o
    WHERE o.session_id = r.session_id AND o.user_id = r.user_id AND o.deadline = r.deadline AND o.kind = 'overdue'))`;

// The report's last seq: the updates table's primary key makes MAX a seek per document.
const REPORT_SELECT = sql`SELECT s.*, d.status, d.deadline, d.deadline_time_zone,
  (SELECT MAX(u.seq) FROM updates u WHERE u.doc_key = d.log_key) AS last_seq
  FROM event_sessions s JOIN documents d ON d.id = s.document_id`;

const EVENT_ORDER = sql`ORDER BY starts_on DESC, created_at DESC`;

/**
 * EventStore on SQLite or PostgreSQL (events, tracks, organisers, sessions,
 * rapporteurs, reminders, citation sources). Written in SQL both dialects
 * share, through Kysely's `sql` tag: conflicts are `ON CONFLICT DO NOTHING`,
 * never SQLite's `INSERT OR IGNORE`.
 */
export class SqlEventStore implements EventStore {
  constructor(private readonly db: Kysely<Tables>) {}

  private async rows<T>(query: RawBuilder<unknown>, db: Kysely<Tables> = this.db): Promise<T[]> {
    return (await (query as RawBuilder<T>).execute(db)).rows;
  }

  private async changes(query: RawBuilder<unknown>, db: Kysely<Tables> = this.db): Promise<number> {
    return Number((await query.execute(db)).numAffectedRows ?? 0n);
  }

  private async events(rows: EventRow[]): Promise<EventRecord[]> {
    if (rows.length === 0) return [];
    const tracks = await this.rows<TrackRow>(
      sql`SELECT * FROM event_tracks WHERE event_id IN (${sql.join(rows.map((r) => r.id))}) ORDER BY event_id, position`,
    );
    const byEvent = new Map<string, TrackRecord[]>();
    for (const t of tracks) {
      let list = byEvent.get(t.event_id);
      if (!list) byEvent.set(t.event_id, (list = []));
      list.push(toTrack(t));
    }
    return rows.map((row) => ({
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
      tracks: byEvent.get(row.id) ?? [],
    }));
  }

  async createEvent(e: NewEvent, now: number): Promise<EventRecord> {
    await this.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO events (id, name, starts_on, ends_on, time_zone, report_deadline_hours, public, created_by, created_at, updated_at)
        VALUES (${e.id}, ${e.name}, ${e.startsOn}, ${e.endsOn}, ${e.timeZone}, ${e.reportDeadlineHours}, ${e.public ? 1 : 0}, ${e.createdBy}, ${now}, ${now})`.execute(trx);
      for (const [i, t] of e.tracks.entries()) {
        await sql`INSERT INTO event_tracks (event_id, id, name, position) VALUES (${e.id}, ${t.id}, ${t.name}, ${i})`.execute(trx);
      }
    });
    return (await this.getEvent(e.id))!;
  }

  async getEvent(id: string): Promise<EventRecord | null> {
    const [event] = await this.events(await this.rows<EventRow>(sql`SELECT * FROM events WHERE id = ${id}`));
    return event ?? null;
  }

  async listEvents(): Promise<EventRecord[]> {
    return this.events(await this.rows<EventRow>(sql`SELECT * FROM events ${EVENT_ORDER}`));
  }

  async listEventsFor(userId: string | null): Promise<EventRecord[]> {
    const rows =
      userId === null
        ? await this.rows<EventRow>(sql`SELECT * FROM events WHERE public = 1 ${EVENT_ORDER}`)
        : await this.rows<EventRow>(sql`SELECT * FROM events e WHERE e.public = 1
            OR e.id IN (SELECT event_id FROM event_organisers WHERE user_id = ${userId})
            OR e.id IN (SELECT s.event_id FROM event_sessions s JOIN session_rapporteurs r ON r.session_id = s.id WHERE r.user_id = ${userId})
            ${EVENT_ORDER}`);
    return this.events(rows);
  }

  async updateEvent(id: string, change: { name?: string; public?: boolean; reportDeadlineHours?: number }, now: number): Promise<EventRecord | null> {
    const set = [sql`updated_at = ${now}`];
    if (change.name !== undefined) set.push(sql`name = ${change.name}`);
    if (change.public !== undefined) set.push(sql`public = ${change.public ? 1 : 0}`);
    if (change.reportDeadlineHours !== undefined) set.push(sql`report_deadline_hours = ${change.reportDeadlineHours}`);
    await sql`UPDATE events SET ${sql.join(set)} WHERE id = ${id}`.execute(this.db);
    return this.getEvent(id);
  }

  async addTracks(id: string, tracks: readonly { id: string; name: string }[], now: number): Promise<EventRecord | null> {
    if ((await this.rows(sql`SELECT id FROM events WHERE id = ${id}`)).length === 0) return null;
    await this.db.transaction().execute(async (trx) => {
      const [max] = await this.rows<{ p: number | null }>(sql`SELECT MAX(position) AS p FROM event_tracks WHERE event_id = ${id}`, trx);
      let position = (max?.p ?? -1) + 1;
      for (const t of tracks) await sql`INSERT INTO event_tracks (event_id, id, name, position) VALUES (${id}, ${t.id}, ${t.name}, ${position++})`.execute(trx);
      await sql`UPDATE events SET updated_at = ${now} WHERE id = ${id}`.execute(trx);
    });
    return this.getEvent(id);
  }

  async setTrackMessages(eventId: string, trackId: string, documentId: DocumentId): Promise<void> {
    await sql`UPDATE event_tracks SET messages_document_id = ${documentId} WHERE event_id = ${eventId} AND id = ${trackId}`.execute(this.db);
  }

  async setOrganisers(id: string, userIds: readonly string[], addedBy: string, now: number): Promise<{ added: string[]; removed: string[] }> {
    return this.db.transaction().execute(async (trx) => {
      const current = new Set((await this.organisers(id, trx)).map((r) => r.user_id));
      const wanted = new Set(userIds);
      const added = [...wanted].filter((u) => !current.has(u));
      const removed = [...current].filter((u) => !wanted.has(u));
      for (const u of added) {
        await sql`INSERT INTO event_organisers (event_id, user_id, added_by, created_at) VALUES (${id}, ${u}, ${addedBy}, ${now})
          ON CONFLICT DO NOTHING`.execute(trx);
      }
      for (const u of removed) await sql`DELETE FROM event_organisers WHERE event_id = ${id} AND user_id = ${u}`.execute(trx);
      await sql`UPDATE events SET updated_at = ${now} WHERE id = ${id}`.execute(trx);
      return { added, removed };
    });
  }

  private organisers(id: string, db: Kysely<Tables> = this.db): Promise<{ user_id: string }[]> {
    return this.rows(sql`SELECT user_id FROM event_organisers WHERE event_id = ${id} ORDER BY created_at, user_id`, db);
  }

  async listOrganisers(id: string): Promise<string[]> {
    return (await this.organisers(id)).map((r) => r.user_id);
  }

  async isOrganiser(eventId: string, userId: string): Promise<boolean> {
    return (await this.rows(sql`SELECT 1 AS x FROM event_organisers WHERE event_id = ${eventId} AND user_id = ${userId}`)).length > 0;
  }

  async isRapporteur(eventId: string, userId: string): Promise<boolean> {
    const rows = await this.rows(
      sql`SELECT 1 AS x FROM event_sessions s JOIN session_rapporteurs r ON r.session_id = s.id WHERE s.event_id = ${eventId} AND r.user_id = ${userId} LIMIT 1`,
    );
    return rows.length > 0;
  }

  async listSessions(eventId: string): Promise<SessionRecord[]> {
    const byId = await this.rapporteursByEvent(eventId);
    const rows = await this.rows<SessionRow>(sql`SELECT * FROM event_sessions WHERE event_id = ${eventId} ORDER BY starts_at, code`);
    return rows.map((r) => toSession(r, byId.get(r.id) ?? []));
  }

  private rapporteursOf(sessionId: string): Promise<RapporteurRow[]> {
    return this.rows(sql`SELECT * FROM session_rapporteurs WHERE session_id = ${sessionId} ORDER BY position`);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const [row] = await this.rows<SessionRow>(sql`SELECT * FROM event_sessions WHERE id = ${id}`);
    return row ? toSession(row, await this.rapporteursOf(row.id)) : null;
  }

  async sessionOfDocument(documentId: DocumentId): Promise<SessionRecord | null> {
    const [row] = await this.rows<SessionRow>(sql`SELECT * FROM event_sessions WHERE document_id = ${documentId}`);
    return row ? toSession(row, await this.rapporteursOf(row.id)) : null;
  }

  async trackOfMessages(documentId: DocumentId): Promise<{ eventId: string; trackId: string } | null> {
    const [row] = await this.rows<{ event_id: string; id: string }>(sql`SELECT event_id, id FROM event_tracks WHERE messages_document_id = ${documentId}`);
    return row ? { eventId: row.event_id, trackId: row.id } : null;
  }

  async insertSession(s: SessionRecord): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO event_sessions (id, event_id, code, title, type, track_id, starts_at, ends_at, organisers, speakers, document_id, prefill_seq, rule_deadline, created_at, updated_at)
        VALUES (${s.id}, ${s.eventId}, ${s.code}, ${s.title}, ${s.type}, ${s.trackId}, ${s.startsAt}, ${s.endsAt}, ${JSON.stringify(s.organisers)},
          ${JSON.stringify(s.speakers)}, ${s.documentId}, ${s.prefillSeq}, ${s.ruleDeadline}, ${s.createdAt}, ${s.updatedAt})`.execute(trx);
      await writeRapporteurs(trx, s);
    });
  }

  async updateSession(s: SessionRecord): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`UPDATE event_sessions SET title = ${s.title}, type = ${s.type}, track_id = ${s.trackId}, starts_at = ${s.startsAt}, ends_at = ${s.endsAt},
          organisers = ${JSON.stringify(s.organisers)}, speakers = ${JSON.stringify(s.speakers)}, prefill_seq = ${s.prefillSeq},
          rule_deadline = ${s.ruleDeadline}, updated_at = ${s.updatedAt}
        WHERE id = ${s.id}`.execute(trx);
      await writeRapporteurs(trx, s);
    });
  }

  private async rapporteursByEvent(eventId: string): Promise<Map<string, RapporteurRow[]>> {
    const byId = new Map<string, RapporteurRow[]>();
    const rows = await this.rows<RapporteurRow>(
      sql`SELECT r.* FROM session_rapporteurs r JOIN event_sessions s ON s.id = r.session_id WHERE s.event_id = ${eventId} ORDER BY r.session_id, r.position`,
    );
    for (const r of rows) {
      let list = byId.get(r.session_id);
      if (!list) byId.set(r.session_id, (list = []));
      list.push(r);
    }
    return byId;
  }

  async sessionReports(eventId: string): Promise<SessionReportRow[]> {
    const byId = await this.rapporteursByEvent(eventId);
    const rows = await this.rows<ReportRow>(sql`${REPORT_SELECT} WHERE s.event_id = ${eventId}`);
    return rows.map((r) => toReport(r, byId.get(r.id) ?? []));
  }

  async sessionsDueBy(upTo: number): Promise<SessionReportRow[]> {
    const rows = await this.rows<ReportRow>(sql`${REPORT_SELECT} WHERE d.deadline IS NOT NULL AND d.deadline <= ${upTo} AND d.status NOT IN ${DONE}`);
    return Promise.all(rows.map(async (r) => toReport(r, await this.rapporteursOf(r.id))));
  }

  async accounts(userIds: readonly string[]): Promise<Map<string, RapporteurAccount>> {
    const out = new Map<string, RapporteurAccount>();
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return out;
    const rows = await this.rows<{ id: string; name: string; email: string; stakeholder_group: string }>(
      sql`SELECT id, name, email, stakeholder_group FROM users WHERE id IN (${sql.join(ids)})`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    // In the order asked for, as before.
    for (const id of ids) {
      const row = byId.get(id);
      if (row) out.set(id, { id: row.id, name: row.name, email: row.email, stakeholderGroup: row.stakeholder_group as StakeholderGroup });
    }
    return out;
  }

  async bindInvite(inviteId: string, userId: string): Promise<boolean> {
    return (await this.changes(sql`UPDATE session_rapporteurs SET user_id = ${userId} WHERE invite_id = ${inviteId} AND user_id IS NULL`)) > 0;
  }

  async addReminder(r: Omit<ReminderRecord, 'readAt'>): Promise<boolean> {
    const inserted = await this.changes(
      sql`INSERT INTO session_reminders (session_id, user_id, kind, deadline, created_at, emailed)
        VALUES (${r.sessionId}, ${r.userId}, ${r.kind}, ${r.deadline}, ${r.createdAt}, ${r.emailed ? 1 : 0}) ON CONFLICT DO NOTHING`,
    );
    return inserted > 0;
  }

  async listReminders(userId: string, limit: number): Promise<ReminderRecord[]> {
    const rows = await this.rows<ReminderRow>(
      sql`SELECT r.* FROM session_reminders r ${CURRENT_REMINDER} AND r.user_id = ${userId} ORDER BY r.created_at DESC, r.session_id LIMIT ${limit}`,
    );
    return rows.map((r) => ({
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
    const [row] = await this.rows<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM session_reminders r ${CURRENT_REMINDER} AND r.user_id = ${userId} AND r.read_at IS NULL`,
    );
    return Number(row?.n ?? 0);
  }

  async markReminderEmailed(key: ReminderKey): Promise<void> {
    await sql`UPDATE session_reminders SET emailed = 1
      WHERE session_id = ${key.sessionId} AND user_id = ${key.userId} AND kind = ${key.kind} AND deadline = ${key.deadline}`.execute(this.db);
  }

  async markRemindersRead(userId: string, now: number, key?: Omit<ReminderKey, 'userId'>): Promise<number> {
    if (!key) return this.changes(sql`UPDATE session_reminders SET read_at = ${now} WHERE user_id = ${userId} AND read_at IS NULL`);
    return this.changes(
      sql`UPDATE session_reminders SET read_at = ${now}
        WHERE user_id = ${userId} AND read_at IS NULL AND session_id = ${key.sessionId} AND kind = ${key.kind} AND deadline = ${key.deadline}`,
    );
  }

  async putCitationSource(documentId: DocumentId, blockId: string, hash: string, text: string, now: number): Promise<void> {
    await sql`INSERT INTO citation_sources (document_id, block_id, hash, text, created_at) VALUES (${documentId}, ${blockId}, ${hash}, ${text}, ${now})
      ON CONFLICT DO NOTHING`.execute(this.db);
  }

  async getCitationSource(documentId: DocumentId, blockId: string, hash: string): Promise<string | null> {
    const [row] = await this.rows<{ text: string }>(
      sql`SELECT text FROM citation_sources WHERE document_id = ${documentId} AND block_id = ${blockId} AND hash = ${hash}`,
    );
    return row?.text ?? null;
  }
}

async function writeRapporteurs(trx: Kysely<Tables>, s: SessionRecord): Promise<void> {
  await sql`DELETE FROM session_rapporteurs WHERE session_id = ${s.id}`.execute(trx);
  for (const [i, r] of s.rapporteurs.entries()) {
    await sql`INSERT INTO session_rapporteurs (session_id, email, position, user_id, invite_id) VALUES (${s.id}, ${r.email}, ${i}, ${r.userId}, ${r.inviteId})`.execute(trx);
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
