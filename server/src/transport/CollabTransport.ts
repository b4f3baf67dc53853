import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@rapporteur/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock, TimerHandle } from '../lib/clock';
import type { Logger } from '../lib/logger';

/** What the layer above sees of one live socket: frames in, frames out, close. */
export interface TransportSocket {
  send(frame: Uint8Array): void;
  /** Bytes queued on the connection and not yet written to the network. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
  onMessage(handler: (frame: Uint8Array) => void): void;
  onClose(handler: () => void): void;
}

export interface CollabTransportOptions {
  /** URL prefix of the sync socket; the rest of the path is the room name. */
  readonly path: string;
  readonly maxMessageBytes: number;
  readonly pingIntervalMs: number;
  /** A socket whose unsent data exceeds this is closed (4508): it cannot keep up. */
  readonly maxBufferedBytes: number;
  /** Is the peer at this address (this many hops away) a proxy to believe about X-Forwarded-Host? */
  readonly trustProxy: (address: string, hop: number) => boolean;
  /** Frames a socket may send per second on average (T6); default 500. */
  readonly maxMessagesPerSecond?: number;
  /** Bytes a socket may send per second on average (T6); default 4 MiB. */
  readonly maxBytesPerSecond?: number;
}

const DEFAULT_MESSAGES_PER_SECOND = 500;
const DEFAULT_BYTES_PER_SECOND = 4 * 1024 * 1024;
/** A socket may send this many seconds' worth at once (a burst) before it is slowed down. */
const BURST_SECONDS = 2;
/** A socket so far ahead of its allowance that reading would stop longer than this is closed instead (4529). */
const MAX_THROTTLE_MS = 10_000;

/** What the layer above may know of the upgrade request (for authentication). */
export interface UpgradeRequest {
  header(name: string): string | undefined;
  /** The host the request was addressed to. */
  readonly host: string | undefined;
}

export type ConnectionHandler = (socket: TransportSocket, room: string, params: URLSearchParams, request: UpgradeRequest) => void;

/**
 * The sync socket's transport (SPEC.md T1–T5): accepts upgrades under
 * `path`, enforces frame size and liveness, and hands binary frames to the
 * layer above. Knows nothing of Yjs or storage.
 */
export class CollabTransport {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private accepting = true;

