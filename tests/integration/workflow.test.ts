import fs from 'node:fs';
import { DOCUMENT_STATUSES, type DocumentStatus, type DocumentSummary } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { openSse } from '../support/sse';
import { waitFor } from '../support/wait';

// Issue 9: the review workflow and deadlines (SPEC WF1–WF9), on a real server
// over a real SQLite file, with time from an injected clock.
type Who = 'owner' | 'editor' | 'commenter' | 'viewer' | 'stranger';

const clock = new ManualClock();
const DAY = 86_400_000;
let dataDir: string;
let server: RunningServer;
const people = {} as Record<Who, TestUser>;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, {}, { clock });
  for (const who of ['owner', 'editor', 'commenter', 'viewer', 'stranger'] as const) people[who] = await signUp(server.url, { name: who });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A new document owned by `owner`, with the editor, commenter and viewer as members. */
async function newDocument(title = 'Session report'): Promise<string> {
  const id = await createDocument(server.url, people.owner, title);
  for (const role of ['editor', 'commenter', 'viewer'] as const) await people.owner.api.setMember(id, people[role].email, role);
  return id;
}

/** An answer: the document, or an error (tests read whichever the status says). */
type Answer = DocumentSummary & { error: { code: string; message: string; details: { problems: unknown[] } } };

async function patch(who: Who | null, id: string, body: unknown): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${server.url}/api/documents/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...(who ? { Authorization: `Bearer ${people[who].token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

async function list(who: Who, query = ''): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}/api/documents${query}`, { headers: { Authorization: `Bearer ${people[who].token}` } });
  return { status: res.status, body: await res.json() };
}

/** Puts the document in `status` directly in the store (test setup), with no comment period. */
async function setStatus(id: string, status: DocumentStatus): Promise<void> {
  const record = (await server.store.getDocument(id as never))!;
  await server.store.changeWorkflow(id as never, { status: { from: record.status, to: status }, commentPeriod: null }, [], clock.now());
}

async function statusOf(id: string): Promise<DocumentStatus> {
  return (await server.store.getDocument(id as never))!.status;
}

async function auditActions(id: string): Promise<Array<{ action: string; actor: string | null; details: unknown; at: string }>> {
  return (await people.owner.api.audit(id)).map((e) => ({ action: e.action, actor: e.actor?.name ?? null, details: e.details, at: e.at }));
}

// The workflow's moves (policy.ts WORKFLOW_MOVES) and the least role for each.
const MOVES: Record<string, 'editor' | 'owner'> = {
  'drafting>review': 'editor',
  'review>drafting': 'editor',
  'review>public-comment': 'owner',
  'review>revising': 'owner',
  'public-comment>review': 'owner',
  'public-comment>revising': 'owner',
  'revising>review': 'owner',
  'revising>public-comment': 'owner',
  'revising>final': 'editor',
  'final>revising': 'owner',
  'published>revising': 'owner',
};

