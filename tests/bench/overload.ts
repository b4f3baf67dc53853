/**
 * `pnpm bench:overload`: one hot document must not starve the others or the
 * HTTP API (issue 16, "under overload"), measured side by side with the
 * peers: Rapporteur, the reference y-websocket server (2.1) and Hocuspocus
 * 4.7 with its SQLite extension, one after the other on the same machine.
 * HOT clients each write a paragraph a second into one document; QUIET other
 * documents have two writers each, writing a sentence a second. For SECONDS
 * we measure:
 *
 * - the HTTP answer time, asked every 100 ms by a separate process (10 s
 *   timeout; a timeout counts as 10 s): Rapporteur's `/healthz`, and for the
 *   peers the only HTTP answer they have (y-websocket's "okay", Hocuspocus's
 *   welcome page);
 * - the quiet writers' delivery: from one writer sending an update to the
 *   other writer of the document holding it (all three servers);
 * - Rapporteur's durable acknowledgement: from sending an update to the
 *   server's `saved` message covering it (the `saved` extension, SPEC R4) —
 *   the peers acknowledge nothing (y-websocket keeps nothing, Hocuspocus
 *   stores on a debounce after it has sent);
 * - sockets closed by the server, per side, with their close codes;
 * - at the end, after the load stops: every quiet document read by a fresh
 *   client holds every confirmed sentence of both its writers (acknowledged
 *   by Rapporteur; for a peer, delivered to the other writer), and the two
 *   writers agree (converged).
 *
 * The hot clients run in a child process and the probe in another, so
 * neither the probe nor the quiet writers' clocks wait behind the hot
 * clients' work. Goals (issue 16): `/healthz` p99 ≤ 100 ms, the quiet
 * documents' acknowledgement p99 ≤ 1 s, no quiet socket dropped, every
 * client converges.
 *
 *   HOT=n      hot clients (default 500)     QUIET=n   quiet documents (default 200)
 *   SECONDS=n  load time (default 30)        QUICK=1   HOT=100 QUIET=40 SECONDS=10, no RESULTS.md
 *   PEERS=0    Rapporteur alone              STORAGE=postgres  Rapporteur on PostgreSQL + Redis
 *   CPU_PROF=dir  Rapporteur writes a V8 CPU profile there  WRITE_RESULTS=1 writes RESULTS.md after a QUICK run
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeSyncStep1, encodeSyncUpdate, MessageType } from '@rapporteur/protocol';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { signUp } from '../support/accounts';
import { createDocument } from '../support/clients';
import { repoRoot, spawnServer, tempDataDir } from '../support/server';
import { type Framing, frame, hello, HOCUSPOCUS, rapporteurStorage, startScript, Y_WEBSOCKET } from './peers';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const WRITE_RESULTS = !QUICK || env.WRITE_RESULTS === '1';
const HOT = Number(env.HOT ?? (QUICK ? 100 : 500));
const QUIET = Number(env.QUIET ?? (QUICK ? 40 : 200));
const SECONDS = Number(env.SECONDS ?? (QUICK ? 10 : 30));
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const SETTLE_MS = 20_000;
const PEERS = env.PEERS !== '0';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/** A child process running `code` (CommonJS, resolved from server/), answering one JSON line when sent SIGTERM. */
function child<T>(code: string, childEnv: Record<string, string>): { done: Promise<T>; stop: () => void; pid: number } {
  const proc = spawn(process.execPath, ['-e', code], { cwd: path.join(repoRoot, 'server'), stdio: ['ignore', 'pipe', 'inherit'], env: { ...env, ...childEnv } });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<T>((resolve, reject) => {
    proc.once('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
      } catch (error) {
        reject(new Error(`child answered ${JSON.stringify(out)}: ${(error as Error).message}`));
      }
    });
  });
  return { done, stop: () => proc.kill('SIGTERM'), pid: proc.pid! };
}

/** Asks /healthz every 100 ms; prints the answer times when told to stop. */
const PROBE = `
const times = []; let timeouts = 0; let stopping = false;
process.on('SIGTERM', () => { stopping = true; });
(async () => {
  while (!stopping) {
    const t0 = performance.now();
    try {
      const res = await fetch(process.env.PROBE_URL, { signal: AbortSignal.timeout(10000) });
      await res.arrayBuffer();
      times.push(performance.now() - t0);
    } catch { timeouts++; times.push(10000); }
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - t0))));
  }
  process.stdout.write(JSON.stringify({ times, timeouts }) + '\\n');
  process.exit(0);
})();
`;

