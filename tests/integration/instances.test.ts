import fs from 'node:fs';
import type { DocumentId } from '@rapporteur/protocol';
import { createApiClient } from '@rapporteur/client';
import { type FanOut, LocalFanOut, type RunningServer } from '@rapporteur/server';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp } from '../support/accounts';
import { createDocument, rawSocket, stockClient, type StockClient } from '../support/clients';
import { openTestPostgres, type TestPostgres, urlInSchema } from '../support/postgres';
import { OwnRedis, TEST_REDIS_URL } from '../support/redis';
import { type ChildServer, spawnServer, startServer, tempDataDir } from '../support/server';
import { ManualClock } from '../support/manualClock';
import { openSse } from '../support/sse';
import { waitFor } from '../support/wait';

// Issue 15: several instances serve the same documents on one PostgreSQL,
// Redis carrying what each stores (updates, presence, comment and access
// signals). Storage is the truth: a lost message, a Redis restart or a killed
// instance is repaired from the log.


const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dataDir(): string {
  const dir = tempDataDir();
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function database(): Promise<TestPostgres> {
  const pg = await openTestPostgres();
  cleanups.push(() => pg.close());
  return pg;
}

function client(collabUrl: string, id: string, as: { token: string }): StockClient {
  const c = stockClient(collabUrl, id, as);
  cleanups.push(() => c.destroy());
  return c;
}

/** What a client received from others: its state vector without its own client id. */
function received(c: StockClient): Map<number, number> {
  const sv = Y.decodeStateVector(Y.encodeStateVector(c.doc));
  sv.delete(c.doc.clientID);
  return sv;
}

describe('several instances on one PostgreSQL and Redis (issue 15)', () => {
  it('three instances: stock clients on each edit and comments go through each; one is killed with kill -9 mid-edit and Redis restarts; every client left and a fresh load agree, nothing received is lost, every comment is listed by every instance left', async () => {
    const pg = await database();
    const redis = await OwnRedis.start();
    cleanups.push(() => redis.kill());
    const env = { DATABASE_URL: urlInSchema(pg.schema), REDIS_URL: redis.url };
    const servers: ChildServer[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await spawnServer(dataDir(), env, { detached: false });
      servers.push(s);
      cleanups.push(() => s.kill());
    }
    const owner = await signUp(servers[0]!.url);
    const id = await createDocument(servers[1]!.url, owner);
    const writers = servers.map((s) => client(s.collabUrl, id, owner));
    // Readers send nothing after joining: what they hold came from the instances.
    const readers = [client(servers[1]!.collabUrl, id, owner), client(servers[2]!.collabUrl, id, owner)];
    await Promise.all([...writers, ...readers].map((c) => c.synced()));

    const timers: Array<ReturnType<typeof setInterval>> = [];
    const stopTyping = (): void => {
      for (const t of timers.splice(0)) clearInterval(t);
    };
    cleanups.push(stopTyping);
    writers.forEach((w, n) => {
      let i = 0;
      timers.push(setInterval(() => w.text.insert(w.text.length, `${n}:${i++},`), 3));
    });
    // Each reader gets every writer's typing, whichever instance it went through.
    const hasAll = (c: StockClient): boolean => writers.every((w) => (received(c).get(w.doc.clientID) ?? 0) > 200);
    await waitFor(() => readers.every(hasAll), { what: 'every reader to receive every writer', timeoutMs: 20_000 });
    // Comments, each through another instance, while the typing goes on.
    const api = (s: ChildServer) => createApiClient({ baseUrl: s.url, token: owner.token });
    const comment = (s: ChildServer, body: string) => api(s).createComment(id, { anchor: { type: 'block', blockId: 'b1', quote: 'x' }, body });
    const comments = [await comment(servers[0]!, 'Through the first'), await comment(servers[1]!, 'Through the second')];

    await servers[0]!.kill('SIGKILL');
    const heldAtKill = readers.map((r) => received(r).get(writers[0]!.doc.clientID) ?? 0);
    expect(Math.min(...heldAtKill)).toBeGreaterThan(200);
    writers[0]!.provider.disconnect();

    // Redis goes away and comes back while the others keep typing.
    await redis.kill();
    const before = writers.slice(1).map((w) => w.text.length);
    await waitFor(() => writers.slice(1).every((w, n) => w.text.length > before[n]! + 100), { what: 'typing during the outage' });
    comments.push(await comment(servers[2]!, 'Through the third, Redis down'));
    await redis.restart();
    await waitFor(() => writers.slice(1).every((w, n) => w.text.length > before[n]! + 200), { what: 'typing after the restart' });
    stopTyping();

    const alive = [writers[1]!, writers[2]!, ...readers];
    const same = (): boolean => alive.every((c) => c.text.toString() === alive[0]!.text.toString());
    await waitFor(same, { what: 'the clients left to agree', timeoutMs: 20_000 });
    const fresh = client(servers[2]!.collabUrl, id, owner);
    await fresh.synced();
    await waitFor(() => fresh.text.toString() === alive[0]!.text.toString(), { what: 'a fresh load to agree' });
    const stored = Y.decodeStateVector(Y.encodeStateVector(fresh.doc));
    for (const c of [...alive, ...readers]) {
      for (const [clientId, clock] of received(c)) expect(stored.get(clientId) ?? 0).toBeGreaterThanOrEqual(clock);
    }
    // What the killed instance had acknowledged and passed on is there.
    expect(stored.get(writers[0]!.doc.clientID) ?? 0).toBeGreaterThanOrEqual(Math.max(...heldAtKill));
    // Every comment, whichever instance took it, is listed by every instance left.
    for (const s of servers.slice(1)) {
      expect((await api(s).listComments(id)).comments.map((c) => c.id).sort()).toEqual(comments.map((c) => c.id).sort());
    }
  });

  it('A4: two instances binding one client id to two accounts at once: exactly one wins, the other socket is refused (4403) and nothing of it is stored', async () => {
    const pg = await database();
    // Instances whose messages never arrive: each room learns of the other's bindings only from the database.
    const silent = (): FanOut => Object.assign(new LocalFanOut(), { shared: true as const });
    const [a, b] = await Promise.all(
      [0, 1].map(async () => {
        const s = await startServer(dataDir(), { databaseUrl: urlInSchema(pg.schema), redisUrl: TEST_REDIS_URL }, { fanOut: silent(), clock: new ManualClock() });
        cleanups.push(() => s.close());
        return s;
      }),
    );
    const owner = await signUp(a!.url);
    const other = await signUp(a!.url);
    const id = await createDocument(a!.url, owner);
    await owner.api.setMember(id, other.email, 'editor');
    const first = client(a!.collabUrl, id, owner);
    // The same Yjs client id on both, each room loaded before either wrote.
    const same = new Y.Doc();
    same.clientID = first.doc.clientID;
    const second = stockClient(b!.collabUrl, id, other, same);
    cleanups.push(() => second.destroy());
    await Promise.all([first.synced(), second.synced()]);
    const closes: number[] = [];
    for (const c of [first, second]) c.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    first.text.insert(0, 'mine');
    second.text.insert(0, 'also mine');
    await waitFor(() => closes.length === 1, { what: 'one socket to be refused' });
    expect(closes).toEqual([4403]);
    const owners = await a!.store.loadClientBindings(id as DocumentId);
    const winner = owners.get(first.doc.clientID);
    expect([owner.user.id, other.user.id]).toContain(winner);
    // Every stored record with that client id is by the winner.
    // The winner's append may still be under way when the loser is refused.
    const records = () => a!.store.readLogRecords(id as DocumentId, 0, Number.MAX_SAFE_INTEGER);
    await waitFor(async () => (await records()).length > 0, { what: "the winner's update to be stored" });
    const log = await records();
    expect(new Set(log.map((r) => r.author))).toEqual(new Set([winner]));
  });

  it('the sign-in limit counts attempts on every instance together', async () => {
    const pg = await database();
    const redis = await OwnRedis.start();
    cleanups.push(() => redis.kill());
    const servers: RunningServer[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await startServer(dataDir(), {
        databaseUrl: urlInSchema(pg.schema),
        redisUrl: redis.url,
        auth: { sessionTtlMs: 3_600_000, rateLimit: 3, scryptN: 1024, registration: 'open', admin: null },
      });
      servers.push(s);
      cleanups.push(() => s.close());
    }
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = servers[i % 2]!;
      const res = await fetch(`${s.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: s.url },
        body: JSON.stringify({ email: 'nobody@example.org', password: 'wrong password' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  describe('two instances in this process', () => {
    // The rooms' log checks run on this clock: only Redis carries anything until a test moves it.
    let clock: ManualClock;

    async function twoInstances(): Promise<[RunningServer, RunningServer]> {
      const pg = await database();
      clock = new ManualClock();
      const servers: RunningServer[] = [];
      for (let i = 0; i < 2; i++) {
        const s = await startServer(dataDir(), { databaseUrl: urlInSchema(pg.schema), redisUrl: TEST_REDIS_URL }, { clock });
        servers.push(s);
        cleanups.push(() => s.close());
      }
      return servers as [RunningServer, RunningServer];
    }

    it('a record another instance stored without telling anyone (a lost message) reaches every client from the log', async () => {
      const [a, b] = await twoInstances();
      const owner = await signUp(a.url);
      const id = await createDocument(a.url, owner);
      const onA = client(a.collabUrl, id, owner);
      const onB = client(b.collabUrl, id, owner);
      await Promise.all([onA.synced(), onB.synced()]);
      onA.text.insert(0, 'told ');
      await waitFor(() => onB.text.toString() === 'told ', { what: 'the update through Redis' });
      // Straight into the log, as an instance whose message was lost would have it.
      const lost = new Y.Doc();
      Y.applyUpdate(lost, Y.encodeStateAsUpdate(onA.doc));
      lost.getText('t').insert(5, 'untold');
      await a.store.appendUpdates(id as DocumentId, [{ data: Y.encodeStateAsUpdate(lost, Y.encodeStateVector(onA.doc)), author: owner.user.id, clientIds: [lost.clientID] }], Date.now());
      // The rooms' next look at the log (every 2 s) finds it.
      clock.advance(2_000);
      await waitFor(() => [onA, onB].every((c) => c.text.toString() === 'told untold'), { what: 'both rooms to read the log', timeoutMs: 10_000 });
    });

    it('a read on an instance where nobody has the document open (an export) includes what another stored unannounced', async () => {
      const [a, b] = await twoInstances();
      const owner = await signUp(a.url);
      const id = await createDocument(a.url, owner);
      const markdown = async (): Promise<string> =>
        (await fetch(`${b.url}/api/documents/${id}/export?format=md`, { headers: { Authorization: `Bearer ${owner.token}` } })).text();
      expect(await markdown()).not.toContain('Unannounced');
      // B's room is loaded now (by the export), with no members; a record reaches the log without a message.
      const doc = new Y.Doc();
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('Unannounced words')]);
      doc.getXmlFragment('default').insert(0, [p]);
      await a.store.appendUpdates(id as DocumentId, [{ data: Y.encodeStateAsUpdate(doc), author: owner.user.id, clientIds: [doc.clientID] }], Date.now());
      expect(await markdown()).toContain('Unannounced words');
    });

    it('A7: a presence id held by a member on one instance cannot be taken over by a member on another', async () => {
      const [a, b] = await twoInstances();
      const owner = await signUp(a.url);
      const other = await signUp(a.url);
      const id = await createDocument(a.url, owner);
      await owner.api.setMember(id, other.email, 'editor');
      const holder = client(a.collabUrl, id, owner);
      const watchHere = client(a.collabUrl, id, owner);
      const watchThere = client(b.collabUrl, id, owner);
      await Promise.all([holder, watchHere, watchThere].map((c) => c.synced()));
      const presence = (c: StockClient): { user?: { userId?: string }; said?: string } | undefined =>
        c.provider.awareness.getStates().get(holder.doc.clientID) as never;
      holder.provider.awareness.setLocalStateField('said', 'mine');
      await waitFor(() => [watchHere, watchThere].every((c) => presence(c)?.said === 'mine'), { what: 'the holder’s presence everywhere' });
      // Someone else, on the other instance, with the same Yjs client id.
      const same = new Y.Doc();
      same.clientID = holder.doc.clientID;
      const taker = stockClient(b.collabUrl, id, other, same);
      cleanups.push(() => taker.destroy());
      await taker.synced();
      taker.provider.awareness.setLocalStateField('said', 'taken');
      holder.provider.awareness.setLocalStateField('said', 'still mine');
      await waitFor(() => [watchHere, watchThere].every((c) => presence(c)?.said === 'still mine'), { what: 'the holder’s later presence everywhere' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const c of [watchHere, watchThere]) expect(presence(c)).toMatchObject({ said: 'still mine', user: { userId: owner.user.id } });
    });

    it('A5: removing a member on one instance closes their socket on the other; a comment on one wakes event streams on the other', async () => {
      const [a, b] = await twoInstances();
      const owner = await signUp(a.url);
      const member = await signUp(a.url);
      const id = await createDocument(a.url, owner);
      await owner.api.setMember(id, member.email, 'editor');
      const socket = rawSocket(`${b.collabUrl}/${id}?token=${member.token}`);
      cleanups.push(() => socket.ws.close());
      await socket.opened();
      const stream = await openSse(`${b.url}/api/documents/${id}/comments/events`, { Authorization: `Bearer ${owner.token}` });
      cleanups.push(() => stream.close());
      expect(stream.status).toBe(200);
      await owner.api.createComment(id, { anchor: { type: 'block', blockId: 'b1', quote: 'x' }, body: 'Said on instance A' });
      await waitFor(() => stream.events.some((e) => e.data.includes('Said on instance A')), { what: 'the comment on the other instance' });
      await owner.api.removeMember(id, member.user.id);
      const closed = await Promise.race([socket.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]);
      expect(closed?.code, 'the socket on the other instance is closed').toBe(4403);
    });
  });
});
