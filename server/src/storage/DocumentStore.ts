import type { ConsensusMarker, DocumentId, DocumentStatus, DocumentTemplateRef, DocumentType, Locale, Role, SegmentStatus, Visibility } from '@rapporteur/protocol';


/** A document's metadata. The content lives in the update log and checkpoints. */
export interface DocumentRecord {
  readonly id: DocumentId;
  readonly title: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Version of the document schema the content was written with. */
  readonly schemaVersion: number;
  /** The account that created it; null for documents made before accounts existed. */
  readonly ownerId: string | null;
  readonly visibility: Visibility;
  /** When set, commenting by non-editors is open only between these times (ms). */
  readonly commentPeriod: { readonly opensAt: number; readonly closesAt: number } | null;
  /** The document's type (issue 9); `blank` for documents made before types existed. */
  readonly type: DocumentType;
  /** The template version it started from (with that version's name), or null. */
  readonly template: DocumentTemplateRef | null;
  /** Where it is in the review workflow (SPEC WF1); `drafting` when created. */
  readonly status: DocumentStatus;
  /** When the status last changed (ms); null while it has never moved. */
  readonly statusChangedAt: number | null;
  readonly deadline: Deadline | null;
  /** The language it is written in (SPEC L8); `en` for documents made before languages existed. */
  readonly language: Locale;
  /** The original this document is a linked translation of (SPEC LT1); null for an original. */
  readonly translationOf: DocumentId | null;
}

export interface NewDocument {
  readonly id: DocumentId;
  readonly title: string;
  readonly now: number;
  readonly ownerId?: string | null;
  readonly type?: DocumentType;
  /** The template version the body is filled from (the caller writes the body, TPL7). */
  readonly template?: DocumentTemplateRef | null;
  readonly language?: Locale;
}

/**
 * A linked translation to create (SPEC LT1): the document, the source's
 * members it inherits, the status rows of its paragraphs and the audit
 * events of both documents, all written in one transaction.
 */
export interface NewTranslation {
  readonly id: DocumentId;
  readonly translationOf: DocumentId;
  readonly title: string;
  readonly now: number;
  /** The creator: the translation's owner. */
  readonly ownerId: string;
  readonly type: DocumentType;
  readonly template: DocumentTemplateRef | null;
  readonly language: Locale;
  readonly visibility: Visibility;
  /** The source's members with their roles (the creator stays owner). */
  readonly members: readonly { readonly userId: string; readonly role: Role }[];
  readonly segments: readonly SegmentRecord[];
  readonly sourceAudit: NewAuditEvent;
  readonly translationAudit: NewAuditEvent;
}

/** Why a translation was not created: the language is taken in the family, or the source is itself a translation. */
export type TranslationConflict =
  | { readonly kind: 'language-taken'; readonly documentId: DocumentId }
  | { readonly kind: 'source-is-translation'; readonly sourceId: DocumentId }
  | { readonly kind: 'no-source' };

/**
 * The status of one paragraph of a translation (SPEC LT3–LT5), with the
 * hashes of the source's and the translation's paragraph when it was set.
 */
export interface SegmentRecord {
  readonly blockId: string;
  readonly status: SegmentStatus;
  /** Null when the source had no such paragraph when the status was set. */
  readonly sourceHash: string | null;
  readonly targetHash: string;
  /** Null for the status a translation starts with (set by nobody). */
  readonly setBy: string | null;
  readonly setAt: number;
}

/** A deadline: the instant (ms) and the IANA zone it was set in (SPEC WF6). */
export interface Deadline {
  readonly at: number;
  readonly timeZone: string;
}

/**
 * What `changeWorkflow` changes, all in one transaction with its audit events
 * (SPEC WF1, WF6). Fields left out are left as they are.
 */
export interface WorkflowChange {
  /** Applied only while the status is still `from` (a concurrent move wins, the other is refused). */
  readonly status?: { readonly from: DocumentStatus; readonly to: DocumentStatus };
  readonly deadline?: Deadline | null;
  readonly commentPeriod?: { readonly opensAt: number; readonly closesAt: number } | null;
}

