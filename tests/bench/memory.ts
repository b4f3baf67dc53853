/**
 * `pnpm bench:memory`: resident memory side by side (issue 16) — idle, per
 * connection and per document — for the built Rapporteur server (as `pnpm
 * start` runs it, SQLite), the reference y-websocket server and Hocuspocus
 * 4.7 with its SQLite extension, each in its own process, measured in the
 * same run with the same raw clients.
 *
 * For each server: RSS at rest, 30 s after it listens, in a run of its own
 * (V8's memory reducer runs some seconds after allocation has stopped and
 * gives back the young generation's reserve and what the collector has not
 * yet reclaimed; the sockets' and documents' figures are too small to be read
 * through that, so they come from a second run, as before). In the second:
 * RSS 3 s after it listens; then CONNECTIONS sockets synced
 * to one document (RSS 3 s later, the difference divided by their number);
 * then DOCUMENTS documents each opened by one socket that writes a paragraph
 * of about 1 KB (the same for the difference per document). Sockets stay open
 * to the end. RSS is read from /proc/<pid>/status.
 *
 *   CONNECTIONS=n (default 500)  DOCUMENTS=n (default 200)  QUICK=1: 100 and 50, no RESULTS.md
 *   STORAGE=postgres: Rapporteur on PostgreSQL (a schema of its own) with Redis
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeSyncStep1, encodeSyncUpdate } from '@rapporteur/protocol';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { signUp } from '../support/accounts';
import { createDocument } from '../support/clients';
import { repoRoot, tempDataDir } from '../support/server';
import { type Framing, frame, hello, HOCUSPOCUS, rapporteurStorage, startBuiltRapporteur, startScript, Y_WEBSOCKET } from './peers';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const CONNECTIONS = Number(env.CONNECTIONS ?? (QUICK ? 100 : 500));
const DOCUMENTS = Number(env.DOCUMENTS ?? (QUICK ? 50 : 200));
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const SETTLE_MS = 3_000;
const REST_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

interface Target {
  readonly name: string;
  readonly pid: number;
  /** The socket URL and framing of document `i`. */
  document(i: number): Promise<{ url: string; framing: Framing }>;
  stop(): void;
}

async function startPeer(name: string, script: string, named: boolean, args: string[] = []): Promise<Target> {
  const peer = await startScript(script, path.join(repoRoot, 'tests'), args);
  return {
    name,
    pid: peer.pid,
    document: async (i) =>
      named ? { url: peer.url, framing: { kind: 'named', name: `memory-${i}` } } : { url: `${peer.url}/memory-${i}`, framing: { kind: 'plain' } },
    stop: peer.stop,
  };
}

/** Opens a socket to a document and syncs (and with `text`, writes it as one update). */
async function open(target: Target, i: number, text: string | null): Promise<WebSocket> {
  const { url, framing } = await target.document(i);
  const ws = await new Promise<WebSocket>((resolve, reject) => {
    const s = new WebSocket(url);
    s.once('open', () => resolve(s));
    s.once('error', reject);
  });
  const greeting = hello(framing);
  if (greeting) ws.send(greeting);
  const doc = new Y.Doc();
  ws.send(frame(framing, encodeSyncStep1(Y.encodeStateVector(doc))));
  if (text) {
    doc.on('update', (u: Uint8Array) => ws.send(frame(framing, encodeSyncUpdate(u))));
    doc.getText('t').insert(0, text);
  }
  return ws;
}

interface Figures {
  idle: number;
  rest: number;
  perConnectionKiB: number;
  perDocumentKiB: number;
  end: number;
}

/** RSS of a server started and left alone for REST_MS. */
async function restRss(target: Target): Promise<number> {
  try {
    await sleep(REST_MS);
    return rssMiB(target.pid);
  } finally {
    target.stop();
  }
}

