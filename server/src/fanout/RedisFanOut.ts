import { randomBytes } from 'node:crypto';
import type { DocumentId } from '@rapporteur/protocol';
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger';
import { describeCause, StartupError } from '../lib/StartupError';
import { type DocumentMessage, decodeDocumentMessage, encodeDocumentMessage, type FanOut, type InstanceSignal } from '../rooms/FanOut';

const DOCUMENT_PREFIX = 'rapporteur:doc:';
const SIGNALS = 'rapporteur:signals';
/** Bytes of the sender's instance id in front of every message (so an instance skips its own). */
const ID_BYTES = 8;
/** How long opening a room waits for its subscription before going on (the log check repairs what is missed). */
const SUBSCRIBE_WAIT_MS = 2_000;

/**
 * FanOut over Redis pub/sub (REDIS_URL, issue 15): a channel per document
 * and one for signals; every message starts with the sender's instance id.
 * Two connections (a subscriber cannot publish). Publishing never queues
 * while Redis is away (a message would arrive late and stale): it is dropped,
 * and the rooms' log checks repair it. When the subscriber's link comes back
 * (ioredis reconnects and subscribes again), `onResync` listeners run: rooms
 * read from the log what they may have missed.
 */
export class RedisFanOut implements FanOut {
  readonly shared = true;
  private readonly id = randomBytes(ID_BYTES);
  private readonly documents = new Map<string, Set<(message: DocumentMessage) => void>>();
  private readonly signals = new Set<(signal: InstanceSignal) => void>();
  private readonly resyncs = new Set<() => void>();
  private lastError = 0;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly log: Logger,
  ) {
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    let first = true;
    sub.on('ready', () => {
      if (first) {
        first = false;
        return;
      }
      this.log.info('the link to Redis is back; documents catch up from storage');
      for (const resync of this.resyncs) resync();
    });
    for (const connection of [pub, sub]) connection.on('error', (error: Error) => this.warn(error));
  }

  /** Connects to Redis at `url`; a StartupError naming it (never a password) when it does not answer. */
  static async connect(url: string, log: Logger): Promise<RedisFanOut> {
    const where = describeRedisUrl(url);
    const options = { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(50 * 2 ** n, 2_000) };
    const pub = new Redis(url, { ...options, enableOfflineQueue: false });
    const sub = new Redis(url, options);
    try {
      await Promise.all([pub.connect(), sub.connect()]);
      await sub.subscribe(SIGNALS);
    } catch (error) {
      pub.disconnect();
      sub.disconnect();
      throw new StartupError(`Redis at ${where} cannot be reached: ${describeCause(error)}. Check that Redis runs there and REDIS_URL names it.`, {
        cause: error,
      });
    }
    return new RedisFanOut(pub, sub, log);
  }

  async subscribe(documentId: DocumentId, listener: (message: DocumentMessage) => void): Promise<() => void> {
    const channel = DOCUMENT_PREFIX + documentId;
    let listeners = this.documents.get(channel);
    if (!listeners) {
      this.documents.set(channel, (listeners = new Set()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.sub.subscribe(channel).catch((error: Error) => this.warn(error)),
        new Promise((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.documents.get(channel) === listeners) {
        this.documents.delete(channel);
        this.sub.unsubscribe(channel).catch((error: Error) => this.warn(error));
      }
    };
  }

  publish(documentId: DocumentId, message: DocumentMessage): void {
    this.send(DOCUMENT_PREFIX + documentId, encodeDocumentMessage(message));
  }

  onSignal(listener: (signal: InstanceSignal) => void): () => void {
    this.signals.add(listener);
    return () => this.signals.delete(listener);
  }

  signal(signal: InstanceSignal): void {
    this.send(SIGNALS, new TextEncoder().encode(JSON.stringify(signal)));
  }

  onResync(listener: () => void): () => void {
    this.resyncs.add(listener);
    return () => this.resyncs.delete(listener);
  }

  /** A connection for plain commands (rate-limit counters); not the subscriber's. */
  get commands(): Redis {
    return this.pub;
  }

  async close(): Promise<void> {
    await Promise.all([this.pub.quit().catch(() => this.pub.disconnect()), this.sub.quit().catch(() => this.sub.disconnect())]);
  }

  private send(channel: string, body: Uint8Array): void {
    if (this.pub.status !== 'ready') return; // dropped: the log repairs it
    this.pub.publish(channel, Buffer.concat([this.id, body])).catch((error: Error) => this.warn(error));
  }

  private receive(channel: string, message: Buffer): void {
    if (message.length < ID_BYTES || message.subarray(0, ID_BYTES).equals(this.id)) return;
    const body = new Uint8Array(message.buffer, message.byteOffset + ID_BYTES, message.length - ID_BYTES);
    try {
      if (channel === SIGNALS) {
        const signal = JSON.parse(new TextDecoder().decode(body)) as InstanceSignal;
        for (const listener of this.signals) listener(signal);
        return;
      }
      const listeners = this.documents.get(channel);
      if (!listeners) return;
      const decoded = decodeDocumentMessage(body);
      for (const listener of listeners) listener(decoded);
    } catch (error) {
      this.log.warn({ err: error, channel }, 'dropped a malformed message from another instance');
    }
  }

  /** Logs a Redis error, at most once a second (a reconnecting client repeats itself). */
  private warn(error: Error): void {
    const now = Date.now();
    if (now - this.lastError < 1_000) return;
    this.lastError = now;
    this.log.warn({ err: error }, 'Redis fan-out: the link to Redis failed; retrying');
  }
}

/** `host:port/db` of a Redis URL, for messages (never the password). */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(an unreadable REDIS_URL)';
  }
}
