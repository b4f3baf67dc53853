import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Message kinds of the y-websocket protocol (first varUint of every frame),
 * plus Rapporteur's extensions, which a server sends only to clients that
 * asked for them (see PROTOCOL.md, "Extensions").
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Extension: how many of this socket's update frames are stored durably. */
  saved: 100,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sub-kinds of a sync message (y-protocols/sync). */
export const SyncStep = { step1: 0, step2: 1, update: 2 } as const;

/** Sub-kinds of an auth message (y-protocols/auth). */
export const AuthKind = { permissionDenied: 0 } as const;

/** Extensions a client can ask for with `?features=a,b` on the socket URL. */
export const Feature = { saved: 'saved' } as const;
export type Feature = (typeof Feature)[keyof typeof Feature];
export const FEATURES: readonly Feature[] = Object.values(Feature);

/** Version of Rapporteur's extensions; a client may send `?rv=1`. */
export const PROTOCOL_VERSION = 1;

/** What a client may send to the server. */
export type ClientMessage =
  | { readonly kind: 'sync-step-1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'sync-step-2'; readonly update: Uint8Array }
  | { readonly kind: 'sync-update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly kind: 'query-awareness' };

export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

/**
 * Decodes one frame sent by a client. Never throws: truncated frames, unknown
 * kinds, trailing bytes and server-only kinds are returned as failures.
 */
export function decodeClientMessage(frame: Uint8Array): DecodeResult<ClientMessage> {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    let value: ClientMessage;
    switch (type) {
      case MessageType.sync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === SyncStep.step1) value = { kind: 'sync-step-1', stateVector: payload };
        else if (step === SyncStep.step2) value = { kind: 'sync-step-2', update: payload };
        else if (step === SyncStep.update) value = { kind: 'sync-update', update: payload };
        else return { ok: false, reason: `unknown sync step ${step}` };
        break;
      }
      case MessageType.awareness:
        value = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
        break;
      case MessageType.queryAwareness:
        value = { kind: 'query-awareness' };
        break;
      default:
        return { ok: false, reason: `unknown or server-only message type ${type}` };
    }
    if (decoding.hasContent(decoder)) return { ok: false, reason: 'trailing bytes after message' };
    return { ok: true, value };
  } catch {
    // lib0 throws on reads past the end of the buffer or on oversized varints.
    return { ok: false, reason: 'truncated message' };
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.step1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.step2);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.update);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeQueryAwareness(): Uint8Array {
  return frame((e) => encoding.writeVarUint(e, MessageType.queryAwareness));
}

/** y-protocols' permission-denied message, understood by stock clients. */
export function encodePermissionDenied(reason: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.auth);
    encoding.writeVarUint(e, AuthKind.permissionDenied);
    encoding.writeVarString(e, reason);
  });
}

/**
 * Extension `saved`: the first `count` update-bearing frames (sync step 2 and
 * sync update) this socket sent are stored durably.
 */
export function encodeSaved(count: number): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.saved);
    encoding.writeVarUint(e, count);
  });
}

/** Reads the payload of a `saved` message whose type was already read. */
export function readSavedPayload(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder);
}

/** Parses the `features` query parameter; unknown names are ignored so newer clients work with older servers. */
export function parseFeatures(value: string | null | undefined): Set<Feature> {
  const out = new Set<Feature>();
  for (const name of (value ?? '').split(',')) {
    if ((FEATURES as readonly string[]).includes(name)) out.add(name as Feature);
  }
  return out;
}
