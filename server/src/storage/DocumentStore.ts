import type { DocumentId } from '@rapporteur/protocol';

/** A document's metadata. The content lives in the update log and checkpoints. */
export interface DocumentRecord {
  readonly id: DocumentId;
  readonly title: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Version of the document schema the content was written with. */
  readonly schemaVersion: number;
}

/** One accepted Yjs update, as the rooms layer hands it to storage. */
export interface NewUpdate {
  /** The update exactly as the client sent it (Yjs update v1). */
  readonly data: Uint8Array;
  /** Who sent it; null until accounts exist (issue 3). */
  readonly author: string | null;
  /** Yjs client ids whose new structs the update carries. */
  readonly clientIds: readonly number[];
}

export interface StoredUpdate {
  readonly seq: number;
  readonly data: Uint8Array;
}

/** What is needed to rebuild a document: the newest checkpoint and the log after it. */
export interface LoadedDocument {
  readonly checkpoint: { readonly seq: number; readonly data: Uint8Array } | null;
  /** Updates with seq greater than the checkpoint's, in seq order. */
  readonly updates: readonly StoredUpdate[];
  /** Highest seq stored for the document (0 when none). */
  readonly lastSeq: number;
}

export interface HistoryStats {
  readonly updates: number;
  readonly updateBytes: number;
  readonly checkpoints: number;
  readonly checkpointBytes: number;
}

/**
 * Durable storage of documents. Every method that resolves has stored its
 * effect durably (SPEC.md S1). Implementations: SQLite (default), PostgreSQL
 * (later). `tests/integration/storeContract.ts` is the contract they pass.
 */
export interface DocumentStore {
  createDocument(input: { id: DocumentId; title: string; now: number }): Promise<DocumentRecord>;
  getDocument(id: DocumentId): Promise<DocumentRecord | null>;
  /** Newest first (by last update). */
  listDocuments(): Promise<DocumentRecord[]>;
  /** Returns the renamed record, or null when no such document exists. */
  renameDocument(id: DocumentId, title: string, now: number): Promise<DocumentRecord | null>;
  /**
   * Appends updates to a document's log in one transaction and returns the
   * seq of the last one. Calls made in the same tick may share a transaction
   * (group commit). Never rewrites or drops earlier rows (SPEC.md S2).
   */
  appendUpdates(id: DocumentId, updates: readonly NewUpdate[], now: number): Promise<{ lastSeq: number }>;
  loadDocument(id: DocumentId): Promise<LoadedDocument>;
  /**
   * Stores the merged state of the log up to and including `seq`. Older
   * checkpoints may be dropped (only the newest two are kept): they are a
   * cache of the log, which is never dropped (S4).
   */
  writeCheckpoint(id: DocumentId, seq: number, data: Uint8Array, now: number): Promise<void>;
  historyStats(id: DocumentId): Promise<HistoryStats>;
  /** Every stored update of a document in seq order (history, tests, repair). */
  readLog(id: DocumentId, afterSeq?: number): Promise<StoredUpdate[]>;
  close(): Promise<void>;
}
