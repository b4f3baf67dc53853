import { DOCUMENT_TYPES, type DocumentId, type DocumentStatus, type DocumentType, Locale, type Role, SegmentStatus, type Visibility } from '@rapporteur/protocol';
import type {
  AuditRecord,
  DocumentQuery,
  DocumentRecord,
  DocumentStore,
  HistoryStats,
  InviteRecord,
  LoadedDocument,
  LogRecord,
  LogRecordMeta,
  MarkerEventRecord,
  MemberRecord,
  NewAuditEvent,
  NewDocument,
  NewTranslation,
  SegmentRecord,
  TranslationConflict,
  NewMarkerEvent,
  NewUpdate,
  StatusMove,
  StoredUpdate,
  VersionKind,
  VersionRecord,
  WorkflowChange,
} from '../DocumentStore';
import { LastOwnerConflict } from '../DocumentStore';
import fs from 'node:fs';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { type OpenDatabaseOptions, openSqliteDatabase, type SqliteDatabase } from './openDatabase';

type Statement = Database.Statement;

interface DocumentRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  schema_version: number;
  owner_id: string | null;
  visibility: string;
  comment_opens_at: number | null;
  comment_closes_at: number | null;
  type: string;
  template_id: string | null;
  template_version: number | null;
  /** From the join with `templates` (DOCUMENT_COLUMNS). */
  template_name: string | null;
  status: string;
  status_changed_at: number | null;
  deadline: number | null;
  deadline_time_zone: string | null;
  language: string;
  translation_of: string | null;
}

/** The template version a document (`d`) started from, for its name. */
const TEMPLATE_JOIN = 'LEFT JOIN templates t ON t.id = d.template_id AND t.version = d.template_version';
/** A document's columns and the name of its template version. */
const SELECT_DOCUMENT = `SELECT d.*, t.name AS template_name FROM documents d ${TEMPLATE_JOIN}`;

/** Statuses an edit moves to revising (SPEC WF5); policy.ts `DONE_STATUSES`, as SQL. */
const DONE_SQL = "('final', 'published')";

type AppendResult = { lastSeq: number; statusMove?: StatusMove };

interface PendingAppend {
  id: DocumentId;
  updates: readonly NewUpdate[];
  now: number;
  resolve: (v: { lastSeq: number; statusMove?: StatusMove }) => void;
  reject: (e: unknown) => void;
}

/** The open connection to share; with `owns`, the store closes it when it closes (SqliteDocumentStore.open). */
export interface SqliteStoreOptions {
  readonly db: SqliteDatabase;
  readonly owns?: boolean;
  /**
   * How an append is made durable before it resolves (SPEC R4, S10).
   * `background` (default for a database file): the update log is written
   * through a connection of its own with `synchronous = NORMAL`, and the
   * write-ahead log is fdatasync'ed on libuv's thread pool, one sync for
   * every append waiting, before the appends resolve — so the event loop
   * never waits for the disk. `inline`: the shared connection's own commit
   * (`synchronous = FULL`) syncs, on the event loop (an in-memory database).
   */
  readonly logSync?: 'background' | 'inline';
  /** How the WAL's descriptor is synced (`background`); tests hold or fail it. Default: fs.fdatasync on the pool. */
  readonly syncFile?: (fd: number) => Promise<void>;
}

const fdatasync = promisify(fs.fdatasync);

/** The statements an append runs, prepared on the connection that writes the log. */
interface LogStatements {
  readonly lastSeq: Database.Statement<[string], { s: number | null }>;
  readonly insertUpdate: Statement;
  readonly bind: Statement;
  readonly touchDoc: Statement;
  readonly statusOf: Database.Statement<[string], { status: string }>;
  readonly setStatus: Statement;
  readonly insertAudit: Database.Statement<[string, string | null, string, string, number]>;
  readonly insertMarkerEvent: Database.Statement<[string, string, string | null, string | null, number, number]>;
}

/** SQLite (better-sqlite3, WAL) implementation of DocumentStore. */
/** Bindings remembered per store before the memory is cleared (about 10 MB of keys). */
const MAX_KNOWN_BINDINGS = 100_000;

export class SqliteDocumentStore implements DocumentStore {
  private readonly db: SqliteDatabase;
  private readonly ownsDb: boolean;
  private readonly stmts;
  private readonly listings = new Map<string, Statement>();
  private queue: PendingAppend[] = [];
  /** Client-id bindings (document, client id) this store wrote or found written, so a flush skips them. */
  private readonly knownBindings = new Set<string>();
  private flushScheduled = false;
  private closed = false;
  /** The update log's own connection and the -wal file's descriptor (logSync `background`); null: inline. */
  private readonly log: { readonly db: SqliteDatabase; readonly walPath: string; fd: number | null; readonly sync: (fd: number) => Promise<void> } | null = null;
  /** The append statements, on the connection that writes the log. */
  private readonly logStmts: LogStatements;
  /** Settles once every batch committed so far is resolved or failed (batches resolve in commit order). */
  private syncing: Promise<void> | null = null;

  /** Opens (creating if needed) the database file, applies pending migrations, and returns a store that owns it. */
  static async open(options: OpenDatabaseOptions): Promise<SqliteDocumentStore> {
    const database = await openSqliteDatabase(options);
    return new SqliteDocumentStore({ db: database.sqlite!, owns: true });
  }

