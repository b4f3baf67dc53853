/**
 * `pnpm bench:durable-ack`: how long an append takes to become durable, and
 * how much of that the event loop spends waiting (issue 16, SPEC S10). WRITERS
 * documents each have a writer that appends a 30-byte update, waits for it to
 * be durable, and appends the next no sooner than PACE_MS after the last (a
 * person typing), for SECONDS; meanwhile a timer measures
 * the event loop's delay (what every other socket and HTTP request waits).
 * Both ways of syncing run in the same process, one after the other, on
 * fresh database files: `inline` (the commit fsyncs, on the event loop: the
 * way before) and `background` (the commit does not sync; the write-ahead log
 * is fdatasync'ed on libuv's pool before the appends resolve), then
 * PostgreSQL (TEST_DATABASE_URL, a schema of its own), durable at commit.
 *
 *   WRITERS=n (default 20)  PACE_MS=n (default 20)  SECONDS=n (default 5)  QUICK=1: 2 s, no RESULTS.md
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { DocumentId } from '@rapporteur/protocol';
import { openSqliteDatabase, SqlDocumentStore } from '@rapporteur/server';
import { openTestPostgres } from '../support/postgres';
import { repoRoot, tempDataDir } from '../support/server';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const WRITERS = Number(env.WRITERS ?? 20);
const SECONDS = Number(env.SECONDS ?? (QUICK ? 2 : 5));
const PACE_MS = Number(env.PACE_MS ?? 20);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

interface Run {
  readonly acks: number[];
  readonly loopP99: number;
  readonly loopMax: number;
}

type Mode = 'inline' | 'background' | 'postgres';

const MODE_NAMES: Record<Mode, string> = {
  inline: 'SQLite, inline: the commit fsyncs on the event loop (before)',
  background: 'SQLite, background: fdatasync of the WAL on the pool (now)',
  postgres: 'PostgreSQL (127.0.0.1, one instance): durable at commit',
};

async function run(mode: Mode): Promise<Run> {
  const dir = tempDataDir('rapporteur-bench-ack-');
  const database = mode === 'postgres' ? await openTestPostgres() : await openSqliteDatabase({ file: path.join(dir, 'rapporteur.sqlite') });
  const store = new SqlDocumentStore(database, mode === 'postgres' ? {} : { logSync: mode });
  const ids: DocumentId[] = [];
  for (let i = 0; i < WRITERS; i++) {
    const id = `bench-ack-${i}` as DocumentId;
    await store.createDocument({ id, title: `Writer ${i}`, now: Date.now() });
    ids.push(id);
  }
  const acks: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    ids.map(async (id, w) => {
      for (let n = 0; performance.now() < end; n++) {
        const t0 = performance.now();
        await store.appendUpdates(id, [{ data: new Uint8Array(30).fill(w + n), author: null, clientIds: [] }], Date.now());
        const took = performance.now() - t0;
        acks.push(took);
        if (took < PACE_MS) await sleep(PACE_MS - took);
      }
    }),
  );
  loop.disable();
  await store.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { acks, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const results: Record<string, Run> = {};
  for (const mode of ['inline', 'background', 'postgres'] as const) {
    const r = await run(mode);
    results[mode] = r;
    const line = `| ${MODE_NAMES[mode]} | ${r.acks.length.toLocaleString('en')} | ${quantile(r.acks, 0.5).toFixed(2)} ms | ${quantile(r.acks, 0.99).toFixed(2)} ms | ${r.loopP99.toFixed(1)} ms | ${r.loopMax.toFixed(1)} ms |`;
    rows.push(line);
    console.log(line);
  }
  const report = [
    '## Durable acknowledgement of appends (issue 16, SPEC S10)',
    '',
    `${WRITERS} writers on ${WRITERS} documents, each appending a 30-byte update and waiting for it to be durable before the next, at most one per ${PACE_MS} ms, for ${SECONDS} s,`,
    'straight on the store (no sockets), on a fresh database (file, or PostgreSQL schema) each; the event loop delay is what every other socket and request waits meanwhile.',
    '',
    '| storage, and how the log is made durable | appends | ack p50 | ack p99 | event loop delay p99 | event loop delay max |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Command: \`pnpm bench:durable-ack\` (${new Date().toISOString().slice(0, 10)}). Goal (issue 16): durable ack p50 ≤ 2 ms, p99 ≤ 10 ms with 20 writers, end to end.`,
  ].join('\n');
  console.log(report);
  if (!QUICK) writeSection(RESULTS_FILE, 'durable-ack', report);
}

await main();
