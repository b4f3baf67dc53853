import { DOCUMENT_TYPES, type DocumentId, type DocumentStatus, type DocumentType, Locale, type Role, SegmentStatus, type Visibility } from '@rapporteur/protocol';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { AppendLog, AppendResult } from '../appendLog';
import type {
  AuditRecord,
  CompactedRecord,
  CompactionStep,
  DocumentQuery,
  Fence,
  LeaseKind,
  DocumentRecord,
  DocumentStore,
  HistoryCheckpointGap,
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
  NewUpdate,
  SegmentRecord,
  StoredUpdate,
  TranslationConflict,
  VersionKind,
  VersionRecord,
  WorkflowChange,
} from '../DocumentStore';
import { LastOwnerConflict, LeaseLostError } from '../DocumentStore';
import { type OpenDatabaseOptions, openSqliteDatabase } from '../sqlite/openDatabase';
import { SqliteAppendLog, type SqliteAppendLogOptions } from '../sqlite/SqliteAppendLog';
import type { Database } from './Database';
import { logKey } from './logKey';
import { PostgresAppendLog, toBuffer } from './PostgresAppendLog';
import { prepare } from './prepared';
import type { Tables } from './tables';

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
  /** From the join with `templates`. */
  template_name: string | null;
  status: string;
  status_changed_at: number | null;
  deadline: number | null;
  deadline_time_zone: string | null;
  language: string;
  translation_of: string | null;
  compacted_seq: number;
}

/** A document's columns and the name of its template version. */
const SELECT_DOCUMENT = sql`SELECT d.*, t.name AS template_name FROM documents d
  LEFT JOIN templates t ON t.id = d.template_id AND t.version = d.template_version`;

/** Statuses an edit moves to revising (SPEC WF5); policy.ts `DONE_STATUSES`, as SQL. */
const DONE = sql`('final', 'published')`;

export interface SqlDocumentStoreOptions extends SqliteAppendLogOptions {
  /** The store closes the database when it closes (SqlDocumentStore.openSqlite). */
  readonly owns?: boolean;
}

/**
 * DocumentStore on SQLite or PostgreSQL (SPEC S1–S11), written once in SQL
 * both dialects share through Kysely's `sql` tag, except the update log's
 * appends (AppendLog: durability is reached differently). Hot reads are
 * compiled once (`prepare`).
 *
 * Transactions that decide on what they read (the last owner, a workflow
 * move, a translation's language, a version's seq) first lock the document's
 * row on PostgreSQL (`FOR UPDATE`): under READ COMMITTED two instances would
 * otherwise both pass the check (write skew). SQLite runs one transaction at
 * a time on its connection. On SQLite a transaction awaits nothing but its
 * own queries, so it ends within the turn it began in and the update log's
 * connection, which writes in a turn of its own, never waits on its lock.
 */
export class SqlDocumentStore implements DocumentStore {
  private readonly db: Kysely<Tables>;
  private readonly log: AppendLog;
  private closed = false;
  private readonly q;

  /** Opens (creating and migrating if needed) an SQLite database and returns a store that owns it. */
  static async openSqlite(options: OpenDatabaseOptions & SqliteAppendLogOptions): Promise<SqlDocumentStore> {
    const database = await openSqliteDatabase(options);
    return new SqlDocumentStore(database, { ...options, owns: true });
  }

  constructor(
    private readonly database: Database,
    private readonly options: SqlDocumentStoreOptions = {},
  ) {
    const db = (this.db = database.db);
    this.log = database.dialect === 'sqlite' ? new SqliteAppendLog(database.sqlite!, options) : new PostgresAppendLog(db, database.prepared!);
    this.q = {
      getDoc: prepare(db, 1, (id: string) => sql<DocumentRow>`${SELECT_DOCUMENT} WHERE d.id = ${id}`),
      getMember: prepare(db, 2, (id: string, userId: string) => sql<MemberRow>`SELECT * FROM document_members WHERE document_id = ${id} AND user_id = ${userId}`),
      lastSeq: prepare(db, 1, (id: string) => sql<{ s: number | null }>`SELECT MAX(seq) AS s FROM updates WHERE doc_key = ${logKey(id)}`),
      latestCheckpoint: prepare(db, 1, (id: string) =>
        sql<{ seq: number; data: Uint8Array }>`SELECT seq, data FROM checkpoints WHERE document_id = ${id} ORDER BY seq DESC LIMIT 1`,
      ),
      updatesAfter: prepare(db, 2, (id: string, after: number) =>
        sql<{ seq: number; data: Uint8Array }>`SELECT seq, data FROM updates WHERE doc_key = ${logKey(id)} AND seq > ${after} ORDER BY seq`,
      ),
      bindings: prepare(db, 1, (id: string) =>
        sql<{ client_id: number; user_id: string }>`SELECT client_id, user_id FROM client_bindings WHERE document_id = ${id}`,
      ),
    };
  }

  private async rows<T>(query: RawBuilder<unknown>, db: Kysely<Tables> = this.db): Promise<T[]> {
    return (await (query as RawBuilder<T>).execute(db)).rows;
  }

  private async changes(query: RawBuilder<unknown>, db: Kysely<Tables> = this.db): Promise<number> {
    return Number((await query.execute(db)).numAffectedRows ?? 0n);
  }