/**
 * HOT sockets on one document, each writing a paragraph a second (staggered);
 * prints close codes when told to stop. HOT_NAME set: Hocuspocus framing
 * (each message prefixed with the document's name, an empty token first).
 */
const HOT_CLIENTS = `
const WebSocket = require('ws'); const Y = require('yjs');
const enc = require('lib0/encoding');
const n = Number(process.env.HOT_N); const url = process.env.HOT_URL; const name = process.env.HOT_NAME;
const closes = {}; let sent = 0; let received = 0; let stopping = false; const sockets = [];
const message = (write) => { const e = enc.createEncoder(); if (name) enc.writeVarString(e, name); write(e); return enc.toUint8Array(e); };
const sync = (step, bytes) => message((e) => { enc.writeVarUint(e, 0); enc.writeVarUint(e, step); enc.writeVarUint8Array(e, bytes); });
const PARAGRAPH = 'Speakers from governments, civil society and the technical community agreed that meaningful access depends on affordable devices and local content. ';
process.on('SIGTERM', () => {
  stopping = true;
  for (const s of sockets) s.ws.terminate();
  process.stdout.write(JSON.stringify({ closes, sent, received }) + '\\n');
  process.exit(0);
});
function open(i) {
  const doc = new Y.Doc(); const ws = new WebSocket(url); const s = { ws, doc };
  sockets.push(s);
  ws.on('open', () => {
    if (name) ws.send(message((e) => { enc.writeVarUint(e, 2); enc.writeVarUint(e, 0); enc.writeVarString(e, ''); }));
    ws.send(sync(0, Y.encodeStateVector(doc)));
    doc.on('update', (u) => { if (ws.readyState === 1) { ws.send(sync(2, u)); sent++; } });
    setTimeout(() => {
      const t = doc.getText('overload-' + i);
      setInterval(() => { if (!stopping && ws.readyState === 1) t.insert(t.length, PARAGRAPH); }, 1000);
    }, Math.floor(Math.random() * 1000));
  });
  ws.on('message', () => { received++; });
  ws.on('close', (code) => { if (!stopping) closes[code] = (closes[code] || 0) + 1; });
  ws.on('error', () => {});
}
(async () => { for (let i = 0; i < n; i++) { open(i); if (i % 50 === 49) await new Promise((r) => setTimeout(r, 200)); } })();
`;

/** A server under test: where its documents are, how it frames messages, its process. */
interface Target {
  readonly name: string;
  /** What the probe asks over HTTP. */
  readonly probeUrl: string;
  readonly pid: number;
  /** Does it send Rapporteur's `saved` acknowledgements? */
  readonly acks: boolean;
  /** A new document's address and framing. */
  createDocument(title: string): Promise<{ url: string; framing: Framing }>;
  close(): Promise<void>;
}

interface QuietWriter {
  readonly doc: Y.Doc;
  readonly ws: WebSocket;
  /** performance.now() when each update frame was sent, by frame number (1-based count). */
  readonly sentAt: number[];
  acked: number;
  readonly ackTimes: number[];
  closedWith: number | null;
  /** The marks written, in order, and when each was sent. */
  readonly marks: string[];
  readonly markSentAt: number[];
  /** How many of this writer's marks the other writer holds, and how long each took to get there. */
  delivered: number;
  readonly deliveryTimes: number[];
  partner: QuietWriter | null;
}

/** Reads a server message: its type and the decoder positioned after it (Hocuspocus's name skipped). */
function readMessage(data: Buffer, framing: Framing): { type: number; decoder: decoding.Decoder } {
  const decoder = decoding.createDecoder(new Uint8Array(data));
  if (framing.kind === 'named') decoding.readVarString(decoder);
  return { type: decoding.readVarUint(decoder), decoder };
}

/** Hocuspocus answers a sync step 1 with type 4 (a sync reply); both carry a y-protocol sync message. */
const isSync = (type: number): boolean => type === MessageType.sync || type === 4;

async function connect(url: string, framing: Framing): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const greeting = hello(framing);
  if (greeting) ws.send(greeting);
  return ws;
}

