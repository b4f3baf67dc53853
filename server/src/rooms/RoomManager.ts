import { randomUUID } from 'node:crypto';
import { CloseCode, type DocumentId } from '@rapporteur/protocol';
import * as Y from 'yjs';
import { NotFoundError, ShuttingDownError } from '../errors';
import type { Clock, TimerHandle } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { DocumentStore } from '../storage/DocumentStore';
import type { DocumentMessage } from './FanOut';
import { Room, type RoomOptions } from './Room';

export interface RoomManagerOptions extends RoomOptions {
  /** A room with no members is unloaded after this long (SPEC.md R5). */
  readonly idleMs: number;
}

/**
 * Which Room serves which document. A document is loaded once however many
 * clients ask at the same time (R1); a room with no members is unloaded only
 * after everything is stored (R5).
 */
export class RoomManager {
  private readonly rooms = new Map<DocumentId, Promise<Room>>();
  private readonly unloading = new Map<DocumentId, Promise<void>>();
  private readonly idleTimers = new Map<DocumentId, TimerHandle>();
  private shuttingDown = false;
  private readonly options: RoomManagerOptions;

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: RoomManagerOptions,
  ) {
    // Each instance its own lease holder (SPEC I7), even two in one process (tests).
    this.options = { ...options, instanceId: options.instanceId ?? randomUUID() };
  }

  /** Who this instance is as a lease holder. */
  get instanceId(): string {
    return this.options.instanceId!;
  }

  /** Rooms currently loaded (or loading). */
  get size(): number {
    return this.rooms.size;
  }

  /**
   * Returns the room of `id`, loading it from storage if needed. Rejects with
   * NotFoundError when the document does not exist, and with
   * ShuttingDownError (503, 4503) once `shutdown()` has begun.
   */
  async open(id: DocumentId): Promise<Room> {
    if (this.shuttingDown) throw new ShuttingDownError();
    const unloading = this.unloading.get(id);
    if (unloading) await unloading;
    let entry = this.rooms.get(id);
    if (!entry) {
      entry = this.load(id);
      this.rooms.set(id, entry);
      entry.catch(() => this.rooms.delete(id));
    }
    const room = await entry;
    if (!room.isOpen) return this.open(id);
    this.cancelIdle(id);
    return room;
  }

  /**
   * Runs `fn` on the stored state of the document, loading it if needed;
   * `storedSeq` is the seq of the newest log record that state holds.
   */
  async read<T>(id: DocumentId, fn: (doc: Y.Doc, storedSeq: number) => T): Promise<T> {
    const room = await this.open(id);
    // With other instances, a room nobody is connected to does not check the log on its own
    // (SPEC I3): a read (an export, a publication) first reads what the log has beyond it.
    if (this.options.fanOut?.shared) room.resync();
    try {
      return await new Promise<T>((resolve, reject) =>
        room.afterStored(() => {
          try {
            resolve(fn(room.doc, room.storedSeq));
          } catch (e) {
            reject(e);
          }
        }),
      );
    } finally {
      this.released(room);
    }
  }

  /** The seq of the newest stored log record once the room's doc holds exactly the stored state. */
  async storedSeq(id: DocumentId): Promise<number> {
    const room = await this.open(id);
    if (this.options.fanOut?.shared) room.resync();
    try {
      return await new Promise<number>((resolve) => room.afterStored(() => resolve(room.storedSeq)));
    } finally {
      this.released(room);
    }
  }

  /**
   * Resolves once every loaded room has stored everything submitted so far,
   * no checkpoint is being written and no room is loading or unloading.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      const unloading = [...this.unloading.values()];
      const rooms = await Promise.all([...this.rooms.values()].map((p) => p.catch(() => null)));
      if (unloading.length === 0 && rooms.every((r) => !r || r.isIdle) && this.unloading.size === 0) return;
      await Promise.all([...unloading, ...rooms.map((r) => r?.whenIdle())]);
    }
  }

  /** A member left (or a read finished): schedule unloading when the room is empty. */
  released(room: Room): void {
    if (room.memberCount > 0 || !room.isOpen || this.idleTimers.has(room.id)) return;
    this.idleTimers.set(
      room.id,
      this.clock.setTimeout(() => {
        this.idleTimers.delete(room.id);
        if (room.memberCount === 0) void this.unload(room, CloseCode.serviceRestart, 'document unloaded');
      }, this.options.idleMs),
    );
  }

  /** Stores everything, checkpoints and forgets the room; members are closed with `code`. */
  async unload(room: Room, code: number, reason: string): Promise<void> {
    if (this.unloading.has(room.id)) return this.unloading.get(room.id);
    this.cancelIdle(room.id);
    const done = (async () => {
      try {
        await room.close(code, reason);
      } catch (error) {
        this.log.error({ err: error, documentId: room.id }, 'closing room failed');
      } finally {
        if ((await this.rooms.get(room.id)?.catch(() => null)) === room) this.rooms.delete(room.id);
      }
    })();
    this.unloading.set(room.id, done);
    await done;
    this.unloading.delete(room.id);
  }

  /** Stores everything of every room and closes them; members get 4503 (reconnect later). */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const rooms = await Promise.all([...this.rooms.values()].map((p) => p.catch(() => null)));
    await Promise.all(rooms.map((r) => (r ? this.unload(r, CloseCode.serviceRestart, 'server restarting') : null)));
  }

  private cancelIdle(id: DocumentId): void {
    const t = this.idleTimers.get(id);
    if (t) {
      this.clock.clearTimeout(t);
      this.idleTimers.delete(id);
    }
  }

  private async load(id: DocumentId): Promise<Room> {
    const record = await this.store.getDocument(id);
    if (!record) throw new NotFoundError('Document');
    // Subscribed before reading the log, so nothing another instance stores in between is missed:
    // messages arriving meanwhile wait, and those the log already covered are skipped (issue 15).
    let room: Room | null = null;
    const early: DocumentMessage[] = [];
    const unsubscribe = await (this.options.fanOut?.subscribe(id, (message) => (room ? room.receive(message) : early.push(message))) ?? null);
    try {
      room = await this.build(id);
    } catch (error) {
      unsubscribe?.();
      throw error;
    }
    const loaded: Room = room;
    if (unsubscribe) loaded.onClosed(unsubscribe);
    for (const message of early) loaded.receive(message);
    return loaded;
  }

  /** Everything this instance knows of every loaded room may be stale (the link to the others came back). */
  resyncAll(): void {
    for (const entry of this.rooms.values()) void entry.then((room) => room.resync(), () => {});
  }

  private async build(id: DocumentId): Promise<Room> {
    const started = performance.now();
    const loaded = await this.store.loadDocument(id);
    const bindings = await this.store.loadClientBindings(id);
    const doc = new Y.Doc({ gc: true });
    const parts = [...(loaded.checkpoint ? [loaded.checkpoint.data] : []), ...loaded.updates.map((u) => u.data)];
    if (parts.length > 0) Y.applyUpdate(doc, parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
    const tailBytes = loaded.updates.reduce((n, u) => n + u.data.byteLength, 0);
    this.log.debug(
      { documentId: id, updates: loaded.updates.length, ms: Math.round(performance.now() - started) },
      'document loaded',
    );
    const room = new Room(
      id,
      {
        doc,
        lastSeq: loaded.lastSeq,
        checkpointSeq: loaded.checkpoint?.seq ?? 0,
        checkpointBytes: loaded.checkpoint?.data.byteLength ?? 0,
        tailBytes,
        tailUpdates: loaded.updates.length,
        bindings,
      },
      this.store,
      this.clock,
      this.log,
      this.options,
      (poisoned) => void this.unload(poisoned, CloseCode.serviceRestart, 'document reloaded'),
    );
    return room;
  }
}
