import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { LogRecord } from '../storage/DocumentStore';
import { hasPending, mergeRecords, mergeSpan, spansOf } from './compaction';

/** mulberry32: the same seed replays the same edits. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two writers typing, deleting and formatting into one text, each edit one update (a log record). */
function editLog(seed: number, edits: number, switchChance: number | readonly number[] = 0.3): { records: Uint8Array[]; writers: Y.Doc[]; by: number[] } {
  const next = random(seed);
  const by: number[] = [];
  let current = 0;
  const writers = [new Y.Doc(), new Y.Doc()];
  const records: Uint8Array[] = [];
  writers.forEach((w, i) =>
    w.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === 'peer') return;
      records.push(u);
      by.push(i); // an edit that changed nothing (bold on bold) stores nothing
    }),
  );
  for (let i = 0; i < edits; i++) {
    if (typeof switchChance === 'number') {
      if (next() < switchChance) current ^= 1;
    } else current = switchChance[i]!;
    const w = writers[current]!;
    const text = w.getText('t');
    const len = text.length;
    w.transact(() => {
      if (len > 0 && next() < 0.3) text.delete(Math.floor(next() * len), 1 + Math.floor(next() * Math.min(5, len - 1)));
      else if (len > 0 && next() < 0.1) text.format(Math.floor(next() * len), 1, { bold: true });
      else text.insert(Math.floor(next() * (len + 1)), next() < 0.8 ? 'ab' : 'xyz ');
    });
    // The other writer sees it, so later edits depend on earlier ones across writers.
    const other = writers[writers.indexOf(w) ^ 1]!;
    Y.applyUpdate(other, records[records.length - 1]!, 'peer');
  }
  return { records, writers, by };
}

function rebuild(records: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  for (const r of records) Y.applyUpdate(doc, r);
  return doc;
}

function deletions(update: Uint8Array): string {
  return JSON.stringify([...Y.decodeUpdate(update).ds.clients].sort((a, b) => a[0] - b[0]).map(([c, items]) => [c, items.map((d) => [d.clock, d.len])]));
}

describe('mergeRecords (SPEC S2: a merged record holds exactly what its records held)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: groups merged in order rebuild the same state at every group's end, with each group's own deletions`, () => {
      const { records } = editLog(seed, 600);
      const doc = new Y.Doc({ gc: false });
      const merged: Uint8Array[] = [];
      const ends: number[] = [];
      const next = random(seed * 7);
      for (let i = 0; i < records.length; ) {
        const size = 1 + Math.floor(next() * 80);
        const group = records.slice(i, i + size);
        const sv = Y.encodeStateVector(doc);
        for (const r of group) Y.applyUpdate(doc, r);
        merged.push(mergeRecords(doc, sv, group.map((data) => ({ data }))));
        i += group.length;
        ends.push(i);
        // Its delete set is exactly the union of its records' (not the document's whole one).
        expect(deletions(merged[merged.length - 1]!)).toBe(deletions(Y.mergeUpdates(group.map((r) => Y.diffUpdate(r, Y.encodeStateVector(doc))))));
      }
      // Smaller than the records: runs of typed characters become one struct.
      expect(merged.reduce((n, m) => n + m.byteLength, 0)).toBeLessThan(records.reduce((n, r) => n + r.byteLength, 0));
      for (let g = 0; g < merged.length; g++) {
        const a = rebuild(records.slice(0, ends[g]));
        const b = rebuild(merged.slice(0, g + 1));
        expect(b.getText('t').toDelta()).toEqual(a.getText('t').toDelta());
        expect(Y.encodeStateVector(b)).toEqual(Y.encodeStateVector(a));
        expect(Y.equalDeleteSets(Y.createDeleteSetFromStructStore(b.store), Y.createDeleteSetFromStructStore(a.store))).toBe(true);
        expect(hasPending(b)).toBe(false);
      }
    });
  }

  it('refuses a document that holds pending structs', () => {
    const { records } = editLog(9, 20);
    const doc = new Y.Doc({ gc: false });
    const sv = Y.encodeStateVector(doc);
    Y.applyUpdate(doc, records[5]!); // its dependencies are missing
    expect(hasPending(doc)).toBe(true);
    expect(() => mergeRecords(doc, sv, [{ data: records[5]! }])).toThrow(/pending/);
  });
});

