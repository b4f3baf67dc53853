import fs from 'node:fs';
import type { DiffChange, DocumentId } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { createApiClient } from '@rapporteur/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// Issue 16, SPEC S2, V1–V5: the server's own compaction sweeps merge old
// records while people work, and everything history offers through HTTP —
// versions and their exports, diffs with authors, the timeline, restore —
// answers as it did before, as does a fresh load.

const MINUTE = 60_000;
const clock = new ManualClock();
let dataDir: string;
let server: RunningServer;
let alice: TestUser;
let bob: TestUser;
let docId: string;
const clients: StockClient[] = [];
const versions: string[] = [];

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, { compaction: { afterMs: 60 * MINUTE, windowMs: 5 * MINUTE, sweepMs: 5 * MINUTE } }, { clock });
  alice = await signUp(server.url, { name: 'Amina Diallo' });
  bob = await signUp(server.url, { name: 'Bo Lindqvist' });
  docId = await createDocument(server.url, alice, 'Chair’s summary');
  await alice.api.setMember(docId, bob.email, 'editor');
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The API as `who`, on the server running now (a restart changes its port). */
const api = (who: TestUser) => createApiClient({ baseUrl: server.url, token: who.token });
const lastSeq = (): Promise<number> => server.store.lastSeq(docId as DocumentId);
const textOf = (body: Y.XmlFragment, i: number): Y.XmlText => (body.get(i) as Y.XmlElement).get(0) as Y.XmlText;
const mdBody = (md: string): string => md.replace(/^---\n[\s\S]*?\n---\n\n/, '');

/** One edit, stored before the clock moves on by `stepMs` (socket pings answered meanwhile). */
async function edit(c: StockClient, change: (body: Y.XmlFragment) => void, stepMs: number): Promise<void> {
  const before = await lastSeq();
  c.doc.transact(() => change(c.doc.getXmlFragment('default')));
  await waitFor(async () => (await lastSeq()) > before, { what: 'edit stored' });
  await server.rooms.whenIdle();
  // The other writer has it before anyone types next, as people who see each other's text.
  const sv = Buffer.from(Y.encodeStateVector(c.doc));
  await waitFor(() => clients.every((o) => Buffer.from(Y.encodeStateVector(o.doc)).equals(sv)), { what: 'edit received' });
  clock.advance(stepMs);
}

/** `n` characters typed one by one at the end of paragraph `i`, one every `stepMs`. */
async function type(c: StockClient, i: number, text: string, stepMs: number): Promise<void> {
  for (const ch of text) await edit(c, (body) => textOf(body, i).insert(textOf(body, i).length, ch), stepMs);
}

async function snapshot(): Promise<{ exports: string[]; diffs: string[][]; timeline: Array<[string | undefined, number]> }> {
  const exports = [];
  for (const v of [...versions, 'current']) exports.push(v === 'current' ? mdBody(await api(bob).exportDocument(docId, 'md')) : mdBody(await api(bob).exportVersion(docId, v, 'md')));
  const key = (c: DiffChange): string => `${c.type} ${c.text} ${c.author?.id}`;
  const diffs = [];
  for (const [from, to] of [[versions[0]!, versions[1]!], [versions[0]!, 'current'], [versions[1]!, 'current']] as const) {
    diffs.push((await api(bob).diff(docId, from, to)).changes.map(key).sort());
  }
  const res = await fetch(`${server.url}/api/documents/${docId}/history?limit=200`, { headers: { Authorization: `Bearer ${bob.token}` } });
  expect(res.status).toBe(200);
  const { entries } = (await res.json()) as { entries: Array<{ author: { id: string } | null; changes: number }> };
  return { exports, diffs, timeline: entries.map((e) => [e.author?.id, e.changes]) };
}

