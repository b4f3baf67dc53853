import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CloseCode } from '@rapporteur/protocol';
import { CollabTransport, createLogger } from '@rapporteur/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ManualClock } from '../support/manualClock';
import { waitFor } from '../support/wait';

// SPEC T6: a socket sending faster than its allowance is slowed down (not read
// until it has earned the deficit back), and closed (4529, retry later) only
// when it is so far over that this would take more than 10 s. The transport
// alone, under an injected clock, echoing every frame.
const PER_SECOND = 10; // frames; the burst is two seconds' worth

describe('per-socket rate limit (SPEC T6)', () => {
  let clock: ManualClock;
  let server: http.Server;
  let transport: CollabTransport;
  let base: string;
  const clients: WebSocket[] = [];

  beforeEach(async () => {
    clock = new ManualClock();
    server = http.createServer((_req, res) => res.writeHead(404).end());
    transport = new CollabTransport(
      { path: '/collab', maxMessageBytes: 1024, pingIntervalMs: 60_000, maxBufferedBytes: 1 << 20, trustProxy: () => false, maxMessagesPerSecond: PER_SECOND, maxBytesPerSecond: 1 << 20 },
      clock,
      createLogger('warn'),
      (socket) => socket.onMessage((frame) => socket.send(frame)),
    );
    transport.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await transport.close(CloseCode.serviceRestart, 'test over', 100);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function connect(): Promise<{ ws: WebSocket; echoes: () => number; closed: Promise<number> }> {
    const ws = new WebSocket(`${base}/collab/doc`);
    clients.push(ws);
    let n = 0;
    ws.on('message', () => n++);
    ws.on('error', () => {});
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
    return { ws, echoes: () => n, closed };
  }

  const send = async (ws: WebSocket, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) ws.send(new Uint8Array([i % 256]));
    await new Promise<void>((resolve) => ws.send(new Uint8Array(0), () => resolve()));
  };

  it('within the burst everything is read at once; beyond it, reading waits for the clock, then goes on', async () => {
    const c = await connect();
    // 2 s worth (20 frames) is the burst: 25 put the socket 5 frames (half a second) over.
    await send(c.ws, 24);
    await waitFor(() => c.echoes() === 25, { what: 'the burst to be echoed' });
    await send(c.ws, 3);
    // Paused: nothing more is read while the clock stands still.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(c.echoes()).toBe(25);
    clock.advance(600);
    await waitFor(() => c.echoes() === 29, { what: 'reading to resume once the deficit is earned back' });
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('a socket so far over its allowance that catching up would take more than 10 s is closed with 4529', async () => {
    const c = await connect();
    // In one TCP write: the server can only count what it reads, and it stops reading (for the deficit's time, which
    // this clock never lets pass) after the chunk that put it over. Frame by frame, a busy machine could deliver the
    // first few dozen alone, and the test would wait forever for a close that needs all of them counted.
    const tcp = (c.ws as unknown as { _socket: Socket })._socket;
    tcp.cork();
    const sent = send(c.ws, 20 + PER_SECOND * 12);
    tcp.uncork();
    await sent;
    expect(await c.closed).toBe(CloseCode.rateLimited);
  });

  it('a steady sender at the allowance is never slowed', async () => {
    const c = await connect();
    for (let second = 0; second < 5; second++) {
      await send(c.ws, PER_SECOND - 1);
      await waitFor(() => c.echoes() === (second + 1) * PER_SECOND, { what: `second ${second} echoed` });
      clock.advance(1000);
    }
  });
});
