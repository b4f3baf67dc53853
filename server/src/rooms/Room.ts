import { CloseCode, type DocumentId, encodeAwareness, encodeSyncUpdate } from '@rapporteur/protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Clock, TimerHandle } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { DocumentStore, Fence, NewUpdate, StatusMove } from '../storage/DocumentStore';
import { type MarkerChange, markerChanges } from './markerChanges';
import type { SaveHealth } from './SaveHealth';
import { type DocumentMessage, type FanOut, LocalFanOut } from './FanOut';
import type { Load } from './LoopLoad';
import { mapPresenceEntries } from './presenceEntries';

/** A socket's presence in a room, as the rooms layer sees it. */
export interface RoomMember {
  /** Sends one frame; never throws. */
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes handed to the connection that have not reached the network yet (R14); absent: never behind. */
  backlog?(): number;
}

export interface RoomOptions {
  readonly checkpointEveryUpdates: number;
  readonly checkpointEveryBytes: number;
  readonly maxDocumentBytes: number;
  /** First retry delay after a failed save; doubles up to 30 s. */
  readonly saveRetryMs?: number;
  /** Bytes of updates that may wait to be stored before senders are told to back off (R11). */
  readonly maxQueuedBytes?: number;
  /** Told of every failed append and the next successful one (readiness, O3). */
  readonly saveHealth?: SaveHealth;
  /** Told the seq of every stored append (history checkpoints, V3); must not throw. */
  readonly onStored?: (id: DocumentId, lastSeq: number) => void;
  /** Told when an append moved the document out of final or published (SPEC WF5); must not throw. */
  readonly onStatusMoved?: (id: DocumentId, move: StatusMove) => void;
  /** A member with more than this many bytes not yet sent is behind: its updates wait, merged (R14). */
  readonly lagBytes?: number;
  /** A member behind by more than this many bytes of merged updates is closed to resync (R14). */
  readonly maxLagPendingBytes?: number;
  /** How often members that are behind are checked (ms, R14). */
  readonly lagCheckMs?: number;
  /** Other instances serving the same documents (issue 15); default: none. */
  readonly fanOut?: FanOut;
  /**
   * With other instances: how often a room with members asks the log whether
   * it missed a record (a message lost between instances), ms. Default 2 s.
   */
  readonly logCheckMs?: number;
  /** Who this instance is, as a lease holder (RoomManager gives each one its own). */
  readonly instanceId?: string;
  /** How long a checkpoint lease lasts (ms, with other instances). Default 60 s. */
  readonly leaseMs?: number;
  /** Whether the server is saturated: a room with many members then paces its batches (R16). Default: never. */
  readonly load?: Load;
}

/**
 * Most updates applied and stored in one batch (R3). Bounds the time the
 * event loop spends on one room, so other rooms, pings and HTTP keep being
 * served while a fast writer (or a long offline session) floods one document.
 */
const MAX_BATCH_UPDATES = 2000;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/**
 * Most members whose updates one batch takes (R3, R13): a batch of k writers
 * sends each of them a frame per other writer, k² socket writes, so a crowd
 * typing into one document under load — where batches grow — would spend the
 * loop on them (bench:overload). The batch stops before the first update of
 * a writer beyond it (a prefix of the queue: order kept); the rest is the
 * next batch. About √(crowd) keeps a crowd of 500 near its fewest frames.
 */
const MAX_BATCH_WRITERS = 24;
/**
 * Up to this many members wrote in one batch, each of them gets one frame
 * merged from everyone else's updates; beyond it (a crowd typing at once),
 * each writer gets the others' updates as one frame per writer, so the
 * merging stays proportional to the batch (R13).
 */
const TAILORED_FRAMES_MAX = 4;
/** R14 defaults: behind beyond 1 MiB unsent, closed beyond 16 MiB of merged updates kept, checked every 50 ms. */
const DEFAULT_LAG_BYTES = 1024 * 1024;
const DEFAULT_MAX_LAG_PENDING_BYTES = 16 * 1024 * 1024;
const DEFAULT_LAG_CHECK_MS = 50;

/**
 * R16: with the event loop saturated, a room of at least PACED_MEMBERS members
 * starts a batch no sooner than PACE_MS_PER_MEMBER per member (at most
 * MAX_PACE_MS) after it last sent one, so what arrives meanwhile is stored and
 * sent together: each member's socket costs a write per batch (about 12 µs of
 * the loop on loopback), which a crowd typing into one document otherwise
 * pays once per commit. 500 members: 10 ms; 1,000: 20 ms — a room's
 * deliveries held to about 50,000 a second, which one writer typing every
 * 20 ms to 1,000 readers does not exceed (bench:fanout: nothing paced), and a
 * crowd of 500 writers does (bench:overload: without it, healthz and the
 * quiet documents' acknowledgements stalled for seconds in half the runs).
 */
