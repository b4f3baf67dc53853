import fs from 'node:fs';
import { CloseCode, encodeSyncStep1, encodeSyncUpdate, MessageType } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { sessionCookie, signUp, type TestUser } from '../support/accounts';
import { createDocument, rawSocket, stockClient } from '../support/clients';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// Issue 3's matrix: every role (and anonymous, a non-member, a revoked token,
// an admin) × every action, over HTTP and over the sync socket (SPEC A1–A5).
type Who = 'owner' | 'editor' | 'commenter' | 'viewer' | 'stranger' | 'anonymous' | 'revoked' | 'admin';

let dataDir: string;
let server: RunningServer;
const people = {} as Record<Exclude<Who, 'anonymous' | 'revoked'>, TestUser>;
let revokedToken: string;
let docId: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, {
    auth: {
      sessionTtlMs: 3_600_000,
      rateLimit: 100_000,
      scryptN: 1024,
      registration: 'open',
      admin: { email: 'secretariat@example.org', password: 'admin password 123' },
    },
  });
  for (const who of ['owner', 'editor', 'commenter', 'viewer', 'stranger'] as const) people[who] = await signUp(server.url, { name: who });
  // The admin exists from ADMIN_EMAIL/ADMIN_PASSWORD at first start.
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify({ email: 'secretariat@example.org', password: 'admin password 123' }),
  });
  expect(login.status).toBe(200);
  const adminCookie = sessionCookie(login);
  const tokenRes = await fetch(`${server.url}/api/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url, Cookie: adminCookie },
    body: JSON.stringify({ name: 'admin' }),
  });
  const adminToken = ((await tokenRes.json()) as { token: string }).token;
  people.admin = { ...people.owner, token: adminToken, cookie: adminCookie } as TestUser;
  // A token that worked once and was revoked.
  const victim = await signUp(server.url);
  revokedToken = victim.token;
  const list = (await (await call('GET', '/api/tokens', victim.token)).json()) as { tokens: Array<{ id: string }> };
  expect((await call('DELETE', `/api/tokens/${list.tokens[0]!.id}`, victim.token)).status).toBe(204);

  docId = await createDocument(server.url, people.owner, 'Matrix');
  for (const role of ['editor', 'commenter', 'viewer'] as const) {
    const res = await call('PUT', `/api/documents/${docId}/members`, people.owner.token, { email: people[role].email, role });
    expect(res.status).toBe(200);
  }
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function tokenOf(who: Who): string | null {
  if (who === 'anonymous') return null;
  if (who === 'revoked') return revokedToken;
  return people[who].token;
}

function call(method: string, path: string, token: string | null, body?: unknown): Promise<Response> {
  return fetch(server.url + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

const everyone: Who[] = ['owner', 'editor', 'commenter', 'viewer', 'stranger', 'anonymous', 'revoked', 'admin'];
/** Status each caller gets; unlisted callers get `deny`. */
function expected(allowed: Who[], ok: number): Record<Who, number> {
  return Object.fromEntries(
    everyone.map((w) => [w, allowed.includes(w) ? ok : w === 'anonymous' || w === 'revoked' ? 401 : 403]),
  ) as Record<Who, number>;
}

describe('HTTP authorization matrix (SPEC A1)', () => {
  const readers: Who[] = ['owner', 'editor', 'commenter', 'viewer', 'admin'];
  const cases: Array<{ name: string; method: string; path: () => string; body?: () => unknown; expect: Record<Who, number> }> = [
    { name: 'read the document', method: 'GET', path: () => `/api/documents/${docId}`, expect: expected(readers, 200) },
    { name: 'export it', method: 'GET', path: () => `/api/documents/${docId}/export?format=md`, expect: expected(readers, 200) },
    { name: 'list its members', method: 'GET', path: () => `/api/documents/${docId}/members`, expect: expected(readers, 200) },
    {
      name: 'rename it',
      method: 'PATCH',
      path: () => `/api/documents/${docId}`,
      body: () => ({ title: 'Matrix' }),
      expect: expected(['owner', 'editor', 'admin'], 200),
    },
    {
      name: 'change its visibility',
      method: 'PATCH',
      path: () => `/api/documents/${docId}`,
      body: () => ({ visibility: 'private' }),
      expect: expected(['owner', 'admin'], 200),
    },
    {
      name: 'share it',
      method: 'PUT',
      path: () => `/api/documents/${docId}/members`,
      body: () => ({ email: people.viewer.email, role: 'viewer' }),
      expect: expected(['owner', 'admin'], 200),
    },
    {
      name: 'create an invite link',
      method: 'POST',
      path: () => `/api/documents/${docId}/invites`,
      body: () => ({ role: 'commenter', expiresInDays: 3 }),
      expect: expected(['owner', 'admin'], 201),
    },
  ];
  for (const c of cases) {
    for (const who of everyone) {
      it(`${who} → ${c.name} → ${c.expect[who]}`, async () => {
        const res = await call(c.method, c.path(), tokenOf(who), c.body?.());
        expect(res.status).toBe(c.expect[who]);
        if (res.status >= 400) expect(((await res.json()) as { error: { code: string } }).error.code).toBeTypeOf('string');
      });
    }
  }

  it('lists only the documents one is a member of (admins see all)', async () => {
    const ids = async (who: Who) =>
      ((await (await call('GET', '/api/documents', tokenOf(who))).json()) as { documents: Array<{ id: string; role: string }> }).documents;
    expect((await ids('viewer')).find((d) => d.id === docId)?.role).toBe('viewer');
    expect((await ids('stranger')).some((d) => d.id === docId)).toBe(false);
    expect((await ids('admin')).some((d) => d.id === docId)).toBe(true);
    expect((await call('GET', '/api/documents', null)).status).toBe(401);
  });
});

/** Opens a raw socket for `who` and resolves once the server answered the sync, or with the close code. */
async function openAs(who: Who, id = docId): Promise<ReturnType<typeof rawSocket>> {
  const token = tokenOf(who);
  const s = rawSocket(`${server.collabUrl}/${id}?features=saved${token ? `&token=${token}` : ''}`);
  await s.opened();
  s.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
  return s;
}

function textUpdate(text: string, clientID?: number): Uint8Array {
  const d = new Y.Doc();
  if (clientID !== undefined) d.clientID = clientID;
  d.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(d);
}

async function storedText(): Promise<string> {
  return server.rooms.read(docId as never, (doc) => doc.getText('t').toString());
}

describe('sync socket authorization (SPEC A1–A4)', () => {
  it('anonymous and revoked tokens get 4401, non-members 4403, and nothing of the document', async () => {
    for (const [who, code] of [
      ['anonymous', CloseCode.unauthenticated],
      ['revoked', CloseCode.unauthenticated],
      ['stranger', CloseCode.forbidden],
    ] as const) {
      const s = await openAs(who);
      expect((await s.closed).code).toBe(code);
      expect(s.types().filter((t) => t === MessageType.sync)).toEqual([]);
    }
  });

  for (const who of ['viewer', 'commenter'] as const) {
    it(`a ${who} reads, but their updates are refused with permission-denied and change nothing`, async () => {
      const before = await storedText();
      const s = await openAs(who);
      await waitFor(() => s.types().filter((t) => t === MessageType.sync).length >= 2, { what: 'sync' });
      s.send(encodeSyncUpdate(textUpdate(`${who} was here`)));
      await waitFor(() => s.types().includes(MessageType.auth), { what: 'permission denied' });
      expect(s.types()).not.toContain(MessageType.saved);
      expect(await storedText()).toBe(before);
      expect(s.ws.readyState).toBe(s.ws.OPEN);
      s.ws.close();
    });
  }

  it('an editor writes, and the update is stored with their account', async () => {
    const s = await openAs('editor');
    s.send(encodeSyncUpdate(textUpdate('editor text ', 424242)));
    await waitFor(() => s.types().includes(MessageType.saved), { what: 'saved' });
    expect(await storedText()).toContain('editor text');
    const bindings = await server.store.loadClientBindings(docId as never);
    expect(bindings.get(424242)).toBe(people.editor.user.id);
    s.ws.close();
  });

  it("an editor reusing another editor's client id is refused (4403) and nothing changes", async () => {
    const before = await storedText();
    // The forger continues the editor's client id from the current state,
    // so the new struct would look like the editor's own next edit.
    const forger = new Y.Doc();
    Y.applyUpdate(forger, await server.rooms.read(docId as never, (doc) => Y.encodeStateAsUpdate(doc)));
    forger.clientID = 424242;
    const sv = Y.encodeStateVector(forger);
    forger.getText('t').insert(0, 'forged ');
    const s = await openAs('owner');
    s.send(encodeSyncUpdate(Y.encodeStateAsUpdate(forger, sv)));
    expect((await s.closed).code).toBe(CloseCode.forbidden);
    expect(await storedText()).toBe(before);
  });

  it('a stock y-websocket client of a viewer syncs read-only', async () => {
    const c = stockClient(server.collabUrl, docId, people.viewer);
    await c.synced();
    expect(c.text.toString()).toBe(await storedText());
    c.destroy();
  });
});

describe('presence is stamped by the server (SPEC A7)', () => {
  /** Frames of awareness type, decoded into a fresh Awareness. */
  function presenceSeenBy(s: ReturnType<typeof rawSocket>): Map<number, { user?: Record<string, unknown> }> {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    for (const frame of s.frames) {
      const d = decoding.createDecoder(frame);
      if (decoding.readVarUint(d) !== MessageType.awareness) continue;
      awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(d), 'test');
    }
    const states = new Map(awareness.getStates() as Map<number, { user?: Record<string, unknown> }>);
    awareness.destroy();
    return states;
  }

  /** An awareness frame for `clientId` at clock `clock` (receivers ignore clock 0 for a new client). */
  function presenceFrame(clientId: number, state: Record<string, unknown>, clock = 1): Uint8Array {
    const holder = new awarenessProtocol.Awareness(new Y.Doc());
    holder.clientID = clientId;
    for (let i = 0; i <= clock; i++) holder.setLocalState(state);
    const update = awarenessProtocol.encodeAwarenessUpdate(holder, [clientId]);
    holder.destroy();
    return new Uint8Array([MessageType.awareness, ...lengthPrefix(update.length), ...update]);
  }

  function lengthPrefix(n: number): number[] {
    const out: number[] = [];
    while (n > 127) {
      out.push((n & 127) | 128);
      n >>>= 7;
    }
    out.push(n);
    return out;
  }

  it("shows the account's name and stakeholder group whatever the client claims, and nobody can speak for another's client id", async () => {
    const observer = await openAs('owner');
    const editor = await openAs('editor');
    editor.send(presenceFrame(777001, { user: { name: 'The Chair', stakeholderGroup: 'government', color: '#123456' } }));
    await waitFor(() => presenceSeenBy(observer).has(777001), { what: 'presence' });
    const user = presenceSeenBy(observer).get(777001)!.user!;
    expect(user).toMatchObject({ name: 'editor', stakeholderGroup: 'civil-society', region: 'african', color: '#123456', userId: people.editor.user.id });

    // The viewer tries to rename the editor's presence and to remove it.
    const viewer = await openAs('viewer');
    // A higher clock would win if the server did not check who owns the client id.
    viewer.send(presenceFrame(777001, { user: { name: 'Impostor' } }, 9));
    viewer.send(presenceFrame(777002, { user: { name: 'Myself', stakeholderGroup: 'media' } }));
    await waitFor(() => presenceSeenBy(observer).has(777002), { what: "the viewer's own presence" });
    expect(presenceSeenBy(observer).get(777001)!.user!.name).toBe('editor');
    expect(presenceSeenBy(observer).get(777002)!.user).toMatchObject({ name: 'viewer', stakeholderGroup: 'civil-society' });
    for (const s of [observer, editor, viewer]) s.ws.close();
  });
});

describe('open sockets follow access changes at once (SPEC A5)', () => {
  it('upgrade, downgrade, removal and token revocation', async () => {
    const person = await signUp(server.url);
    const share = (role: string) => call('PUT', `/api/documents/${docId}/members`, people.owner.token, { email: person.email, role });
    expect((await share('viewer')).status).toBe(200);
    const s = rawSocket(`${server.collabUrl}/${docId}?features=saved&token=${person.token}`);
    await s.opened();
    s.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => s.types().filter((t) => t === MessageType.sync).length >= 2, { what: 'sync' });

    // Every update this socket sends is answered by exactly one frame: `saved`
    // when it may write, permission denied when it may not. The re-check runs
    // after the HTTP answer, so try until the answer changes, each attempt
    // waiting for its own reply rather than for time to pass.
    const replies = () => s.types().filter((t) => t === MessageType.saved || t === MessageType.auth);
    const attempt = async (text: string): Promise<number> => {
      const before = replies().length;
      s.send(encodeSyncUpdate(textUpdate(text)));
      await waitFor(() => replies().length > before, { what: `the reply to "${text}"` });
      return replies()[before]!;
    };
    const attemptUntil = async (outcome: number, text: string): Promise<void> => {
      for (let i = 0; ; i++) {
        if ((await attempt(text)) === outcome) return;
        if (i > 100) throw new Error(`the socket's role did not change: ${text}`);
      }
    };

    expect((await share('editor')).status).toBe(200);
    await attemptUntil(MessageType.saved, 'now an editor ');

    expect((await share('viewer')).status).toBe(200);
    await attemptUntil(MessageType.auth, 'still writing? ');

    expect((await call('DELETE', `/api/documents/${docId}/members/${person.user.id}`, people.owner.token)).status).toBe(204);
    expect((await s.closed).code).toBe(CloseCode.forbidden);

    // A revoked token closes the socket it opened.
    const again = await signUp(server.url);
    await call('PUT', `/api/documents/${docId}/members`, people.owner.token, { email: again.email, role: 'editor' });
    const t = rawSocket(`${server.collabUrl}/${docId}?token=${again.token}`);
    await t.opened();
    const tokens = (await (await call('GET', '/api/tokens', again.token)).json()) as { tokens: Array<{ id: string }> };
    expect((await call('DELETE', `/api/tokens/${tokens.tokens[0]!.id}`, again.token)).status).toBe(204);
    expect((await t.closed).code).toBe(CloseCode.unauthenticated);
  });

  it('visibility: "comment" lets any signed-in user read (not write); "public" lets anyone read', async () => {
    const id = await createDocument(server.url, people.owner, 'Visibility');
    expect((await call('GET', `/api/documents/${id}`, people.stranger.token)).status).toBe(403);
    await call('PATCH', `/api/documents/${id}`, people.owner.token, { visibility: 'comment' });
    const doc = (await (await call('GET', `/api/documents/${id}`, people.stranger.token)).json()) as { role: string };
    expect(doc.role).toBe('commenter');
    expect((await call('GET', `/api/documents/${id}`, null)).status).toBe(401);
    await call('PATCH', `/api/documents/${id}`, people.owner.token, { visibility: 'public' });
    expect((await call('GET', `/api/documents/${id}`, null)).status).toBe(200);
    const anon = await openAs('anonymous', id);
    await waitFor(() => anon.types().filter((t) => t === MessageType.sync).length >= 2, { what: 'anonymous public read' });
    anon.ws.close();
  });
});

