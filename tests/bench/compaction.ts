/**
 * `pnpm bench:compaction`: bytes on disk per edit with history kept, before
 * and after compaction (issue 16, SPEC S2). The automerge-paper trace is typed
 * by one writer through a whole server (in this process, real sockets, an
 * SQLite file in a temporary DATA_DIR — or with STORAGE=postgres a PostgreSQL
 * schema and Redis) whose clock is a manual one: 1,000 edits a minute, so the
 * trace's 259,778 edits are spread over 260 minutes; versions are named at a
 * third and two thirds. The server's own sweeps run every five minutes of
 * that clock, during the typing too: at its end, records older than an hour
 * are already merged (what a server in use holds). The clock then moves on
 * two hours in five-minute steps, and the sweeps compact the rest.
 *
 * Beside it, in the same run: the document's state as Yjs encodes it with
 * garbage collection (what a server keeping no history stores) and without
 * (deleted text kept: the least any history can take), and (one writer) what
 * Hocuspocus 4.7 with its SQLite extension keeps on disk for the same edits.
 *
 * Checked before anything is reported: a fresh client loads the end text from
 * the server after compaction and after a restart; every version, the end and
 * a diff with authors rebuild as they did before compaction.
 *
 * With AUTHORS=2 two people type the trace in turns of one to four edits
 * (seeded), each waiting to have received the other's edits before typing
 * again — the interleaving that merging per author alone cannot compact.
 *
 *   STORAGE=postgres  AUTHORS=2  QUICK=1 (the first 30,000 edits; RESULTS.md left alone)
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { connect, type Connection } from '@rapporteur/client';
import type { DocumentId } from '@rapporteur/protocol';
import { createLogger, createServer, diffStates, History, type RunningServer } from '@rapporteur/server';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import WS from 'ws';
import * as Y from 'yjs';
import { signUp } from '../support/accounts';
import { createDocument, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { openTestPostgres, type TestPostgres } from '../support/postgres';
import { Random } from '../support/random';
import { TEST_REDIS_URL } from '../support/redis';
import { repoRoot, startServer, tempDataDir, testConfig } from '../support/server';
import { batchedUpdates, HOCUSPOCUS, rawClient, startScript } from './peers';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const POSTGRES = env.STORAGE === 'postgres';
const TWO_AUTHORS = env.AUTHORS === '2';
/** AUTHORS=2: the turns' lengths replay from this seed. */
const TURN_SEED = 16;
const EDITS_PER_MINUTE = 1_000;
const MINUTE = 60_000;
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const TRACE = path.join(repoRoot, '../shared/traces/automerge-paper.json.gz');

type Patch = readonly [pos: number, del: number, ins: string];

function loadTrace(): { patches: Patch[]; endContent: string } {
  const raw = JSON.parse(zlib.gunzipSync(fs.readFileSync(TRACE)).toString('utf8')) as { endContent: string; txns: Array<{ patches: Patch[] }> };
  const all = raw.txns.flatMap((t) => t.patches);
  if (!QUICK) return { patches: all, endContent: raw.endContent };
  const patches = all.slice(0, 30_000);
  let s = '';
  for (const [pos, del, ins] of patches) s = s.slice(0, pos) + ins + s.slice(pos + del);
  return { patches, endContent: s };
}

/**
 * The peer's figure, same run (issue 16): Hocuspocus 4.7 with its SQLite
 * extension (which stores each document's state, no history), sent the same
 * edits 1,000 to an update by a raw client, stopped cleanly; its file and WAL
 * then, and with no document.
 */