  constructor(options: SqliteStoreOptions) {
    this.ownsDb = options.owns ?? false;
    this.db = options.db;
    const db = this.db;
    this.stmts = {
      insertDoc: db.prepare(
        'INSERT INTO documents (id, title, created_at, updated_at, owner_id, type, template_id, template_version, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertTranslation: db.prepare(
        `INSERT INTO documents (id, title, created_at, updated_at, owner_id, type, template_id, template_version, language, visibility, translation_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // The family of an original: itself and its translations, in a language.
      familyInLanguage: db.prepare<[string, string, string, string], { id: string }>(
        'SELECT id FROM documents WHERE (id = ? AND language = ?) OR (translation_of = ? AND language = ?) LIMIT 1',
      ),
      translationsOf: db.prepare<[string], DocumentRow>(`${SELECT_DOCUMENT} WHERE d.translation_of = ? ORDER BY d.created_at, d.id`),
      listSegments: db.prepare<[string], SegmentRow>('SELECT * FROM translation_segments WHERE document_id = ?'),
      upsertSegment: db.prepare(
        `INSERT INTO translation_segments (document_id, block_id, status, source_hash, target_hash, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (document_id, block_id) DO UPDATE SET status = excluded.status, source_hash = excluded.source_hash,
           target_hash = excluded.target_hash, set_by = excluded.set_by, set_at = excluded.set_at`,
      ),
      docsOf: db.prepare<[string], DocumentRow & { role: string }>(
        `SELECT d.*, t.name AS template_name, m.role FROM documents d JOIN document_members m ON m.document_id = d.id ${TEMPLATE_JOIN}
         WHERE m.user_id = ? ORDER BY d.updated_at DESC, d.id`,
      ),
      setVisibility: db.prepare('UPDATE documents SET visibility = ?, updated_at = ? WHERE id = ?'),
      setPeriod: db.prepare('UPDATE documents SET comment_opens_at = ?, comment_closes_at = ?, updated_at = ? WHERE id = ?'),
      getMember: db.prepare<[string, string], MemberRow>('SELECT * FROM document_members WHERE document_id = ? AND user_id = ?'),
      organisesEventOf: db.prepare<[string, string, string], { x: number }>(
        `SELECT 1 AS x FROM event_organisers o WHERE o.user_id = ? AND o.event_id IN (
           SELECT event_id FROM event_sessions WHERE document_id = ?
           UNION ALL SELECT event_id FROM event_tracks WHERE messages_document_id = ?) LIMIT 1`,
      ),
      listMembers: db.prepare<[string], MemberRow>('SELECT * FROM document_members WHERE document_id = ? ORDER BY created_at, user_id'),
      upsertMember: db.prepare(
        `INSERT INTO document_members (document_id, user_id, role, added_by, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (document_id, user_id) DO UPDATE SET role = excluded.role`,
      ),
      removeMember: db.prepare('DELETE FROM document_members WHERE document_id = ? AND user_id = ?'),
      memberRole: db.prepare<[string, string], { role: string }>('SELECT role FROM document_members WHERE document_id = ? AND user_id = ?'),
      otherOwners: db.prepare<[string, string], { n: number }>(
        "SELECT COUNT(*) AS n FROM document_members WHERE document_id = ? AND role = 'owner' AND user_id != ?",
      ),
      insertInvite: db.prepare(
        'INSERT INTO invites (id, document_id, code_hash, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      listInvites: db.prepare<[string, number], InviteRow>(
        'SELECT * FROM invites WHERE document_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at',
      ),
      findInvite: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE code_hash = ?'),
      revokeInvite: db.prepare('UPDATE invites SET revoked_at = ? WHERE document_id = ? AND id = ? AND revoked_at IS NULL'),
      bindings: db.prepare<[string], { client_id: number; user_id: string }>(
        'SELECT client_id, user_id FROM client_bindings WHERE document_id = ?',
      ),
      bind: db.prepare('INSERT OR IGNORE INTO client_bindings (document_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)'),
      getDoc: db.prepare<[string], DocumentRow>(`${SELECT_DOCUMENT} WHERE d.id = ?`),
      listDocs: db.prepare<[], DocumentRow>(`${SELECT_DOCUMENT} ORDER BY d.updated_at DESC, d.id`),
      renameDoc: db.prepare('UPDATE documents SET title = ?, updated_at = ? WHERE id = ?'),
      setLanguage: db.prepare('UPDATE documents SET language = ?, updated_at = ? WHERE id = ?'),
      touchDoc: db.prepare('UPDATE documents SET updated_at = ? WHERE id = ?'),
      statusOf: db.prepare<[string], { status: string }>('SELECT status FROM documents WHERE id = ?'),
      setStatus: db.prepare('UPDATE documents SET status = ?, status_changed_at = ?, updated_at = ? WHERE id = ?'),
      setDeadline: db.prepare('UPDATE documents SET deadline = ?, deadline_time_zone = ?, updated_at = ? WHERE id = ?'),
      lastSeq: db.prepare<[string], { s: number | null }>('SELECT MAX(seq) AS s FROM updates WHERE document_id = ?'),
      insertUpdate: db.prepare(
        'INSERT INTO updates (document_id, seq, data, author, client_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      latestCheckpoint: db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM checkpoints WHERE document_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      updatesAfter: db.prepare<[string, number], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE document_id = ? AND seq > ? ORDER BY seq',
      ),
      insertCheckpoint: db.prepare(
        'INSERT OR REPLACE INTO checkpoints (document_id, seq, data, created_at) VALUES (?, ?, ?, ?)',
      ),
      // Checkpoints are a cache of the log, not history: keep the newest two.
      pruneCheckpoints: db.prepare(
        `DELETE FROM checkpoints WHERE document_id = ? AND seq < (
           SELECT MIN(seq) FROM (SELECT seq FROM checkpoints WHERE document_id = ? ORDER BY seq DESC LIMIT 2))`,
      ),
      updateStats: db.prepare<[string], { n: number; bytes: number | null }>(
        'SELECT COUNT(*) AS n, SUM(LENGTH(data)) AS bytes FROM updates WHERE document_id = ?',
      ),
      checkpointStats: db.prepare<[string], { n: number; bytes: number | null }>(
        'SELECT COUNT(*) AS n, SUM(LENGTH(data)) AS bytes FROM checkpoints WHERE document_id = ?',
      ),
      historyCheckpointStats: db.prepare<[string], { n: number; bytes: number | null }>(
        'SELECT COUNT(*) AS n, SUM(LENGTH(data)) AS bytes FROM history_checkpoints WHERE document_id = ?',
      ),
      logRange: db.prepare<[string, number, number], LogRow>(
        `SELECT seq, first_seq, data, author, created_at FROM updates
         WHERE document_id = ? AND seq > ? AND seq <= ? ORDER BY seq`,
      ),
      logMeta: db.prepare<[string, number, number], Omit<LogRow, 'data'>>(
        `SELECT seq, first_seq, author, created_at FROM updates
         WHERE document_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
      ),
      insertHistoryCheckpoint: db.prepare(
        `INSERT OR IGNORE INTO history_checkpoints (document_id, seq, data, created_at, deletions_from, deletions)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      historyDeletions: db.prepare<[string, number, number], { deletions_from: number; seq: number; deletions: Buffer }>(
        `SELECT deletions_from, seq, deletions FROM history_checkpoints
         WHERE document_id = ? AND deletions_from >= ? AND seq <= ? AND deletions IS NOT NULL ORDER BY seq`,
      ),
      historyCheckpointAtOrBefore: db.prepare<[string, number], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM history_checkpoints WHERE document_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1',
      ),
      lastHistoryCheckpoint: db.prepare<[string], { s: number | null }>(
        'SELECT MAX(seq) AS s FROM history_checkpoints WHERE document_id = ?',
      ),
      insertVersion: db.prepare(
        `INSERT INTO versions (id, document_id, seq, name, kind, restored_from, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      listVersions: db.prepare<[string], VersionRow>(
        'SELECT * FROM versions WHERE document_id = ? ORDER BY seq DESC, created_at DESC, rowid DESC',
      ),
      getVersion: db.prepare<[string, string], VersionRow>('SELECT * FROM versions WHERE document_id = ? AND id = ?'),
      insertAudit: db.prepare<[string, string | null, string, string, number]>(
        'INSERT INTO audit_events (document_id, actor_id, action, details, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      insertMarkerEvent: db.prepare<[string, string, string | null, string | null, number, number]>(
        'INSERT INTO marker_events (document_id, block_id, level, actor_id, seq, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      latestMarkerEvents: db.prepare<[string, string], MarkerEventRow>(
        `SELECT * FROM marker_events WHERE id IN (
           SELECT MAX(id) FROM marker_events WHERE document_id = ? GROUP BY block_id) AND document_id = ?`,
      ),
      listAudit: db.prepare<[string, number, number], AuditRow>(
        'SELECT * FROM audit_events WHERE document_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
      ),
    };
    const file = db.name;
    const background = (options.logSync ?? 'background') === 'background' && file !== ':memory:' && file !== '' && !db.memory;
    let logDb: SqliteDatabase = db;
    if (background) {
      logDb = new Database(file);
      logDb.pragma('journal_mode = WAL');
      // Commits write the WAL without syncing it; flush() syncs it off the loop before anyone hears of them.
      logDb.pragma('synchronous = NORMAL');
      logDb.pragma('foreign_keys = ON');
      logDb.pragma('busy_timeout = 5000');
      this.log = { db: logDb, walPath: `${file}-wal`, fd: null, sync: options.syncFile ?? fdatasync };
    }
    const m = this.stmts;
    const again = <T extends Statement>(st: T): T => (logDb === db ? st : (logDb.prepare(st.source) as T));
    this.logStmts = {
      lastSeq: again(m.lastSeq),
      insertUpdate: again(m.insertUpdate),
      bind: again(m.bind),
      touchDoc: again(m.touchDoc),
      statusOf: again(m.statusOf),
      setStatus: again(m.setStatus),
      insertAudit: again(m.insertAudit),
      insertMarkerEvent: again(m.insertMarkerEvent),
    };
  }

  async createDocument(input: NewDocument): Promise<DocumentRecord> {
    this.assertOpen();
    const ownerId = input.ownerId ?? null;
    const template = input.template ?? null;
    this.db.transaction(() => {
      this.stmts.insertDoc.run(input.id, input.title, input.now, input.now, ownerId, input.type ?? 'blank', template?.id ?? null, template?.version ?? null, input.language ?? 'en');
      if (ownerId) this.stmts.upsertMember.run(input.id, ownerId, 'owner', ownerId, input.now);
    })();
    return {
      id: input.id,
      title: input.title,
      createdAt: input.now,
      updatedAt: input.now,
      schemaVersion: 1,
      ownerId,
      visibility: 'private',
      commentPeriod: null,
      type: input.type ?? 'blank',
      template,
      status: 'drafting',
      statusChangedAt: null,
      deadline: null,
      language: input.language ?? 'en',
      translationOf: null,
    };
  }

  async createTranslation(input: NewTranslation): Promise<{ record: DocumentRecord } | { conflict: TranslationConflict }> {
    this.assertOpen();
    const t = input;
    const conflict = this.db.transaction((): TranslationConflict | null => {
      const source = this.stmts.getDoc.get(t.translationOf);
      if (!source) return { kind: 'no-source' };
      if (source.translation_of !== null) return { kind: 'source-is-translation', sourceId: source.translation_of as DocumentId };
      const taken = this.stmts.familyInLanguage.get(t.translationOf, t.language, t.translationOf, t.language);
      if (taken) return { kind: 'language-taken', documentId: taken.id as DocumentId };
      this.stmts.insertTranslation.run(
        t.id, t.title, t.now, t.now, t.ownerId, t.type, t.template?.id ?? null, t.template?.version ?? null, t.language, t.visibility, t.translationOf,
      );
      this.stmts.upsertMember.run(t.id, t.ownerId, 'owner', t.ownerId, t.now);
      for (const m of t.members) if (m.userId !== t.ownerId) this.stmts.upsertMember.run(t.id, m.userId, m.role, t.ownerId, t.now);
      for (const s of t.segments) this.stmts.upsertSegment.run(t.id, s.blockId, s.status, s.sourceHash, s.targetHash, s.setBy, s.setAt);
      this.stmts.insertAudit.run(t.translationOf, t.sourceAudit.actorId, t.sourceAudit.action, JSON.stringify(t.sourceAudit.details), t.now);
      this.stmts.insertAudit.run(t.id, t.translationAudit.actorId, t.translationAudit.action, JSON.stringify(t.translationAudit.details), t.now);
      return null;
    })();
    if (conflict) return { conflict };
    return { record: toRecord(this.stmts.getDoc.get(t.id)!) };
  }

  async listTranslations(sourceId: DocumentId): Promise<DocumentRecord[]> {
    this.assertOpen();
    return this.stmts.translationsOf.all(sourceId).map(toRecord);
  }

  async listSegments(id: DocumentId): Promise<SegmentRecord[]> {
    this.assertOpen();
    return this.stmts.listSegments.all(id).map(toSegment);
  }

  async setSegments(id: DocumentId, segments: readonly SegmentRecord[], audit: NewAuditEvent, now: number): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      for (const s of segments) this.stmts.upsertSegment.run(id, s.blockId, s.status, s.sourceHash, s.targetHash, s.setBy, s.setAt);
      this.stmts.insertAudit.run(id, audit.actorId, audit.action, JSON.stringify(audit.details), now);
    })();
  }

  async listDocumentsOf(userId: string, query: DocumentQuery = {}): Promise<Array<DocumentRecord & { role: Role }>> {
    this.assertOpen();
    if (!isFiltered(query)) return this.stmts.docsOf.all(userId).map((row) => ({ ...toRecord(row), role: row.role as Role }));
    return (this.listing(query, true).all({ ...listingParams(query), user: userId }) as Array<DocumentRow & { role: string }>).map((row) => ({
      ...toRecord(row),
      role: row.role as Role,
    }));
  }

  /** One prepared statement per shape of query (a handful), built from fixed fragments only. */
  private listing(query: DocumentQuery, ofUser: boolean): Statement {
    const where: string[] = [];
    if (ofUser) where.push('m.user_id = @user');
    if (query.type !== undefined) where.push('d.type = @type');
    if (query.status !== undefined) where.push('d.status = @status');
    if (query.deadlineUpTo !== undefined) where.push(`d.deadline IS NOT NULL AND d.deadline <= @deadlineUpTo AND d.status NOT IN ${DONE_SQL}`);
    const order =
      query.order !== 'deadline'
        ? 'd.updated_at DESC, d.id'
        : // Soonest deadline first puts the overdue first; a done document's deadline no longer counts.
          `(d.deadline IS NULL OR d.status IN ${DONE_SQL}),
           CASE WHEN d.status IN ${DONE_SQL} THEN NULL ELSE d.deadline END,
           d.updated_at DESC, d.id`;
    const sql = `SELECT d.*, t.name AS template_name${ofUser ? ', m.role' : ''} FROM documents d
      ${ofUser ? 'JOIN document_members m ON m.document_id = d.id' : ''} ${TEMPLATE_JOIN}
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}`;
    let stmt = this.listings.get(sql);
    if (!stmt) this.listings.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  async changeWorkflow(
    id: DocumentId,
    change: WorkflowChange,
    audit: readonly NewAuditEvent[],
    now: number,
  ): Promise<{ record: DocumentRecord; applied: boolean } | null> {
    this.assertOpen();
    return this.db.transaction(() => {
      const row = this.stmts.getDoc.get(id);
      if (!row) return null;
      if (change.status && row.status !== change.status.from) return { record: toRecord(row), applied: false };
      if (change.status && change.status.to !== change.status.from) this.stmts.setStatus.run(change.status.to, now, now, id);
      if (change.deadline !== undefined) this.stmts.setDeadline.run(change.deadline?.at ?? null, change.deadline?.timeZone ?? null, now, id);
      if (change.commentPeriod !== undefined) {
        this.stmts.setPeriod.run(change.commentPeriod?.opensAt ?? null, change.commentPeriod?.closesAt ?? null, now, id);
      }
      for (const event of audit) this.stmts.insertAudit.run(id, event.actorId, event.action, JSON.stringify(event.details), now);
      return { record: toRecord(this.stmts.getDoc.get(id)!), applied: true };
    })();
  }

  async setVisibility(id: DocumentId, visibility: Visibility, now: number): Promise<DocumentRecord | null> {
    this.assertOpen();
    return this.stmts.setVisibility.run(visibility, now, id).changes === 0 ? null : this.getDocument(id);
  }

  async setCommentPeriod(id: DocumentId, period: { opensAt: number; closesAt: number } | null, now: number): Promise<DocumentRecord | null> {
    this.assertOpen();
    const changed = this.stmts.setPeriod.run(period?.opensAt ?? null, period?.closesAt ?? null, now, id).changes;
    return changed === 0 ? null : this.getDocument(id);
  }

  async organisesEventOf(id: DocumentId, userId: string): Promise<boolean> {
    this.assertOpen();
    return this.stmts.organisesEventOf.get(userId, id, id) !== undefined;
  }

  async getMember(id: DocumentId, userId: string): Promise<MemberRecord | null> {
    this.assertOpen();
    const row = this.stmts.getMember.get(id, userId);
    return row ? toMember(row) : null;
  }

  async listMembers(id: DocumentId): Promise<MemberRecord[]> {
    this.assertOpen();
    return this.stmts.listMembers.all(id).map(toMember);
  }

  async setMember(id: DocumentId, member: { userId: string; role: Role; addedBy: string | null }, now: number, options: { keepAnOwner?: boolean } = {}): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      if (options.keepAnOwner && member.role !== 'owner') this.assertAnotherOwner(id, member.userId);
      this.stmts.upsertMember.run(id, member.userId, member.role, member.addedBy, now);
    })();
  }

  async removeMember(id: DocumentId, userId: string, options: { keepAnOwner?: boolean } = {}): Promise<boolean> {
    this.assertOpen();
    return this.db.transaction(() => {
      if (options.keepAnOwner) this.assertAnotherOwner(id, userId);
      return this.stmts.removeMember.run(id, userId).changes > 0;
    })();
  }

  /** Inside a write's transaction: the user may stop being an owner only if another owner member remains. */
  private assertAnotherOwner(id: DocumentId, userId: string): void {
    if (this.stmts.memberRole.get(id, userId)?.role !== 'owner') return;
    if ((this.stmts.otherOwners.get(id, userId)?.n ?? 0) === 0) throw new LastOwnerConflict();
  }

  async createInvite(invite: Omit<InviteRecord, 'revoked'> & { codeHash: string }): Promise<InviteRecord> {
    this.assertOpen();
    this.stmts.insertInvite.run(
      invite.id,
      invite.documentId,
      invite.codeHash,
      invite.role,
      invite.createdBy,
      invite.createdAt,
      invite.expiresAt,
    );
    const { codeHash: _code, ...rest } = invite;
    return { ...rest, revoked: false };
  }

  async listInvites(id: DocumentId, now: number): Promise<InviteRecord[]> {
    this.assertOpen();
    return this.stmts.listInvites.all(id, now).map(toInvite);
  }

  async findInvite(codeHash: string): Promise<InviteRecord | null> {
    this.assertOpen();
    const row = this.stmts.findInvite.get(codeHash);
    return row ? toInvite(row) : null;
  }

  async revokeInvite(id: DocumentId, inviteId: string, now: number): Promise<boolean> {
    this.assertOpen();
    return this.stmts.revokeInvite.run(now, id, inviteId).changes > 0;
  }

  async loadClientBindings(id: DocumentId): Promise<Map<number, string>> {
    this.assertOpen();
    return new Map(this.stmts.bindings.all(id).map((r) => [r.client_id, r.user_id]));
  }

  async getDocument(id: DocumentId): Promise<DocumentRecord | null> {
    this.assertOpen();
    const row = this.stmts.getDoc.get(id);
    return row ? toRecord(row) : null;
  }

  async listDocuments(query: DocumentQuery = {}): Promise<DocumentRecord[]> {
    this.assertOpen();
    if (!isFiltered(query)) return this.stmts.listDocs.all().map(toRecord);
    return (this.listing(query, false).all(listingParams(query)) as DocumentRow[]).map(toRecord);
  }

  async setLanguage(id: DocumentId, language: Locale, now: number): Promise<DocumentRecord | null> {
    this.assertOpen();
    return this.stmts.setLanguage.run(language, now, id).changes === 0 ? null : this.getDocument(id);
  }

  async renameDocument(id: DocumentId, title: string, now: number): Promise<DocumentRecord | null> {
    this.assertOpen();
    const info = this.stmts.renameDoc.run(title, now, id);
    return info.changes === 0 ? null : this.getDocument(id);
  }

  appendUpdates(id: DocumentId, updates: readonly NewUpdate[], now: number): Promise<{ lastSeq: number; statusMove?: StatusMove }> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('store is closed'));
        return;
      }
      this.queue.push({ id, updates, now, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Group commit: every append made in this tick shares one transaction (one fsync).
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let committed: Array<{ readonly items: readonly PendingAppend[]; readonly results: readonly AppendResult[] }>;
    try {
      committed = [{ items: batch, results: this.writeAppends(batch) }];
    } catch (error) {
      const byDocument = new Map<string, PendingAppend[]>();
      for (const item of batch) byDocument.set(item.id, [...(byDocument.get(item.id) ?? []), item]);
      if (byDocument.size === 1) {
        // The whole transaction rolled back: nothing of this batch is stored.
        for (const item of batch) item.reject(error);
        return;
      }
      // One document's failure must not fail the others' (SPEC S11): each document alone,
      // its appends in their order; only the failing one's writers hear of it (R6 retries them).
      committed = [];
      for (const items of byDocument.values()) {
        try {
          committed.push({ items, results: this.writeAppends(items) });
        } catch (alone) {
          for (const item of items) item.reject(alone);
        }
      }
    }
    if (committed.length === 0) return;
    const resolveAll = (): void => {
      for (const { items, results } of committed) items.forEach((item, i) => item.resolve(results[i] ?? { lastSeq: 0 }));
    };
    if (!this.log) {
      resolveAll();
      return;
    }
    // Committed, not yet on disk: resolved (acknowledged, broadcast) only once the WAL is synced —
    // by a sync started after this commit, and after every earlier batch resolved (order kept).
    const log = this.log;
    const synced = (async () => {
      log.fd ??= fs.openSync(log.walPath, 'r');
      await log.sync(log.fd);
    })();
    const previous = this.syncing ?? Promise.resolve();
    const done = Promise.allSettled([previous, synced]).then(([, mine]) => {
      if (mine.status === 'fulfilled') resolveAll();
      // Whether the data reached the disk is unknown: the appends fail (their writers hear of no ack).
      else for (const { items } of committed) for (const item of items) item.reject(mine.reason);
    });
    this.syncing = done;
    void done.finally(() => {
      if (this.syncing === done) this.syncing = null;
    });
  }

  /** Writes `items` in one transaction on the log's connection; throws (having written nothing) when it fails. */
  private writeAppends(items: readonly PendingAppend[]): AppendResult[] {
    const results: AppendResult[] = [];
    // Bindings written in this transaction: known once it commits.
    const bound: string[] = [];
    const s = this.logStmts;
    (this.log?.db ?? this.db).transaction(() => {
      const next = new Map<string, number>();
      const touched = new Map<string, number>();
      for (const item of items) {
        let seq = next.get(item.id) ?? (s.lastSeq.get(item.id)?.s ?? 0);
        const statusMove = this.reopenIfDone(s, item, seq + 1);
        for (const u of item.updates) {
          seq++;
          s.insertUpdate.run(item.id, seq, u.data, u.author, JSON.stringify(u.clientIds), item.now);
          if (u.author) {
            for (const c of u.clientIds) {
              // A client id is bound once per document (its first author keeps it): a binding this
              // store already wrote is not written again, which was most of a flush's writes.
              const key = `${item.id}\u0000${c}`;
              if (this.knownBindings.has(key)) continue;
              s.bind.run(item.id, c, u.author, item.now);
              bound.push(key);
            }
          }
          for (const m of u.markers ?? []) this.insertMarkerEvent(s, item.id, seq, u.author, m, item.now);
        }
        next.set(item.id, seq);
        results.push(statusMove ? { lastSeq: seq, statusMove } : { lastSeq: seq });
        touched.set(item.id, Math.max(item.now, touched.get(item.id) ?? 0));
      }
      // Each document's updated_at once per transaction, however many appends it had.
      for (const [docId, at] of touched) s.touchDoc.run(at, docId);
    })();
    if (this.knownBindings.size + bound.length > MAX_KNOWN_BINDINGS) this.knownBindings.clear();
    for (const key of bound) this.knownBindings.add(key);
    return results;
  }

  /**
   * An edit to a final or published document moves it to revising, in the
   * append's transaction, audited by the first update's author (SPEC WF5).
   */
  private reopenIfDone(s: LogStatements, item: PendingAppend, firstSeq: number): StatusMove | undefined {
    if (item.updates.length === 0) return undefined;
    const from = s.statusOf.get(item.id)?.status as DocumentStatus | undefined;
    if (from !== 'final' && from !== 'published') return undefined;
    const to: DocumentStatus = 'revising';
    s.setStatus.run(to, item.now, item.now, item.id);
    const details = { from, to, cause: 'edit', seq: firstSeq };
    s.insertAudit.run(item.id, item.updates[0]!.author, 'status.changed', JSON.stringify(details), item.now);
    return { from, to };
  }

  /** A marker event and its audit event (SPEC K1); runs inside the append's transaction. */
  private insertMarkerEvent(s: LogStatements, id: DocumentId, seq: number, actorId: string | null, m: NewMarkerEvent, now: number): void {
    const details = {
      blockId: m.blockId,
      level: m.marker?.level ?? null,
      previousLevel: m.previous?.level ?? null,
      ...(m.cause === 'block-deleted' ? { blockDeleted: true } : {}),
      seq,
    };
    if (m.blockId !== null) s.insertMarkerEvent.run(id, m.blockId, m.marker?.level ?? null, actorId, seq, now);
    s.insertAudit.run(id, actorId, m.marker ? 'marker.set' : 'marker.removed', JSON.stringify(details), now);
  }

  async latestMarkerEvents(id: DocumentId): Promise<MarkerEventRecord[]> {
    this.assertOpen();
    return this.stmts.latestMarkerEvents.all(id, id).map((r) => ({
      documentId: r.document_id as DocumentId,
      blockId: r.block_id,
      level: r.level,
      actorId: r.actor_id,
      seq: r.seq,
      createdAt: r.created_at,
    }));
  }

  async loadDocument(id: DocumentId): Promise<LoadedDocument> {
    this.assertOpen();
    return this.db.transaction((): LoadedDocument => {
      const cp = this.stmts.latestCheckpoint.get(id);
      const rows = this.stmts.updatesAfter.all(id, cp?.seq ?? 0);
      const lastRow = rows[rows.length - 1];
      return {
        checkpoint: cp ? { seq: cp.seq, data: new Uint8Array(cp.data) } : null,
        updates: rows.map(toStored),
        lastSeq: lastRow?.seq ?? cp?.seq ?? 0,
      };
    })();
  }

  async writeCheckpoint(id: DocumentId, seq: number, data: Uint8Array, now: number): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      this.stmts.insertCheckpoint.run(id, seq, data, now);
      this.stmts.pruneCheckpoints.run(id, id);
    })();
  }

  async historyStats(id: DocumentId): Promise<HistoryStats> {
    this.assertOpen();
    const u = this.stmts.updateStats.get(id);
    const c = this.stmts.checkpointStats.get(id);
    const h = this.stmts.historyCheckpointStats.get(id);
    return {
      updates: u?.n ?? 0,
      updateBytes: u?.bytes ?? 0,
      checkpoints: c?.n ?? 0,
      checkpointBytes: c?.bytes ?? 0,
      historyCheckpoints: h?.n ?? 0,
      historyCheckpointBytes: h?.bytes ?? 0,
    };
  }

  async lastSeq(id: DocumentId): Promise<number> {
    this.assertOpen();
    return this.stmts.lastSeq.get(id)?.s ?? 0;
  }

  async readLogRecords(id: DocumentId, afterSeq: number, uptoSeq: number): Promise<LogRecord[]> {
    this.assertOpen();
    return this.stmts.logRange.all(id, afterSeq, uptoSeq).map((r) => ({ ...toMeta(r), data: toBytes(r.data) }));
  }

  async listLogMeta(id: DocumentId, beforeSeq: number, limit: number): Promise<LogRecordMeta[]> {
    this.assertOpen();
    return this.stmts.logMeta.all(id, beforeSeq, limit).map(toMeta);
  }

  async writeHistoryCheckpoint(
    id: DocumentId,
    seq: number,
    data: Uint8Array,
    now: number,
    deletions?: { readonly fromSeq: number; readonly index: Uint8Array },
  ): Promise<void> {
    this.assertOpen();
    if (deletions && !(deletions.fromSeq >= 0 && deletions.fromSeq < seq)) throw new RangeError('deletions must cover records before seq');
    this.db.transaction(() => {
      const last = this.stmts.lastSeq.get(id)?.s ?? 0;
      if (seq < 1 || seq > last) throw new RangeError(`history checkpoint at seq ${seq}, but the log ends at ${last}`);
      // A second writer (a retry, another instance) computes the same bytes: keep the first.
      this.stmts.insertHistoryCheckpoint.run(id, seq, data, now, deletions?.fromSeq ?? null, deletions?.index ?? null);
    })();
  }

  async listHistoryDeletions(id: DocumentId, afterSeq: number, uptoSeq: number): Promise<Array<{ fromSeq: number; seq: number; index: Uint8Array }>> {
    this.assertOpen();
    return this.stmts.historyDeletions.all(id, afterSeq, uptoSeq).map((r) => ({ fromSeq: r.deletions_from, seq: r.seq, index: toBytes(r.deletions) }));
  }

  async historyCheckpointAtOrBefore(id: DocumentId, seq: number): Promise<{ seq: number; data: Uint8Array } | null> {
    this.assertOpen();
    const row = this.stmts.historyCheckpointAtOrBefore.get(id, seq);
    return row ? { seq: row.seq, data: toBytes(row.data) } : null;
  }

  async lastHistoryCheckpointSeq(id: DocumentId): Promise<number> {
    this.assertOpen();
    return this.stmts.lastHistoryCheckpoint.get(id)?.s ?? 0;
  }

  async createVersion(version: VersionRecord, audit: NewAuditEvent): Promise<VersionRecord> {
    this.assertOpen();
    this.db.transaction(() => {
      const last = this.stmts.lastSeq.get(version.documentId)?.s ?? 0;
      if (version.seq < 0 || version.seq > last) throw new RangeError(`version at seq ${version.seq}, but the log ends at ${last}`);
      this.stmts.insertVersion.run(
        version.id,
        version.documentId,
        version.seq,
        version.name,
        version.kind,
        version.restoredFrom,
        version.createdBy,
        version.createdAt,
      );
      this.stmts.insertAudit.run(version.documentId, audit.actorId, audit.action, JSON.stringify(audit.details), version.createdAt);
    })();
    return version;
  }

  async listVersions(id: DocumentId): Promise<VersionRecord[]> {
    this.assertOpen();
    return this.stmts.listVersions.all(id).map(toVersion);
  }

  async getVersion(id: DocumentId, versionId: string): Promise<VersionRecord | null> {
    this.assertOpen();
    const row = this.stmts.getVersion.get(id, versionId);
    return row ? toVersion(row) : null;
  }

  async appendAudit(id: DocumentId, event: NewAuditEvent, now: number): Promise<AuditRecord> {
    this.assertOpen();
    const info = this.stmts.insertAudit.run(id, event.actorId, event.action, JSON.stringify(event.details), now);
    return { id: Number(info.lastInsertRowid), documentId: id, ...event, createdAt: now };
  }

  async listAudit(id: DocumentId, options: { beforeId?: number; limit: number }): Promise<AuditRecord[]> {
    this.assertOpen();
    return this.stmts.listAudit.all(id, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit).map((r) => ({
      id: r.id,
      documentId: r.document_id as DocumentId,
      actorId: r.actor_id,
      action: r.action,
      details: JSON.parse(r.details) as Record<string, unknown>,
      createdAt: r.created_at,
    }));
  }

  async readLog(id: DocumentId, afterSeq = 0): Promise<StoredUpdate[]> {
    this.assertOpen();
    return this.stmts.updatesAfter.all(id, afterSeq).map(toStored);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1 FROM documents LIMIT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    // Appends committed but not yet synced resolve (or fail) before the connections close.
    while (this.syncing) await this.syncing;
    if (this.log) {
      if (this.log.fd !== null) fs.closeSync(this.log.fd);
      this.log.db.close();
    }
    if (this.ownsDb) this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id as DocumentId,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    schemaVersion: row.schema_version,
    ownerId: row.owner_id,
    visibility: row.visibility as Visibility,
    commentPeriod:
      row.comment_opens_at !== null && row.comment_closes_at !== null
        ? { opensAt: row.comment_opens_at, closesAt: row.comment_closes_at }
        : null,
    type: (DOCUMENT_TYPES as readonly string[]).includes(row.type) ? (row.type as DocumentType) : 'blank',
    template:
      row.template_id !== null && row.template_version !== null
        ? { id: row.template_id, version: row.template_version, name: row.template_name ?? row.template_id }
        : null,
    status: row.status as DocumentStatus,
    statusChangedAt: row.status_changed_at,
    deadline: row.deadline !== null && row.deadline_time_zone !== null ? { at: row.deadline, timeZone: row.deadline_time_zone } : null,
    language: Locale.safeParse(row.language).data ?? 'en',
    translationOf: row.translation_of as DocumentId | null,
  };
}

