import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CloseCode } from '@rapporteur/protocol';
import { CollabTransport, createLogger, type TransportSocket } from '@rapporteur/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ManualClock } from '../support/manualClock';
import { waitFor } from '../support/wait';

const PING_MS = 1000;
const MAX_BUFFERED = 64 * 1024;
const FLOOD_FRAMES = 1000;
const FLOOD_FRAME_BYTES = 32 * 1024;

// The transport alone (SPEC T1, T4, T5), under a connection handler that
// echoes each frame, or answers "flood" by sending FLOOD_FRAMES frames, one
// per event-loop turn, as a busy room would.
describe('sync socket transport', () => {
  let clock: ManualClock;
  let server: http.Server;
  let transport: CollabTransport;
  let base: string;
  const accepted: Array<{ socket: TransportSocket; room: string }> = [];
  /** One entry per flood asked for: set once the handler has made every send (sends after a close are dropped). */
  const floods: Array<{ done: boolean }> = [];
  const clients: WebSocket[] = [];

  beforeEach(async () => {
    clock = new ManualClock();
    server = http.createServer((_req, res) => res.writeHead(404).end());
    transport = new CollabTransport(
      { path: '/collab', maxMessageBytes: 1024, pingIntervalMs: PING_MS, maxBufferedBytes: MAX_BUFFERED, trustProxy: () => false },
      clock,
      createLogger('warn'),
      (socket, room) => {
        accepted.push({ socket, room });
        let open = true;
        socket.onClose(() => (open = false));
        socket.onMessage((frame) => {
          if (new TextDecoder().decode(frame) !== 'flood') return socket.send(frame);
          let sent = 0;
          const flood = { done: false };
          floods.push(flood);
          const next = (): void => {
            if (!open || sent++ >= FLOOD_FRAMES) {
              flood.done = true;
              return;
            }
            socket.send(new Uint8Array(FLOOD_FRAME_BYTES));
            setImmediate(next);
          };
          next();
        });
      },
    );
    transport.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    accepted.length = 0;
    floods.length = 0;
    transport.close(CloseCode.serviceRestart, 'test over');
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function open(path: string, options: WebSocket.ClientOptions = {}): { ws: WebSocket; frames: Buffer[]; closed: Promise<number> } {
    const ws = new WebSocket(base + path, options);
    clients.push(ws);
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer) => frames.push(data));
    ws.on('error', () => {});
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    return { ws, frames, closed };
  }

  const opened = (ws: WebSocket) => new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));

  /** Resolves once the server has read everything this client sent before (our ping, its pong). */
  const roundTrip = (ws: WebSocket) => new Promise<void>((resolve) => (ws.once('pong', () => resolve()), ws.ping()));

  it('T1: the socket lives at /collab/<documentId>; other upgrade paths get 404', async () => {
    const good = open('/collab/doc%2D1');
    await opened(good.ws);
    await waitFor(() => accepted.length === 1, { what: 'accepted' });
    expect(accepted[0]!.room).toBe('doc-1');
    for (const path of ['/other/doc-1', '/collabdoc-1', '/', '/api/collab/doc-1']) {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(base + path);
        clients.push(ws);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => {});
      });
      expect(status, path).toBe(404);
    }
    expect(accepted.length).toBe(1);
  });

  it('T4: a socket that answered neither the last ping nor sent anything is terminated; the others stay', async () => {
    const silent = open('/collab/d', { autoPong: false });
    const ponging = open('/collab/d');
    const talking = open('/collab/d', { autoPong: false });
    await Promise.all([silent.ws, ponging.ws, talking.ws].map(opened));
    await waitFor(() => accepted.length === 3, { what: 'accepted' });
    let silentClosed = false;
    void silent.closed.then(() => (silentClosed = true));

    for (let round = 0; round < 3; round++) {
      const pinged = [silent.ws, ponging.ws, talking.ws].map((ws) => new Promise<void>((resolve) => ws.once('ping', () => resolve())));
      clock.advance(PING_MS);
      await Promise.all(round === 0 ? pinged : pinged.slice(1));
      if (round === 0) expect(silentClosed).toBe(false);
      // The ponging socket's pong has been read once our own ping comes back;
      // the talking one answers nothing but sends a frame (echoed back).
      await roundTrip(ponging.ws);
      const echoed = talking.frames.length;
      talking.ws.send(new Uint8Array([round]));
      await waitFor(() => talking.frames.length > echoed, { what: 'echo' });
      if (round === 0) continue;
      expect(await silent.closed).toBe(1006);
    }
    expect(ponging.ws.readyState).toBe(WebSocket.OPEN);
    expect(talking.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('T5: a reader that does not read is closed with 4508 once its unsent data passes the limit; a reader that reads is not', async () => {
    const reading = open('/collab/d');
    await opened(reading.ws);
    reading.ws.send(new TextEncoder().encode('flood'));
    let readingClosed = false;
    void reading.closed.then(() => (readingClosed = true));
    await waitFor(() => reading.frames.length === FLOOD_FRAMES || readingClosed, { what: 'the reading client to get everything' });
    expect(readingClosed).toBe(false);

    const stalled = open('/collab/d');
    await opened(stalled.ws);
    // Stop reading from the socket: the server's data piles up in the kernel, then in its own buffer.
    const tcp = (stalled.ws as unknown as { _socket: Socket })._socket;
    tcp.pause();
    stalled.ws.send(new TextEncoder().encode('flood'));
    await waitFor(() => floods[1]?.done === true, { what: 'the server to finish sending', timeoutMs: 30_000 });
    tcp.resume();
    let stalledCode: number | null = null;
    void stalled.closed.then((code) => (stalledCode = code));
    await waitFor(() => stalledCode !== null || stalled.frames.length === FLOOD_FRAMES, { what: 'the stalled client to catch up', timeoutMs: 30_000 });
    expect(await stalled.closed).toBe(CloseCode.timeout);
    expect(stalled.frames.length).toBeLessThan(FLOOD_FRAMES);
  });
});
