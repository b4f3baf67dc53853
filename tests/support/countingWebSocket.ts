import { MessageType, SyncStep } from '@rapporteur/protocol';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';

/** What one socket sent and was told: update-bearing frames against `saved` acknowledgements. */
export interface SocketCounts {
  /** Sync step 2 and update frames sent on this socket. */
  sentUpdates: number;
  /** The highest `saved` count received (frames of this socket stored). */
  saved: number;
  /** Awareness frames received. */
  awareness: number;
  /** The close code, once closed. */
  closeCode: number | null;
}

/**
 * A `ws` WebSocket class for `connect()`'s `WebSocketPolyfill` that counts,
 * per socket, the update frames sent and the `saved` acknowledgements
 * received, so a test can check that every update sent was acknowledged.
 */
export function countingWebSocket(sockets: SocketCounts[]): typeof globalThis.WebSocket {
  class CountingWebSocket extends WebSocket {
    private readonly counts: SocketCounts = { sentUpdates: 0, saved: 0, awareness: 0, closeCode: null };

    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this.counts);
      this.addEventListener('message', (event) => {
        const data = event.data;
        const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data as Buffer);
        const decoder = decoding.createDecoder(bytes);
        const type = decoding.readVarUint(decoder);
        if (type === MessageType.saved) this.counts.saved = Math.max(this.counts.saved, decoding.readVarUint(decoder));
        else if (type === MessageType.awareness) this.counts.awareness++;
      });
      this.addEventListener('close', (event) => (this.counts.closeCode = event.code));
    }

    override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
      if (data instanceof Uint8Array && data[0] === MessageType.sync && (data[1] === SyncStep.step2 || data[1] === SyncStep.update)) {
        this.counts.sentUpdates++;
      }
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  }
  return CountingWebSocket as unknown as typeof globalThis.WebSocket;
}
