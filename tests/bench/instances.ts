/**
 * `pnpm bench:instances` (issue 15): what serving a document from several
 * instances costs. One writer types a character every 20 ms for SECONDS on a
 * socket with the `saved` extension; SUBSCRIBERS raw sockets read the same
 * document. Figures: fan-out latency (keystroke → a subscriber receives a
 * frame carrying it) and durable-ack latency (keystroke → the writer's
 * `saved` covers it), in three set-ups measured in the same run:
 *
 *   - one instance on SQLite (the reference),
 *   - one instance on PostgreSQL,
 *   - two instances on PostgreSQL and Redis, the writer on one and the
 *     subscribers on the other (every frame crosses Redis).
 *
 *   SECONDS=n (default 8, after 2 s of warm-up typing; QUICK=1: 3)  ROUNDS=n (default 3; QUICK=1: 1)  SUBSCRIBERS=n (default 50)  QUICK=1: no RESULTS.md
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeSyncStep1, encodeSyncUpdate, Feature, MessageType, PROTOCOL_VERSION } from '@rapporteur/protocol';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { signUp } from '../support/accounts';
import { createDocument } from '../support/clients';
import { openTestPostgres, urlInSchema } from '../support/postgres';
import { TEST_REDIS_URL } from '../support/redis';
import { type ChildServer, repoRoot, spawnServer, tempDataDir } from '../support/server';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const SECONDS = Number(env.SECONDS ?? (QUICK ? 3 : 8));
const SUBSCRIBERS = Number(env.SUBSCRIBERS ?? 50);
const INTERVAL_MS = 20;
const ROUNDS = Number(env.ROUNDS ?? (QUICK ? 1 : 3));
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

interface Figures {
  readonly fanOut: number[];
  readonly acks: number[];
  readonly edits: number;
}

/** Types into `writerUrl` while SUBSCRIBERS read at `subscriberUrl`. */
async function measure(writerUrl: string, subscriberUrl: string): Promise<Figures> {
  const writerDoc = new Y.Doc();
  const writerClient = writerDoc.clientID;
  const madeAt: number[] = [];
  const fanOut: number[] = [];
  const subscribers: WebSocket[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const ws = await open(subscriberUrl);
    let seen = 0;
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MessageType.sync) return;
      const step = decoding.readVarUint(decoder);
      if (step !== 1 && step !== 2) return;
      const upTo = Y.parseUpdateMeta(decoding.readVarUint8Array(decoder)).to.get(writerClient) ?? 0;
      const now = performance.now();
      for (; seen < upTo; seen++) if (madeAt[seen] !== undefined) fanOut.push(now - madeAt[seen]!);
    });
    ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    subscribers.push(ws);
  }
  const writer = await open(writerUrl);
  // Frame k (1-based) the writer sent, and when its keystroke was made.
  const frameMadeAt: number[] = [];
  const acks: number[] = [];
  let acked = 0;
  writer.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== MessageType.saved) return;
    const count = decoding.readVarUint(decoder);
    const now = performance.now();
    for (; acked < count; acked++) if (frameMadeAt[acked] !== undefined) acks.push(now - frameMadeAt[acked]!);
  });
  writer.send(encodeSyncStep1(Y.encodeStateVector(writerDoc)));
  writerDoc.on('update', (update: Uint8Array) => writer.send(encodeSyncUpdate(update)));
  await sleep(1000);
  const text = writerDoc.getText('bench');
  // Two seconds of typing first, not counted: the servers run from source (tsx), and the first use
  // of a code path compiles it, a one-off stall of up to ~150 ms that is not what is measured here.
  let frames = 0;
  const type = async (seconds: number, record: boolean): Promise<number> => {
    const started = performance.now();
    let edits = 0;
    while (performance.now() - started < seconds * 1000) {
      const at = performance.now();
      if (record) {
        madeAt[Y.getState(writerDoc.store, writerClient)] = at;
        frameMadeAt[frames] = at;
      }
      text.insert(text.length, 'x');
      frames++;
      edits++;
      await sleep(Math.max(0, started + edits * INTERVAL_MS - performance.now()));
    }
    return edits;
  };
  await type(2, false);
  const edits = await type(SECONDS, true);
  await sleep(2000);
  for (const ws of [...subscribers, writer]) ws.terminate();
  return { fanOut, acks, edits };
}


