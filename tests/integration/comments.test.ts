import fs from 'node:fs';
import type { CommentView } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, stockClient } from '../support/clients';
import { startServer, tempDataDir } from '../support/server';
import { ManualClock } from '../support/manualClock';
import { openSse } from '../support/sse';
import { waitFor } from '../support/wait';

// Issue 4, first part: comments written through the API, attributed by the
// server, with disposition, moderation and a resumable event channel (SPEC C1–C6).
type Who = 'owner' | 'editor' | 'commenter' | 'viewer' | 'stranger' | 'anonymous';

let dataDir: string;
let server: RunningServer;
const people = {} as Record<Exclude<Who, 'anonymous'>, TestUser>;
let docId: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir);
  people.owner = await signUp(server.url, { name: 'Chair', stakeholderGroup: 'intergovernmental', region: 'other' });
  people.editor = await signUp(server.url, { name: 'Rapporteur', stakeholderGroup: 'technical-community', region: 'asia-pacific' });
  people.commenter = await signUp(server.url, { name: 'Remote participant', stakeholderGroup: 'civil-society', region: 'african' });
  people.viewer = await signUp(server.url, { name: 'Observer', stakeholderGroup: 'media', region: 'eastern-european' });
  people.stranger = await signUp(server.url, { name: 'Stranger', stakeholderGroup: 'private-sector', region: 'western-european-others' });
  docId = await createDocument(server.url, people.owner, 'Session report');
  for (const role of ['editor', 'commenter', 'viewer'] as const) await people.owner.api.setMember(docId, people[role].email, role);
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function call(method: string, path: string, who: Who, body?: unknown): Promise<Response> {
  const token = who === 'anonymous' ? null : people[who].token;
  return fetch(server.url + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

function rangeAnchor(quote = 'the passage') {
  const doc = new Y.Doc();
  const text = new Y.XmlText('the passage');
  doc.getXmlFragment('default').insert(0, [text]);
  const pos = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i))).toString('base64');
  return { type: 'range' as const, start: pos(0), end: pos(11), quote };
}

async function post(who: Who, body: Record<string, unknown>): Promise<{ status: number; comment: CommentView }> {
  const res = await call('POST', `/api/documents/${docId}/comments`, who, body);
  return { status: res.status, comment: ((await res.json()) as { comment: CommentView }).comment };
}

describe('attribution (SPEC C1)', () => {
  it('stamps author, organisation, stakeholder group and region from the account, ignoring what the body claims', async () => {
    const { status, comment } = await post('commenter', {
      anchor: rangeAnchor(),
      body: 'We support this.',
      author: { id: people.owner.user.id, name: 'The Chair' },
      stakeholderGroup: 'government',
      region: 'western-european-others',
    });
    expect(status).toBe(201);
    expect(comment.author).toEqual({
      id: people.commenter.user.id,
      name: 'Remote participant',
      organisation: null,
      stakeholderGroup: 'civil-society',
      region: 'african',
    });
  });

  it('keeps the attribution recorded at the time of writing when the profile changes later', async () => {
    const { comment } = await post('commenter', { anchor: rangeAnchor(), body: 'Written as civil society.' });
    await people.commenter.api.updateMe({ stakeholderGroup: 'academia' });
    const list = (await (await call('GET', `/api/documents/${docId}/comments`, 'owner')).json()) as { comments: CommentView[] };
    expect(list.comments.find((c) => c.id === comment.id)?.author.stakeholderGroup).toBe('civil-society');
    await people.commenter.api.updateMe({ stakeholderGroup: 'civil-society' });
  });

  it('keeps markup as inert text', async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const { comment } = await post('commenter', { anchor: rangeAnchor(payload), body: payload, suggestion: payload });
    expect(comment.body).toBe(payload);
    const res = await call('GET', `/api/documents/${docId}/comments`, 'owner');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses malformed anchors and empty bodies (400)', async () => {
    expect((await post('commenter', { anchor: { ...rangeAnchor(), start: 'AAAA' }, body: 'x' })).status).toBe(400);
    expect((await post('commenter', { anchor: rangeAnchor(), body: '   ' })).status).toBe(400);
    expect((await post('commenter', { anchor: { type: 'sideways', quote: '' }, body: 'x' })).status).toBe(400);
  });

  it('creates one comment per client key, however often an offline client resends it', async () => {
    const body = { anchor: { type: 'block', blockId: 'b-1', quote: 'A paragraph' }, body: 'Sent twice', clientKey: 'outbox-0001' };
    const first = await post('commenter', body);
    const second = await post('commenter', body);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.comment.id).toBe(first.comment.id);
  });
});

