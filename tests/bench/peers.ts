/**
 * The peers of issue 16's side-by-side benchmarks, each run in a process of
 * its own: the reference y-websocket server (y-websocket 2.1's `bin/utils`,
 * as its `bin/server` runs it; no persistence) and Hocuspocus 4.7 with its
 * SQLite extension. Dev dependencies of `tests` only, never of the server.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeSyncStep1, encodeSyncUpdate } from '@rapporteur/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { serverEnv } from '@rapporteur/server/serverEnv';
import { openTestPostgres, urlInSchema } from '../support/postgres';
import { TEST_REDIS_URL } from '../support/redis';
import { repoRoot } from '../support/server';

/** The reference y-websocket server (y-websocket 2.1's `bin/utils`, as its `bin/server` runs it; no persistence). */
export const Y_WEBSOCKET = `
const http = require('http');
const WebSocket = require('ws');
const { setupWSConnection } = require('y-websocket-reference-server/bin/utils');
const wss = new WebSocket.Server({ noServer: true });
const server = http.createServer((_q, r) => r.end('okay'));
wss.on('connection', setupWSConnection);
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

/** Hocuspocus 4 with its SQLite extension, storing in the file named by the first argument. */
export const HOCUSPOCUS = `
const { Server } = require('@hocuspocus/server');
const { SQLite } = require('@hocuspocus/extension-sqlite');
const server = new Server({ quiet: true, address: '127.0.0.1', port: 0, extensions: [new SQLite({ database: process.argv[1] })] });
server.listen(0).then(() => process.stdout.write(String(server.address.port) + '\\n'));
`;

/** Runs a server script in its own process; it prints its port. */
export async function startScript(
  script: string,
  cwd: string,
  args: string[] = [],
): Promise<{ url: string; pid: number; stop: () => void; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', script, ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`server script exited with ${code}`)));
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    pid: child.pid!,
    ...stopping(child),
  };
}

/** `stop()` kills the process at once; `close()` asks it to stop (SIGTERM) and waits until it has. */
function stopping(child: ChildProcess): { stop: () => void; close: () => Promise<void> } {
  return {
    stop: () => child.kill('SIGKILL'),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** How a server frames y-protocol messages: as they are, or (Hocuspocus) each prefixed with the document's name. */
export type Framing = { readonly kind: 'plain' } | { readonly kind: 'named'; readonly name: string };

export function frame(framing: Framing, message: Uint8Array): Uint8Array {
  if (framing.kind === 'plain') return message;
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, framing.name);
  encoding.writeUint8Array(encoder, message);
  return encoding.toUint8Array(encoder);
}

/** Hocuspocus waits for an authentication message before anything else (an empty token: no auth hook is set). */
export function hello(framing: Framing): Uint8Array | null {
  if (framing.kind === 'plain') return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 2); // Auth
  encoding.writeVarUint(encoder, 0); // Token
  encoding.writeVarString(encoder, '');
  return frame(framing, encoding.toUint8Array(encoder));
}

/** Opens a socket, syncs, and resolves with the socket and its doc once the doc's text is `expected` (or, with `write`, after writing). */
export async function rawClient(url: string, framing: Framing, expected: string | null, write: Uint8Array[] = []): Promise<{ ws: WebSocket; ms: number }> {
  const t0 = performance.now();
  const ws = await new Promise<WebSocket>((resolve, reject) => {
    const s = new WebSocket(url);
    s.binaryType = 'nodebuffer';
    s.once('open', () => resolve(s));
    s.once('error', reject);
  });
  const doc = new Y.Doc();
  const done = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (framing.kind === 'named') decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      if (type !== 0 && type !== 4) return;
      const step = decoding.readVarUint(decoder);
      if (step !== 1 && step !== 2) return;
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
      if (expected !== null && doc.getText('t').length === expected.length && doc.getText('t').toString() === expected) resolve();
    });
    if (expected === null) resolve();
  });
  const greeting = hello(framing);
  if (greeting) ws.send(greeting);
  ws.send(frame(framing, encodeSyncStep1(Y.encodeStateVector(doc))));
  for (const u of write) ws.send(frame(framing, encodeSyncUpdate(u)));
  await done;
  return { ws, ms: performance.now() - t0 };
}

/** Text edits `[position, deleted, inserted]` of a trace applied to a Y.Doc (text `t`), `perUpdate` to an update: the doc and its updates. */
export function batchedUpdates(patches: ReadonlyArray<readonly [number, number, string]>, perUpdate = 1_000): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  const updates: Uint8Array[] = [];
  for (let i = 0; i < patches.length; i += perUpdate) {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      for (const [pos, del, ins] of patches.slice(i, i + perUpdate)) {
        if (del > 0) text.delete(pos, del);
        if (ins) text.insert(pos, ins);
      }
    });
    updates.push(Y.encodeStateAsUpdate(doc, before));
  }
  return { doc, updates };
}

let built = false;

/**
 * Where the benches' Rapporteur stores: SQLite (its DATA_DIR), or with
 * STORAGE=postgres a PostgreSQL schema of its own and Redis, as several
 * instances run (`env` for the server; `close` drops the schema).
 */
export async function rapporteurStorage(): Promise<{ name: string; env: Record<string, string>; close: () => Promise<void> }> {
  if (process.env.STORAGE !== 'postgres') return { name: 'SQLite', env: {}, close: async () => {} };
  const pg = await openTestPostgres();
  return { name: 'PostgreSQL + Redis', env: { DATABASE_URL: urlInSchema(pg.schema), REDIS_URL: TEST_REDIS_URL }, close: () => pg.close() };
}

/**
 * Rapporteur's built bundle, as `pnpm start` runs it, on `dataDir` (built
 * once per run), with `extraEnv` (e.g. DATABASE_URL and REDIS_URL). `stop()`
 * kills it (SIGKILL); `close()` stops it cleanly.
 */
export async function startBuiltRapporteur(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<{ url: string; collabUrl: string; pid: number; stop: () => void; close: () => Promise<void> }> {
  if (!built) {
    const result = spawnSync(process.execPath, ['build.mjs'], { cwd: path.join(repoRoot, 'server'), stdio: 'inherit' });
    if (result.status !== 0) throw new Error('server build failed');
    built = true;
  }
  const child = spawn(process.execPath, [path.join(repoRoot, 'server/dist/main.js')], {
    env: serverEnv({ ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...extraEnv }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('Rapporteur is listening'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  child.stdout.resume();
  return {
    url,
    collabUrl: `${url.replace('http', 'ws')}/collab`,
    pid: child.pid!,
    ...stopping(child),
  };
}
