import fs from 'node:fs';
import path from 'node:path';
import { connect, type Connection } from '@rapporteur/client';
import { CloseCode } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, WebSocket } from '../support/clients';
import { signUp } from '../support/accounts';
import { Random, seeds } from '../support/random';
import { startServer, tempDataDir } from '../support/server';
import { type CrashableStore, crashable } from '../support/crashableStore';
import { ManualClock } from '../support/manualClock';
import { MemoryNetwork } from '../support/memoryNetwork';
import { turns, waitFor } from '../support/wait';
import { SqlDocumentStore, sqliteFile } from '@rapporteur/server';

const CLIENTS = 5;
const STEPS = 400;

/**
 * Seeds run every time, whatever SEED says about the fresh ones. A seed that
 * ever fails goes here, so it stays fixed. (None has failed yet: 600 fresh
 * seeds passed when this harness was written; these four are fixed samples.)
 */
const PINNED_SEEDS = [1, 2, 3, 4242];

/**
 * Several clients make random edits, drop and regain their connections, the
 * server unloads idle rooms, restarts, and dies (kill -9) just before a
 * write: after each death everything any client received and every
 * acknowledged update is on disk; at the end every client, the server and a
 * fresh load from storage hold the same document, and every update frame a
 * client sent was acknowledged. Messages travel through an in-memory
 * network whose delivery order comes from the seed (support/memoryNetwork.ts),
 * so `SEED=<n> pnpm test tests/fuzz` replays a failure exactly.
 */
describe('randomized convergence, delivery order from the seed', () => {
  const fresh = seeds(4);
  for (const seed of process.env.SEED ? fresh : [...PINNED_SEEDS, ...fresh]) {
    it(`converges (seed ${seed})`, async () => {
      await runInMemory(seed);
    }, 120_000);
  }

  it('replays: two runs of one seed deliver the same frames in the same order', async () => {
    const seed = Number(process.env.SEED ?? 77);
    const first = await runInMemory(seed);
    const second = await runInMemory(seed);
    expect(second.events).toBe(first.events);
    expect(second.digest).toBe(first.digest);
  }, 120_000);
});