describe('who may do what with comments (SPEC C2)', () => {
  const everyone: Who[] = ['owner', 'editor', 'commenter', 'viewer', 'stranger', 'anonymous'];
  const deny = (who: Who) => (who === 'anonymous' ? 401 : 403);

  it('comment and reply: commenters and up', async () => {
    const thread = (await post('owner', { anchor: rangeAnchor(), body: 'Thread' })).comment;
    for (const who of everyone) {
      const ok = ['owner', 'editor', 'commenter'].includes(who);
      expect((await post(who, { anchor: rangeAnchor(), body: `by ${who}` })).status, who).toBe(ok ? 201 : deny(who));
      const reply = await call('POST', `/api/documents/${docId}/comments/${thread.id}/replies`, who, { body: `reply by ${who}` });
      expect(reply.status, who).toBe(ok ? 201 : deny(who));
      if (ok) expect(((await reply.json()) as { comment: CommentView }).comment.parentId).toBe(thread.id);
    }
  });

  it('edit and withdraw: only the author, only while open', async () => {
    const mine = (await post('commenter', { anchor: rangeAnchor(), body: 'First wording' })).comment;
    expect((await call('PATCH', `/api/documents/${docId}/comments/${mine.id}`, 'editor', { body: 'Hijacked' })).status).toBe(403);
    const edited = await call('PATCH', `/api/documents/${docId}/comments/${mine.id}`, 'commenter', { body: 'Second wording' });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { comment: CommentView }).comment).toMatchObject({ body: 'Second wording' });
    expect((await call('POST', `/api/documents/${docId}/comments/${mine.id}/withdraw`, 'owner')).status).toBe(403);
    expect((await call('POST', `/api/documents/${docId}/comments/${mine.id}/withdraw`, 'commenter')).status).toBe(200);
    expect((await call('PATCH', `/api/documents/${docId}/comments/${mine.id}`, 'commenter', { body: 'Too late' })).status).toBe(409);
  });

  it('disposition: editors and owners, with a response; stamped with who decided', async () => {
    const c = (await post('commenter', { anchor: rangeAnchor(), body: 'Please add youth participation.' })).comment;
    for (const who of ['commenter', 'viewer', 'stranger', 'anonymous'] as const) {
      expect((await call('PUT', `/api/documents/${docId}/comments/${c.id}/disposition`, who, { status: 'accepted' })).status, who).toBe(deny(who));
    }
    const res = await call('PUT', `/api/documents/${docId}/comments/${c.id}/disposition`, 'editor', {
      status: 'partially-accepted',
      response: 'Added to the way forward.',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { comment: CommentView }).comment).toMatchObject({
      status: 'partially-accepted',
      response: 'Added to the way forward.',
      disposedBy: { id: people.editor.user.id, name: 'Rapporteur' },
    });
    expect((await call('PUT', `/api/documents/${docId}/comments/${c.id}/disposition`, 'owner', { status: 'withdrawn' })).status).toBe(400);
  });

  it('moderation: owners hide with a reason; others see the place but not the text', async () => {
    const abusive = (await post('commenter', { anchor: rangeAnchor(), body: 'Something abusive' })).comment;
    expect((await call('POST', `/api/documents/${docId}/comments/${abusive.id}/hide`, 'editor', { reason: 'abuse' })).status).toBe(403);
    expect((await call('POST', `/api/documents/${docId}/comments/${abusive.id}/hide`, 'owner', {})).status).toBe(400);
    expect((await call('POST', `/api/documents/${docId}/comments/${abusive.id}/hide`, 'owner', { reason: 'Personal attack' })).status).toBe(200);
    const seen = async (who: Who) =>
      ((await (await call('GET', `/api/documents/${docId}/comments`, who)).json()) as { comments: CommentView[] }).comments.find(
        (c) => c.id === abusive.id,
      )!;
    expect(await seen('viewer')).toMatchObject({ body: '', hidden: { reason: 'Personal attack' } });
    expect(await seen('commenter')).toMatchObject({ body: '' });
    expect(await seen('owner')).toMatchObject({ body: 'Something abusive', hidden: { reason: 'Personal attack' } });
  });

  it('reading comments needs read access', async () => {
    for (const who of everyone) {
      const ok = who !== 'stranger' && who !== 'anonymous';
      expect((await call('GET', `/api/documents/${docId}/comments`, who)).status, who).toBe(ok ? 200 : deny(who));
    }
  });
});

