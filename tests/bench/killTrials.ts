/**
 * `pnpm bench:kill`: kill -9 trials under load, by stock clients from outside
 * (issue 16, SPEC R4, S1). One server process (spawned, the real entry point)
 * serves DOCS documents, each with two writers and a reader — unmodified
 * y-websocket clients from npm, as a third-party tool would connect. Each
 * trial: every writer types (inserts at places of its choosing, some
 * deletions) every 2 ms; after a delay drawn from the seed the server gets
 * SIGKILL while they type; each client's state vector without its own client
 * id is noted at that moment (what it received from the others, which the
 * server only sends once stored); the writers type on offline a little; the
 * clients stop trying; the server starts again on the same storage; a fresh
 * client per document must load at least everything any client had received
 * (lost updates: 0). Then the old clients reconnect and push what the server
 * never stored, and every client of a document must end with the same text
 * as a fresh load (not converged: 0). The next trial types on the same
 * server and documents, so they grow across trials.
 *
 * History compaction runs with `HISTORY_COMPACT_AFTER_MINUTES=0` (every record
 * is old enough at once; the sweep runs every minute), so some kills land in
 * a compaction, as well as in checkpoints and in group commits.
 *
 *   TRIALS=n        trials (default 200; QUICK=1: 20)
 *   DOCS=n          documents (default 4)
 *   SEED=n          kill delays and edits (default 16). Timing on the
 *                   machine decides how edits interleave: a seed replays the
 *                   kill moments and each writer's choices, not the schedule.
 *   STORAGE=postgres  on PostgreSQL (TEST_DATABASE_URL, a schema of its own)
 *   QUICK=1         fewer trials, no RESULTS.md unless WRITE_RESULTS=1
 */
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { signUp } from '../support/accounts';
import { createDocument, type StockClient, stockClient } from '../support/clients';
import { Random } from '../support/random';
import { type ChildServer, repoRoot, spawnServer, spawnStorageEnv, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const WRITE_RESULTS = !QUICK || env.WRITE_RESULTS === '1';
const TRIALS = Number(env.TRIALS ?? (QUICK ? 20 : 200));
const DOCS = Number(env.DOCS ?? 4);
const SEED = Number(env.SEED ?? 16);
const POSTGRES = env.STORAGE === 'postgres';
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const TYPE_EVERY_MS = 2;
/** The kill comes this long (drawn evenly) after typing starts. */
const KILL_AFTER_MS: readonly [number, number] = [100, 900];
/** Writers type on this long after the kill, offline. */
const OFFLINE_TYPING_MS = 150;
/** Each document's length (characters) around which the writers hold it. */
const STEADY_LENGTH = 20_000;

interface DocClients {
  readonly id: string;
  readonly writers: StockClient[];
  readonly reader: StockClient;
}

interface TrialOutcome {
  readonly killAfterMs: number;
  /** Structs (Yjs clock units) of others' edits the clients received in this trial before the server died, summed over clients. */
  readonly received: number;
  readonly lost: number;
  readonly notConverged: number;
  readonly restartMs: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** What `c` had received from others: its state vector without its own client id. */
function receivedBy(c: StockClient): Map<number, number> {
  const sv = Y.decodeStateVector(Y.encodeStateVector(c.doc));
  sv.delete(c.doc.clientID);
  return sv;
}

function startTyping(writer: StockClient, random: Random): () => void {
  const timer = setInterval(() => {
    const t = writer.text;
    // Past STEADY_LENGTH characters a writer deletes about as much as it types, so the load stays the same across trials.
    if (t.length > 200 && random.chance(t.length > STEADY_LENGTH ? 0.5 : 0.15)) {
      const at = random.int(t.length - 10);
      t.delete(at, 1 + random.int(8));
    } else {
      t.insert(random.int(t.length + 1), `${random.word()} `);
    }
  }, TYPE_EVERY_MS);
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  // Every y-websocket provider listens for this process's exit (to say it left): one per client, and a fresh one per check.
  process.setMaxListeners(4 * DOCS + 8);
  const dataDir = tempDataDir('rapporteur-bench-kill-');
  if (POSTGRES) process.env.TEST_STORAGE = 'postgres';
  const storage = await spawnStorageEnv(dataDir);
  const port = await freePort();
  const serverEnv = { ...storage, PORT: String(port), HISTORY_COMPACT_AFTER_MINUTES: '0', HISTORY_COMPACT_WINDOW_MINUTES: '1' };
  const random = new Random(SEED);
  let server: ChildServer = await spawnServer(dataDir, serverEnv);
  const owner = await signUp(server.url, { name: 'Writer' });
  const docs: DocClients[] = [];
  for (let d = 0; d < DOCS; d++) {
    const id = await createDocument(server.url, owner, `Kill trials ${d + 1}`);
    const writers = [stockClient(server.collabUrl, id, owner), stockClient(server.collabUrl, id, owner)];
    const reader = stockClient(server.collabUrl, id, owner);
    docs.push({ id, writers, reader });
  }
  const everyone = (doc: DocClients): StockClient[] => [...doc.writers, doc.reader];
  await Promise.all(docs.flatMap(everyone).map((c) => c.synced()));

  const outcomes: TrialOutcome[] = [];
  const started = performance.now();
  try {
    for (let trial = 1; trial <= TRIALS; trial++) {
      const killAfterMs = KILL_AFTER_MS[0] + random.int(KILL_AFTER_MS[1] - KILL_AFTER_MS[0]);
      // Each client's state before this trial's typing: what it receives from here on is this trial's to lose.
      const before = docs.map((doc) => everyone(doc).map(receivedBy));
      const stops = docs.flatMap((doc) => doc.writers.map((w, n) => startTyping(w, new Random(SEED * 1_000_003 + trial * 101 + docs.indexOf(doc) * 7 + n))));
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      await server.kill('SIGKILL');
      const received = docs.map((doc) => everyone(doc).map(receivedBy));
      // Clients stop retrying (so the check below reads only what the server stored), writers go on offline.
      for (const c of docs.flatMap(everyone)) c.provider.disconnect();
      await new Promise((resolve) => setTimeout(resolve, OFFLINE_TYPING_MS));
      for (const stop of stops) stop();

      const restart = performance.now();
      server = await spawnServer(dataDir, serverEnv);
      const restartMs = performance.now() - restart;
      let lost = 0;
      let notConverged = 0;
      let receivedTotal = 0;
      for (const [d, doc] of docs.entries()) {
        const fresh = stockClient(server.collabUrl, doc.id, owner);
        await fresh.synced();
        const onDisk = Y.decodeStateVector(Y.encodeStateVector(fresh.doc));
        for (const [n, sv] of received[d]!.entries()) {
          for (const [client, clock] of sv) {
            receivedTotal += clock - (before[d]![n]!.get(client) ?? 0);
            const missing = clock - (onDisk.get(client) ?? 0);
            if (missing > 0) {
              lost += missing;
              console.error(`trial ${trial}: document ${d + 1} lost ${missing} of client ${client}'s structs a client had received`);
            }
          }
        }
        // The old clients come back and push what was never stored; everyone must agree.
        for (const c of everyone(doc)) c.provider.connect();
        await Promise.all(everyone(doc).map((c) => c.synced()));
        const expected = (): string => fresh.text.toString();
        try {
          await waitFor(() => everyone(doc).every((c) => c.text.toString() === expected()), { what: `document ${d + 1} to converge`, timeoutMs: 20_000 });
        } catch {
          notConverged++;
          console.error(`trial ${trial}: document ${d + 1} did not converge`);
        }
        fresh.destroy();
      }
      outcomes.push({ killAfterMs, received: receivedTotal, lost, notConverged, restartMs });
      if (trial % 10 === 0 || lost > 0 || notConverged > 0) {
        const chars = docs.map((doc) => doc.reader.text.length);
        console.log(`trial ${trial}/${TRIALS}: killed after ${killAfterMs} ms, ${receivedTotal.toLocaleString('en')} structs received, lost ${lost}, not converged ${notConverged}, restart ${Math.round(restartMs)} ms; documents ${chars.join(' / ')} characters`);
      }
    }
  } finally {
    for (const c of docs.flatMap(everyone)) c.destroy();
    await server.kill('SIGTERM');
  }

  const minutes = (performance.now() - started) / 60_000;
  const lost = outcomes.reduce((n, o) => n + o.lost, 0);
  const notConverged = outcomes.reduce((n, o) => n + o.notConverged, 0);
  const withLoss = outcomes.filter((o) => o.lost > 0).length;
  const restarts = outcomes.map((o) => o.restartMs).sort((a, b) => a - b);
  const chars = docs.map((doc) => doc.reader.text.length);
  const storageName = POSTGRES ? 'PostgreSQL' : 'SQLite';
  const report = [
    `## kill -9 trials under load, by stock clients (issue 16, SPEC R4) — ${storageName}`,
    '',
    `${TRIALS} trials in ${minutes.toFixed(1)} min on one data directory: ${DOCS} documents, each with two writers (one edit every ${TYPE_EVERY_MS} ms each, inserts and deletions at`,
    `places drawn from the seed, holding it around ${STEADY_LENGTH.toLocaleString('en')} characters) and a reader, all unmodified y-websocket clients; the server (spawned, ${storageName}, history compaction`,
    `on everything at once) killed with SIGKILL ${KILL_AFTER_MS[0]}–${KILL_AFTER_MS[1]} ms into each trial's typing; writers type ${OFFLINE_TYPING_MS} ms more offline. Seed ${SEED}.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| trials | ${TRIALS} |`,
    `| others' edits the clients received during the trials' typing before the kills (Yjs structs, summed over clients) | ${outcomes.reduce((n, o) => n + o.received, 0).toLocaleString('en')} |`,
    `| structs any client held missing from a fresh load after the restart | ${lost} (trials with a loss: ${withLoss}) |`,
    `| documents not converged after the clients reconnected | ${notConverged} of ${TRIALS * DOCS} |`,
    `| restart (spawn → listening), p50 / max | ${Math.round(restarts[Math.floor(restarts.length / 2)] ?? 0)} / ${Math.round(restarts[restarts.length - 1] ?? 0)} ms |`,
    `| documents at the end | ${chars.map((c) => c.toLocaleString('en')).join(' / ')} characters |`,
    '',
    `Command: \`${POSTGRES ? 'STORAGE=postgres ' : ''}pnpm bench:kill\` (${new Date().toISOString().slice(0, 10)}). Goal (issue 16): zero loss.`,
  ].join('\n');
  console.log(report);
  if (WRITE_RESULTS) writeSection(RESULTS_FILE, POSTGRES ? 'kill-trials-postgres' : 'kill-trials', report);
  if (lost > 0 || notConverged > 0) process.exitCode = 1;
}

await main();
