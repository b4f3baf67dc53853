import fs from 'node:fs';
import type { EventView, ImportResult, ReminderView } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { SmtpSink } from '../support/smtpSink';

// Issue 11: rapporteurs' deadline reminders (SPEC EV12), in the app and by
// e-mail, on a real server over a real SQLite file and a local SMTP server,
// time from an injected clock that also drives the sweeps.

const HOUR = 60 * 60 * 1000;
const SWEEP = 5 * 60 * 1000;
const PUBLIC_URL = 'https://rapporteur.example.org';
const clock = new ManualClock(); // 2023-11-14T22:13:20Z
let dataDir: string;
let server: RunningServer;
let sink: SmtpSink;
type Who = 'admin' | 'organiser' | 'rapporteur' | 'rapporteur2';
const people = {} as Record<Who, TestUser>;

beforeAll(async () => {
  sink = await SmtpSink.start();
  dataDir = tempDataDir();
  server = await startServer(
    dataDir,
    { publicUrl: PUBLIC_URL, mail: { smtpUrl: sink.url, from: 'Rapporteur <rapporteur@example.org>' }, reminders: { leadMs: 6 * HOUR, sweepMs: SWEEP } },
    { clock },
  );
  for (const who of ['admin', 'organiser', 'rapporteur', 'rapporteur2'] as const) {
    people[who] = await signUp(server.url, { name: `The ${who}`, stakeholderGroup: 'civil-society' });
  }
  await server.accountStore.setAdmin(people.admin.user.id, true, clock.now());
});