const PACED_MEMBERS = 50;
const PACE_MS_PER_MEMBER = 0.02;
const MAX_PACE_MS = 100;

/** A stored update ready to send: the update and its frame, encoded once for every member it suits. */
interface Payload {
  readonly update: Uint8Array;
  readonly frame: Uint8Array;
}
const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** The origin of edits the server makes itself: not a member, so everyone receives them. */
const SERVER_MEMBER: RoomMember = { send: () => {}, close: () => {} };
/** The origin of what other instances stored (issue 15): every member here receives it, nobody republishes it. */
const REMOTE = Symbol('another instance');
const NO_FAN_OUT = new LocalFanOut();
const DEFAULT_LOG_CHECK_MS = 2_000;
const DEFAULT_LEASE_MS = 60_000;

/**
 * Why an update was not accepted. `room-closing`: the room is storing what it
 * has before it closes (R12); the sender will be closed with 4503 once its
 * earlier updates are acknowledged, and resends this one after reconnecting.
 */
export type SubmitRefusal = 'document-too-large' | 'room-closed' | 'room-closing' | 'overloaded' | 'client-id-taken';

interface QueuedUpdate {
  readonly from: RoomMember;
  readonly update: Uint8Array;
  readonly author: string | null;
  readonly clientIds: readonly number[];
  /** Called once the update is stored (or was a no-op), in submission order. */
  readonly onStored: () => void;
}

type Lifecycle = 'open' | 'closing' | 'closed';

