/**
 * `pnpm bench`: replays a real editing trace (automerge-paper, 259,778
 * single-character edits) through a real server process and measures
 * throughput, durability lag, server memory, stored history and load time
 * after a restart, next to in-process Yjs references measured in the same run.
 *
 * Not part of the test suite. Environment:
 *   TRACE=path          sequential trace (.json.gz); default ../shared/traces/automerge-paper.json.gz
 *   OBSERVERS=n         observers (default 3)
 *   CHUNK=n             edits sent per macrotask (default 1000)
 *   QUICK=1             first 20,000 edits only; RESULTS.md is left alone unless WRITE_RESULTS=1
 *   BENCH_TIMEOUT_MS=n  bound on the whole run (default 600000)
 *
 * Sequence: reference (in-process Yjs) → server A: replay, memory → kill -9 A
 * → server B: load after that crash; then a typing burst that leaves a log
 * tail shorter than the checkpoint interval (the replay itself ends on a
 * checkpoint) → kill -9 B → server B2: load replaying that tail → SIGTERM B2
 * (clean stop, final checkpoint) → server C: load after the clean restart →
 * SIGTERM C → inspect the SQLite file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { connect, type Connection } from '@rapporteur/client';
import type { DocumentId } from '@rapporteur/protocol';
import { createLogger, diffStates, History, SqlDocumentStore, sqliteFile } from '@rapporteur/server';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { signUp } from '../support/accounts';
import { createDocument } from '../support/clients';
import { keptSections } from './resultsSection';
import { type ChildServer, repoRoot, spawnServer, tempDataDir } from '../support/server';

// ---------------------------------------------------------------- settings

const env = process.env;
const QUICK = env.QUICK === '1';
const QUICK_EDITS = 20_000;
const OBSERVERS = intEnv('OBSERVERS', 3, 1);
const CHUNK = intEnv('CHUNK', 1000, 1);
const TIMEOUT_MS = intEnv('BENCH_TIMEOUT_MS', 600_000, 10_000);
const TRACE = path.resolve(env.TRACE ?? path.resolve(repoRoot, '../shared/traces/automerge-paper.json.gz'));
const WRITE_RESULTS = !QUICK || env.WRITE_RESULTS === '1';
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const SERVER_HOOK = path.join(repoRoot, 'tests/bench/serverHook.mjs');
const WS = WebSocket as unknown as typeof globalThis.WebSocket;
const startedAt = performance.now();
const deadline = Date.now() + TIMEOUT_MS;

function intEnv(name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${raw}`);
  return n;
}

/** The command as typed, with the environment variables that change what runs. */
function commandLine(): string {
  const vars = ['TRACE', 'OBSERVERS', 'CHUNK', 'QUICK', 'WRITE_RESULTS', 'BENCH_TIMEOUT_MS']
    .filter((k) => env[k] !== undefined && env[k] !== '')
    .map((k) => `${k}=${env[k]}`);
  return [...vars, 'pnpm bench'].join(' ');
}

// ------------------------------------------------------------------ trace

type Patch = readonly [pos: number, delCount: number, insText: string];
interface Trace {
  readonly name: string;
  readonly startContent: string;
  readonly endContent: string;
  readonly patches: readonly Patch[];
  readonly totalEdits: number;
}

function loadTrace(file: string): Trace {
  const raw = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as {
    startContent: string;
    endContent: string;
    kind?: string;
    txns: Array<{ patches: Patch[]; parents?: unknown }>;
  };
  if (raw.kind === 'concurrent' || raw.txns.some((t) => t.parents !== undefined)) {
    throw new Error(`${file} is a concurrent trace; this bench replays sequential traces only`);
  }
  const all = raw.txns.flatMap((t) => t.patches);
  if (!QUICK) return { name: path.basename(file), startContent: raw.startContent, endContent: raw.endContent, patches: all, totalEdits: all.length };
  // The quick run's expected text is computed on a plain string, independently of Yjs.
  const patches = all.slice(0, QUICK_EDITS);
  let s = raw.startContent;
  for (const [pos, del, ins] of patches) s = s.slice(0, pos) + ins + s.slice(pos + del);
  return { name: path.basename(file), startContent: raw.startContent, endContent: s, patches, totalEdits: all.length };
}

function applyPatch(doc: Y.Doc, text: Y.Text, [pos, del, ins]: Patch): void {
  doc.transact(() => {
    if (del > 0) text.delete(pos, del);
    if (ins.length > 0) text.insert(pos, ins);
  });
}

// ------------------------------------------------------------------ utils

const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function remaining(): number {
  return deadline - Date.now();
}

/** Rejects after `ms` (capped by the run's deadline) naming `what`. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const limit = Math.max(0, Math.min(ms, remaining()));
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(limit / 1000)} s waiting for ${what}`)), limit);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(predicate: () => boolean, ms: number, what: string, pollMs = 20): Promise<void> {
  const end = Math.min(Date.now() + ms, deadline);
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const log = (msg: string): void => {
  process.stderr.write(`[bench ${((now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);
};

// ------------------------------------------------------------ /proc reading

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcMem {
  rssKiB: number;
  hwmKiB: number;
}

function procMem(pid: number): ProcMem {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
}

/** CPU seconds (user + system) the process has used. */
function procCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime 14, stime 15 (1-based) → indexes 11, 12 here.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function dbFiles(dataDir: string): { db: number; wal: number } {
  const file = sqliteFile(dataDir);
  return { db: fileSize(file), wal: fileSize(`${file}-wal`) };
}

// ---------------------------------------------------------- server control

interface Server {
  readonly child: ChildServer;
  /** The server's process id. */
  readonly pid: number;
  readonly startMs: number;
  readonly loads: Array<{ updates: number; ms: number }>;
  readonly problems: string[];
  stopped: boolean;
}

const liveServers = new Set<Server>();
const tempDirs = new Set<string>();
const connections = new Set<Connection>();