describe('accounts, sessions and CSRF (SPEC A2)', () => {
  it('signs up, reads /api/me with the cookie, logs out, and the cookie stops working', async () => {
    const u = await signUp(server.url, { name: 'Cookie person' });
    const me = await fetch(`${server.url}/api/me`, { headers: { Cookie: u.cookie } });
    expect(((await me.json()) as { user: { name: string; email: string } }).user.name).toBe('Cookie person');
    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { Cookie: u.cookie, Origin: server.url } });
    expect(out.status).toBe(204);
    expect((await fetch(`${server.url}/api/me`, { headers: { Cookie: u.cookie } })).status).toBe(401);
  });

  it('never returns a password hash, and refuses a second account with the same email (409)', async () => {
    const u = await signUp(server.url);
    const body = JSON.stringify(await (await fetch(`${server.url}/api/me`, { headers: { Cookie: u.cookie } })).json());
    expect(body).not.toMatch(/scrypt|password/i);
    const again = await fetch(`${server.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: JSON.stringify({ email: u.email.toUpperCase(), password: 'another password', name: 'x', stakeholderGroup: 'media', region: 'other' }),
    });
    expect(again.status).toBe(409);
  });

  it('refuses cookie-authenticated writes from another origin (or none), not Bearer ones', async () => {
    const u = await signUp(server.url);
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/documents`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
    expect((await post({ Cookie: u.cookie, Origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ Cookie: u.cookie })).status).toBe(403);
    expect((await post({ Cookie: u.cookie, Origin: server.url })).status).toBe(201);
    expect((await post({ Authorization: `Bearer ${u.token}` })).status).toBe(201);
  });

  it("ignores the session cookie on a WebSocket opened from another site's page", async () => {
    const { WebSocket } = await import('ws');
    const foreign = new WebSocket(`${server.collabUrl}/${docId}`, { headers: { Cookie: people.owner.cookie, Origin: 'https://evil.example' } });
    const code = await new Promise<number>((resolve) => foreign.on('close', (c) => resolve(c)));
    expect(code).toBe(CloseCode.unauthenticated);
    const own = new WebSocket(`${server.collabUrl}/${docId}`, { headers: { Cookie: people.owner.cookie, Origin: server.url } });
    const firstType = await new Promise<number>((resolve) => own.on('message', (d: Buffer) => resolve(d[0]!)));
    expect(firstType).toBe(MessageType.sync);
    own.close();
  });

  it('invite links grant their role until they expire; the last owner cannot leave', async () => {
    const res = await call('POST', `/api/documents/${docId}/invites`, people.owner.token, { role: 'commenter', expiresInDays: 1 });
    const { invite } = (await res.json()) as { invite: { code: string } };
    const guest = await signUp(server.url);
    const accepted = await call('POST', `/api/invites/${invite.code}/accept`, guest.token);
    expect(await accepted.json()).toEqual({ documentId: docId, role: 'commenter' });
    expect(((await (await call('GET', `/api/documents/${docId}`, guest.token)).json()) as { role: string }).role).toBe('commenter');
    expect((await call('POST', '/api/invites/not-a-code/accept', guest.token)).status).toBe(404);
    const leave = await call('DELETE', `/api/documents/${docId}/members/${people.owner.user.id}`, people.owner.token);
    expect(leave.status).toBe(409);
  });
});