const log = (records: readonly Uint8Array[], by: readonly number[], authors = ['alice', 'bob']): LogRecord[] =>
  records.map((data, i) => ({ firstSeq: i + 1, seq: i + 1, data, author: authors[by[i]!]!, createdAt: i, firstCreatedAt: i }));

describe('spansOf and mergeSpan (SPEC S2: people writing in turn, one record per author)', () => {
  it('a run of 32 records or more is a span of its own; shorter runs beside one another form one span where an author writes on both sides', () => {
    const writers = [0, 0, 1, 0, 2, 2, ...Array<number>(40).fill(0), 1, 0, ...Array<number>(33).fill(1)];
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const records = writers.map((w) => {
      let update: Uint8Array | null = null;
      docs[w]!.once('update', (u: Uint8Array) => (update = u));
      docs[w]!.getText('t').insert(0, 'x');
      for (const other of docs) if (other !== docs[w]) Y.applyUpdate(other, update!);
      return update!;
    });
    const spans = spansOf(log(records, writers, ['alice', 'bob', 'carol']));
    expect(spans.map((s) => [s.length, [...new Set(s.map((r) => r.author))].join('+')])).toEqual([
      [4, 'alice+bob'], // alice on both sides of bob
      [2, 'carol'], // then carol, after them: a span of her own
      [40, 'alice'],
      [1, 'bob'], // bob, then alice, then bob's long run: nobody's runs on both sides
      [1, 'alice'],
      [33, 'bob'],
    ]);
  });

  it('short runs whose authors share a client id stay a span per run', () => {
    const { records, by } = editLog(4, 12, 0.5);
    // Both writers' records under one account but alternating names: the same client ids for two authors.
    const mixed = log(records, by).map((r, i) => ({ ...r, author: i % 2 === 0 ? 'alice' : 'bob' }));
    expect(spansOf(mixed).length).toBe(12);
  });

  for (const seed of [11, 12, 13, 14, 15]) {
    it(`seed ${seed}: every span merged, the records in seq order rebuild each span's end; each holds only its author's structs and deletions`, () => {
      const { records, writers, by } = editLog(seed, 500, 0.6);
      const clientOf = (i: number) => writers[by[i]!]!.clientID;
      const entries = log(records, by);
      const spans = spansOf(entries);
      expect(spans.some((s) => new Set(s.map((r) => r.author)).size === 2)).toBe(true);
      const doc = new Y.Doc({ gc: false });
      const merged: Array<{ seq: number; data: Uint8Array; author: string | null; firstSeq: number }> = [];
      for (const span of spans) {
        const sv = Y.encodeStateVector(doc);
        for (const r of span) Y.applyUpdate(doc, r.data);
        const out = span.length > 1 ? mergeSpan(doc, sv, span) : span;
        for (const m of out) {
          expect(m.firstSeq).toBe(span[0]!.seq);
          const own = span.filter((r) => r.author === m.author);
          expect(m.seq).toBe(own[own.length - 1]!.seq);
          for (const client of Y.parseUpdateMeta(m.data).from.keys()) expect(client).toBe(clientOf(own[0]!.seq - 1));
          expect(deletions(m.data)).toBe(deletions(Y.mergeUpdates(own.map((r) => Y.diffUpdate(r.data, Y.encodeStateVector(doc))))));
        }
        merged.push(...out);
        // The merged records so far, in seq order, rebuild this span's end.
        const a = rebuild(records.slice(0, span[span.length - 1]!.seq));
        const b = rebuild(merged.map((m) => m.data));
        expect(b.getText('t').toDelta()).toEqual(a.getText('t').toDelta());
        expect(Y.encodeStateVector(b)).toEqual(Y.encodeStateVector(a));
        expect(Y.equalDeleteSets(Y.createDeleteSetFromStructStore(b.store), Y.createDeleteSetFromStructStore(a.store))).toBe(true);
        expect(hasPending(b)).toBe(false);
      }
      expect(merged.length).toBeLessThan(records.length / 4);
    });
  }
});