async function startServer(dataDir: string, loopFile: string): Promise<Server> {
  const t0 = now();
  // debug level makes the server log its own "document loaded" time; the
  // hook records the server's event-loop stalls (see serverHook.mjs).
  const child = await withTimeout(
    spawnServer(dataDir, {
      LOG_LEVEL: 'debug',
      NODE_OPTIONS: [env.NODE_OPTIONS, `--import ${pathToFileURL(SERVER_HOOK).href}`].filter(Boolean).join(' '),
      BENCH_LOOP_FILE: loopFile,
    }),
    60_000,
    'the server to listen',
  );
  const startMs = now() - t0;
  // spawnServer runs the server in node itself (tsx only as a loader): its pid is the server's.
  const pid = child.process.pid!;
  const server: Server = { child, pid, startMs, loads: [], problems: [], stopped: false };
  liveServers.add(server);
  let buffer = '';
  child.process.stdout?.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        const entry = JSON.parse(line) as { level: number; msg: string; updates?: number; ms?: number };
        if (entry.msg === 'document loaded') server.loads.push({ updates: entry.updates ?? 0, ms: entry.ms ?? NaN });
        if (entry.level >= 40) server.problems.push(line.slice(0, 400));
      } catch {
        if (line.trim()) server.problems.push(line.slice(0, 400));
      }
    }
  });
  return server;
}

/** Sends `signal` to the server's node process itself and waits for the whole chain to exit. */
async function stopServer(server: Server, signal: 'SIGTERM' | 'SIGKILL'): Promise<{ ms: number; code: number | null }> {
  const t0 = now();
  try {
    process.kill(server.pid, signal);
  } catch {
    // already gone
  }
  let code: number | null;
  try {
    code = await withTimeout(server.child.exited, 30_000, `the server to exit after ${signal}`);
  } catch (error) {
    await killHard(server);
    throw error;
  }
  const ms = now() - t0;
  await until(() => !fs.existsSync(`/proc/${server.pid}`) || procState(server.pid) === 'Z', 5000, 'the server process to disappear');
  server.stopped = true;
  liveServers.delete(server);
  return { ms, code };
}

function procState(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '';
  }
}

async function killHard(server: Server): Promise<void> {
  for (const pid of [server.pid, server.child.process.pid]) {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await Promise.race([server.child.exited, sleep(5000)]);
  liveServers.delete(server);
}

function cleanupSync(): void {
  for (const c of connections) {
    try {
      c.destroy();
    } catch {
      // ignore
    }
  }
  connections.clear();
  for (const s of liveServers) {
    for (const pid of [s.pid, s.child.process.pid]) {
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  liveServers.clear();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

// --------------------------------------------------------------- clients

interface Client {
  readonly conn: Connection;
  readonly text: Y.Text;
  updates: number;
  closes: string[];
}

/** The access token of the bench's account (signed up on the first server; the restarts keep it). */
let benchToken = '';

function openClient(collabUrl: string, documentId: string): Client {
  const conn = connect(documentId, { url: collabUrl, WebSocketPolyfill: WS, token: benchToken });
  connections.add(conn);
  const client: Client = { conn, text: conn.doc.getText('t'), updates: 0, closes: [] };
  conn.doc.on('update', () => client.updates++);
  conn.provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
    if (!closing.has(conn)) client.closes.push(`${code}${reason ? ` ${reason}` : ''}`);
  });
  return client;
}

const closing = new Set<Connection>();
function closeClient(c: Client): void {
  closing.add(c.conn);
  c.conn.destroy();
  connections.delete(c.conn);
}

/** A fresh observer: connect → synced → text equals `expected`. */
async function measureLoad(collabUrl: string, documentId: string, expected: string, what: string): Promise<number> {
  const t0 = now();
  const c = openClient(collabUrl, documentId);
  try {
    await withTimeout(c.conn.whenSynced(), 120_000, `${what}: sync`);
    await until(() => c.text.length === expected.length && c.text.toString() === expected, 60_000, `${what}: text equals endContent`, 5);
    return now() - t0;
  } finally {
    closeClient(c);
  }
}

// ------------------------------------------------------------- reference

interface Reference {
  /** Y.applyUpdate of the final state with every deleted item kept (gc off), as history rebuilds need. */
  historyStateBytes: number;
  historyStateApplyMs: number;
  applyMs: number;
  replicaMs: number;
  stateBytes: number;
  stateApplyMs: number;
  state: Uint8Array;
}

function reference(trace: Trace): Reference {
  // 1. A plain Y.Doc, one transaction per edit, nobody listening. Best of
  // two runs: the first also pays for JIT warm-up.
  let doc = new Y.Doc();
  let applyMs = Infinity;
  let t0: number;
  for (let run = 0; run < 2; run++) {
    doc.destroy();
    doc = new Y.Doc();
    const text = doc.getText('t');
    if (trace.startContent) text.insert(0, trace.startContent);
    t0 = now();
    for (const p of trace.patches) applyPatch(doc, text, p);
    applyMs = Math.min(applyMs, now() - t0);
    if (text.toString() !== trace.endContent) throw new Error('in-process Yjs replay does not produce endContent');
  }

  // 2. The CRDT work the wire adds, without a wire: encode each update and apply it to a replica.
  const a = new Y.Doc();
  const b = new Y.Doc();
  const at = a.getText('t');
  a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
  if (trace.startContent) at.insert(0, trace.startContent);
  t0 = now();
  for (const p of trace.patches) applyPatch(a, at, p);
  const replicaMs = now() - t0;
  if (b.getText('t').toString() !== trace.endContent) throw new Error('in-process replica does not hold endContent');

  // 3. Loading the final state into a fresh doc (median of 5).
  const state = Y.encodeStateAsUpdate(doc);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = new Y.Doc();
    t0 = now();
    Y.applyUpdate(fresh, state);
    runs.push(now() - t0);
    if (i === 0 && fresh.getText('t').toString() !== trace.endContent) throw new Error('applyUpdate of the final state differs');
    fresh.destroy();
  }
  // 4. The same with deleted content kept (no garbage collection), as history rebuilds need it.
  const full = new Y.Doc({ gc: false });
  const ft = full.getText('t');
  if (trace.startContent) ft.insert(0, trace.startContent);
  for (const p of trace.patches) applyPatch(full, ft, p);
  const historyState = Y.encodeStateAsUpdate(full);
  full.destroy();
  const historyRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = new Y.Doc({ gc: false });
    t0 = now();
    Y.applyUpdate(fresh, historyState);
    historyRuns.push(now() - t0);
    fresh.destroy();
  }
  doc.destroy();
  a.destroy();
  b.destroy();
  return {
    applyMs,
    replicaMs,
    stateBytes: state.byteLength,
    stateApplyMs: median(runs),
    state,
    historyStateBytes: historyState.byteLength,
    historyStateApplyMs: median(historyRuns),
  };
}

// ---------------------------------------------------------------- results

