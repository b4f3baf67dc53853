import type { DocumentId } from '@rapporteur/protocol';
import { type Database, type EventSessionRecord, SqlEventStore } from '@rapporteur/server';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The contract of EventStore (issue 11; SPEC EV1–EV12 through the store,
 * S7 for running on every backend): events and tracks, organisers, sessions
 * with rapporteurs, the dashboard's one-query reports, reminders and
 * citation sources. `open` gives a fresh, migrated, empty database; the
 * accounts, documents and log rows sessions point at are written with SQL.
 */
export function eventStoreContract(backend: string, open: () => Promise<Database>): void {
  describe(`EventStore contract: ${backend}`, () => {
    let database: Database;
    let store: SqlEventStore;
    const HOUR = 3_600_000;

    beforeEach(async () => {
      database = await open();
      store = new SqlEventStore(database.db);
      const db = database.db;
      for (const id of ['u1', 'u2', 'u3']) {
        await sql`INSERT INTO users (id, email, password_hash, name, stakeholder_group, region, created_at, updated_at)
                  VALUES (${id}, ${`${id}@example.org`}, 'h', ${`Name ${id}`}, 'civil-society', 'african', 1, 1)`.execute(db);
      }
      for (const id of ['r1', 'r2', 'r3', 'msg']) {
        await sql`INSERT INTO documents (id, title, created_at, updated_at) VALUES (${id}, ${id}, 1, 1)`.execute(db);
      }
      await sql`INSERT INTO invites (id, document_id, code_hash, role, created_by, created_at, expires_at)
                VALUES ('inv1', 'r2', 'code', 'editor', 'u1', 1, ${100 * HOUR})`.execute(db);
    });

    afterEach(async () => {
      await database.close();
    });

    const newEvent = (id: string, startsOn: string, isPublic = false) => ({
      id,
      name: `Event ${id}`,
      startsOn,
      endsOn: startsOn,
      timeZone: 'Africa/Nairobi',
      reportDeadlineHours: 24,
      public: isPublic,
      createdBy: 'u1',
      tracks: [
        { id: 't1', name: 'Track one' },
        { id: 't2', name: 'Track two' },
      ],
    });

    const session = (id: string, documentId: string, rapporteurs: EventSessionRecord['rapporteurs'], startsAt = 10 * HOUR): EventSessionRecord => ({
      id,
      eventId: 'e1',
      code: `WS-${id}`,
      title: `Session ${id}`,
      type: 'workshop',
      trackId: 't1',
      startsAt,
      endsAt: startsAt + HOUR,
      organisers: ['Org A'],
      speakers: [{ name: 'Speaker', stakeholderGroup: 'government', region: 'african' }],
      documentId: documentId as DocumentId,
      prefillSeq: 1,
      ruleDeadline: startsAt + 25 * HOUR,
      createdAt: 5,
      updatedAt: 5,
      rapporteurs,
    });

    it('EV1, S7: creates an event with its tracks in order, updates and lists it, newest first', async () => {
      const created = await store.createEvent(newEvent('e1', '2026-12-01'), 100);
      expect(created).toMatchObject({ id: 'e1', public: false, reportDeadlineHours: 24, createdBy: 'u1', createdAt: 100, updatedAt: 100 });
      expect(created.tracks).toEqual([
        { id: 't1', name: 'Track one', position: 0, messagesDocumentId: null },
        { id: 't2', name: 'Track two', position: 1, messagesDocumentId: null },
      ]);
      await store.createEvent(newEvent('e2', '2026-12-05', true), 200);
      expect((await store.listEvents()).map((e) => e.id)).toEqual(['e2', 'e1']);
      expect(await store.updateEvent('e1', { public: true, reportDeadlineHours: 48 }, 300)).toMatchObject({
        name: 'Event e1',
        public: true,
        reportDeadlineHours: 48,
        updatedAt: 300,
      });
      expect(await store.updateEvent('missing', { name: 'x' }, 300)).toBeNull();
      const more = await store.addTracks('e1', [{ id: 't3', name: 'Track three' }], 400);
      expect(more?.tracks.map((t) => [t.id, t.position])).toEqual([
        ['t1', 0],
        ['t2', 1],
        ['t3', 2],
      ]);
      expect(await store.addTracks('missing', [{ id: 'x', name: 'x' }], 400)).toBeNull();
      await store.setTrackMessages('e1', 't2', 'msg' as DocumentId);
      expect(await store.trackOfMessages('msg' as DocumentId)).toEqual({ eventId: 'e1', trackId: 't2' });
      expect(await store.trackOfMessages('r1' as DocumentId)).toBeNull();
      expect((await store.getEvent('e1'))?.tracks[1]?.messagesDocumentId).toBe('msg');
    });

    it('EV2, S7: replaces organisers, saying who was added and removed', async () => {
      await store.createEvent(newEvent('e1', '2026-12-01'), 100);
      expect(await store.setOrganisers('e1', ['u1', 'u2'], 'u1', 200)).toEqual({ added: ['u1', 'u2'], removed: [] });
      expect(await store.setOrganisers('e1', ['u2', 'u3'], 'u1', 300)).toEqual({ added: ['u3'], removed: ['u1'] });
      expect(await store.listOrganisers('e1')).toEqual(['u2', 'u3']);
      expect(await store.isOrganiser('e1', 'u2')).toBe(true);
      expect(await store.isOrganiser('e1', 'u1')).toBe(false);
      expect((await store.getEvent('e1'))?.updatedAt).toBe(300);
    });

    it('EV3, S7: sessions keep their fields and rapporteurs in order; an update replaces them; invitations bind once', async () => {
      await store.createEvent(newEvent('e1', '2026-12-01'), 100);
      const s1 = session('s1', 'r1', [
        { email: 'B@Example.org', userId: 'u2', inviteId: null },
        { email: 'a@example.org', userId: null, inviteId: null },
      ]);
      await store.insertSession(s1);
      await store.insertSession(session('s2', 'r2', [{ email: 'new@example.org', userId: null, inviteId: 'inv1' }], 5 * HOUR));
      expect(await store.getSession('s1')).toEqual(s1);
      expect(await store.sessionOfDocument('r1' as DocumentId)).toEqual(s1);
      expect(await store.sessionOfDocument('msg' as DocumentId)).toBeNull();
      expect((await store.listSessions('e1')).map((s) => s.id)).toEqual(['s2', 's1']);
      const changed = { ...s1, title: 'Renamed', rapporteurs: [{ email: 'c@example.org', userId: 'u3', inviteId: null }], updatedAt: 9 };
      await store.updateSession(changed);
      expect(await store.getSession('s1')).toEqual(changed);
      expect(await store.isRapporteur('e1', 'u3')).toBe(true);
      expect(await store.isRapporteur('e1', 'u2')).toBe(false);
      expect(await store.bindInvite('inv1', 'u1')).toBe(true);
      expect(await store.bindInvite('inv1', 'u2')).toBe(false);
      expect((await store.getSession('s2'))?.rapporteurs).toEqual([{ email: 'new@example.org', userId: 'u1', inviteId: 'inv1' }]);
      expect((await store.listEventsFor('u1')).map((e) => e.id)).toEqual(['e1']);
      expect(await store.listEventsFor('u2')).toEqual([]);
      expect(await store.listEventsFor(null)).toEqual([]);
    });

    it('EV6, S7: reports carry their document’s status, deadline and last log seq; the due ones are found', async () => {
      await store.createEvent(newEvent('e1', '2026-12-01'), 100);
      await store.insertSession(session('s1', 'r1', [{ email: 'a@example.org', userId: 'u2', inviteId: null }]));
      await store.insertSession(session('s2', 'r2', []));
      await store.insertSession(session('s3', 'r3', []));
      const db = database.db;
      await sql`UPDATE documents SET deadline = ${30 * HOUR}, deadline_time_zone = 'Africa/Nairobi' WHERE id IN ('r1', 'r2', 'r3')`.execute(db);
      await sql`UPDATE documents SET status = 'final' WHERE id = 'r3'`.execute(db);
      for (const seq of [1, 2, 7]) {
        await sql`INSERT INTO updates (doc_key, seq, data, created_at) VALUES ((SELECT log_key FROM documents WHERE id = 'r1'), ${seq}, ${Buffer.from([0, 0])}, 1)`.execute(db);
      }
      const reports = new Map((await store.sessionReports('e1')).map((r) => [r.id, r]));
      expect(reports.get('s1')).toMatchObject({ lastSeq: 7, documentStatus: 'drafting', deadline: { at: 30 * HOUR, timeZone: 'Africa/Nairobi' } });
      expect(reports.get('s1')?.rapporteurs).toEqual([{ email: 'a@example.org', userId: 'u2', inviteId: null }]);
      expect(reports.get('s2')).toMatchObject({ lastSeq: 0 });
      expect((await store.sessionsDueBy(30 * HOUR)).map((r) => r.id).sort()).toEqual(['s1', 's2']);
      expect(await store.sessionsDueBy(30 * HOUR - 1)).toEqual([]);
      const accounts = await store.accounts(['u2', 'u1', 'u2', 'nobody']);
      expect([...accounts.keys()]).toEqual(['u2', 'u1']);
      expect(accounts.get('u2')).toEqual({ id: 'u2', name: 'Name u2', email: 'u2@example.org', stakeholderGroup: 'civil-society' });
      expect((await store.accounts([])).size).toBe(0);
    });

    it('EV12, S7: a reminder is recorded once per kind and deadline, stands until the deadline moves, and is read once', async () => {
      await store.createEvent(newEvent('e1', '2026-12-01'), 100);
      await store.insertSession(session('s1', 'r1', []));
      await sql`UPDATE documents SET deadline = ${30 * HOUR}, deadline_time_zone = 'UTC' WHERE id = 'r1'`.execute(database.db);
      const soon = { sessionId: 's1', userId: 'u2', kind: 'due-soon' as const, deadline: 30 * HOUR, createdAt: 1000, emailed: false };
      expect(await store.addReminder(soon)).toBe(true);
      expect(await store.addReminder({ ...soon, createdAt: 2000 })).toBe(false);
      expect(await store.listReminders('u2', 10)).toEqual([{ ...soon, readAt: null }]);
      expect(await store.unreadReminders('u2')).toBe(1);
      // The overdue reminder of the same deadline replaces the due-soon one.
      expect(await store.addReminder({ ...soon, kind: 'overdue', createdAt: 3000 })).toBe(true);
      expect((await store.listReminders('u2', 10)).map((r) => r.kind)).toEqual(['overdue']);
      await store.markReminderEmailed({ sessionId: 's1', userId: 'u2', kind: 'overdue', deadline: 30 * HOUR });
      expect((await store.listReminders('u2', 10))[0]?.emailed).toBe(true);
      expect(await store.markRemindersRead('u2', 4000, { sessionId: 's1', kind: 'overdue', deadline: 30 * HOUR })).toBe(1);
      expect(await store.markRemindersRead('u2', 5000)).toBe(1); // the replaced due-soon one, still unread
      expect(await store.markRemindersRead('u2', 6000)).toBe(0);
      expect(await store.unreadReminders('u2')).toBe(0);
      // An extension retires it.
      await sql`UPDATE documents SET deadline = ${40 * HOUR} WHERE id = 'r1'`.execute(database.db);
      expect(await store.listReminders('u2', 10)).toEqual([]);
    });

    it('EV9, S7: a citation source is kept by its hash, the first text winning', async () => {
      await store.putCitationSource('r1' as DocumentId, 'b1', 'h1', 'first text', 1);
      await store.putCitationSource('r1' as DocumentId, 'b1', 'h1', 'second text', 2);
      expect(await store.getCitationSource('r1' as DocumentId, 'b1', 'h1')).toBe('first text');
      expect(await store.getCitationSource('r1' as DocumentId, 'b1', 'other')).toBeNull();
    });
  });
}