/** Which documents a listing returns, and in what order (SPEC WF7, WF8): each filter given narrows it. */
export interface DocumentQuery {
  readonly type?: DocumentType;
  readonly status?: DocumentStatus;
  /** Only documents that are not final or published and have a deadline at or before this instant (ms). */
  readonly deadlineUpTo?: number;
  /**
   * `updated` (default): the most recently updated first. `deadline`: the
   * soonest deadline first — so the overdue come first — counting only
   * documents not yet final or published; then those without (or done), the
   * most recently updated first.
   */
  readonly order?: 'updated' | 'deadline';
}

/** A status an append moved the document out of (SPEC WF5). */
export interface StatusMove {
  readonly from: DocumentStatus;
  readonly to: DocumentStatus;
}

/** Background work of a document that one instance does at a time (issue 15, SPEC I7). */
export type LeaseKind = 'checkpoint' | 'history' | 'compaction';

/** Proof of a lease: a fenced write is refused unless the lease is still this holder's with this token. */
export interface Fence {
  readonly kind: LeaseKind;
  readonly holder: string;
  readonly token: number;
}

/** A fenced write came too late: the lease changed hands (or lapsed and was taken) since it was granted. */
export class LeaseLostError extends Error {
  constructor(kind: LeaseKind) {
    super(`the ${kind} lease was taken over by another instance`);
    this.name = 'LeaseLostError';
  }
}

/** The change would leave the document without an owner member (the last owner stays one). */
export class LastOwnerConflict extends Error {
  constructor() {
    super('The last owner of a document cannot stop being its owner');
    this.name = 'LastOwnerConflict';
  }
}

export interface MemberRecord {
  readonly userId: string;
  readonly role: Role;
  readonly addedBy: string | null;
  readonly createdAt: number;
}

export interface InviteRecord {
  readonly id: string;
  readonly documentId: DocumentId;
  readonly role: Role;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revoked: boolean;
}

/** One accepted Yjs update, as the rooms layer hands it to storage. */
export interface NewUpdate {
  /** The update exactly as the client sent it (Yjs update v1). */
  readonly data: Uint8Array;
  /** The account that sent it; null only for updates stored before accounts existed. */
  readonly author: string | null;
  /** Yjs client ids whose new structs the update carries; bound to `author` when first seen. */
  readonly clientIds: readonly number[];
  /**
   * Consensus markers the update set or removed (SPEC K1): stored with it in
   * the same transaction, as marker events and `marker.set` /
   * `marker.removed` audit events by `author` at the append's time.
   */
  readonly markers?: readonly NewMarkerEvent[];
}

/** A marker change as the rooms layer found it in an update (see rooms/markerChanges). */
export interface NewMarkerEvent {
  readonly blockId: string | null;
  /** The marker now; null when removed. */
  readonly marker: ConsensusMarker | null;
  readonly previous: ConsensusMarker | null;
  readonly cause: 'set' | 'removed' | 'block-deleted';
}

/** Who set or removed a block's marker, and when (SPEC K1): the server's record, never the document's. */
export interface MarkerEventRecord {
  readonly documentId: DocumentId;
  readonly blockId: string;
  /** The level set; null when the marker was removed. */
  readonly level: string | null;
  readonly actorId: string | null;
  /** The log record that made the change. */
  readonly seq: number;
  readonly createdAt: number;
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
  readonly historyCheckpoints: number;
  readonly historyCheckpointBytes: number;
}

/**
 * One record of the update log. A record is stored covering one seq;
 * compaction later replaces the records of a span `firstSeq..lastSeq` with
 * one record per author of the span, each at that author's last seq and with
 * `firstSeq` the span's first: together they hold exactly what the span's
 * records held, each author's structs and deletions in their own record;
 * never across a version (SPEC S2, V1, V2). A point `p` is in the log unless
 * some record has `firstSeq <= p < seq`: only the first record after `p` can
 * say so.
 */
export interface LogRecord {
  readonly firstSeq: number;
  readonly seq: number;
  readonly data: Uint8Array;
  /** The account that sent it (null before accounts existed). */
  readonly author: string | null;
  /** When it was stored (ms); for a compacted record, when its last part was. */
  readonly createdAt: number;
  /** When its first part was stored (= createdAt unless compacted). */
  readonly firstCreatedAt: number;
}

export type LogRecordMeta = Omit<LogRecord, 'data'>;

/** A history checkpoint and the log before it back to the previous one (DocumentStore.historyCheckpointSpacing). */
export interface HistoryCheckpointGap {
  readonly seq: number;
  readonly records: number;
  readonly bytes: number;
  /** A version names this seq: a point rebuilds start from, never pruned. */
  readonly version: boolean;
}

