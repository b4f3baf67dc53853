import { type DocumentId, MessageType } from '@rapporteur/protocol';
import { createLogger, type DocumentStore, type RoomMember, RoomManager, SqliteDocumentStore } from '@rapporteur/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ManualClock } from '../support/manualClock';
import { waitFor } from '../support/wait';

const log = createLogger('warn');
const id = 'room-doc' as DocumentId;

/** A real store that counts loads and can be told to fail appends. */
class CountingStore extends SqliteDocumentStore {
  loads = 0;
  failAppends = 0;
  override async loadDocument(docId: DocumentId) {
    this.loads++;
    return super.loadDocument(docId);
  }
  override async appendUpdates(...args: Parameters<DocumentStore['appendUpdates']>) {
    if (this.failAppends > 0) {
      this.failAppends--;
      throw new Error('disk full (simulated by the test store)');
    }
    return super.appendUpdates(...args);
  }
}

class Member implements RoomMember {
  frames: Uint8Array[] = [];
  closed: { code: number; reason: string } | null = null;
  send(frame: Uint8Array) {
    this.frames.push(frame);
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
  }
}

function textUpdate(text: string): Uint8Array {
  const d = new Y.Doc();
  d.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(d);
}

describe('rooms (SPEC R1–R6)', () => {
  let store: CountingStore;
  let clock: ManualClock;
  let rooms: RoomManager;

  beforeEach(async () => {
    store = new CountingStore({ file: ':memory:' });
    clock = new ManualClock();
    rooms = new RoomManager(store, clock, log, {
      idleMs: 1000,
      checkpointEveryUpdates: 3,
      checkpointEveryBytes: 1 << 30,
      maxDocumentBytes: 1 << 20,
      saveRetryMs: 100,
    });
    await store.createDocument({ id, title: 't', now: 0 });
  });

  afterEach(async () => {
    await rooms.shutdown();
    await store.close();
  });

  it('R1: a document is loaded once however many open it at the same time', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, () => rooms.open(id)));
    expect(new Set(all).size).toBe(1);
    expect(store.loads).toBe(1);
  });

  it('R1: an unknown document is refused', async () => {
    await expect(rooms.open('nope' as DocumentId)).rejects.toThrow('Document not found');
  });

  it('R3/R4: an update is acknowledged and broadcast only after it is stored', async () => {
    const room = await rooms.open(id);
    const a = new Member();
    const b = new Member();
    room.join(a);
    room.join(b);
    let stored = false;
    room.submit({ from: a, update: textUpdate('x'), author: null, clientIds: [1], onStored: () => (stored = true) });
    expect(b.frames.length).toBe(0);
    await waitFor(() => stored, { what: 'stored' });
    expect((await store.readLog(id)).length).toBe(1);
    expect(b.frames.map((f) => f[0])).toEqual([MessageType.sync]);
    expect(a.frames.length).toBe(0); // never echoed to its sender
  });

  it('R6: when saving fails the update stays in memory, readers wait, and the save is retried', async () => {
    const room = await rooms.open(id);
    const a = new Member();
    room.join(a);
    store.failAppends = 2;
    let stored = false;
    let read = false;
    room.submit({ from: a, update: textUpdate('retry me'), author: null, clientIds: [1], onStored: () => (stored = true) });
    await waitFor(() => clock.pendingTimers > 0, { what: 'first retry scheduled' });
    room.afterStored(() => (read = true));
    expect(stored || read).toBe(false);
    clock.advance(100);
    await waitFor(() => clock.pendingTimers > 0, { what: 'second retry scheduled' });
    clock.advance(200);
    await waitFor(() => stored && read, { what: 'stored after retries' });
    expect((await store.readLog(id)).length).toBe(1);
  });

  it('R5: an empty room is unloaded after the idle delay, with a checkpoint, and reloads intact', async () => {
    const room = await rooms.open(id);
    const a = new Member();
    room.join(a);
    let stored = false;
    room.submit({ from: a, update: textUpdate('kept'), author: null, clientIds: [1], onStored: () => (stored = true) });
    await waitFor(() => stored, { what: 'stored' });
    room.leave(a, []);
    rooms.released(room);
    clock.advance(999);
    expect(rooms.size).toBe(1);
    clock.advance(1);
    await waitFor(() => rooms.size === 0, { what: 'unloaded' });
    expect((await store.historyStats(id)).checkpoints).toBe(1);
    const again = await rooms.open(id);
    expect(again).not.toBe(room);
    expect(again.doc.getText('t').toString()).toBe('kept');
  });

  it('R5: a room with a member is never unloaded', async () => {
    const room = await rooms.open(id);
    room.join(new Member());
    rooms.released(room);
    clock.advance(10_000);
    expect(rooms.size).toBe(1);
  });

  it('R7: a checkpoint is written in the background after enough updates; the log is kept', async () => {
    const room = await rooms.open(id);
    const a = new Member();
    room.join(a);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (const ch of 'abcd') doc.getText('t').insert(0, ch);
    let acks = 0;
    for (const u of updates) room.submit({ from: a, update: u, author: null, clientIds: [doc.clientID], onStored: () => acks++ });
    await waitFor(() => acks === 4, { what: 'all stored' });
    await room.whenIdle();
    const stats = await store.historyStats(id);
    expect(stats.checkpoints).toBeGreaterThanOrEqual(1);
    expect(stats.updates).toBe(4);
  });

  it('R11: senders are told to back off when too much waits to be stored', async () => {
    const busy = new RoomManager(store, clock, log, {
      idleMs: 1000,
      checkpointEveryUpdates: 100,
      checkpointEveryBytes: 1 << 30,
      maxDocumentBytes: 1 << 20,
      maxQueuedBytes: 100,
    });
    const room = await busy.open(id);
    const m = new Member();
    expect(room.submit({ from: m, update: textUpdate('a'.repeat(60)), author: null, clientIds: [1], onStored: () => {} })).toBeNull();
    expect(room.submit({ from: m, update: textUpdate('b'.repeat(60)), author: null, clientIds: [2], onStored: () => {} })).toBe('overloaded');
    await room.whenIdle();
    await busy.shutdown();
  });

  it('refuses updates that would make the document too large', async () => {
    const small = new RoomManager(store, clock, log, {
      idleMs: 1000,
      checkpointEveryUpdates: 100,
      checkpointEveryBytes: 1 << 30,
      maxDocumentBytes: 64,
    });
    const room = await small.open(id);
    const refusal = room.submit({ from: new Member(), update: textUpdate('x'.repeat(200)), author: null, clientIds: [1], onStored: () => {} });
    expect(refusal).toBe('document-too-large');
    await small.shutdown();
  });
});