interface Sample {
  t: number;
  sent: number;
  minObserved: number;
  pending: number;
  buffered: number;
  serverRssKiB: number;
  serverCpuPct: number;
  benchCpuPct: number;
}

const R: {
  // reference
  ref?: Reference;
  // replay
  serverStartRssKiB?: number;
  sendMs?: number;
  convergedMs?: number;
  observerMs?: number[];
  savedMs?: number;
  serverAfter?: ProcMem;
  serverPeakSampledKiB?: number;
  serverCpuS?: number;
  benchCpuS?: number;
  benchPeakRssKiB?: number;
  closes?: string[];
  samples: Sample[];
  filesRunning?: { db: number; wal: number };
  filesCrash?: { db: number; wal: number };
  // crash restart
  serverIdle?: ProcMem;
  stalls?: Array<{ t: number; maxMs: number }>;
  crashTail?: CrashTail;
  storeLoadMs?: number;
  crash?: Restart;
  burstUpdates?: number;
  burstMs?: number;
  tailTail?: CrashTail;
  tailStoreLoadMs?: number;
  tailCrash?: Restart;
  termStopMs?: number;
  termStopCode?: number | null;
  clean?: Restart;
  filesClean?: { db: number; wal: number };
  stats?: { updates: number; updateBytes: number; checkpoints: number; checkpointBytes: number; historyCheckpoints: number; historyCheckpointBytes: number };
  history?: HistoryFigures;
  finalCheckpointBytes?: number;
  storedTextOk?: boolean;
  problems: string[];
} = { samples: [], problems: [] };

interface HistoryFigures {
  lastSeq: number;
  /** History checkpoints the servers had written by the end of the run (before this measurement). */
  checkpointsBefore: number;
  /**
   * One pass writing the history checkpoints the log still lacks, as a
   * server does once the document is quiet (SPEC V3): the servers here are
   * killed or stopped right after the replay, before that moment comes.
   */
  catchUp: { ms: number; checkpointsAfter: number };
  rebuilds: Array<{ seq: number; ms: number }>;
  rebuildTextOk: boolean;
  diff: { fromSeq: number; toSeq: number; ms: number; runs: number; rebuildMs: number; deleteSetsMs: number; walkMs: number };
}

interface CrashTail {
  checkpointSeq: number;
  checkpointBytes: number;
  tailUpdates: number;
  tailBytes: number;
  lastSeq: number;
}

interface Restart {
  spawnMs: number;
  loadMs: number;
  serverLoggedMs: number | null;
  serverLoggedUpdates: number | null;
  warmJoinMs: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  hwmAfterKiB: number;
}

const KiB = 1024;
const MiB = 1024 * 1024;
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number | undefined): string =>
  ms === undefined ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
const fmtMiB = (bytes: number | undefined): string => (bytes === undefined ? '—' : `${(bytes / MiB).toFixed(1)} MiB`);
const fmtKiBasMiB = (kib: number | undefined): string => (kib === undefined ? '—' : `${(kib / KiB).toFixed(0)} MiB`);
const fmtBytes = (b: number): string => (b >= MiB ? fmtMiB(b) : b >= KiB ? `${(b / KiB).toFixed(1)} KiB` : `${b} B`);
const rate = (edits: number, ms: number | undefined): string => (ms === undefined ? '—' : `${fmtInt((edits * 1000) / ms)} edits/s`);

function restartRows(label: string, r: Restart | undefined, applyMs: number | undefined): Array<[string, string]> {
  if (!r) return [];
  return [
    [`${label}: server start (spawn → listening)`, fmtMs(r.spawnMs)],
    [`${label}: load (fresh observer connect → synced, text = endContent)`, fmtMs(r.loadMs)],
    [
      `${label}: of which the server's own load (read + merge + apply, logged)`,
      r.serverLoggedMs === null ? '—' : `${fmtMs(r.serverLoggedMs)} (${fmtInt(r.serverLoggedUpdates ?? 0)} log rows after the checkpoint)`,
    ],
    [`${label}: second observer, document already loaded`, fmtMs(r.warmJoinMs)],
    [`${label}: server RSS before → after load (peak)`, `${fmtKiBasMiB(r.rssBeforeKiB)} → ${fmtKiBasMiB(r.rssAfterKiB)} (${fmtKiBasMiB(r.hwmAfterKiB)})`],
    ...(applyMs !== undefined ? ([[`${label}: load / in-memory applyUpdate`, `${(r.loadMs / applyMs).toFixed(0)}×`]] as Array<[string, string]>) : []),
  ];
}

