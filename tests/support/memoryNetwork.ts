import { createHash, type Hash } from 'node:crypto';
import {
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  MessageType,
  readSavedPayload,
  SyncStep,
} from '@rapporteur/protocol';
import type { RunningServer, TransportSocket, UpgradeRequest } from '@rapporteur/server';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { Random } from './random';

/**
 * A deterministic network between in-memory clients and a real server's
 * sync layer (everything below the transport: acceptSync, SyncSession, Room,
 * the SQLite store). Like Yjs's TestConnector and tldraw's socket pair,
 * nothing is delivered until the test flushes it: each connection holds two
 * FIFO queues (a WebSocket keeps order in each direction), and the seeded
 * generator chooses which queue delivers next. After every frame handed to
 * the server the network waits until the server has stored and sent all it
 * will for it, so the whole run (every frame, in order) follows from the seed.
 */
export class MemoryNetwork {
  readonly clients: MemoryClient[] = [];
  private readonly hash: Hash = createHash('sha256');
  /** What happened, one line per event, for failure messages and replay checks. */
  readonly lines: string[] = [];

  constructor(
    /** The server clients connect to; replaced on restart. */
    public server: RunningServer,
    private readonly documentId: string,
    private readonly token: string,
  ) {}

  /** Adds a client whose Yjs client id is `clientId` (chosen by the test, so runs replay). */
  addClient(clientId: number): MemoryClient {
    const doc = new Y.Doc();
    doc.clientID = clientId;
    const client = new MemoryClient(this.clients.length, doc, (line, bytes) => this.record(line, bytes));
    this.clients.push(client);
    return client;
  }

  /** Connects `client` to the current server; resolves once the server has answered (or refused). */
  connect(client: MemoryClient): Promise<void> {
    return client.connect(this.server, this.documentId, this.token);
  }

  /** Every queue with something to deliver. */
  pending(): Array<{ client: MemoryClient; to: 'server' | 'client' }> {
    const out: Array<{ client: MemoryClient; to: 'server' | 'client' }> = [];
    for (const c of this.clients) {
      if (c.connection?.toServer.length) out.push({ client: c, to: 'server' });
      if (c.connection?.toClient.length) out.push({ client: c, to: 'client' });
    }
    return out;
  }

  /** Delivers one frame from a queue the generator picks. Returns false when nothing was pending. */
  async deliverOne(rand: Random): Promise<boolean> {
    const queues = this.pending();
    if (queues.length === 0) return false;
    const { client, to } = rand.pick(queues);
    if (to === 'client') client.receiveOne();
    else {
      client.sendOne();
      await this.server.rooms.whenIdle();
    }
    return true;
  }

  /**
   * Hands up to `n` frames to the server in one go (queues the generator
   * picks), so they arrive while it is busy and are stored as one batch.
   * With `settle` false the caller decides what happens before the server
   * catches up (a restart, say).
   */
  async deliverBurst(rand: Random, n: number, { settle = true } = {}): Promise<void> {
    this.record(`burst of ${n}`);
    for (let i = 0; i < n; i++) {
      const queues = this.pending().filter((q) => q.to === 'server');
      if (queues.length === 0) break;
      rand.pick(queues).client.sendOne();
    }
    if (settle) await this.server.rooms.whenIdle();
  }

  /** Delivers everything, in an order the generator picks, until no queue holds anything. */
  async deliverAll(rand: Random): Promise<void> {
    while (await this.deliverOne(rand));
  }

  /**
   * Reconnects every client and delivers until everyone is in and nothing is
   * in flight (a close sent before a restart may still be on its way).
   */
  async settle(rand: Random): Promise<void> {
    for (let round = 0; this.clients.some((c) => !c.connected) || this.pending().length > 0; round++) {
      if (round > 10) throw new Error('the network did not settle');
      for (const c of this.clients) if (!c.connected) await this.connect(c);
      await this.deliverAll(rand);
    }
  }

  /**
   * The server process dies: it sends nothing more, frames it already sent
   * still arrive (the kernel had them), then each connection ends (1006);
   * frames on their way to it are lost.
   */
  serverDied(): void {
    this.record('server died');
    for (const c of this.clients) c.connection?.died();
  }

  record(line: string, bytes?: Uint8Array): void {
    this.lines.push(line);
    this.hash.update(line);
    if (bytes) this.hash.update(bytes);
  }

  /** A digest of every event and every frame so far: equal for two runs of one seed. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

type ToClient = { readonly frame: Uint8Array } | { readonly close: number };

/** One socket's two directions, and the server's end of it. */
export class MemoryConnection {
  readonly toServer: Uint8Array[] = [];
  readonly toClient: ToClient[] = [];
  /** The server's side closed it (its close frame may still be queued). */
  serverClosed = false;
  private readonly messageHandlers: Array<(frame: Uint8Array) => void> = [];
  private readonly closeHandlers: Array<() => void> = [];
  private firstAnswer: (() => void) | null = null;
  readonly answered = new Promise<void>((resolve) => (this.firstAnswer = resolve));