async function openQuiet(url: string, framing: Framing): Promise<QuietWriter> {
  const doc = new Y.Doc();
  const ws = await connect(url, framing);
  const w: QuietWriter = { doc, ws, sentAt: [], acked: 0, ackTimes: [], closedWith: null, marks: [], markSentAt: [], delivered: 0, deliveryTimes: [], partner: null };
  ws.send(frame(framing, encodeSyncStep1(Y.encodeStateVector(doc))));
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'remote' || ws.readyState !== WebSocket.OPEN) return;
    ws.send(frame(framing, encodeSyncUpdate(update)));
    w.sentAt.push(performance.now());
  });
  ws.on('message', (data: Buffer) => {
    const { type, decoder } = readMessage(data, framing);
    const now = performance.now();
    if (type === MessageType.saved) {
      const count = decoding.readVarUint(decoder);
      for (; w.acked < count; w.acked++) if (w.sentAt[w.acked] !== undefined) w.ackTimes.push(now - w.sentAt[w.acked]!);
    } else if (isSync(type)) {
      const step = decoding.readVarUint(decoder);
      if (step !== 1 && step !== 2) return;
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), 'remote');
      // The partner's marks arrive in the order written: count those this copy now holds.
      const p = w.partner;
      if (!p) return;
      const text = doc.getText('quiet').toString();
      while (p.delivered < p.marks.length && text.includes(p.marks[p.delivered]!)) {
        p.deliveryTimes.push(now - p.markSentAt[p.delivered]!);
        p.delivered++;
      }
    }
  });
  ws.on('close', (code) => {
    w.closedWith = code;
  });
  return w;
}

/** A fresh client's copy of a document: sync step 1 with an empty state, the answer applied. */
async function freshLoad(url: string, framing: Framing): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const ws = await connect(url, framing);
  const loaded = new Promise<void>((resolve) =>
    ws.on('message', (data: Buffer) => {
      const { type, decoder } = readMessage(data, framing);
      if (!isSync(type) || decoding.readVarUint(decoder) !== 1) return;
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
      resolve();
    }),
  );
  ws.send(frame(framing, encodeSyncStep1(Y.encodeStateVector(doc))));
  await Promise.race([loaded, sleep(30_000).then(() => Promise.reject(new Error('a fresh load did not answer in 30 s')))]);
  ws.terminate();
  return doc;
}

/** What one server did under the scenario: figures by row, in the order of ROWS. */
type Figures = Record<string, string>;

