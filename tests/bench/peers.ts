/**
 * The peers of issue 16's side-by-side benchmarks, each run in a process of
 * its own: the reference y-websocket server (y-websocket 2.1's `bin/utils`,
 * as its `bin/server` runs it; no persistence) and Hocuspocus 4.7 with its
 * SQLite extension. Dev dependencies of `tests` only, never of the server.
 */
import { spawn } from 'node:child_process';
import * as encoding from 'lib0/encoding';

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
export async function startScript(script: string, cwd: string, args: string[] = []): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', script, ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`server script exited with ${code}`)));
  });
  return { url: `ws://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGKILL') };
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

