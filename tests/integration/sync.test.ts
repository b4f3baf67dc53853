import fs from 'node:fs';
import { connect, createApiClient } from '@rapporteur/client';
import { CloseCode, MessageType, SyncStep } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, rawSocket, stockClient, WebSocket } from '../support/clients';
import { signUp, type TestUser } from '../support/accounts';
import { startServer, tempDataDir } from '../support/server';
import { type HeldStore, holdable } from '../support/heldStore';
import { waitFor } from '../support/wait';
import { encodeSyncStep1, encodeSyncUpdate } from '@rapporteur/protocol';
import * as decoding from 'lib0/decoding';

let dataDir: string;
let server: RunningServer;
let owner: TestUser;
const cleanups: Array<() => void | Promise<void>> = [];

beforeEach(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir);
  owner = await signUp(server.url);
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function client(documentId: string, srv = server) {
  const c = stockClient(srv.collabUrl, documentId, owner);
  cleanups.push(() => c.destroy());
  return c;
}

/** Writes a paragraph the way the editor (y-prosemirror) stores it. */
function appendParagraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  const body = doc.getXmlFragment('default');
  body.insert(body.length, [p]);
}

describe('sync with stock y-websocket clients', () => {
  it('two clients converge (SPEC R4)', async () => {
    const id = await createDocument(server.url, owner);
    const a = client(id);
    const b = client(id);
    await Promise.all([a.synced(), b.synced()]);
    a.text.insert(0, 'hello ');
    b.text.insert(0, 'world');
    await waitFor(() => a.text.toString() === b.text.toString() && a.text.length === 11, { what: 'convergence' });
    expect(a.text.toString()).toBe(b.text.toString());
  });

  it("a stock client's content appears in the HTML and Markdown exports", async () => {
    const id = await createDocument(server.url, owner, 'Export me');
    const a = client(id);
    await a.synced();
    appendParagraph(a.doc, 'Key takeaway: <b>open</b> participation');
    const api = createApiClient({ baseUrl: server.url, token: owner.token });
    await waitFor(async () => (await api.exportDocument(id, 'html')).includes('Key takeaway'), { what: 'export' });
    const html = await api.exportDocument(id, 'html');
    expect(html).toContain('Key takeaway: &lt;b&gt;open&lt;/b&gt; participation');
    expect(html).toContain('<title>Export me — ');
    const md = await api.exportDocument(id, 'md');
    expect(md).toContain('Key takeaway');
  });

  it('a restart keeps everything (SPEC S1)', async () => {
    const id = await createDocument(server.url, owner);
    const a = client(id);
    await a.synced();
    for (let i = 0; i < 50; i++) a.text.insert(a.text.length, `line ${i}\n`);
    const expected = a.text.toString();
    // Our own client tells us when the server has stored the edits durably.
    const probe = connect(id, { url: server.collabUrl, WebSocketPolyfill: WebSocket as never, token: owner.token });
    cleanups.push(() => probe.destroy());
    await waitFor(() => probe.doc.getText('t').toString() === expected, { what: 'probe sees text' });
    await server.close();
    server = await startServer(dataDir);
    const b = client(id);
    await b.synced();
    expect(b.text.toString()).toBe(expected);
  });

  it('joins at once share one load and see the same state (SPEC R1, R2)', async () => {
    const id = await createDocument(server.url, owner);
    const first = client(id);
    await first.synced();
    first.text.insert(0, 'seeded once');
    await waitFor(async () => (await server.store.historyStats(id as never)).updates === 1, { what: 'stored' });
    await server.close();
    server = await startServer(dataDir);
    const many = Array.from({ length: 8 }, () => client(id));
    await Promise.all(many.map((c) => c.synced()));
    for (const c of many) expect(c.text.toString()).toBe('seeded once');
    expect(server.rooms.size).toBe(1);
  });

  it('frames sent while the document loads are kept, up to 1,000, and handled in order; one more closes with 4508 (SPEC R2)', async () => {
    const id = await createDocument(server.url, owner);
    await server.close();
    let held!: HeldStore;
    server = await startServer(dataDir, {}, { wrapDocumentStore: (s) => (held = holdable(s)).store });
    held.hold('loadDocument');
    const patient = rawSocket(`${server.collabUrl}/${id}?token=${owner.token}`);
    const eager = rawSocket(`${server.collabUrl}/${id}?token=${owner.token}`);
    await Promise.all([patient.opened(), eager.opened()]);
    await waitFor(() => held.calls('loadDocument') === 1, { what: 'the document to start loading' });
    const queryAwareness = new Uint8Array([MessageType.queryAwareness]);
    for (let i = 0; i < 999; i++) patient.send(queryAwareness);
    patient.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    for (let i = 0; i < 1001; i++) eager.send(queryAwareness);
    expect((await eager.closed).code).toBe(CloseCode.timeout);
    expect(eager.frames).toEqual([]);
    // Nothing was answered while loading.
    expect(patient.frames).toEqual([]);
    held.release('loadDocument');
    // Server step 1 on joining, then the 999 queries answered, then the reply to the client's step 1.
    await waitFor(() => patient.frames.length === 1001, { what: 'every kept frame answered' });
    expect(patient.types()).toEqual([MessageType.sync, ...Array<number>(999).fill(MessageType.awareness), MessageType.sync]);
    expect(patient.frames.at(-1)![1]).toBe(SyncStep.step2);
    expect(patient.ws.readyState).toBe(WebSocket.OPEN);
    expect(held.calls('loadDocument')).toBe(1);
    patient.ws.close();
  });

  it('nothing leaves the server before the update is stored: no saved, no broadcast, no sync step 2 (SPEC R4)', async () => {
    const id = await createDocument(server.url, owner);
    await server.close();
    let held!: HeldStore;
    server = await startServer(dataDir, {}, { wrapDocumentStore: (s) => (held = holdable(s)).store });
    const writer = rawSocket(`${server.collabUrl}/${id}?features=saved&token=${owner.token}`);
    const other = rawSocket(`${server.collabUrl}/${id}?features=saved&token=${owner.token}`);
    const joiner = rawSocket(`${server.collabUrl}/${id}?features=saved&token=${owner.token}`);
    const all = [writer, other, joiner];
    await Promise.all(all.map((s) => s.opened()));
    await waitFor(() => all.every((s) => s.types().includes(MessageType.sync)), { what: "the server's step 1 on every socket" });
    const syncFrames = (s: typeof writer, step: number) => s.frames.filter((f) => f[0] === MessageType.sync && f[1] === step);
    /**
     * The server answers a query at once, behind every frame it sent this
     * socket before: once the answer is in, anything sent earlier is too.
     */
    const drained = async (s: typeof writer) => {
      const answers = () => s.types().filter((t) => t === MessageType.awareness).length;
      const before = answers();
      s.send(new Uint8Array([MessageType.queryAwareness]));
      await waitFor(() => answers() > before, { what: 'the answer to a query' });
    };

    held.hold('appendUpdates');
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'held back');
    writer.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
    await waitFor(() => held.calls('appendUpdates') === 1, { what: 'the update to reach the store' });
    joiner.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await Promise.all(all.map(drained));
    expect(writer.types()).not.toContain(MessageType.saved);
    expect(syncFrames(other, SyncStep.update)).toEqual([]);
    expect(syncFrames(joiner, SyncStep.step2)).toEqual([]);
    expect((await server.store.historyStats(id as never)).updates).toBe(0);

    held.release('appendUpdates');
    await waitFor(() => writer.types().includes(MessageType.saved), { what: 'saved' });
    await waitFor(() => syncFrames(other, SyncStep.update).length === 1, { what: 'the broadcast' });
    await waitFor(() => syncFrames(joiner, SyncStep.step2).length === 1, { what: 'the step 2' });
    expect((await server.store.historyStats(id as never)).updates).toBe(1);
    for (const [s, step] of [
      [other, SyncStep.update],
      [joiner, SyncStep.step2],
    ] as const) {
      const received = new Y.Doc();
      const d = decoding.createDecoder(syncFrames(s, step)[0]!);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      Y.applyUpdate(received, decoding.readVarUint8Array(d));
      expect(received.getText('t').toString()).toBe('held back');
    }
    expect(syncFrames(writer, SyncStep.update)).toEqual([]);
    for (const s of all) s.ws.close();
  });

  it('an unknown document is refused with 4404 and the client stops', async () => {
    const s = rawSocket(`${server.collabUrl}/does-not-exist?token=${owner.token}`);
    expect((await s.closed).code).toBe(4404);
  });

  it('the saved extension is sent only to clients that ask for it (PROTOCOL saved)', async () => {
    const id = await createDocument(server.url, owner);
    const plain = rawSocket(`${server.collabUrl}/${id}?token=${owner.token}`);
    const asking = rawSocket(`${server.collabUrl}/${id}?features=saved&token=${owner.token}`);
    await Promise.all([plain.opened(), asking.opened()]);
    const writer = new Y.Doc();
    writer.getText('t').insert(0, 'x');
    const update = Y.encodeStateAsUpdate(writer);
    const frame = (sock: typeof plain) => {
      sock.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      sock.send(new Uint8Array([0, 2, ...lengthPrefixed(update)]));
    };
    frame(plain);
    frame(asking);
    await waitFor(() => asking.types().includes(MessageType.saved), { what: 'saved ack' });
    // Give the plain socket the same chance: it has received its own reply by now.
    await waitFor(() => plain.types().filter((t) => t === MessageType.sync).length >= 2, { what: 'plain replies' });
    expect(plain.types()).not.toContain(MessageType.saved);
    plain.ws.close();
    asking.ws.close();
  });

  it('our client reports saved only after the server stored the change', async () => {
    const id = await createDocument(server.url, owner);
    const c = connect(id, { url: server.collabUrl, WebSocketPolyfill: WebSocket as never, token: owner.token });
    cleanups.push(() => c.destroy());
    await c.whenSynced();
    c.doc.getText('t').insert(0, 'durable');
    expect(c.status.pendingChanges).toBe(1);
    await c.whenSaved();
    const stats = await server.store.historyStats(id as never);
    expect(stats.updates).toBeGreaterThanOrEqual(1);
    expect(c.status.pendingChanges).toBe(0);
  });
});

function lengthPrefixed(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let n = bytes.length;
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return [...out, ...bytes];
}
