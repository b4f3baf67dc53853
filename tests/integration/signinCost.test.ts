import fs from 'node:fs';
import { type PasswordHasher, type RunningServer, scryptHasher } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// SPEC A9: password hashes run at most PASSWORD_HASH_CONCURRENCY at once, at
// most PASSWORD_HASH_QUEUE wait, and the next sign-in gets 503 `busy` with
// Retry-After. The hasher is held by the test, so the queue fills
// deterministically instead of by timing.

/** scrypt (cheap), except that while `hold` is on, each hash waits for `releaseAll`. */
class HeldHasher implements PasswordHasher {
  private readonly real = scryptHasher({ N: 1024, r: 8, p: 1 });
  private held: Array<() => void> = [];
  hold = false;
  entered = 0;

  private async gate(): Promise<void> {
    this.entered++;
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
  }

  async hash(password: string): Promise<string> {
    await this.gate();
    return this.real.hash(password);
  }

  async verify(password: string, stored: string): Promise<boolean> {
    await this.gate();
    return this.real.verify(password, stored);
  }

  releaseAll(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) r();
  }
}

let dataDir: string;
let server: RunningServer;
let person: TestUser;
const hasher = new HeldHasher();

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, { passwordHashing: { concurrency: 1, maxQueue: 1 } }, { passwordHasher: hasher });
  person = await signUp(server.url);
});

afterAll(async () => {
  hasher.releaseAll();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function login(password = person.password): Promise<Response> {
  return fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify({ email: person.email, password }),
  });
}

describe('bounded password hashing (SPEC A9)', () => {
  it('answers 503 busy with Retry-After once the queue is full, and serves the queued sign-ins after', async () => {
    hasher.hold = true;
    const running = login();
    await waitFor(() => server.accounts.hashing.running === 1 && hasher.entered > 0, { what: 'the first hash to start' });
    const queued = login();
    await waitFor(() => server.accounts.hashing.waiting === 1, { what: 'the second sign-in to queue' });
    const entered = hasher.entered;

    const refused = await login();
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('busy');
    expect(body.error.message).toMatch(/try again/);
    // Refused before any hashing: the refusal costs no pool thread.
    expect(hasher.entered).toBe(entered);
    // Sign-up hashes too, and is refused the same way.
    const signup = await fetch(`${server.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: JSON.stringify({ email: 'late@example.org', password: 'zebra lantern orchard', name: 'Late', stakeholderGroup: 'media', region: 'other' }),
    });
    expect(signup.status).toBe(503);

    hasher.releaseAll();
    expect((await running).status).toBe(200);
    expect((await queued).status).toBe(200);
    expect(server.accounts.hashing).toEqual({ running: 0, waiting: 0 });
    expect((await login()).status).toBe(200);
  });

  it('keeps the bound for unknown e-mails, which verify against a dummy hash', async () => {
    const unknown = (email: string) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.url },
        body: JSON.stringify({ email, password: 'whatever it is' }),
      });
    // The first unknown e-mail makes the dummy hash (once per process).
    expect((await unknown('nobody0@example.org')).status).toBe(401);
    hasher.hold = true;
    const first = unknown('nobody1@example.org');
    await waitFor(() => server.accounts.hashing.running === 1, { what: 'the first hash to start' });
    const second = unknown('nobody2@example.org');
    await waitFor(() => server.accounts.hashing.waiting === 1, { what: 'the second to queue' });
    expect((await unknown('nobody3@example.org')).status).toBe(503);
    hasher.releaseAll();
    expect((await first).status).toBe(401);
    expect((await second).status).toBe(401);
  });
});