describe('event channel (SPEC C3)', () => {
  const headers = (who: Exclude<Who, 'anonymous'>) => ({ Authorization: `Bearer ${people[who].token}` });
  const url = () => `${server.url}/api/documents/${docId}/comments/events`;

  it('delivers changes live, in order, and resumes after a reconnect without gaps', async () => {
    const { lastEventId } = (await (await call('GET', `/api/documents/${docId}/comments`, 'viewer')).json()) as { lastEventId: number };
    const stream = await openSse(`${url()}?after=${lastEventId}`, headers('viewer'));
    expect(stream.status).toBe(200);
    const c = (await post('commenter', { anchor: rangeAnchor(), body: 'Live one' })).comment;
    await waitFor(() => stream.events.some((e) => JSON.parse(e.data).comment.id === c.id), { what: 'live event' });
    const last = stream.events[stream.events.length - 1]!;
    expect(last.event).toBe('comment');
    expect(JSON.parse(last.data)).toMatchObject({ type: 'comment.created', comment: { body: 'Live one', author: { name: 'Remote participant' } } });
    stream.close();

    // While disconnected: two more changes.
    await call('PUT', `/api/documents/${docId}/comments/${c.id}/disposition`, 'editor', { status: 'noted' });
    const d = (await post('commenter', { anchor: rangeAnchor(), body: 'Missed while offline' })).comment;
    const resumed = await openSse(url(), { ...headers('viewer'), 'Last-Event-ID': last.id! });
    await waitFor(() => resumed.events.length >= 2, { what: 'missed events' });
    const types = resumed.events.map((e) => JSON.parse(e.data) as { seq: number; type: string; comment: CommentView });
    expect(types.map((e) => [e.type, e.comment.id])).toEqual([
      ['comment.disposed', c.id],
      ['comment.created', d.id],
    ]);
    expect(types[0]!.seq).toBe(Number(last.id) + 1);
    resumed.close();
  });

  it('ends the stream, sending nothing more, once the reader loses access', async () => {
    const id = await createDocument(server.url, people.owner, 'Revoked reader');
    const reader = await signUp(server.url);
    await people.owner.api.setMember(id, reader.email, 'viewer');
    const stream = await openSse(`${server.url}/api/documents/${id}/comments/events`, { Authorization: `Bearer ${reader.token}` });
    expect(stream.status).toBe(200);
    await people.owner.api.removeMember(id, reader.user.id);
    await fetch(`${server.url}/api/documents/${id}/comments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${people.owner.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ anchor: rangeAnchor(), body: 'After the removal' }),
    });
    await stream.ended;
    expect(stream.events).toEqual([]);
  });

  it('refuses the stream to callers without read access', async () => {
    const denied = await openSse(url(), headers('stranger'));
    expect(denied.status).toBe(403);
    denied.close();
  });
});

describe('suggestions (SPEC C7)', () => {
  it('accepting applies the wording as an edit by the accepter, after concurrent edits moved the passage', async () => {
    const id = await createDocument(server.url, people.owner, 'Suggestions');
    await people.owner.api.setMember(id, people.editor.email, 'editor');
    await people.owner.api.setMember(id, people.commenter.email, 'commenter');
    const writer = stockClient(server.collabUrl, id, people.owner);
    try {
      await writer.synced();
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText('The forum agreed to continue the work.');
      paragraph.insert(0, [text]);
      writer.doc.getXmlFragment('default').insert(0, [paragraph]);
      const read = () => server.rooms.read(id as never, (doc) => doc.getXmlFragment('default').toString());
      await waitFor(async () => (await read()).includes('agreed to continue'), { what: 'paragraph stored' });

      const pos = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i))).toString('base64');
      const suggest = (start: number, end: number, quote: string, suggestion: string) =>
        fetch(`${server.url}/api/documents/${id}/comments`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${people.commenter.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ anchor: { type: 'range', start: pos(start), end: pos(end), quote }, body: 'Better wording', suggestion }),
        }).then(async (r) => ((await r.json()) as { comment: CommentView }).comment);
      const s1 = await suggest(10, 28, 'agreed to continue', 'resolved to extend');
      const s2 = await suggest(29, 37, 'the work', 'its mandate');

      // Someone edits before the chair decides: the anchors follow the text.
      text.insert(0, 'In 2026, ');
      text.delete(text.length - 9, 9); // removes "the work." — s2's passage
      await waitFor(async () => (await read()).includes('In 2026'), { what: 'concurrent edit stored' });

      const accept = (who: Who, commentId: string) =>
        fetch(`${server.url}/api/documents/${id}/comments/${commentId}/accept`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${people[who as 'editor'].token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ response: 'Agreed in the room.' }),
        });
      expect((await accept('commenter', s1.id)).status).toBe(403);
      const res = await accept('editor', s1.id);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { comment: CommentView }).comment).toMatchObject({
        status: 'accepted',
        response: 'Agreed in the room.',
        author: { id: people.commenter.user.id },
        disposedBy: { id: people.editor.user.id },
      });
      await waitFor(() => text.toString() === 'In 2026, The forum resolved to extend ', { what: 'the writer sees the accepted wording' });

      // The new text is the editor's: its client id is bound to the editor's account.
      const bindings = await server.store.loadClientBindings(id as never);
      expect([...bindings.values()]).toContain(people.editor.user.id);

      expect((await accept('editor', s1.id)).status).toBe(409);
      const gone = await accept('editor', s2.id);
      expect(gone.status).toBe(409);
      expect(((await gone.json()) as { error: { message: string } }).error.message).toMatch(/deleted/);
    } finally {
      writer.destroy();
    }
  });
});

describe('comment period (SPEC C8)', () => {
  it('opens commenting to every signed-in user between two dates and refuses late comments with a clear message', async () => {
    const id = await createDocument(server.url, people.owner, 'Public consultation');
    await people.owner.api.setMember(id, people.editor.email, 'editor');
    await people.owner.api.setMember(id, people.commenter.email, 'commenter');
    const setPeriod = (opensAt: number, closesAt: number) =>
      fetch(`${server.url}/api/documents/${id}/comment-period`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${people.owner.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString() }),
      });
    const comment = (who: Who) =>
      fetch(`${server.url}/api/documents/${id}/comments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${people[who as 'owner'].token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ anchor: rangeAnchor(), body: `from ${who}` }),
      });
    const day = 24 * 3600 * 1000;

    expect((await comment('stranger')).status).toBe(403);
    expect((await setPeriod(Date.now() - day, Date.now() + day)).status).toBe(200);
    expect((await comment('stranger')).status).toBe(201);
    expect((await comment('commenter')).status).toBe(201);

    expect((await setPeriod(Date.now() - 2 * day, Date.now() - day)).status).toBe(200);
    const late = await comment('commenter');
    expect(late.status).toBe(403);
    expect(await late.json()).toMatchObject({ error: { code: 'comment_period_closed', message: expect.stringMatching(/closed on/) } });
    expect((await comment('editor')).status).toBe(201);

    expect((await setPeriod(Date.now() + day, Date.now() + 2 * day)).status).toBe(200);
    expect(await (await comment('commenter')).json()).toMatchObject({ error: { message: expect.stringMatching(/opens on/) } });
    expect((await setPeriod(Date.now() + day, Date.now())).status).toBe(400);
    const notOwner = await fetch(`${server.url}/api/documents/${id}/comment-period`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${people.editor.token}` },
    });
    expect(notOwner.status).toBe(403);
  });
});

describe('comment period by the injected clock, for every comment command (SPEC C8, A1)', () => {
  // The clock starts in 2023: a period around it is long past by the wall
  // clock, so any rule still reading Date.now() would call it closed.
  it('opens and closes commenting, replying, editing and withdrawing by the server clock', async () => {
    const clock = new ManualClock();
    const dir = tempDataDir();
    const local = await startServer(dir, {}, { clock });
    try {
      const owner = await signUp(local.url, { name: 'Chair' });
      const commenter = await signUp(local.url, { name: 'Commenter' });
      const public_ = await signUp(local.url, { name: 'Member of the public' });
      const id = await createDocument(local.url, owner, 'Consultation');
      await owner.api.setMember(id, commenter.email, 'commenter');
      const hour = 3_600_000;
      const opensAt = clock.now() + hour;
      const closesAt = clock.now() + 3 * hour;
      await owner.api.setCommentPeriod(id, { opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString() });
      const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { status: number; code: string }) => `${e.status} ${e.code}`);

      // Before it opens: members below editor are told when it opens; the
      // public has no access to a private document yet.
      expect(await code(commenter.api.createComment(id, { anchor: rangeAnchor(), body: 'early' }))).toBe('403 comment_period_closed');
      expect(await code(public_.api.createComment(id, { anchor: rangeAnchor(), body: 'early' }))).toBe('403 forbidden');

      clock.advance(hour);
      const mine = await commenter.api.createComment(id, { anchor: rangeAnchor(), body: 'on time' });
      const theirs = await public_.api.createComment(id, { anchor: rangeAnchor(), body: 'from the public' });
      const toWithdraw = await commenter.api.createComment(id, { anchor: rangeAnchor(), body: 'second thoughts' });
      expect(await code(commenter.api.editComment(id, mine.id, { body: 'on time, edited' }))).toBe('ok');

      // Once it has closed, nobody below editor may write, reply, edit or withdraw.
      clock.advance(2 * hour);
      expect(await code(commenter.api.createComment(id, { anchor: rangeAnchor(), body: 'late' }))).toBe('403 comment_period_closed');
      expect(await code(commenter.api.reply(id, theirs.id, { body: 'late reply' }))).toBe('403 comment_period_closed');
      expect(await code(commenter.api.editComment(id, mine.id, { body: 'rewritten after the close' }))).toBe('403 comment_period_closed');
      expect(await code(commenter.api.withdrawComment(id, toWithdraw.id))).toBe('403 comment_period_closed');
      expect(await code(public_.api.reply(id, theirs.id, { body: 'late' }))).toBe('403 forbidden');
      expect((await owner.api.listComments(id)).comments.find((c) => c.id === mine.id)?.body).toBe('on time, edited');
      // Editors and owners answer after the close.
      expect(await code(owner.api.reply(id, theirs.id, { body: 'Thank you' }))).toBe('ok');
    } finally {
      await local.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exports and participation (SPEC C9)', () => {
  it('lists every comment in the disposition table (CSV and HTML), groups views by stakeholder group, and counts participation', async () => {
    const id = await createDocument(server.url, people.owner, 'Exported <report>');
    await people.owner.api.setMember(id, people.editor.email, 'editor');
    await people.owner.api.setMember(id, people.commenter.email, 'commenter');
    const as = (who: Who) => ({ Authorization: `Bearer ${people[who as 'owner'].token}`, 'Content-Type': 'application/json' });
    const create = async (who: Who, body: string, suggestion?: string) =>
      (
        (await (
          await fetch(`${server.url}/api/documents/${id}/comments`, {
            method: 'POST',
            headers: as(who),
            body: JSON.stringify({ anchor: rangeAnchor('<b>quoted</b>'), body, suggestion }),
          })
        ).json()) as { comment: CommentView }
      ).comment;
    const script = '<script>alert("x")</script>';
    const c1 = await create('commenter', `Support, but ${script}`, '=HYPERLINK("http://evil.example")');
    await create('editor', 'A technical view.');
    const hidden = await create('commenter', 'An insult');
    await fetch(`${server.url}/api/documents/${id}/comments/${c1.id}/disposition`, {
      method: 'PUT',
      headers: as('editor'),
      body: JSON.stringify({ status: 'noted', response: 'Thank you.' }),
    });
    await fetch(`${server.url}/api/documents/${id}/comments/${hidden.id}/hide`, { method: 'POST', headers: as('owner'), body: JSON.stringify({ reason: 'Insult' }) });
    await people.commenter.api.updateMe({ gender: 'woman', youth: true });

    const csv = await fetch(`${server.url}/api/documents/${id}/comments/export?format=csv`, { headers: as('viewer') });
    expect(csv.status).toBe(403); // the viewer is not a member of this document
    const csvBytes = Buffer.from(await (await fetch(`${server.url}/api/documents/${id}/comments/export?format=csv`, { headers: as('commenter') })).arrayBuffer());
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for spreadsheets
    const csvText = csvBytes.subarray(3).toString('utf8');
    expect(csvText.startsWith('No.,Passage,Comment,Suggested wording,Author')).toBe(true);
    expect(csvText).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csvText).toContain('Noted');
    expect(csvText).toContain('Civil society');
    expect(csvText).toContain('[hidden by a moderator: Insult]');
    expect(csvText).not.toContain('An insult');

    const html = await fetch(`${server.url}/api/documents/${id}/comments/export?format=html`, { headers: as('commenter') });
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    const htmlText = await html.text();
    expect(htmlText).not.toContain('<script');
    expect(htmlText).toContain('&lt;script&gt;');
    expect(htmlText).toContain('Exported &lt;report&gt;');

    const compendium = await (await fetch(`${server.url}/api/documents/${id}/comments/compendium?format=html`, { headers: as('owner') })).text();
    expect(compendium).toMatch(/<h2>Civil society \(1\)<\/h2>[\s\S]*<h2>Technical community \(1\)<\/h2>/);
    expect(compendium).not.toContain('An insult');
    expect(compendium).not.toContain('<script');
    const md = await (await fetch(`${server.url}/api/documents/${id}/comments/compendium?format=md`, { headers: as('owner') })).text();
    expect(md).toContain('## Civil society (1)');

    const figures = (await (await fetch(`${server.url}/api/documents/${id}/participation`, { headers: as('owner') })).json()) as Record<string, unknown>;
    expect(figures).toMatchObject({
      commenters: 2,
      comments: 3,
      commentsByStakeholderGroup: { 'civil-society': 2, 'technical-community': 1, government: 0 },
      commentersByStakeholderGroup: { 'civil-society': 1, 'technical-community': 1 },
      // Two people: one woman, one undeclared; one youth, one undeclared.
      // Every cell under 3 is withheld, the empty ones too (SPEC C9).
      gender: { woman: 'suppressed', man: 'suppressed', undeclared: 'suppressed' },
      youth: { yes: 'suppressed', no: 'suppressed', undeclared: 'suppressed' },
    });
  });
});

describe('notifications (SPEC C10)', () => {
  it('tells mentioned readers, the thread author of replies and the author of decisions; never the actor; read marks stick', async () => {
    const id = await createDocument(server.url, people.owner, 'Mentions');
    await people.owner.api.setMember(id, people.editor.email, 'editor');
    await people.owner.api.setMember(id, people.commenter.email, 'commenter');
    const as = (who: Who) => ({ Authorization: `Bearer ${people[who as 'owner'].token}`, 'Content-Type': 'application/json' });
    const inbox = async (who: Who) =>
      (await (await fetch(`${server.url}/api/notifications`, { headers: as(who) })).json()) as {
        notifications: Array<{ id: string; kind: string; document: { id: string }; comment: { id: string; excerpt: string }; actor: { name: string } }>;
        unread: number;
      };
    const before = { editor: (await inbox('editor')).unread, stranger: (await inbox('stranger')).unread, commenter: (await inbox('commenter')).unread };

    const body = `@[Rapporteur](${people.editor.user.id}) and @[Stranger](${people.stranger.user.id}), please look.`;
    const thread = (
      (await (
        await fetch(`${server.url}/api/documents/${id}/comments`, { method: 'POST', headers: as('commenter'), body: JSON.stringify({ anchor: rangeAnchor(), body }) })
      ).json()) as { comment: CommentView }
    ).comment;
    const editorInbox = await inbox('editor');
    expect(editorInbox.unread).toBe(before.editor + 1);
    expect(editorInbox.notifications[0]).toMatchObject({ kind: 'mention', document: { id }, comment: { id: thread.id }, actor: { name: 'Remote participant' } });
    expect((await inbox('stranger')).unread).toBe(before.stranger); // no access, no notification

    await fetch(`${server.url}/api/documents/${id}/comments/${thread.id}/replies`, { method: 'POST', headers: as('owner'), body: JSON.stringify({ body: 'Thanks' }) });
    await fetch(`${server.url}/api/documents/${id}/comments/${thread.id}/disposition`, {
      method: 'PUT',
      headers: as('editor'),
      body: JSON.stringify({ status: 'accepted', response: 'Done' }),
    });
    const mine = await inbox('commenter');
    expect(mine.unread).toBe(before.commenter + 2);
    expect(mine.notifications.slice(0, 2).map((n) => n.kind).sort()).toEqual(['disposition', 'reply']);

    const first = mine.notifications[0]!;
    expect((await fetch(`${server.url}/api/notifications/${first.id}/read`, { method: 'POST', headers: as('commenter') })).status).toBe(204);
    expect((await inbox('commenter')).unread).toBe(before.commenter + 1);
    expect((await fetch(`${server.url}/api/notifications/${first.id}/read`, { method: 'POST', headers: as('commenter') })).status).toBe(204);
    expect((await fetch(`${server.url}/api/notifications/${first.id}/read`, { method: 'POST', headers: as('editor') })).status).toBe(404);
    expect((await fetch(`${server.url}/api/notifications/read-all`, { method: 'POST', headers: as('commenter') })).status).toBe(204);
    expect((await inbox('commenter')).unread).toBe(0);

    // Editing a comment notifies only the people it newly mentions.
    const ownerBefore = (await inbox('owner')).unread;
    const editorBefore = (await inbox('editor')).unread;
    const second = (
      (await (
        await fetch(`${server.url}/api/documents/${id}/comments`, { method: 'POST', headers: as('commenter'), body: JSON.stringify({ anchor: rangeAnchor(), body: `@[Rapporteur](${people.editor.user.id})` }) })
      ).json()) as { comment: CommentView }
    ).comment;
    await fetch(`${server.url}/api/documents/${id}/comments/${second.id}`, {
      method: 'PATCH',
      headers: as('commenter'),
      body: JSON.stringify({ body: `@[Rapporteur](${people.editor.user.id}) and @[Chair](${people.owner.user.id})` }),
    });
    expect((await inbox('editor')).unread).toBe(editorBefore + 1);
    expect((await inbox('owner')).unread).toBe(ownerBefore + 1);
  });
});

describe('deleted passages (SPEC C5)', () => {
  it('keeps a comment whose passage was deleted, with the text it quoted', async () => {
    const id = await createDocument(server.url, people.owner, 'Deleted passage');
    const writer = stockClient(server.collabUrl, id, people.owner);
    try {
      await writer.synced();
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText('Keep this. Remove this sentence.');
      paragraph.insert(0, [text]);
      writer.doc.getXmlFragment('default').insert(0, [paragraph]);
      const pos = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i))).toString('base64');
      const res = await fetch(`${server.url}/api/documents/${id}/comments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${people.owner.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ anchor: { type: 'range', start: pos(11), end: pos(32), quote: 'Remove this sentence.' }, body: 'Why remove?' }),
      });
      const { comment } = (await res.json()) as { comment: CommentView };
      writer.doc.getXmlFragment('default').delete(0, 1); // the whole paragraph goes
      await waitFor(async () => (await server.rooms.read(id as never, (doc) => doc.getXmlFragment('default').length)) === 0, {
        what: 'deletion stored',
      });
      const list = (await (await call('GET', `/api/documents/${id}/comments`, 'owner')).json()) as { comments: CommentView[] };
      expect(list.comments.find((c) => c.id === comment.id)).toMatchObject({
        body: 'Why remove?',
        status: 'open',
        anchor: { type: 'range', quote: 'Remove this sentence.' },
      });
    } finally {
      writer.destroy();
    }
  });
});