interface SegmentRow {
  document_id: string;
  block_id: string;
  status: string;
  source_hash: string | null;
  target_hash: string;
  set_by: string | null;
  set_at: number;
}

function toSegment(row: SegmentRow): SegmentRecord {
  return {
    blockId: row.block_id,
    status: SegmentStatus.safeParse(row.status).data ?? 'to-translate',
    sourceHash: row.source_hash,
    targetHash: row.target_hash,
    setBy: row.set_by,
    setAt: row.set_at,
  };
}

function isFiltered(query: DocumentQuery): boolean {
  return query.type !== undefined || query.status !== undefined || query.deadlineUpTo !== undefined || query.order === 'deadline';
}

/** Named parameters of a listing: only those its SQL uses (better-sqlite3 refuses unused ones). */
function listingParams(query: DocumentQuery): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  if (query.type !== undefined) params.type = query.type;
  if (query.status !== undefined) params.status = query.status;
  if (query.deadlineUpTo !== undefined) params.deadlineUpTo = query.deadlineUpTo;
  return params;
}

interface MemberRow {
  document_id: string;
  user_id: string;
  role: string;
  added_by: string | null;
  created_at: number;
}

function toMember(row: MemberRow): MemberRecord {
  return { userId: row.user_id, role: row.role as Role, addedBy: row.added_by, createdAt: row.created_at };
}

