import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../dialect';
import { LEGACY_SQLITE_VERSION, legacySqliteMigrations } from './legacySqliteMigrations';

/** Runs multi-statement SQL on the SQLite connection the migration runs on (better-sqlite3's `exec`). */
export type LegacyExec = (sql: string) => void;

/**
 * Migration 0015: the whole schema as the SQLite runner's migrations 1–15
 * left it, written once in Kysely's schema builder for both dialects.
 *
 * On SQLite a database made by that runner (it has `schema_migrations`) is
 * adopted instead of created: the frozen legacy migrations it lacks are run
 * first, then `schema_migrations` is dropped, so from here on Kysely's
 * migration table is the only record. A fresh SQLite database gets the same
 * schema (tests compare the two).
 *
 * Dialect branches, and only these: integers are `bigint` on PostgreSQL (times
 * in ms, Yjs client ids); bytes are `blob`/`bytea`; the two AUTOINCREMENT ids
 * are identity columns; `WITHOUT ROWID` is SQLite's; e-mail addresses compare
 * without case through SQLite's NOCASE collation and, on PostgreSQL, through
 * a unique index on lower(email). Booleans are integers 0/1 on both, so store
 * code is the same.
 */
export function baselineMigration(dialect: Dialect, legacyExec: LegacyExec | null): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'sqlite' && (await hasLegacyRunner(db))) {
        if (!legacyExec) throw new Error('adopting a database of the SQLite runner needs its connection');
        await adoptLegacy(db, legacyExec);
        return;
      }
      await createSchema(db, dialect);
    },
  };
}