describe('a lost race on a comment (SPEC C11)', () => {
  it('a command acting on the comment as it was before another one changed it writes nothing and answers 409', async () => {
    const { comment } = await post('commenter', { anchor: rangeAnchor(), body: 'Please say who agreed.' });
    const asRead = (await server.commentStore.get(comment.id))!;
    const before = await server.commentStore.lastEventSeq(docId as never);
    // The author withdraws it first…
    expect((await call('POST', `/api/documents/${docId}/comments/${comment.id}/withdraw`, 'commenter')).status).toBe(200);
    const afterWithdraw = await server.commentStore.lastEventSeq(docId as never);
    expect(afterWithdraw).toBe(before + 1);
    // …while an editor's disposition, checked against the comment as read (open), arrives second.
    const owner = (await server.accountStore.getUser(people.owner.user.id))!;
    await expect(server.comments.dispose(asRead, owner, { status: 'noted', response: 'Noted.' })).rejects.toMatchObject({ code: 'comment_changed' });
    expect(await server.commentStore.lastEventSeq(docId as never)).toBe(afterWithdraw);
    expect((await server.commentStore.get(comment.id))!.status).toBe('withdrawn');
    // The store alone: a stale expectation writes nothing.
    expect(await server.commentStore.update(comment.id, { status: 'open' }, { type: 'comment.disposed', actorId: null }, Date.now(), asRead)).toBeNull();
    expect((await server.commentStore.get(comment.id))!.status).toBe('withdrawn');
  });
});
