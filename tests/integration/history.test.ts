import fs from 'node:fs';
import { CloseCode, type DiffChange, type DocumentId, encodeSyncStep1, encodeSyncUpdate, type HistoryAuthor } from '@rapporteur/protocol';
import { createLogger, deletersOf, History, type RunningServer, SqlDocumentStore } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, rawSocket, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// Issue 8: history rebuilt from the stored log, versions, diffs attributed
// from the server's records, restore through the room pipeline, audit
// (SPEC V1–V6, A4).
type Who = 'alice' | 'bob' | 'carol' | 'victor' | 'stranger';

const clock = new ManualClock();
let dataDir: string;
let server: RunningServer;
const people = {} as Record<Who, TestUser>;
let docId: string;
let alice: StockClient;
let bob: StockClient;
const versions: Record<string, string> = {};

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, {}, { clock });
  people.alice = await signUp(server.url, { name: 'Amina Diallo', stakeholderGroup: 'civil-society', region: 'african' });
  people.bob = await signUp(server.url, { name: 'Bo Lindqvist', stakeholderGroup: 'government', region: 'western-european-others' });
  people.carol = await signUp(server.url, { name: 'Carol Commenter', stakeholderGroup: 'academia', region: 'asia-pacific' });
  people.victor = await signUp(server.url, { name: 'Victor Viewer', stakeholderGroup: 'media', region: 'other' });
  people.stranger = await signUp(server.url, { name: 'Stranger', stakeholderGroup: 'private-sector', region: 'other' });
  docId = await createDocument(server.url, people.alice, 'Background paper');
  await people.alice.api.setMember(docId, people.bob.email, 'editor');
  await people.alice.api.setMember(docId, people.carol.email, 'commenter');
  await people.alice.api.setMember(docId, people.victor.email, 'viewer');
  alice = stockClient(server.collabUrl, docId, people.alice);
  bob = stockClient(server.collabUrl, docId, people.bob);
  await Promise.all([alice.synced(), bob.synced()]);
});

