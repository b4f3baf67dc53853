import fs from 'node:fs';
import path from 'node:path';
import type { EventView, SessionView, TakeawayView } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';

// Issue 11: takeaways, similarity groups, citations with "source changed"
// and "source not public", resolved exports, the public event page
// (SPEC EV8–EV11), on a real server over a real SQLite file.

const clock = new ManualClock();
let dataDir: string;
let server: RunningServer;
type Who = 'admin' | 'organiser' | 'rapporteur' | 'writer' | 'stranger';
const people = {} as Record<Who, TestUser>;
let event: EventView;
let sessions: SessionView[];
let messagesId: string;

async function call<T = Record<string, unknown>>(who: Who | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...(who ? { Authorization: `Bearer ${people[who].token}` } : {}), ...headers } };
  if (body !== undefined) {
    if (typeof body === 'string') init.body = body;
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
    // text answers stay text
  }
  return { status: res.status, body: parsed as T & { error?: { code: string } } };
}

/** Edits a document as `who`, through its room (as a keystroke would reach the store). */
async function edit(documentId: string, who: Who, change: (body: Y.XmlFragment) => void): Promise<void> {
  const room = await server.rooms.open(documentId as never);
  try {
    await room.editAs(people[who].user.id, (doc) => change(doc.getXmlFragment('default')));
  } finally {
    server.rooms.released(room);
  }
}

function elements(node: Y.XmlFragment | Y.XmlElement): Y.XmlElement[] {
  return node.toArray().flatMap((c) => (c instanceof Y.XmlElement ? [c, ...elements(c)] : []));
}

/** Sets the text of the first item of the template list `field`. */
function setFirstItem(body: Y.XmlFragment, field: string, text: string): void {
  const list = elements(body).find((e) => e.getAttribute('field') === field)!;
  const paragraph = elements(list).find((e) => e.nodeName === 'paragraph')!;
  paragraph.delete(0, paragraph.length);
  paragraph.insert(0, [new Y.XmlText(text)]);
}

function blockIdOfField(doc: Y.Doc, field: string): string {
  const list = elements(doc.getXmlFragment('default')).find((e) => e.getAttribute('field') === field)!;
  return elements(list).find((e) => e.nodeName === 'paragraph')!.getAttribute('blockId') as string;
}

const byCode = (code: string) => sessions.find((s) => s.code === code)!;