  constructor(
    private readonly options: CollabTransportOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onConnection: ConnectionHandler,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      // Hard cap enforced by ws while reading the frame header (close 1009).
      // Frames between the limit and this cap are refused with 4413 below,
      // which clients treat as permanent.
      maxPayload: options.maxMessageBytes * 2,
      perMessageDeflate: false,
    });
  }

  /** Claims upgrade requests under `path`; others are answered 404. */
  attach(server: http.Server): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.accepting) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const prefix = this.options.path.endsWith('/') ? this.options.path : this.options.path + '/';
      if (!url.pathname.startsWith(prefix)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      let room: string;
      try {
        room = decodeURIComponent(url.pathname.slice(prefix.length));
      } catch {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const request: UpgradeRequest = {
        header: (name) => {
          const v = req.headers[name.toLowerCase()];
          return Array.isArray(v) ? v[0] : v;
        },
        host: (this.options.trustProxy(req.socket.remoteAddress ?? '', 0) ? firstHeader(req.headers['x-forwarded-host']) : undefined) ?? req.headers.host,
      };
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, room, url.searchParams, request));
    });
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  private accept(ws: WebSocket, room: string, params: URLSearchParams, request: UpgradeRequest): void {
    this.sockets.add(ws);
    let alive = true;
    let pingTimer: TimerHandle | null = null;
    const schedulePing = (): void => {
      pingTimer = this.clock.setTimeout(() => {
        if (!alive) {
          this.log.debug({ room }, 'sync socket missed a ping; terminating');
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
        schedulePing();
      }, this.options.pingIntervalMs);
    };
    ws.on('pong', () => (alive = true));
    schedulePing();

    // T6: a token bucket per socket, in frames and in bytes. Over the allowance the socket is not
    // read for as long as it takes to earn the deficit back (TCP holds the sender: backpressure);
    // only a sender so far over that this would take more than MAX_THROTTLE_MS is closed (4529).
    const rate = {
      messages: this.options.maxMessagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND,
      bytes: this.options.maxBytesPerSecond ?? DEFAULT_BYTES_PER_SECOND,
    };
    const burst = { messages: rate.messages * BURST_SECONDS, bytes: Math.max(rate.bytes * BURST_SECONDS, this.options.maxMessageBytes) };
    const tokens = { ...burst };
    let refilledAt = this.clock.now();
    let resumeTimer: TimerHandle | null = null;
    let limited = false;
    const refill = (): void => {
      const now = this.clock.now();
      const seconds = Math.max(0, now - refilledAt) / 1000;
      refilledAt = now;
      tokens.messages = Math.min(burst.messages, tokens.messages + seconds * rate.messages);
      tokens.bytes = Math.min(burst.bytes, tokens.bytes + seconds * rate.bytes);
    };
    const deficitMs = (): number => Math.max(0, -tokens.messages / rate.messages, -tokens.bytes / rate.bytes) * 1000;
    const throttle = (): void => {
      if (resumeTimer) return;
      ws.pause();
      resumeTimer = this.clock.setTimeout(() => {
        resumeTimer = null;
        refill();
        if (deficitMs() > 0) return throttle();
        // Not read while paused: its pongs were not either.
        alive = true;
        if (ws.readyState === WebSocket.OPEN) ws.resume();
      }, Math.max(1, deficitMs()));
    };
    /** Charges a received frame; false when the socket was closed for sending too fast. */
    const admit = (bytes: number): boolean => {
      refill();
      tokens.messages -= 1;
      tokens.bytes -= bytes;
      const wait = deficitMs();
      if (wait === 0) return true;
      if (wait > MAX_THROTTLE_MS) {
        limited = true;
        socket.close(CloseCode.rateLimited, 'sending too fast; reconnect later');
        // Read on, so the closing handshake completes (what arrives meanwhile is dropped).
        if (resumeTimer) this.clock.clearTimeout(resumeTimer);
        resumeTimer = null;
        ws.resume();
        return false;
      }
      throttle();
      return true;
    };

    const messageHandlers: Array<(frame: Uint8Array) => void> = [];
    const closeHandlers: Array<() => void> = [];
    const socket: TransportSocket = {
      send: (frame) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > this.options.maxBufferedBytes) {
          ws.close(CloseCode.timeout, 'client cannot keep up; reconnect');
          return;
        }
        ws.send(frame, { binary: true });
      },
      bufferedAmount: () => ws.bufferedAmount,
      close: (code, reason) => {
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
          // Close reasons are limited to 123 bytes by the WebSocket protocol.
          ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
        }
      },
      onMessage: (h) => messageHandlers.push(h),
      onClose: (h) => closeHandlers.push(h),
    };

    ws.on('message', (data, isBinary) => {
      alive = true;
      if (limited) return; // closed for sending too fast: nothing more is taken
      if (!isBinary) {
        socket.close(CloseCode.malformedMessage, 'text frames are not part of the protocol');
        return;
      }
      const frame = toBytes(data);
      if (frame.byteLength > this.options.maxMessageBytes) {
        socket.close(CloseCode.messageTooLarge, `message larger than ${this.options.maxMessageBytes} bytes`);
        return;
      }
      if (!admit(frame.byteLength)) return;
      for (const h of messageHandlers) h(frame);
    });
    ws.on('error', (error) => {
      // Protocol errors (bad frames, oversized payloads): ws closes the socket itself.
      this.log.debug({ err: error, room }, 'sync socket error');
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (pingTimer) this.clock.clearTimeout(pingTimer);
      if (resumeTimer) this.clock.clearTimeout(resumeTimer);
      for (const h of closeHandlers) h();
    });

    try {
      this.onConnection(socket, room, params, request);
    } catch (error) {
      this.log.error({ err: error, room }, 'connection handler failed');
      socket.close(CloseCode.internalError, 'internal error');
    }
  }

  /** New upgrades are answered 503 from now on; open sockets stay (shutdown, R12). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /**
   * Closes every socket with `code`, stops accepting new ones, and resolves
   * once each socket has finished its closing handshake, or after
   * `graceMs` (then the rest are cut), so frames sent before the close
   * (acknowledgements) are flushed before the process exits.
   */
  async close(code: number, reason: string, graceMs = 2000): Promise<void> {
    this.stopAccepting();
    const open = [...this.sockets];
    const closed = open.map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve()))));
    for (const ws of open) ws.close(code, reason);
    this.wss.close();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(closed), timedOut]);
    clearTimeout(timer);
    for (const ws of this.sockets) ws.terminate();
  }
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
