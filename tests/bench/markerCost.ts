/**
 * `pnpm exec tsx tests/bench/markerCost.ts`: what reading consensus-marker
 * changes costs the room per update (SPEC K1). The first 100,000 edits of the
 * automerge-paper trace are typed into a marked paragraph of an editor-shaped
 * body (50 paragraphs in the `default` fragment), one Yjs update per edit,
 * then applied to a fresh Y.Doc three ways, interleaved, 10 rounds each: bare
 * `Y.applyUpdate`, inside a `transact` as the room does, and inside a
 * `transact` followed by `markerChanges(tr)`. Prints the median per update.
 * Not part of the test suite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { markerChanges } from '@rapporteur/server';
import * as Y from 'yjs';
import { repoRoot } from '../support/server';

const EDITS = 100_000;
const ROUNDS = 10;
const tracePath = path.resolve(repoRoot, '../shared/traces/automerge-paper.json.gz');
const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(tracePath)).toString()) as { txns: { patches: [number, number, string][] }[] };

const source = new Y.Doc();
const body = source.getXmlFragment('default');
const updates: Uint8Array[] = [];
source.on('update', (u: Uint8Array) => updates.push(u));
source.transact(() => {
  for (let i = 0; i < 50; i++) {
    const p = new Y.XmlElement('paragraph');
    p.setAttribute('blockId', `b${i}`);
    if (i === 3) p.setAttribute('consensus', { level: 'divergence', basis: 'in-room-check', views: [{ text: 'A view', groups: [] }] } as never);
    p.insert(0, [new Y.XmlText(`Paragraph ${i}`)]);
    body.insert(i, [p]);
  }
});
const text = (body.get(3) as Y.XmlElement).get(0) as Y.XmlText;
let edits = 0;
outer: for (const txn of trace.txns) {
  for (const [pos, del, ins] of txn.patches) {
    if (del > 0) text.delete(pos, del);
    if (ins) text.insert(pos, ins);
    if (++edits >= EDITS) break outer;
  }
}

type Mode = 'applyUpdate' | 'transact' | 'transact + markerChanges';
let found = 0;
function run(mode: Mode): number {
  const doc = new Y.Doc();
  const start = performance.now();
  if (mode === 'applyUpdate') for (const u of updates) Y.applyUpdate(doc, u);
  else if (mode === 'transact') for (const u of updates) doc.transact(() => Y.applyUpdate(doc, u));
  else
    for (const u of updates)
      doc.transact((tr) => {
        Y.applyUpdate(doc, u);
        found += markerChanges(tr).length;
      });
  return performance.now() - start;
}

const modes: Mode[] = ['applyUpdate', 'transact', 'transact + markerChanges'];
const times = new Map<Mode, number[]>(modes.map((m) => [m, []]));
for (let r = 0; r < ROUNDS; r++) for (const m of modes) times.get(m)!.push(run(m));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`${updates.length.toLocaleString('en')} updates (${edits.toLocaleString('en')} edits), median of ${ROUNDS}:`);
for (const m of modes) {
  const ms = median(times.get(m)!);
  console.log(`  ${m.padEnd(26)} ${ms.toFixed(0).padStart(5)} ms  ${((ms / updates.length) * 1000).toFixed(2)} µs/update`);
}
console.log(`  marker changes found: ${found / ROUNDS} per round (the one marker, set once)`);
