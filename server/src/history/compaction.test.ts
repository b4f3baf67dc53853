import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hasPending, mergeRecords } from './compaction';

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
function editLog(seed: number, edits: number): { records: Uint8Array[]; writers: Y.Doc[] } {
  const next = random(seed);
  const writers = [new Y.Doc(), new Y.Doc()];
  const records: Uint8Array[] = [];
  for (const w of writers) w.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && records.push(u));
  for (let i = 0; i < edits; i++) {
    const w = writers[next() < 0.7 ? 0 : 1]!;
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
  return { records, writers };
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
