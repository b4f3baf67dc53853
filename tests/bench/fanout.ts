/**
 * `pnpm bench:fanout`: one writer, many readers of one document (issue 16).
 * A writer types one character every 20 ms; N raw subscribers (100, then
 * 1,000) hold sockets to the same document. For every keystroke we note when
 * the writer made it and when each subscriber received a frame carrying it
 * (the update's end state for the writer's client, `Y.parseUpdateMeta`), and
 * read the server process's CPU time (/proc) around the typing.
 *
 * The reference, measured in the same run with the same sockets and writer:
 * a bare `ws` server that relays each frame it gets from the writer,
 * pre-encoded, to every other socket — no storage, no Yjs, nothing but
 * `ws.send`. Its CPU per delivered frame is the floor issue 16 measures
 * against (goal: ≤ 1.2×).
 *
 * Each figure is the median of ROUNDS rounds; a round measures every size
 * and every server, the servers' order rotating from one round to the next
 * (the machine is shared: one run's ratio moved by ±30 %). From the CPU per
 * keystroke at each size, a least-squares line a + b·N splits each server's
 * cost into what a keystroke costs whatever the number of readers (a: for
 * Rapporteur, storing it durably and applying it) and what each delivery
 * costs (b), shown against the floor's.
 *
 *   SECONDS=n   typing time per scenario (default 10; QUICK=1: 4)
 *   ROUNDS=n    rounds (default 3; QUICK=1: 1)
 *   QUICK=1     shorter, no RESULTS.md unless WRITE_RESULTS=1
 *   PEERS=0     Rapporteur and the floor only (no RESULTS.md)
 *   SERVER_NODE_ARGS='…'  Node options for Rapporteur's process (e.g. --cpu-prof)
 *   STORAGE=postgres  Rapporteur on PostgreSQL (TEST_DATABASE_URL, a schema of its own) with Redis (TEST_REDIS_URL)
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeSyncStep1, encodeSyncUpdate } from '@rapporteur/protocol';
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
const PEERS = env.PEERS !== '0';
const WRITE_RESULTS = (!QUICK && PEERS) || env.WRITE_RESULTS === '1';
const SECONDS = Number(env.SECONDS ?? (QUICK ? 4 : 10));
const INTERVAL_MS = 20;
const POSTGRES = env.STORAGE === 'postgres';
const SIZES = (env.SIZES ?? '100,500,1000').split(',').map(Number);
const ROUNDS = Number(env.ROUNDS ?? (QUICK ? 1 : 3));
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU time of a process so far (ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The relay: every frame from one socket goes, as it is, to all the others. */
const RELAY = `
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('listening', () => process.stdout.write(String(wss.address().port) + '\\n'));
wss.on('connection', (ws) => {
  ws.on('message', (data) => { for (const other of wss.clients) if (other !== ws && other.readyState === 1) other.send(data); });
});
`;

async function startRelay(): Promise<{ url: string; pid: number; stop: () => void }> {
  return startScript(RELAY, path.join(repoRoot, 'server'));
}

interface Run {
  readonly latencies: number[];
  readonly deliveries: number;
  readonly cpuMs: number;
  readonly edits: number;
}