async function measure(target: Target, rest: number): Promise<Figures> {
  const sockets: WebSocket[] = [];
  try {
    await sleep(SETTLE_MS);
    const idle = rssMiB(target.pid);
    // Rapporteur signs its account up and creates the first document here
    // (its first password check loads the list of common passwords, kept).
    await target.document(0);
    await sleep(SETTLE_MS);
    const ready = rssMiB(target.pid);
    for (let i = 0; i < CONNECTIONS; i += 50) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, CONNECTIONS - i) }, () => open(target, 0, null)))));
    }
    await sleep(SETTLE_MS);
    const connected = rssMiB(target.pid);
    const paragraph = 'Participants stressed that meaningful access requires affordable connectivity and local content. '.repeat(10);
    for (let i = 1; i <= DOCUMENTS; i += 25) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(25, DOCUMENTS + 1 - i) }, (_, k) => open(target, i + k, paragraph)))));
    }
    await sleep(SETTLE_MS);
    const end = rssMiB(target.pid);
    return { idle, rest, perConnectionKiB: ((connected - ready) * 1024) / CONNECTIONS, perDocumentKiB: ((end - connected) * 1024) / DOCUMENTS, end };
  } finally {
    for (const s of sockets) s.terminate();
    target.stop();
  }
}

async function main(): Promise<void> {
  const dataDir = tempDataDir('rapporteur-bench-memory-');
  const storage = await rapporteurStorage();
  const rows: string[] = [];
  let rapporteurRuns = 0;
  try {
    const targets: Array<() => Promise<Target>> = [
      async () => {
        const server = await startBuiltRapporteur(path.join(dataDir, `rapporteur-${++rapporteurRuns}`), storage.env);
        // Signed up when the first socket opens, after the idle figures.
        let signedUp: ReturnType<typeof signUp> | null = null;
        const ids: string[] = [];
        return {
          name: `Rapporteur (built, ${storage.name})`,
          pid: server.pid,
          async document(i: number) {
            signedUp ??= signUp(server.url, { name: 'Memory bench' });
            const owner = await signedUp;
            while (ids.length <= i) ids.push(await createDocument(server.url, owner, `Memory ${ids.length}`));
            return { url: `${server.collabUrl}/${ids[i]}?token=${owner.token}`, framing: { kind: 'plain' } as const };
          },
          stop: server.stop,
        };
      },
      () => startPeer('y-websocket server 2.1 (reference, no storage)', Y_WEBSOCKET, false),
      () => startPeer('Hocuspocus 4.7 + SQLite extension', HOCUSPOCUS, true, [path.join(dataDir, 'hocuspocus.sqlite')]),
    ];
    for (const start of targets) {
      const rest = await restRss(await start());
      const target = await start();
      const f = await measure(target, rest);
      rows.push(`| ${target.name} | ${f.idle.toFixed(0)} MiB | ${f.rest.toFixed(0)} MiB | ${f.perConnectionKiB.toFixed(1)} KiB | ${f.perDocumentKiB.toFixed(1)} KiB | ${f.end.toFixed(0)} MiB |`);
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const report = [
    `## Memory side by side: idle, per connection, per document (issue 16)${storage.env.DATABASE_URL ? ' — Rapporteur on PostgreSQL + Redis' : ''}`,
    '',
    `Each server in its own process, one after the other: RSS 3 s after it listens; then ${CONNECTIONS} raw sockets synced to one document; then`,
    `${DOCUMENTS} more documents, each opened by one socket that writes a paragraph of about 1 KB. Per connection and per document: the RSS`,
    'growth 3 s later divided by their number (sockets stay open), from the RSS 3 s after the first document was created. Idle at rest: RSS 30 s after it listens, in a start of its own (V8\'s',
    'memory reducer has run by then: it gives back the young generation\'s reserve and what the collector had not yet reclaimed).',
    'Rapporteur is the built bundle as `pnpm start` runs it (with its environment), one account signed up and a document created after the idle figures.',
    '',
    '| server | RSS 3 s after start | idle RSS at rest | per connection | per document | RSS at the end |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Command: \`${storage.env.DATABASE_URL ? 'STORAGE=postgres ' : ''}pnpm bench:memory\` (${new Date().toISOString().slice(0, 10)}). Goal (issue 16): idle ≤ 70 MiB (at rest).`,
  ].join('\n');
  console.log(report);
  if (!QUICK) writeSection(RESULTS_FILE, storage.env.DATABASE_URL ? 'memory-postgres' : 'memory', report);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
