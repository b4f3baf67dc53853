import type { DocumentId } from '@rapporteur/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * What one instance tells the others about a document it serves (issue 15).
 * `update`: the records `afterSeq + 1 … lastSeq` of the document's log, which
 * this instance just stored, merged into one Yjs update, with the client-id
 * bindings they made (A4). `awareness`: a presence change of its members.
 */
export type DocumentMessage =
  | {
      readonly kind: 'update';
      readonly afterSeq: number;
      readonly lastSeq: number;
      readonly update: Uint8Array;
      readonly bindings: ReadonlyArray<readonly [clientId: number, userId: string]>;
    }
  | { readonly kind: 'awareness'; readonly update: Uint8Array };

/** A signal every instance acts on: an access change (sockets re-checked) or a comment log that grew. */
export type InstanceSignal =
  | { readonly kind: 'access'; readonly change: { readonly kind: 'document'; readonly documentId: DocumentId } | { readonly kind: 'user'; readonly userId: string } }
  | { readonly kind: 'comments'; readonly documentId: DocumentId; readonly seq: number };

/**
 * The seam between rooms and the other instances serving the same documents
 * (issue 15): the room pipeline publishes what it stored and applies what
 * others stored, without knowing whether anything carries it. Storage is the
 * truth; a message is a shortcut. A message that is lost, late or doubled
 * does no harm: Yjs updates are idempotent and commute, and a room that sees
 * a gap in the seqs (or hears `onResync`) reads the missing records from the
 * log.
 */
export interface FanOut {
  /** Whether other instances may exist (a room then publishes and checks the log for what it missed). */
  readonly shared: boolean;
  /** Starts receiving the document's messages from other instances (never this one's). Resolves once subscribed. */
  subscribe(documentId: DocumentId, listener: (message: DocumentMessage) => void): Promise<() => void>;
  publish(documentId: DocumentId, message: DocumentMessage): void;
  /** Starts receiving every other instance's signals. */
  onSignal(listener: (signal: InstanceSignal) => void): () => void;
  signal(signal: InstanceSignal): void;
  /** Called after the link to the other instances was lost and is back: messages may have been missed. */
  onResync(listener: () => void): () => void;
  close(): Promise<void>;
}

/** One instance alone (no REDIS_URL): there is nobody to tell. */
export class LocalFanOut implements FanOut {
  readonly shared = false;
  async subscribe(): Promise<() => void> {
    return () => {};
  }
  publish(): void {}
  onSignal(): () => void {
    return () => {};
  }
  signal(): void {}
  onResync(): () => void {
    return () => {};
  }
  async close(): Promise<void> {}
}

const UPDATE = 1;
const AWARENESS = 2;

/** The binary form of a document message (lib0 encoding: a kind byte, varuints, bytes). */
export function encodeDocumentMessage(message: DocumentMessage): Uint8Array {
  const e = encoding.createEncoder();
  if (message.kind === 'update') {
    encoding.writeUint8(e, UPDATE);
    encoding.writeVarUint(e, message.afterSeq);
    encoding.writeVarUint(e, message.lastSeq);
    encoding.writeVarUint(e, message.bindings.length);
    for (const [clientId, userId] of message.bindings) {
      encoding.writeVarUint(e, clientId);
      encoding.writeVarString(e, userId);
    }
    encoding.writeVarUint8Array(e, message.update);
  } else {
    encoding.writeUint8(e, AWARENESS);
    encoding.writeVarUint8Array(e, message.update);
  }
  return encoding.toUint8Array(e);
}

/** Decodes a document message; throws on anything malformed (the caller drops it: the log repairs). */
export function decodeDocumentMessage(bytes: Uint8Array): DocumentMessage {
  const d = decoding.createDecoder(bytes);
  const kind = decoding.readUint8(d);
  if (kind === UPDATE) {
    const afterSeq = decoding.readVarUint(d);
    const lastSeq = decoding.readVarUint(d);
    const n = decoding.readVarUint(d);
    const bindings: Array<[number, string]> = [];
    for (let i = 0; i < n; i++) bindings.push([decoding.readVarUint(d), decoding.readVarString(d)]);
    const update = decoding.readVarUint8Array(d);
    if (!(lastSeq > afterSeq)) throw new RangeError('an update message must cover at least one record');
    return { kind: 'update', afterSeq, lastSeq, update, bindings };
  }
  if (kind === AWARENESS) return { kind: 'awareness', update: decoding.readVarUint8Array(d) };
  throw new RangeError(`unknown document message kind ${kind}`);
}