/** Opens `n` subscribers and a writer socket at `url`, types for SECONDS, and measures. */
async function measure(subscriberUrl: string, writerUrl: string, n: number, pid: number, server: boolean, framing: Framing = { kind: 'plain' }): Promise<Run> {
  const writerDoc = new Y.Doc();
  const writerClient = writerDoc.clientID;
  const madeAt: number[] = [];
  const latencies: number[] = [];
  let deliveries = 0;
  const subscribers: WebSocket[] = [];
  const open = (url: string): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'nodebuffer';
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => open(subscriberUrl)));
    for (const ws of batch) {
      let seen = 0;
      ws.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        if (framing.kind === 'named') decoding.readVarString(decoder);
        const type = decoding.readVarUint(decoder);
        if (type !== 0 && type !== 4) return; // sync messages only (Hocuspocus: 4 is a sync reply)
        const step = decoding.readVarUint(decoder);
        if (step !== 1 && step !== 2) return; // step 2 or update: both carry an update
        const update = decoding.readVarUint8Array(decoder);
        const upTo = Y.parseUpdateMeta(update).to.get(writerClient) ?? 0;
        const now = performance.now();
        if (upTo > seen) deliveries++;
        for (; seen < upTo; seen++) if (madeAt[seen] !== undefined) latencies.push(now - madeAt[seen]!);
      });
      const greeting = hello(framing);
      if (greeting) ws.send(greeting);
      if (server) ws.send(frame(framing, encodeSyncStep1(Y.encodeStateVector(new Y.Doc()))));
      subscribers.push(ws);
    }
  }
  const writer = await open(writerUrl);
  const greeting = hello(framing);
  if (greeting) writer.send(greeting);
  if (server) writer.send(frame(framing, encodeSyncStep1(Y.encodeStateVector(writerDoc))));
  writerDoc.on('update', (update: Uint8Array) => writer.send(frame(framing, encodeSyncUpdate(update))));
  await sleep(1000);
  const text = writerDoc.getText('default-bench');
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  let edits = 0;
  while (performance.now() - started < SECONDS * 1000) {
    madeAt[Y.getState(writerDoc.store, writerClient)] = performance.now();
    text.insert(text.length, 'x');
    edits++;
    const next = started + edits * INTERVAL_MS;
    await sleep(Math.max(0, next - performance.now()));
  }
  await sleep(2000);
  const cpu = cpuMs(pid) - cpuBefore;
  for (const ws of [...subscribers, writer]) ws.terminate();
  return { latencies, deliveries, cpuMs: cpu, edits };
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

const median = (values: number[]): number => quantile(values, 0.5);

/** Least squares y = a + b·x. */
function line(points: ReadonlyArray<readonly [number, number]>): { a: number; b: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const b = sxx === 0 ? NaN : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return { a: my - b * mx, b };
}