function tables(trace: Trace): { main: Array<[string, string]>; ratios: Array<[string, string]> } {
  const n = trace.patches.length;
  const ref = R.ref;
  const main: Array<[string, string]> = [];
  if (ref) {
    main.push(
      ['reference: in-process Y.Doc, one transaction per edit (best of 2)', `${fmtMs(ref.applyMs)} — ${rate(n, ref.applyMs)}`],
      ['reference: in-process writer → replica (encode + applyUpdate per edit, no network)', `${fmtMs(ref.replicaMs)} — ${rate(n, ref.replicaMs)}`],
      ['reference: Y.applyUpdate of the final state into a fresh doc (median of 5)', `${fmtMs(ref.stateApplyMs)} (state ${fmtBytes(ref.stateBytes)})`],
      [
        'reference: Y.applyUpdate of the final state with deleted text kept (gc off) into a fresh doc (median of 5)',
        `${fmtMs(ref.historyStateApplyMs)} (state ${fmtBytes(ref.historyStateBytes)})`,
      ],
    );
  }
  if (R.sendMs !== undefined) main.push(['replay: writer applied and handed every edit to its socket', `${fmtMs(R.sendMs)} — ${rate(n, R.sendMs)}`]);
  if (R.convergedMs !== undefined) {
    main.push([`replay: every observer (${OBSERVERS}) holds endContent`, `${fmtMs(R.convergedMs)} — **${rate(n, R.convergedMs)}**`]);
    main.push(['replay: per observer', (R.observerMs ?? []).map((m) => fmtMs(m)).join(', ')]);
  }
  if (R.savedMs !== undefined) main.push(["replay: writer's whenSaved() (every edit durable)", `${fmtMs(R.savedMs)} — ${rate(n, R.savedMs)}`]);
  if (R.closes) main.push(['replay: sockets closed by the server during the replay', R.closes.length ? R.closes.join('; ') : 'none']);
  if (R.stalls && R.stalls.length > 0) {
    const worst = Math.max(...R.stalls.map((x) => x.maxMs));
    const over = (ms: number): number => R.stalls!.filter((x) => x.maxMs > ms).length;
    main.push([
      "replay: server's longest event-loop stall (nothing else is served meanwhile)",
      `${fmtMs(worst)}; seconds with a stall over 100 ms: ${over(100)}, over 500 ms: ${over(500)} (of ${R.stalls.length})`,
    ]);
  }
  if (R.serverCpuS !== undefined)
    main.push(['replay: CPU time, server process / bench process (writer + observers)', `${R.serverCpuS.toFixed(1)} s / ${(R.benchCpuS ?? 0).toFixed(1)} s`]);
  if (R.serverStartRssKiB !== undefined) main.push(['server RSS after start (empty)', fmtKiBasMiB(R.serverStartRssKiB)]);
  if (R.serverAfter) {
    main.push(['server RSS after the replay', fmtKiBasMiB(R.serverAfter.rssKiB)]);
    if (R.serverIdle) main.push(['server RSS 5 s later, idle, clients still connected', fmtKiBasMiB(R.serverIdle.rssKiB)]);
    main.push(['server peak RSS (VmHWM) after the replay', `${fmtKiBasMiB(R.serverAfter.hwmKiB)} (highest RSS sampled every 250 ms: ${fmtKiBasMiB(R.serverPeakSampledKiB)})`]);
  }
  if (R.benchPeakRssKiB !== undefined) main.push(['bench process peak RSS (writer + observers, not the server)', fmtKiBasMiB(R.benchPeakRssKiB)]);
  if (R.filesRunning) main.push(['SQLite files after the replay, server running (db + wal)', `${fmtMiB(R.filesRunning.db)} + ${fmtMiB(R.filesRunning.wal)}`]);
  if (R.filesCrash) main.push(['SQLite files right after kill -9 (db + wal)', `${fmtMiB(R.filesCrash.db)} + ${fmtMiB(R.filesCrash.wal)}`]);
  if (R.filesClean) main.push(['SQLite files after the clean stops (db + wal)', `${fmtMiB(R.filesClean.db)} + ${fmtMiB(R.filesClean.wal)}`]);
  if (R.stats) {
    main.push(['stored updates (rows, bytes of data; the trace + the burst)', `${fmtInt(R.stats.updates)} rows, ${fmtBytes(R.stats.updateBytes)} (${(R.stats.updateBytes / Math.max(1, R.stats.updates)).toFixed(1)} B/update)`]);
    main.push(['stored checkpoints (rows, bytes of data)', `${fmtInt(R.stats.checkpoints)} rows, ${fmtBytes(R.stats.checkpointBytes)}`]);
    main.push([
      'stored history checkpoints (rows, bytes of data; deleted text kept, pruned only by compaction, SPEC V3)',
      `${fmtInt(R.stats.historyCheckpoints)} rows, ${fmtBytes(R.stats.historyCheckpointBytes)} (${(R.stats.historyCheckpointBytes / Math.max(1, R.stats.updateBytes)).toFixed(2)}× the log)`,
    ]);
  }
  if (R.finalCheckpointBytes !== undefined) main.push(['newest checkpoint', `${fmtBytes(R.finalCheckpointBytes)}; stored state = endContent: ${R.storedTextOk ? 'yes' : 'NO'}`]);
  const tailRow = (label: string, t: CrashTail | undefined, loadMs: number | undefined): void => {
    if (!t) return;
    main.push([
      `${label}: newest checkpoint / log tail after it`,
      `seq ${fmtInt(t.checkpointSeq)} of ${fmtInt(t.lastSeq)} (${fmtBytes(t.checkpointBytes)}) / ${fmtInt(t.tailUpdates)} updates (${fmtBytes(t.tailBytes)})`,
    ]);
    if (loadMs !== undefined)
      main.push([`${label}: in-process load of a copy of the files (loadDocument + mergeUpdates + applyUpdate, warm JIT)`, fmtMs(loadMs)]);
  };
  tailRow('kill -9 right after the replay', R.crashTail, R.storeLoadMs);
  main.push(...restartRows('after kill -9 right after the replay', R.crash, ref?.stateApplyMs));
  if (R.burstUpdates !== undefined)
    main.push(['typing burst on that server (type, then backspace; text unchanged)', `${fmtInt(R.burstUpdates)} updates, saved in ${fmtMs(R.burstMs)}`]);
  tailRow('kill -9 after the burst', R.tailTail, R.tailStoreLoadMs);
  main.push(...restartRows('after kill -9 with a log tail', R.tailCrash, ref?.stateApplyMs));
  if (R.termStopMs !== undefined) main.push(['SIGTERM: time to a clean exit (stores, checkpoints, closes)', `${fmtMs(R.termStopMs)}, exit code ${R.termStopCode}`]);
  main.push(...restartRows('after SIGTERM', R.clean, ref?.stateApplyMs));
  const h = R.history;
  if (h) {
    main.push(['history: checkpoints the servers had written during the run (they wait for a quiet document)', fmtInt(h.checkpointsBefore)]);
    main.push([
      'history: writing the missing ones, as a server does once the document is quiet (one pass, once)',
      `${fmtMs(h.catchUp.ms)} → ${fmtInt(h.catchUp.checkpointsAfter)} history checkpoints`,
    ]);
    for (const r of h.rebuilds) {
      main.push([`history: state at seq ${fmtInt(r.seq)} of ${fmtInt(h.lastSeq)} rebuilt from the store (nearest history checkpoint + log)`, fmtMs(r.ms)]);
    }
    main.push([
      `history: diff seq ${fmtInt(h.diff.fromSeq)} → ${fmtInt(h.diff.toSeq)} with authorship (both rebuilds + who deleted what in ${fmtInt(h.diff.toSeq - h.diff.fromSeq)} records + walk)`,
      `**${fmtMs(h.diff.ms)}** (${fmtMs(h.diff.rebuildMs)} + ${fmtMs(h.diff.deleteSetsMs)} + ${fmtMs(h.diff.walkMs)}); ${fmtInt(h.diff.runs)} runs`,
    ]);
  }

  const ratios: Array<[string, string]> = [];
  if (ref && R.convergedMs !== undefined) {
    ratios.push(['server throughput / in-process Yjs throughput', `${(ref.applyMs / R.convergedMs).toFixed(3)} (server is ${(R.convergedMs / ref.applyMs).toFixed(1)}× slower)`]);
    ratios.push(['server throughput / in-process writer → replica', `${(ref.replicaMs / R.convergedMs).toFixed(3)}`]);
  }
  if (ref && R.savedMs !== undefined) ratios.push(['durable throughput (whenSaved) / in-process Yjs throughput', `${(ref.applyMs / R.savedMs).toFixed(3)}`]);
  if (ref && R.clean) ratios.push(['load after SIGTERM restart / in-memory applyUpdate', `${(R.clean.loadMs / ref.stateApplyMs).toFixed(1)}×`]);
  if (ref && R.crash) ratios.push(['load after kill -9 right after the replay / in-memory applyUpdate', `${(R.crash.loadMs / ref.stateApplyMs).toFixed(1)}×`]);
  if (ref && R.tailCrash)
    ratios.push([
      `load after kill -9 with a ${fmtInt(R.tailTail?.tailUpdates ?? 0)}-update tail / in-memory applyUpdate`,
      `${(R.tailCrash.loadMs / ref.stateApplyMs).toFixed(1)}×`,
    ]);
  if (ref && h) {
    const worst = Math.max(...h.rebuilds.map((r) => r.ms));
    ratios.push(['slowest history rebuild / in-memory applyUpdate of the gc-off final state', `${(worst / ref.historyStateApplyMs).toFixed(1)}×`]);
  }
  return { main, ratios };
}

