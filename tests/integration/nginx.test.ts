import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunningServer } from '@rapporteur/server';
import { afterEach, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts';
import { createDocument, stockClient } from '../support/clients';
import { openTestPostgres, urlInSchema } from '../support/postgres';
import { freePort, TEST_REDIS_URL } from '../support/redis';
import { repoRoot, startServer, tempDataDir } from '../support/server';
import { openSse } from '../support/sse';
import { waitFor } from '../support/wait';

// The README's production set-up, run: deploy/nginx-rapporteur.conf (Debian's
// nginx) in front of two instances on one PostgreSQL and Redis. Only the
// ports change and TLS is left out; everything else is the file as shipped.

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});


/** Runs the shipped configuration with `upstreams` and a plain-HTTP port; resolves with its URL. */
async function startNginx(upstreams: readonly number[]): Promise<string> {
  const dir = tempDataDir('rapporteur-nginx-');
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  let site = fs.readFileSync(path.join(repoRoot, 'deploy/nginx-rapporteur.conf'), 'utf8');
  site = site.replace(/^\s*server 127\.0\.0\.1:\d+;\n/gm, '');
  site = site.replace('upstream rapporteur {', `upstream rapporteur {\n${upstreams.map((p) => `  server 127.0.0.1:${p};`).join('\n')}`);
  site = site.replace('listen 443 ssl;', `listen 127.0.0.1:${port};`).replace(/^\s*ssl_certificate.*\n/gm, '');
  expect(site).not.toContain('8081');
  fs.writeFileSync(path.join(dir, 'rapporteur.conf'), site);
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents {}\nhttp {\n  access_log off;\n` +
      ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};\n`).join('') +
      `  include ${dir}/rapporteur.conf;\n}\n`,
  );
  // A missing nginx is reported by the 'error' event below, saying what to install.
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`nginx is required by this test (apt-get install nginx): ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`nginx exited with ${code}: ${stderr}`)));
  });
  failed.catch(() => {});
  cleanups.push(() => {
    child.kill('SIGTERM');
  });
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([failed, waitFor(async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok === true, { what: 'nginx to proxy /healthz' })]);
  return url;
}

describe('deploy/nginx-rapporteur.conf in front of two instances (issue 15)', () => {
  it('serves the API, the sync socket and event streams through nginx, spreading them over both instances', async () => {
    const pg = await openTestPostgres();
    cleanups.push(() => pg.close());
    const servers: RunningServer[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await startServer(tempDataDir(), { databaseUrl: urlInSchema(pg.schema), redisUrl: TEST_REDIS_URL, trustProxy: { hops: 1 } });
      servers.push(s);
      cleanups.push(() => s.close());
    }
    const proxy = await startNginx(servers.map((s) => s.port));
    expect((await fetch(`${proxy}/readyz`)).status).toBe(200);
    const owner = await signUp(proxy);
    const id = await createDocument(proxy, owner);
    const collab = proxy.replace(/^http/, 'ws') + '/collab';
    const clients = [0, 1, 2, 3].map(() => stockClient(collab, id, owner));
    cleanups.push(() => clients.forEach((c) => c.destroy()));
    await Promise.all(clients.map((c) => c.synced()));
    // nginx's round robin put sockets on both instances.
    const rooms = await Promise.all(servers.map((s) => s.rooms.size));
    expect(rooms).toEqual([1, 1]);
    clients.forEach((c, i) => c.text.insert(0, `${i}`));
    await waitFor(() => clients.every((c) => c.text.length === 4 && c.text.toString() === clients[0]!.text.toString()), { what: 'clients through nginx to converge' });

    // A comment event stream through nginx gets a comment made through it as it happens.
    const stream = await openSse(`${proxy}/api/documents/${id}/comments/events`, { Authorization: `Bearer ${owner.token}` });
    cleanups.push(() => stream.close());
    expect(stream.status).toBe(200);
    await owner.api.createComment(id, { anchor: { type: 'block', blockId: 'b1', quote: 'x' }, body: 'Through nginx' });
    await waitFor(() => stream.events.some((e) => e.data.includes('Through nginx')), { what: 'the comment on the stream through nginx' });
  });
});
