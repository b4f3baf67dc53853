import fs from 'node:fs';
import { CloseCode } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sessionCookie, signUp, type TestUser } from '../support/accounts';
import { runCli } from '../support/cli';
import { createDocument } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, storageEnv, tempDataDir } from '../support/server';
import { SmtpSink } from '../support/smtpSink';

// SPEC A10: one-time password reset links, from an administrator or by e-mail
// through a local SMTP sink this test starts; expiry on an injected clock.
const HOUR = 3_600_000;
const PUBLIC_URL = 'https://rapporteur.example.org';
const NEW_PASSWORD = 'a brand new passphrase';

let dataDir: string;
let server: RunningServer;
let sink: SmtpSink;
const clock = new ManualClock();
let admin: TestUser;

beforeAll(async () => {
  sink = await SmtpSink.start();
  dataDir = tempDataDir();
  server = await startServer(
    dataDir,
    { publicUrl: PUBLIC_URL, mail: { smtpUrl: sink.url, from: 'Rapporteur <rapporteur@example.org>' } },
    { clock },
  );
  admin = await signUp(server.url, { name: 'Secretariat' });
  await server.accountStore.setAdmin(admin.user.id, true, clock.now());
});

afterAll(async () => {
  await server.close();
  await sink.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Origin: server.url, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const requestLink = (email: string) => call('POST', '/api/auth/password-reset', { email });
const codeIn = (text: string): string => {
  const match = /\/reset\/([\w-]+)/.exec(text);
  if (!match) throw new Error(`no reset link in: ${text}`);
  return match[1]!;
};
const login = (email: string, password: string) => call('POST', '/api/auth/login', { email, password });

/** Opens a sync socket authenticated with a session cookie; resolves once it is served, with the code it will close with. */
async function openSocket(cookie: string, documentId: string): Promise<{ closed: Promise<number> }> {
  const ws = new WebSocket(`${server.collabUrl}/${documentId}`, { headers: { Cookie: cookie, Origin: server.url } });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  return { closed };
}

describe('password reset by e-mail (SPEC A10)', () => {
  it('mails a link that sets a new password once, signs the person in, and revokes every session (open sockets get 4401)', async () => {
    const person = await signUp(server.url, { name: 'Amina' });
    const documentId = await createDocument(server.url, person);
    const socket = await openSocket(person.cookie, documentId);
    const res = await requestLink(person.email);
    expect(res.status).toBe(202);
    const mail = await sink.next();
    expect(mail.to).toEqual([person.email]);
    expect(mail.text).toContain(`${PUBLIC_URL}/reset/`);
    const code = codeIn(mail.text);

    const info = await call('GET', `/api/auth/password-reset/${code}`);
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({ email: person.email, expiresAt: new Date(clock.now() + HOUR).toISOString() });

    // The policy applies, and a refused password leaves the link usable.
    const weak = await call('POST', `/api/auth/password-reset/${code}`, { password: ' '.repeat(12) });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { error: { code: string } }).error.code).toBe('weak_password');

    const done = await call('POST', `/api/auth/password-reset/${code}`, { password: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { user: { id: string } }).user.id).toBe(person.user.id);
    const newCookie = sessionCookie(done);

    expect(await socket.closed).toBe(CloseCode.unauthenticated);
    expect((await call('GET', '/api/me', undefined, { Cookie: person.cookie })).status).toBe(401);
    expect((await call('GET', '/api/me', undefined, { Cookie: newCookie })).status).toBe(200);
    expect((await login(person.email, person.password)).status).toBe(401);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);

    // Once only.
    const again = await call('POST', `/api/auth/password-reset/${code}`, { password: 'yet another passphrase' });
    expect(again.status).toBe(410);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('reset_link_invalid');
    expect((await call('GET', `/api/auth/password-reset/${code}`)).status).toBe(410);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('answers the same for an address with no account, and sends nothing', async () => {
    const before = sink.received.length;
    const unknown = await requestLink('nobody-here@example.org');
    const person = await signUp(server.url);
    const known = await requestLink(person.email);
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());
    // Sent in order in the background: once the known address's mail is here,
    // the unknown one had its turn and sent nothing.
    const mail = await sink.next();
    expect(mail.to).toEqual([person.email]);
    expect(sink.received.length).toBe(before + 1);
    expect(sink.received.filter((m) => m.to.includes('nobody-here@example.org'))).toEqual([]);
  });

  it('expires an e-mailed link after 1 hour', async () => {
    const person = await signUp(server.url);
    await requestLink(person.email);
    const code = codeIn((await sink.next()).text);
    clock.advance(HOUR - 1);
    expect((await call('GET', `/api/auth/password-reset/${code}`)).status).toBe(200);
    clock.advance(1);
    expect((await call('GET', `/api/auth/password-reset/${code}`)).status).toBe(410);
    expect((await call('POST', `/api/auth/password-reset/${code}`, { password: NEW_PASSWORD })).status).toBe(410);
    expect((await login(person.email, person.password)).status).toBe(200);
  });

  it('mails one account at most 3 links an hour, whoever asks, with the same answer', async () => {
    const person = await signUp(server.url);
    const other = await signUp(server.url);
    for (let i = 0; i < 3; i++) {
      expect((await requestLink(person.email)).status).toBe(202);
      expect((await sink.next()).to).toEqual([person.email]);
    }
    const refused = await requestLink(person.email);
    expect(refused.status).toBe(202);
    // Sent in order in the background: the other person's mail comes next, so the fourth sent nothing.
    await requestLink(other.email);
    expect((await sink.next()).to).toEqual([other.email]);
    clock.advance(HOUR);
    await requestLink(person.email);
    expect((await sink.next()).to).toEqual([person.email]);
  });

  it('refuses a malformed address with 400 and an unknown code with 410', async () => {
    expect((await requestLink('not an address')).status).toBe(400);
    expect((await call('GET', '/api/auth/password-reset/made-up-code')).status).toBe(410);
    expect((await call('POST', '/api/auth/password-reset/made-up-code', { password: NEW_PASSWORD })).status).toBe(410);
  });
});