function markdownTable(rows: Array<[string, string]>, head: [string, string]): string {
  return [`| ${head[0]} | ${head[1]} |`, '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
}

function plainTable(rows: Array<[string, string]>): string {
  const w = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b.replace(/\*\*/g, '')}`).join('\n');
}

/** The hook samples every 10 ms, so shorter stalls are not resolved. */
const fmtStall = (ms: number): string => (ms < 10 ? '< 10 ms' : fmtMs(ms));

function timelineRows(): string[] {
  const s = R.samples;
  if (s.length === 0) return [];
  const step = Math.max(1, Math.ceil(s.length / 16));
  const picked = s.filter((_, i) => i % step === 0 || i === s.length - 1);
  const stalls = R.stalls ?? [];
  return picked.map(
    (x, i) =>
      `| ${(x.t / 1000).toFixed(0)} s | ${fmtStall(Math.max(0, ...stalls.filter((e) => e.t <= x.t + 500 && e.t > (i === 0 ? -Infinity : picked[i - 1]!.t + 500)).map((e) => e.maxMs)))} | ${fmtInt(x.sent)} | ${fmtInt(x.minObserved)} | ${fmtInt(x.pending)} | ${fmtBytes(x.buffered)} | ${fmtKiBasMiB(x.serverRssKiB)} | ${x.serverCpuPct.toFixed(0)} % | ${x.benchCpuPct.toFixed(0)} % |`,
  );
}

function report(trace: Trace, machine: Machine, totalMs: number, ok: boolean, error?: unknown): string {
  const { main, ratios } = tables(trace);
  const n = trace.patches.length;
  return `# Benchmark: replaying a real editing trace through the server

${ok ? '' : `**This run FAILED: ${String(error instanceof Error ? error.message : error)}**\n\n`}- Date: ${new Date().toISOString()}
- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB memory, Node ${process.version}, ${os.type()} ${os.release()}; load average at start ${machine.loadStart}, at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}
- Command: \`${commandLine()}\` (from the repository root)
- Trace: \`${trace.name}\` — ${fmtInt(n)}${n < trace.totalEdits ? ` of ${fmtInt(trace.totalEdits)}` : ''} edits, final text ${fmtInt(trace.endContent.length)} characters; one writer, ${OBSERVERS} observers, ${fmtInt(CHUNK)} edits per macrotask; server: \`server/src/main.ts\` as a child process (default configuration, SQLite in a temporary DATA_DIR)
- Whole run took ${fmtMs(totalMs)}

## Figures

${markdownTable(main, ['what', 'measured'])}

## Ratios (read these on a noisy machine)

${markdownTable(ratios, ['ratio', 'value'])}

## During the replay (one row per ~${Math.max(1, Math.ceil(R.samples.length / 16))} s)

| time | server's longest event-loop stall | edits sent | edits seen by the slowest observer | writer's unconfirmed changes | writer socket buffer | server RSS | server CPU | bench CPU (writer + observers) |
|---|---|---|---|---|---|---|---|---|
${timelineRows().join('\n')}

${R.problems.length ? `## Server warnings and errors (first ${Math.min(10, R.problems.length)})\n\n\`\`\`\n${R.problems.slice(0, 10).join('\n')}\n\`\`\`\n\n` : ''}## How to read this

The writer applies each edit of the trace to its own Y.Doc as one Yjs
transaction, so each edit is one update frame on the sync socket; it sends
${fmtInt(CHUNK)} edits per macrotask without waiting for acknowledgements. The server
stores every frame in SQLite before it applies and broadcasts it, so "every
observer holds endContent" is end-to-end throughput through store, apply and
fan-out, and \`whenSaved()\` is the moment the last edit was confirmed durable.
Absolute times depend on the machine and on whatever else runs on it (this
is a shared ${machine.cores}-core machine: see the load average above), so compare runs
through the ratios, which divide by in-process Yjs work measured in the same
run: the throughput ratio says what fraction of raw Yjs speed survives the
network, the store and the fan-out; the load ratio says how many times longer
a cold load after a restart takes than applying the final state in memory.
The server checkpoints after a save batch once 1,000 updates (or 4 MiB) have
accumulated since the last checkpoint; the replay's batches are large, so it
ends on or near a checkpoint and a kill -9 right after it leaves little or no
log tail (see the figures). The second kill -9 follows a typing burst that
keeps the tail just below that threshold, so its load replays a near-maximal
tail after the checkpoint; the SIGTERM load reads only the checkpoint written
at the clean stop. The event-loop stalls come from a small hook loaded into
the server (\`tests/bench/serverHook.mjs\`, \`monitorEventLoopDelay\`). Every load runs in a freshly started
server, whose JIT has not yet compiled the Yjs code, which is one reason it is
slower than the same work in this (warm) process. Server memory
is read from \`/proc/<pid>/status\` of the server process; the bench's own clients run in
another process. That process applies every update three times (once per
observer) besides the writer's own work, on the same core budget, so compare
its CPU time with the server's to see which side limited the throughput.
A real user types a few edits per second; this trace at full speed is a
stress test of the per-update path, not a typical load.
`;
}

