import { CloseCode, Feature, isPermanentCloseCode, MessageType, PROTOCOL_VERSION, readSavedPayload } from '@rapporteur/protocol';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { offlineDatabaseName, pendingChangesKey, rememberOfflineCopy } from './offline';
import { SaveTracker } from './saveTracker';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'refused';

/** What a user needs to know about a document's connection and saving. */
export interface SyncStatus {
  readonly connection: ConnectionState;
  /** The current socket completed its first sync with the server. */
  readonly synced: boolean;
  /** Local changes the server has not yet confirmed as stored durably. */
  readonly pendingChanges: number;
  /** Set when the server refused the connection permanently (close codes 4400–4499). */
  readonly refusal: { readonly code: number; readonly reason: string } | null;
  /** Offline copy in the browser is loaded (always true without `offline`). */
  readonly localLoaded: boolean;
}

/** The one-word state the UI shows: see `describeSaveState`. */
export type SaveState = 'saved' | 'saving' | 'offline' | 'connecting' | 'refused';

export function describeSaveState(status: SyncStatus): SaveState {
  if (status.connection === 'refused') return 'refused';
  if (status.connection === 'disconnected') return 'offline';
  if (status.connection === 'connecting' || !status.synced) return status.pendingChanges > 0 ? 'offline' : 'connecting';
  return status.pendingChanges > 0 ? 'saving' : 'saved';
}

export interface ConnectOptions {
  /** Sync endpoint, e.g. `ws://127.0.0.1:8080/collab`. */
  readonly url: string;
  readonly doc?: Y.Doc;
  /** Node has no global WebSocket before v22: pass `WebSocket` from `ws`. */
  readonly WebSocketPolyfill?: typeof WebSocket;
  /** Keep a copy in IndexedDB so edits survive reloads while offline (browser only). */
  readonly offline?: boolean;
  /** Start connecting at once (default true). */
  readonly connect?: boolean;
  /** A personal access token, for clients without the browser's session cookie (scripts, tests). */
  readonly token?: string;
  /** Where the count of unconfirmed changes is kept across reloads (browser: localStorage). */
  readonly pendingStore?: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export interface Connection {
  readonly documentId: string;
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly awareness: Awareness;
  readonly status: SyncStatus;
  /** Calls `listener` after every status change; returns the unsubscribe function. */
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** Resolves once the socket has synced with the server. */
  whenSynced(): Promise<void>;
  /** Resolves once every local change is confirmed stored by the server. */
  whenSaved(): Promise<void>;
  destroy(): void;
}

/**
 * Opens a document over the sync socket (y-websocket protocol with the
 * `saved` extension) and tracks whether local changes are stored.
 */
export function connect(documentId: string, options: ConnectOptions): Connection {
  const doc = options.doc ?? new Y.Doc();
  const pendingKey = pendingChangesKey(documentId);
  const pendingStore = options.pendingStore === undefined ? defaultPendingStore(options.offline) : options.pendingStore;
  const listeners = new Set<(s: SyncStatus) => void>();
  let status: SyncStatus = {
    connection: 'connecting',
    synced: false,
    pendingChanges: 0,
    refusal: null,
    localLoaded: !options.offline,
  };
  const setStatus = (patch: Partial<SyncStatus>): void => {
    status = { ...status, ...patch };
    for (const l of listeners) l(status);
  };

  const tracker = new SaveTracker(Number(pendingStore?.getItem(pendingKey) ?? 0) || 0, () => {
    pendingStore?.setItem(pendingKey, String(tracker.pending));
    if (tracker.pending !== status.pendingChanges) setStatus({ pendingChanges: tracker.pending });
  });
  status = { ...status, pendingChanges: tracker.pending };

  let persistence: IndexeddbPersistence | null = null;
  let provider: WebsocketProvider | null = null;
  // Registered before the provider's own handler, so a change is counted
  // before the frame that carries it is sent (Yjs calls handlers in order).
  const onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === provider || (persistence !== null && origin === persistence)) return;
    tracker.localChange();
  };
  doc.on('update', onUpdate);

  const Base: typeof WebSocket = options.WebSocketPolyfill ?? globalThis.WebSocket;
  class TrackedWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      tracker.newSocket();
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (data instanceof Uint8Array) tracker.sent(data);
      super.send(data);
    }
  }

  if (options.offline) {
    const name = offlineDatabaseName(documentId);
    // Noted first, so signing out can delete it even where indexedDB.databases() is missing.
    rememberOfflineCopy(name);
    persistence = new IndexeddbPersistence(name, doc);
    void persistence.whenSynced.then(() => setStatus({ localLoaded: true }));
  }

  provider = new WebsocketProvider(options.url, documentId, doc, {
    WebSocketPolyfill: TrackedWebSocket,
    params: { features: Feature.saved, rv: String(PROTOCOL_VERSION), ...(options.token ? { token: options.token } : {}) },
    connect: options.connect ?? true,
    // The document is shared through the server; another tab's copy comes
    // through IndexedDB and the server, which keeps the save status honest.
    disableBc: true,
  });
  provider.messageHandlers[MessageType.saved] = (_encoder, decoder) => {
    tracker.saved(readSavedPayload(decoder));
  };
  provider.on('status', ({ status: s }) => {
    setStatus({ connection: s === 'connected' ? 'connected' : s === 'connecting' ? 'connecting' : 'disconnected', synced: false });
  });
  provider.on('sync', (synced: boolean) => setStatus({ synced }));
  provider.on('closed', ({ code, reason }) => {
    if (isPermanentCloseCode(code)) setStatus({ connection: 'refused', refusal: { code, reason: reason || describeClose(code) } });
  });
  // Browsers report going offline before the socket notices.
  const onOffline = (): void => provider?.disconnect();
  const onOnline = (): void => provider?.connect();
  if (typeof window !== 'undefined') {
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
  }

  const until = (predicate: (s: SyncStatus) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (s: SyncStatus): boolean => {
        if (s.connection === 'refused') {
          reject(new Error(`Connection refused: ${s.refusal?.code} ${s.refusal?.reason}`));
          return true;
        }
        if (predicate(s)) {
          resolve();
          return true;
        }
        return false;
      };
      if (check(status)) return;
      const off = connection.subscribe((s) => {
        if (check(s)) off();
      });
    });

  const connection: Connection = {
    documentId,
    doc,
    provider,
    awareness: provider.awareness,
    get status() {
      return status;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    whenSynced: () => until((s) => s.connection === 'connected' && s.synced),
    whenSaved: () => until((s) => s.connection === 'connected' && s.synced && s.pendingChanges === 0),
    destroy() {
      if (typeof window !== 'undefined') {
        window.removeEventListener('offline', onOffline);
        window.removeEventListener('online', onOnline);
      }
      doc.off('update', onUpdate);
      provider?.destroy();
      void persistence?.destroy();
      listeners.clear();
    },
  };
  return connection;
}

function defaultPendingStore(offline: boolean | undefined): Pick<Storage, 'getItem' | 'setItem'> | null {
  return offline && typeof localStorage !== 'undefined' ? localStorage : null;
}

/** A fallback reason for a close code the server sent without one. */
export function describeClose(code: number): string {
  const entry = Object.entries(CloseCode).find(([, c]) => c === code);
  return entry ? entry[0] : `close code ${code}`;
}