beforeAll(async () => {
  dataDir = tempDataDir();
  // A shell for the page without JavaScript (SPEC N1), which reads citations as the API does.
  fs.mkdirSync(path.join(dataDir, 'static'));
  fs.writeFileSync(path.join(dataDir, 'static', 'index.html'), '<!doctype html><html lang="en"><head></head><body><div id="root"></div></body></html>');
  server = await startServer(dataDir, { staticDir: path.join(dataDir, 'static') }, { clock });
  for (const who of ['admin', 'organiser', 'rapporteur', 'writer', 'stranger'] as const) people[who] = await signUp(server.url, { name: `The ${who}` });
  await server.accountStore.setAdmin(people.admin.user.id, true, clock.now());
  event = (
    await call<{ event: EventView }>('admin', 'POST', '/api/events', { name: 'IGF test', startsAt: '2023-11-15', endsAt: '2023-11-17', timeZone: 'UTC', tracks: ['Access', 'Rights'] })
  ).body.event;
  await call('admin', 'PUT', `/api/events/${event.id}/organisers`, { emails: [people.organiser.email] });
  const csv = [
    'code,title,type,track,start,end,speakers,rapporteur',
    `WS 1,Rural broadband,workshop,Access,2023-11-15T10:00,2023-11-15T11:00,"Ana (civil-society, african)",${people.rapporteur.email}`,
    `WS 2,Community networks,open-forum,Access,2023-11-15T12:00,2023-11-15T13:00,"Bo (government, asia-pacific)",${people.organiser.email}`,
    `OF 3,Privacy,open-forum,Rights,2023-11-16T12:00,2023-11-16T13:00,,${people.organiser.email}`,
  ].join('\n');
  const imported = await call<{ written: boolean }>('organiser', 'POST', `/api/events/${event.id}/sessions/import?dryRun=false`, csv, { 'Content-Type': 'text/csv' });
  expect(imported.body.written).toBe(true);
  sessions = (await call<{ sessions: SessionView[] }>('organiser', 'GET', `/api/events/${event.id}/sessions`)).body.sessions;
  await edit(byCode('WS 1').documentId, 'rapporteur', (b) => setFirstItem(b, 'key-takeaways', 'Governments should invest in affordable broadband for rural communities.'));
  await edit(byCode('WS 2').documentId, 'organiser', (b) => {
    setFirstItem(b, 'key-takeaways', 'Affordable broadband in rural communities needs investment by governments.');
    setFirstItem(b, 'calls-to-action', 'Regulators should open spectrum to community networks.');
  });
  await edit(byCode('OF 3').documentId, 'organiser', (b) => setFirstItem(b, 'key-takeaways', 'Data protection laws should be harmonised across regions.'));
  const made = await call<{ documentId: string }>('organiser', 'POST', `/api/events/${event.id}/tracks/${event.tracks[0]!.id}/messages`);
  expect(made.status).toBe(201);
  messagesId = made.body.documentId;
  await call('organiser', 'PUT', `/api/documents/${messagesId}/members`, { email: people.writer.email, role: 'editor' });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('takeaways (SPEC EV8)', () => {
  it('lists the takeaways and calls to action of a track’s reports, grouping those that say nearly the same thing', async () => {
    const res = await call<{ takeaways: TakeawayView[] }>('organiser', 'GET', `/api/events/${event.id}/takeaways?track=Access`);
    expect(res.status).toBe(200);
    expect(res.body.takeaways.map((t) => [t.sessionCode, t.kind, t.text, t.group])).toEqual([
      ['WS 1', 'takeaway', 'Governments should invest in affordable broadband for rural communities.', 0],
      ['WS 2', 'takeaway', 'Affordable broadband in rural communities needs investment by governments.', 0],
      ['WS 2', 'call-to-action', 'Regulators should open spectrum to community networks.', 1],
    ]);
    expect(res.body.takeaways[0]).toMatchObject({ sessionType: 'workshop', stakeholderGroups: ['civil-society'], documentId: byCode('WS 1').documentId, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // A rapporteur of this non-public event sees their own session's only; a stranger nothing.
    const own = await call<{ takeaways: TakeawayView[] }>('rapporteur', 'GET', `/api/events/${event.id}/takeaways`);
    expect(own.body.takeaways.map((t) => t.sessionCode)).toEqual(['WS 1']);
    expect((await call('stranger', 'GET', `/api/events/${event.id}/takeaways`)).status).toBe(404);
    // The messages document knows its event and track; making it again gives the same one.
    expect((await call('writer', 'GET', `/api/documents/${messagesId}/event`)).body).toEqual({ event: { id: event.id, name: 'IGF test' }, track: { id: event.tracks[0]!.id, name: 'Access' } });
    expect((await call<{ documentId: string }>('organiser', 'POST', `/api/events/${event.id}/tracks/${event.tracks[0]!.id}/messages`)).body.documentId).toBe(messagesId);
  });
});

describe('citations (SPEC EV9, EV10)', () => {
  let ws1Block: string;
  let ws2Block: string;

  it('a citation is data in the messages: source document and passage; only a reader of the source may cite it', async () => {
    ws1Block = await server.rooms.read(byCode('WS 1').documentId as never, (doc) => blockIdOfField(doc, 'key-takeaways'));
    ws2Block = await server.rooms.read(byCode('WS 2').documentId as never, (doc) => blockIdOfField(doc, 'key-takeaways'));
    // The writer may edit the messages but not read WS 2's report: 404, as if the passage did not exist.
    expect((await call('writer', 'POST', `/api/documents/${messagesId}/citations`, { documentId: byCode('WS 2').documentId, blockId: ws2Block })).status).toBe(404);
    const one = await call<{ citation: Record<string, string>; text: string }>('organiser', 'POST', `/api/documents/${messagesId}/citations`, { documentId: byCode('WS 1').documentId, blockId: ws1Block });
    expect(one.status).toBe(201);
    expect(one.body.citation).toEqual({ documentId: byCode('WS 1').documentId, blockId: ws1Block, hash: expect.stringMatching(/^[0-9a-f]{64}$/), label: 'WS 1' });
    const two = await call<{ citation: Record<string, string> }>('organiser', 'POST', `/api/documents/${messagesId}/citations`, { documentId: byCode('WS 2').documentId, blockId: ws2Block });
    // One message citing two sessions, after its own words.
    await edit(messagesId, 'organiser', (body) => {
      const list = elements(body).find((e) => e.getAttribute('field') === 'messages')!;
      const paragraph = elements(list).find((e) => e.nodeName === 'paragraph')!;
      const cite = (attrs: Record<string, string>) => {
        const el = new Y.XmlElement('citation');
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        return el;
      };
      paragraph.insert(0, [new Y.XmlText('Rural broadband needs public money. '), cite(one.body.citation), cite(two.body.citation)]);
    });
    const listed = await call<{ citations: Array<Record<string, unknown>> }>('organiser', 'GET', `/api/documents/${messagesId}/citations`);
    expect(listed.body.citations.map((c) => [c.label, c.status])).toEqual([
      ['WS 1', 'current'],
      ['WS 2', 'current'],
    ]);
  });

  it('a reader who may not read the source sees the message’s own text and “source not public”, never the source’s title or text', async () => {
    const listed = await call<{ citations: Array<Record<string, unknown>> }>('writer', 'GET', `/api/documents/${messagesId}/citations`);
    expect(listed.body.citations.map((c) => [c.label, c.status])).toEqual([
      ['WS 1', 'not-public'],
      ['WS 2', 'not-public'],
    ]);
    const raw = JSON.stringify(listed.body);
    for (const secret of ['Rural broadband', 'Community networks', 'Governments should invest', 'Affordable broadband']) expect(raw).not.toContain(secret);
    const md = (await call<string>('writer', 'GET', `/api/documents/${messagesId}/export?format=md`)).body;
    expect(md).toContain('Rural broadband needs public money. \\[WS 1 — source not public\\]\\[WS 2 — source not public\\]');
    expect(md).not.toContain('Governments should invest');
    const html = (await call<string>('writer', 'GET', `/api/documents/${messagesId}/export?format=html`)).body;
    expect(html).not.toContain(byCode('WS 1').documentId);
    // Someone who may read the sources gets them as citations.
    const asOrganiser = (await call<string>('organiser', 'GET', `/api/documents/${messagesId}/export?format=md`)).body;
    expect(asOrganiser).toContain('Rural broadband needs public money. \\[WS 1\\]\\[WS 2\\]');
    // The page without JavaScript too, one reader after the other on the same state of the text (SPEC N4: not kept).
    for (const round of [1, 2]) {
      const asWriter = (await call<string>('writer', 'GET', `/d/${messagesId}`)).body;
      expect(asWriter, `round ${round}`).toContain('[WS 1 — source not public]');
      expect(asWriter).not.toContain(byCode('WS 1').documentId);
      const organiserPage = (await call<string>('organiser', 'GET', `/d/${messagesId}`)).body;
      expect(organiserPage, `round ${round}`).toContain('public money. [WS 1][WS 2]');
      expect(organiserPage).not.toContain('source not public');
    }
  });

  it('when the source passage changes, the citation says “source changed” with the difference; provenance survives editing the message', async () => {
    await edit(byCode('WS 1').documentId, 'rapporteur', (b) => setFirstItem(b, 'key-takeaways', 'Governments and operators should invest in affordable broadband for remote communities.'));
    // The message's own words change; its citations stay.
    await edit(messagesId, 'writer', (body) => {
      const list = elements(body).find((e) => e.getAttribute('field') === 'messages')!;
      const paragraph = elements(list).find((e) => e.nodeName === 'paragraph')!;
      const text = paragraph.toArray().find((c) => c instanceof Y.XmlText) as Y.XmlText;
      text.insert(0, 'Everywhere: ');
    });
    const listed = await call<{ citations: Array<Record<string, unknown>> }>('organiser', 'GET', `/api/documents/${messagesId}/citations`);
    const [ws1, ws2] = listed.body.citations;
    expect(ws2).toMatchObject({ label: 'WS 2', status: 'current' });
    expect(ws1).toMatchObject({
      label: 'WS 1',
      status: 'changed',
      cited: 'Governments should invest in affordable broadband for rural communities.',
      text: 'Governments and operators should invest in affordable broadband for remote communities.',
    });
    expect(ws1!.diff).toEqual([
      { type: 'equal', text: 'Governments ' },
      { type: 'insert', text: 'and operators ' },
      { type: 'equal', text: 'should invest in affordable broadband for ' },
      { type: 'delete', text: 'rural ' },
      { type: 'insert', text: 'remote ' },
      { type: 'equal', text: 'communities.' },
    ]);
    const md = (await call<string>('organiser', 'GET', `/api/documents/${messagesId}/export?format=md`)).body;
    expect(md).toContain('Everywhere: Rural broadband needs public money. \\[WS 1\\]\\[WS 2\\]');
  });
});

describe('the event page (SPEC EV11)', () => {
  it('lists sessions with links to their published reports and the published messages; no script; only for those who may read the event', async () => {
    expect((await call(null, 'GET', `/e/${event.id}`)).status).toBe(404);
    await call('organiser', 'PATCH', `/api/events/${event.id}`, { public: true });
    const published = await call<{ publication: { number: number } }>('organiser', 'POST', `/api/documents/${byCode('WS 1').documentId}/publications`, { public: true });
    expect(published.status).toBe(201);
    expect((await call('organiser', 'POST', `/api/documents/${messagesId}/publications`, { public: true })).status).toBe(201);
    const page = await fetch(`${server.url}/e/${event.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`<a href="/p/${byCode('WS 1').documentId}/1">Report of WS 1</a>`);
    expect(html).toContain(`<a href="/p/${messagesId}/1">Messages of Access</a>`);
    expect(html).toMatch(/WS 2<\/td><td dir="auto">Community networks<\/td>.*not yet published/);
    // The published messages show the citations as an anonymous reader sees them: WS 1's report is published, but private.
    const messages = await (await fetch(`${server.url}/p/${messagesId}/1`)).text();
    expect(messages).toContain('[WS 1 — source not public]');
    expect(messages).not.toContain('Governments');
    const fr = await (await fetch(`${server.url}/e/${event.id}`, { headers: { 'Accept-Language': 'fr' } })).text();
    expect(fr).toContain('<html lang="fr" dir="ltr">');
    expect(fr).toContain('pas encore publié');
  });
});