async function hasLegacyRunner(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`.execute(db);
  return rows.length > 0;
}

async function adoptLegacy(db: Kysely<unknown>, exec: LegacyExec): Promise<void> {
  const { rows } = await sql<{ version: number }>`SELECT version FROM schema_migrations`.execute(db);
  const applied = new Set(rows.map((r) => r.version));
  const newest = Math.max(0, ...applied);
  if (newest > LEGACY_SQLITE_VERSION) {
    throw new Error(`the database is at schema version ${newest}, newer than this Rapporteur knows (${LEGACY_SQLITE_VERSION})`);
  }
  for (const m of legacySqliteMigrations) if (!applied.has(m.version)) exec(m.sql);
  await sql`DROP TABLE schema_migrations`.execute(db);
}

async function createSchema(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  const int = pg ? 'bigint' : 'integer';
  const bytes = pg ? 'bytea' : 'blob';
  type Col = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  const notNull: Col = (c) => c.notNull();
  const pk: Col = (c) => c.primaryKey();
  const ref =
    (target: string, required = false): Col =>
    (c) => (required ? c.notNull().references(target) : c.references(target));
  /** SQLite keeps these tables in their primary key's order (no rowid). */
  const withoutRowid = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) => (pg ? t : t.modifyEnd(sql`without rowid`));
  /** An integer id the database assigns in insertion order. */
  const serialId: Col = (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement());
  const s = db.schema;

  await s
    .createTable('users')
    .addColumn('id', 'text', pk)
    .addColumn('email', 'text', (c) => (pg ? c.notNull() : c.notNull().unique().modifyEnd(sql`collate nocase`)))
    .addColumn('password_hash', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('organisation', 'text')
    .addColumn('country', 'text')
    .addColumn('stakeholder_group', 'text', notNull)
    .addColumn('region', 'text', notNull)
    .addColumn('gender', 'text')
    .addColumn('youth', int)
    .addColumn('first_time', int)
    .addColumn('show_demographics', int, (c) => c.notNull().defaultTo(0))
    .addColumn('is_admin', int, (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', int, notNull)
    .addColumn('updated_at', int, notNull)
    .addColumn('locale', 'text')
    .execute();
  if (pg) await s.createIndex('users_email_lower').unique().on('users').expression(sql`lower(email)`).execute();

  await s
    .createTable('documents')
    .addColumn('id', 'text', pk)
    .addColumn('title', 'text', notNull)
    .addColumn('created_at', int, notNull)
    .addColumn('updated_at', int, notNull)
    .addColumn('schema_version', int, (c) => c.notNull().defaultTo(1))
    .addColumn('owner_id', 'text', ref('users.id'))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('private'))
    .addColumn('comment_opens_at', int)
    .addColumn('comment_closes_at', int)
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('blank'))
    .addColumn('template_id', 'text')
    .addColumn('template_version', int)
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('drafting'))
    .addColumn('status_changed_at', int)
    .addColumn('deadline', int)
    .addColumn('deadline_time_zone', 'text')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('translation_of', 'text', ref('documents.id'))
    .execute();
  await s.createIndex('documents_updated_at').on('documents').column('updated_at desc').execute();
  await s.createIndex('documents_status').on('documents').columns(['status', 'updated_at desc']).execute();
  await s.createIndex('documents_deadline').on('documents').column('deadline').where(sql.ref('deadline'), 'is not', null).execute();
  await s
    .createIndex('documents_translation_of')
    .on('documents')
    .column('translation_of')
    .where(sql.ref('translation_of'), 'is not', null)
    .execute();

  // Append-only: rows are never updated or deleted (SPEC S2).
  await withoutRowid(
    s
      .createTable('updates')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('seq', int, notNull)
      .addColumn('data', bytes, notNull)
      .addColumn('author', 'text')
      .addColumn('client_ids', 'text', notNull)
      .addColumn('created_at', int, notNull)
      .addColumn('first_seq', int)
      .addPrimaryKeyConstraint('updates_pk', ['document_id', 'seq']),
  ).execute();

  await withoutRowid(
    s
      .createTable('checkpoints')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('seq', int, notNull)
      .addColumn('data', bytes, notNull)
      .addColumn('created_at', int, notNull)
      .addPrimaryKeyConstraint('checkpoints_pk', ['document_id', 'seq']),
  ).execute();

  await s
    .createTable('sessions')
    .addColumn('id', 'text', pk)
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', ref('users.id', true))
    .addColumn('created_at', int, notNull)
    .addColumn('expires_at', int, notNull)
    .addColumn('revoked_at', int)
    .execute();
  await s.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await s
    .createTable('access_tokens')
    .addColumn('id', 'text', pk)
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', ref('users.id', true))
    .addColumn('name', 'text', notNull)
    .addColumn('created_at', int, notNull)
    .addColumn('last_used_at', int)
    .addColumn('revoked_at', int)
    .execute();
  await s.createIndex('access_tokens_user').on('access_tokens').column('user_id').execute();

  await s.createTable('settings').addColumn('key', 'text', pk).addColumn('value', 'text', notNull).execute();

  await withoutRowid(
    s
      .createTable('document_members')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('user_id', 'text', ref('users.id', true))
      .addColumn('role', 'text', notNull)
      .addColumn('added_by', 'text', ref('users.id'))
      .addColumn('created_at', int, notNull)
      .addPrimaryKeyConstraint('document_members_pk', ['document_id', 'user_id']),
  ).execute();
  await s.createIndex('document_members_user').on('document_members').column('user_id').execute();

  await s
    .createTable('invites')
    .addColumn('id', 'text', pk)
    .addColumn('document_id', 'text', ref('documents.id', true))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', notNull)
    .addColumn('created_by', 'text', ref('users.id', true))
    .addColumn('created_at', int, notNull)
    .addColumn('expires_at', int, notNull)
    .addColumn('revoked_at', int)
    .execute();
  await s.createIndex('invites_document').on('invites').column('document_id').execute();

  // user_id has no foreign key, like updates.author: authorship outlives the account row.
  await withoutRowid(
    s
      .createTable('client_bindings')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('client_id', int, notNull)
      .addColumn('user_id', 'text', notNull)
      .addColumn('created_at', int, notNull)
      .addPrimaryKeyConstraint('client_bindings_pk', ['document_id', 'client_id']),
  ).execute();

  await s
    .createTable('comments')
    .addColumn('id', 'text', pk)
    .addColumn('document_id', 'text', ref('documents.id', true))
    .addColumn('parent_id', 'text', ref('comments.id'))
    .addColumn('author_id', 'text', notNull)
    .addColumn('author_name', 'text', notNull)
    .addColumn('author_organisation', 'text')
    .addColumn('author_stakeholder_group', 'text', notNull)
    .addColumn('author_region', 'text', notNull)
    .addColumn('client_key', 'text')
    .addColumn('anchor', 'text')
    .addColumn('body', 'text', notNull)
    .addColumn('suggestion', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('response', 'text')
    .addColumn('disposed_by', 'text')
    .addColumn('disposed_by_name', 'text')
    .addColumn('disposed_at', int)
    .addColumn('hidden_reason', 'text')
    .addColumn('hidden_by', 'text')
    .addColumn('hidden_at', int)
    .addColumn('created_at', int, notNull)
    .addColumn('updated_at', int, notNull)
    .addColumn('edited_at', int)
    .execute();
  await s.createIndex('comments_document').on('comments').columns(['document_id', 'created_at']).execute();
  await s
    .createIndex('comments_client_key')
    .unique()
    .on('comments')
    .columns(['document_id', 'author_id', 'client_key'])
    .where(sql.ref('client_key'), 'is not', null)
    .execute();

  await withoutRowid(
    s
      .createTable('comment_events')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('seq', int, notNull)
      .addColumn('type', 'text', notNull)
      .addColumn('comment_id', 'text', ref('comments.id', true))
      .addColumn('actor_id', 'text')
      .addColumn('detail', 'text')
      .addColumn('created_at', int, notNull)
      .addPrimaryKeyConstraint('comment_events_pk', ['document_id', 'seq']),
  ).execute();

  await s
    .createTable('notifications')
    .addColumn('id', 'text', pk)
    .addColumn('user_id', 'text', ref('users.id', true))
    .addColumn('kind', 'text', notNull)
    .addColumn('document_id', 'text', ref('documents.id', true))
    .addColumn('comment_id', 'text', ref('comments.id', true))
    .addColumn('actor_id', 'text')
    .addColumn('created_at', int, notNull)
    .addColumn('read_at', int)
    .execute();
  await s.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at desc']).execute();

  await s
    .createTable('password_resets')
    .addColumn('id', 'text', pk)
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', ref('users.id', true))
    .addColumn('via', 'text', notNull)
    .addColumn('created_by', 'text', ref('users.id'))
    .addColumn('created_at', int, notNull)
    .addColumn('expires_at', int, notNull)
    .addColumn('used_at', int)
    .execute();
  await s.createIndex('password_resets_user').on('password_resets').column('user_id').where(sql.ref('used_at'), 'is', null).execute();

  await s
    .createTable('versions')
    .addColumn('id', 'text', pk)
    .addColumn('document_id', 'text', ref('documents.id', true))
    .addColumn('seq', int, notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('restored_from', 'text')
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', int, notNull)
    .execute();
  await s.createIndex('versions_document').on('versions').columns(['document_id', 'seq']).execute();

  await withoutRowid(
    s
      .createTable('history_checkpoints')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('seq', int, notNull)
      .addColumn('data', bytes, notNull)
      .addColumn('created_at', int, notNull)
      .addColumn('deletions_from', int)
      .addColumn('deletions', bytes)
      .addPrimaryKeyConstraint('history_checkpoints_pk', ['document_id', 'seq']),
  ).execute();

  await s
    .createTable('audit_events')
    .addColumn('id', 'integer', serialId)
    .addColumn('document_id', 'text', ref('documents.id', true))
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', notNull)
    .addColumn('details', 'text', notNull)
    .addColumn('created_at', int, notNull)
    .execute();
  await s.createIndex('audit_events_document').on('audit_events').columns(['document_id', 'id']).execute();

  await withoutRowid(
    s
      .createTable('templates')
      .addColumn('id', 'text', notNull)
      .addColumn('version', int, notNull)
      .addColumn('type', 'text', notNull)
      .addColumn('name', 'text', notNull)
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('content', 'text', notNull)
      .addColumn('created_at', int, notNull)
      .addColumn('created_by', 'text', ref('users.id'))
      .addPrimaryKeyConstraint('templates_pk', ['id', 'version']),
  ).execute();

  await s
    .createTable('marker_events')
    .addColumn('id', 'integer', serialId)
    .addColumn('document_id', 'text', ref('documents.id', true))
    .addColumn('block_id', 'text', notNull)
    .addColumn('level', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('seq', int, notNull)
    .addColumn('created_at', int, notNull)
    .execute();
  await s.createIndex('marker_events_block').on('marker_events').columns(['document_id', 'block_id', 'id']).execute();

  await withoutRowid(
    s
      .createTable('publications')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('number', int, notNull)
      .addColumn('version_id', 'text', notNull)
      .addColumn('title', 'text', notNull)
      .addColumn('note', 'text')
      .addColumn('public', int, notNull)
      .addColumn('include_dispositions', int, notNull)
      .addColumn('corrects', int)
      .addColumn('published_at', int, notNull)
      .addColumn('published_by', 'text', ref('users.id'))
      .addColumn('withdrawn_at', int)
      .addColumn('withdrawn_by', 'text', ref('users.id'))
      .addColumn('withdrawn_reason', 'text')
      .addPrimaryKeyConstraint('publications_pk', ['document_id', 'number']),
  ).execute();

  await withoutRowid(
    s
      .createTable('publication_files')
      .addColumn('document_id', 'text', notNull)
      .addColumn('number', int, notNull)
      .addColumn('format', 'text', notNull)
      .addColumn('content_type', 'text', notNull)
      .addColumn('body', bytes, notNull)
      .addPrimaryKeyConstraint('publication_files_pk', ['document_id', 'number', 'format'])
      .addForeignKeyConstraint('publication_files_publication', ['document_id', 'number'], 'publications', ['document_id', 'number']),
  ).execute();

  await s
    .createTable('events')
    .addColumn('id', 'text', pk)
    .addColumn('name', 'text', notNull)
    .addColumn('starts_on', 'text', notNull)
    .addColumn('ends_on', 'text', notNull)
    .addColumn('time_zone', 'text', notNull)
    .addColumn('report_deadline_hours', int, (c) => c.notNull().defaultTo(24))
    .addColumn('public', int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', ref('users.id'))
    .addColumn('created_at', int, notNull)
    .addColumn('updated_at', int, notNull)
    .execute();

  await withoutRowid(
    s
      .createTable('event_tracks')
      .addColumn('event_id', 'text', ref('events.id', true))
      .addColumn('id', 'text', notNull)
      .addColumn('name', 'text', notNull)
      .addColumn('position', int, notNull)
      .addColumn('messages_document_id', 'text', ref('documents.id'))
      .addPrimaryKeyConstraint('event_tracks_pk', ['event_id', 'id']),
  ).execute();
  await s
    .createIndex('event_tracks_messages')
    .on('event_tracks')
    .column('messages_document_id')
    .where(sql.ref('messages_document_id'), 'is not', null)
    .execute();

  await withoutRowid(
    s
      .createTable('event_organisers')
      .addColumn('event_id', 'text', ref('events.id', true))
      .addColumn('user_id', 'text', ref('users.id', true))
      .addColumn('added_by', 'text', ref('users.id'))
      .addColumn('created_at', int, notNull)
      .addPrimaryKeyConstraint('event_organisers_pk', ['event_id', 'user_id']),
  ).execute();
  await s.createIndex('event_organisers_user').on('event_organisers').column('user_id').execute();

  await s
    .createTable('event_sessions')
    .addColumn('id', 'text', pk)
    .addColumn('event_id', 'text', ref('events.id', true))
    .addColumn('code', 'text', notNull)
    .addColumn('title', 'text', notNull)
    .addColumn('type', 'text', notNull)
    .addColumn('track_id', 'text', notNull)
    .addColumn('starts_at', int, notNull)
    .addColumn('ends_at', int, notNull)
    .addColumn('organisers', 'text', notNull)
    .addColumn('speakers', 'text', notNull)
    .addColumn('document_id', 'text', (c) => c.notNull().unique().references('documents.id'))
    .addColumn('prefill_seq', int, notNull)
    .addColumn('rule_deadline', int, notNull)
    .addColumn('created_at', int, notNull)
    .addColumn('updated_at', int, notNull)
    .addUniqueConstraint('event_sessions_code', ['event_id', 'code'])
    .addForeignKeyConstraint('event_sessions_track', ['event_id', 'track_id'], 'event_tracks', ['event_id', 'id'])
    .execute();

  // PostgreSQL has no NOCASE: the key compares the address with its case there, which is the same
  // because addresses arrive lower-cased (the protocol's Email).
  await withoutRowid(
    s
      .createTable('session_rapporteurs')
      .addColumn('session_id', 'text', ref('event_sessions.id', true))
      .addColumn('email', 'text', (c) => (pg ? c.notNull() : c.notNull().modifyEnd(sql`collate nocase`)))
      .addColumn('position', int, notNull)
      .addColumn('user_id', 'text', ref('users.id'))
      .addColumn('invite_id', 'text', ref('invites.id'))
      .addPrimaryKeyConstraint('session_rapporteurs_pk', ['session_id', 'email']),
  ).execute();
  await s
    .createIndex('session_rapporteurs_user')
    .on('session_rapporteurs')
    .column('user_id')
    .where(sql.ref('user_id'), 'is not', null)
    .execute();
  await s
    .createIndex('session_rapporteurs_invite')
    .on('session_rapporteurs')
    .column('invite_id')
    .where(sql.ref('invite_id'), 'is not', null)
    .execute();

  await withoutRowid(
    s
      .createTable('session_reminders')
      .addColumn('session_id', 'text', ref('event_sessions.id', true))
      .addColumn('user_id', 'text', ref('users.id', true))
      .addColumn('kind', 'text', notNull)
      .addColumn('deadline', int, notNull)
      .addColumn('created_at', int, notNull)
      .addColumn('emailed', int, (c) => c.notNull().defaultTo(0))
      .addColumn('read_at', int)
      .addPrimaryKeyConstraint('session_reminders_pk', ['session_id', 'user_id', 'kind', 'deadline']),
  ).execute();
  await s.createIndex('session_reminders_user').on('session_reminders').columns(['user_id', 'created_at desc']).execute();

  await withoutRowid(
    s
      .createTable('citation_sources')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('block_id', 'text', notNull)
      .addColumn('hash', 'text', notNull)
      .addColumn('text', 'text', notNull)
      .addColumn('created_at', int, notNull)
      .addPrimaryKeyConstraint('citation_sources_pk', ['document_id', 'block_id', 'hash']),
  ).execute();

  await withoutRowid(
    s
      .createTable('translation_segments')
      .addColumn('document_id', 'text', ref('documents.id', true))
      .addColumn('block_id', 'text', notNull)
      .addColumn('status', 'text', notNull)
      .addColumn('source_hash', 'text')
      .addColumn('target_hash', 'text', notNull)
      .addColumn('set_by', 'text', ref('users.id'))
      .addColumn('set_at', int, notNull)
      .addPrimaryKeyConstraint('translation_segments_pk', ['document_id', 'block_id']),
  ).execute();
}