  private transaction<T>(work: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Inside a transaction: locks the document's row until it ends (PostgreSQL); its row, or null. */
  private async lockDocument(trx: Transaction<Tables>, id: string): Promise<DocumentRow | null> {
    const [row] = await this.rows<DocumentRow>(sql`${SELECT_DOCUMENT} WHERE d.id = ${id}${this.lockOf('d')}`, trx);
    return row ?? null;
  }

  /** `FOR UPDATE OF <table>` on PostgreSQL (the join's other table is not locked); nothing on SQLite. */
  private lockOf(table: string): RawBuilder<unknown> {
    return this.database.dialect === 'postgres' ? sql` FOR UPDATE OF ${sql.raw(table)}` : sql``;
  }

  private async insertAudit(trx: Kysely<Tables>, id: string, event: NewAuditEvent, now: number): Promise<void> {
    await sql`INSERT INTO audit_events (document_id, actor_id, action, details, created_at)
      VALUES (${id}, ${event.actorId}, ${event.action}, ${JSON.stringify(event.details)}, ${now})`.execute(trx);
  }

  private async upsertMember(trx: Kysely<Tables>, id: string, userId: string, role: Role, addedBy: string | null, now: number): Promise<void> {
    await sql`INSERT INTO document_members (document_id, user_id, role, added_by, created_at) VALUES (${id}, ${userId}, ${role}, ${addedBy}, ${now})
      ON CONFLICT (document_id, user_id) DO UPDATE SET role = excluded.role`.execute(trx);
  }

  private async upsertSegment(trx: Kysely<Tables>, id: string, s: SegmentRecord): Promise<void> {
    await sql`INSERT INTO translation_segments (document_id, block_id, status, source_hash, target_hash, set_by, set_at)
      VALUES (${id}, ${s.blockId}, ${s.status}, ${s.sourceHash}, ${s.targetHash}, ${s.setBy}, ${s.setAt})
      ON CONFLICT (document_id, block_id) DO UPDATE SET status = excluded.status, source_hash = excluded.source_hash,
        target_hash = excluded.target_hash, set_by = excluded.set_by, set_at = excluded.set_at`.execute(trx);
  }

  async createDocument(input: NewDocument): Promise<DocumentRecord> {
    this.assertOpen();
    const ownerId = input.ownerId ?? null;
    const template = input.template ?? null;
    const type = input.type ?? 'blank';
    const language = input.language ?? 'en';
    await this.transaction(async (trx) => {
      await sql`INSERT INTO documents (id, title, created_at, updated_at, owner_id, type, template_id, template_version, language)
        VALUES (${input.id}, ${input.title}, ${input.now}, ${input.now}, ${ownerId}, ${type}, ${template?.id ?? null}, ${template?.version ?? null}, ${language})`.execute(
        trx,
      );
      if (ownerId) await this.upsertMember(trx, input.id, ownerId, 'owner', ownerId, input.now);
    });
    return {
      id: input.id,
      title: input.title,
      createdAt: input.now,
      updatedAt: input.now,
      schemaVersion: 1,
      ownerId,
      visibility: 'private',
      commentPeriod: null,
      type,
      template,
      status: 'drafting',
      statusChangedAt: null,
      deadline: null,
      language,
      translationOf: null,
    };
  }

  async createTranslation(input: NewTranslation): Promise<{ record: DocumentRecord } | { conflict: TranslationConflict }> {
    this.assertOpen();
    const t = input;
    const conflict = await this.transaction(async (trx): Promise<TranslationConflict | null> => {
      // The source's lock serialises translations of one family: two of one language cannot both pass.
      const source = await this.lockDocument(trx, t.translationOf);
      if (!source) return { kind: 'no-source' };
      if (source.translation_of !== null) return { kind: 'source-is-translation', sourceId: source.translation_of as DocumentId };
      const [taken] = await this.rows<{ id: string }>(
        sql`SELECT id FROM documents WHERE (id = ${t.translationOf} AND language = ${t.language})
          OR (translation_of = ${t.translationOf} AND language = ${t.language}) LIMIT 1`,
        trx,
      );
      if (taken) return { kind: 'language-taken', documentId: taken.id as DocumentId };
      await sql`INSERT INTO documents (id, title, created_at, updated_at, owner_id, type, template_id, template_version, language, visibility, translation_of)
        VALUES (${t.id}, ${t.title}, ${t.now}, ${t.now}, ${t.ownerId}, ${t.type}, ${t.template?.id ?? null}, ${t.template?.version ?? null},
          ${t.language}, ${t.visibility}, ${t.translationOf})`.execute(trx);
      await this.upsertMember(trx, t.id, t.ownerId, 'owner', t.ownerId, t.now);
      for (const m of t.members) if (m.userId !== t.ownerId) await this.upsertMember(trx, t.id, m.userId, m.role, t.ownerId, t.now);
      for (const s of t.segments) await this.upsertSegment(trx, t.id, s);
      await this.insertAudit(trx, t.translationOf, t.sourceAudit, t.now);
      await this.insertAudit(trx, t.id, t.translationAudit, t.now);
      return null;
    });
    if (conflict) return { conflict };
    return { record: toRecord((await this.q.getDoc(t.id))[0]!) };
  }

  async listTranslations(sourceId: DocumentId): Promise<DocumentRecord[]> {
    this.assertOpen();
    return (await this.rows<DocumentRow>(sql`${SELECT_DOCUMENT} WHERE d.translation_of = ${sourceId} ORDER BY d.created_at, d.id`)).map(toRecord);
  }

  async listSegments(id: DocumentId): Promise<SegmentRecord[]> {
    this.assertOpen();
    return (await this.rows<SegmentRow>(sql`SELECT * FROM translation_segments WHERE document_id = ${id}`)).map(toSegment);
  }

  async setSegments(id: DocumentId, segments: readonly SegmentRecord[], audit: NewAuditEvent, now: number): Promise<void> {
    this.assertOpen();
    await this.transaction(async (trx) => {
      for (const s of segments) await this.upsertSegment(trx, id, s);
      await this.insertAudit(trx, id, audit, now);
    });
  }

  async listDocuments(query: DocumentQuery = {}): Promise<DocumentRecord[]> {
    this.assertOpen();
    return (await this.rows<DocumentRow>(this.listing(query, null))).map(toRecord);
  }

  async listDocumentsOf(userId: string, query: DocumentQuery = {}): Promise<Array<DocumentRecord & { role: Role }>> {
    this.assertOpen();
    return (await this.rows<DocumentRow & { role: string }>(this.listing(query, userId))).map((row) => ({ ...toRecord(row), role: row.role as Role }));
  }

  /** A listing (SPEC WF7, WF8) built from fixed fragments and values only. */
  private listing(query: DocumentQuery, userId: string | null): RawBuilder<unknown> {
    const where: RawBuilder<unknown>[] = [];
    if (userId !== null) where.push(sql`m.user_id = ${userId}`);
    if (query.type !== undefined) where.push(sql`d.type = ${query.type}`);
    if (query.status !== undefined) where.push(sql`d.status = ${query.status}`);
    if (query.deadlineUpTo !== undefined) {
      where.push(sql`d.deadline IS NOT NULL AND d.deadline <= ${query.deadlineUpTo} AND d.status NOT IN ${DONE}`);
    }
    const order =
      query.order !== 'deadline'
        ? sql`d.updated_at DESC, d.id`
        : // Soonest deadline first puts the overdue first; a done document's deadline no longer counts.
          sql`CASE WHEN d.deadline IS NULL OR d.status IN ${DONE} THEN 1 ELSE 0 END,
           CASE WHEN d.status IN ${DONE} THEN NULL ELSE d.deadline END,
           d.updated_at DESC, d.id`;
    return sql`SELECT d.*, t.name AS template_name${userId !== null ? sql`, m.role` : sql``} FROM documents d
      ${userId !== null ? sql`JOIN document_members m ON m.document_id = d.id` : sql``}
      LEFT JOIN templates t ON t.id = d.template_id AND t.version = d.template_version
      ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``} ORDER BY ${order}`;
  }

  async changeWorkflow(
    id: DocumentId,
    change: WorkflowChange,
    audit: readonly NewAuditEvent[],
    now: number,
  ): Promise<{ record: DocumentRecord; applied: boolean } | null> {
    this.assertOpen();
    return this.transaction(async (trx) => {
      const row = await this.lockDocument(trx, id);
      if (!row) return null;
      if (change.status && row.status !== change.status.from) return { record: toRecord(row), applied: false };
      if (change.status && change.status.to !== change.status.from) {
        await sql`UPDATE documents SET status = ${change.status.to}, status_changed_at = ${now}, updated_at = ${now} WHERE id = ${id}`.execute(trx);
      }
      if (change.deadline !== undefined) {
        await sql`UPDATE documents SET deadline = ${change.deadline?.at ?? null}, deadline_time_zone = ${change.deadline?.timeZone ?? null},
          updated_at = ${now} WHERE id = ${id}`.execute(trx);
      }
      if (change.commentPeriod !== undefined) {
        await sql`UPDATE documents SET comment_opens_at = ${change.commentPeriod?.opensAt ?? null},
          comment_closes_at = ${change.commentPeriod?.closesAt ?? null}, updated_at = ${now} WHERE id = ${id}`.execute(trx);
      }
      for (const event of audit) await this.insertAudit(trx, id, event, now);
      const [after] = await this.rows<DocumentRow>(sql`${SELECT_DOCUMENT} WHERE d.id = ${id}`, trx);
      return { record: toRecord(after!), applied: true };
    });
  }

  /** Runs an UPDATE of one document's row; the document after it, or null when there is no such document. */
  private async updateDocument(id: DocumentId, update: RawBuilder<unknown>): Promise<DocumentRecord | null> {
    this.assertOpen();
    return (await this.changes(update)) === 0 ? null : this.getDocument(id);
  }

  setVisibility(id: DocumentId, visibility: Visibility, now: number): Promise<DocumentRecord | null> {
    return this.updateDocument(id, sql`UPDATE documents SET visibility = ${visibility}, updated_at = ${now} WHERE id = ${id}`);
  }

  setCommentPeriod(id: DocumentId, period: { opensAt: number; closesAt: number } | null, now: number): Promise<DocumentRecord | null> {
    return this.updateDocument(
      id,
      sql`UPDATE documents SET comment_opens_at = ${period?.opensAt ?? null}, comment_closes_at = ${period?.closesAt ?? null},
        updated_at = ${now} WHERE id = ${id}`,
    );
  }

  setLanguage(id: DocumentId, language: Locale, now: number): Promise<DocumentRecord | null> {
    return this.updateDocument(id, sql`UPDATE documents SET language = ${language}, updated_at = ${now} WHERE id = ${id}`);
  }

  renameDocument(id: DocumentId, title: string, now: number): Promise<DocumentRecord | null> {
    return this.updateDocument(id, sql`UPDATE documents SET title = ${title}, updated_at = ${now} WHERE id = ${id}`);
  }

  async organisesEventOf(id: DocumentId, userId: string): Promise<boolean> {
    this.assertOpen();
    const rows = await this.rows<{ x: number }>(
      sql`SELECT 1 AS x FROM event_organisers o WHERE o.user_id = ${userId} AND o.event_id IN (
        SELECT event_id FROM event_sessions WHERE document_id = ${id}
        UNION ALL SELECT event_id FROM event_tracks WHERE messages_document_id = ${id}) LIMIT 1`,
    );
    return rows.length > 0;
  }

  async getDocument(id: DocumentId): Promise<DocumentRecord | null> {
    this.assertOpen();
    const [row] = await this.q.getDoc(id);
    return row ? toRecord(row) : null;
  }

  async getMember(id: DocumentId, userId: string): Promise<MemberRecord | null> {
    this.assertOpen();
    const [row] = await this.q.getMember(id, userId);
    return row ? toMember(row) : null;
  }

  async listMembers(id: DocumentId): Promise<MemberRecord[]> {
    this.assertOpen();
    return (await this.rows<MemberRow>(sql`SELECT * FROM document_members WHERE document_id = ${id} ORDER BY created_at, user_id`)).map(toMember);
  }

  async setMember(id: DocumentId, member: { userId: string; role: Role; addedBy: string | null }, now: number, options: { keepAnOwner?: boolean } = {}): Promise<void> {
    this.assertOpen();
    await this.transaction(async (trx) => {
      if (options.keepAnOwner && member.role !== 'owner') await this.assertAnotherOwner(trx, id, member.userId);
      await this.upsertMember(trx, id, member.userId, member.role, member.addedBy, now);
    });
  }

  async removeMember(id: DocumentId, userId: string, options: { keepAnOwner?: boolean } = {}): Promise<boolean> {
    this.assertOpen();
    return this.transaction(async (trx) => {
      if (options.keepAnOwner) await this.assertAnotherOwner(trx, id, userId);
      return (await this.changes(sql`DELETE FROM document_members WHERE document_id = ${id} AND user_id = ${userId}`, trx)) > 0;
    });
  }

  /**
   * Inside a write's transaction: the user may stop being an owner only if
   * another owner member remains. The document's lock makes two owners
   * demoting each other at once run one after the other (issue 15).
   */
  private async assertAnotherOwner(trx: Transaction<Tables>, id: DocumentId, userId: string): Promise<void> {
    await this.lockDocument(trx, id);
    const [self] = await this.rows<{ role: string }>(sql`SELECT role FROM document_members WHERE document_id = ${id} AND user_id = ${userId}`, trx);
    if (self?.role !== 'owner') return;
    const [others] = await this.rows<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM document_members WHERE document_id = ${id} AND role = 'owner' AND user_id <> ${userId}`,
      trx,
    );
    if (Number(others?.n ?? 0) === 0) throw new LastOwnerConflict();
  }

  async createInvite(invite: Omit<InviteRecord, 'revoked'> & { codeHash: string }): Promise<InviteRecord> {
    this.assertOpen();
    await sql`INSERT INTO invites (id, document_id, code_hash, role, created_by, created_at, expires_at)
      VALUES (${invite.id}, ${invite.documentId}, ${invite.codeHash}, ${invite.role}, ${invite.createdBy}, ${invite.createdAt}, ${invite.expiresAt})`.execute(
      this.db,
    );
    const { codeHash: _code, ...rest } = invite;
    return { ...rest, revoked: false };
  }

  async listInvites(id: DocumentId, now: number): Promise<InviteRecord[]> {
    this.assertOpen();
    return (
      await this.rows<InviteRow>(sql`SELECT * FROM invites WHERE document_id = ${id} AND revoked_at IS NULL AND expires_at > ${now} ORDER BY created_at, id`)
    ).map(toInvite);
  }

  async findInvite(codeHash: string): Promise<InviteRecord | null> {
    this.assertOpen();
    const [row] = await this.rows<InviteRow>(sql`SELECT * FROM invites WHERE code_hash = ${codeHash}`);
    return row ? toInvite(row) : null;
  }

  async revokeInvite(id: DocumentId, inviteId: string, now: number): Promise<boolean> {
    this.assertOpen();
    return (await this.changes(sql`UPDATE invites SET revoked_at = ${now} WHERE document_id = ${id} AND id = ${inviteId} AND revoked_at IS NULL`)) > 0;
  }

  async loadClientBindings(id: DocumentId): Promise<Map<number, string>> {
    this.assertOpen();
    return new Map((await this.q.bindings(id)).map((r) => [Number(r.client_id), r.user_id]));
  }

  async claimClientIds(id: DocumentId, userId: string, clientIds: readonly number[], now: number): Promise<Map<number, string>> {
    this.assertOpen();
    if (clientIds.length === 0) return new Map();
    // A concurrent claim of the same id waits on the key (PostgreSQL) and then does nothing: the owner read after is the winner.
    await sql`INSERT INTO client_bindings (document_id, client_id, user_id, created_at)
      VALUES ${sql.join(clientIds.map((c) => sql`(${id}, ${c}, ${userId}, ${now})`))} ON CONFLICT DO NOTHING`.execute(this.db);
    const rows = await this.rows<{ client_id: number; user_id: string }>(
      sql`SELECT client_id, user_id FROM client_bindings WHERE document_id = ${id} AND client_id IN (${sql.join([...clientIds])}) AND user_id <> ${userId}`,
    );
    return new Map(rows.map((r) => [Number(r.client_id), r.user_id]));
  }

  appendUpdates(id: DocumentId, updates: readonly NewUpdate[], now: number): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return this.log.append(id, updates, now);
  }

  async latestMarkerEvents(id: DocumentId): Promise<MarkerEventRecord[]> {
    this.assertOpen();
    const rows = await this.rows<MarkerEventRow>(
      sql`SELECT * FROM marker_events WHERE id IN (SELECT MAX(id) FROM marker_events WHERE document_id = ${id} GROUP BY block_id) AND document_id = ${id}`,
    );
    return rows.map((r) => ({
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
    // No transaction needed: rows are only ever replaced by compaction with one holding exactly
    // what they held (S2), so updates read after the checkpoint include every one it does not
    // cover (and perhaps more, or some appended since: applying them again changes nothing).
    const [cp] = await this.q.latestCheckpoint(id);
    const rows = await this.q.updatesAfter(id, cp?.seq ?? 0);
    const lastRow = rows[rows.length - 1];
    return {
      checkpoint: cp ? { seq: cp.seq, data: toBytes(cp.data) } : null,
      updates: rows.map(toStored),
      lastSeq: lastRow?.seq ?? cp?.seq ?? 0,
    };
  }

  async acquireLease(id: DocumentId, kind: LeaseKind, holder: string, now: number, ttlMs: number): Promise<number | null> {
    this.assertOpen();
    const [row] = await this.rows<{ token: number }>(
      sql`INSERT INTO leases (document_id, kind, holder, token, expires_at) VALUES (${id}, ${kind}, ${holder}, 1, ${now + ttlMs})
        ON CONFLICT (document_id, kind) DO UPDATE SET
          token = CASE WHEN leases.holder = excluded.holder THEN leases.token ELSE leases.token + 1 END,
          holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= ${now}
        RETURNING token`,
    );
    return row ? Number(row.token) : null;
  }

  /** Inside a write's transaction: the lease is still the fence's (its row locked until commit on PostgreSQL). */
  private async assertFence(trx: Transaction<Tables>, id: DocumentId, fence: Fence): Promise<void> {
    const lock = this.database.dialect === 'postgres' ? sql` FOR UPDATE` : sql``;
    const [held] = await this.rows<{ token: number }>(
      sql`SELECT token FROM leases WHERE document_id = ${id} AND kind = ${fence.kind} AND holder = ${fence.holder} AND token = ${fence.token}${lock}`,
      trx,
    );
    if (!held) throw new LeaseLostError(fence.kind);
  }

  async writeCheckpoint(id: DocumentId, seq: number, data: Uint8Array, now: number, fence?: Fence): Promise<void> {
    this.assertOpen();
    await this.transaction(async (trx) => {
      if (fence) await this.assertFence(trx, id, fence);
      await sql`INSERT INTO checkpoints (document_id, seq, data, created_at) VALUES (${id}, ${seq}, ${this.bytes(data)}, ${now})
        ON CONFLICT (document_id, seq) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`.execute(trx);
      // Checkpoints are a cache of the log, not history: only the newest is ever read (a load), so only it is kept.
      // (Two were kept until 2026-12-04: nothing read the older one, and it was the document's state once more on disk.)
      await sql`DELETE FROM checkpoints WHERE document_id = ${id} AND seq < (SELECT MAX(seq) FROM checkpoints WHERE document_id = ${id})`.execute(trx);
    });
  }

  async historyStats(id: DocumentId): Promise<HistoryStats> {
    this.assertOpen();
    const stats = async (table: string): Promise<{ n: number; bytes: number }> => {
      const key = table === 'updates' ? sql`doc_key = ${logKey(id)}` : sql`document_id = ${id}`;
      const [row] = await this.rows<{ n: number | string; bytes: number | string | null }>(
        sql`SELECT COUNT(*) AS n, SUM(LENGTH(data)) AS bytes FROM ${sql.table(table)} WHERE ${key}`,
      );
      return { n: Number(row?.n ?? 0), bytes: Number(row?.bytes ?? 0) };
    };
    const u = await stats('updates');
    const c = await stats('checkpoints');
    const h = await stats('history_checkpoints');
    return {
      updates: u.n,
      updateBytes: u.bytes,
      checkpoints: c.n,
      checkpointBytes: c.bytes,
      historyCheckpoints: h.n,
      historyCheckpointBytes: h.bytes,
    };
  }

  async lastSeq(id: DocumentId): Promise<number> {
    this.assertOpen();
    return (await this.q.lastSeq(id))[0]?.s ?? 0;
  }

  async readLog(id: DocumentId, afterSeq = 0): Promise<StoredUpdate[]> {
    this.assertOpen();
    return (await this.q.updatesAfter(id, afterSeq)).map(toStored);
  }

  async readLogRecords(id: DocumentId, afterSeq: number, uptoSeq: number, limit?: number): Promise<LogRecord[]> {
    this.assertOpen();
    const rows = await this.rows<LogRow>(
      sql`SELECT seq, first_seq, data, author, created_at, first_created_at FROM updates WHERE doc_key = ${logKey(id)} AND seq > ${afterSeq} AND seq <= ${uptoSeq}
        ORDER BY seq${limit !== undefined ? sql` LIMIT ${limit}` : sql``}`,
    );
    return rows.map((r) => ({ ...toMeta(r), data: toBytes(r.data) }));
  }

  async compactedSeq(id: DocumentId): Promise<number> {
    this.assertOpen();
    const [row] = await this.rows<{ compacted_seq: number }>(sql`SELECT compacted_seq FROM documents WHERE id = ${id}`);
    return Number(row?.compacted_seq ?? 0);
  }

  async compactionCandidates(cutoff: number, limit: number): Promise<DocumentId[]> {
    this.assertOpen();
    // One primary-key lookup per document: its first record not yet considered.
    const rows = await this.rows<{ id: string }>(
      sql`SELECT d.id FROM documents d JOIN updates u ON u.doc_key = d.log_key AND u.seq = d.compacted_seq + 1
        WHERE u.created_at < ${cutoff} LIMIT ${limit}`,
    );
    return rows.map((r) => r.id as DocumentId);
  }

  async compactLog(id: DocumentId, step: CompactionStep, fence?: Fence): Promise<boolean> {
    this.assertOpen();
    const spans = spansOfStep(step);
    return this.transaction(async (trx) => {
      // Locks the row appends, versions and other runs lock (PostgreSQL), then checks nothing moved.
      const doc = await this.lockDocument(trx, id);
      if (!doc || Number(doc.compacted_seq) !== step.fromSeq) return false;
      if (fence) await this.assertFence(trx, id, fence);
      if (spans.length > 0) {
        const versions = await this.rows<{ seq: number }>(
          sql`SELECT seq FROM versions WHERE document_id = ${id} AND seq > ${step.fromSeq} AND seq < ${step.throughSeq}`,
          trx,
        );
        if (versions.some((v) => spans.some((s) => s.firstSeq <= v.seq && v.seq < s.lastSeq))) return false;
      }
      for (const span of spans) {
        const removed = await this.changes(
          sql`DELETE FROM updates WHERE doc_key = ${logKey(id)} AND seq >= ${span.firstSeq} AND seq <= ${span.lastSeq} AND first_seq IS NULL`,
          trx,
        );
        // S2: a span's records hold exactly the single records of its range; anything else rolls the whole step back.
        if (removed !== span.lastSeq - span.firstSeq + 1) throw new Error(`compaction of ${span.firstSeq}..${span.lastSeq} found ${removed} single records`);
        for (const r of span.records) {
          await sql`INSERT INTO updates (doc_key, seq, data, author, created_at, first_seq, first_created_at)
            VALUES (${logKey(id)}, ${r.seq}, ${this.bytes(r.data)}, ${r.author}, ${r.createdAt}, ${r.firstSeq}, ${r.firstCreatedAt})`.execute(trx);
        }
        // A history checkpoint inside the range is a point the log no longer has (V2, V3).
        await sql`DELETE FROM history_checkpoints WHERE document_id = ${id} AND seq >= ${span.firstSeq} AND seq < ${span.lastSeq}`.execute(trx);
        await sql`UPDATE history_checkpoints SET deletions = NULL, deletions_from = NULL
          WHERE document_id = ${id} AND deletions_from >= ${span.firstSeq} AND deletions_from < ${span.lastSeq}`.execute(trx);
      }
      await sql`UPDATE documents SET compacted_seq = ${step.throughSeq} WHERE id = ${id}`.execute(trx);
      return true;
    });
  }

  async reclaimSpace(maxPages: number): Promise<number> {
    this.assertOpen();
    // PostgreSQL's autovacuum makes dead rows' space reusable; a database file made before 0018 has no auto-vacuum (README).
    if (this.database.dialect !== 'sqlite') return 0;
    const pragma = async (text: string): Promise<number> => Number(Object.values((await this.rows<Record<string, number>>(sql.raw(`PRAGMA ${text}`)))[0] ?? {})[0] ?? 0);
    if ((await pragma('auto_vacuum')) !== 2) return 0;
    const before = await pragma('freelist_count');
    if (before === 0) {
      // Done: the file shrinks when the WAL is checkpointed into it; do that now (the main connection syncs the
      // file before the WAL is reset, so nothing acknowledged depends on the WAL any more) and give the WAL back too.
      await sql.raw('PRAGMA wal_checkpoint(TRUNCATE)').execute(this.db);
      return 0;
    }
    await sql.raw(`PRAGMA incremental_vacuum(${Math.max(1, Math.floor(maxPages))})`).execute(this.db);
    return before - (await pragma('freelist_count'));
  }

  async listLogMeta(id: DocumentId, beforeSeq: number, limit: number): Promise<LogRecordMeta[]> {
    this.assertOpen();
    const rows = await this.rows<Omit<LogRow, 'data'>>(
      sql`SELECT seq, first_seq, author, created_at, first_created_at FROM updates WHERE doc_key = ${logKey(id)} AND seq < ${beforeSeq} ORDER BY seq DESC LIMIT ${limit}`,
    );
    return rows.map(toMeta);
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
    // The log's highest seq never goes down (compaction keeps each range's last seq), so no lock is needed.
    const last = await this.lastSeq(id);
    if (seq < 1 || seq > last) throw new RangeError(`history checkpoint at seq ${seq}, but the log ends at ${last}`);
    // A second writer (a retry, another instance) computes the same bytes: keep the first.
    await sql`INSERT INTO history_checkpoints (document_id, seq, data, created_at, deletions_from, deletions)
      VALUES (${id}, ${seq}, ${this.bytes(data)}, ${now}, ${deletions?.fromSeq ?? null}, ${deletions ? this.bytes(deletions.index) : null})
      ON CONFLICT DO NOTHING`.execute(this.db);
  }

  async listHistoryDeletions(id: DocumentId, afterSeq: number, uptoSeq: number): Promise<Array<{ fromSeq: number; seq: number; index: Uint8Array }>> {
    this.assertOpen();
    const rows = await this.rows<{ deletions_from: number; seq: number; deletions: Uint8Array }>(
      sql`SELECT deletions_from, seq, deletions FROM history_checkpoints
        WHERE document_id = ${id} AND deletions_from >= ${afterSeq} AND seq <= ${uptoSeq} AND deletions IS NOT NULL ORDER BY seq`,
    );
    return rows.map((r) => ({ fromSeq: r.deletions_from, seq: r.seq, index: toBytes(r.deletions) }));
  }

  async historyCheckpointSpacing(id: DocumentId, uptoSeq: number): Promise<HistoryCheckpointGap[]> {
    this.assertOpen();
    const rows = await this.rows<{ seq: number; n: number | string; bytes: number | string | null; version: number | string }>(
      sql`SELECT h.seq AS seq, COUNT(u.seq) AS n, SUM(LENGTH(u.data)) AS bytes,
          CASE WHEN EXISTS (SELECT 1 FROM versions v WHERE v.document_id = h.document_id AND v.seq = h.seq) THEN 1 ELSE 0 END AS version
        FROM history_checkpoints h
        LEFT JOIN updates u ON u.doc_key = ${logKey(id)} AND u.seq <= h.seq
          AND u.seq > COALESCE((SELECT MAX(p.seq) FROM history_checkpoints p WHERE p.document_id = h.document_id AND p.seq < h.seq), 0)
        WHERE h.document_id = ${id} AND h.seq <= ${uptoSeq}
        GROUP BY h.document_id, h.seq ORDER BY h.seq`,
    );
    return rows.map((r) => ({ seq: Number(r.seq), records: Number(r.n), bytes: Number(r.bytes ?? 0), version: Number(r.version) === 1 }));
  }

  async dropHistoryCheckpoints(id: DocumentId, seqs: readonly number[], fence?: Fence): Promise<number> {
    this.assertOpen();
    if (seqs.length === 0) return 0;
    return this.transaction(async (trx) => {
      if (fence) await this.assertFence(trx, id, fence);
      return this.changes(
        sql`DELETE FROM history_checkpoints WHERE document_id = ${id} AND seq IN (${sql.join(seqs.map((s) => sql`${s}`))})
          AND seq NOT IN (SELECT seq FROM versions WHERE document_id = ${id})`,
        trx,
      );
    });
  }

  async historyCheckpointAtOrBefore(id: DocumentId, seq: number): Promise<{ seq: number; data: Uint8Array } | null> {
    this.assertOpen();
    const [row] = await this.rows<{ seq: number; data: Uint8Array }>(
      sql`SELECT seq, data FROM history_checkpoints WHERE document_id = ${id} AND seq <= ${seq} ORDER BY seq DESC LIMIT 1`,
    );
    return row ? { seq: row.seq, data: toBytes(row.data) } : null;
  }

  async lastHistoryCheckpointSeq(id: DocumentId): Promise<number> {
    this.assertOpen();
    const [row] = await this.rows<{ s: number | null }>(sql`SELECT MAX(seq) AS s FROM history_checkpoints WHERE document_id = ${id}`);
    return row?.s ?? 0;
  }

  async createVersion(version: VersionRecord, audit: NewAuditEvent): Promise<VersionRecord> {
    this.assertOpen();
    await this.transaction(async (trx) => {
      // The lock orders concurrent versions of one document, so their positions differ.
      await this.lockDocument(trx, version.documentId);
      const [last] = await this.rows<{ s: number | null }>(sql`SELECT MAX(seq) AS s FROM updates WHERE doc_key = ${logKey(version.documentId)}`, trx);
      const end = last?.s ?? 0;
      if (version.seq < 0 || version.seq > end) throw new RangeError(`version at seq ${version.seq}, but the log ends at ${end}`);
      // Records are contiguous, so only the first one after the point can cover it (one primary-key lookup).
      const [next] = await this.rows<{ seq: number; first_seq: number | null }>(
        sql`SELECT seq, first_seq FROM updates WHERE doc_key = ${logKey(version.documentId)} AND seq > ${version.seq} ORDER BY seq LIMIT 1`,
        trx,
      );
      if (next?.first_seq != null && next.first_seq <= version.seq) {
        throw new RangeError(`version at seq ${version.seq}, inside the compacted record ending at ${next.seq}`);
      }
      await sql`INSERT INTO versions (id, document_id, seq, name, kind, restored_from, created_by, created_at, position)
        VALUES (${version.id}, ${version.documentId}, ${version.seq}, ${version.name}, ${version.kind}, ${version.restoredFrom},
          ${version.createdBy}, ${version.createdAt},
          (SELECT COALESCE(MAX(v.position), 0) + 1 FROM versions v WHERE v.document_id = ${version.documentId}))`.execute(trx);
      await this.insertAudit(trx, version.documentId, audit, version.createdAt);
    });
    return version;
  }

  async listVersions(id: DocumentId): Promise<VersionRecord[]> {
    this.assertOpen();
    return (
      await this.rows<VersionRow>(sql`SELECT * FROM versions WHERE document_id = ${id} ORDER BY seq DESC, created_at DESC, position DESC`)
    ).map(toVersion);
  }

  async getVersion(id: DocumentId, versionId: string): Promise<VersionRecord | null> {
    this.assertOpen();
    const [row] = await this.rows<VersionRow>(sql`SELECT * FROM versions WHERE document_id = ${id} AND id = ${versionId}`);
    return row ? toVersion(row) : null;
  }

  async appendAudit(id: DocumentId, event: NewAuditEvent, now: number): Promise<AuditRecord> {
    this.assertOpen();
    const [row] = await this.rows<{ id: number }>(
      sql`INSERT INTO audit_events (document_id, actor_id, action, details, created_at)
        VALUES (${id}, ${event.actorId}, ${event.action}, ${JSON.stringify(event.details)}, ${now}) RETURNING id`,
    );
    return { id: Number(row!.id), documentId: id, ...event, createdAt: now };
  }

  async listAudit(id: DocumentId, options: { beforeId?: number; limit: number }): Promise<AuditRecord[]> {
    this.assertOpen();
    const rows = await this.rows<AuditRow>(
      sql`SELECT * FROM audit_events WHERE document_id = ${id}${options.beforeId !== undefined ? sql` AND id < ${options.beforeId}` : sql``}
        ORDER BY id DESC LIMIT ${options.limit}`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      documentId: r.document_id as DocumentId,
      actorId: r.actor_id,
      action: r.action,
      details: JSON.parse(r.details) as Record<string, unknown>,
      createdAt: r.created_at,
    }));
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await sql`SELECT 1 FROM documents LIMIT 1`.execute(this.db);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends queued or committed but not yet durable resolve (or fail) before the connections close.
    await this.log.close();
    if (this.options.owns) await this.database.close();
  }

  /** Bytes as the driver takes them. */
  private bytes(data: Uint8Array): Uint8Array {
    return this.database.dialect === 'postgres' ? toBuffer(data) : data;
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

function toStored(row: { seq: number; data: Uint8Array }): StoredUpdate {
  return { seq: row.seq, data: toBytes(row.data) };
}

/** A plain view of the driver's Buffer. */
function toBytes(data: Uint8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

interface LogRow {
  seq: number;
  first_seq: number | null;
  data: Uint8Array;
  author: string | null;
  created_at: number;
  first_created_at: number | null;
}

function toMeta(row: Omit<LogRow, 'data'>): LogRecordMeta {
  return { firstSeq: row.first_seq ?? row.seq, seq: row.seq, author: row.author, createdAt: row.created_at, firstCreatedAt: row.first_created_at ?? row.created_at };
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

/**
 * A compaction step's records as spans (SPEC S2): the records sharing a
 * `firstSeq`, one per author, the last ending the span; a span of one record
 * covers more than one seq. Spans in order, within `fromSeq < seq <= throughSeq`.
 */
function spansOfStep(step: CompactionStep): Array<{ firstSeq: number; lastSeq: number; records: CompactedRecord[] }> {
  const spans: Array<{ firstSeq: number; lastSeq: number; records: CompactedRecord[]; authors: Set<string | null> }> = [];
  const wrong = (r: CompactedRecord): RangeError => new RangeError(`compacted record ${r.firstSeq}..${r.seq} is not within ${step.fromSeq}..${step.throughSeq} in order, one per author of its span`);
  for (const r of step.records) {
    const span = spans[spans.length - 1];
    if (span && r.firstSeq === span.firstSeq) {
      if (!(r.seq > span.lastSeq) || span.authors.has(r.author)) throw wrong(r);
      span.lastSeq = r.seq;
      span.records.push(r);
      span.authors.add(r.author);
      continue;
    }
    if (!(r.firstSeq > (span?.lastSeq ?? step.fromSeq) && r.seq >= r.firstSeq)) throw wrong(r);
    spans.push({ firstSeq: r.firstSeq, lastSeq: r.seq, records: [r], authors: new Set([r.author]) });
  }
  for (const span of spans) {
    if (span.lastSeq === span.firstSeq || span.lastSeq > step.throughSeq) throw wrong(span.records[span.records.length - 1]!);
  }
  return spans;
}