async function main(): Promise<void> {
  const dataDir = tempDataDir('rapporteur-bench-fanout-');
  const storage = await rapporteurStorage();
  const server = await spawnServer(dataDir, storage.env, { nodeArgs: (env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean) });
  const started: Array<{ stop: () => void }> = [];
  const rows: string[] = [];
  const fits: string[] = [];
  try {
    const relay = await startRelay();
    started.push(relay);
    const testsDir = path.join(repoRoot, 'tests');
    const yws = await startScript(Y_WEBSOCKET, testsDir);
    started.push(yws);
    const hocuspocus = await startScript(HOCUSPOCUS, testsDir, [path.join(dataDir, 'hocuspocus.sqlite')]);
    started.push(hocuspocus);
    const owner = await signUp(server.url, { name: 'Writer' });
    const RAPPORTEUR = POSTGRES ? 'Rapporteur (PostgreSQL + Redis)' : 'Rapporteur';
    const FLOOR = 'bare ws relay (floor)';
    const names = PEERS ? [RAPPORTEUR, 'y-websocket server 2.1 (reference, no storage)', 'Hocuspocus 4.7 + SQLite extension', FLOOR] : [RAPPORTEUR, FLOOR];
    const docs = new Map<number, string>();
    for (const n of SIZES) docs.set(n, await createDocument(server.url, owner, `Fan-out ${n}`));
    const runOf = async (name: string, n: number, round: number): Promise<Run> => {
      const room = `fanout-${n}-${round}`;
      if (name === RAPPORTEUR) {
        const url = `${server.collabUrl}/${docs.get(n)}?token=${owner.token}`;
        return measure(url, url, n, server.process.pid!, true);
      }
      if (name === FLOOR) return measure(relay.url, relay.url, n, relay.pid, false);
      if (name.startsWith('y-websocket')) return measure(`${yws.url}/${room}`, `${yws.url}/${room}`, n, yws.pid, true);
      return measure(hocuspocus.url, hocuspocus.url, n, hocuspocus.pid, true, { kind: 'named', name: room });
    };
    const perDelivery = (r: Run): number => (r.cpuMs * 1000) / Math.max(1, r.deliveries);
    const perKeystroke = (r: Run): number => (r.cpuMs * 1000) / Math.max(1, r.edits);
    /** runs.get(n).get(name): one Run per round. */
    const runs = new Map<number, Map<string, Run[]>>(SIZES.map((n) => [n, new Map(names.map((name) => [name, []]))]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      for (const n of SIZES) {
        for (const name of order) {
          const run = await runOf(name, n, round);
          runs.get(n)!.get(name)!.push(run);
          console.log(`round ${round + 1}/${ROUNDS}, ${n} subscribers, ${name}: p50 ${quantile(run.latencies, 0.5).toFixed(1)} ms, ${perDelivery(run).toFixed(1)} µs per frame`);
        }
      }
    }
    for (const n of SIZES) {
      const floor = median(runs.get(n)!.get(FLOOR)!.map(perDelivery));
      for (const name of names) {
        const r = runs.get(n)!.get(name)!;
        const cpu = median(r.map(perDelivery));
        const ratio = name === FLOOR ? '' : ` (${(cpu / floor).toFixed(2)}×)`;
        rows.push(
          `| ${n.toLocaleString('en')} | ${name === RAPPORTEUR ? `**${name}**` : name} | ${median(r.map((x) => x.edits))} | ${median(r.map((x) => quantile(x.latencies, 0.5))).toFixed(1)} ms | ${median(r.map((x) => quantile(x.latencies, 0.99))).toFixed(1)} ms | ${median(r.map((x) => x.deliveries)).toLocaleString('en')} | ${cpu.toFixed(1)} µs${ratio} |`,
        );
      }
    }
    if (SIZES.length >= 2) {
      const fitOf = (name: string) => line(SIZES.map((n) => [n, median(runs.get(n)!.get(name)!.map(perKeystroke))] as const));
      const floorFit = fitOf(FLOOR);
      for (const name of names) {
        const { a, b } = fitOf(name);
        fits.push(`| ${name === RAPPORTEUR ? `**${name}**` : name} | ${a.toFixed(0)} µs | ${b.toFixed(1)} µs${name === FLOOR ? '' : ` (${(b / floorFit.b).toFixed(2)}×)`} |`);
      }
    }
    console.log([...rows, '', ...fits].join('\n'));
  } finally {
    for (const s of started) s.stop();
    await server.kill('SIGTERM');
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const report = [
    `## Scenario: fan-out to many readers of one document (issue 16)${POSTGRES ? ' — Rapporteur on PostgreSQL + Redis' : ''}`,
    '',
    `One writer types a character every ${INTERVAL_MS} ms for ${SECONDS} s; N raw subscribers hold sockets to the same document. Latency: from the`,
    'keystroke in the writer to a subscriber receiving a frame that carries it (same process, same clock). CPU: the server process’s user +',
    'system time during the typing (and 2 s after) per frame delivered, and its ratio to the floor: a bare `ws` server relaying each frame,',
    'pre-encoded, to every other socket and nothing else. Every server runs in its own process, one after the other with the same',
    `clients: Rapporteur (run from source, ${POSTGRES ? 'PostgreSQL + Redis' : 'SQLite'}, stores before it sends), the reference y-websocket server and Hocuspocus`,
    '(both keep documents in memory and send before they store, if at all; peers installed for the bench only, in `tests`).',
    '',
    `Medians of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, the servers' order rotating between rounds.`,
    '',
    '| subscribers | server | keystrokes | latency p50 | latency p99 | frames delivered | CPU per frame (× floor) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(fits.length > 0
      ? [
          'The CPU per keystroke at each size, fitted to a + b·N (least squares): a, what a keystroke costs whatever the number of',
          'readers (receiving it; for Rapporteur also applying it and storing it durably); b, what each delivery costs.',
          '',
          '| server | a: per keystroke | b: per delivery (× floor) |',
          '|---|---|---|',
          ...fits,
          '',
        ]
      : []),
    `Command: \`${POSTGRES ? 'STORAGE=postgres ' : ''}pnpm bench:fanout\` (${new Date().toISOString().slice(0, 10)}). Goals (issue 16): 1,000 subscribers ≤ 20 / 60 ms; 100 ≤ 4 / 10 ms; CPU per delivery ≤ 1.2× the floor.`,
  ].join('\n');
  console.log(report);
  if (WRITE_RESULTS) writeSection(RESULTS_FILE, POSTGRES ? 'fanout-postgres' : 'fanout', report);
}

await main();