const ms = (v: number): string => (Number.isNaN(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`);
const spread = (values: number[]): string =>
  values.length ? `${ms(quantile(values, 0.5))} / ${ms(quantile(values, 0.99))} / ${ms(Math.max(...values))}` : '—';
const codes = (m: Record<string, number>): string =>
  Object.entries(m)
    .map(([code, n]) => `${n} × ${code}`)
    .join(', ') || 'none';

/** The scenario against one server. */
async function runScenario(target: Target): Promise<Figures> {
  console.log(`— ${target.name}`);
  const hotDoc = await target.createDocument('Hot document');
  const quietDocs: Array<{ url: string; framing: Framing }> = [];
  for (let i = 0; i < QUIET; i++) quietDocs.push(await target.createDocument(`Quiet ${i}`));
  const rssIdle = rssMiB(target.pid);

  const writers: QuietWriter[][] = [];
  for (let i = 0; i < QUIET; i += 20) {
    writers.push(
      ...(await Promise.all(
        quietDocs.slice(i, i + 20).map(async ({ url, framing }) => {
          const a = await openQuiet(url, framing);
          const b = await openQuiet(url, framing);
          a.partner = b;
          b.partner = a;
          return [a, b];
        }),
      )),
    );
  }
  console.log(`${QUIET * 2} quiet writers connected; starting ${HOT} hot clients and the probe`);
  const probe = child<{ times: number[]; timeouts: number }>(PROBE, { PROBE_URL: target.probeUrl });
  const hot = child<{ closes: Record<string, number>; sent: number; received: number }>(HOT_CLIENTS, {
    HOT_N: String(HOT),
    HOT_URL: hotDoc.url,
    HOT_NAME: hotDoc.framing.kind === 'named' ? hotDoc.framing.name : '',
  });
  await sleep(Math.min(10_000, 1000 + HOT * 10)); // the hot clients connect

  const cpuBefore = cpuMs(target.pid);
  const started = performance.now();
  let tick = 0;
  while (performance.now() - started < SECONDS * 1000) {
    // Each quiet writer writes one sentence a second, spread over the second.
    const slice = writers.slice((tick % 10) * Math.ceil(QUIET / 10), ((tick % 10) + 1) * Math.ceil(QUIET / 10));
    for (const pair of slice) {
      for (const w of pair) {
        if (w.closedWith !== null) continue;
        const mark = `[${w.doc.clientID}:${w.marks.length}]`;
        w.marks.push(mark);
        w.markSentAt.push(performance.now());
        const text = w.doc.getText('quiet');
        text.insert(text.length, `${mark} The working group will circulate the draft for comment. `);
      }
    }
    tick++;
    await sleep(Math.max(0, started + tick * 100 - performance.now()));
  }
  const cpu = cpuMs(target.pid) - cpuBefore;
  const rssLoaded = rssMiB(target.pid);
  hot.stop();
  const hotResult = await hot.done;

  // Settle: every quiet writer's updates confirmed (acknowledged, or with no acknowledgements delivered
  // to the other writer), then a fresh load of each document holds them all.
  const flat = writers.flat();
  const confirmed = (w: QuietWriter): number => (target.acks ? w.acked : w.delivered);
  const expected = (w: QuietWriter): number => (target.acks ? w.sentAt.length : w.marks.length);
  const settleUntil = performance.now() + SETTLE_MS;
  while (performance.now() < settleUntil && flat.some((w) => w.closedWith === null && confirmed(w) < expected(w))) await sleep(100);
  probe.stop();
  const probeResult = await probe.done;
  const unconfirmed = flat.reduce((n, w) => n + (expected(w) - confirmed(w)), 0);
  let lost = 0;
  let diverged = 0;
  for (let i = 0; i < QUIET; i++) {
    const fresh = (await freshLoad(quietDocs[i]!.url, quietDocs[i]!.framing)).getText('quiet').toString();
    const [a, b] = writers[i]!;
    // Acknowledged updates count sentAt frames, delivered ones count marks: one mark per frame here.
    for (const w of [a!, b!]) for (let k = 0; k < confirmed(w); k++) if (!fresh.includes(w.marks[k]!)) lost++;
    if (a!.doc.getText('quiet').toString() !== b!.doc.getText('quiet').toString()) diverged++;
  }
  for (const w of flat) w.ws.terminate();
  const quietDropped = flat.filter((w) => w.closedWith !== null);
  const quietCodes: Record<string, number> = {};
  for (const w of quietDropped) quietCodes[w.closedWith!] = (quietCodes[w.closedWith!] ?? 0) + 1;
  const h = probeResult.times;
  const acks = flat.flatMap((w) => w.ackTimes);
  const deliveries = flat.flatMap((w) => w.deliveryTimes);
  const figures: Figures = {
    http: `${spread(h)} (${h.length} asked, ${probeResult.timeouts} timed out)`,
    delivery: `${spread(deliveries)} (${deliveries.length.toLocaleString('en')})`,
    ack: target.acks ? `${spread(acks)} (${acks.length.toLocaleString('en')})` : 'no acknowledgement',
    quietClosed: `${quietDropped.length} of ${flat.length} (${codes(quietCodes)})`,
    hotClosed: `${Object.values(hotResult.closes).reduce((a, b) => a + b, 0)} of ${HOT} (${codes(hotResult.closes)})`,
    hotFrames: `${hotResult.sent.toLocaleString('en')} / ${hotResult.received.toLocaleString('en')}`,
    lost: `${lost}`,
    unconfirmed: `${unconfirmed}`,
    diverged: `${diverged} of ${QUIET}`,
    cpu: `${(cpu / 1000).toFixed(1)} s`,
    rss: `${rssIdle.toFixed(0)} → ${rssLoaded.toFixed(0)} MiB`,
  };
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
  return figures;
}

const ROWS: ReadonlyArray<readonly [keyof Figures & string, string, string]> = [
  ['http', 'HTTP answer p50 / p99 / max (Rapporteur: `/healthz`)', 'p99 ≤ 100 ms'],
  ['ack', 'quiet documents: durable acknowledgement p50 / p99 / max', 'p99 ≤ 1 s'],
  ['delivery', "quiet documents: a sentence reaching the other writer, p50 / p99 / max", ''],
  ['quietClosed', 'quiet sockets closed by the server', 'none'],
  ['hotClosed', 'hot sockets closed by the server', 'a 45xx code, clients retry'],
  ['hotFrames', 'hot updates sent / frames the hot clients received', ''],
  ['lost', 'confirmed quiet sentences missing from a fresh load', '0'],
  ['unconfirmed', 'quiet updates never confirmed (20 s after the load)', '0'],
  ['diverged', 'quiet documents whose two writers differ', '0'],
  ['cpu', `server CPU during the ${SECONDS} s load`, ''],
  ['rss', 'server RSS idle (documents created) → under load', ''],
];

async function rapporteurTarget(dataDir: string): Promise<Target & { storage: string }> {
  const storage = await rapporteurStorage();
  const server = await spawnServer(dataDir, storage.env, env.CPU_PROF ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${env.CPU_PROF}`] } : {});
  const owner = await signUp(server.url, { name: 'Overload' });
  return {
    name: storage.env.DATABASE_URL ? 'Rapporteur (PostgreSQL + Redis)' : 'Rapporteur',
    storage: storage.name,
    probeUrl: `${server.url}/healthz`,
    pid: server.process.pid!,
    acks: true,
    createDocument: async (title) => ({
      url: `${server.collabUrl}/${await createDocument(server.url, owner, title)}?token=${owner.token}&features=saved`,
      framing: { kind: 'plain' },
    }),
    close: async () => {
      await server.kill('SIGTERM');
      await storage.close();
    },
  };
}

