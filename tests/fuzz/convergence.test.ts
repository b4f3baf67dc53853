import fs from 'node:fs';
import { connect, type Connection } from '@rapporteur/client';
import type { RunningServer } from '@rapporteur/server';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, WebSocket } from '../support/clients';
import { signUp } from '../support/accounts';
import { Random, seeds } from '../support/random';
import { startServer, tempDataDir } from '../support/server';
import { turns, waitFor } from '../support/wait';
import { SqliteDocumentStore, sqliteFile } from '@rapporteur/server';

const CLIENTS = 5;
const STEPS = 400;

/**
 * Several clients make random edits with random pauses, drop and regain their
 * connections, and the server restarts in the middle. At the end every
 * client, the server and a fresh load from storage hold the same document.
 * A failure names its seed: rerun with `SEED=<n> pnpm test`.
 */
describe('randomized convergence', () => {
  for (const seed of seeds(3)) {
    it(`converges (seed ${seed})`, async () => {
      try {
        await run(new Random(seed));
      } catch (error) {
        throw new Error(`convergence failed with SEED=${seed}: ${(error as Error).message}`, { cause: error });
      }
    }, 120_000);
  }
});

async function run(rand: Random): Promise<void> {
  const dataDir = tempDataDir();
  let server: RunningServer = await startServer(dataDir);
  const port = server.port;
  const owner = await signUp(server.url);
  const id = await createDocument(server.url, owner);
  const clients: Connection[] = Array.from({ length: CLIENTS }, () =>
    connect(id, { url: server.collabUrl, WebSocketPolyfill: WebSocket as never, token: owner.token }),
  );
  try {
    await Promise.all(clients.map((c) => c.whenSynced()));
    const restartAt = Math.floor(STEPS / 2) + rand.int(STEPS / 4);
    for (let step = 0; step < STEPS; step++) {
      const c = rand.pick(clients);
      const text = c.doc.getText('t');
      const roll = rand.next();
      if (roll < 0.55 || text.length === 0) {
        text.insert(rand.int(text.length + 1), rand.word());
      } else if (roll < 0.8) {
        const at = rand.int(text.length);
        text.delete(at, 1 + rand.int(Math.min(5, text.length - at)));
      } else if (roll < 0.88) {
        c.doc.getMap('meta').set(rand.pick(['a', 'b', 'c']), rand.word());
      } else if (roll < 0.96) {
        if (c.provider.wsconnected || c.provider.wsconnecting) c.provider.disconnect();
        else c.provider.connect();
      } else {
        // Several edits in one transaction.
        c.doc.transact(() => {
          text.insert(0, rand.word());
          if (text.length > 3) text.delete(text.length - 2, 1);
        });
      }
      if (step === restartAt) {
        await server.close();
        server = await startServer(dataDir, { port });
      }
      // Let sockets deliver for a few event-loop turns (not for a length of time).
      if (rand.chance(0.3)) await turns(rand.int(8));
    }
    for (const c of clients) if (!c.provider.wsconnected && !c.provider.wsconnecting) c.provider.connect();
    await Promise.all(clients.map((c) => c.whenSaved()));
    // Saved means stored; the last updates may still be on their way to the others.
    await waitFor(() => new Set(clients.map((c) => snapshot(c.doc))).size === 1, { what: 'clients to agree', timeoutMs: 20_000 });
    const expected = snapshot(clients[0]!.doc);
    const onServer = await server.rooms.read(id as never, (doc) => snapshot(doc));
    expect(onServer).toBe(expected);
    await server.close();
    // A fresh load straight from the SQLite file.
    const store = new SqliteDocumentStore({ file: sqliteFile(dataDir) });
    const loaded = await store.loadDocument(id as never);
    const fresh = new Y.Doc();
    if (loaded.checkpoint) Y.applyUpdate(fresh, loaded.checkpoint.data);
    for (const u of loaded.updates) Y.applyUpdate(fresh, u.data);
    await store.close();
    expect(snapshot(fresh)).toBe(expected);
  } finally {
    for (const c of clients) c.destroy();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function snapshot(doc: Y.Doc): string {
  const meta = doc.getMap<string>('meta').toJSON();
  const sorted = Object.fromEntries(Object.entries(meta).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ t: doc.getText('t').toString(), meta: sorted });
}
