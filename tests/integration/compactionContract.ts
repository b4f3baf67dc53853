import type { DocumentId } from '@rapporteur/protocol';
import { Compactor, createLogger, type Database, deletersOf, diffStates, History, LeaseLostError, type LogRecord, SqlDocumentStore, timeline } from '@rapporteur/server';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ManualClock } from '../support/manualClock';
import { Random } from '../support/random';

const MINUTE = 60_000;
const OPTIONS = { afterMs: 60 * MINUTE, windowMs: 5 * MINUTE, sweepMs: 5 * MINUTE };
const root = (doc: Y.Doc) => doc.getText('t');

/**
 * Compaction of the update log (SPEC S2, V2) on each backend: old records
 * merge per author and time window into records covering a range of seqs,
 * never across a version, and every point the log still has — the versions,
 * the merged records' ends, the records too young to merge — rebuilds to the
 * same state, with the same authors in a diff, as before.
 */
export function compactionContract(
  backend: string,
  open: () => Promise<Database & { another?: () => Promise<Database> }>,
  options: { readonly instances: boolean; readonly file: boolean },
): void {
  describe(`Compaction of the update log: ${backend}`, () => {
    let database: Database & { another?: () => Promise<Database> };
    let store: SqlDocumentStore;
    let clock: ManualClock;
    let history: History;
    let compactor: Compactor;
    const id = 'doc-c' as DocumentId;
    const log = createLogger('silent');

    beforeEach(async () => {
      database = await open();
      for (const u of ['alice', 'bob']) {
        await sql`INSERT INTO users (id, email, password_hash, name, stakeholder_group, region, created_at, updated_at)
                  VALUES (${u}, ${`${u}@example.org`}, 'h', ${u}, 'academia', 'other', 1, 1)`.execute(database.db);
      }
      store = new SqlDocumentStore(database);
      clock = new ManualClock();
      history = new History(store, clock, log, { checkpointEveryRecords: 40, checkpointEveryBytes: 1 << 30 });
      compactor = new Compactor(store, history, clock, log, OPTIONS);
      await store.createDocument({ id, title: 'Compaction', now: clock.now(), ownerId: 'alice' });
    });

    afterEach(async () => {
      await compactor.stop();
      await history.close();
      await store.close();
      await database.close();
    });

    /**
     * Two writers edit one text, each edit one record stored `stepMs` after
     * the previous one: alice in runs of a few records, bob now and then
     * (each record the other writer's with `switchChance`).
     */
    async function write(seed: number, records: number, stepMs: number, only?: 'alice', switchChance = 0.2): Promise<void> {
      const random = new Random(seed);
      const docs = { alice: new Y.Doc(), bob: new Y.Doc() };
      // Each starts from what is stored, so their edits build on one another.
      const stored = await store.readLog(id);
      for (const d of Object.values(docs)) for (const u of stored) Y.applyUpdate(d, u.data);
      let author: 'alice' | 'bob' = 'alice';
      for (let i = 0; i < records; i++) {
        if (!only && random.chance(switchChance)) author = author === 'alice' ? 'bob' : 'alice';
        const doc = docs[author];
        const text = doc.getText('t');
        let update: Uint8Array | null = null;
        doc.once('update', (u: Uint8Array) => (update = u));
        doc.transact(() => {
          if (text.length > 4 && random.chance(0.3)) text.delete(random.int(text.length - 2), 1 + random.int(2));
          else text.insert(random.int(text.length + 1), random.word());
        });
        Y.applyUpdate(docs[author === 'alice' ? 'bob' : 'alice'], update!);
        await store.appendUpdates(id, [{ data: update!, author, clientIds: [doc.clientID] }], clock.now());
        clock.advance(stepMs);
      }
    }

    /** A point's text, what it has seen (state vector) and what it deleted (its delete set, canonical ranges). */
    async function pointAt(seq: number): Promise<{ text: string; seen: number[]; deleted: string }> {
      const doc = await history.stateAt(id, seq);
      const text = root(doc).toString();
      const seen = [...Y.encodeStateVector(doc)];
      const ds = Y.createDeleteSetFromStructStore(doc.store);
      const deleted = JSON.stringify([...ds.clients].sort((a, b) => a[0] - b[0]).map(([c, items]) => [c, items.map((d) => [d.clock, d.len])]));
      doc.destroy();
      return { text, seen, deleted };
    }

    async function diffBetween(from: number, to: number): Promise<Array<{ type: string; text: string; authorId: string | null }>> {
      const a = await history.stateAt(id, from);
      const b = await history.stateAt(id, to);
      const changes = diffStates(a, b, root, await store.loadClientBindings(id), await history.deletionsBetween(id, from, to)).changes;
      a.destroy();
      b.destroy();
      return changes.map((c) => ({ type: c.type, text: c.text, authorId: c.authorId }));
    }

    it('S2, V2: old records merge per author and window, never across a version; every point kept rebuilds as before, with the same authors', async () => {
      await write(11, 240, 15_000); // an hour of editing
      await store.createVersion({ id: 'v1', documentId: id, seq: 97, name: 'Mid-morning', kind: 'named', restoredFrom: null, createdBy: 'alice', createdAt: clock.now() }, { actorId: 'alice', action: 'version.named', details: {} });
      await history.checkpointAt(id, 97);
      await write(12, 120, 15_000); // half an hour more
      const last = await store.lastSeq(id);
      expect(last).toBe(360);
      (await history.stateAt(id, last)).destroy(); // history checkpoints every 40 records, as a long-lived document has
      // The room's checkpoint, as a load reads it.
      const live = new Y.Doc();
      for (const u of await store.readLog(id, 0)) Y.applyUpdate(live, u.data);
      await store.writeCheckpoint(id, 300, Y.encodeStateAsUpdate(live), clock.now());
      const historyBefore = await store.historyStats(id);
      expect(historyBefore.historyCheckpoints).toBeGreaterThan(5);

      const before = {
        atVersion: await pointAt(97),
        end: await pointAt(last),
        diff: await diffBetween(97, last),
        fromStart: await diffBetween(0, 97),
      };
      const cutoff = clock.now() - OPTIONS.afterMs;

      const result = await compactor.compactDocument(id);
      expect(result.records).toBeGreaterThan(80); // the first half hour of the hour and a half
      expect(result.merged).toBeLessThan(result.records / 3);

      // The log: contiguous spans, each merged one record per author within the window, not across the version; the young untouched.
      const records = await store.readLogRecords(id, 0, last);
      const spans = spansOf(records);
      let previous = 0;
      for (const span of spans) {
        expect(span.firstSeq).toBe(previous + 1);
        previous = span.lastSeq;
        if (span.merged) {
          expect(span.records.every((r) => r.createdAt < cutoff)).toBe(true);
          expect(span.firstSeq <= 97 && 97 < span.lastSeq).toBe(false);
          expect(new Set(span.records.map((r) => r.author)).size).toBe(span.records.length);
          expect(span.records.at(-1)!.createdAt - span.records[0]!.firstCreatedAt).toBeLessThan(OPTIONS.windowMs + 15_000);
        }
        for (const r of span.records) if (r.createdAt >= cutoff) expect(span.merged).toBe(false);
      }
      expect(previous).toBe(last);
      expect(records.length).toBe(last - result.records + result.merged);
      expect(await store.compactedSeq(id)).toBe(result.throughSeq);
      const meta = await store.listLogMeta(id, last + 1, 1000);
      expect(new Set(meta.filter((m) => m.firstSeq < m.seq).map((m) => m.author))).toEqual(new Set(['alice', 'bob']));

      // Every point the log has answers as before; history checkpoints inside merged records are gone.
      expect(await pointAt(97)).toEqual(before.atVersion);
      expect(await pointAt(last)).toEqual(before.end);
      for (const span of spans.filter((x) => x.merged).slice(0, 5)) {
        const exact = new Y.Doc({ gc: false });
        for (const u of (await store.readLogRecords(id, 0, span.lastSeq))) Y.applyUpdate(exact, u.data);
        expect((await pointAt(span.lastSeq)).text).toBe(root(exact).toString());
        exact.destroy();
      }
      expect(await diffBetween(97, last)).toEqual(before.diff);
      expect(await diffBetween(0, 97)).toEqual(before.fromStart);
      const merged = records.filter((r) => r.firstSeq < r.seq);
      for (const d of await store.listHistoryDeletions(id, 0, last)) {
        expect(merged.some((r) => r.firstSeq <= d.fromSeq && d.fromSeq < r.seq)).toBe(false);
      }
      const kept = await sql<{ seq: number }>`SELECT seq FROM history_checkpoints WHERE document_id = ${id}`.execute(database.db);
      for (const h of kept.rows) expect(merged.some((r) => r.firstSeq <= Number(h.seq) && Number(h.seq) < r.seq)).toBe(false);
      expect((await store.historyStats(id)).updateBytes).toBeLessThan(historyBefore.updateBytes);

      // A load (checkpoint + the log after it) gives the same text.
      const loaded = await store.loadDocument(id);
      const fresh = new Y.Doc();
      Y.applyUpdate(fresh, loaded.checkpoint!.data);
      for (const u of loaded.updates) Y.applyUpdate(fresh, u.data);
      expect(fresh.getText('t').toString()).toBe(live.getText('t').toString());
      expect(loaded.lastSeq).toBe(last);

      // Nothing more until time passes; then a sweep compacts the rest, and nothing is left to do.
      expect((await compactor.compactDocument(id)).records).toBe(0);
      expect(await store.compactionCandidates(clock.now() - OPTIONS.afterMs, 10)).toEqual([]);
      clock.advance(2 * OPTIONS.afterMs);
      expect(await store.compactionCandidates(clock.now() - OPTIONS.afterMs, 10)).toEqual([id]);
      await compactor.sweep();
      expect(await store.compactionCandidates(clock.now() - OPTIONS.afterMs, 10)).toEqual([]);
      expect(await store.compactedSeq(id)).toBe(last);
      expect(await pointAt(last)).toEqual(before.end);
      expect(await diffBetween(97, last)).toEqual(before.diff);
      if (options.file) {
        const pragma = await sql<{ auto_vacuum: number }>`PRAGMA auto_vacuum`.execute(database.db);
        expect(pragma.rows[0]!.auto_vacuum).toBe(2); // incremental: freed pages go back to the file system
        const free = await sql<{ freelist_count: number }>`PRAGMA freelist_count`.execute(database.db);
        expect(free.rows[0]!.freelist_count).toBe(0);
      }
    });

    it('S2: people writing in turn merge into spans with one record per author; every point left, its authors, the timeline and the spacing checkpoints stay right', async () => {
      await write(61, 240, 2_500, undefined, 0.5); // ten minutes of alice and bob taking turns every record or two
      await write(62, 80, 2_500, 'alice'); // then alice alone for over three minutes: a run of her own
      const last = await store.lastSeq(id);
      const singles = await store.readLogRecords(id, 0, last);
      const before = new Map<number, Awaited<ReturnType<typeof pointAt>>>();
      for (const r of singles) before.set(r.seq, await pointAt(r.seq));
      const diffBefore = await diffBetween(0, last);
      const bytesBefore = (await store.historyStats(id)).updateBytes;
      clock.advance(OPTIONS.afterMs);

      const result = await compactor.compactDocument(id);
      expect(result.throughSeq).toBe(last);
      const records = await store.readLogRecords(id, 0, last);
      const spans = spansOf(records);
      const shared = spans.filter((s) => s.records.length > 1);
      // Two 5-minute windows of turns: a span with both in each, not a record per turn.
      expect(shared.length).toBeGreaterThanOrEqual(2);
      for (const s of shared) expect(new Set(s.records.map((r) => r.author))).toEqual(new Set(['alice', 'bob']));
      // Each author's record holds their own structs only (their client ids, A4).
      const bindings = await store.loadClientBindings(id);
      for (const r of shared.flatMap((x) => x.records)) {
        for (const client of Y.parseUpdateMeta(r.data).from.keys()) expect(bindings.get(client)).toBe(r.author);
      }
      expect(records.length).toBeLessThan(last / 20);
      // alice's own run stays hers alone: a span of one record.
      const hers = spans.at(-1)!;
      expect(hers.records.map((r) => r.author)).toEqual(['alice']);
      expect(hers.lastSeq - hers.firstSeq + 1).toBeGreaterThanOrEqual(32);
      expect((await store.historyStats(id)).updateBytes).toBeLessThan(bytesBefore * 0.9); // words typed at random places: the rows are what goes

      // Each span's end answers as before (text, what it has seen, what it deleted); a diff names the same authors.
      for (const s of spans) expect(await pointAt(s.lastSeq)).toEqual(before.get(s.lastSeq));
      expect(await diffBetween(0, last)).toEqual(diffBefore);
      const mid = shared[0]!;
      expect(await diffBetween(mid.firstSeq - 1, mid.lastSeq)).toEqual(await diffAcross(singles, mid.firstSeq - 1, mid.lastSeq));
      // A point inside a span is none: a version there is refused, an entry id taken before compaction means the span's start.
      await expect(
        store.createVersion({ id: 'in', documentId: id, seq: mid.firstSeq, name: 'Inside', kind: 'named', restoredFrom: null, createdBy: 'alice', createdAt: 1 }, { actorId: 'alice', action: 'version.named', details: {} }),
      ).rejects.toThrow(/inside the compacted record/);
      expect(await history.pointAtOrBefore(id, mid.lastSeq - 1)).toBe(mid.firstSeq - 1);
      expect(await history.pointAtOrBefore(id, mid.firstSeq)).toBe(mid.firstSeq - 1);
      expect(await history.pointAtOrBefore(id, mid.lastSeq)).toBe(mid.lastSeq);

      // A rebuild due to write a spacing checkpoint after every record writes them only at spans' ends.
      await sql`DELETE FROM history_checkpoints WHERE document_id = ${id}`.execute(database.db);
      const dense = new History(store, clock, log, { checkpointEveryRecords: 1, checkpointEveryBytes: 1 << 30 });
      (await dense.stateAt(id, last)).destroy();
      await dense.close();
      const kept = (await sql<{ seq: number }>`SELECT seq FROM history_checkpoints WHERE document_id = ${id}`.execute(database.db)).rows.map((r) => Number(r.seq));
      expect(kept.length).toBe(spans.length);
      for (const seq of kept) expect(spans.some((s) => s.lastSeq === seq)).toBe(true);
      for (const s of spans) expect(await pointAt(s.lastSeq)).toEqual(before.get(s.lastSeq));
      expect(await diffBetween(0, last)).toEqual(diffBefore);

      // The timeline: one entry per shared span's session, naming both; entries end at spans' ends and cover the log.
      const { entries } = await timeline(store, id, { beforeSeq: Number.MAX_SAFE_INTEGER, limit: 100, boundaries: new Set() });
      expect(entries[0]!.authors).toEqual(['alice']);
      expect(entries.slice(1).every((e) => new Set(e.authors).size === 2)).toBe(true);
      expect(entries.reduce((n, e) => n + e.changes, 0)).toBe(last);
      for (const e of entries) expect(spans.some((s) => s.lastSeq === e.lastSeq) && spans.some((s) => s.firstSeq === e.firstSeq)).toBe(true);
      // Paged one entry at a time, the same entries.
      const paged: typeof entries = [];
      for (let before = Number.MAX_SAFE_INTEGER; ; ) {
        const page = await timeline(store, id, { beforeSeq: before, limit: 1, boundaries: new Set() });
        paged.push(...page.entries);
        if (page.nextBeforeSeq === null) break;
        before = page.nextBeforeSeq;
      }
      expect(paged).toEqual(entries);

      // A load gives the same text.
      const loaded = await store.loadDocument(id);
      const fresh = new Y.Doc();
      for (const u of loaded.updates) Y.applyUpdate(fresh, u.data);
      expect(fresh.getText('t').toString()).toBe(before.get(last)!.text);
    });

    /** The diff between two points computed from the single records (before compaction), with their authors. */
    async function diffAcross(singles: readonly LogRecord[], from: number, to: number): Promise<Array<{ type: string; text: string; authorId: string | null }>> {
      const at = (seq: number): Y.Doc => {
        const doc = new Y.Doc({ gc: false });
        for (const r of singles) if (r.seq <= seq) Y.applyUpdate(doc, r.data);
        return doc;
      };
      const a = at(from);
      const b = at(to);
      const changes = diffStates(a, b, root, await store.loadClientBindings(id), deletersOf(singles.filter((r) => r.seq > from && r.seq <= to))).changes;
      a.destroy();
      b.destroy();
      return changes.map((c) => ({ type: c.type, text: c.text, authorId: c.authorId }));
    }

    it('S2: a merged record covering more seqs than a read chunk: rebuilds, loads and later runs read past it', async () => {
      await write(51, 2_600, 20, 'alice'); // 52 s of fast typing: one window
      await write(52, 100, 20_000);
      const last = await store.lastSeq(id);
      const expected = { end: await pointAt(last), texts: new Map<number, string>() };
      for (const r of await store.readLogRecords(id, 2_599, last)) expected.texts.set(r.seq, (await pointAt(r.seq)).text);
      clock.advance(OPTIONS.afterMs - 20 * MINUTE); // the fast typing and some of the rest are old enough
      const first = await compactor.compactDocument(id);
      const big = (await store.readLogRecords(id, 0, last, 1))[0]!;
      expect(big.firstSeq).toBe(1);
      expect(big.seq).toBeGreaterThanOrEqual(2_600); // alice's fast typing, and what she wrote next within the window
      expect((await pointAt(big.seq)).text).toBe(expected.texts.get(big.seq));
      expect(await pointAt(last)).toEqual(expected.end);
      clock.advance(OPTIONS.afterMs);
      const second = await compactor.compactDocument(id);
      expect(first.throughSeq).toBeLessThan(last);
      expect(second.throughSeq).toBe(last);
      expect(await pointAt(last)).toEqual(expected.end);
    });

    it('V3: compaction drops the history checkpoints its merged log would not write — those at versions and those due stay, every point answers as before', async () => {
      // Spacing checkpoints every 4 records while the log is single records: dozens in the hour.
      const tight = new History(store, clock, log, { checkpointEveryRecords: 4, checkpointEveryBytes: 1 << 30 });
      const pruning = new Compactor(store, tight, clock, log, OPTIONS);
      // An hour of alice writing: compaction leaves a record per 5-minute window, so a few of those checkpoints are at
      // points the merged log still holds — the ones this is about.
      await write(71, 240, 15_000, 'alice');
      await store.createVersion({ id: 'v1', documentId: id, seq: 97, name: 'Mid-morning', kind: 'named', restoredFrom: null, createdBy: 'alice', createdAt: clock.now() }, { actorId: 'alice', action: 'version.named', details: {} });
      await tight.checkpointAt(id, 97);
      await write(72, 120, 15_000, 'alice'); // half an hour more: too young to compact
      const last = await store.lastSeq(id);
      (await tight.stateAt(id, last)).destroy();
      const seqsOf = async (): Promise<number[]> =>
        (await sql<{ seq: number }>`SELECT seq FROM history_checkpoints WHERE document_id = ${id} ORDER BY seq`.execute(database.db)).rows.map((r) => Number(r.seq));
      const originals = await seqsOf();
      expect(originals.length).toBeGreaterThan(80);
      const before = { atVersion: await pointAt(97), end: await pointAt(last), diff: await diffBetween(97, last), fromStart: await diffBetween(0, 97) };
      const bytesBefore = (await store.historyStats(id)).historyCheckpointBytes;

      const result = await pruning.compactDocument(id);
      await pruning.stop();
      const compacted = result.throughSeq;
      expect(compacted).toBeGreaterThan(97);
      const records = await store.readLogRecords(id, 0, last);
      const ends = new Set(records.map((r) => r.seq));
      const kept = await seqsOf();
      // Above what was compacted, nothing changed; below it, the version stays and some went.
      expect(kept.filter((s) => s > compacted)).toEqual(originals.filter((s) => s > compacted));
      expect(kept).toContain(97);
      const region = kept.filter((s) => s <= compacted);
      const candidates = originals.filter((s) => s <= compacted && ends.has(s)); // what compactLog left: points the log holds
      expect(region.length).toBeLessThan(candidates.length);
      expect(region.length).toBeGreaterThan(1);
      // The rule, from the log itself: each kept one is a version or has 4 records since the last kept; none dropped had.
      const recordsBetween = (a: number, b: number): number => records.filter((r) => r.seq > a && r.seq <= b).length;
      let previous = 0;
      for (const seq of candidates) {
        const due = seq === 97 || recordsBetween(previous, seq) >= 4;
        expect({ seq, kept: region.includes(seq) }).toEqual({ seq, kept: due });
        if (due) previous = seq;
      }
      expect((await store.historyStats(id)).historyCheckpointBytes).toBeLessThan(bytesBefore);

      // Every point answers as before, with the same authors (deletion indexes of dropped ones are rebuilt from records).
      expect(await pointAt(97)).toEqual(before.atVersion);
      expect(await pointAt(last)).toEqual(before.end);
      expect(await diffBetween(97, last)).toEqual(before.diff);
      expect(await diffBetween(0, 97)).toEqual(before.fromStart);
      await tight.close();
    });

    it('V3: dropping history checkpoints never takes one a version names, and is fenced by the compaction lease', async () => {
      await write(81, 12, 1_000);
      for (const seq of [3, 6, 9]) await history.checkpointAt(id, seq);
      await store.createVersion({ id: 'v6', documentId: id, seq: 6, name: 'Six', kind: 'named', restoredFrom: null, createdBy: 'alice', createdAt: 1 }, { actorId: 'alice', action: 'version.named', details: {} });
      const gaps = await store.historyCheckpointSpacing(id, 9);
      expect(gaps.map((g) => [g.seq, g.records, g.version])).toEqual([
        [3, 3, false],
        [6, 3, true],
        [9, 3, false],
      ]);
      const logged = await store.readLogRecords(id, 0, 3);
      expect(gaps[0]!.bytes).toBe(logged.reduce((n, r) => n + r.data.byteLength, 0));
      expect((await store.historyCheckpointSpacing(id, 8)).map((g) => g.seq)).toEqual([3, 6]);
      if (options.instances) {
        const token = await store.acquireLease(id, 'compaction', 'a', clock.now(), 60_000);
        expect(await store.acquireLease(id, 'compaction', 'b', clock.now() + 61_000, 60_000)).not.toBeNull();
        await expect(store.dropHistoryCheckpoints(id, [3], { kind: 'compaction', holder: 'a', token: token! })).rejects.toThrow(LeaseLostError);
        expect((await store.historyCheckpointSpacing(id, 9)).length).toBe(3);
      }
      expect(await store.dropHistoryCheckpoints(id, [3, 6, 9])).toBe(2);
      expect((await store.historyCheckpointSpacing(id, 9)).map((g) => [g.seq, g.records])).toEqual([[6, 6]]);
      expect(await store.dropHistoryCheckpoints(id, [])).toBe(0);
    });

    it('V3: naming a version exactly where the rebuild writes a spacing history checkpoint stores it once', async () => {
      await write(41, 40, 1_000); // checkpointEveryRecords is 40 here
      await history.checkpointAt(id, 40);
      expect((await store.historyStats(id)).historyCheckpoints).toBe(1);
      expect(await store.lastHistoryCheckpointSeq(id)).toBe(40);
    });

    it('V2: a step writes nothing once its starting point moved or a version was named inside a range; a version inside a merged record is refused', async () => {
      await write(21, 30, 1_000);
      const data = Y.mergeUpdates((await store.readLog(id)).slice(0, 10).map((u) => u.data));
      const step = { fromSeq: 0, throughSeq: 10, records: [{ firstSeq: 1, seq: 10, data, author: 'alice', clientIds: [1], createdAt: 1, firstCreatedAt: 1 }] };
      await store.createVersion({ id: 'v', documentId: id, seq: 5, name: 'Five', kind: 'named', restoredFrom: null, createdBy: 'alice', createdAt: 1 }, { actorId: 'alice', action: 'version.named', details: {} });
      expect(await store.compactLog(id, step)).toBe(false);
      expect((await store.readLogRecords(id, 0, 30)).length).toBe(30);
      const clean = { ...step, records: [{ ...step.records[0]!, firstSeq: 6, data: Y.mergeUpdates((await store.readLog(id)).slice(5, 10).map((u) => u.data)) }] };
      expect(await store.compactLog(id, clean)).toBe(true);
      expect(await store.compactLog(id, clean)).toBe(false); // already there
      expect((await store.readLogRecords(id, 0, 30)).length).toBe(26);
      await expect(
        store.createVersion({ id: 'w', documentId: id, seq: 7, name: 'Seven', kind: 'named', restoredFrom: null, createdBy: 'alice', createdAt: 1 }, { actorId: 'alice', action: 'version.named', details: {} }),
      ).rejects.toThrow(/inside the compacted record/);
      // A span holds one record per author, in seq order; anything else is refused before anything is written.
      const twice = { fromSeq: 10, throughSeq: 14, records: [{ firstSeq: 11, seq: 12, data, author: 'bob', clientIds: [], createdAt: 1, firstCreatedAt: 1 }, { firstSeq: 11, seq: 14, data, author: 'bob', clientIds: [], createdAt: 1, firstCreatedAt: 1 }] };
      await expect(store.compactLog(id, twice)).rejects.toThrow(RangeError);
      const backwards = { ...twice, records: [twice.records[1]!, { ...twice.records[0]!, author: 'alice' }] };
      await expect(store.compactLog(id, backwards)).rejects.toThrow(RangeError);
      expect((await store.readLogRecords(id, 0, 30)).length).toBe(26);
      // A range that is not all single records rolls the whole step back.
      const overlapping = { fromSeq: 10, throughSeq: 20, records: [{ firstSeq: 11, seq: 14, data, author: 'bob', clientIds: [], createdAt: 1, firstCreatedAt: 1 }, { firstSeq: 15, seq: 20, data, author: 'bob', clientIds: [], createdAt: 1, firstCreatedAt: 1 }] };
      await sql`UPDATE updates SET first_seq = 15 WHERE doc_key = (SELECT log_key FROM documents WHERE id = ${id}) AND seq = 16`.execute(database.db);
      await expect(store.compactLog(id, overlapping)).rejects.toThrow(/single records/);
      expect((await store.readLogRecords(id, 0, 30)).length).toBe(26);
      expect(await store.compactedSeq(id)).toBe(10);
    });

    if (options.instances) {
      it('I7: two instances compacting one document at once: one step is written, the log stays whole', async () => {
        await write(31, 200, 20_000);
        const expected = await pointAt(200);
        const second = await database.another!();
        const otherStore = new SqlDocumentStore(second);
        const otherHistory = new History(otherStore, clock, log);
        const other = new Compactor(otherStore, otherHistory, clock, log, OPTIONS);
        try {
          clock.advance(OPTIONS.afterMs);
          const [a, b] = await Promise.all([compactor.compactDocument(id), other.compactDocument(id)]);
          expect(a.records + b.records).toBeGreaterThan(0);
          expect(Math.min(a.records, b.records)).toBe(0);
          let previous = 0;
          for (const span of spansOf(await store.readLogRecords(id, 0, 200))) {
            expect(span.firstSeq).toBe(previous + 1);
            previous = span.lastSeq;
          }
          expect(await pointAt(200)).toEqual(expected);
        } finally {
          await other.stop();
          await otherHistory.close();
          await otherStore.close();
          await second.close();
        }
      });
    }
  });
}

/** The log's records as spans: consecutive records sharing a first seq (SPEC S2). */
function spansOf(records: readonly LogRecord[]): Array<{ firstSeq: number; lastSeq: number; records: LogRecord[]; merged: boolean }> {
  const spans: Array<{ firstSeq: number; lastSeq: number; records: LogRecord[]; merged: boolean }> = [];
  for (const r of records) {
    const span = spans[spans.length - 1];
    if (span && span.firstSeq === r.firstSeq) {
      span.records.push(r);
      span.lastSeq = r.seq;
      span.merged = true;
    } else spans.push({ firstSeq: r.firstSeq, lastSeq: r.seq, records: [r], merged: r.firstSeq < r.seq });
  }
  return spans;
}