/**
 * A record compaction writes in place of the records `firstSeq..seq` (SPEC S2, V2): a log record whose data
 * is every struct and deletion of the records it replaces, merged (history/compaction.ts).
 */
export type CompactedRecord = LogRecord;

/** One step of a compaction run (SPEC S2). */
export interface CompactionStep {
  /** The document's `compacted_seq` the step was computed from: when it has moved since, nothing is written. */
  readonly fromSeq: number;
  /** Every record up to here has been considered: the next run starts after it. */
  readonly throughSeq: number;
  /**
   * Merged records in seq order, within `fromSeq < seq <= throughSeq`: those sharing a `firstSeq` (one per author)
   * replace the single records of their span, from that seq to the last one's; a span of one record covers more than one seq.
   */
  readonly records: readonly CompactedRecord[];
}

export type VersionKind = 'named' | 'restore';

/** A named version or a restore point: the document as of log record `seq` (SPEC V2). */
export interface VersionRecord {
  readonly id: string;
  readonly documentId: DocumentId;
  readonly seq: number;
  readonly name: string;
  readonly kind: VersionKind;
  /** For a restore: the version or history entry restored. */
  readonly restoredFrom: string | null;
  readonly createdBy: string;
  readonly createdAt: number;
}

/** One entry of a document's audit trail (SPEC V6). */
export interface AuditRecord {
  readonly id: number;
  readonly documentId: DocumentId;
  readonly actorId: string | null;
  readonly action: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export type NewAuditEvent = Pick<AuditRecord, 'actorId' | 'action' | 'details'>;

/**
 * Durable storage of documents. Every method that resolves has stored its
 * effect durably (SPEC.md S1). Implementations: SQLite (default), PostgreSQL
 * (later). `tests/integration/storeContract.ts` is the contract they pass.
 */
export interface DocumentStore {
  /** Creates the document; with an owner, also makes them its `owner` member. */
  createDocument(input: NewDocument): Promise<DocumentRecord>;
  /**
   * Creates a linked translation, its members, its paragraphs' status rows
   * and both audit events in one transaction — only while the source is an
   * original whose family (itself and its translations) has no document in
   * `language`; otherwise nothing is written and the conflict is returned.
   */
  createTranslation(input: NewTranslation): Promise<{ readonly record: DocumentRecord } | { readonly conflict: TranslationConflict }>;
  /** The linked translations of an original, oldest first. */
  listTranslations(sourceId: DocumentId): Promise<DocumentRecord[]>;
  /** The status rows of a translation's paragraphs (in no particular order). */
  listSegments(id: DocumentId): Promise<SegmentRecord[]>;
  /** Sets paragraphs' status rows and appends one audit event, in one transaction. */
  setSegments(id: DocumentId, segments: readonly SegmentRecord[], audit: NewAuditEvent, now: number): Promise<void>;
  getDocument(id: DocumentId): Promise<DocumentRecord | null>;
  /** Every document matching `query`, in its order. */
  listDocuments(query?: DocumentQuery): Promise<DocumentRecord[]>;
  /** Documents the user is a member of (matching `query`), in the same order, with their role. */
  listDocumentsOf(userId: string, query?: DocumentQuery): Promise<Array<DocumentRecord & { readonly role: Role }>>;
  /**
   * Changes the status, deadline and/or comment period and appends `audit`,
   * in one transaction (SPEC WF1, WF6). When `change.status.from` is no longer
   * the status, nothing at all is changed and `applied` is false. Null when
   * there is no such document.
   */
  changeWorkflow(
    id: DocumentId,
    change: WorkflowChange,
    audit: readonly NewAuditEvent[],
    now: number,
  ): Promise<{ readonly record: DocumentRecord; readonly applied: boolean } | null>;
  setVisibility(id: DocumentId, visibility: Visibility, now: number): Promise<DocumentRecord | null>;
  setCommentPeriod(id: DocumentId, period: { opensAt: number; closesAt: number } | null, now: number): Promise<DocumentRecord | null>;
  getMember(id: DocumentId, userId: string): Promise<MemberRecord | null>;
  /** Whether the user organises the event whose session report or track messages this document is (SPEC EV2). */
  organisesEventOf(id: DocumentId, userId: string): Promise<boolean>;
  listMembers(id: DocumentId): Promise<MemberRecord[]>;
  /**
   * Adds the member or changes their role. With `keepAnOwner`, taking the
   * owner role from the last owner throws LastOwnerConflict, checked in the
   * transaction that writes (issue 15: two owners demoting each other at
   * once cannot both succeed).
   */
  setMember(id: DocumentId, member: { userId: string; role: Role; addedBy: string | null }, now: number, options?: { keepAnOwner?: boolean }): Promise<void>;
  /** Returns false when the user was not a member; `keepAnOwner` as for setMember. */
  removeMember(id: DocumentId, userId: string, options?: { keepAnOwner?: boolean }): Promise<boolean>;
  createInvite(invite: Omit<InviteRecord, 'revoked'> & { codeHash: string }): Promise<InviteRecord>;
  /** Live (not revoked, not expired at `now`) invites of a document. */
  listInvites(id: DocumentId, now: number): Promise<InviteRecord[]>;
  /** The invite with this code hash, whatever its state (the caller tells expired from unknown). */
  findInvite(codeHash: string): Promise<InviteRecord | null>;
  revokeInvite(id: DocumentId, inviteId: string, now: number): Promise<boolean>;
  /** Which account each Yjs client id of the document is bound to (first writer wins). */
  loadClientBindings(id: DocumentId): Promise<Map<number, string>>;
  /**
   * Binds the client ids to `userId` where no account has them yet, in one
   * statement the database decides (two instances racing for one id: one
   * wins). Returns the ids bound to another account, with that account.
   */
  claimClientIds(id: DocumentId, userId: string, clientIds: readonly number[], now: number): Promise<Map<number, string>>;
  /** Returns the renamed record, or null when no such document exists. */
  renameDocument(id: DocumentId, title: string, now: number): Promise<DocumentRecord | null>;
  /** Sets the document's language (SPEC L8); the changed record, or null when no such document exists. */
  setLanguage(id: DocumentId, language: Locale, now: number): Promise<DocumentRecord | null>;
  /**
   * Appends updates to a document's log in one transaction and returns the
   * seq of the last one. Calls made in the same tick may share a transaction
   * (group commit). Never rewrites or drops earlier rows (only compaction
   * does, SPEC.md S2).
   * An append to a document that is final or published moves it to revising
   * in the same transaction, with a `status.changed` audit event by the first
   * update's author (SPEC WF5), and says so in `statusMove`.
   */
  appendUpdates(id: DocumentId, updates: readonly NewUpdate[], now: number): Promise<{ lastSeq: number; statusMove?: StatusMove }>;
  loadDocument(id: DocumentId): Promise<LoadedDocument>;
  /**
   * Stores the merged state of the log up to and including `seq`. Older
   * checkpoints are dropped (only the newest is kept): they are a
   * cache of the log, which is never dropped (S4). With `fence`, only while
   * that lease is still the holder's with that token, checked in the
   * writing transaction; otherwise LeaseLostError and nothing is written.
   */
  writeCheckpoint(id: DocumentId, seq: number, data: Uint8Array, now: number, fence?: Fence): Promise<void>;
  /**
   * Takes or renews the document's lease of `kind` for `holder` until
   * `now + ttlMs`, in one statement: granted when free, lapsed, or already
   * the holder's. Returns its fencing token (unchanged on renewal, one more
   * each time it changes hands), or null while another holder has it.
   */
  acquireLease(id: DocumentId, kind: LeaseKind, holder: string, now: number, ttlMs: number): Promise<number | null>;
  historyStats(id: DocumentId): Promise<HistoryStats>;
  /** Every stored update of a document in seq order (history, tests, repair). */
  readLog(id: DocumentId, afterSeq?: number): Promise<StoredUpdate[]>;
  /** Highest seq stored for the document (0 when none). */
  lastSeq(id: DocumentId): Promise<number>;
  /**
   * Log records with `afterSeq < seq <= uptoSeq`, in seq order (history, V3),
   * at most `limit` of them. Read in chunks by count, not by seq range: a
   * compacted record covers many seqs (S2).
   */
  readLogRecords(id: DocumentId, afterSeq: number, uptoSeq: number, limit?: number): Promise<LogRecord[]>;
  /** Seq up to which the log has been considered for compaction (0: never). */
  compactedSeq(id: DocumentId): Promise<number>;
  /**
   * Up to `limit` documents whose first record after their compacted seq was
   * stored before `cutoff` (work for compaction), in no particular order.
   */
  compactionCandidates(cutoff: number, limit: number): Promise<DocumentId[]>;
  /**
   * Replaces each range's single records by its merged record and moves the
   * compacted seq to `step.throughSeq`, in one transaction (SPEC S2). Drops
   * the history checkpoints a merged record now covers the middle of (and
   * deletion indexes starting there). Writes nothing and returns false when
   * the compacted seq is no longer `step.fromSeq` (another run got there) or
   * a version now lies inside a range (named meanwhile). With `fence`, as
   * for writeCheckpoint.
   */
  compactLog(id: DocumentId, step: CompactionStep, fence?: Fence): Promise<boolean>;
  /**
   * Gives space freed by compaction back to the file system where the
   * database can (SQLite with incremental auto-vacuum): frees up to
   * `maxPages` pages and returns how many; once none are left, checkpoints
   * the WAL into the file and truncates it (called until it returns 0).
   */
  reclaimSpace(maxPages: number): Promise<number>;
  /** Up to `limit` records with seq < `beforeSeq`, newest first, without their data (the timeline). */
  listLogMeta(id: DocumentId, beforeSeq: number, limit: number): Promise<LogRecordMeta[]>;
  /**
   * Stores the log merged up to `seq` with deleted content kept. Kept until
   * compaction drops it (compactLog, dropHistoryCheckpoints: SPEC S2, V3).
   * Rejects when the log does not hold `seq` yet: a history checkpoint never
   * claims an update it does not contain (V3).
   */
  writeHistoryCheckpoint(
    id: DocumentId,
    seq: number,
    data: Uint8Array,
    now: number,
    /** Who deleted what in the records `fromSeq < seq' <= seq` (history/DeletionIndex). */
    deletions?: { readonly fromSeq: number; readonly index: Uint8Array },
  ): Promise<void>;
  /** The deletion indexes of history checkpoints lying within `afterSeq..uptoSeq`, by seq. */
  listHistoryDeletions(id: DocumentId, afterSeq: number, uptoSeq: number): Promise<Array<{ fromSeq: number; seq: number; index: Uint8Array }>>;
  /** The history checkpoint with the highest seq not above `seq`, if any. */
  historyCheckpointAtOrBefore(id: DocumentId, seq: number): Promise<{ seq: number; data: Uint8Array } | null>;
  /** Seq of the newest history checkpoint (0 when none). */
  lastHistoryCheckpointSeq(id: DocumentId): Promise<number>;
  /**
   * The history checkpoints at or below `uptoSeq`, in seq order, each with
   * the log records after the one before it (or the log's start) up to it:
   * how many, how many bytes of data, and whether a version names its seq
   * (compaction's pruning, V3).
   */
  historyCheckpointSpacing(id: DocumentId, uptoSeq: number): Promise<HistoryCheckpointGap[]>;
  /**
   * Deletes the history checkpoints at `seqs` that no version names, in one
   * transaction; returns how many went. With `fence`, as for writeCheckpoint.
   */
  dropHistoryCheckpoints(id: DocumentId, seqs: readonly number[], fence?: Fence): Promise<number>;
  /**
   * Stores a version and its audit event in one transaction. Rejects when
   * `version.seq` is beyond the log (a version never claims what is not stored)
   * or inside a compacted record (V2: not a point the log still has).
   */
  createVersion(version: VersionRecord, audit: NewAuditEvent): Promise<VersionRecord>;
  /** Versions of a document, newest first. */
  listVersions(id: DocumentId): Promise<VersionRecord[]>;
  getVersion(id: DocumentId, versionId: string): Promise<VersionRecord | null>;
  appendAudit(id: DocumentId, event: NewAuditEvent, now: number): Promise<AuditRecord>;
  /** Audit events, newest first: up to `limit` with id below `beforeId`. */
  listAudit(id: DocumentId, options: { beforeId?: number; limit: number }): Promise<AuditRecord[]>;
  /** The newest marker event of each block of the document (SPEC K1), in no particular order. */
  latestMarkerEvents(id: DocumentId): Promise<MarkerEventRecord[]>;
  /** Resolves when the database answers a query; rejects when it cannot be reached (readiness, O3). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
