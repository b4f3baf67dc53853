import {
  CloseCode,
  type ClientMessage,
  decodeClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSaved,
  encodeSyncStep1,
  encodeSyncStep2,
  type Feature,
} from '@rapporteur/protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { unreachable } from '../lib/assert';
import type { Logger } from '../lib/logger';
import type { Room, RoomMember } from '../rooms/Room';
import { type PresenceIdentity, stampPresence } from './stampPresence';

/** Which session set each presence client id of a room: nobody may speak for another's (A7). */
const presenceOwners = new WeakMap<Room, Map<number, SyncSession>>();

/** The socket under a session, as the transport provides it. */
export interface SessionSocket {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes not yet written to the network; absent: never behind (R14). */
  bufferedAmount?(): number;
}

export interface SessionOptions {
  readonly features: ReadonlySet<Feature>;
  readonly maxAwarenessBytes: number;
  /** The account on the other end, stamped on every update it sends (null: anonymous reader). */
  readonly author: string | null;
  /** May this socket change the document? Re-checked when access changes (setWritable). */
  readonly writable: boolean;
  /** The account's identity, stamped on this socket's presence (null: anonymous reader). */
  readonly identity: PresenceIdentity | null;
}

/**
 * One client's conversation about one document: decodes each frame and
 * decides what it means (exhaustive dispatch, SPEC.md P1–P6).
 */
export class SyncSession implements RoomMember {
  /** Presence client ids this socket introduced; removed when it leaves. */
  private readonly awarenessClients = new Set<number>();
  /** Update-bearing frames received, numbered for the `saved` acknowledgement. */
  private updateFrames = 0;
  private closed = false;
  private writable: boolean;

  constructor(
    readonly room: Room,
    private readonly socket: SessionSocket,
    private readonly options: SessionOptions,
    private readonly log: Logger,
  ) {
    this.writable = options.writable;
  }

  /** The account behind this socket (null for an anonymous reader). */
  get author(): string | null {
    return this.options.author;
  }

  /** Applies a changed role at once: a downgraded socket stops writing from its next frame. */
  setWritable(writable: boolean): void {
    this.writable = writable;
  }

  /** Joins the room and starts the sync: server step 1, then current presence. */
  start(): void {
    this.room.join(this);
    this.room.afterStored(() => {
      if (this.closed) return;
      this.send(encodeSyncStep1(Y.encodeStateVector(this.room.doc)));
      const states = [...this.room.awareness.getStates().keys()];
      if (states.length > 0) {
        this.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, states)));
      }
    });
  }

  /** Handles one binary frame from the client. */
  handle(frame: Uint8Array): void {
    if (this.closed) return;
    const decoded = decodeClientMessage(frame);
    if (!decoded.ok) {
      this.close(CloseCode.malformedMessage, decoded.reason);
      return;
    }
    this.dispatch(decoded.value);
  }

  private dispatch(message: ClientMessage): void {
    switch (message.kind) {
      case 'sync-step-1': {
        const stateVector = message.stateVector;
        try {
          Y.decodeStateVector(stateVector);
        } catch {
          this.close(CloseCode.malformedMessage, 'malformed state vector');
          return;
        }
        this.room.afterStored(() => {
          if (!this.closed) this.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.room.doc, stateVector)));
        });
        return;
      }
      case 'sync-step-2':
      case 'sync-update':
        this.receiveUpdate(message.update);
        return;
      case 'awareness':
        this.receiveAwareness(message.update);
        return;
      case 'query-awareness': {
        const clients = [...this.room.awareness.getStates().keys()];
        this.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, clients)));
        return;
      }
      default:
        unreachable(message);
    }
  }

  private receiveUpdate(update: Uint8Array): void {
    const frameNumber = ++this.updateFrames;
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      // Reads every struct and the delete set: a malformed update is refused
      // here, before it can touch the document (P3).
      decoded = Y.decodeUpdate(update);
    } catch {
      this.close(CloseCode.invalidUpdate, 'malformed Yjs update');
      return;
    }
    if (!this.writable) {
      // Stock clients always answer our sync step 1 with a step 2, empty when
      // they have nothing new: that is not an attempt to write (A3).
      if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return;
      this.send(encodePermissionDenied('read-only: your role does not allow editing this document'));
      return;
    }
    // Client ids of the structs the server does not have yet: these are
    // bound to the sender; the rest is content it already knows (A4).
    const newClientIds = new Set<number>();
    for (const struct of decoded.structs) {
      if (struct.id.clock + struct.length > Y.getState(this.room.doc.store, struct.id.client)) newClientIds.add(struct.id.client);
    }
    const refusal = this.room.submit({
      from: this,
      update,
      author: this.options.author,
      clientIds: [...newClientIds],
      onStored: () => {
        if (this.options.features.has('saved')) this.send(encodeSaved(frameNumber));
      },
    });
    switch (refusal) {
      case null:
        return;
      case 'document-too-large':
        this.close(CloseCode.documentTooLarge, 'document size limit reached');
        return;
      case 'room-closing':
        // Not applied and not acknowledged: the room closes this socket with
        // 4503 once the updates before this one are acknowledged (R12), and
        // the client sends it again after reconnecting.
        return;
      case 'room-closed':
        this.close(CloseCode.serviceRestart, 'document is being reloaded');
        return;
      case 'overloaded':
        this.close(CloseCode.timeout, 'too many unsaved changes queued; reconnect');
        return;
      case 'client-id-taken':
        this.close(CloseCode.forbidden, 'a Yjs client id in this update belongs to another account');
        return;
      default:
        unreachable(refusal);
    }
  }

  private receiveAwareness(update: Uint8Array): void {
    if (update.byteLength > this.options.maxAwarenessBytes) {
      this.close(CloseCode.messageTooLarge, 'awareness update too large');
      return;
    }
    let owners = presenceOwners.get(this.room);
    if (!owners) presenceOwners.set(this.room, (owners = new Map()));
    const ownerMap = owners;
    const stamped = stampPresence(update, this.options.identity, (clientId) => {
      const owner = ownerMap.get(clientId);
      return (owner === undefined || owner === this || owner.isClosed) && !this.room.presenceHeldElsewhere(clientId);
    });
    if (!stamped) {
      this.close(CloseCode.malformedMessage, 'malformed awareness update');
      return;
    }
    const awareness = this.room.awareness;
    const track = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
      if (origin !== this) return;
      for (const id of [...added, ...updated]) {
        this.awarenessClients.add(id);
        ownerMap.set(id, this);
      }
      for (const id of removed) {
        this.awarenessClients.delete(id);
        if (ownerMap.get(id) === this) ownerMap.delete(id);
      }
    };
    awareness.on('change', track);
    try {
      awarenessProtocol.applyAwarenessUpdate(awareness, stamped, this);
    } catch {
      this.close(CloseCode.malformedMessage, 'malformed awareness update');
    } finally {
      awareness.off('change', track);
    }
  }


  send(frame: Uint8Array): void {
    if (!this.closed) this.socket.send(frame);
  }

  /** What the connection has yet to write (R14: a member far behind gets its updates merged later). */
  backlog(): number {
    return this.socket.bufferedAmount?.() ?? 0;
  }

  /** Closes the socket with a close code from PROTOCOL.md. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.log.debug({ documentId: this.room.id, code, reason }, 'closing sync socket');
    this.socket.close(code, reason);
    this.dispose();
  }

  /** The socket is gone: leave the room and drop this client's presence. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.room.leave(this, [...this.awarenessClients]);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
