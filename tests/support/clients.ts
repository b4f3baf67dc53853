import { createApiClient } from '@rapporteur/client';
import { decodeClientMessage } from '@rapporteur/protocol';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitFor } from './wait';

export { WebSocket };

/** Creates a document owned by `owner` over HTTP and returns its id. */
export async function createDocument(baseUrl: string, owner: { token: string }, title = 'Test document'): Promise<string> {
  return (await createApiClient({ baseUrl, token: owner.token }).createDocument({ title })).id;
}

export interface StockClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly text: Y.Text;
  synced(): Promise<void>;
  destroy(): void;
}

/**
 * An unmodified y-websocket client from npm, as any third-party tool would
 * use it. Its edits go to `doc.getText('t')` unless the test writes elsewhere.
 */
export function stockClient(collabUrl: string, documentId: string, as: { token: string } | null, doc = new Y.Doc()): StockClient {
  const provider = new WebsocketProvider(collabUrl, documentId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    // Stock clients authenticate with a personal access token in the URL.
    params: as ? { token: as.token } : {},
  });
  return {
    doc,
    provider,
    text: doc.getText('t'),
    synced: () => waitFor(() => provider.synced, { what: 'stock client synced' }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface RawSocket {
  readonly ws: WebSocket;
  /** Every binary frame received, in order. */
  readonly frames: Uint8Array[];
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  opened(): Promise<void>;
  send(frame: Uint8Array | string): void;
  /** Message types (first varUint) of the frames received. */
  types(): number[];
}

/** A bare socket for speaking (or breaking) the protocol by hand. */
export function rawSocket(url: string): RawSocket {
  const ws = new WebSocket(url);
  const frames: Uint8Array[] = [];
  ws.binaryType = 'nodebuffer';
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return {
    ws,
    frames,
    closed,
    opened: () =>
      new Promise((resolve, reject) => {
        if (ws.readyState === WebSocket.OPEN) resolve();
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
    send: (frame) => ws.send(frame),
    types: () => frames.map((f) => decoding.readVarUint(decoding.createDecoder(f))),
  };
}

export { decodeClientMessage };
