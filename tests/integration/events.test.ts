import fs from 'node:fs';
import type { DashboardView, EventView, ImportResult, SessionView } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';

// Issue 11: events, tracks, organisers, the session CSV and the dashboard
// (SPEC EV1–EV7), on a real server over a real SQLite file, time from an
// injected clock.

const clock = new ManualClock(); // 2023-11-14T22:13:20Z
let dataDir: string;
let server: RunningServer;
type Who = 'admin' | 'organiser' | 'rapporteur' | 'rapporteur2' | 'stranger';
const people = {} as Record<Who, TestUser>;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, {}, { clock });
  for (const who of ['admin', 'organiser', 'rapporteur', 'rapporteur2', 'stranger'] as const) {
    people[who] = await signUp(server.url, { name: `The ${who}`, stakeholderGroup: who === 'rapporteur' ? 'academia' : 'civil-society' });
  }
  await server.accountStore.setAdmin(people.admin.user.id, true, clock.now());
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Answer<T> {
  status: number;
  body: T & { error?: { code: string; message: string; details?: unknown } };
  headers: Headers;
}

async function call<T = Record<string, unknown>>(who: Who | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const init: RequestInit = { method, headers: { ...(who ? { Authorization: `Bearer ${people[who].token}` } : {}), ...headers } };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) init.body = body as BodyInit;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
  }
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and other text answers stay text
  }
  return { status: res.status, body: parsed as Answer<T>['body'], headers: res.headers };
}

const importCsv = (who: Who, eventId: string, csv: string | Uint8Array, dryRun?: boolean) =>
  call<ImportResult>(who, 'POST', `/api/events/${eventId}/sessions/import${dryRun === undefined ? '' : `?dryRun=${dryRun}`}`, csv, { 'Content-Type': 'text/csv' });

async function newEvent(overrides: Record<string, unknown> = {}): Promise<EventView> {
  const res = await call<{ event: EventView }>('admin', 'POST', '/api/events', {
    name: 'IGF 2023 test',
    startsAt: '2023-11-15',
    endsAt: '2023-11-17',
    timeZone: 'Europe/Oslo',
    tracks: ['Digital divides', 'AI governance'],
    ...overrides,
  });
  expect(res.status).toBe(201);
  const organisers = await call('admin', 'PUT', `/api/events/${res.body.event.id}/organisers`, { emails: [people.organiser.email] });
  expect(organisers.status).toBe(200);
  return res.body.event;
}

const HEADER = 'code,title,type,track,start,end,organisers,speakers,rapporteur';
const good = (rapporteurs: { ws1: string; ws2: string }) =>
  [
    HEADER,
    `WS 1,Bridging the connectivity gap,workshop,Digital divides,2023-11-15T10:00,2023-11-15T11:30,ISOC|APC,"Amina Diallo (civil-society, african)|Li Wei (government, asia-pacific)",${rapporteurs.ws1}`,
    `OF 2,Open forum on AI,open-forum,AI governance,2023-11-16T14:00,2023-11-16T15:00,UNESCO,"Jan Novak (academia, eastern-european)",${rapporteurs.ws2}`,
  ].join('\r\n');