describe('reset links from an administrator (SPEC A10)', () => {
  it('issues a 24-hour link to administrators only', async () => {
    const person = await signUp(server.url);
    const asPerson = await call('POST', `/api/admin/users/${person.user.id}/reset-link`, {}, { Authorization: `Bearer ${person.token}` });
    expect(asPerson.status).toBe(403);
    const res = await call('POST', `/api/admin/users/${person.user.id}/reset-link`, {}, { Authorization: `Bearer ${admin.token}` });
    expect(res.status).toBe(201);
    const link = (await res.json()) as { code: string; url: string; expiresAt: string };
    expect(link.url).toBe(`${PUBLIC_URL}/reset/${link.code}`);
    expect(link.expiresAt).toBe(new Date(clock.now() + 24 * HOUR).toISOString());
    expect((await server.accountStore.findPasswordReset(link.code, clock.now())) === null).toBe(true); // stored only hashed

    clock.advance(24 * HOUR - 1);
    const done = await call('POST', `/api/auth/password-reset/${link.code}`, { password: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);

    const late = (await (await call('POST', `/api/admin/users/${person.user.id}/reset-link`, {}, { Authorization: `Bearer ${admin.token}` })).json()) as {
      code: string;
    };
    clock.advance(24 * HOUR);
    expect((await call('GET', `/api/auth/password-reset/${late.code}`)).status).toBe(410);
    expect((await call('POST', '/api/admin/users/no-such-user/reset-link', {}, { Authorization: `Bearer ${admin.token}` })).status).toBe(404);
  });

  it('pnpm admin reset-link prints a link on PUBLIC_URL that works on the running server', async () => {
    const person = await signUp(server.url);
    const out = await runCli(['reset-link', '--email', person.email], { ...storageEnv(dataDir), PUBLIC_URL });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`Password reset link for ${person.email}`);
    const url = out.stdout.split('\n').find((l) => l.startsWith(PUBLIC_URL));
    expect(url).toMatch(/\/reset\/[\w-]+$/);
    // The CLI's clock is the system's; the server's test clock is behind it, so the link is live.
    const done = await call('POST', `/api/auth/password-reset/${codeIn(url!)}`, { password: NEW_PASSWORD });
    expect(done.status).toBe(200);
    const unknown = await runCli(['reset-link', '--email', 'nobody-here@example.org'], { ...storageEnv(dataDir), PUBLIC_URL });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No account uses/);
  });
});

describe('without SMTP (SPEC A10)', () => {
  it('says reset by e-mail is off, and refuses requests', async () => {
    const dir = tempDataDir();
    const plain = await startServer(dir);
    try {
      expect(await (await fetch(`${plain.url}/api/auth/password-reset`)).json()).toEqual({ byEmail: false });
      const res = await fetch(`${plain.url}/api/auth/password-reset`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: plain.url },
        body: JSON.stringify({ email: 'someone@example.org' }),
      });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/ask an administrator/);
    } finally {
      await plain.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(await (await fetch(`${server.url}/api/auth/password-reset`)).json()).toEqual({ byEmail: true });
  });

  it('rate limits requests like sign-in', async () => {
    const dir = tempDataDir();
    const limited = await startServer(dir, {
      auth: { sessionTtlMs: HOUR, rateLimit: 2, scryptN: 1024, registration: 'open', admin: null },
      publicUrl: PUBLIC_URL,
      mail: { smtpUrl: sink.url, from: 'rapporteur@example.org' },
    });
    try {
      const ask = () =>
        fetch(`${limited.url}/api/auth/password-reset`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: limited.url },
          body: JSON.stringify({ email: 'nobody-here@example.org' }),
        });
      expect((await ask()).status).toBe(202);
      expect((await ask()).status).toBe(202);
      expect((await ask()).status).toBe(429);
    } finally {
      await limited.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
