import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connect, type Connection } from '@rapporteur/client';
import type { DocumentStore, RunningServer } from '@rapporteur/server';
import { afterEach, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, WebSocket } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

interface Readiness {
  readonly status: number;
  readonly body: { status: string; reason?: string; message?: string };
}

async function readyz(server: RunningServer): Promise<Readiness> {
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Readiness['body'] };
}

async function createOverHttp(server: RunningServer, owner: TestUser): Promise<Response> {
  return fetch(`${server.url}/api/documents`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${owner.token}` },
    body: JSON.stringify({ title: 'While storage fails' }),
  });
}

/** A real store whose appends and pings fail while the test says so. */
function failable(): { wrap: (store: DocumentStore) => DocumentStore; appends: { fail: boolean }; ping: { fail: boolean } } {
  const appends = { fail: false };
  const ping = { fail: false };
  return {
    appends,
    ping,
    wrap: (store) =>
      new Proxy(store, {
        get(target, key) {
          if (key === 'appendUpdates' && appends.fail) return () => Promise.reject(new Error('disk I/O error (simulated)'));
          if (key === 'ping' && ping.fail) return () => Promise.reject(new Error('database is gone (simulated)'));
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }),
  };
}

// SPEC O3: /healthz is liveness; /readyz says whether the server can store
// what it is sent, and writes are refused with 503 storage_unavailable while
// it cannot.
describe('readiness', () => {
  let dataDir: string;
  let server: RunningServer | null = null;
  const connections: Connection[] = [];
  const cleanups: Array<() => void> = [];

  afterEach(async () => {
    for (const c of connections.splice(0)) c.destroy();
    await server?.close();
    server = null;
    for (const f of cleanups.splice(0)) f();
  });

  it('is not ready while saves fail or the database does not answer, and ready again when they succeed (SPEC O3, R6)', async () => {
    dataDir = tempDataDir();
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const clock = new ManualClock();
    const store = failable();
    server = await startServer(dataDir, {}, { clock, wrapDocumentStore: store.wrap });
    const owner = await signUp(server.url);
    const id = await createDocument(server.url, owner);
    expect(await readyz(server)).toEqual({ status: 200, body: { status: 'ready' } });

    const c = connect(id, { url: server.collabUrl, WebSocketPolyfill: WebSocket as never, token: owner.token });
    connections.push(c);
    await c.whenSynced();
    store.appends.fail = true;
    c.doc.getText('t').insert(0, 'kept in memory while the disk fails');
    await waitFor(async () => (await readyz(server!)).status === 503, { what: 'not ready' });
    const notReady = await readyz(server);
    expect(notReady.body).toMatchObject({ status: 'not_ready', reason: 'storage_failing' });
    expect(notReady.body.message).toContain('disk I/O error (simulated)');
    // Liveness is unaffected: restarting the process would not help.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const refused = await createOverHttp(server, owner);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
    // Reading goes on.
    expect((await fetch(`${server.url}/api/documents/${id}`, { headers: { Authorization: `Bearer ${owner.token}` } })).status).toBe(200);
    expect(c.status.pendingChanges).toBe(1);

    // The room retries (R6); once a save succeeds the server is ready again.
    store.appends.fail = false;
    clock.advance(30_000);
    await c.whenSaved();
    expect(await readyz(server)).toEqual({ status: 200, body: { status: 'ready' } });
    expect((await createOverHttp(server, owner)).status).toBe(201);

    store.ping.fail = true;
    expect(await readyz(server)).toMatchObject({ status: 503, body: { reason: 'database_unreachable' } });
    expect((await createOverHttp(server, owner)).status).toBe(503);
    store.ping.fail = false;
    expect((await readyz(server)).status).toBe(200);
  });

  it('reports a real full disk and recovers when space is freed (SPEC O3, R6)', async () => {
    // A 6 MiB tmpfs as DATA_DIR, filled up while the server runs.
    dataDir = tempDataDir('rapporteur-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', dataDir]);
    cleanups.push(() => {
      execFileSync('umount', ['-l', dataDir]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const clock = new ManualClock();
    server = await startServer(dataDir, {}, { clock });
    const owner = await signUp(server.url);
    const id = await createDocument(server.url, owner);
    const c = connect(id, { url: server.collabUrl, WebSocketPolyfill: WebSocket as never, token: owner.token });
    connections.push(c);
    await c.whenSynced();

    const filler = path.join(dataDir, 'filler');
    const chunk = Buffer.alloc(64 * 1024, 1);
    const fd = fs.openSync(filler, 'w');
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      fs.closeSync(fd);
    }

    c.doc.getText('t').insert(0, 'x'.repeat(200_000));
    await waitFor(async () => (await readyz(server!)).status === 503, { what: 'not ready' });
    expect((await readyz(server)).body).toMatchObject({ reason: 'storage_failing' });
    const refused = await createOverHttp(server, owner);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');

    fs.rmSync(filler);
    clock.advance(30_000);
    await c.whenSaved();
    expect((await readyz(server)).status).toBe(200);
    expect((await createOverHttp(server, owner)).status).toBe(201);
  });
});