describe('workflow moves (SPEC WF1–WF3)', () => {
  it('WF2: every move by every role — owner, editor, commenter, viewer; a stranger gets 404, an anonymous caller 401', async () => {
    const id = await newDocument();
    const failures: string[] = [];
    for (const from of DOCUMENT_STATUSES) {
      for (const to of DOCUMENT_STATUSES) {
        if (from === to) continue;
        const needs = MOVES[`${from}>${to}`];
        for (const who of ['owner', 'editor', 'commenter', 'viewer', 'stranger', null] as const) {
          await setStatus(id, from);
          const want =
            who === null ? 401
            : who === 'stranger' ? 404
            : who === 'commenter' || who === 'viewer' ? 403
            : needs === undefined ? 409
            : who === 'owner' || needs === 'editor' ? 200
            : 403;
          const got = await patch(who, id, { status: to });
          const now = await statusOf(id);
          const wantStatus = want === 200 ? to : from;
          if (got.status !== want || now !== wantStatus) failures.push(`${who ?? 'anonymous'} ${from} → ${to}: ${got.status} (${now}), want ${want} (${wantStatus})`);
          if (want === 409 && got.body.error?.code !== 'invalid_transition') failures.push(`${from} → ${to}: code ${got.body.error?.code}`);
          if (want === 200 && got.body.status !== to) failures.push(`${who} ${from} → ${to}: answered ${got.body.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('WF2: the document says which moves its reader may make', async () => {
    const id = await newDocument();
    await setStatus(id, 'review');
    expect((await people.owner.api.getDocument(id)).moves).toEqual(['drafting', 'public-comment', 'revising']);
    expect((await people.editor.api.getDocument(id)).moves).toEqual(['drafting']);
    expect((await people.commenter.api.getDocument(id)).moves).toEqual([]);
    expect((await people.viewer.api.getDocument(id)).moves).toEqual([]);
  });

  it('WF2: published only by publishing (409, for owners too); the same status again is a 200 that records nothing', async () => {
    const id = await newDocument();
    await setStatus(id, 'final');
    const refused = await patch('owner', id, { status: 'published' });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'invalid_transition', message: 'A document becomes published only by publishing it' } } });
    const before = await auditActions(id);
    const same = await patch('editor', id, { status: 'final' });
    expect(same.status).toBe(200);
    expect(same.body.status).toBe('final');
    expect(await auditActions(id)).toEqual(before);
    expect((await patch('commenter', id, { status: 'final' })).status).toBe(403);
  });

  it('WF1: a move is stamped with the clock and audited by its maker in the same transaction', async () => {
    const id = await newDocument();
    clock.advance(60_000);
    const moved = await patch('editor', id, { status: 'review' });
    expect(moved.body).toMatchObject({ status: 'review', statusChangedAt: new Date(clock.now()).toISOString() });
    expect((await auditActions(id)).find((e) => e.action === 'status.changed')).toEqual({
      action: 'status.changed',
      actor: 'editor',
      details: { from: 'drafting', to: 'review' },
      at: new Date(clock.now()).toISOString(),
    });
  });

  it('WF3: public comment opens the comment period (14 days, or until closesAt); leaving it closes the period', async () => {
    const id = await newDocument();
    await setStatus(id, 'review');
    const opened = await patch('owner', id, { status: 'public-comment' });
    expect(opened.body.commentPeriod).toEqual({ opensAt: new Date(clock.now()).toISOString(), closesAt: new Date(clock.now() + 14 * DAY).toISOString() });
    // Anyone signed in may comment while it is open, the stranger included.
    expect((await people.stranger.api.getDocument(id)).role).toBe('commenter');

    clock.advance(DAY);
    const closed = await patch('owner', id, { status: 'revising' });
    expect(closed.body.commentPeriod).toEqual({ opensAt: opened.body.commentPeriod!.opensAt, closesAt: new Date(clock.now()).toISOString() });
    expect((await fetch(`${server.url}/api/documents/${id}`, { headers: { Authorization: `Bearer ${people.stranger.token}` } })).status).toBe(403);
    expect((await auditActions(id)).find((e) => e.action === 'status.changed')?.details).toEqual({
      from: 'public-comment',
      to: 'revising',
      commentPeriodClosedAt: new Date(clock.now()).toISOString(),
    });

    const closesAt = new Date(clock.now() + 3 * DAY).toISOString();
    expect((await patch('owner', id, { status: 'public-comment', closesAt })).body.commentPeriod!.closesAt).toBe(closesAt);
  });

  it('WF3: closesAt must be in the future and goes only with a move to public-comment (400, nothing changed)', async () => {
    const id = await newDocument();
    await setStatus(id, 'review');
    const past = await patch('owner', id, { status: 'public-comment', closesAt: new Date(clock.now() - 1000).toISOString() });
    expect(past).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const alone = await patch('owner', id, { title: 'x', closesAt: new Date(clock.now() + DAY).toISOString() });
    expect(alone.status).toBe(400);
    expect(await server.store.getDocument(id as never)).toMatchObject({ status: 'review', commentPeriod: null, title: 'Session report' });
  });

  it('H: an unknown status is a 400', async () => {
    const id = await newDocument();
    expect((await patch('owner', id, { status: 'approved' })).status).toBe(400);
  });
});

function paragraph(blockId: string, text: string, attrs: Record<string, unknown> = {}): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  el.setAttribute('blockId', blockId);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as never);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

async function edit(c: StockClient, id: string, change: (body: Y.XmlFragment) => void): Promise<void> {
  const before = await server.store.lastSeq(id as never);
  c.doc.transact(() => change(c.doc.getXmlFragment('default')));
  await waitFor(async () => (await server.store.lastSeq(id as never)) > before, { what: 'edit stored' });
  await server.rooms.whenIdle();
}

describe('readiness for final (SPEC WF4)', () => {
  it('WF4: final is refused with 409 not_ready naming each passage, nothing changes; once complete, the editor moves it', async () => {
    const id = await newDocument();
    await setStatus(id, 'revising');
    const editor = stockClient(server.collabUrl, id, people.editor);
    await editor.synced();
    await edit(editor, id, (body) =>
      body.insert(0, [
        paragraph('liability', 'Liability of platforms', { consensus: { level: 'divergence', basis: 'chair-designation' } }),
        paragraph('takeaways', '', { field: 'key-takeaways', required: true }),
      ]),
    );
    const refused = await patch('editor', id, { status: 'final', title: 'Renamed too early' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('not_ready');
    expect(refused.body.error.message).toContain('Liability of platforms');
    expect(refused.body.error.details.problems).toEqual([
      { code: 'marker-views-missing', blockId: 'liability', passage: 'Liability of platforms' },
      { code: 'required-field-empty', blockId: 'takeaways', passage: expect.any(String) },
    ]);
    expect(await server.store.getDocument(id as never)).toMatchObject({ status: 'revising', title: 'Session report' });
    expect((await auditActions(id)).some((e) => e.action === 'status.changed')).toBe(false);

    await edit(editor, id, (body) => {
      const [liability, takeaways] = body.toArray() as Y.XmlElement[];
      liability!.setAttribute('consensus', {
        level: 'divergence',
        basis: 'chair-designation',
        views: [
          { text: 'Platforms should carry liability.', groups: ['government'] },
          { text: 'Liability would chill speech.', groups: ['private-sector'] },
        ],
      } as never);
      (takeaways!.get(0) as Y.XmlText).insert(0, 'Open standards matter.');
    });
    expect((await patch('editor', id, { status: 'final' })).body.status).toBe('final');
    editor.destroy();
  });

  it('WF4: a document whose room is not loaded is checked from the store', async () => {
    const id = await newDocument();
    const editor = stockClient(server.collabUrl, id, people.editor);
    await editor.synced();
    await edit(editor, id, (body) => body.insert(0, [paragraph('m', 'Minority view', { consensus: { level: 'minority-view', basis: 'in-room-check' } })]));
    editor.destroy();
    await waitFor(() => server.rooms.size === 0 || (clock.advance(31_000), false), { what: 'room unloaded' });
    await setStatus(id, 'revising');
    const refused = await patch('owner', id, { status: 'final' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.problems).toEqual([{ code: 'marker-views-missing', blockId: 'm', passage: 'Minority view' }]);
  });
});

describe('edits after final (SPEC WF5, WF9)', () => {
  it('WF5: an accepted edit after final moves the document to revising, attributed to its author; open streams are told', async () => {
    const id = await newDocument();
    await setStatus(id, 'final');
    const stream = await openSse(`${server.url}/api/documents/${id}/comments/events`, { Authorization: `Bearer ${people.viewer.token}` });
    const editor = stockClient(server.collabUrl, id, people.editor);
    await editor.synced();
    clock.advance(5_000);
    await edit(editor, id, (body) => body.insert(0, [paragraph('late', 'A late correction')]));
    expect(await server.store.getDocument(id as never)).toMatchObject({ status: 'revising', statusChangedAt: clock.now() });
    const event = (await auditActions(id)).find((e) => e.action === 'status.changed');
    expect(event).toMatchObject({ actor: 'editor', details: { from: 'final', to: 'revising', cause: 'edit' }, at: new Date(clock.now()).toISOString() });
    await waitFor(() => stream.events.some((e) => e.event === 'document'), { what: 'document event' });
    const pushed = JSON.parse(stream.events.find((e) => e.event === 'document')!.data) as { document: DocumentSummary };
    expect(pushed.document).toMatchObject({ id, status: 'revising', role: 'viewer', moves: [] });
    // The next edit finds it revising: one move, one audit event.
    await edit(editor, id, (body) => body.insert(1, [paragraph('later', 'Another')]));
    expect((await auditActions(id)).filter((e) => e.action === 'status.changed')).toHaveLength(1);
    stream.close();
    editor.destroy();
  });

  it('WF5: the same after published', async () => {
    const id = await newDocument();
    await setStatus(id, 'published');
    const owner = stockClient(server.collabUrl, id, people.owner);
    await owner.synced();
    await edit(owner, id, (body) => body.insert(0, [paragraph('p', 'Edit after publication')]));
    expect(await statusOf(id)).toBe('revising');
    expect((await auditActions(id)).find((e) => e.action === 'status.changed')).toMatchObject({ actor: 'owner', details: { from: 'published', cause: 'edit' } });
    owner.destroy();
  });

  it('WF9: a move, a deadline or a rename is pushed to open streams as a document event, each reader with their own role', async () => {
    const id = await newDocument();
    const stream = await openSse(`${server.url}/api/documents/${id}/comments/events`, { Authorization: `Bearer ${people.editor.token}` });
    await patch('owner', id, { status: 'review' });
    await waitFor(() => stream.events.some((e) => e.event === 'document'), { what: 'document event' });
    const pushed = JSON.parse(stream.events.find((e) => e.event === 'document')!.data) as { document: DocumentSummary };
    expect(pushed.document).toMatchObject({ status: 'review', role: 'editor', moves: ['drafting'] });
    expect(stream.events.find((e) => e.event === 'document')!.id).toBeNull();
    await patch('owner', id, { title: 'Renamed' });
    await waitFor(() => stream.events.some((e) => e.event === 'document' && e.data.includes('Renamed')), { what: 'rename event' });
    stream.close();
  });
});

describe('deadlines (SPEC WF6)', () => {
  it('WF6: owners set a deadline in a time zone and clear it, audited; the zone is checked with Intl and kept canonical', async () => {
    const id = await newDocument();
    const set = await patch('owner', id, { deadline: { at: '2026-12-17T18:00:00+03:00', timeZone: 'asia/riyadh' } });
    expect(set.status).toBe(200);
    expect(set.body.deadline).toEqual({ at: '2026-12-17T15:00:00.000Z', timeZone: 'Asia/Riyadh' });
    expect((await patch('owner', id, { deadline: { at: '2026-12-17T18:00:00+03:00', timeZone: 'Mars/Olympus_Mons' } })).status).toBe(400);
    expect((await patch('owner', id, { deadline: { at: 'tomorrow', timeZone: 'UTC' } })).status).toBe(400);
    expect((await patch('editor', id, { deadline: null })).status).toBe(403);
    expect((await patch('commenter', id, { deadline: null })).status).toBe(403);
    expect((await patch('stranger', id, { deadline: null })).status).toBe(404);
    const cleared = await patch('owner', id, { deadline: null });
    expect(cleared.body.deadline).toBeNull();
    const events = (await auditActions(id)).filter((e) => e.action.startsWith('deadline.'));
    expect(events.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['deadline.cleared', 'owner', { previous: { at: '2026-12-17T15:00:00.000Z', timeZone: 'Asia/Riyadh' } }],
      ['deadline.set', 'owner', { at: '2026-12-17T15:00:00.000Z', timeZone: 'Asia/Riyadh', previous: null }],
    ]);
    // Setting it to what it is records nothing.
    await patch('owner', id, { deadline: null });
    expect((await auditActions(id)).filter((e) => e.action.startsWith('deadline.'))).toHaveLength(2);
  });

  it('a refused part refuses the whole request: nothing of it is applied', async () => {
    const id = await newDocument();
    expect((await patch('editor', id, { title: 'Editor may rename', deadline: null })).status).toBe(403);
    expect((await patch('owner', id, { title: 'Owner renames', status: 'final' })).status).toBe(409);
    expect((await patch('owner', id, { status: 'review', deadline: { at: '2026-01-01T00:00:00Z', timeZone: 'Nowhere/Else' } })).status).toBe(400);
    expect(await server.store.getDocument(id as never)).toMatchObject({ title: 'Session report', status: 'drafting', deadline: null });
  });
});

describe('the document list (SPEC WF7, WF8)', () => {
  it('WF7, WF8: filters by status and due (overdue, today, week in the deadline’s zone), overdue first, then by deadline, then recently updated', async () => {
    // A fresh person, so the list holds only these documents.
    const lister = await signUp(server.url, { name: 'lister' });
    const now = Date.parse('2026-03-10T22:30:00Z');
    clock.advance(now - clock.now());
    const make = async (title: string, deadline: { at: string; timeZone: string } | null, status?: DocumentStatus) => {
      const id = await createDocument(server.url, lister, title);
      if (deadline) await lister.api.updateDocument(id, { deadline });
      if (status) await setStatus(id, status);
      clock.advance(1000);
      return id;
    };
    await make('No deadline, older', null);
    await make('Overdue', { at: '2026-03-10T20:00:00Z', timeZone: 'UTC' });
    await make('Tokyo, tomorrow morning there is today', { at: '2026-03-10T23:00:00Z', timeZone: 'Asia/Tokyo' });
    await make('London, tomorrow', { at: '2026-03-11T06:00:00Z', timeZone: 'Europe/London' });
    await make('In ten days', { at: '2026-03-20T12:00:00Z', timeZone: 'UTC' });
    await make('Final, deadline passed', { at: '2026-03-01T12:00:00Z', timeZone: 'UTC' }, 'final');
    await make('Long overdue, in review', { at: '2026-03-01T12:00:00Z', timeZone: 'UTC' }, 'review');
    await make('No deadline, newer', null, 'review');

    const titles = async (query = '') => {
      const res = await fetch(`${server.url}/api/documents${query}`, { headers: { Authorization: `Bearer ${lister.token}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { documents: DocumentSummary[] }).documents.map((d) => d.title);
    };
    expect(await titles()).toEqual([
      'Long overdue, in review',
      'Overdue',
      'Tokyo, tomorrow morning there is today',
      'London, tomorrow',
      'In ten days',
      'No deadline, newer',
      'Final, deadline passed',
      'No deadline, older',
    ]);
    expect(await titles('?due=overdue')).toEqual(['Long overdue, in review', 'Overdue']);
    expect(await titles('?due=today')).toEqual(['Tokyo, tomorrow morning there is today']);
    expect(await titles('?due=week')).toEqual(['Tokyo, tomorrow morning there is today', 'London, tomorrow']);
    expect(await titles('?status=review')).toEqual(['Long overdue, in review', 'No deadline, newer']);
    expect(await titles('?status=review&due=overdue')).toEqual(['Long overdue, in review']);
    expect(await titles('?status=final')).toEqual(['Final, deadline passed']);

    // The clock moves: by midnight in Tokyo the Tokyo deadline has passed.
    clock.advance(Date.parse('2026-03-11T00:00:00Z') - clock.now());
    expect(await titles('?due=overdue')).toEqual(['Long overdue, in review', 'Overdue', 'Tokyo, tomorrow morning there is today']);
    expect(await titles('?due=today')).toEqual(['London, tomorrow']);

    expect((await list('owner', '?due=yesterday')).status).toBe(400);
    expect((await list('owner', '?status=approved')).status).toBe(400);
    expect((await list('owner', '?status=review&status=final')).status).toBe(400);
  });

  it('WF7: filters by document type, alone or with status', async () => {
    const lister = await signUp(server.url, { name: 'typed' });
    const report = (await lister.api.createDocument({ title: 'A report', type: 'session-report' })).id;
    await lister.api.createDocument({ title: 'A summary', type: 'chairs-summary' });
    await lister.api.createDocument({ title: 'Blank' });
    await setStatus(report, 'review');
    const titles = async (filters: Parameters<typeof lister.api.listDocuments>[0]) => (await lister.api.listDocuments(filters)).map((d) => d.title);
    expect(await titles({ type: 'session-report' })).toEqual(['A report']);
    expect(await titles({ type: 'chairs-summary', status: 'drafting' })).toEqual(['A summary']);
    expect(await titles({ type: 'session-report', status: 'drafting' })).toEqual([]);
    expect((await list('owner', '?type=novel')).status).toBe(400);
  });

  it('WF7: lists only the caller’s documents, each with their own role and moves', async () => {
    const id = await newDocument('Listed');
    await setStatus(id, 'revising');
    const mine = (await people.editor.api.listDocuments({ status: 'revising' })).find((d) => d.id === id);
    expect(mine).toMatchObject({ role: 'editor', moves: ['final'] });
    expect((await people.stranger.api.listDocuments()).some((d) => d.id === id)).toBe(false);
  });
});