/** The four figures of one round: fan-out p50, p99, durable ack p50, p99 (ms). */
type Round = readonly [number, number, number, number];

async function scenario(name: string, servers: ChildServer[]): Promise<Round> {
  try {
    const owner = await signUp(servers[0]!.url, { name: 'Writer' });
    const id = await createDocument(servers[0]!.url, owner, name);
    const socket = (s: ChildServer): string => `${s.collabUrl}/${id}?token=${owner.token}&features=${Feature.saved}&rv=${PROTOCOL_VERSION}`;
    const f = await measure(socket(servers[0]!), socket(servers[servers.length - 1]!));
    const round: Round = [quantile(f.fanOut, 0.5), quantile(f.fanOut, 0.99), quantile(f.acks, 0.5), quantile(f.acks, 0.99)];
    console.log(`${name}: ${round.map((v) => v.toFixed(1)).join(' / ')} ms (${f.edits} keystrokes)`);
    return round;
  } finally {
    for (const s of servers) await s.kill('SIGTERM');
  }
}

const SETUPS: ReadonlyArray<{ readonly name: string; start(): Promise<{ servers: ChildServer[]; done(): Promise<void> }> }> = [
  {
    name: 'one instance, SQLite (reference)',
    start: async () => ({ servers: [await spawnServer(tempDataDir('rapporteur-bench-instances-'))], done: async () => {} }),
  },
  {
    name: 'one instance, PostgreSQL',
    start: async () => {
      const pg = await openTestPostgres();
      return { servers: [await spawnServer(tempDataDir('rapporteur-bench-instances-'), { DATABASE_URL: urlInSchema(pg.schema) })], done: () => pg.close() };
    },
  },
  {
    name: 'two instances, PostgreSQL + Redis (writer on one, readers on the other)',
    start: async () => {
      const pg = await openTestPostgres();
      const envOf = { DATABASE_URL: urlInSchema(pg.schema), REDIS_URL: TEST_REDIS_URL };
      const servers = [await spawnServer(tempDataDir('rapporteur-bench-instances-'), envOf), await spawnServer(tempDataDir('rapporteur-bench-instances-'), envOf)];
      return { servers, done: () => pg.close() };
    },
  },
];

async function main(): Promise<void> {
  // Rounds interleave the set-ups, so a slow moment of the shared machine (PostgreSQL's own
  // checkpoints, another job) hits each alike; each figure is the median of the rounds.
  const rounds = new Map<string, Round[]>(SETUPS.map((s) => [s.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const setup of SETUPS) {
      const { servers, done } = await setup.start();
      try {
        rounds.get(setup.name)!.push(await scenario(setup.name, servers));
      } finally {
        await done();
      }
    }
  }
  const median = (values: number[]): number => quantile(values, 0.5);
  const rows = SETUPS.map((setup) => {
    const rs = rounds.get(setup.name)!;
    const figure = (i: number): string => `${median(rs.map((round) => round[i]!)).toFixed(1)} ms`;
    return `| ${setup.name} | ${figure(0)} | ${figure(1)} | ${figure(2)} | ${figure(3)} |`;
  });
  const report = [
    '## Several instances: fan-out and durable ack (issue 15)',
    '',
    `One writer types a character every ${INTERVAL_MS} ms for ${SECONDS} s on a socket with the \`saved\` extension; ${SUBSCRIBERS} raw subscribers read`,
    'the same document. Fan-out: keystroke → a subscriber receives a frame carrying it. Durable ack: keystroke → the writer’s `saved` covers it.',
    `Servers are spawned processes on 127.0.0.1; PostgreSQL and Redis are the machine’s. Medians of ${ROUNDS} rounds, the set-ups interleaved.`,
    '',
    '| set-up | fan-out p50 | fan-out p99 | durable ack p50 | durable ack p99 |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Command: \`pnpm bench:instances\` (${new Date().toISOString().slice(0, 10)}).`,
  ].join('\n');
  console.log(report);
  if (!QUICK) writeSection(RESULTS_FILE, 'instances', report);
}

await main();