/**
 * One loaded document: its Y.Doc, presence, members, and the pipeline that
 * stores updates before anyone sees them.
 *
 * Invariant (SPEC.md R3): whenever no save is in flight, `doc` holds exactly
 * what is stored. Updates queue until the current save finishes; they are
 * then applied, stored in one append, and only after that acknowledged and
 * broadcast. Reads of the document for a member (`afterStored`) wait for the
 * same point, so nothing leaves the server before it is durable (R4).
 */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  private readonly members = new Set<RoomMember>();
  /** When this room last sent a batch to its members (R16). */
  private lastFanOutAt = -Infinity;
  /** Members that are behind (R14) and the updates kept for them, sent merged once they catch up. */
  private readonly behind = new Map<RoomMember, { updates: Uint8Array[]; bytes: number }>();
  private lagTimer: TimerHandle | null = null;
  private queue: QueuedUpdate[] = [];
  private queuedBytes = 0;
  private readers: Array<() => void> = [];
  private saving = false;
  private scheduled = false;
  private lifecycle: Lifecycle = 'open';
  private lastSeq: number;
  private checkpointSeq: number;
  private bytesSinceCheckpoint: number;
  private updatesSinceCheckpoint: number;
  private storedBytes: number;
  private checkpointing: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];
  /** Set when applying an update threw: the in-memory doc can no longer be trusted. */
  private poisoned = false;
  private readonly bindings: Map<number, string>;
  /** What other instances stored, waiting for the pipeline (applied between batches, in order). */
  private remote: Array<Extract<DocumentMessage, { kind: 'update' }>> = [];
  /** The log may hold records this room has not applied (a gap, a lost message, a link back): read them. */
  private catchUpWanted = false;
  private logCheckTimer: TimerHandle | null = null;
  private readonly fanOutTo: FanOut;
  /** Presence changes of this instance's members since the last publish (issue 15). */
  private readonly awarenessToPublish = new Set<number>();
  private readonly closeListeners: Array<() => void> = [];
  /** Client ids whose binding the database holds (with other instances, a new one is claimed there first: A4). */
  private readonly claimed: Set<number>;
  /** Presence client ids this instance's members hold, and those other instances' members hold (issue 15). */
  private readonly localPresence = new Set<number>();
  private readonly remotePresence = new Set<number>();

  constructor(
    readonly id: DocumentId,
    loaded: {
      doc: Y.Doc;
      lastSeq: number;
      checkpointSeq: number;
      checkpointBytes: number;
      tailBytes: number;
      tailUpdates: number;
      /** Which account each Yjs client id is bound to (A4). */
      bindings: Map<number, string>;
    },
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: RoomOptions,
    /** Called when the room must be dropped and reloaded from storage. */
    private readonly onPoisoned: (room: Room) => void,
  ) {
    this.doc = loaded.doc;
    this.bindings = loaded.bindings;
    this.lastSeq = loaded.lastSeq;
    this.checkpointSeq = loaded.checkpointSeq;
    this.bytesSinceCheckpoint = loaded.tailBytes;
    this.updatesSinceCheckpoint = loaded.tailUpdates;
    this.storedBytes = loaded.checkpointBytes + loaded.tailBytes;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.fanOutTo = options.fanOut ?? NO_FAN_OUT;
    this.claimed = new Set(loaded.bindings.keys());
  }

  /**
   * Takes what another instance published about this document (issue 15).
   * Presence applies at once; stored updates wait for the pipeline, so the
   * doc changes only between batches (R3).
   */
  receive(message: DocumentMessage): void {
    if (this.lifecycle === 'closed') return;
    if (message.kind === 'awareness') {
      // A presence id held by a member here stays theirs: another instance's claim of it is dropped.
      const update = mapPresenceEntries(message.update, (e) => (this.localPresence.has(e.clientId) ? null : e));
      if (!update) {
        this.log.warn({ documentId: this.id }, 'dropped a malformed presence message from another instance');
        return;
      }
      try {
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE);
      } catch (error) {
        this.log.warn({ err: error, documentId: this.id }, 'dropped a malformed presence message from another instance');
      }
      return;
    }
    this.remote.push(message);
    this.schedule();
  }

  /** Reads from the log what this room may have missed (the link to the other instances came back). */
  resync(): void {
    if (this.lifecycle === 'closed') return;
    this.catchUpWanted = true;
    this.schedule();
  }

  /** Whether a member of another instance holds this presence client id (a member here may not take it). */
  presenceHeldElsewhere(clientId: number): boolean {
    return this.remotePresence.has(clientId);
  }

  /** Runs `listener` once the room is closed. */
  onClosed(listener: () => void): void {
    if (this.lifecycle === 'closed') listener();
    else this.closeListeners.push(listener);
  }

  get memberCount(): number {
    return this.members.size;
  }

  /** Seq of the newest stored log record; the doc holds exactly it whenever no save is in flight (R3). */
  get storedSeq(): number {
    return this.lastSeq;
  }

  get isOpen(): boolean {
    return this.lifecycle === 'open';
  }

  /** Nothing waits to be stored and no save is in flight. */
  get isIdle(): boolean {
    return !this.saving && !this.scheduled && this.queue.length === 0 && this.remote.length === 0 && !this.catchUpWanted && this.checkpointing === null;
  }

  join(member: RoomMember): void {
    this.members.add(member);
    if (this.fanOutTo.shared && !this.logCheckTimer) this.scheduleLogCheck();
  }

  /** Removes the member and the presence states it introduced. */
  leave(member: RoomMember, awarenessClients: readonly number[]): void {
    this.members.delete(member);
    this.behind.delete(member);
    if (awarenessClients.length > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...awarenessClients], member);
    }
  }

  /**
   * Queues an update from `from` to be applied, stored and broadcast.
   * `onStored` runs once it is durable. Returns a refusal instead when the
   * room cannot take it; the caller decides how to tell the client.
   */
  submit(update: QueuedUpdate): SubmitRefusal | null {
    if (this.lifecycle === 'closing' && !this.poisoned) return 'room-closing';
    if (this.lifecycle !== 'open' || this.poisoned) return 'room-closed';
    if (update.author !== null) {
      // First writer wins: a client id is bound to the account that first
      // used it, here at once (so two sockets cannot race for one id) and in
      // storage with the update (A4).
      for (const c of update.clientIds) {
        const owner = this.bindings.get(c);
        if (owner !== undefined && owner !== update.author) return 'client-id-taken';
      }
    }
    if (this.storedBytes + this.queuedBytes + update.update.byteLength > this.options.maxDocumentBytes) return 'document-too-large';
    if (this.queuedBytes + update.update.byteLength > (this.options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES)) return 'overloaded';
    if (update.author !== null) for (const c of update.clientIds) this.bindings.set(c, update.author);
    this.queue.push(update);
    this.queuedBytes += update.update.byteLength;
    this.schedule();
    return null;
  }

  /** Runs `read` once the doc holds exactly what is stored (at once when idle). */
  afterStored(read: () => void): void {
    // A catch-up asked for (another instance's records) counts as work under way: the read waits for it.
    if (!this.saving && !this.scheduled && this.queue.length === 0 && this.remote.length === 0 && !this.catchUpWanted) read();
    else this.readers.push(read);
  }

  /**
   * Makes an edit on the server on behalf of `author` (accepting a suggested
   * wording): `edit` runs on a copy of the stored state under a fresh Yjs
   * client id, and the resulting update goes through the same pipeline as a
   * client's — bound to the author, stored, then broadcast to everyone.
   * Resolves with whether anything changed, once it is stored, and the
   * client id the edit was made under (bound to `author`).
   */
  async editAs<T>(author: string, edit: (doc: Y.Doc) => T): Promise<{ result: T; changed: boolean; clientId: number }> {
    await new Promise<void>((resolve) => this.afterStored(resolve));
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.doc));
    do scratch.clientID = Math.floor(Math.random() * 0xffffffff);
    while (this.bindings.has(scratch.clientID) || Y.getState(this.doc.store, scratch.clientID) > 0);
    const updates: Uint8Array[] = [];
    scratch.on('update', (u: Uint8Array) => updates.push(u));
    let result!: T;
    scratch.transact(() => {
      result = edit(scratch);
    });
    scratch.destroy();
    if (updates.length === 0) return { result, changed: false, clientId: scratch.clientID };
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    await new Promise<void>((resolve, reject) => {
      const refusal = this.submit({ from: SERVER_MEMBER, update, author, clientIds: [scratch.clientID], onStored: resolve });
      if (refusal) reject(new Error(`the edit was refused: ${refusal}`));
    });
    return { result, changed: true, clientId: scratch.clientID };
  }

  /** Resolves when everything submitted so far is stored and no checkpoint is being written. */
  async whenIdle(): Promise<void> {
    while (!this.isIdle) {
      if (this.checkpointing) await this.checkpointing;
      else await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /** Sends a frame to every member but `except`. */
  broadcast(frame: Uint8Array, except: RoomMember | null): void {
    for (const m of this.members) if (m !== except) m.send(frame);
  }

  /**
   * Closes the room (R12): refuses further updates, stores everything queued
   * (its senders get their `saved` acknowledgements on the way), then closes
   * the members with `code` and writes a checkpoint if the log grew since the
   * last one. Members are closed only after the queue is stored, because a
   * closed socket can no longer be told that its updates are safe.
   */
  async close(code: number, reason: string): Promise<void> {
    if (this.lifecycle !== 'open') return;
    this.lifecycle = 'closing';
    await this.whenIdle();
    for (const m of [...this.members]) m.close(code, reason);
    this.members.clear();
    this.behind.clear();
    if (this.lagTimer) this.clock.clearTimeout(this.lagTimer);
    this.lagTimer = null;
    if (this.logCheckTimer) this.clock.clearTimeout(this.logCheckTimer);
    this.logCheckTimer = null;
    if (!this.poisoned && this.lastSeq > this.checkpointSeq) await this.checkpoint();
    this.lifecycle = 'closed';
    for (const listener of this.closeListeners.splice(0)) listener();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Presence changes since the last send, sent together at the end of the turn (R15). */
  private readonly awarenessChanged = new Set<number>();
  private awarenessScheduled = false;

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    _origin: unknown,
  ): void => {
    const changed = changes.added.concat(changes.updated, changes.removed);
    if (changed.length === 0) return;
    // Who holds each presence id: a member here, or one of another instance (expired or removed: nobody).
    const held = _origin === REMOTE ? this.remotePresence : this.localPresence;
    for (const client of changes.added.concat(changes.updated)) held.add(client);
    for (const client of changes.removed) {
      this.localPresence.delete(client);
      this.remotePresence.delete(client);
    }
    for (const client of changed) this.awarenessChanged.add(client);
    if (_origin !== REMOTE && this.fanOutTo.shared) for (const client of changed) this.awarenessToPublish.add(client);
    if (this.awarenessScheduled) return;
    this.awarenessScheduled = true;
    setImmediate(() => this.sendAwareness());
  };

  /**
   * Sends the presence changes of one turn as one frame (R15): a crowd moving
   * their carets at once costs each member one frame per turn, not one per
   * person. Presence goes to every member, its sender included, as stock
   * y-websocket servers do: stock clients count their own presence renewals
   * as proof that the connection is alive. A member that is behind (R14)
   * misses presence until it catches up: the next change tells it.
   */
  private sendAwareness(): void {
    this.awarenessScheduled = false;
    const changed = [...this.awarenessChanged];
    this.awarenessChanged.clear();
    if (changed.length === 0 || this.lifecycle === 'closed') return;
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const m of this.members) if (!this.behind.has(m)) m.send(frame);
    if (this.awarenessToPublish.size > 0) {
      const mine = [...this.awarenessToPublish];
      this.awarenessToPublish.clear();
      this.fanOutTo.publish(this.id, { kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, mine) });
    }
  }

  private schedule(): void {
    if (this.scheduled || this.saving) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    try {
      while ((this.queue.length > 0 || this.remote.length > 0 || this.catchUpWanted) && !this.poisoned) {
        if (this.remote.length > 0 || this.catchUpWanted) await this.applyRemote();
        if (this.queue.length > 0) {
          const wait = this.paceMs();
          // Updates keep queueing meanwhile; they are taken together below (R16).
          if (wait > 0) await new Promise<void>((resolve) => this.clock.setTimeout(resolve, wait));
          await this.saveBatch(this.takeBatch());
        }
        // Between batches the doc is exactly the stored state: serve waiting
        // readers now, so a long stream of updates cannot starve a joiner.
        this.runReaders();
      }
    } finally {
      this.saving = false;
      if (this.poisoned) {
        this.queue = [];
        this.queuedBytes = 0;
      }
      this.runReaders();
      if (this.isIdle) for (const resolve of this.idleWaiters.splice(0)) resolve();
      if (this.queue.length > 0 || this.remote.length > 0 || this.catchUpWanted) this.schedule();
    }
  }

  /**
   * Applies what other instances stored, in the pipeline (issue 15): a
   * message that continues this room's log is applied as it is; one after a
   * gap, or a wanted catch-up, reads the records after `lastSeq` from the log
   * (the truth; applying a record twice changes nothing). Members here get
   * the changes as one merged update. `lastSeq` only ever means "every record
   * up to here is applied", so a checkpoint never claims a record it lacks.
   */
  private async applyRemote(): Promise<void> {
    const messages = this.remote.splice(0);
    let gap = this.catchUpWanted;
    this.catchUpWanted = false;
    const outgoing: Uint8Array[] = [];
    const onUpdate = (update: Uint8Array): void => {
      outgoing.push(update);
    };
    this.doc.on('update', onUpdate);
    try {
      for (const m of messages) {
        for (const [clientId, userId] of m.bindings) {
          // Stored by the other instance, so the database's: it overrides a claim this room only assumed.
          this.bindings.set(clientId, userId);
          this.claimed.add(clientId);
        }
        if (m.lastSeq <= this.lastSeq) continue;
        if (m.afterSeq > this.lastSeq) {
          gap = true;
          continue;
        }
        try {
          Y.applyUpdate(this.doc, m.update, REMOTE);
        } catch (error) {
          this.log.warn({ err: error, documentId: this.id }, 'an update from another instance failed to apply; reading the log');
          gap = true;
          continue;
        }
        this.noteApplied(m.lastSeq, m.lastSeq - Math.max(m.afterSeq, this.lastSeq), m.update.byteLength);
      }
      if (gap) await this.catchUp();
    } finally {
      this.doc.off('update', onUpdate);
    }
    if (outgoing.length > 0) this.fanOut(outgoing.map((update) => ({ update, origin: REMOTE })));
  }

  /** Applies every log record after `lastSeq` (another instance's, or ours again: a no-op). */
  private async catchUp(): Promise<void> {
    let records: Awaited<ReturnType<DocumentStore['readLog']>>;
    try {
      records = await this.store.readLog(this.id, this.lastSeq);
    } catch (error) {
      this.log.warn({ err: error, documentId: this.id }, 'reading the log to catch up failed; will retry');
      this.catchUpWanted = true;
      return;
    }
    for (const r of records) {
      try {
        Y.applyUpdate(this.doc, r.data, REMOTE);
      } catch (error) {
        this.log.error({ err: error, documentId: this.id }, 'a stored update failed to apply; reloading document');
        this.poisoned = true;
        this.onPoisoned(this);
        return;
      }
      this.noteApplied(r.seq, 1, r.data.byteLength);
    }
  }

  /** Every record up to `seq` is now applied; `records` and `bytes` more since the last checkpoint. */
  private noteApplied(seq: number, records: number, bytes: number): void {
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    this.bytesSinceCheckpoint += bytes;
    this.storedBytes += bytes;
    this.updatesSinceCheckpoint += records;
    this.options.onStored?.(this.id, seq);
  }

  /**
   * With other instances: asks the log now and then whether a record was
   * missed (a lost message), while the room has members (nobody else reads
   * its doc live; a read without members waits for the stored state anyway).
   */
  private scheduleLogCheck(): void {
    this.logCheckTimer = this.clock.setTimeout(() => {
      this.logCheckTimer = null;
      if (this.lifecycle === 'closed' || this.members.size === 0) return;
      if (this.isIdle) {
        void this.store.lastSeq(this.id).then(
          (last) => {
            if (last > this.lastSeq) this.resync();
          },
          () => {},
        );
      }
      this.scheduleLogCheck();
    }, this.options.logCheckMs ?? DEFAULT_LOG_CHECK_MS);
  }

  private runReaders(): void {
    for (const read of this.readers.splice(0)) read();
  }

  /** How long to wait before the next batch (R16): 0 unless the server is saturated and the room is crowded. */
  private paceMs(): number {
    if (this.members.size < PACED_MEMBERS || !this.options.load?.saturated()) return 0;
    const interval = Math.min(MAX_PACE_MS, this.members.size * PACE_MS_PER_MEMBER);
    return Math.max(0, this.lastFanOutAt + interval - this.clock.now());
  }

  private takeBatch(): QueuedUpdate[] {
    let n = 0;
    let bytes = 0;
    const writers = new Set<RoomMember>();
    while (n < this.queue.length && n < MAX_BATCH_UPDATES && (n === 0 || bytes < MAX_BATCH_BYTES)) {
      const from = this.queue[n]!.from;
      if (!writers.has(from)) {
        if (writers.size === MAX_BATCH_WRITERS) break;
        writers.add(from);
      }
      bytes += this.queue[n]!.update.byteLength;
      n++;
    }
    this.queuedBytes -= bytes;
    return this.queue.splice(0, n);
  }

  /**
   * With other instances (A4, issue 15): claims in the database the client
   * ids this room has not seen bound there, before anything of the batch is
   * applied. A sender whose id another account holds (bound on another
   * instance at the same moment) loses: its updates in the batch are dropped,
   * never stored or acknowledged, and its socket is closed (4403).
   */
  private async claimNewClientIds(batch: QueuedUpdate[]): Promise<QueuedUpdate[]> {
    const losers = new Set<RoomMember>();
    for (const item of batch) {
      if (item.author === null || losers.has(item.from)) continue;
      const fresh = item.clientIds.filter((c) => !this.claimed.has(c));
      if (fresh.length === 0) continue;
      let taken: Map<number, string>;
      try {
        taken = await this.store.claimClientIds(this.id, item.author, fresh, this.clock.now());
      } catch (error) {
        // Left to the append (which binds the first writer too), as with one instance.
        this.log.warn({ err: error, documentId: this.id }, 'claiming client ids failed');
        continue;
      }
      for (const c of fresh) if (!taken.has(c)) this.claimed.add(c);
      if (taken.size === 0) continue;
      for (const [c, owner] of taken) {
        this.bindings.set(c, owner);
        this.claimed.add(c);
      }
      losers.add(item.from);
      item.from.close(CloseCode.forbidden, 'a Yjs client id in this update belongs to another account');
    }
    return losers.size === 0 ? batch : batch.filter((item) => !losers.has(item.from));
  }

  private async saveBatch(taken: QueuedUpdate[]): Promise<void> {
    const batch = this.fanOutTo.shared ? await this.claimNewClientIds(taken) : taken;
    const outgoing: Array<{ update: Uint8Array; origin: unknown }> = [];
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      outgoing.push({ update, origin });
    };
    const toStore: QueuedUpdate[] = [];
    /** Items applied (stored or no-op): they are acknowledged once the batch is stored. */
    const applied: QueuedUpdate[] = [];
    // Consensus markers each update set or removed (K1), read inside its
    // transaction: the cost follows what the update changed, not the document.
    const markers = new Map<QueuedUpdate, MarkerChange[]>();
    this.doc.on('update', onUpdate);
    try {
      for (const item of batch) {
        const before = outgoing.length;
        // Yjs keeps updates with missing dependencies aside (pending) and
        // merges later ones into the same object: compare the bytes too.
        const store = this.doc.store;
        const pending = [store.pendingStructs, store.pendingStructs?.update, store.pendingDs];
        try {
          this.doc.transact((tr) => {
            Y.applyUpdate(this.doc, item.update, item.from);
            const changes = markerChanges(tr);
            if (changes.length > 0) markers.set(item, changes);
          }, item.from);
        } catch (error) {
          // Yjs may have integrated part of the update: the doc can no longer
          // be trusted. Store what was good, then have the room reloaded.
          this.log.error({ err: error, documentId: this.id }, 'update failed to integrate; reloading document');
          this.poisoned = true;
          item.from.close(4422, 'update could not be integrated');
          break;
        }
        const changed =
          outgoing.length > before ||
          store.pendingStructs !== pending[0] ||
          store.pendingStructs?.update !== pending[1] ||
          store.pendingDs !== pending[2];
        applied.push(item);
        if (changed) toStore.push(item);
      }
    } finally {
      this.doc.off('update', onUpdate);
    }

    if (toStore.length > 0) {
      const stored = await this.persist(toStore, markers);
      if (this.fanOutTo.shared) {
        const bindings: Array<[number, string]> = [];
        for (const item of toStore) if (item.author !== null) for (const c of item.clientIds) bindings.push([c, item.author]);
        const updates = toStore.map((i) => i.update);
        this.fanOutTo.publish(this.id, {
          kind: 'update',
          afterSeq: stored.lastSeq - toStore.length,
          lastSeq: stored.lastSeq,
          update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates),
          bindings,
        });
      }
    }
    for (const item of applied) item.onStored();
    if (this.poisoned) {
      this.onPoisoned(this);
      return;
    }
    this.fanOut(outgoing);
    this.maybeCheckpoint();
  }

  /**
   * Sends a stored batch's updates (R13): each member gets what the batch
   * changed as one merged update — its own updates left out (R4: never
   * echoed) — so a subscriber pays one frame per batch however many
   * updates it held, and a frame is encoded once for every member it suits.
   */
  private fanOut(outgoing: ReadonlyArray<{ update: Uint8Array; origin: unknown }>): void {
    if (outgoing.length === 0) return;
    this.lastFanOutAt = this.clock.now();
    const originOf = (origin: unknown): RoomMember | null => (this.members.has(origin as RoomMember) ? (origin as RoomMember) : null);
    const payloadOf = (updates: Uint8Array[]): Payload => {
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      return { update, frame: encodeSyncUpdate(update) };
    };
    const groups = new Map<RoomMember | null, Uint8Array[]>();
    for (const { update, origin } of outgoing) {
      const key = originOf(origin);
      const group = groups.get(key);
      if (group) group.push(update);
      else groups.set(key, [update]);
    }
    const writers = [...groups.keys()].filter((k): k is RoomMember => k !== null);
    let everything: Payload | null = null;
    const all = (): Payload => (everything ??= payloadOf(outgoing.map((o) => o.update)));
    if (writers.length <= TAILORED_FRAMES_MAX) {
      const tailored = new Map<RoomMember, Payload | null>();
      for (const writer of writers) {
        const others = outgoing.filter((o) => originOf(o.origin) !== writer).map((o) => o.update);
        tailored.set(writer, others.length > 0 ? payloadOf(others) : null);
      }
      for (const m of this.members) {
        const payload = tailored.has(m) ? tailored.get(m)! : all();
        if (payload) this.deliver(m, payload);
      }
      return;
    }
    const groupPayloads = new Map([...groups].map(([key, updates]) => [key, payloadOf(updates)] as const));
    for (const m of this.members) {
      if (!groups.has(m)) this.deliver(m, all());
      else for (const [key, payload] of groupPayloads) if (key !== m) this.deliver(m, payload);
    }
  }

  /**
   * Sends a stored update to a member, or keeps it for them while they are
   * behind (R14): a connection that cannot take frames as fast as they come
   * (a slow link, a stalled tab) gets what it missed as one merged update
   * once it catches up, instead of an ever-growing queue of small frames.
   */
  private deliver(m: RoomMember, payload: Payload): void {
    const kept = this.behind.get(m);
    if (!kept && (m.backlog?.() ?? 0) <= (this.options.lagBytes ?? DEFAULT_LAG_BYTES)) {
      m.send(payload.frame);
      return;
    }
    const pending = kept ?? { updates: [], bytes: 0 };
    pending.updates.push(payload.update);
    pending.bytes += payload.update.byteLength;
    if (pending.bytes > (this.options.maxLagPendingBytes ?? DEFAULT_MAX_LAG_PENDING_BYTES)) {
      // Too far behind to catch up by merging: a reconnect syncs it from the stored state.
      this.behind.delete(m);
      m.close(CloseCode.timeout, 'client cannot keep up; reconnect');
      return;
    }
    if (pending.updates.length > 1 && pending.updates.length % 64 === 0) pending.updates = [Y.mergeUpdates(pending.updates)];
    this.behind.set(m, pending);
    this.scheduleLagCheck();
  }

  private scheduleLagCheck(): void {
    if (this.lagTimer || this.behind.size === 0) return;
    this.lagTimer = this.clock.setTimeout(() => {
      this.lagTimer = null;
      const caughtUp = (this.options.lagBytes ?? DEFAULT_LAG_BYTES) / 2;
      for (const [m, pending] of [...this.behind]) {
        if (!this.members.has(m)) this.behind.delete(m);
        else if ((m.backlog?.() ?? 0) <= caughtUp) {
          this.behind.delete(m);
          m.send(encodeSyncUpdate(pending.updates.length === 1 ? pending.updates[0]! : Y.mergeUpdates(pending.updates)));
        }
      }
      this.scheduleLagCheck();
    }, this.options.lagCheckMs ?? DEFAULT_LAG_CHECK_MS);
  }

  /** Appends to the log, retrying with backoff while the store fails; the doc stays in memory meanwhile. */
  private async persist(items: QueuedUpdate[], markers: ReadonlyMap<QueuedUpdate, readonly MarkerChange[]>): Promise<{ lastSeq: number }> {
    const rows: NewUpdate[] = items.map((i) => {
      const changes = markers.get(i);
      return { data: i.update, author: i.author, clientIds: i.clientIds, ...(changes ? { markers: changes } : {}) };
    });
    let delay = this.options.saveRetryMs ?? 250;
    for (;;) {
      try {
        const { lastSeq, statusMove } = await this.store.appendUpdates(this.id, rows, this.clock.now());
        this.options.saveHealth?.succeeded(this.id);
        const bytes = rows.reduce((n, r) => n + r.data.byteLength, 0);
        // Another instance appended between this room's last record and these: read them (issue 15).
        if (lastSeq - rows.length > this.lastSeq) this.catchUpWanted = true;
        else this.noteApplied(lastSeq, rows.length, bytes);
        if (statusMove) this.options.onStatusMoved?.(this.id, statusMove);
        return { lastSeq };
      } catch (error) {
        this.log.error({ err: error, documentId: this.id, retryInMs: delay }, 'saving updates failed; will retry');
        this.options.saveHealth?.failed(this.id, error, this.clock.now());
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  private maybeCheckpoint(): void {
    if (this.checkpointing) return;
    if (
      this.updatesSinceCheckpoint < this.options.checkpointEveryUpdates &&
      this.bytesSinceCheckpoint < this.options.checkpointEveryBytes
    ) {
      return;
    }
    this.checkpointing = this.checkpoint().finally(() => {
      this.checkpointing = null;
      if (this.isIdle) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  /**
   * Writes the merged state as of `lastSeq`. Called only when doc == stored
   * state. With other instances, only under the document's checkpoint lease
   * (SPEC I7): while another instance holds it, that one checkpoints and this
   * one waits another interval; a write that comes after the lease changed
   * hands is refused by the store (fencing) and simply dropped.
   */
  private async checkpoint(): Promise<void> {
    const seq = this.lastSeq;
    const coveredBytes = this.bytesSinceCheckpoint;
    const coveredUpdates = this.updatesSinceCheckpoint;
    let fence: Fence | undefined;
    if (this.fanOutTo.shared) {
      const holder = this.options.instanceId ?? 'this-instance';
      try {
        const token = await this.store.acquireLease(this.id, 'checkpoint', holder, this.clock.now(), this.options.leaseMs ?? DEFAULT_LEASE_MS);
        if (token === null) {
          this.bytesSinceCheckpoint -= coveredBytes;
          this.updatesSinceCheckpoint -= coveredUpdates;
          return;
        }
        fence = { kind: 'checkpoint', holder, token };
      } catch (error) {
        this.log.warn({ err: error, documentId: this.id }, 'taking the checkpoint lease failed');
        return;
      }
    }
    const data = Y.encodeStateAsUpdate(this.doc);
    try {
      await this.store.writeCheckpoint(this.id, seq, data, this.clock.now(), fence);
      // Updates stored while the checkpoint was being written are not in it.
      this.checkpointSeq = seq;
      this.bytesSinceCheckpoint -= coveredBytes;
      this.updatesSinceCheckpoint -= coveredUpdates;
      this.storedBytes = data.byteLength + this.bytesSinceCheckpoint;
    } catch (error) {
      // A missing checkpoint only makes the next load slower; the log is intact.
      this.log.warn({ err: error, documentId: this.id }, 'writing checkpoint failed');
    }
  }
}