afterAll(async () => {
  alice?.destroy();
  bob?.destroy();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** An export's Markdown without its front matter (title, date, version: SPEC X2). */
const mdBody = (md: string): string => md.replace(/^---\n[\s\S]*?\n---\n\n/, '');

const author = (who: Who): HistoryAuthor => ({ id: people[who].user.id, name: people[who].user.name, stakeholderGroup: people[who].user.stakeholderGroup });

function call(method: string, path: string, who: Who | null, body?: unknown): Promise<Response> {
  return fetch(`${server.url}/api/documents/${docId}${path}`, {
    method,
    headers: { ...(who ? { Authorization: `Bearer ${people[who].token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** The text of each paragraph of a client's body. */
function paragraphs(c: StockClient): string[] {
  return c.doc.getXmlFragment('default').toArray().map((el) => ((el as Y.XmlElement).get(0) as Y.XmlText).toString());
}

/** Runs `edit` on a stock client's doc and waits until the server stored it. */
async function edit(c: StockClient, change: (body: Y.XmlFragment) => void): Promise<void> {
  const before = await server.store.lastSeq(docId as never);
  c.doc.transact(() => change(c.doc.getXmlFragment('default')));
  await waitFor(async () => (await server.store.lastSeq(docId as never)) > before, { what: 'edit stored' });
  await server.rooms.whenIdle();
}

const textOf = (body: Y.XmlFragment, i: number): Y.XmlText => (body.get(i) as Y.XmlElement).get(0) as Y.XmlText;

function paragraph(blockId: string, text: string): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  el.setAttribute('blockId', blockId);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

describe('history of a document two accounts write (SPEC V1–V6)', () => {
  it('V4: editors name versions; the name is stored with the caller as author, whatever the body says', async () => {
    await edit(alice, (body) => body.insert(0, [paragraph('b1', 'Participants agreed on access')]));
    const res = await call('POST', '/versions', 'alice', { name: 'Circulated to the MAG, 1 March', createdBy: people.bob.user.id, author: author('bob') });
    expect(res.status).toBe(201);
    const { version } = (await res.json()) as { version: { id: string; name: string; createdBy: HistoryAuthor; kind: string } };
    expect(version).toMatchObject({ name: 'Circulated to the MAG, 1 March', kind: 'named', createdBy: author('alice') });
    versions.v1 = version.id;

    clock.advance(10 * 60_000);
    await edit(bob, (body) => {
      const t = textOf(body, 0);
      t.delete('Participants '.length, 'agreed on'.length);
      t.insert('Participants '.length, 'discussed');
    });
    await edit(bob, (body) => body.insert(1, [paragraph('b2', 'Views diverged on funding.')]));
    clock.advance(60_000);
    await edit(alice, (body) => textOf(body, 0).insert(textOf(body, 0).length, ' and rights'));
    const v2 = await people.bob.api.nameVersion(docId, 'After review');
    expect(v2.createdBy).toEqual(author('bob'));
    versions.v2 = v2.id;
    expect((await people.carol.api.listVersions(docId)).map((v) => v.name)).toEqual(['After review', 'Circulated to the MAG, 1 March']);
    expect(paragraphs(alice)).toEqual(['Participants discussed access and rights', 'Views diverged on funding.']);
  });

  it('V3: a version exports its own text, rebuilt from the log', async () => {
    expect(mdBody(await people.victor.api.exportVersion(docId, versions.v1!, 'md'))).toBe('Participants agreed on access\n');
    expect(mdBody(await people.victor.api.exportVersion(docId, versions.v2!, 'md'))).toBe('Participants discussed access and rights\n\nViews diverged on funding.\n');
  });

  it('exports of a version and of the live text are standalone files under a CSP that runs nothing (THREAT_MODEL)', async () => {
    for (const path of [`/versions/${versions.v1}/export?format=html`, '/export?format=html']) {
      const res = await call('GET', path, 'victor');
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toMatch(/^default-src 'none';/);
      expect(res.headers.get('content-disposition'), path).toMatch(/^inline; filename="[\w-]+\.html"$/);
      expect(await res.text(), path).toMatch(/^<!doctype html>/i);
    }
  });

  it("V5: the diff attributes every insertion to its writer's account and every deletion to the account that deleted it", async () => {
    const changes = (await people.carol.api.diff(docId, versions.v1!, versions.v2!)).changes;
    const key = (c: DiffChange): string => `${c.block} ${c.type} ${c.text}`;
    expect([...changes].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([
      { type: 'delete', text: 'agreed on', author: author('bob'), suggestedBy: null, block: 'b1', section: null },
      { type: 'insert', text: ' and rights', author: author('alice'), suggestedBy: null, block: 'b1', section: null },
      { type: 'insert', text: 'discussed', author: author('bob'), suggestedBy: null, block: 'b1', section: null },
      { type: 'insert', text: 'Views diverged on funding.', author: author('bob'), suggestedBy: null, block: 'b2', section: null },
    ]);
    // In document order: the first paragraph's changes before the second's.
    expect(changes.map((c) => c.block)).toEqual(['b1', 'b1', 'b1', 'b2']);
    expect(changes.findIndex((c) => c.text === ' and rights')).toBe(2);
    expect((await people.carol.api.diff(docId, versions.v2!, 'current')).changes).toEqual([]);
  });

  it('A4: a client reusing another account\'s client id is refused (4403) and history shows nothing of it', async () => {
    const before = await server.store.lastSeq(docId as never);
    const forger = new Y.Doc();
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(alice.doc));
    forger.clientID = alice.doc.clientID;
    const sv = Y.encodeStateVector(forger);
    textOf(forger.getXmlFragment('default'), 0).insert(0, 'Forged: ');
    const s = rawSocket(`${server.collabUrl}/${docId}?token=${people.bob.token}`);
    await s.opened();
    s.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    s.send(encodeSyncUpdate(Y.encodeStateAsUpdate(forger, sv)));
    expect((await s.closed).code).toBe(CloseCode.forbidden);
    await server.rooms.whenIdle();
    expect(await server.store.lastSeq(docId as never)).toBe(before);
    expect((await people.alice.api.diff(docId, versions.v2!, 'current')).changes).toEqual([]);
    const clients = await people.victor.api.authors(docId);
    expect(clients[String(alice.doc.clientID)]).toEqual(author('alice'));
    expect(clients[String(bob.doc.clientID)]).toEqual(author('bob'));
  });

  it('V4: commenters and viewers may read history but not name or restore (403); strangers get 404, public readers 403', async () => {
    for (const who of ['carol', 'victor'] as const) {
      expect((await call('POST', '/versions', who, { name: 'Mine' })).status).toBe(403);
      expect((await call('POST', `/versions/${versions.v1}/restore`, who)).status).toBe(403);
      expect((await call('GET', '/history', who)).status).toBe(200);
    }
    for (const path of ['/versions', `/versions/${versions.v1}/export?format=md`, `/diff?from=${versions.v1}&to=current`, '/authors', '/history', '/audit']) {
      expect((await call('GET', path, 'stranger')).status, path).toBe(404);
    }
    expect((await call('POST', '/versions', 'stranger', { name: 'Mine' })).status).toBe(404);
    await people.alice.api.updateDocument(docId, { visibility: 'public' });
    expect((await call('GET', '', 'stranger')).status).toBe(200);
    expect((await call('GET', '/history', 'stranger')).status).toBe(403);
    expect((await call('GET', `/versions/${versions.v1}/export?format=md`, 'stranger')).status).toBe(403);
    expect((await call('GET', '/versions', null)).status).toBe(401);
    await people.alice.api.updateDocument(docId, { visibility: 'private' });
    expect((await call('GET', '/audit', 'bob')).status).toBe(403);
    expect((await call('GET', '/versions/nope/export?format=md', 'bob')).status).toBe(404);
  });

  it('V5: a restore brings the old text to a client connected during it, as one edit by the restorer', async () => {
    const before = await server.store.lastSeq(docId as never);
    clock.advance(60 * 60_000);
    const restored = await people.bob.api.restoreVersion(docId, versions.v1!);
    expect(restored).toMatchObject({ kind: 'restore', name: 'Restored from “Circulated to the MAG, 1 March”', restoredFrom: versions.v1, createdBy: author('bob') });
    await waitFor(() => paragraphs(alice).join('|') === 'Participants agreed on access', { what: 'restored text at the stock client' });
    expect(await server.store.lastSeq(docId as never)).toBe(before + 1);
    expect(mdBody(await people.alice.api.exportDocument(docId, 'md'))).toBe('Participants agreed on access\n');
    const changes = (await people.alice.api.diff(docId, versions.v2!, restored.id)).changes;
    expect(changes.every((c) => c.author?.id === people.bob.user.id)).toBe(true);
    expect(changes.filter((c) => c.type === 'insert').map((c) => c.text).join('')).toBe('Participants agreed on access');
    expect(changes.filter((c) => c.type === 'delete').map((c) => c.text).join('')).toBe('Participants discussed access and rightsViews diverged on funding.');
    expect((await people.alice.api.listVersions(docId)).map((v) => v.id)).toEqual([restored.id, versions.v2, versions.v1]);
  });

  it('V5: each change names the section (heading) it comes under, for the per-section summary', async () => {
    const other = await createDocument(server.url, people.alice, 'Session report');
    const c = stockClient(server.collabUrl, other, people.alice);
    await c.synced();
    const body = c.doc.getXmlFragment('default');
    const stored = async (after: number): Promise<void> => {
      await waitFor(async () => (await server.store.lastSeq(other as never)) > after, { what: 'stored' });
      await server.rooms.whenIdle();
    };
    const heading = (blockId: string, text: string): Y.XmlElement => {
      const el = new Y.XmlElement('heading');
      el.setAttribute('blockId', blockId);
      el.setAttribute('level', 2 as never);
      el.insert(0, [new Y.XmlText(text)]);
      return el;
    };
    body.insert(0, [paragraph('p0', 'Opening'), heading('h1', 'Key takeaways'), paragraph('p1', 'One'), heading('h2', 'Way forward'), paragraph('p2', 'Two')]);
    await stored(0);
    const version = await people.alice.api.nameVersion(other, 'Before');
    let seq = await server.store.lastSeq(other as never);
    textOf(body, 2).insert(3, ' more');
    textOf(body, 4).delete(0, 3);
    await stored(seq);
    seq = await server.store.lastSeq(other as never);
    body.delete(3, 1); // the "Way forward" heading goes: its paragraph now comes under "Key takeaways"
    await stored(seq);
    const diff = await people.alice.api.diff(other, version.id, 'current');
    expect(diff.sections).toEqual([
      { block: 'h1', heading: 'Key takeaways' },
      { block: 'h2', heading: 'Way forward' },
    ]);
    expect(diff.changes.map((ch) => [ch.type, ch.text, ch.section])).toEqual([
      ['insert', ' more', 0],
      ['delete', 'Way forward', 1],
      ['delete', 'Two', 1],
    ]);
    c.destroy();
  });

  it('V5: a restore keeps the blocks it does not change, so anchors in them keep working', async () => {
    const other = await createDocument(server.url, people.alice, 'Chair summary');
    const c = stockClient(server.collabUrl, other, people.alice);
    await c.synced();
    const body = c.doc.getXmlFragment('default');
    const stored = async (): Promise<void> => {
      await waitFor(async () => (await server.store.lastSeq(other as never)) > 0, { what: 'stored' });
      await server.rooms.whenIdle();
    };
    c.doc.transact(() => body.insert(0, [paragraph('k1', 'Kept one'), paragraph('k2', 'Kept two'), paragraph('k3', 'Changed')]));
    await stored();
    const version = await people.alice.api.nameVersion(other, 'Before');
    const kept = Y.createRelativePositionFromTypeIndex(textOf(body, 1), 5);
    const before = await server.store.lastSeq(other as never);
    textOf(body, 2).insert(7, ' later');
    await waitFor(async () => (await server.store.lastSeq(other as never)) > before, { what: 'edit stored' });
    await server.rooms.whenIdle();
    await people.alice.api.restoreVersion(other, version.id);
    await waitFor(() => textOf(body, 2).toString() === 'Changed', { what: 'restore at the client' });
    expect(body.length).toBe(3);
    const abs = Y.createAbsolutePositionFromRelativePosition(kept, c.doc);
    expect(abs?.type).toBe(textOf(body, 1));
    expect(abs?.index).toBe(5);
    // The changed block came back as a copy; the kept ones are the same items.
    const changes = (await people.alice.api.diff(other, version.id, 'current')).changes;
    expect(changes.map((ch) => ch.block)).toEqual(['k3', 'k3']);
    c.destroy();
  });

  it('V1: the timeline groups edit sessions by author and time, newest first, paged; its entries are points in history', async () => {
    const first = await people.victor.api.history(docId, { limit: 2 });
    const second = await people.victor.api.history(docId, { limit: 2, before: first.next! });
    expect(second.next).toBeNull();
    const entries = [...first.entries, ...second.entries];
    expect(entries.map((e) => e.author?.id)).toEqual(['bob', 'alice', 'bob', 'alice'].map((w) => people[w as Who].user.id));
    expect(entries.map((e) => e.changes)).toEqual([1, 1, 2, 1]);
    expect(entries[2]!.from).toBe(new Date(clock.now() - 60 * 60_000 - 60_000).toISOString());
    // Bob's session ended before Alice appended: its state is the text then.
    expect(mdBody(await people.victor.api.exportVersion(docId, entries[2]!.id, 'md'))).toBe('Participants discussed access\n\nViews diverged on funding.\n');
    expect(((await people.victor.api.diff(docId, entries[3]!.id, entries[2]!.id)).changes).map((c) => c.author?.id)).toEqual([
      people.bob.user.id,
      people.bob.user.id,
      people.bob.user.id,
    ]);
    expect((await call('GET', '/history?before=bm90LWEtY3Vyc29y', 'victor')).status).toBe(400);
  });

  it('V6: the audit trail lists membership, visibility, versions and the restore, with who and when', async () => {
    const events = await people.alice.api.audit(docId);
    expect(events.map((e) => [e.action, e.actor?.id]).reverse()).toEqual([
      ['member.added', people.alice.user.id],
      ['member.added', people.alice.user.id],
      ['member.added', people.alice.user.id],
      ['version.named', people.alice.user.id],
      ['version.named', people.bob.user.id],
      ['visibility.changed', people.alice.user.id],
      ['visibility.changed', people.alice.user.id],
      ['version.restored', people.bob.user.id],
    ]);
    expect(events[0]!.details).toMatchObject({ restoredFrom: versions.v1 });
    expect(events.at(-1)!.details).toEqual({ userId: people.bob.user.id, role: 'editor' });
  });

  it("V5: text from an accepted suggestion is the accepter's edit, shown with the suggestion's author", async () => {
    const text = textOf(alice.doc.getXmlFragment('default'), 0);
    const at = (i: number): string => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i))).toString('base64');
    const start = 'Participants '.length;
    const comment = await people.carol.api.createComment(docId, {
      anchor: { type: 'range', start: at(start), end: at(start + 'agreed on'.length), quote: 'agreed on' },
      body: 'Softer, please',
      suggestion: 'noted',
    });
    const version = await people.bob.api.nameVersion(docId, 'Before the suggestion');
    await people.bob.api.acceptSuggestion(docId, comment.id);
    const changes = (await people.alice.api.diff(docId, version.id, 'current')).changes;
    expect(changes).toContainEqual({ type: 'insert', text: 'noted', author: author('bob'), suggestedBy: author('carol'), block: 'b1', section: null });
    expect(changes).toContainEqual({ type: 'delete', text: 'agreed on', author: author('bob'), suggestedBy: null, block: 'b1', section: null });
  });
});

describe('history checkpoints (SPEC V3)', () => {
  const id = 'doc-h' as DocumentId;
  const silent = createLogger('silent');

  async function storeWithLog(n: number): Promise<{ store: SqlDocumentStore; updates: Uint8Array[] }> {
    const store = await SqlDocumentStore.openSqlite({ file: ':memory:' });
    await store.createDocument({ id, title: 'T', now: 1 });
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const text = doc.getText('t');
    for (let i = 0; i < n; i++) {
      // Every third edit deletes the previous character: deleted text the states must keep.
      if (i % 3 === 2) text.delete(text.length - 1, 1);
      else text.insert(text.length, String.fromCharCode(97 + (i % 26)));
    }
    for (const u of updates) await store.appendUpdates(id, [{ data: u, author: 'u1', clientIds: [doc.clientID] }], 1);
    return { store, updates };
  }

  const expected = (updates: Uint8Array[], seq: number): string => {
    const d = new Y.Doc();
    for (const u of updates.slice(0, seq)) Y.applyUpdate(d, u);
    return d.getText('t').toString();
  };

  it('a rebuild writes checkpoints at the spacing it passes, and every state equals the log applied up to it', async () => {
    const { store, updates } = await storeWithLog(23);
    const history = new History(store, new ManualClock(), silent, { checkpointEveryRecords: 5, checkpointEveryBytes: 1 << 30 });
    (await history.stateAt(id, 23)).destroy();
    const seqs = [];
    for (let s = 23; ; ) {
      const cp = await store.historyCheckpointAtOrBefore(id, s);
      if (!cp) break;
      seqs.unshift(cp.seq);
      s = cp.seq - 1;
    }
    expect(seqs).toEqual([5, 10, 15, 20]);
    // Who deleted what, from the checkpoints' deletion indexes, equals decoding every record (V5).
    for (const [from, to] of [[0, 23], [3, 23], [5, 20], [7, 12], [10, 10]] as const) {
      const direct = deletersOf(await store.readLogRecords(id, from, to));
      expect(await history.deletionsBetween(id, from, to), `${from}..${to}`).toEqual(direct);
    }
    expect((await store.listHistoryDeletions(id, 0, 23)).map((d) => [d.fromSeq, d.seq])).toEqual([
      [0, 5],
      [5, 10],
      [10, 15],
      [15, 20],
    ]);
    for (let seq = 0; seq <= 23; seq++) {
      const state = await history.stateAt(id, seq);
      expect(state.getText('t').toString(), `seq ${seq}`).toBe(expected(updates, seq));
      // Deleted text is still there for diffs (no garbage collection).
      expect(state.gc).toBe(false);
      state.destroy();
    }
    await store.close();
  });

  it('background checkpoints wait until the document is quiet, or at most maxWaitMs, so live typing never shares the event loop with them', async () => {
    const { store } = await storeWithLog(23);
    const clock = new ManualClock();
    const history = new History(store, clock, silent, { checkpointEveryRecords: 5, checkpointEveryBytes: 1 << 30, quietMs: 1000, maxWaitMs: 3000 });
    const written = () => store.lastHistoryCheckpointSeq(id);
    const settle = async () => {
      for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    };
    // Stores keep coming every 500 ms: not quiet, so nothing is built…
    for (let seq = 10; seq <= 14; seq++) {
      history.noteStored(id, seq);
      clock.advance(500);
      await settle();
      expect(await written(), `after the store of ${seq}`).toBe(0);
    }
    // …until the longest wait runs out (3 s after the first), whatever the stores.
    history.noteStored(id, 15);
    clock.advance(500);
    await settle();
    expect(await written()).toBe(15);
    // A quiet second after stores that make the next one due.
    history.noteStored(id, 21);
    clock.advance(999);
    await settle();
    expect(await written()).toBe(15);
    clock.advance(1);
    await settle();
    expect(await written()).toBe(20);
    await history.close();
    await store.close();
  });

  it('a checkpoint taken while Yjs holds a record aside (missing dependency) keeps it', async () => {
    const store = await SqlDocumentStore.openSqlite({ file: ':memory:' });
    await store.createDocument({ id, title: 'T', now: 1 });
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 6; i++) doc.getText('t').insert(i, String(i));
    // Stored out of order: record 1 depends on one stored later (R10 keeps both).
    const order = [updates[1]!, updates[0]!, ...updates.slice(2)];
    for (const u of order) await store.appendUpdates(id, [{ data: u, author: 'u1', clientIds: [doc.clientID] }], 1);
    const history = new History(store, new ManualClock(), silent, { checkpointEveryRecords: 1, checkpointEveryBytes: 1 << 30 });
    (await history.stateAt(id, 6)).destroy();
    const first = await store.historyCheckpointAtOrBefore(id, 1);
    expect(first?.seq).toBe(1);
    const d = new Y.Doc();
    Y.applyUpdate(d, first!.data);
    expect(d.getText('t').toString()).toBe('');
    Y.applyUpdate(d, updates[0]!);
    expect(d.getText('t').toString()).toBe('01');
    // Every later state, rebuilt from these checkpoints, holds the record.
    const fresh = new History(store, new ManualClock(), silent);
    for (let seq = 2; seq <= 6; seq++) {
      const state = await fresh.stateAt(id, seq);
      expect(state.getText('t').toString()).toBe('012345'.slice(0, seq));
      state.destroy();
    }
    await store.close();
  });
});
