import type { ConsensusMarker, DocumentId } from '@rapporteur/protocol';
import type { DocumentStore } from '@rapporteur/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

/**
 * The contract every DocumentStore implementation passes (SPEC.md S1–S5).
 * `open` returns a fresh, empty store; `reopen`, when given, closes and
 * reopens the same storage (for durability checks).
 */
export function storeContract(
  name: string,
  open: () => Promise<DocumentStore>,
  reopen?: (store: DocumentStore) => Promise<DocumentStore>,
): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;
    const id = 'doc-1' as DocumentId;

    beforeEach(async () => {
      store = await open();
      await store.createDocument({ id, title: 'First', now: 1000 });
    });

    afterEach(async () => {
      await store.close();
    });

    const update = (text: string): Uint8Array => {
      const d = new Y.Doc();
      d.getText('t').insert(0, text);
      return Y.encodeStateAsUpdate(d);
    };

    it('creates, gets, lists and renames documents', async () => {
      await store.createDocument({ id: 'doc-2' as DocumentId, title: 'Second', now: 2000 });
      expect((await store.getDocument(id))?.title).toBe('First');
      expect(await store.getDocument('missing' as DocumentId)).toBeNull();
      expect((await store.listDocuments()).map((d) => d.id)).toEqual(['doc-2', 'doc-1']);
      const renamed = await store.renameDocument(id, 'Renamed', 3000);
      expect(renamed).toMatchObject({ title: 'Renamed', updatedAt: 3000, createdAt: 1000 });
      expect(await store.renameDocument('missing' as DocumentId, 'x', 1)).toBeNull();
    });

    it('refuses a duplicate document id', async () => {
      await expect(store.createDocument({ id, title: 'Again', now: 1 })).rejects.toThrow();
    });

    it('S2: appends numbered updates in order and keeps author and client ids', async () => {
      const a = await store.appendUpdates(id, [{ data: update('a'), author: null, clientIds: [1] }], 10);
      const b = await store.appendUpdates(
        id,
        [
          { data: update('b'), author: 'u1', clientIds: [2] },
          { data: update('c'), author: 'u1', clientIds: [2, 3] },
        ],
        11,
      );
      expect(a.lastSeq).toBe(1);
      expect(b.lastSeq).toBe(3);
      const log = await store.readLog(id);
      expect(log.map((u) => u.seq)).toEqual([1, 2, 3]);
      expect((await store.getDocument(id))?.updatedAt).toBe(11);
    });

    it('S3: appends made in the same tick are all stored, with distinct sequence numbers', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.appendUpdates(id, [{ data: update(`x${i}`), author: null, clientIds: [i] }], 20)),
      );
      expect(new Set(results.map((r) => r.lastSeq)).size).toBe(50);
      expect((await store.readLog(id)).length).toBe(50);
    });

    it('S4: load returns the newest checkpoint and only the updates after it; history is kept', async () => {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (const ch of 'abcdef') doc.getText('t').insert(doc.getText('t').length, ch);
      for (const u of updates.slice(0, 4)) await store.appendUpdates(id, [{ data: u, author: null, clientIds: [doc.clientID] }], 30);
      const partial = new Y.Doc();
      for (const u of updates.slice(0, 4)) Y.applyUpdate(partial, u);
      await store.writeCheckpoint(id, 4, Y.encodeStateAsUpdate(partial), 31);
      for (const u of updates.slice(4)) await store.appendUpdates(id, [{ data: u, author: null, clientIds: [doc.clientID] }], 32);

      const loaded = await store.loadDocument(id);
      expect(loaded.checkpoint?.seq).toBe(4);
      expect(loaded.updates.map((u) => u.seq)).toEqual([5, 6]);
      expect(loaded.lastSeq).toBe(6);
      const rebuilt = new Y.Doc();
      Y.applyUpdate(rebuilt, loaded.checkpoint!.data);
      for (const u of loaded.updates) Y.applyUpdate(rebuilt, u.data);
      expect(rebuilt.getText('t').toString()).toBe('abcdef');
      // The log is never compacted away.
      expect((await store.readLog(id)).length).toBe(6);
      const stats = await store.historyStats(id);
      expect(stats.updates).toBe(6);
      expect(stats.checkpoints).toBe(1);
    });

    it('S4: only the newest checkpoint is kept; the log is untouched', async () => {
      for (let seq = 1; seq <= 5; seq++) {
        await store.appendUpdates(id, [{ data: update(String(seq)), author: null, clientIds: [seq] }], seq);
        await store.writeCheckpoint(id, seq, update(`state ${seq}`), seq);
      }
      const stats = await store.historyStats(id);
      expect(stats.checkpoints).toBe(1);
      expect(stats.updates).toBe(5);
      expect((await store.loadDocument(id)).checkpoint?.seq).toBe(5);
    });

    it('V1: log records carry their seq range, author and time; the timeline reads them newest first', async () => {
      const b = update('b');
      await store.appendUpdates(id, [{ data: update('a'), author: 'u1', clientIds: [1] }], 10);
      await store.appendUpdates(
        id,
        [
          { data: b, author: 'u2', clientIds: [2] },
          { data: update('c'), author: null, clientIds: [3] },
        ],
        11,
      );
      expect(await store.lastSeq(id)).toBe(3);
      const records = await store.readLogRecords(id, 1, 3);
      expect(records.map(({ data: _d, ...meta }) => meta)).toEqual([
        { firstSeq: 2, seq: 2, author: 'u2', createdAt: 11, firstCreatedAt: 11 },
        { firstSeq: 3, seq: 3, author: null, createdAt: 11, firstCreatedAt: 11 },
      ]);
      expect(Buffer.from(records[0]!.data)).toEqual(Buffer.from(b));
      expect((await store.listLogMeta(id, 3, 10)).map((r) => [r.seq, r.author])).toEqual([
        [2, 'u2'],
        [1, 'u1'],
      ]);
      expect((await store.listLogMeta(id, 4, 1)).map((r) => r.seq)).toEqual([3]);
    });

    it('V2: versions are stored with their seq and audit event, newest first, and never beyond the log', async () => {
      await store.appendUpdates(id, [{ data: update('a'), author: 'u1', clientIds: [1] }], 10);
      await store.appendUpdates(id, [{ data: update('b'), author: 'u1', clientIds: [1] }], 11);
      const first = { id: 'v1', documentId: id, seq: 1, name: 'One', kind: 'named' as const, restoredFrom: null, createdBy: 'u1', createdAt: 12 };
      const second = { ...first, id: 'v2', seq: 2, name: 'Two', kind: 'restore' as const, restoredFrom: 'v1', createdAt: 13 };
      await store.createVersion(first, { actorId: 'u1', action: 'version.named', details: { versionId: 'v1' } });
      await store.createVersion(second, { actorId: 'u1', action: 'version.restored', details: { versionId: 'v2' } });
      await expect(
        store.createVersion({ ...first, id: 'v3', seq: 3 }, { actorId: 'u1', action: 'version.named', details: {} }),
      ).rejects.toThrow();
      expect((await store.listVersions(id)).map((v) => v.id)).toEqual(['v2', 'v1']);
      expect(await store.getVersion(id, 'v2')).toEqual(second);
      expect(await store.getVersion(id, 'v3')).toBeNull();
      expect(await store.getVersion('doc-2' as DocumentId, 'v1')).toBeNull();
      // The version and its audit event are one write; the refused one left no event.
      expect((await store.listAudit(id, { limit: 10 })).map((e) => [e.action, e.details])).toEqual([
        ['version.restored', { versionId: 'v2' }],
        ['version.named', { versionId: 'v1' }],
      ]);
    });

    it('V3: history checkpoints are kept as written (only compaction drops any) and never claim a seq the log does not hold', async () => {
      for (let seq = 1; seq <= 4; seq++) {
        await store.appendUpdates(id, [{ data: update(String(seq)), author: null, clientIds: [seq] }], seq);
        await store.writeHistoryCheckpoint(id, seq, update(`state ${seq}`), seq);
      }
      await expect(store.writeHistoryCheckpoint(id, 5, update('ahead'), 5)).rejects.toThrow();
      // Only checkpoints with a deletion index, lying within the range, are listed.
      expect(await store.listHistoryDeletions(id, 0, 4)).toEqual([]);
      await store.appendUpdates(id, [{ data: update('5'), author: null, clientIds: [5] }], 5);
      await store.appendUpdates(id, [{ data: update('6'), author: null, clientIds: [6] }], 6);
      await store.writeHistoryCheckpoint(id, 6, update('state 6'), 6, { fromSeq: 4, index: new Uint8Array([1, 2]) });
      await expect(store.writeHistoryCheckpoint(id, 5, update('state 5'), 6, { fromSeq: 5, index: new Uint8Array() })).rejects.toThrow();
      expect(await store.listHistoryDeletions(id, 4, 6)).toEqual([{ fromSeq: 4, seq: 6, index: new Uint8Array([1, 2]) }]);
      expect(await store.listHistoryDeletions(id, 5, 6)).toEqual([]);
      expect(await store.listHistoryDeletions(id, 4, 5)).toEqual([]);
      expect(await store.lastHistoryCheckpointSeq(id)).toBe(6);
      expect((await store.historyCheckpointAtOrBefore(id, 3))?.seq).toBe(3);
      expect(await store.historyCheckpointAtOrBefore(id, 0)).toBeNull();
      const stats = await store.historyStats(id);
      expect(stats.historyCheckpoints).toBe(5);
      expect(stats.historyCheckpointBytes).toBeGreaterThan(0);
      // The load path's checkpoints are a separate, pruned cache.
      expect(stats.checkpoints).toBe(0);
    });

    it('V6: audit events are appended and listed newest first, paged by id', async () => {
      const a = await store.appendAudit(id, { actorId: 'u1', action: 'member.added', details: { userId: 'u2', role: 'editor' } }, 50);
      const b = await store.appendAudit(id, { actorId: null, action: 'visibility.changed', details: { to: 'public' } }, 51);
      expect(b.id).toBeGreaterThan(a.id);
      expect(await store.listAudit(id, { limit: 10 })).toEqual([b, a]);
      expect(await store.listAudit(id, { beforeId: b.id, limit: 10 })).toEqual([a]);
    });

    it('K1: marker changes are stored with their update, as marker events and audit events by its author at its time', async () => {
      const consensus: ConsensusMarker = { level: 'consensus', basis: 'in-room-check' };
      const divergence: ConsensusMarker = { level: 'divergence', basis: 'chair-designation', views: [{ text: 'v', groups: ['media'] }] };
      await store.appendUpdates(id, [{ data: update('a'), author: 'u1', clientIds: [1], markers: [{ blockId: 'b1', marker: consensus, previous: null, cause: 'set' }] }], 100);
      await store.appendUpdates(
        id,
        [
          { data: update('b'), author: 'u2', clientIds: [2], markers: [{ blockId: 'b2', marker: divergence, previous: null, cause: 'set' }] },
          { data: update('c'), author: 'u2', clientIds: [2], markers: [{ blockId: 'b1', marker: null, previous: consensus, cause: 'block-deleted' }] },
        ],
        200,
      );
      const latest = (await store.latestMarkerEvents(id)).sort((x, y) => x.blockId.localeCompare(y.blockId));
      expect(latest).toEqual([
        { documentId: id, blockId: 'b1', level: null, actorId: 'u2', seq: 3, createdAt: 200 },
        { documentId: id, blockId: 'b2', level: 'divergence', actorId: 'u2', seq: 2, createdAt: 200 },
      ]);
      expect((await store.listAudit(id, { limit: 10 })).map((e) => [e.action, e.actorId, e.details, e.createdAt])).toEqual([
        ['marker.removed', 'u2', { blockId: 'b1', level: null, previousLevel: 'consensus', blockDeleted: true, seq: 3 }, 200],
        ['marker.set', 'u2', { blockId: 'b2', level: 'divergence', previousLevel: null, seq: 2 }, 200],
        ['marker.set', 'u1', { blockId: 'b1', level: 'consensus', previousLevel: null, seq: 1 }, 100],
      ]);
      expect(await store.latestMarkerEvents('doc-2' as DocumentId)).toEqual([]);
    });

    it('O3: ping answers while open and rejects once closed', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toThrow();
    });

    it('an empty document loads as nothing', async () => {
      const loaded = await store.loadDocument(id);
      expect(loaded).toEqual({ checkpoint: null, updates: [], lastSeq: 0 });
    });

    it('WF1: a new document is drafting, never moved, with no deadline', async () => {
      expect(await store.getDocument(id)).toMatchObject({ status: 'drafting', statusChangedAt: null, deadline: null });
      expect((await store.listDocuments())[0]).toMatchObject({ status: 'drafting', deadline: null });
    });

    it('WF1, WF6: changeWorkflow moves the status, sets the deadline and period, with its audit events, in one go', async () => {
      const audit = [
        { actorId: 'u1', action: 'status.changed', details: { from: 'drafting', to: 'review' } },
        { actorId: 'u1', action: 'deadline.set', details: { at: 'x' } },
      ];
      const result = await store.changeWorkflow(
        id,
        {
          status: { from: 'drafting', to: 'review' },
          deadline: { at: 5000, timeZone: 'Asia/Riyadh' },
          commentPeriod: { opensAt: 100, closesAt: 200 },
        },
        audit,
        70,
      );
      expect(result?.applied).toBe(true);
      expect(result?.record).toMatchObject({
        status: 'review',
        statusChangedAt: 70,
        updatedAt: 70,
        deadline: { at: 5000, timeZone: 'Asia/Riyadh' },
        commentPeriod: { opensAt: 100, closesAt: 200 },
      });
      expect(await store.getDocument(id)).toEqual(result?.record);
      expect((await store.listAudit(id, { limit: 10 })).map((e) => [e.action, e.actorId, e.createdAt])).toEqual([
        ['deadline.set', 'u1', 70],
        ['status.changed', 'u1', 70],
      ]);
      const cleared = await store.changeWorkflow(id, { deadline: null }, [{ actorId: 'u1', action: 'deadline.cleared', details: {} }], 71);
      expect(cleared?.record).toMatchObject({ status: 'review', statusChangedAt: 70, deadline: null });
      expect(await store.changeWorkflow('missing' as DocumentId, { deadline: null }, [], 72)).toBeNull();
    });

    it('WF1: a move from a status the document has left changes nothing at all, audit included', async () => {
      await store.changeWorkflow(id, { status: { from: 'drafting', to: 'review' } }, [], 70);
      const stale = await store.changeWorkflow(
        id,
        { status: { from: 'drafting', to: 'review' }, deadline: { at: 1, timeZone: 'UTC' } },
        [{ actorId: 'u2', action: 'status.changed', details: {} }],
        80,
      );
      expect(stale).toMatchObject({ applied: false, record: { status: 'review', statusChangedAt: 70, deadline: null } });
      expect(await store.listAudit(id, { limit: 10 })).toEqual([]);
    });

    it('WF5: an append to a final or published document moves it to revising in the same transaction, audited by its author', async () => {
      const plain = await store.appendUpdates(id, [{ data: update('a'), author: 'u1', clientIds: [1] }], 10);
      expect(plain.statusMove).toBeUndefined();
      expect((await store.getDocument(id))?.status).toBe('drafting');
      for (const done of ['final', 'published'] as const) {
        await store.changeWorkflow(id, { status: { from: (await store.getDocument(id))!.status, to: done } }, [], 20);
        const moved = await store.appendUpdates(
          id,
          [
            { data: update('b'), author: 'u2', clientIds: [2] },
            { data: update('c'), author: 'u3', clientIds: [3] },
          ],
          30,
        );
        expect(moved.statusMove).toEqual({ from: done, to: 'revising' });
        expect(await store.getDocument(id)).toMatchObject({ status: 'revising', statusChangedAt: 30 });
        const [event] = await store.listAudit(id, { limit: 1 });
        expect(event).toMatchObject({ actorId: 'u2', action: 'status.changed', createdAt: 30, details: { from: done, to: 'revising', cause: 'edit', seq: moved.lastSeq - 1 } });
        // The next edit finds it revising: nothing more moves.
        expect((await store.appendUpdates(id, [{ data: update('d'), author: 'u2', clientIds: [2] }], 40)).statusMove).toBeUndefined();
      }
    });

    it('WF7, WF8: lists filter by status and due deadlines, overdue first, then by deadline, then recently updated', async () => {
      const make = async (docId: string, updatedAt: number, status: 'drafting' | 'review' | 'final', deadline: number | null) => {
        await store.createDocument({ id: docId as DocumentId, title: docId, now: updatedAt });
        const change = {
          ...(status !== 'drafting' ? { status: { from: 'drafting' as const, to: status } } : {}),
          ...(deadline !== null ? { deadline: { at: deadline, timeZone: 'UTC' } } : {}),
        };
        if (Object.keys(change).length > 0) await store.changeWorkflow(docId as DocumentId, change, [], updatedAt);
      };
      const now = 10_000;
      await make('late', 100, 'review', 9_000);
      await make('later', 200, 'drafting', 5_000);
      await make('soon', 300, 'drafting', 12_000);
      await make('far', 400, 'review', 50_000);
      await make('done', 900, 'final', 1_000);
      await make('none-old', 500, 'drafting', null);
      await make('none-new', 800, 'review', null);
      const ids = (docs: Array<{ id: string }>) => docs.map((d) => d.id).filter((d) => d !== id);
      expect(ids(await store.listDocuments({ order: 'deadline' }))).toEqual(['later', 'late', 'soon', 'far', 'done', 'none-new', 'none-old']);
      expect(ids(await store.listDocuments({ order: 'deadline', status: 'review' }))).toEqual(['late', 'far', 'none-new']);
      expect(ids(await store.listDocuments({ order: 'deadline', deadlineUpTo: now }))).toEqual(['later', 'late']);
      expect(ids(await store.listDocuments({ order: 'deadline', deadlineUpTo: 20_000, status: 'drafting' }))).toEqual(['later', 'soon']);
      // Members' lists (listDocumentsOf) take the same query: tests/integration/workflow.test.ts.
    });

    if (reopen) {
      it('S1: everything that resolved is there after reopening', async () => {
        await store.appendUpdates(id, [{ data: update('durable'), author: null, clientIds: [7] }], 40);
        store = await reopen(store);
        const loaded = await store.loadDocument(id);
        const d = new Y.Doc();
        for (const u of loaded.updates) Y.applyUpdate(d, u.data);
        expect(d.getText('t').toString()).toBe('durable');
      });
    }
  });
}