afterAll(async () => {
  await server?.close();
  await sink?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function call<T = Record<string, unknown>>(who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${people[who].token}`, ...headers } };
  if (typeof body === 'string') init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Moves the clock to `iso`, then lets one timer-driven sweep run there. */
async function passTo(iso: string): Promise<void> {
  await server.reminders.idle();
  clock.advance(Date.parse(iso) - SWEEP - clock.now());
  await server.reminders.idle();
  clock.advance(SWEEP);
  await server.reminders.idle();
}

interface Inbox {
  reminders: ReminderView[];
  unread: number;
}
const remindersSent = () => sink.received.length - 1;
const inbox = async (who: Who) => (await call<Inbox>(who, 'GET', '/api/notifications')).body;

describe('deadline reminders (SPEC EV12)', () => {
  let event: EventView;
  const reports: Record<string, string> = {};

  beforeAll(async () => {
    const created = await call<{ event: EventView }>('admin', 'POST', '/api/events', {
      name: 'IGF 2023 reminders',
      startsAt: '2023-11-15',
      endsAt: '2023-11-17',
      timeZone: 'Europe/Oslo',
      tracks: ['Digital divides'],
    });
    event = created.body.event;
    await call('admin', 'PUT', `/api/events/${event.id}/organisers`, { emails: [people.organiser.email] });
    // A ends 09:00 on the 15th in Oslo: due 09:00 on the 16th (08:00Z). B ends two days later.
    // C's rapporteur has no account (an invitation): nobody to remind in the app.
    const csv = [
      'code,title,type,track,start,end,organisers,speakers,rapporteur',
      `A,Meaningful access,workshop,Digital divides,2023-11-15T08:00,2023-11-15T09:00,,,${people.rapporteur.email}|${people.rapporteur2.email}`,
      `B,Later session,workshop,Digital divides,2023-11-17T08:00,2023-11-17T09:00,,,${people.rapporteur.email}`,
      `C,Invited,workshop,Digital divides,2023-11-15T08:00,2023-11-15T09:00,,,nobody-yet@example.org`,
    ].join('\n');
    const res = await call<ImportResult>('organiser', 'POST', `/api/events/${event.id}/sessions/import?dryRun=false`, csv, { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(200);
    // C's invitation is e-mailed at import; the reminders are counted after it.
    expect((await sink.next()).to).toEqual(['nobody-yet@example.org']);
    const sessions = (await call<{ sessions: { code: string; documentId: string }[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions;
    for (const s of sessions) reports[s.code] = s.documentId;
    // The second rapporteur reads French: their e-mails are in French.
    expect((await call('rapporteur2', 'PATCH', '/api/me', { locale: 'fr' })).status).toBe(200);
  });

  it('nothing before the reminder window; one due-soon reminder per rapporteur inside it, in the app and by e-mail, in their language, once', async () => {
    await passTo('2023-11-16T01:00:00Z'); // seven hours before A's deadline
    expect((await inbox('rapporteur')).reminders).toEqual([]);
    expect(remindersSent()).toBe(0);

    await passTo('2023-11-16T02:30:00Z'); // five and a half hours before
    const mine = await inbox('rapporteur');
    expect(mine.reminders).toHaveLength(1);
    expect(mine.reminders[0]).toMatchObject({
      kind: 'due-soon',
      event: { id: event.id, name: 'IGF 2023 reminders' },
      session: { code: 'A', title: 'Meaningful access' },
      document: { id: reports.A },
      deadline: '2023-11-16T08:00:00.000Z',
      timeZone: 'Europe/Oslo',
      readAt: null,
    });
    expect(mine.unread).toBe(1);
    expect((await inbox('organiser')).reminders).toEqual([]);

    const mails = await Promise.all([sink.next(), sink.next()]);
    const byTo = Object.fromEntries(mails.map((m) => [m.to[0], m]));
    expect(byTo[people.rapporteur.email]!.subject).toBe('Session A: the report is due Thursday, 16 November 2023 at 09:00 CET');
    expect(byTo[people.rapporteur.email]!.text).toContain(`${PUBLIC_URL}/d/${reports.A}`);
    expect(byTo[people.rapporteur2.email]!.subject).toMatch(/^Session A : le rapport est attendu pour le jeudi 16 novembre 2023/);
    expect(byTo[people.rapporteur2.email]!.text).toContain('Bonjour The rapporteur2,');

    // Later sweeps record and send nothing new.
    await passTo('2023-11-16T04:00:00Z');
    expect((await inbox('rapporteur')).reminders).toHaveLength(1);
    expect(remindersSent()).toBe(2);
  });

  it('once the deadline passes, the overdue reminder replaces the due-soon one; marking read works for one and for all', async () => {
    await passTo('2023-11-16T08:05:00Z');
    const mine = await inbox('rapporteur');
    expect(mine.reminders.map((r) => [r.session.code, r.kind])).toEqual([['A', 'overdue']]);
    expect(mine.unread).toBe(1);
    const mail = await sink.next();
    expect(mail.subject).toMatch(/^Session A: the report is overdue|^Session A : le rapport est en retard/);
    await sink.next();
    expect(remindersSent()).toBe(4);

    // Someone else's reminder, or a made-up id, is not found; one's own is marked read.
    const id = mine.reminders[0]!.id;
    expect((await call('organiser', 'POST', `/api/notifications/${encodeURIComponent(id)}/read`)).status).toBe(404);
    expect((await call('rapporteur', 'POST', `/api/notifications/${encodeURIComponent('r.nope.overdue.1')}/read`)).status).toBe(404);
    expect((await call('rapporteur', 'POST', `/api/notifications/${encodeURIComponent(id)}/read`)).status).toBe(204);
    expect((await call('rapporteur', 'POST', `/api/notifications/${encodeURIComponent(id)}/read`)).status).toBe(204);
    expect((await inbox('rapporteur')).unread).toBe(0);
    expect((await inbox('rapporteur2')).unread).toBe(1);
    expect((await call('rapporteur2', 'POST', '/api/notifications/read-all')).status).toBe(204);
    expect((await inbox('rapporteur2')).unread).toBe(0);
  });

  it('an extended deadline retires the reminders and arms them again; a submitted report is reminded of no more', async () => {
    const extended = await call('organiser', 'PATCH', `/api/documents/${reports.A}`, { deadline: { at: '2023-11-17T12:00:00Z', timeZone: 'Europe/Oslo' } });
    expect(extended.status).toBe(200);
    expect((await inbox('rapporteur')).reminders).toEqual([]);

    await passTo('2023-11-17T07:00:00Z'); // five hours before the new deadline, and two after B ended
    const mine = await inbox('rapporteur');
    expect(mine.reminders.map((r) => [r.session.code, r.kind, r.deadline])).toEqual([['A', 'due-soon', '2023-11-17T12:00:00.000Z']]);
    expect(remindersSent()).toBe(6);

    // A is submitted (final): its reminders are retired, and the passing deadline sends nothing.
    await server.store.changeWorkflow(reports.A as never, { status: { from: 'drafting', to: 'final' } }, [], clock.now());
    expect((await inbox('rapporteur')).reminders).toEqual([]);
    await passTo('2023-11-17T12:30:00Z');
    expect((await inbox('rapporteur')).reminders).toEqual([]);
    expect(remindersSent()).toBe(6);

    // B (due 09:00 on the 18th in Oslo) is reminded of in its own window.
    await passTo('2023-11-18T03:00:00Z');
    expect((await inbox('rapporteur')).reminders.map((r) => [r.session.code, r.kind])).toEqual([['B', 'due-soon']]);
  });
});