function toStored(row: { seq: number; data: Buffer }): StoredUpdate {
  return { seq: row.seq, data: toBytes(row.data) };
}

function toBytes(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

interface LogRow {
  seq: number;
  first_seq: number | null;
  data: Buffer;
  author: string | null;
  created_at: number;
}

function toMeta(row: Omit<LogRow, 'data'>): LogRecordMeta {
  return { firstSeq: row.first_seq ?? row.seq, seq: row.seq, author: row.author, createdAt: row.created_at };
}

interface VersionRow {
  id: string;
  document_id: string;
  seq: number;
  name: string;
  kind: string;
  restored_from: string | null;
  created_by: string;
  created_at: number;
}

function toVersion(row: VersionRow): VersionRecord {
  return {
    id: row.id,
    documentId: row.document_id as DocumentId,
    seq: row.seq,
    name: row.name,
    kind: row.kind as VersionKind,
    restoredFrom: row.restored_from,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

interface MarkerEventRow {
  id: number;
  document_id: string;
  block_id: string;
  level: string | null;
  actor_id: string | null;
  seq: number;
  created_at: number;
}

interface AuditRow {
  id: number;
  document_id: string;
  actor_id: string | null;
  action: string;
  details: string;
  created_at: number;
}

interface InviteRow {
  id: string;
  document_id: string;
  code_hash: string;
  role: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

function toInvite(row: InviteRow): InviteRecord {
  return {
    id: row.id,
    documentId: row.document_id as DocumentId,
    role: row.role as Role,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revoked: row.revoked_at !== null,
  };
}