interface Machine {
  cpu: string;
  cores: number;
  memGiB: string;
  loadStart: string;
}

// ------------------------------------------------------------------- main

async function replay(trace: Trace, dataDir: string): Promise<string> {
  const loopFile = path.join(dataDir, 'loop-A.jsonl');
  const server = await startServer(dataDir, loopFile);
  log(`server A listening at ${server.child.url} (pid ${server.pid})`);
  R.serverStartRssKiB = procMem(server.pid).rssKiB;
  const owner = await withTimeout(signUp(server.child.url), 30_000, 'signUp');
  benchToken = owner.token;
  const documentId = await withTimeout(createDocument(server.child.url, owner, 'automerge-paper bench'), 30_000, 'createDocument');

  const writer = openClient(server.child.collabUrl, documentId);
  const observers = Array.from({ length: OBSERVERS }, () => openClient(server.child.collabUrl, documentId));
  await withTimeout(Promise.all([writer, ...observers].map((c) => c.conn.whenSynced())), 60_000, 'clients to sync');
  const wdoc = writer.conn.doc;
  const wtext = writer.text;
  if (trace.startContent) wtext.insert(0, trace.startContent);
  const base = observers.map((o) => o.updates);
  const expected = trace.endContent;
  const n = trace.patches.length;

  let sent = 0;
  const observerDone: Array<number | null> = observers.map(() => null);
  const cpu0 = { server: procCpuSeconds(server.pid), bench: process.cpuUsage() };
  let peakKiB = 0;
  let lastCpu = { t: now(), cpu: cpu0.server, bench: process.cpuUsage() };
  const t0 = now();
  const wallT0 = Date.now();

  // Sample every 250 ms; keep one sample a second for the timeline.
  let lastSampleSec = -1;
  const sampler = setInterval(() => {
    try {
      const m = procMem(server.pid);
      peakKiB = Math.max(peakKiB, m.rssKiB);
      const t = now() - t0;
      const sec = Math.floor(t / 1000);
      if (sec === lastSampleSec) return;
      lastSampleSec = sec;
      const cpu = procCpuSeconds(server.pid);
      const bench = process.cpuUsage();
      const secs = (now() - lastCpu.t) / 1000;
      const pct = ((cpu - lastCpu.cpu) / secs) * 100;
      const benchPct = ((bench.user + bench.system - lastCpu.bench.user - lastCpu.bench.system) / 1e6 / secs) * 100;
      lastCpu = { t: now(), cpu, bench };
      const sample: Sample = {
        t,
        sent,
        minObserved: Math.min(...observers.map((o, i) => o.updates - base[i]!)),
        pending: writer.conn.status.pendingChanges,
        buffered: (writer.conn.provider.ws as { bufferedAmount?: number } | null)?.bufferedAmount ?? 0,
        serverRssKiB: m.rssKiB,
        serverCpuPct: pct,
        benchCpuPct: benchPct,
      };
      R.samples.push(sample);
      if (sec % 5 === 0) {
        log(
          `t=${sec}s sent ${fmtInt(sample.sent)}/${fmtInt(n)}, slowest observer ${fmtInt(sample.minObserved)}, unconfirmed ${fmtInt(sample.pending)}, server RSS ${fmtKiBasMiB(sample.serverRssKiB)}, server CPU ${pct.toFixed(0)}%, bench CPU ${benchPct.toFixed(0)}%`,
        );
      }
    } catch {
      // the process may be gone; the main flow reports it
    }
  }, 250);

  const checkObservers = (): boolean => {
    let all = true;
    observers.forEach((o, i) => {
      if (observerDone[i] !== null) return;
      if (sent === n && o.text.length === expected.length && o.text.toString() === expected) observerDone[i] = now() - t0;
      else all = false;
    });
    return all;
  };

  try {
    for (let i = 0; i < n; i += CHUNK) {
      const end = Math.min(n, i + CHUNK);
      for (let j = i; j < end; j++) applyPatch(wdoc, wtext, trace.patches[j]!);
      sent = end;
      // Let the socket flush and the observers receive.
      await new Promise(setImmediate);
      if (Date.now() > deadline) throw new Error(`deadline reached while sending (${fmtInt(sent)} of ${fmtInt(n)} edits sent)`);
    }
    R.sendMs = now() - t0;
    log(`writer sent all ${fmtInt(n)} edits in ${fmtMs(R.sendMs)}`);
    if (wtext.toString() !== expected) throw new Error("the writer's own text does not equal endContent");

    const saved = writer.conn.whenSaved().then(() => (R.savedMs = now() - t0));
    await until(checkObservers, remaining(), 'every observer to hold endContent', 25).catch((error: unknown) => {
      const lens = observers.map((o) => o.text.length).join(', ');
      throw new Error(`${(error as Error).message} (observer text lengths ${lens}, expected ${expected.length})`);
    });
    R.convergedMs = Math.max(...observerDone.map((x) => x ?? Infinity));
    R.observerMs = observerDone.map((x) => x ?? NaN);
    log(`every observer holds endContent after ${fmtMs(R.convergedMs)}`);
    await withTimeout(saved, remaining(), "the writer's whenSaved()");
    log(`whenSaved after ${fmtMs(R.savedMs)}`);
  } finally {
    clearInterval(sampler);
    const cpuBench = process.cpuUsage(cpu0.bench);
    R.benchCpuS = (cpuBench.user + cpuBench.system) / 1e6;
    try {
      R.serverCpuS = procCpuSeconds(server.pid) - cpu0.server;
      R.serverAfter = procMem(server.pid);
    } catch {
      // gone
    }
    R.serverPeakSampledKiB = peakKiB;
    R.benchPeakRssKiB = process.resourceUsage().maxRSS;
    R.closes = [writer, ...observers].flatMap((c, i) => c.closes.map((x) => `${i === 0 ? 'writer' : `observer ${i}`}: ${x}`));
    R.problems.push(...server.problems);
  }
  R.filesRunning = dbFiles(dataDir);
  await sleep(5000);
  R.serverIdle = procMem(server.pid);
  R.stalls = readStalls(loopFile, server.pid, wallT0, R.convergedMs ?? Infinity);

  // Crash: drop the clients, then kill -9 the server process itself, leaving
  // the log tail written since the newest checkpoint.
  for (const c of [writer, ...observers]) closeClient(c);
  await stopServer(server, 'SIGKILL');
  R.filesCrash = dbFiles(dataDir);
  log(`killed server A with SIGKILL; files ${fmtMiB(R.filesCrash.db)} + ${fmtMiB(R.filesCrash.wal)} wal`);
  return documentId;
}