async function runInMemory(seed: number): Promise<{ digest: string; events: number }> {
  const rand = new Random(seed);
  // A crash moves the disk to a new directory: the dead server keeps its
  // lock on the old one, as only the end of a real process would release it.
  const dataDirs = [tempDataDir()];
  let dataDir = dataDirs[0]!;
  const overrides = { checkpointEveryUpdates: 8, roomIdleMs: 1000 };
  // Each server process has its own clock and its own disk that can die under it.
  let clock = new ManualClock();
  let disk!: CrashableStore;
  const start = () => startServer(dataDir, overrides, { clock, wrapDocumentStore: (s) => (disk = crashable(s)).store });
  let server = await start();
  const owner = await signUp(server.url);
  const id = await createDocument(server.url, owner);
  const net = new MemoryNetwork(server, id, owner.token);
  const startAgain = async (): Promise<void> => {
    clock = new ManualClock();
    server = await start();
    net.server = server;
  };
  const restart = async (): Promise<void> => {
    net.record('server restart');
    await server.close();
    await startAgain();
  };
  /**
   * `kill -9` at the worst moment: frames go to the server until it next
   * writes to the disk, and it dies just before that write. What it had sent
   * still arrives; then everything any client received, and every update it
   * acknowledged, must be on the disk (SPEC R4).
   */
  const crash = async (): Promise<void> => {
    net.record('crash');
    let died!: () => void;
    const death = new Promise<void>((resolve) => (died = resolve));
    disk.dieAtNextWrite(() => {
      net.serverDied();
      died();
    });
    for (;;) {
      const queues = net.pending().filter((q) => q.to === 'server');
      if (disk.dead || queues.length === 0) break;
      rand.pick(queues).client.sendOne();
      await Promise.race([death, server.rooms.whenIdle()]);
    }
    disk.die();
    for (const c of net.clients) while (c.connection) c.receiveOne();
    // The dead server is left as it is: nothing of it runs any more. Its
    // database file and write-ahead log are what a disk would keep.
    const survivor = tempDataDir();
    for (const name of [path.basename(sqliteFile(dataDir)), path.basename(sqliteFile(dataDir)) + '-wal']) {
      if (fs.existsSync(path.join(dataDir, name))) fs.copyFileSync(path.join(dataDir, name), path.join(survivor, name));
    }
    dataDirs.push((dataDir = survivor));
    await expectOnDisk(net, dataDir, id);
    await startAgain();
  };
  try {
    for (let i = 0; i < CLIENTS; i++) net.addClient(rand.int(1 << 28) * 8 + i + 1);
    for (const c of net.clients) await net.connect(c);
    const restartAt = Math.floor(STEPS / 2) + rand.int(STEPS / 4);
    const crashAt = Math.floor(STEPS / 4) + rand.int(STEPS / 4);
    for (let step = 0; step < STEPS; step++) {
      const roll = rand.next();
      if (roll < 0.45) edit(rand, rand.pick(net.clients).doc);
      else if (roll < 0.8) await net.deliverOne(rand);
      else if (roll < 0.9) await net.deliverBurst(rand, 2 + rand.int(6));
      else if (roll < 0.97) {
        const c = rand.pick(net.clients);
        if (c.connected) c.disconnect();
        else await net.connect(c);
      } else if (roll < 0.985) {
        // Time passes: rooms nobody is in are stored, checkpointed and unloaded.
        net.record('idle');
        clock.advance(overrides.roomIdleMs);
        await server.rooms.whenIdle();
      } else if (roll < 0.993) await crash();
      else {
        // Sometimes while the server still has updates to store (SPEC R12: it stores and acknowledges them first).
        if (rand.chance(0.5)) await net.deliverBurst(rand, 1 + rand.int(6), { settle: false });
        await restart();
      }
      if (step === restartAt) await restart();
      if (step === crashAt) await crash();
    }
    await net.settle(rand);

    for (const c of net.clients) {
      expect(c.connected, `client ${c.index} is connected`).toBe(true);
      const expectedCodes = [CloseCode.serviceRestart, 1006] as number[];
      expect(c.closeCodes.filter((code) => !expectedCodes.includes(code)), `client ${c.index} close codes`).toEqual([]);
      expect(c.denied, `client ${c.index} refusals`).toBe(0);
      expect(c.savedCount, `client ${c.index}: update frames acknowledged`).toBe(c.sentUpdates.length);
    }
    const expected = snapshot(net.clients[0]!.doc);
    for (const c of net.clients) expect(snapshot(c.doc), `client ${c.index}`).toBe(expected);
    expect(await server.rooms.read(id as never, (doc) => snapshot(doc))).toBe(expected);
    await server.close();
    expect(await loadFromFile(dataDir, id)).toBe(expected);
    await expectOnDisk(net, dataDir, id);
    return { digest: net.digest(), events: net.lines.length };
  } catch (error) {
    const tail = net.lines.slice(-25).join('\n  ');
    throw new Error(`convergence failed with SEED=${seed} (replay it with SEED=${seed}; pin it in PINNED_SEEDS): ${(error as Error).message}\n  last events:\n  ${tail}`, { cause: error });
  } finally {
    if (!disk.dead) await server.close();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Everything each client received from the server, and every update the server acknowledged, is stored. */
async function expectOnDisk(net: MemoryNetwork, dataDir: string, id: string): Promise<void> {
  const stored = await loadDocFromFile(dataDir, id);
  for (const c of net.clients) {
    c.receivedUpdates.forEach((u, i) => expect(contains(stored, u), `client ${c.index}: received update ${i} is stored`).toBe(true));
    c.receivedUpdates.length = 0;
    c.sentUpdates.slice(0, c.savedCount).forEach((u, i) => expect(contains(stored, u), `client ${c.index}: acknowledged update ${i} is stored`).toBe(true));
  }
}

/**
 * Whether applying `update` to `doc` would change nothing: neither its
 * content (state vector and deletions) nor what it keeps aside (a stored
 * update may wait for its dependencies, SPEC R10).
 */
function contains(doc: Y.Doc, update: Uint8Array): boolean {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const state = () => {
    const pending = copy.store.pendingStructs;
    const pendingDs = copy.store.pendingDs;
    return {
      snapshot: Y.snapshot(copy),
      pending: pending ? [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(pending.update))].sort().join() : '',
      pendingDs: pendingDs ? JSON.stringify([...Y.decodeUpdate(pendingDs).ds.clients].sort()) : '',
    };
  };
  const before = state();
  Y.applyUpdate(copy, update);
  const after = state();
  copy.destroy();
  return Y.equalSnapshots(before.snapshot, after.snapshot) && before.pending === after.pending && before.pendingDs === after.pendingDs;
}

/** One random edit: insert a word, delete a run, set a map key, or several in one transaction. */
function edit(rand: Random, doc: Y.Doc): void {
  const text = doc.getText('t');
  const roll = rand.next();
  if (roll < 0.55 || text.length === 0) text.insert(rand.int(text.length + 1), rand.word());
  else if (roll < 0.8) {
    const at = rand.int(text.length);
    text.delete(at, 1 + rand.int(Math.min(5, text.length - at)));
  } else if (roll < 0.9) doc.getMap('meta').set(rand.pick(['a', 'b', 'c']), rand.word());
  else {
    doc.transact(() => {
      text.insert(0, rand.word());
      if (text.length > 3) text.delete(text.length - 2, 1);
    });
  }
}

/** The document as a fresh load from the SQLite file sees it. */
async function loadFromFile(dataDir: string, id: string): Promise<string> {
  return snapshot(await loadDocFromFile(dataDir, id));
}

async function loadDocFromFile(dataDir: string, id: string): Promise<Y.Doc> {
  const store = await SqlDocumentStore.openSqlite({ file: sqliteFile(dataDir) });
  try {
    const loaded = await store.loadDocument(id as never);
    const doc = new Y.Doc();
    if (loaded.checkpoint) Y.applyUpdate(doc, loaded.checkpoint.data);
    for (const u of loaded.updates) Y.applyUpdate(doc, u.data);
    return doc;
  } finally {
    await store.close();
  }
}

/**
 * The same over real sockets and real time, for one seed: the in-memory
 * network above replaces the transport, so this run keeps it honest. Its
 * interleaving depends on the machine, so its seed does not replay exactly.
 */
describe('randomized convergence over real sockets', () => {
  for (const seed of seeds(1)) {
    it(`converges (seed ${seed})`, async () => {
      try {
        await run(new Random(seed));
      } catch (error) {
        throw new Error(`convergence over sockets failed with SEED=${seed}: ${(error as Error).message}`, { cause: error });
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
    expect(await loadFromFile(dataDir, id)).toBe(expected);
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
