import fs from 'node:fs';
import { ConfigError, createServer, loadConfig, type RunningServer } from '@rapporteur/server';
import { afterEach, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts';
import { tempDataDir } from '../support/server';

// Behind a reverse proxy (README "Behind a reverse proxy", SPEC A6): which
// proxies to believe is said exactly (a hop count or addresses), never
// "all", so a client cannot pick its own address for the sign-in limit.

const base = (dataDir: string, env: Record<string, string>) => ({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  PASSWORD_SCRYPT_N: '1024',
  AUTH_RATE_LIMIT: '3',
  ...env,
});

let server: RunningServer | null = null;
let dataDir: string;

afterEach(async () => {
  await server?.close();
  server = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<RunningServer> {
  dataDir = tempDataDir();
  server = await createServer(loadConfig(base(dataDir, env)));
  return server;
}

/** A sign-in as it reaches the server from a proxy that appended the real client address to what the client claimed. */
function loginVia(url: string, claimed: string, client: string, extra: Record<string, string> = {}) {
  return fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url, 'X-Forwarded-For': `${claimed}, ${client}`, ...extra },
    body: JSON.stringify({ email: 'nobody@example.org', password: 'wrong password, surely' }),
  });
}

describe('TRUST_PROXY', () => {
  it('refuses "true" at start, naming the forms it takes', () => {
    const dir = (dataDir = tempDataDir());
    {
      expect(() => loadConfig(base(dir, { TRUST_PROXY: 'true' }))).toThrow(ConfigError);
      expect(() => loadConfig(base(dir, { TRUST_PROXY: 'true' }))).toThrow(/number of proxies.*10\.0\.0\.0\/8/);
      expect(() => loadConfig(base(dir, { TRUST_PROXY: '10.0.0.0/33' }))).toThrow(/TRUST_PROXY/);
      expect(loadConfig(base(dir, { TRUST_PROXY: '1' })).trustProxy).toEqual({ hops: 1 });
      expect(loadConfig(base(dir, { TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' })).trustProxy).toEqual({ addresses: ['10.0.0.0/8', '127.0.0.1'] });
      expect(loadConfig(base(dir, {})).trustProxy).toBe(false);
    }
  });

  it.each([['1'], ['127.0.0.1'], ['loopback']])(
    'with TRUST_PROXY=%s, limits sign-ins by the address the proxy saw, whatever the client claims',
    async (trust) => {
      const { url } = await start({ TRUST_PROXY: trust });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await loginVia(url, `198.51.100.${i}`, '203.0.113.7')).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      // Another client behind the same proxy has its own allowance.
      expect((await loginVia(url, '198.51.100.99', '203.0.113.8')).status).toBe(401);
    },
  );

  it('believes no forwarded address by default', async () => {
    const { url } = await start({});
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await loginVia(url, '198.51.100.1', `203.0.113.${i}`)).status);
    // Every attempt comes from 127.0.0.1, whatever the header says.
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('HTTPS behind a proxy', () => {
  const viaHttps = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };

  it('sends HSTS and Secure cookies on requests a trusted proxy says came over HTTPS', async () => {
    const { url } = await start({ TRUST_PROXY: '1', AUTH_RATE_LIMIT: '100' });
    const secure = await fetch(`${url}/healthz`, { headers: viaHttps });
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect((await fetch(`${url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
    const res = await fetch(`${url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://reports.example.org', 'X-Forwarded-Host': 'reports.example.org', ...viaHttps },
      body: JSON.stringify({ email: 'amina@example.org', password: 'a long enough passphrase', name: 'Amina', stakeholderGroup: 'civil-society', region: 'african' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()[0]).toMatch(/; Secure/);
  });

  it('believes no X-Forwarded-Proto from an untrusted peer, and sends no HSTS when HSTS_MAX_AGE=0', async () => {
    const { url } = await start({});
    expect((await fetch(`${url}/healthz`, { headers: viaHttps })).headers.get('strict-transport-security')).toBeNull();
    await server!.close();
    server = await createServer(loadConfig(base(dataDir, { TRUST_PROXY: '1', HSTS_MAX_AGE: '0' })));
    expect((await fetch(`${server.url}/healthz`, { headers: viaHttps })).headers.get('strict-transport-security')).toBeNull();
    // The signUp helper still works against it (plain HTTP, no proxy headers).
    await signUp(server.url);
  });
});