describe('rate limiting and registration', () => {
  it('limits sign-in attempts (429) and can be made invite-only by an admin', async () => {
    const dir = tempDataDir();
    const limited = await startServer(dir, {
      auth: { sessionTtlMs: 3_600_000, rateLimit: 3, scryptN: 1024, registration: 'open', admin: null },
    });
    try {
      const attempt = () =>
        fetch(`${limited.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: limited.url },
          body: JSON.stringify({ email: 'nobody@example.org', password: 'wrong password' }),
        });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const admin = people.admin;
    expect((await call('PUT', '/api/admin/settings', admin.token, { registration: 'invite-only' })).status).toBe(200);
    const closed = await fetch(`${server.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: JSON.stringify({ email: 'late@example.org', password: 'long enough pw', name: 'Late', stakeholderGroup: 'academia', region: 'other' }),
    });
    expect(closed.status).toBe(403);
    expect((await call('PUT', '/api/admin/settings', people.owner.token, { registration: 'open' })).status).toBe(403);
    expect((await call('PUT', '/api/admin/settings', admin.token, { registration: 'open' })).status).toBe(200);
  });
});

describe('the last owner, when two owners change roles at once (issue 15)', () => {
  it('two owners demoting each other at the same moment: exactly one wins, the other is refused, an owner remains', async () => {
    const second = await signUp(server.url, { name: 'second owner' });
    const id = await createDocument(server.url, people.owner, 'Two owners');
    await people.owner.api.setMember(id, second.email, 'owner');
    const demote = (who: TestUser, target: TestUser) =>
      call('PATCH', `/api/documents/${id}/members/${target.user.id}`, who.token, { role: 'editor' });
    const answers = await Promise.all([demote(people.owner, second), demote(second, people.owner)]);
    // The loser is refused either way: 409 when its write finds no other owner, 403 when it was already demoted when asked.
    const statuses = answers.map((r) => r.status).sort((a, b) => a - b);
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const owners = (await server.store.listMembers(id as never)).filter((m) => m.role === 'owner');
    expect(owners).toHaveLength(1);
    // The store alone: with an expectation to keep an owner, the last one cannot be removed either.
    await expect(server.store.removeMember(id as never, owners[0]!.userId, { keepAnOwner: true })).rejects.toThrow(/last owner/);
    expect((await server.store.listMembers(id as never)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });
});