describe('events (SPEC EV1, EV2)', () => {
  it('EV1: admins create events with tracks; others may not; the list shows each person the events they may see', async () => {
    const refused = await call('organiser', 'POST', '/api/events', { name: 'x', startsAt: '2023-11-15', endsAt: '2023-11-15', timeZone: 'UTC' });
    expect(refused.status).toBe(403);
    const zone = await call('admin', 'POST', '/api/events', { name: 'x', startsAt: '2023-11-15', endsAt: '2023-11-15', timeZone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
    expect(JSON.stringify(zone.body.error?.details)).toMatch(/timeZone/);
    const backwards = await call('admin', 'POST', '/api/events', { name: 'x', startsAt: '2023-11-15', endsAt: '2023-11-14', timeZone: 'UTC' });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body.error?.details)).toMatch(/endsAt/);

    const hidden = await newEvent({ name: 'Closed event' });
    expect(hidden.tracks.map((t) => t.name)).toEqual(['Digital divides', 'AI governance']);
    expect(hidden.reportDeadlineHours).toBe(24);
    const open = await newEvent({ name: 'Open event', public: true });
    const names = async (who: Who | null) => ((await call<{ events: EventView[] }>(who, 'GET', '/api/events')).body.events ?? []).map((e) => e.name);
    expect(await names('stranger')).toContain('Open event');
    expect(await names('stranger')).not.toContain('Closed event');
    expect(await names(null)).toContain('Open event');
    expect(await names('organiser')).toEqual(expect.arrayContaining(['Open event', 'Closed event']));
    expect((await call('stranger', 'GET', `/api/events/${hidden.id}`)).status).toBe(404);
    expect((await call(null, 'GET', `/api/events/${hidden.id}`)).status).toBe(401);
    const seen = await call<{ event: EventView }>('stranger', 'GET', `/api/events/${open.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.event.organisers[0]).toMatchObject({ name: 'The organiser', email: null });
    expect(seen.body.event.manage).toBe(false);
    const asOrganiser = await call<{ event: EventView }>('organiser', 'GET', `/api/events/${open.id}`);
    expect(asOrganiser.body.event.organisers[0]!.email).toBe(people.organiser.email);
    expect(asOrganiser.body.event.manage).toBe(true);
  });

  it('EV2: only admins name organisers, by e-mail of existing accounts; organisers own every report of the event', async () => {
    const event = await newEvent();
    expect((await call('organiser', 'PUT', `/api/events/${event.id}/organisers`, { emails: [people.stranger.email] })).status).toBe(403);
    const unknown = await call('admin', 'PUT', `/api/events/${event.id}/organisers`, { emails: ['nobody@example.org'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('user_not_found');
    const imported = await importCsv('organiser', event.id, good({ ws1: people.rapporteur.email, ws2: people.rapporteur2.email }), false);
    expect(imported.status).toBe(200);
    const sessions = (await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions;
    const report = sessions.find((s) => s.code === 'WS 1')!.documentId;
    // The organiser owns it: extends the deadline (owners only) and sees the audit trail.
    const extended = await call('organiser', 'PATCH', `/api/documents/${report}`, { deadline: { at: '2023-11-17T12:00:00Z', timeZone: 'Europe/Oslo' } });
    expect(extended.status).toBe(200);
    expect((await call('organiser', 'GET', `/api/documents/${report}/audit`)).status).toBe(200);
    // The rapporteur writes it but does not own it.
    expect((await call('rapporteur', 'GET', `/api/documents/${report}`)).body).toMatchObject({ role: 'editor' });
    expect((await call('rapporteur', 'PATCH', `/api/documents/${report}`, { deadline: null })).status).toBe(403);
    // Removing the organiser takes the ownership away at once.
    expect((await call('admin', 'PUT', `/api/events/${event.id}/organisers`, { emails: [] })).status).toBe(200);
    expect((await call('organiser', 'GET', `/api/documents/${report}`)).status).toBe(403);
    expect((await call('organiser', 'GET', `/api/events/${event.id}`)).status).toBe(404);
  });
});

describe('the session CSV (SPEC EV3–EV5)', () => {
  it('EV3: a preview by default writes nothing; confirming creates the sessions; comma or semicolon, with or without BOM', async () => {
    const event = await newEvent();
    const csv = good({ ws1: people.rapporteur.email, ws2: `${people.rapporteur2.email}|new.person@example.org` });
    const preview = await importCsv('organiser', event.id, csv);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, written: false, errors: [], warnings: [] });
    expect(preview.body.created.map((c) => [c.line, c.code])).toEqual([[2, 'WS 1'], [3, 'OF 2']]);
    expect((await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions).toEqual([]);
    expect((await importCsv('rapporteur', event.id, csv)).status).toBe(404);

    const semicolons = '\uFEFF' + csv.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, ';').replace(/"([^"]*)"/g, (_m, inner: string) => `"${inner}"`);
    const viaSemicolons = await importCsv('organiser', event.id, semicolons);
    expect(viaSemicolons.body.errors).toEqual([]);
    expect(viaSemicolons.body.created).toHaveLength(2);

    const done = await importCsv('organiser', event.id, csv, false);
    expect(done.body).toMatchObject({ dryRun: false, written: true, errors: [] });
    expect(done.body.created).toHaveLength(2);
    expect(done.body.invitations).toEqual([{ sessionCode: 'OF 2', email: 'new.person@example.org', url: expect.stringMatching(/^\/invite\/[\w-]+$/), emailed: false }]);
    const sessions = (await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions;
    expect(sessions.map((s) => [s.code, s.track, s.type, s.startsAt, s.endsAt])).toEqual([
      ['WS 1', 'Digital divides', 'workshop', '2023-11-15T09:00:00.000Z', '2023-11-15T10:30:00.000Z'],
      ['OF 2', 'AI governance', 'open-forum', '2023-11-16T13:00:00.000Z', '2023-11-16T14:00:00.000Z'],
    ]);
  });

  it('EV3: bad rows are reported by line — unknown track, end before start, malformed e-mail, duplicate code, formula, bad speaker — and nothing is written', async () => {
    const event = await newEvent();
    const csv = [
      `${HEADER},room`,
      `WS 1,Fine,workshop,Digital divides,2023-11-15T10:00,2023-11-15T11:00,,,${people.rapporteur.email},A`,
      `WS 2,Unknown track,workshop,Space policy,2023-11-15T10:00,2023-11-15T11:00,,,${people.rapporteur.email},B`,
      `WS 3,Backwards,workshop,Digital divides,2023-11-15T12:00,2023-11-15T11:00,,,${people.rapporteur.email},C`,
      `WS 4,Bad mail,workshop,Digital divides,2023-11-15T10:00,2023-11-15T11:00,,,not-an-address,D`,
      `WS 1,Same code,workshop,Digital divides,2023-11-15T10:00,2023-11-15T11:00,,,${people.rapporteur.email},E`,
      `WS 5,=SUM(A1:A9),workshop,Digital divides,2023-11-15T10:00,2023-11-15T11:00,,,${people.rapporteur.email},F`,
      `WS 6,Speaker,seminar,Digital divides,2023-11-15T10:00,2023-11-15T11:00,,Ann (aliens; mars),${people.rapporteur.email},G`,
      `WS 7,No such day,workshop,Digital divides,2023-02-30T10:00,2023-11-15T11:00,,,${people.rapporteur.email},H`,
    ].join('\n');
    const res = await importCsv('organiser', event.id, csv, false);
    expect(res.status).toBe(200);
    expect(res.body.written).toBe(false);
    const lines = res.body.errors.map((e) => e.line);
    expect(lines).toEqual([3, 4, 5, 6, 7, 8, 8, 9]);
    const text = res.body.errors.map((e) => `${e.line}: ${e.message}`).join('\n');
    expect(text).toMatch(/3: The event has no track “Space policy”; its tracks are: Digital divides and AI governance/);
    expect(text).toMatch(/4: The session ends \(2023-11-15T11:00\) before or when it starts/);
    expect(text).toMatch(/5: “not-an-address” is not an e-mail address/);
    expect(text).toMatch(/6: The code WS 1 is already used on line 2/);
    expect(text).toMatch(/7: The title cell starts with “=”/);
    expect(text).toMatch(/8: “seminar” is not a session type/);
    expect(text).toMatch(/8: The speaker “Ann \(aliens; mars\)” is not written as Name/);
    expect(text).toMatch(/9: The start time “2023-02-30T10:00” is not a local date and time/);
    expect(res.body.warnings).toEqual([{ line: 1, message: 'The column “room” is not one Rapporteur knows; it is ignored' }]);
    expect((await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions).toEqual([]);

    // The same report in French for a French reader.
    const fr = await call<ImportResult>('organiser', 'POST', `/api/events/${event.id}/sessions/import`, csv, { 'Content-Type': 'text/csv', 'Accept-Language': 'fr' });
    expect(fr.body.errors[0]!.message).toMatch(/L’événement n’a pas de volet « Space policy »/);
  });

  it('EV3: a wrong encoding, 10,000 rows and a 50 MB file are refused, and nothing is written', async () => {
    const event = await newEvent();
    const latin1 = Buffer.from(`${HEADER}\nWS 1,Caf\xe9 num\xe9rique,workshop,Digital divides,2023-11-15T10:00,2023-11-15T11:00,,,${people.rapporteur.email}\n`, 'latin1');
    const encoding = await importCsv('organiser', event.id, latin1, false);
    expect(encoding.body.errors).toEqual([{ line: 2, message: expect.stringMatching(/not UTF-8 text/) }]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')]);
    expect((await importCsv('organiser', event.id, utf16, false)).body.errors[0]!.message).toMatch(/UTF-16/);

    const rows = Array.from({ length: 10_000 }, (_, i) => `S${i},Session ${i},workshop,Digital divides,2023-11-15T10:00,2023-11-15T11:00,,,${people.rapporteur.email}`);
    const many = await importCsv('organiser', event.id, [HEADER, ...rows].join('\n'), false);
    expect(many.body.errors).toEqual([{ line: 5002, message: 'The file lists 10,000 sessions; at most 5,000 can be imported at once: split the file' }]);
    expect(many.body.created).toEqual([]);

    const huge = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    const tooBig = await importCsv('organiser', event.id, huge, false);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error?.code).toBe('payload_too_large');
    expect((await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions).toEqual([]);
    // JSON to the import is refused; CSV elsewhere is refused as before.
    expect((await call('organiser', 'POST', `/api/events/${event.id}/sessions/import`, { csv: HEADER })).status).toBe(415);
    expect((await call('organiser', 'POST', `/api/events/${event.id}/sessions`, HEADER, { 'Content-Type': 'text/csv' })).status).toBe(415);
  });

  it('EV4: each report starts from the session-report template pre-filled, due 24 hours after the end on the event clock; rapporteurs edit it', async () => {
    const event = await newEvent({ reportDeadlineHours: 24 });
    await importCsv('organiser', event.id, good({ ws1: `${people.rapporteur.email}|${people.rapporteur2.email}`, ws2: people.rapporteur2.email }), false);
    const ws1 = (await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions.find((s) => s.code === 'WS 1')!;
    expect(ws1.deadline).toEqual({ at: '2023-11-16T10:30:00.000Z', timeZone: 'Europe/Oslo' });
    const doc = (await call<{ title: string; type: string; template: { id: string }; role: string }>('rapporteur', 'GET', `/api/documents/${ws1.documentId}`)).body;
    expect(doc).toMatchObject({ title: 'WS 1 · Bridging the connectivity gap', type: 'session-report', role: 'editor' });
    expect(doc.template.id).toBe('session-report');
    expect((await call('rapporteur2', 'GET', `/api/documents/${ws1.documentId}`)).body).toMatchObject({ role: 'editor' });
    const md = (await call<string>('rapporteur', 'GET', `/api/documents/${ws1.documentId}/export?format=md`)).body;
    expect(md).toMatch(/Session title\s+Bridging the connectivity gap/);
    expect(md).toMatch(/Session type\s+Workshop/);
    expect(md).toMatch(/- ISOC\s+- APC/);
    expect(md).toMatch(/Amina Diallo \|\s*\| Civil society \| African Group/);
    expect(md).toMatch(/Li Wei \|\s*\| Government \| Asia-Pacific Group/);
    expect(ws1.status).toBe('missing');
    expect(ws1.rapporteurs.map((r) => [r.name, r.stakeholderGroup])).toEqual([['The rapporteur', 'academia'], ['The rapporteur2', 'civil-society']]);
  });

  it('EV4: a clock change between the end and the deadline does not move the deadline’s wall time', async () => {
    // Oslo leaves summer time on 29 October 2023 at 03:00.
    const event = await newEvent({ startsAt: '2023-10-28', endsAt: '2023-10-29' });
    const csv = `${HEADER}\nWS 9,Night,workshop,AI governance,2023-10-28T09:00,2023-10-28T10:00,,,${people.rapporteur.email}`;
    expect((await importCsv('organiser', event.id, csv, false)).body.errors).toEqual([]);
    const s = (await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions[0]!;
    expect(s.endsAt).toBe('2023-10-28T08:00:00.000Z'); // 10:00 CEST
    expect(s.deadline!.at).toBe('2023-10-29T09:00:00.000Z'); // 10:00 CET the next day: 25 hours later
  });

  it('EV5: an invitation link for an address with no account; signing up with that address grants nothing, accepting the link does', async () => {
    const event = await newEvent();
    const csv = good({ ws1: 'later@example.org', ws2: people.rapporteur2.email });
    const res = await importCsv('organiser', event.id, csv, false);
    const invitation = res.body.invitations.find((i) => i.email === 'later@example.org')!;
    const ws1 = () => call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`).then((r) => r.body.sessions.find((s) => s.code === 'WS 1')!);
    expect((await ws1()).rapporteurs).toEqual([{ id: null, name: null, stakeholderGroup: null, email: 'later@example.org', pending: true }]);
    const sameAddress = await signUp(server.url, { email: 'later@example.org', name: 'Same address' });
    expect((await call('stranger', 'GET', `/api/documents/${(await ws1()).documentId}`)).status).toBe(403);
    expect((await sameAddress.api.listDocuments()).map((d) => d.id)).not.toContain((await ws1()).documentId);
    expect((await ws1()).rapporteurs[0]!.pending).toBe(true);
    // Whoever holds the link becomes the rapporteur, once.
    const code = invitation.url.split('/').pop()!;
    const accepted = await call('stranger', 'POST', `/api/invites/${code}/accept`);
    expect(accepted.status).toBe(200);
    expect((await ws1()).rapporteurs[0]).toMatchObject({ id: people.stranger.user.id, name: 'The stranger', pending: false });
    expect((await call('rapporteur', 'POST', `/api/invites/${code}/accept`)).status).toBe(410);
  });

  it('EV5: re-importing updates sessions by code, a replaced rapporteur becomes a commenter, missing sessions are reported and kept', async () => {
    const event = await newEvent();
    await importCsv('organiser', event.id, good({ ws1: people.rapporteur.email, ws2: people.rapporteur2.email }), false);
    const changed = [HEADER, `WS 1,Bridging the gap (revised),workshop,Digital divides,2023-11-15T10:00,2023-11-15T12:00,ISOC|APC,"Amina Diallo (civil-society, african)|Li Wei (government, asia-pacific)",${people.rapporteur2.email}`].join('\n');
    const preview = await importCsv('organiser', event.id, changed);
    expect(preview.body.updated).toEqual([{ line: 2, code: 'WS 1', title: 'Bridging the gap (revised)', fields: ['title', 'end', 'rapporteur'] }]);
    expect(preview.body.missing).toEqual([{ code: 'OF 2', title: 'Open forum on AI' }]);
    const done = await importCsv('organiser', event.id, changed, false);
    expect(done.body.written).toBe(true);
    const sessions = (await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions;
    expect(sessions.map((s) => s.code)).toEqual(['WS 1', 'OF 2']);
    const ws1 = sessions[0]!;
    expect(ws1.title).toBe('Bridging the gap (revised)');
    expect(ws1.deadline!.at).toBe('2023-11-16T11:00:00.000Z');
    expect((await call('rapporteur', 'GET', `/api/documents/${ws1.documentId}`)).body).toMatchObject({ role: 'commenter' });
    expect((await call('rapporteur2', 'GET', `/api/documents/${ws1.documentId}`)).body).toMatchObject({ role: 'editor', title: 'WS 1 · Bridging the gap (revised)' });
    // Unchanged the second time.
    expect((await importCsv('organiser', event.id, changed)).body.unchanged).toEqual([{ line: 2, code: 'WS 1', title: 'Bridging the gap (revised)' }]);
  });

  it('EV4: a session added by hand gets the same report; an existing code is 409', async () => {
    const event = await newEvent();
    const body = { code: 'LT 1', title: 'Lightning', type: 'lightning-talk', track: 'AI governance', start: '2023-11-16T09:00', end: '2023-11-16T09:20', rapporteurs: [people.rapporteur.email] };
    const res = await call<{ session: { documentId: string } }>('organiser', 'POST', `/api/events/${event.id}/sessions`, body);
    expect(res.status).toBe(201);
    expect((await call('rapporteur', 'GET', `/api/documents/${res.body.session.documentId}`)).body).toMatchObject({ role: 'editor', type: 'session-report' });
    expect((await call('organiser', 'POST', `/api/events/${event.id}/sessions`, body)).body.error?.code).toBe('session_exists');
    expect((await call('rapporteur', 'POST', `/api/events/${event.id}/sessions`, { ...body, code: 'LT 2' })).status).toBe(403);
  });
});

describe('the dashboard (SPEC EV6, EV7)', () => {
  it('EV6: statuses and overdue across the deadline, counts, overdue first, CSV', async () => {
    const event = await newEvent();
    const csv = [
      HEADER,
      `A,Early,workshop,Digital divides,2023-11-15T08:00,2023-11-15T09:00,,,${people.rapporteur.email}`,
      `B,Middle,workshop,Digital divides,2023-11-15T10:00,2023-11-15T11:00,,,${people.rapporteur.email}`,
      `C,Late,workshop,AI governance,2023-11-17T10:00,2023-11-17T11:00,,,${people.rapporteur2.email}`,
      `D,Final,workshop,AI governance,2023-11-15T08:00,2023-11-15T09:00,,,${people.rapporteur2.email}`,
    ].join('\n');
    expect((await importCsv('organiser', event.id, csv, false)).body.written).toBe(true);
    const dash = async (who: Who, query = '') => (await call<DashboardView>(who, 'GET', `/api/events/${event.id}/dashboard${query}`)).body;
    let view = await dash('organiser');
    expect(view.counts).toMatchObject({ sessions: 4, missing: 4, overdue: 0 });
    const byCode = (v: DashboardView) => Object.fromEntries(v.sessions.map((s) => [s.code, s]));
    const [a, b, , d] = ['A', 'B', 'C', 'D'].map((c) => byCode(view)[c]!);

    // A is written in; B moves to review; D is final (set in the store: the template is not complete).
    const room = await server.rooms.open(a!.documentId as never);
    await room.editAs(people.rapporteur.user.id, (doc) => doc.getText('scratch').insert(0, 'notes'));
    server.rooms.released(room);
    expect((await call('rapporteur', 'PATCH', `/api/documents/${b!.documentId}`, { status: 'review' })).status).toBe(200);
    await server.store.changeWorkflow(d!.documentId as never, { status: { from: 'drafting', to: 'final' } }, [], clock.now());

    view = await dash('organiser');
    expect(Object.fromEntries(view.sessions.map((s) => [s.code, [s.status, s.overdue]]))).toEqual({
      A: ['drafting', false],
      B: ['in-review', false],
      C: ['missing', false],
      D: ['submitted', false],
    });
    // The clock passes the deadlines of A, B and D (24 h after 09:00 and 11:00 on the 15th in Oslo), not C's.
    clock.advance(Date.parse('2023-11-16T10:00:00Z') - clock.now());
    view = await dash('organiser');
    expect(view.sessions.map((s) => [s.code, s.overdue])).toEqual([
      ['A', true],
      ['B', true],
      ['D', false],
      ['C', false],
    ]);
    expect(view.counts).toEqual({ sessions: 4, missing: 1, drafting: 1, 'in-review': 1, submitted: 1, published: 0, overdue: 2 });
    // An extended deadline is no longer passed.
    await call('organiser', 'PATCH', `/api/documents/${a!.documentId}`, { deadline: { at: '2023-11-16T18:00:00Z', timeZone: 'Europe/Oslo' } });
    expect((await dash('organiser')).counts.overdue).toBe(1);
    // Published counts as done.
    await server.store.changeWorkflow(b!.documentId as never, { status: { from: 'review', to: 'published' } }, [], clock.now());
    expect((await dash('organiser')).counts).toMatchObject({ published: 1, overdue: 0 });

    // A track alone; unknown track 404.
    expect((await dash('organiser', '?track=AI%20governance')).sessions.map((s) => s.code)).toEqual(['D', 'C']);
    expect((await call('organiser', 'GET', `/api/events/${event.id}/dashboard?track=Nope`)).status).toBe(404);

    const file = await call<string>('organiser', 'GET', `/api/events/${event.id}/dashboard?format=csv`);
    expect(file.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = file.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Code,Title,Track,Session type,Start,End,Rapporteurs,Rapporteurs’ e-mail addresses,Report,Deadline,Overdue');
    expect(lines.find((l) => l.startsWith('A,'))).toBe(`A,Early,Digital divides,Workshop,2023-11-15T08:00,2023-11-15T09:00,The rapporteur (Academia),${people.rapporteur.email},Drafting,2023-11-16T19:00 Europe/Oslo,`);
  });

  it('EV7: e-mail addresses only for organisers and admins; a rapporteur of a non-public event sees only their sessions; strangers nothing', async () => {
    const event = await newEvent();
    await importCsv('organiser', event.id, good({ ws1: people.rapporteur.email, ws2: people.rapporteur2.email }), false);
    const admin = (await call<DashboardView>('admin', 'GET', `/api/events/${event.id}/dashboard`)).body;
    expect(admin.sessions.flatMap((s) => s.rapporteurs.map((r) => r.email))).toEqual([people.rapporteur.email, people.rapporteur2.email]);
    const own = (await call<DashboardView>('rapporteur', 'GET', `/api/events/${event.id}/dashboard`)).body;
    expect(own.sessions.map((s) => s.code)).toEqual(['WS 1']);
    expect(own.counts.sessions).toBe(1);
    expect(own.sessions[0]!.rapporteurs[0]).toMatchObject({ name: 'The rapporteur', stakeholderGroup: 'academia', email: null });
    expect((await call<{ sessions: SessionView[] }>('rapporteur', 'GET', `/api/events/${event.id}/sessions`)).body.sessions.map((s) => s.code)).toEqual(['WS 1']);
    expect((await call('stranger', 'GET', `/api/events/${event.id}/dashboard`)).status).toBe(404);
    expect((await call(null, 'GET', `/api/events/${event.id}/dashboard`)).status).toBe(401);
    const csv = (await call<string>('rapporteur', 'GET', `/api/events/${event.id}/dashboard?format=csv`)).body;
    expect(csv).not.toContain('@');
    // Public: everyone sees every session, still without addresses.
    await call('organiser', 'PATCH', `/api/events/${event.id}`, { public: true });
    const open = (await call<DashboardView>('stranger', 'GET', `/api/events/${event.id}/dashboard`)).body;
    expect(open.sessions).toHaveLength(2);
    expect(JSON.stringify(open)).not.toContain('@');
  });
});
