import fs from 'node:fs';
import { hashPassword, type RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts';
import { runCli } from '../support/cli';
import { spawnServer, startServer, tempDataDir } from '../support/server';

// SPEC A8: the password policy applies wherever a password is set — sign-up,
// ADMIN_PASSWORD at start, `pnpm admin create-admin` — and never at sign-in.
let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir);
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify(body),
  });
}

const person = (email: string, password: string) => ({ email, password, name: 'Amina', stakeholderGroup: 'academia', region: 'african' });

describe('password policy at sign-up (SPEC A8)', () => {
  it.each([
    ['twelve spaces', ' '.repeat(12), 'only_whitespace'],
    ['eleven characters', 'elevenchars', 'too_short'],
    ['a common password, whatever its case and surrounding spaces', ' Password1234 ', 'common'],
  ])('refuses %s with 400 weak_password saying why, and creates nothing', async (_what, password, reason) => {
    const email = `weak-${reason}@example.org`;
    const res = await post('/api/auth/signup', person(email, password));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: Array<{ path: string; reason: string }> } };
    expect(body.error.code).toBe('weak_password');
    expect(body.error.message).toMatch(/characters|spaces|commonly used/);
    expect(body.error.details[0]).toMatchObject({ path: 'password', reason });
    expect(await server.accountStore.findUserByEmail(email)).toBeNull();
  });

  it('accepts a long passphrase', async () => {
    const res = await post('/api/auth/signup', person('phrase@example.org', 'zebra lantern orchard'));
    expect(res.status).toBe(201);
  });

  it('still lets an account whose password predates the policy sign in', async () => {
    const { user } = await signUp(server.url);
    const legacy = await server.accountStore.createUser({
      id: `legacy-${user.id}`,
      email: 'legacy@example.org',
      passwordHash: await hashPassword('short pw', { N: 1024, r: 8, p: 1 }),
      name: 'Legacy',
      stakeholderGroup: 'media',
      region: 'other',
      now: Date.now(),
    });
    const res = await post('/api/auth/login', { email: legacy.email, password: 'short pw' });
    expect(res.status).toBe(200);
  });
});

describe('password policy for administrators (SPEC A8)', () => {
  it('refuses to start with a weak ADMIN_PASSWORD for a new administrator, naming the variable', async () => {
    const dir = tempDataDir();
    try {
      await expect(
        startServer(dir, {
          auth: { sessionTtlMs: 3_600_000, rateLimit: 100_000, scryptN: 1024, registration: 'open', admin: { email: 'a@example.org', password: 'password1234' } },
        }),
      ).rejects.toThrow(/ADMIN_PASSWORD: .*commonly used/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the server process exits with 2 and one line naming ADMIN_PASSWORD', async () => {
    const dir = tempDataDir();
    try {
      await expect(spawnServer(dir, { ADMIN_EMAIL: 'a@example.org', ADMIN_PASSWORD: 'password1234' })).rejects.toThrow(
        /exited with 2 before listening\nInvalid configuration: ADMIN_PASSWORD: .*commonly used/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pnpm admin create-admin refuses a weak password with the rule, and creates nothing', async () => {
    const dir = tempDataDir();
    try {
      const run = (password: string) => runCli(['create-admin', '--email', 'root@example.org'], { DATA_DIR: dir, RAPPORTEUR_ADMIN_PASSWORD: password });
      const weak = await run(' '.repeat(14));
      expect(weak.code).toBe(2);
      expect(weak.stderr).toMatch(/only spaces.*at least 12 characters/);
      const ok = await run('zebra lantern orchard');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/Created administrator root@example.org/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
