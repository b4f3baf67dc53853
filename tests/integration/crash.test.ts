import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, stockClient, type StockClient } from '../support/clients';
import { signUp } from '../support/accounts';
import { type ChildServer, slowDisk, spawnServer, spawnStorageEnv, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// SPEC R4 + S1: an update reaches other clients only after it is stored, so
// killing the process with SIGKILL can lose nothing another client received.
// On SQLite, and in the integration-postgres project on PostgreSQL (spawnStorageEnv
// gives the spawned servers the DATABASE_URL of their schema).
describe('kill -9', () => {
  let dataDir: string;
  let server: ChildServer | null = null;
  const clients: Array<{ destroy(): void }> = [];
  const timers: Array<ReturnType<typeof setInterval>> = [];

  afterEach(async () => {
    for (const t of timers.splice(0)) clearInterval(t);
    for (const c of clients.splice(0)) c.destroy();
    await server?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every update that any client had received, killed while two people type', async () => {
    dataDir = tempDataDir();
    const storage = await spawnStorageEnv(dataDir);
    // A slow disk widens the window between receiving an update and storing
    // it, where a server that broadcast first would be caught by the kill.
    server = await spawnServer(dataDir, { ...storage, SLOW_DISK_MS: '20' }, { preload: [slowDisk] });
    const owner = await signUp(server.url);
    const id = await createDocument(server.url, owner);
    const writers = [stockClient(server.collabUrl, id, owner), stockClient(server.collabUrl, id, owner)];
    // The reader sends nothing after joining, so the kill leaves nothing unread on
    // its connection: the kernel delivers everything the server had written to it.
    const reader = stockClient(server.collabUrl, id, owner);
    const everyone: StockClient[] = [...writers, reader];
    clients.push(...everyone);
    await Promise.all(everyone.map((c) => c.synced()));

    // Typing goes on before, during and after the kill.
    writers.forEach((w, n) => {
      let i = 0;
      timers.push(setInterval(() => w.text.insert(w.text.length, `${n}:${i++},`), 1));
    });
    await waitFor(() => reader.text.length > 2000, { what: 'the reader to receive edits' });
    await server.kill('SIGKILL');
    await waitFor(() => everyone.every((c) => !c.provider.wsconnected), { what: 'every client to see the connection drop' });
    const typedAtKill = writers.map((w) => w.text.length);
    // What each client received from the others: its state vector without its own client id.
    const received = everyone.map((c) => {
      const sv = Y.decodeStateVector(Y.encodeStateVector(c.doc));
      sv.delete(c.doc.clientID);
      return sv;
    });
    await waitFor(() => writers.every((w, n) => w.text.length > typedAtKill[n]!), { what: 'typing to go on after the kill' });
    for (const t of timers.splice(0)) clearInterval(t);
    for (const c of everyone) c.provider.disconnect();

    server = await spawnServer(dataDir, storage);
    const fresh = stockClient(server.collabUrl, id, owner);
    clients.push(fresh);
    await fresh.synced();
    const onDisk = Y.decodeStateVector(Y.encodeStateVector(fresh.doc));
    expect(received.reduce((n, sv) => n + [...sv.values()].reduce((a, b) => a + b, 0), 0)).toBeGreaterThan(2000);
    received.forEach((sv, n) => {
      for (const [client, clock] of sv) expect(onDisk.get(client) ?? 0, `client ${n}: what it had of ${client}`).toBeGreaterThanOrEqual(clock);
    });
  });
});
