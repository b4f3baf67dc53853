/**
 * `pnpm bench:cold-load`: opening a long document on a server that has just
 * started (issue 16), side by side with Hocuspocus 4.7 and its SQLite
 * extension (the reference y-websocket server keeps nothing, so it has no
 * cold load). The automerge-paper trace is written into each server by one
 * client, 1,000 edits per update; the server is stopped cleanly (SIGTERM:
 * Rapporteur writes its checkpoint, Hocuspocus stores the document) and
 * started again; a fresh raw client then opens the document. Measured: from
 * opening the socket to holding the end text, three restarts each, beside
 * an in-process `Y.applyUpdate` of the final state in the same run.
 *
 *   QUICK=1: the first 30,000 edits, one restart, no RESULTS.md
 *   STORAGE=postgres: Rapporteur on PostgreSQL (a schema of its own, kept across its restarts) with Redis
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import * as Y from 'yjs';
import { signUp } from '../support/accounts';
import { createDocument } from '../support/clients';
import { repoRoot, tempDataDir } from '../support/server';
import { batchedUpdates, type Framing, HOCUSPOCUS, rawClient as client, rapporteurStorage, startBuiltRapporteur, startScript } from './peers';
import { writeSection } from './resultsSection';

const QUICK = process.env.QUICK === '1';
const RESTARTS = QUICK ? 1 : 3;
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Patch = readonly [number, number, string];

function trace(): { updates: Uint8Array[]; endContent: string; state: Uint8Array; edits: number } {
  const raw = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(repoRoot, '../shared/traces/automerge-paper.json.gz'))).toString('utf8')) as {
    txns: Array<{ patches: Patch[] }>;
  };
  const patches = raw.txns.flatMap((t) => t.patches).slice(0, QUICK ? 30_000 : undefined);
  const { doc, updates } = batchedUpdates(patches);
  return { updates, endContent: doc.getText('t').toString(), state: Y.encodeStateAsUpdate(doc), edits: patches.length };
}

interface Server {
  readonly url: string;
  readonly framing: Framing;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const t = trace();
  const applyMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    Y.applyUpdate(new Y.Doc(), t.state);
    applyMs.push(performance.now() - t0);
  }
  const dataDir = tempDataDir('rapporteur-bench-cold-');
  const storage = await rapporteurStorage();
  const rows: string[] = [];
  try {
    // Rapporteur: an account and a document on the first start; the same data dir on every restart.
    const rapporteurDir = path.join(dataDir, 'rapporteur');
    const first = await startBuiltRapporteur(rapporteurDir, storage.env);
    const owner = await signUp(first.url, { name: 'Cold load' });
    const id = await createDocument(first.url, owner, 'Automerge paper');
    await first.close();
    const hocuspocusFile = path.join(dataDir, 'hocuspocus.sqlite');
    const servers: Array<[string, () => Promise<Server>]> = [
      [
        `Rapporteur (built, ${storage.name})`,
        async () => {
          const s = await startBuiltRapporteur(rapporteurDir, storage.env);
          return { url: `${s.collabUrl}/${id}?token=${owner.token}`, framing: { kind: 'plain' }, close: s.close };
        },
      ],
      [
        'Hocuspocus 4.7 + SQLite extension',
        async () => {
          const s = await startScript(HOCUSPOCUS, path.join(repoRoot, 'tests'), [hocuspocusFile]);
          return { url: s.url, framing: { kind: 'named', name: 'automerge-paper' }, close: s.close };
        },
      ],
    ];
    for (const [name, start] of servers) {
      // Write the trace, let the server store it, stop it cleanly.
      let server = await start();
      const writer = await client(server.url, server.framing, null, t.updates);
      const check = await client(server.url, server.framing, t.endContent);
      check.ws.terminate();
      writer.ws.terminate();
      await sleep(3_000); // Hocuspocus stores 2 s after the last change
      await server.close();
      const loads: number[] = [];
      for (let r = 0; r < RESTARTS; r++) {
        server = await start();
        const fresh = await client(server.url, server.framing, t.endContent);
        loads.push(fresh.ms);
        fresh.ws.terminate();
        await server.close();
      }
      rows.push(`| ${name} | ${loads.map((x) => x.toFixed(0)).join(', ')} ms | ${(median(loads) / median(applyMs)).toFixed(1)}× |`);
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const report = [
    `## Cold load of a long document, side by side (issue 16)${storage.env.DATABASE_URL ? ' — Rapporteur on PostgreSQL + Redis' : ''}`,
    '',
    `The automerge-paper trace (${t.edits.toLocaleString('en')} edits, ${(t.state.byteLength / 1024).toFixed(0)} KiB of state) written into each server, 1,000 edits per update; the server`,
    'stopped cleanly and started again; a fresh raw client opens the document: from opening the socket to holding the end text, after each',
    `of ${RESTARTS} restarts. Reference, same run: \`Y.applyUpdate\` of the final state in this process, median ${median(applyMs).toFixed(0)} ms. The reference`,
    'y-websocket server keeps documents only in memory: it has no cold load.',
    '',
    '| server | first load after a restart | median / applyUpdate |',
    '|---|---|---|',
    ...rows,
    '',
    `Command: \`${storage.env.DATABASE_URL ? 'STORAGE=postgres ' : ''}pnpm bench:cold-load\` (${new Date().toISOString().slice(0, 10)}).`,
  ].join('\n');
  console.log(report);
  if (!QUICK) writeSection(RESULTS_FILE, storage.env.DATABASE_URL ? 'cold-load-postgres' : 'cold-load', report);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
