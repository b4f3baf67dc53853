/**
 * `pnpm bench:overload`: one hot document must not starve the others or the
 * HTTP API (issue 16, "under overload"). HOT clients each write a paragraph
 * a second into one document; QUIET other documents have two writers each,
 * writing a sentence a second. For SECONDS we measure:
 *
 * - `/healthz` answer time, asked every 100 ms by a separate process (10 s
 *   timeout; a timeout counts as 10 s);
 * - the quiet writers' durable acknowledgement: from sending an update to the
 *   server's `saved` message covering it (the `saved` extension, SPEC R4);
 * - sockets closed by the server, per side, with their close codes;
 * - at the end, after the load stops: every quiet document read by a fresh
 *   client holds every acknowledged sentence of both its writers, and the
 *   two writers agree (converged).
 *
 * The hot clients run in a child process and the `/healthz` probe in another,
 * so neither the probe nor the quiet writers' clocks wait behind the hot
 * clients' work. Goals (issue 16): `/healthz` p99 ≤ 100 ms, the quiet
 * documents' acknowledgement p99 ≤ 1 s, no quiet socket dropped, every
 * client converges.
 *
 *   HOT=n      hot clients (default 500)     QUIET=n   quiet documents (default 200)
 *   SECONDS=n  load time (default 30)        QUICK=1   HOT=100 QUIET=40 SECONDS=10, no RESULTS.md
 *   CPU_PROF=dir  the server writes a V8 CPU profile there  WRITE_RESULTS=1 writes RESULTS.md after a QUICK run
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

/** HOT sockets on one document, each writing a paragraph a second (staggered); prints close codes when told to stop. */
const HOT_CLIENTS = `
const WebSocket = require('ws'); const Y = require('yjs');
const enc = require('lib0/encoding');
const n = Number(process.env.HOT_N); const url = process.env.HOT_URL;
const closes = {}; let sent = 0; let received = 0; let stopping = false; const sockets = [];
const frame = (type, step, bytes) => { const e = enc.createEncoder(); enc.writeVarUint(e, type); enc.writeVarUint(e, step); enc.writeVarUint8Array(e, bytes); return enc.toUint8Array(e); };
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
    ws.send(frame(0, 0, Y.encodeStateVector(doc)));
    doc.on('update', (u) => { if (ws.readyState === 1) { ws.send(frame(0, 2, u)); sent++; } });
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

interface QuietWriter {
  readonly doc: Y.Doc;
  readonly ws: WebSocket;
  /** performance.now() when each update frame was sent, by frame number (1-based count). */
  readonly sentAt: number[];
  acked: number;
  readonly ackTimes: number[];
  closedWith: number | null;
  readonly marks: string[];
}

async function openQuiet(url: string): Promise<QuietWriter> {
  const doc = new Y.Doc();
  const ws = new WebSocket(`${url}&features=saved`);
  ws.binaryType = 'nodebuffer';
  const w: QuietWriter = { doc, ws, sentAt: [], acked: 0, ackTimes: [], closedWith: null, marks: [] };
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(encodeSyncStep1(Y.encodeStateVector(doc)));
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'remote' || ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeSyncUpdate(update));
    w.sentAt.push(performance.now());
  });
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.saved) {
      const count = decoding.readVarUint(decoder);
      const now = performance.now();
      for (; w.acked < count; w.acked++) if (w.sentAt[w.acked] !== undefined) w.ackTimes.push(now - w.sentAt[w.acked]!);
    } else if (type === MessageType.sync) {
      const step = decoding.readVarUint(decoder);
      if (step === 1 || step === 2) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), 'remote');
    }
  });
  ws.on('close', (code) => {
    w.closedWith = code;
  });
  return w;
}

/** A fresh client's copy of a document: sync step 1 with an empty state, the answer applied. */
async function freshLoad(url: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const loaded = new Promise<void>((resolve) =>
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MessageType.sync || decoding.readVarUint(decoder) !== 1) return;
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
      resolve();
    }),
  );
  ws.send(encodeSyncStep1(Y.encodeStateVector(doc)));
  await Promise.race([loaded, sleep(30_000).then(() => Promise.reject(new Error('a fresh load did not answer in 30 s')))]);
  ws.terminate();
  return doc;
}

async function main(): Promise<void> {
  const server = await spawnServer(tempDataDir('rapporteur-bench-overload-'), {}, env.CPU_PROF ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${env.CPU_PROF}`] } : {});
  const pid = server.process.pid!;
  const rows: string[][] = [];
  try {
    const owner = await signUp(server.url, { name: 'Overload' });
    const hotId = await createDocument(server.url, owner, 'Hot document');
    const quietIds: string[] = [];
    for (let i = 0; i < QUIET; i++) quietIds.push(await createDocument(server.url, owner, `Quiet ${i}`));
    const urlOf = (id: string) => `${server.collabUrl}/${id}?token=${owner.token}`;
    const rssIdle = rssMiB(pid);

    const writers: QuietWriter[][] = [];
    for (let i = 0; i < QUIET; i += 20) {
      writers.push(...(await Promise.all(quietIds.slice(i, i + 20).map(async (id) => [await openQuiet(urlOf(id)), await openQuiet(urlOf(id))]))));
    }
    console.log(`${QUIET * 2} quiet writers connected; starting ${HOT} hot clients and the probe`);
    const probe = child<{ times: number[]; timeouts: number }>(PROBE, { PROBE_URL: `${server.url}/healthz` });
    const hot = child<{ closes: Record<string, number>; sent: number; received: number }>(HOT_CLIENTS, { HOT_N: String(HOT), HOT_URL: urlOf(hotId) });
    await sleep(Math.min(10_000, 1000 + HOT * 10)); // the hot clients connect

    const cpuBefore = cpuMs(pid);
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
          const text = w.doc.getText('quiet');
          text.insert(text.length, `${mark} The working group will circulate the draft for comment. `);
        }
      }
      tick++;
      await sleep(Math.max(0, started + tick * 100 - performance.now()));
    }
    const cpu = cpuMs(pid) - cpuBefore;
    const rssLoaded = rssMiB(pid);
    hot.stop();
    const hotResult = await hot.done;

    // Settle: every quiet writer's updates acknowledged, then a fresh load of each document holds them all.
    const settleUntil = performance.now() + SETTLE_MS;
    const flat = writers.flat();
    while (performance.now() < settleUntil && flat.some((w) => w.closedWith === null && w.acked < w.sentAt.length)) await sleep(100);
    probe.stop();
    const probeResult = await probe.done;
    const unacked = flat.reduce((n, w) => n + (w.sentAt.length - w.acked), 0);
    let lost = 0;
    let diverged = 0;
    for (let i = 0; i < QUIET; i++) {
      const fresh = (await freshLoad(urlOf(quietIds[i]!))).getText('quiet').toString();
      const [a, b] = writers[i]!;
      for (const w of [a!, b!]) for (let k = 0; k < w.acked; k++) if (!fresh.includes(w.marks[k]!)) lost++;
      if (a!.doc.getText('quiet').toString() !== b!.doc.getText('quiet').toString()) diverged++;
    }
    const quietDropped = flat.filter((w) => w.closedWith !== null);
    const acks = flat.flatMap((w) => w.ackTimes);
    const codes = (m: Record<string, number>) =>
      Object.entries(m)
        .map(([code, n]) => `${n} × ${code}`)
        .join(', ') || 'none';
    const quietCodes: Record<string, number> = {};
    for (const w of quietDropped) quietCodes[w.closedWith!] = (quietCodes[w.closedWith!] ?? 0) + 1;
    const h = probeResult.times;
    const ms = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`;
    rows.push(
      ['`/healthz` answer p50 / p99 / max', `${ms(quantile(h, 0.5))} / ${ms(quantile(h, 0.99))} / ${ms(Math.max(...h))} (${h.length} asked, ${probeResult.timeouts} timed out)`, 'p99 ≤ 100 ms'],
      ['quiet documents: acknowledgement p50 / p99 / max', `${ms(quantile(acks, 0.5))} / ${ms(quantile(acks, 0.99))} / ${ms(Math.max(...acks))} (${acks.length.toLocaleString('en')} updates)`, 'p99 ≤ 1 s'],
      ['quiet sockets closed by the server', `${quietDropped.length} of ${flat.length} (${codes(quietCodes)})`, 'none'],
      ['hot sockets closed by the server', `${Object.values(hotResult.closes).reduce((a, b) => a + b, 0)} of ${HOT} (${codes(hotResult.closes)})`, 'a 45xx code, clients retry'],
      ['hot updates sent / frames the hot clients received', `${hotResult.sent.toLocaleString('en')} / ${hotResult.received.toLocaleString('en')}`, ''],
      ['acknowledged quiet updates missing from a fresh load', `${lost}`, '0'],
      ['quiet updates never acknowledged (20 s after the load)', `${unacked}`, '0'],
      ['quiet documents whose two writers differ', `${diverged} of ${QUIET}`, '0'],
      ['server CPU during the load', `${(cpu / 1000).toFixed(1)} s in ${SECONDS} s`, ''],
      ['server RSS idle (documents created) → under load', `${rssIdle.toFixed(0)} → ${rssLoaded.toFixed(0)} MiB`, ''],
    );
    for (const [k, v] of rows) console.log(`${k}: ${v}`);
  } finally {
    await server.kill('SIGTERM');
  }
  const report = [
    '## Scenario: one hot document under overload (issue 16)',
    '',
    `${HOT} clients each write a paragraph a second into one document while ${QUIET} other documents have two writers each, writing a sentence`,
    `a second, for ${SECONDS} s (server in its own process; the hot clients and the \`/healthz\` probe in two more; ${os.cpus().length} cores shared by all).`,
    '',
    '| figure | measured | goal |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `Command: \`pnpm bench:overload\` (${new Date().toISOString().slice(0, 10)}${QUICK ? `, HOT=${HOT} QUIET=${QUIET} SECONDS=${SECONDS}` : ''}).`,
  ].join('\n');
  console.log(report);
  if (WRITE_RESULTS) writeSection(RESULTS_FILE, 'overload', report);
}

await main();