async function hocuspocusOnDisk(patches: readonly Patch[], endContent: string): Promise<{ bytes: number; empty: number }> {
  const dir = tempDataDir('rapporteur-bench-hocuspocus-');
  const file = path.join(dir, 'hocuspocus.sqlite');
  const size = (): number => ['', '-wal'].reduce((n, suffix) => n + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0), 0);
  const start = () => startScript(HOCUSPOCUS, path.join(repoRoot, 'tests'), [file]);
  try {
    await (await start()).close();
    const empty = size();
    const { updates } = batchedUpdates(patches);
    const server = await start();
    const framing = { kind: 'named', name: 'automerge-paper' } as const;
    const writer = await rawClient(server.url, framing, null, updates);
    const check = await rawClient(server.url, framing, endContent);
    check.ws.terminate();
    writer.ws.terminate();
    // Hocuspocus stores 2 s after the last change (and again when it unloads the document).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await server.close();
    return { bytes: size(), empty };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MiB`;
const perEdit = (bytes: number, edits: number): string => `${(bytes / edits).toFixed(2)} B`;
/** Bytes per edit above the empty installation, and the total. */
const onDisk = (bytes: number, empty: number, edits: number): string => `${perEdit(bytes - empty, edits)} (${perEdit(bytes, edits)} with the empty installation)`;

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Bytes the storage takes on disk: the SQLite file and its WAL, or the PostgreSQL schema's tables and indexes. */
async function diskBytes(dataDir: string, pg: TestPostgres | null): Promise<{ total: number; detail: string }> {
  if (pg) {
    const rows = (
      await sql<{ name: string; bytes: string }>`SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${pg.schema} AND c.relkind = 'r'`.execute(pg.db)
    ).rows;
    const total = rows.reduce((n, r) => n + Number(r.bytes), 0);
    const top = rows.sort((a, b) => Number(b.bytes) - Number(a.bytes)).slice(0, 3).map((r) => `${r.name} ${mib(Number(r.bytes))}`);
    return { total, detail: top.join(', ') };
  }
  const file = path.join(dataDir, 'rapporteur.sqlite');
  const size = (f: string): number => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  const db = size(file);
  const wal = size(`${file}-wal`);
  return { total: db + wal, detail: `file ${mib(db)} + WAL ${mib(wal)}` };
}

/**
 * What the update log's table itself takes and the rows in it (SQLite: its pages, from dbstat; PostgreSQL: table, TOAST
 * and index, with the dead rows compaction left that VACUUM has not yet reclaimed).
 */
async function logTable(dataDir: string, pg: TestPostgres | null): Promise<{ bytes: number; rows: number; detail: string }> {
  if (pg) {
    const { rows } = await sql<{ bytes: string; live: string; dead: string }>`SELECT pg_total_relation_size(${`${pg.schema}.updates`}::regclass)::text AS bytes,
      n_live_tup::text AS live, n_dead_tup::text AS dead FROM pg_stat_user_tables WHERE schemaname = ${pg.schema} AND relname = 'updates'`.execute(pg.db);
    const [live, dead] = [Number(rows[0]!.live), Number(rows[0]!.dead)];
    return { bytes: Number(rows[0]!.bytes), rows: live + dead, detail: `${live.toLocaleString('en')} live and ${dead.toLocaleString('en')} dead rows` };
  }
  const db = new Database(path.join(dataDir, 'rapporteur.sqlite'), { readonly: true });
  try {
    const bytes = db.prepare<[], { bytes: number }>("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = 'updates'").get()!.bytes;
    const rows = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM updates').get()!.n;
    return { bytes, rows, detail: `${rows.toLocaleString('en')} rows` };
  } finally {
    db.close();
  }
}

interface Point {
  text: string;
  deleted: string;
}

async function main(): Promise<void> {
  const started = performance.now();
  const trace = loadTrace();
  const edits = trace.patches.length;
  const rows: Array<[string, string, string]> = [];
  const log = createLogger('silent');

  // References, same run: the final state as Yjs encodes it, with and without garbage collection.
  const ref = { gc: new Y.Doc(), history: new Y.Doc({ gc: false }) };
  for (const doc of Object.values(ref)) {
    const text = doc.getText('t');
    for (const [pos, del, ins] of trace.patches) {
      doc.transact(() => {
        if (del > 0) text.delete(pos, del);
        if (ins) text.insert(pos, ins);
      });
    }
  }
  // Two people: replaced below by their document's (each turn of one is an item of its own in Yjs, whoever stores it).
  let gcState = Y.encodeStateAsUpdate(ref.gc).byteLength;
  let historyState = Y.encodeStateAsUpdate(ref.history).byteLength;

  const dataDir = tempDataDir('rapporteur-bench-compaction-');
  // PostgreSQL: the bench keeps one pool on the schema (for sizes, and to drop it at the end); each server gets its own, with Redis.
  const pg: TestPostgres | null = POSTGRES ? await openTestPostgres() : null;
  const clock = new ManualClock();
  const start = async (): Promise<RunningServer> =>
    pg ? createServer({ ...testConfig(dataDir), redisUrl: TEST_REDIS_URL }, { clock, database: await pg.another() }) : startServer(dataDir, {}, { clock });
  let server = await start();
  // What an installation takes before any document (schema, built-in templates): the per-edit figures count what is above it.
  const empty = await diskBytes(dataDir, pg);
  const conns: Connection[] = [];
  const stock: StockClient[] = [];
  try {
    const owner = await signUp(server.url);
    const id = (await createDocument(server.url, owner)) as DocumentId;
    // A stock y-websocket client sends each edit as its own frame, as someone typing does (each is one log record).
    const writer = stockClient(server.collabUrl, id, owner);
    stock.push(writer);
    await writer.synced();
    const writers = [writer];
    if (TWO_AUTHORS) {
      const coauthor = await signUp(server.url);
      await owner.api.setMember(id, coauthor.email, 'editor');
      const second = stockClient(server.collabUrl, id, coauthor);
      stock.push(second);
      await second.synced();
      writers.push(second);
    }
    const text = writer.text;
    const firstSeq = await server.store.lastSeq(id);
    const turns = new Random(TURN_SEED);
    let current = 0;
    let turnLeft = 0;
    /**
     * Resolves once `to` holds everything `from` has (through the server): every insertion (the state vector) and
     * then every deletion (a state vector does not move with one; with all insertions there, the lengths are equal
     * only once all deletions are too).
     */
    const received = (from: StockClient, to: StockClient): Promise<void> =>
      new Promise((resolve) => {
        const want = Buffer.from(Y.encodeStateVector(from.doc));
        const length = from.text.length;
        const check = (): void => {
          if (to.text.length !== length || !Buffer.from(Y.encodeStateVector(to.doc)).equals(want)) return;
          to.doc.off('update', check);
          resolve();
        };
        to.doc.on('update', check);
        check();
      });

    // 1. Typing: 1,000 edits a minute, each its own transaction (one update frame), durable before the clock moves on.
    const versionsAt = [Math.floor(edits / 3), Math.floor((2 * edits) / 3)];
    const t0 = performance.now();
    // A tenth of a minute at a time: the clock moves 6 s once those edits are stored, so the server's keepalive
    // pings (on the same clock) are answered as they would be, and every record has its time.
    const STEP = EDITS_PER_MINUTE / 10;
    for (let i = 0; i < edits; i += STEP) {
      for (const [pos, del, ins] of trace.patches.slice(i, i + STEP)) {
        if (TWO_AUTHORS && turnLeft-- === 0) {
          // The other one's turn, once they have seen everything so far (the trace's positions assume it).
          const next = current ^ 1;
          await received(writers[current]!, writers[next]!);
          current = next;
          turnLeft = turns.int(4);
        }
        const t = writers[current]!.text;
        writers[current]!.doc.transact(() => {
          if (del > 0) t.delete(pos, del);
          if (ins) t.insert(pos, ins);
        });
      }
      const sent = firstSeq + Math.min(edits, i + STEP);
      await until(async () => (await server.store.lastSeq(id)) >= sent, 120_000, `the edits up to ${sent} to be stored`);
      if (versionsAt.some((v) => v >= i && v < i + STEP)) {
        const res = await fetch(`${server.url}/api/documents/${id}/versions`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${owner.token}` },
          body: JSON.stringify({ name: `After ${i + STEP} edits` }),
        });
        if (res.status !== 201) throw new Error(`naming a version: ${res.status} ${await res.text()}`);
      }
      clock.advance(MINUTE / 10);
    }
    if (TWO_AUTHORS) await received(writers[current]!, writers[current ^ 1]!);
    if (text.toString() !== trace.endContent) throw new Error('the writer does not hold the end text');
    const typedMs = performance.now() - t0;
    const store = server.store;
    const before = await store.historyStats(id);
    const diskBefore = await diskBytes(dataDir, pg);
    const logTableBefore = await logTable(dataDir, pg);
    const versions = await store.listVersions(id);
    const last = await store.lastSeq(id);

    // What history answered before compaction: each version, the end, a diff with authors.
    const history = new History(store, clock, log);
    const pointAt = async (seq: number): Promise<Point> => {
      const doc = await history.stateAt(id, seq);
      const ds = Y.createDeleteSetFromStructStore(doc.store);
      const point = { text: doc.getText('t').toString(), deleted: JSON.stringify([...ds.clients].sort((a, b) => a[0] - b[0]).map(([c, items]) => [c, items.map((d) => [d.clock, d.len])])) };
      doc.destroy();
      return point;
    };
    const diff = async (from: number, to: number): Promise<string> => {
      const a = await history.stateAt(id, from);
      const b = await history.stateAt(id, to);
      const changes = diffStates(a, b, (d) => d.getText('t'), await store.loadClientBindings(id), await history.deletionsBetween(id, from, to)).changes;
      a.destroy();
      b.destroy();
      return JSON.stringify(changes.map((c) => [c.type, c.text, c.authorId]));
    };
    if (TWO_AUTHORS) {
      gcState = Y.encodeStateAsUpdate(writer.doc).byteLength; // a stock client collects garbage, as a room does
      const all = await history.stateAt(id, last);
      historyState = Y.encodeStateAsUpdate(all).byteLength;
      all.destroy();
    }
    const points = [...versions.map((v) => v.seq), last];
    const expected = new Map<number, Point>();
    for (const seq of points) expected.set(seq, await pointAt(seq));
    const expectedDiff = await diff(versions[versions.length - 1]!.seq, last);

    // 2. Time passes: two hours in five-minute steps; the server's sweeps compact what is old enough.
    const t1 = performance.now();
    for (let m = 0; m < 120; m += 5) {
      clock.advance(5 * MINUTE);
      await server.compactor.idle();
    }
    const compactMs = performance.now() - t1;
    const after = await store.historyStats(id);
    const diskAfter = await diskBytes(dataDir, pg);
    // PostgreSQL keeps the space of deleted rows for later rows (autovacuum marks it free); VACUUM FULL gives it back.
    let diskVacuumed: { total: number; detail: string } | null = null;
    let diskVacuumedFull: { total: number; detail: string } | null = null;
    if (pg) {
      await sql`VACUUM ${sql.id(pg.schema, 'updates')}`.execute(pg.db);
      diskVacuumed = await diskBytes(dataDir, pg);
      await sql`VACUUM FULL ${sql.id(pg.schema, 'updates')}`.execute(pg.db);
      await sql`VACUUM FULL ${sql.id(pg.schema, 'history_checkpoints')}`.execute(pg.db);
      await sql`VACUUM FULL ${sql.id(pg.schema, 'checkpoints')}`.execute(pg.db);
      diskVacuumedFull = await diskBytes(dataDir, pg);
    }

    // 3. Every point kept answers as before; a fresh client loads the end text.
    for (const seq of points) {
      const now = await pointAt(seq);
      const was = expected.get(seq)!;
      if (now.text !== was.text || now.deleted !== was.deleted) throw new Error(`the state at seq ${seq} changed with compaction`);
    }
    const t2 = performance.now();
    if ((await diff(versions[versions.length - 1]!.seq, last)) !== expectedDiff) throw new Error('the diff with authors changed with compaction');
    const diffMs = performance.now() - t2;
    const t3 = performance.now();
    const firstPoint = await pointAt(Math.floor(last / 2));
    const rebuildMs = performance.now() - t3;
    if (!firstPoint.text) throw new Error('empty rebuild');
    await history.close();
    const reader = connect(id, { url: server.collabUrl, WebSocketPolyfill: WS as never, token: owner.token });
    conns.push(reader);
    await reader.whenSynced();
    await until(() => reader.doc.getText('t').toString() === trace.endContent, 60_000, 'a fresh client to load the end text');

    // 4. A clean stop and a restart on the same storage.
    for (const c of conns.splice(0)) c.destroy();
    for (const c of stock.splice(0)) c.destroy();
    await server.close();
    const diskStopped = pg ? null : await diskBytes(dataDir, null);
    server = await start();
    const again = connect(id, { url: server.collabUrl, WebSocketPolyfill: WS as never, token: owner.token });
    conns.push(again);
    await again.whenSynced();
    await until(() => again.doc.getText('t').toString() === trace.endContent, 60_000, 'the end text after a restart');

    const storage = pg ? 'PostgreSQL (one instance, Redis)' : 'SQLite file';
    rows.push(
      [
        `edits typed (1,000 a minute on the injected clock${TWO_AUTHORS ? ', by two people in turns of one to four edits' : ''}) / versions named`,
        `${edits.toLocaleString('en')} in ${(typedMs / 1000).toFixed(1)} s / ${versions.length}`,
        '',
      ],
      [`reference: ${TWO_AUTHORS ? 'their ' : ''}document state, garbage collected (what a server keeping no history stores)`, `${(gcState / 1024).toFixed(0)} KiB`, perEdit(gcState, edits)],
      [`reference: ${TWO_AUTHORS ? 'their ' : ''}document state with deleted text kept (the least any history takes)`, `${(historyState / 1024).toFixed(0)} KiB`, perEdit(historyState, edits)],
      [`${storage} on disk with no document yet (${empty.detail})`, mib(empty.total), ''],
      [`${storage} on disk at the end of the typing (${diskBefore.detail})`, mib(diskBefore.total), onDisk(diskBefore.total, empty.total, edits)],
      ['… of which log records (rows, bytes of data)', `${before.updates.toLocaleString('en')}, ${mib(before.updateBytes)}`, perEdit(before.updateBytes, edits)],
      [`… the log table itself on disk (${logTableBefore.detail}; since migration 0019 a row holds an integer document key, the seq, the bytes, the author and the times)`, `${mib(logTableBefore.bytes)}, ${(logTableBefore.bytes / logTableBefore.rows).toFixed(1)} B per row`, perEdit(logTableBefore.bytes, edits)],
      ['… checkpoints / history checkpoints (rows, bytes)', `${before.checkpoints}, ${mib(before.checkpointBytes)} / ${before.historyCheckpoints}, ${mib(before.historyCheckpointBytes)}`, ''],
      [`after two more hours, the server's sweeps having compacted the log (${(compactMs / 1000).toFixed(1)} s) (${diskAfter.detail})`, mib(diskAfter.total), `**${perEdit(diskAfter.total - empty.total, edits)}** (${perEdit(diskAfter.total, edits)} with the empty installation)`],
      ...(diskVacuumed && diskVacuumedFull
        ? ([
            [`… after VACUUM, as autovacuum does: the space is kept for later rows (${diskVacuumed.detail})`, mib(diskVacuumed.total), onDisk(diskVacuumed.total, empty.total, edits)],
            [`… after VACUUM FULL of the log and both kinds of checkpoints, which gives it back (${diskVacuumedFull.detail})`, mib(diskVacuumedFull.total), `**${perEdit(diskVacuumedFull.total - empty.total, edits)}** (${perEdit(diskVacuumedFull.total, edits)} with the empty installation)`],
          ] as Array<[string, string, string]>)
        : []),
      ['… of which log records (rows, bytes of data)', `${after.updates.toLocaleString('en')}, ${mib(after.updateBytes)}`, perEdit(after.updateBytes, edits)],
      ['… checkpoints / history checkpoints (rows, bytes)', `${after.checkpoints}, ${mib(after.checkpointBytes)} / ${after.historyCheckpoints}, ${mib(after.historyCheckpointBytes)}`, ''],
      ...(diskStopped ? [[`after a clean stop (${diskStopped.detail})`, mib(diskStopped.total), onDisk(diskStopped.total, empty.total, edits)] as [string, string, string]] : []),
      ['after compaction: rebuild of the state half-way / diff last version → end with authors', `${rebuildMs.toFixed(0)} ms / ${diffMs.toFixed(0)} ms`, ''],
    );
  } finally {
    for (const c of conns) c.destroy();
    for (const c of stock) c.destroy();
    await server.close().catch(() => undefined);
    if (pg) await pg.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  if (!TWO_AUTHORS) {
    const peer = await hocuspocusOnDisk(trace.patches, trace.endContent);
    rows.push([`peer, same run: Hocuspocus 4.7 + SQLite extension, the same edits, after a clean stop (keeps no history; ${mib(peer.empty)} with no document)`, mib(peer.bytes), onDisk(peer.bytes, peer.empty, edits)]);
  }
  const table = ['| what | measured | per edit |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  console.log(table);
  console.log(`whole run ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (!QUICK) {
    const name = `compaction${POSTGRES ? '-postgres' : ''}${TWO_AUTHORS ? '-two-authors' : ''}`;
    writeSection(
      RESULTS_FILE,
      name,
      `## Bytes on disk per edit, with history, after compaction (issue 16, SPEC S2)${POSTGRES ? ' — PostgreSQL' : ''}${TWO_AUTHORS ? ' — two people in turns' : ''}

The automerge-paper trace typed through a whole server (in-process, real sockets, ${POSTGRES ? 'PostgreSQL and Redis' : 'an SQLite file'}) whose injected
clock makes it 1,000 edits a minute (260 minutes), versions named at a third and two thirds; then two more hours in
five-minute steps.${TWO_AUTHORS ? ' Two people type it in turns of one to four edits (seeded), each waiting to have received the other\'s edits.' : ''} The server's own sweeps compact records older than an hour into 5-minute windows, spans
and one record per author (SPEC S2) every five minutes of that clock, during the typing too: at its end, all but the
last hour's records are already merged. Every version, the end and a diff with authors rebuilt as before compaction; a
fresh client and a restarted server load the end text.

${table}

Command: \`${POSTGRES ? 'STORAGE=postgres ' : ''}${TWO_AUTHORS ? 'AUTHORS=2 ' : ''}pnpm bench:compaction\` (${new Date().toISOString().slice(0, 10)}). Goal (issue 16): ≤ 6 B per edit with history kept, after compaction.`,
    );
  }
}

// Exits explicitly, as the other benches do: a closed server leaves nothing running, but libuv's pool may linger.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