  /** What the server's sync layer sees: the same interface the WebSocket transport gives it. */
  readonly serverSocket: TransportSocket = {
    // Frames wait in `toClient` as the test decides, not for a network: never "behind" (R14 has its own tests).
    bufferedAmount: () => 0,
    send: (frame) => {
      if (this.serverClosed) return;
      this.toClient.push({ frame: frame.slice() });
      this.firstAnswer?.();
    },
    close: (code) => {
      if (this.serverClosed) return;
      this.toClient.push({ close: code });
      this.firstAnswer?.();
      this.goneOnServer();
    },
    onMessage: (h) => this.messageHandlers.push(h),
    onClose: (h) => this.closeHandlers.push(h),
  };

  /** Hands the next queued frame to the server; frames after its close are dropped, as a socket would. */
  deliverToServer(): Uint8Array | undefined {
    const frame = this.toServer.shift();
    if (frame && !this.serverClosed) for (const h of this.messageHandlers) h(frame);
    return frame;
  }

  /** The server died: nothing more from it, nothing more to it. */
  died(): void {
    if (this.serverClosed) return;
    this.serverClosed = true;
    this.toServer.length = 0;
    this.toClient.push({ close: 1006 });
  }

  /** The connection dropped (or the server closed it): the server's close handlers run once. */
  goneOnServer(): void {
    this.serverClosed = true;
    for (const h of this.closeHandlers.splice(0)) h();
  }
}

const REMOTE = Symbol('remote');
const upgradeRequest: UpgradeRequest = { header: () => undefined, host: 'localhost' };

/**
 * A client that speaks the y-websocket protocol as the stock provider does
 * (step 1 on open, step 2 in answer to the server's step 1, every local
 * update sent at once) and asks for the `saved` extension.
 */
export class MemoryClient {
  connection: MemoryConnection | null = null;
  /** Close codes the server sent this client, in order. */
  readonly closeCodes: number[] = [];
  /** How many of the update-bearing frames sent on the current connection the server said are stored. */
  savedCount = 0;
  /** Permission-denied messages received (an owner should never get one). */
  denied = 0;
  /** Payloads of the update-bearing frames sent on the current connection, in order (`saved` counts them). */
  sentUpdates: Uint8Array[] = [];
  /** Payloads of every step 2 and update received from the server (the test empties it when it has checked them). */
  readonly receivedUpdates: Uint8Array[] = [];

  constructor(
    readonly index: number,
    readonly doc: Y.Doc,
    private readonly record: (line: string, bytes?: Uint8Array) => void,
  ) {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || !this.connection) return;
      this.queueUpdate(encodeSyncUpdate(update), update);
    });
  }

  get connected(): boolean {
    return this.connection !== null;
  }

  async connect(server: RunningServer, documentId: string, token: string): Promise<void> {
    if (this.connection) return;
    const connection = new MemoryConnection();
    this.connection = connection;
    this.sentUpdates = [];
    this.savedCount = 0;
    this.record(`c${this.index} connect`);
    this.queue(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    server.acceptSocket(connection.serverSocket, documentId, new URLSearchParams({ features: 'saved', token }), upgradeRequest);
    await connection.answered;
  }

  /** The connection drops: frames in flight either way are lost. */
  disconnect(): void {
    const connection = this.connection;
    if (!connection) return;
    this.record(`c${this.index} disconnect`);
    this.connection = null;
    connection.goneOnServer();
  }

  sendOne(): void {
    const frame = this.connection?.deliverToServer();
    if (frame) this.record(`c${this.index} → server ${describe(frame)}`, frame);
  }

  receiveOne(): void {
    const connection = this.connection;
    const item = connection?.toClient.shift();
    if (!connection || !item) return;
    if ('close' in item) {
      this.record(`c${this.index} ← close ${item.close}`);
      this.closeCodes.push(item.close);
      this.connection = null;
      return;
    }
    const { frame } = item;
    this.record(`c${this.index} ← ${describe(frame)}`, frame);
    const d = decoding.createDecoder(frame);
    switch (decoding.readVarUint(d)) {
      case MessageType.sync: {
        const step = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        if (step === SyncStep.step1) {
          const update = Y.encodeStateAsUpdate(this.doc, payload);
          this.queueUpdate(encodeSyncStep2(update), update);
        } else {
          this.receivedUpdates.push(payload);
          Y.applyUpdate(this.doc, payload, REMOTE);
        }
        return;
      }
      case MessageType.saved: {
        const count = readSavedPayload(d);
        if (count < this.savedCount) throw new Error(`c${this.index}: saved went back from ${this.savedCount} to ${count}`);
        this.savedCount = count;
        return;
      }
      case MessageType.auth:
        this.denied++;
        return;
      case MessageType.awareness:
        return;
      default:
        throw new Error(`c${this.index}: unexpected frame ${describe(frame)}`);
    }
  }

  private queue(frame: Uint8Array): void {
    this.connection!.toServer.push(frame);
  }

  private queueUpdate(frame: Uint8Array, update: Uint8Array): void {
    this.sentUpdates.push(update);
    this.queue(frame);
  }
}

function describe(frame: Uint8Array): string {
  const names: Record<number, string> = { 0: 'sync', 1: 'awareness', 2: 'auth', 3: 'query-awareness', 100: 'saved' };
  const kind = names[frame[0]!] ?? `type ${frame[0]}`;
  const sub = frame[0] === MessageType.sync ? ['step1', 'step2', 'update'][frame[1]!] : '';
  return `${kind}${sub ? ' ' + sub : ''} (${frame.byteLength} B)`;
}