async function peerTargets(dataDir: string): Promise<Array<() => Promise<Target>>> {
  const testsDir = path.join(repoRoot, 'tests');
  let n = 0;
  return [
    async () => {
      const yws = await startScript(Y_WEBSOCKET, testsDir);
      return {
        name: 'y-websocket server 2.1 (reference, no storage)',
        probeUrl: yws.url.replace('ws', 'http'),
        pid: yws.pid,
        acks: false,
        createDocument: async () => ({ url: `${yws.url}/overload-${n++}`, framing: { kind: 'plain' } }),
        close: yws.close,
      };
    },
    async () => {
      const hocuspocus = await startScript(HOCUSPOCUS, testsDir, [path.join(dataDir, 'hocuspocus.sqlite')]);
      return {
        name: 'Hocuspocus 4.7 + SQLite extension',
        probeUrl: hocuspocus.url.replace('ws', 'http'),
        pid: hocuspocus.pid,
        acks: false,
        createDocument: async () => ({ url: hocuspocus.url, framing: { kind: 'named', name: `overload-${n++}` } }),
        close: hocuspocus.close,
      };
    },
  ];
}

async function main(): Promise<void> {
  const dataDir = tempDataDir('rapporteur-bench-overload-');
  const results: Array<[string, Figures]> = [];
  const rapporteur = await rapporteurTarget(dataDir);
  try {
    results.push([rapporteur.name, await runScenario(rapporteur)]);
  } finally {
    await rapporteur.close();
  }
  if (PEERS) {
    for (const start of await peerTargets(dataDir)) {
      await sleep(2000); // the last server's sockets and processes gone
      const target = await start();
      try {
        results.push([target.name, await runScenario(target)]);
      } finally {
        await target.close();
      }
    }
  }
  const report = [
    `## Scenario: one hot document under overload, side by side (issue 16${rapporteur.storage === 'SQLite' ? '' : `, Rapporteur on ${rapporteur.storage}`})`,
    '',
    `${HOT} clients each write a paragraph a second into one document while ${QUIET} other documents have two writers each, writing a sentence`,
    `a second, for ${SECONDS} s; each server alone in turn (in its own process; the hot clients and the HTTP probe in two more; ${os.cpus().length} cores`,
    'shared by all). A quiet sentence is *confirmed* when Rapporteur acknowledges it as stored, or for a peer (which acknowledges',
    'nothing) when the other writer holds it. y-websocket answers any HTTP request with "okay" and Hocuspocus with its welcome page.',
    '',
    `| figure | ${results.map(([name]) => (name.startsWith('Rapporteur') ? `**${name}**` : name)).join(' | ')} | goal |`,
    `|---|${results.map(() => '---|').join('')}---|`,
    ...ROWS.map(([key, label, goal]) => `| ${label} | ${results.map(([, f]) => f[key]).join(' | ')} | ${goal} |`),
    '',
    `Command: \`${rapporteur.storage === 'SQLite' ? '' : 'STORAGE=postgres '}pnpm bench:overload\` (${new Date().toISOString().slice(0, 10)}${QUICK ? `, HOT=${HOT} QUIET=${QUIET} SECONDS=${SECONDS}` : ''}).`,
  ].join('\n');
  console.log(report);
  if (WRITE_RESULTS) writeSection(RESULTS_FILE, rapporteur.storage === 'SQLite' ? 'overload' : 'overload-postgres', report);
  process.exit(0);
}

await main();