/** The server's longest event-loop stall per second of the replay (ms since the replay started → ms). */
function readStalls(file: string, pid: number, wallT0: number, untilMs: number): Array<{ t: number; maxMs: number }> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { pid: number; t: number; maxMs: number })
    .filter((e) => e.pid === pid && e.t >= wallT0 && e.t - wallT0 <= untilMs + 1000)
    .map((e) => ({ t: e.t - wallT0, maxMs: e.maxMs }));
}

/** Opens a copy of the crashed files in-process: checkpoint/tail figures and the storage part of a load. */
async function inspectCrashCopy(dataDir: string, documentId: string, expected: string): Promise<{ tail: CrashTail; loadMs: number }> {
  const copyDir = tempDataDir('rapporteur-bench-copy-');
  tempDirs.add(copyDir);
  const src = sqliteFile(dataDir);
  const dst = sqliteFile(copyDir);
  fs.copyFileSync(src, dst);
  if (fs.existsSync(`${src}-wal`)) fs.copyFileSync(`${src}-wal`, `${dst}-wal`);
  const store = await SqlDocumentStore.openSqlite({ file: dst });
  try {
    const t0 = now();
    const loaded = await store.loadDocument(documentId as DocumentId);
    const doc = new Y.Doc();
    const parts = [...(loaded.checkpoint ? [loaded.checkpoint.data] : []), ...loaded.updates.map((u) => u.data)];
    if (parts.length > 0) Y.applyUpdate(doc, parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
    const loadMs = now() - t0;
    if (doc.getText('t').toString() !== expected) throw new Error('the crashed file does not hold endContent');
    const tail: CrashTail = {
      checkpointSeq: loaded.checkpoint?.seq ?? 0,
      checkpointBytes: loaded.checkpoint?.data.byteLength ?? 0,
      tailUpdates: loaded.updates.length,
      tailBytes: loaded.updates.reduce((s, u) => s + u.data.byteLength, 0),
      lastSeq: loaded.lastSeq,
    };
    doc.destroy();
    return { tail, loadMs };
  } finally {
    await store.close();
    fs.rmSync(copyDir, { recursive: true, force: true });
    tempDirs.delete(copyDir);
  }
}

/** Types `updates / 2` characters at the end of the text one by one, then deletes them one by one. */
async function typingBurst(collabUrl: string, documentId: string, updates: number): Promise<number> {
  const w = openClient(collabUrl, documentId);
  try {
    await withTimeout(w.conn.whenSynced(), 60_000, 'burst writer sync');
    const doc = w.conn.doc;
    const at = w.text.length;
    const phrase = ' A sentence typed and then deleted again, one keystroke at a time.';
    const k = updates / 2;
    const t0 = now();
    for (let i = 0; i < k; i++) applyPatch(doc, w.text, [at + i, 0, phrase[i % phrase.length]!]);
    for (let i = k - 1; i >= 0; i--) applyPatch(doc, w.text, [at + i, 1, '']);
    await withTimeout(w.conn.whenSaved(), 60_000, 'burst whenSaved');
    return now() - t0;
  } finally {
    closeClient(w);
  }
}

async function restartAndLoad(dataDir: string, documentId: string, expected: string, label: string): Promise<{ server: Server; r: Restart }> {
  const server = await startServer(dataDir, path.join(dataDir, 'loop-restart.jsonl'));
  const rssBeforeKiB = procMem(server.pid).rssKiB;
  log(`${label}: server listening (node pid ${server.pid}) after ${fmtMs(server.startMs)}`);
  const loadMs = await measureLoad(server.child.collabUrl, documentId, expected, `${label} load`);
  const warmJoinMs = await measureLoad(server.child.collabUrl, documentId, expected, `${label} warm join`);
  const mem = procMem(server.pid);
  await sleep(100); // let the debug log line arrive
  const logged = server.loads[0];
  log(`${label}: load ${fmtMs(loadMs)} (server-side ${logged ? fmtMs(logged.ms) : '?'}), warm join ${fmtMs(warmJoinMs)}`);
  return {
    server,
    r: {
      spawnMs: server.startMs,
      loadMs,
      serverLoggedMs: logged?.ms ?? null,
      serverLoggedUpdates: logged?.updates ?? null,
      warmJoinMs,
      rssBeforeKiB,
      rssAfterKiB: mem.rssKiB,
      hwmAfterKiB: mem.hwmKiB,
    },
  };
}

/**
 * Point-in-time rebuilds and a diff between two distant points of the
 * trace's history, in-process over the final SQLite file, after one pass
 * writing the history checkpoints a server writes once the document is quiet
 * (SPEC V3; the servers here are stopped before that moment).
 */
async function measureHistory(dataDir: string, documentId: string, trace: Trace): Promise<HistoryFigures> {
  const store = await SqlDocumentStore.openSqlite({ file: sqliteFile(dataDir) });
  const id = documentId as DocumentId;
  try {
    const history = new History(store, { now: () => Date.now(), setTimeout: () => ({ id: 0 }), clearTimeout: () => {} }, createLogger('silent'));
    const lastSeq = await store.lastSeq(id);
    const checkpointsBefore = (await store.historyStats(id)).historyCheckpoints;
    const tc = now();
    (await history.stateAt(id, lastSeq)).destroy();
    const catchUp = { ms: now() - tc, checkpointsAfter: (await store.historyStats(id)).historyCheckpoints };
    // Points through the log, and the worst case for the spacing: just before a history checkpoint.
    const points = [0.1, 0.25, 0.5, 0.75, 0.9, 1].map((f) => Math.max(1, Math.round(lastSeq * f)));
    const cp = await store.historyCheckpointAtOrBefore(id, lastSeq);
    if (cp && cp.seq > 1) points.push(cp.seq - 1);
    const rebuilds: Array<{ seq: number; ms: number }> = [];
    let rebuildTextOk = false;
    for (const seq of points) {
      const t0 = now();
      const doc = await history.stateAt(id, seq);
      rebuilds.push({ seq, ms: now() - t0 });
      if (seq === lastSeq) rebuildTextOk = doc.getText('t').toString() === trace.endContent;
      doc.destroy();
    }
    // A diff between two distant points: a quarter of the way in, and the end.
    const fromSeq = Math.round(lastSeq * 0.25);
    const t0 = now();
    const a = await history.stateAt(id, fromSeq);
    const b = await history.stateAt(id, lastSeq);
    const t1 = now();
    const deleters = await history.deletionsBetween(id, fromSeq, lastSeq);
    const bindings = await store.loadClientBindings(id);
    const t2 = now();
    const runs = diffStates(a, b, (d) => d.getText('t'), bindings, deleters).changes;
    const t3 = now();
    a.destroy();
    b.destroy();
    return {
      lastSeq,
      checkpointsBefore,
      catchUp,
      rebuilds,
      rebuildTextOk,
      diff: { fromSeq, toSeq: lastSeq, ms: t3 - t0, runs: runs.length, rebuildMs: t1 - t0, deleteSetsMs: t2 - t1, walkMs: t3 - t2 },
    };
  } finally {
    await store.close();
  }
}

async function main(): Promise<number> {
  const machine: Machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    memGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    loadStart: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
  log(`loading ${TRACE}`);
  const trace = loadTrace(TRACE);
  log(`${fmtInt(trace.patches.length)} edits${QUICK ? ' (QUICK)' : ''}, final text ${fmtInt(trace.endContent.length)} characters`);

  let ok = false;
  const dataDir = tempDataDir('rapporteur-bench-');
  tempDirs.add(dataDir);
  try {
    R.ref = reference(trace);
    log(`reference: in-process apply ${fmtMs(R.ref.applyMs)}, writer → replica ${fmtMs(R.ref.replicaMs)}, applyUpdate of final state ${fmtMs(R.ref.stateApplyMs)}`);

    const documentId = await replay(trace, dataDir);
    const first = await inspectCrashCopy(dataDir, documentId, trace.endContent);
    R.crashTail = first.tail;
    R.storeLoadMs = first.loadMs;

    const b = await restartAndLoad(dataDir, documentId, trace.endContent, 'after kill -9');
    R.crash = b.r;
    R.problems.push(...b.server.problems);

    // Leave a log tail the next load must replay: the server checkpoints once
    // CHECKPOINT_EVERY_UPDATES (default 1000) updates have accumulated, so stay below.
    R.burstUpdates = Math.max(0, 998 - first.tail.tailUpdates) & ~1;
    R.burstMs = await typingBurst(b.server.child.collabUrl, documentId, R.burstUpdates);
    await stopServer(b.server, 'SIGKILL');
    const second = await inspectCrashCopy(dataDir, documentId, trace.endContent);
    R.tailTail = second.tail;
    R.tailStoreLoadMs = second.loadMs;
    log(`killed server B with SIGKILL after a burst of ${R.burstUpdates} updates; log tail ${second.tail.tailUpdates} updates`);

    const b2 = await restartAndLoad(dataDir, documentId, trace.endContent, 'after kill -9 with a log tail');
    R.tailCrash = b2.r;
    R.problems.push(...b2.server.problems);
    const stopB = await stopServer(b2.server, 'SIGTERM');
    R.termStopMs = stopB.ms;
    R.termStopCode = stopB.code;
    log(`SIGTERM: server exited with ${stopB.code} after ${fmtMs(stopB.ms)}`);

    const c = await restartAndLoad(dataDir, documentId, trace.endContent, 'after SIGTERM');
    R.clean = c.r;
    await stopServer(c.server, 'SIGTERM');
    R.problems.push(...c.server.problems);

    R.filesClean = dbFiles(dataDir);
    const store = await SqlDocumentStore.openSqlite({ file: sqliteFile(dataDir) });
    try {
      R.stats = await store.historyStats(documentId as DocumentId);
      const loaded = await store.loadDocument(documentId as DocumentId);
      R.finalCheckpointBytes = loaded.checkpoint?.data.byteLength ?? 0;
      const doc = new Y.Doc();
      if (loaded.checkpoint) Y.applyUpdate(doc, loaded.checkpoint.data);
      for (const u of loaded.updates) Y.applyUpdate(doc, u.data);
      R.storedTextOk = doc.getText('t').toString() === trace.endContent;
      doc.destroy();
    } finally {
      await store.close();
    }
    if (!R.storedTextOk) throw new Error('the stored document does not equal endContent');
    R.history = await measureHistory(dataDir, documentId, trace);
    if (!R.history.rebuildTextOk) throw new Error('the history rebuilt at the last seq does not equal endContent');
    log(`history: rebuilds ${R.history.rebuilds.map((r) => fmtMs(r.ms)).join(', ')}; diff ${fmtMs(R.history.diff.ms)}`);
    const expectedRows = trace.patches.length + (R.burstUpdates ?? 0);
    if (R.stats.updates !== expectedRows) {
      R.problems.push(`expected ${expectedRows} stored updates (one per edit of the trace and of the burst), found ${R.stats.updates}`);
    }
    ok = true;
  } catch (error) {
    console.error(`\nBENCH FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  } finally {
    for (const s of [...liveServers]) await killHard(s);
    cleanupSync();
  }

  const totalMs = now() - startedAt;
  const { main: rows, ratios } = tables(trace);
  console.log(`\n${ok ? '' : 'FAILED — partial figures\n'}${trace.name}: ${fmtInt(trace.patches.length)} edits, ${OBSERVERS} observers — ${commandLine()}`);
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, Node ${process.version}, load average ${machine.loadStart}\n`);
  console.log(plainTable(rows));
  if (ratios.length) console.log(`\nratios:\n${plainTable(ratios)}`);
  if (R.problems.length) console.log(`\nserver warnings/errors:\n  ${R.problems.slice(0, 10).join('\n  ')}`);
  console.log(`\nwhole run: ${fmtMs(totalMs)}`);
  if (ok && WRITE_RESULTS) {
    fs.writeFileSync(RESULTS_FILE, report(trace, machine, totalMs, ok).trimEnd() + '\n' + keptSections(RESULTS_FILE));
    console.log(`wrote ${path.relative(repoRoot, RESULTS_FILE)}`);
  } else if (ok) {
    console.log('QUICK run: RESULTS.md left unchanged (set WRITE_RESULTS=1 to write it)');
  }
  return ok ? 0 : 1;
}

// A stuck run still ends: kill what we started and leave.
const watchdog = setTimeout(() => {
  console.error(`bench: watchdog fired after ${Math.round(TIMEOUT_MS / 1000) + 60} s; killing the server and exiting`);
  cleanupSync();
  process.exit(1);
}, TIMEOUT_MS + 60_000);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    cleanupSync();
    process.exit(1);
  },
);