describe('compaction under a running server (SPEC S2, V1–V5)', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  let recordsBefore = 0;

  it('two people write for an hour and a half, naming two versions', async () => {
    const a = stockClient(server.collabUrl, docId, alice);
    const b = stockClient(server.collabUrl, docId, bob);
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    await edit(a, (body) => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute('blockId', 'p1');
      p.insert(0, [new Y.XmlText('')]);
      body.insert(0, [p]);
    }, 10_000);
    await type(a, 0, 'Participants agreed on open access', 20_000); // ~12 minutes
    await type(b, 0, ' for all', 30_000);
    versions.push((await alice.api.nameVersion(docId, 'First draft')).id);
    await edit(b, (body) => textOf(body, 0).delete('Participants '.length, 'agreed on'.length), 60_000);
    await edit(b, (body) => textOf(body, 0).insert('Participants '.length, 'discussed'), 60_000);
    await type(a, 0, ' and funding', 2 * MINUTE); // ~24 minutes
    versions.push((await bob.api.nameVersion(docId, 'After review')).id);
    await type(b, 0, '.', 20 * MINUTE);
    await type(a, 0, ' Views diverged.', 30_000);
    before = await snapshot();
    recordsBefore = (await server.store.readLogRecords(docId as DocumentId, 0, await lastSeq())).length;
    expect(before.exports[2]).toBe('Participants discussed open access for all and funding. Views diverged.\n');
    expect(before.timeline.length).toBeGreaterThan(4);
  });

  it('S2: two hours on, the sweeps have merged the old records; versions, exports, diffs with authors and the timeline answer as before', async () => {
    for (let m = 0; m < 120; m += 5) {
      clock.advance(5 * MINUTE);
      await server.compactor.idle();
    }
    const records = await server.store.readLogRecords(docId as DocumentId, 0, await lastSeq());
    expect(records.length).toBeLessThan(recordsBefore / 3);
    expect(records.filter((r) => r.firstSeq < r.seq).length).toBeGreaterThan(3);
    expect(await snapshot()).toEqual(before);
  });

  it('a version restored after compaction reads as it did; a fresh client of a restarted server loads the text', async () => {
    const text = (c: StockClient): string => textOf(c.doc.getXmlFragment('default'), 0).toString();
    await alice.api.restoreVersion(docId, versions[0]!);
    await waitFor(() => text(clients[0]!) === 'Participants agreed on open access for all', { what: 'restored text' });
    expect(mdBody(await api(bob).exportDocument(docId, 'md'))).toBe(before.exports[0]);
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
    server = await startServer(dataDir, { compaction: { afterMs: 60 * MINUTE, windowMs: 5 * MINUTE, sweepMs: 5 * MINUTE } }, { clock });
    const fresh = stockClient(server.collabUrl, docId, bob);
    clients.push(fresh);
    await fresh.synced();
    await waitFor(() => text(fresh) === 'Participants agreed on open access for all', { what: 'fresh load after a restart' });
    expect((await snapshot()).exports.slice(0, 2)).toEqual(before.exports.slice(0, 2));
  });

  it('S2, V1: two people typing in turns become one timeline entry naming both; its id is a point, one taken inside it names the state before it', async () => {
    const a = stockClient(server.collabUrl, docId, alice);
    const b = clients[0]!;
    clients.push(a);
    await a.synced();
    const start = await lastSeq();
    // A few characters each, in turns, ten seconds apart: two minutes of writing together.
    for (const [who, text] of [[a, ' We'], [b, ' all'], [a, ' agree'], [b, 'd'], [a, ' on'], [b, ' this.']] as const) await type(who, 0, text, 10_000);
    const end = await lastSeq();
    const textBefore = mdBody(await api(bob).exportDocument(docId, 'md'));
    const pages = await api(bob).history(docId, { limit: 50 });
    expect(pages.entries.slice(0, 6).map((e) => e.authors.map((x) => x?.id))).toEqual([[bob.user.id], [alice.user.id], [bob.user.id], [alice.user.id], [bob.user.id], [alice.user.id]]);
    const inside = `h${end - 1}`; // after alice's last turn, inside bob's
    for (let m = 0; m < 90; m += 5) {
      clock.advance(5 * MINUTE);
      await server.compactor.idle();
    }
    const { entries } = await api(bob).history(docId, { limit: 50 });
    const together = entries[0]!;
    expect(together.id).toBe(`h${end}`);
    expect(together.authors.map((x) => x?.name)).toEqual(['Bo Lindqvist', 'Amina Diallo']);
    expect(together.author?.id).toBe(bob.user.id);
    expect(together.changes).toBe(end - start);
    expect(entries[1]!.id).toBe(`h${start}`);
    // The entry's end is the text as it was; a point inside the merged turns is the text before them.
    const diff = await api(bob).diff(docId, `h${start}`, together.id);
    expect(new Set(diff.changes.map((c) => c.author?.id))).toEqual(new Set([alice.user.id, bob.user.id]));
    expect(diff.changes.filter((c) => c.type === 'insert' && c.author?.id === bob.user.id).map((c) => c.text).join('')).toContain('all');
    expect(mdBody(await api(bob).exportDocument(docId, 'md'))).toBe(textBefore);
    expect((await api(bob).diff(docId, `h${start}`, inside)).changes).toEqual([]);
  });
});
