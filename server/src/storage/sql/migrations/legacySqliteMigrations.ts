/**
 * FROZEN. The SQLite migrations 1–15 of the hand-written runner that came
 * before Kysely's Migrator, kept for two reasons: a data directory made by an
 * older Rapporteur (any version 1–15) is brought to version 15 by them before
 * the baseline migration adopts it (0015_baseline.ts), and tests build such a
 * database to prove it still opens. Never edit or extend this list: a new
 * migration is a Kysely migration in this folder (ARCHITECTURE.md).
 */
export const LEGACY_SQLITE_VERSION = 15;

export const legacySqliteMigrations: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        schema_version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX documents_updated_at ON documents (updated_at DESC);

      -- Append-only: rows are never updated or deleted (SPEC.md S2).
      CREATE TABLE updates (
        document_id TEXT NOT NULL REFERENCES documents (id),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        author TEXT,
        client_ids TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE checkpoints (
        document_id TEXT NOT NULL REFERENCES documents (id),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        name TEXT NOT NULL,
        organisation TEXT,
        country TEXT,
        stakeholder_group TEXT NOT NULL,
        region TEXT NOT NULL,
        gender TEXT,
        youth INTEGER,
        first_time INTEGER,
        show_demographics INTEGER NOT NULL DEFAULT 0,
        is_admin INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX sessions_user ON sessions (user_id);

      CREATE TABLE access_tokens (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users (id),
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX access_tokens_user ON access_tokens (user_id);

      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      -- Documents made before accounts existed have no owner: only admins reach them.
      ALTER TABLE documents ADD COLUMN owner_id TEXT REFERENCES users (id);
      ALTER TABLE documents ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private';

      CREATE TABLE document_members (
        document_id TEXT NOT NULL REFERENCES documents (id),
        user_id TEXT NOT NULL REFERENCES users (id),
        role TEXT NOT NULL,
        added_by TEXT REFERENCES users (id),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX document_members_user ON document_members (user_id);

      CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents (id),
        code_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        created_by TEXT NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX invites_document ON invites (document_id);

      -- Which account first wrote with each Yjs client id in a document (authorship cannot be forged).
      CREATE TABLE client_bindings (
        document_id TEXT NOT NULL REFERENCES documents (id),
        client_id INTEGER NOT NULL,
        -- Like updates.author, an account id without a foreign key: the
        -- authorship record outlives whatever happens to the account row.
        user_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, client_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    sql: `
      -- Comments are rows, written only through the HTTP API; the author's
      -- profile is copied at the time of writing (attribution as recorded).
      CREATE TABLE comments (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents (id),
        parent_id TEXT REFERENCES comments (id),
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        author_organisation TEXT,
        author_stakeholder_group TEXT NOT NULL,
        author_region TEXT NOT NULL,
        client_key TEXT,
        anchor TEXT,
        body TEXT NOT NULL,
        suggestion TEXT,
        status TEXT NOT NULL DEFAULT 'open',
        response TEXT,
        disposed_by TEXT,
        disposed_by_name TEXT,
        disposed_at INTEGER,
        hidden_reason TEXT,
        hidden_by TEXT,
        hidden_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        edited_at INTEGER
      );
      CREATE INDEX comments_document ON comments (document_id, created_at);
      CREATE UNIQUE INDEX comments_client_key ON comments (document_id, author_id, client_key) WHERE client_key IS NOT NULL;

      -- Append-only: the audit record of every change to a comment, and the
      -- document's event channel (seq is the SSE event id).
      CREATE TABLE comment_events (
        document_id TEXT NOT NULL REFERENCES documents (id),
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        comment_id TEXT NOT NULL REFERENCES comments (id),
        actor_id TEXT,
        detail TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    sql: `
      -- A comment period: between these times any signed-in user may comment;
      -- outside it, only editors and owners may (SPEC C8).
      ALTER TABLE documents ADD COLUMN comment_opens_at INTEGER;
      ALTER TABLE documents ADD COLUMN comment_closes_at INTEGER;
    `,
  },
  {
    version: 5,
    sql: `
      -- What a person should look at: a mention, a reply to their thread, a
      -- decision on their comment (SPEC C10).
      CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        kind TEXT NOT NULL,
        document_id TEXT NOT NULL REFERENCES documents (id),
        comment_id TEXT NOT NULL REFERENCES comments (id),
        actor_id TEXT,
        created_at INTEGER NOT NULL,
        read_at INTEGER
      );
      CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);
    `,
  },
  {
    version: 6,
    sql: `
      -- One-time password reset links (SPEC A10). Only the SHA-256 of the
      -- secret is kept; a link is used once (used_at) and expires.
      CREATE TABLE password_resets (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users (id),
        via TEXT NOT NULL,
        created_by TEXT REFERENCES users (id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE INDEX password_resets_user ON password_resets (user_id) WHERE used_at IS NULL;
    `,
  },
  {
    version: 7,
    sql: `
      -- A log record may cover a range of sequence numbers by one author
      -- (first_seq..seq), so a later compaction can merge fine-grained rows;
      -- NULL means the row covers seq alone (SPEC V1, V2).
      ALTER TABLE updates ADD COLUMN first_seq INTEGER;

      -- Named versions and restore points: boundaries compaction never
      -- merges across (SPEC V2). seq is the last log record the version holds.
      CREATE TABLE versions (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents (id),
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        restored_from TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX versions_document ON versions (document_id, seq);

      -- The log merged up to seq with deleted content kept (SPEC V3). Never
      -- pruned: unlike checkpoints, they serve old states for diffs.
      CREATE TABLE history_checkpoints (
        document_id TEXT NOT NULL REFERENCES documents (id),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, seq)
      ) WITHOUT ROWID;

      -- Append-only: who changed access, periods, versions and comments (SPEC V6).
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id TEXT NOT NULL REFERENCES documents (id),
        actor_id TEXT,
        action TEXT NOT NULL,
        details TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX audit_events_document ON audit_events (document_id, id);
    `,
  },
  {
    version: 8,
    sql: `
      -- Who deleted what in the records a history checkpoint adds to the one
      -- it was built from (deletions_from < seq <= the checkpoint's seq), so a
      -- diff attributes deletions without reading every record (SPEC V5).
      ALTER TABLE history_checkpoints ADD COLUMN deletions_from INTEGER;
      ALTER TABLE history_checkpoints ADD COLUMN deletions BLOB;
    `,
  },
  {
    version: 9,
    sql: `
      -- Templates (issue 9, SPEC TPL5): versioned data, never edited in
      -- place; an administrator's change adds the next version. content is
      -- the validated JSON of the template's blocks.
      CREATE TABLE templates (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT REFERENCES users (id),
        PRIMARY KEY (id, version)
      ) WITHOUT ROWID;

      -- A document's type, and the template version it started from.
      ALTER TABLE documents ADD COLUMN type TEXT NOT NULL DEFAULT 'blank';
      ALTER TABLE documents ADD COLUMN template_id TEXT;
      ALTER TABLE documents ADD COLUMN template_version INTEGER;
    `,
  },
  {
    version: 10,
    sql: `
      -- Who set or removed each consensus marker and when (SPEC K1). The
      -- marker itself lives in the document (a block attribute); these rows
      -- are the server's record of each change, written with the update that
      -- made it. Append-only. level is NULL when the marker was removed.
      CREATE TABLE marker_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id TEXT NOT NULL REFERENCES documents (id),
        block_id TEXT NOT NULL,
        level TEXT,
        actor_id TEXT,
        seq INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX marker_events_block ON marker_events (document_id, block_id, id);
    `,
  },
  {
    version: 11,
    sql: `
      -- The review workflow and deadlines (SPEC WF1, WF6). status_changed_at is
      -- NULL while a document has never moved; deadline is ms since the epoch,
      -- deadline_time_zone the IANA zone it was set in (both NULL or neither).
      ALTER TABLE documents ADD COLUMN status TEXT NOT NULL DEFAULT 'drafting';
      ALTER TABLE documents ADD COLUMN status_changed_at INTEGER;
      ALTER TABLE documents ADD COLUMN deadline INTEGER;
      ALTER TABLE documents ADD COLUMN deadline_time_zone TEXT;
      CREATE INDEX documents_status ON documents (status, updated_at DESC);
      CREATE INDEX documents_deadline ON documents (deadline) WHERE deadline IS NOT NULL;
    `,
  },
  {
    version: 12,
    sql: `
      -- Publications (issue 10, SPEC P1–P6): numbered per document, never
      -- edited or deleted; withdrawal only fills the withdrawn_* columns.
      -- corrects is the number of the publication an erratum corrects.
      CREATE TABLE publications (
        document_id TEXT NOT NULL REFERENCES documents (id),
        number INTEGER NOT NULL,
        version_id TEXT NOT NULL,
        title TEXT NOT NULL,
        note TEXT,
        public INTEGER NOT NULL,
        include_dispositions INTEGER NOT NULL,
        corrects INTEGER,
        published_at INTEGER NOT NULL,
        published_by TEXT REFERENCES users (id),
        withdrawn_at INTEGER,
        withdrawn_by TEXT REFERENCES users (id),
        withdrawn_reason TEXT,
        PRIMARY KEY (document_id, number)
      ) WITHOUT ROWID;

      -- Each publication rendered once, at publishing, in every format
      -- (and the page's frozen main part, format 'main'); served as stored.
      CREATE TABLE publication_files (
        document_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        format TEXT NOT NULL,
        content_type TEXT NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (document_id, number, format),
        FOREIGN KEY (document_id, number) REFERENCES publications (document_id, number)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 13,
    sql: `
      -- Languages (issue 12). A person's interface language (SPEC L3): NULL
      -- follows the browser (Accept-Language). A document's language (SPEC
      -- L8), apart from its readers' interface languages.
      ALTER TABLE users ADD COLUMN locale TEXT;
      ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
    `,
  },
  {
    version: 14,
    sql: `
      -- Events (issue 11, SPEC EV1–EV…): an event has tracks, organisers and
      -- sessions; each session has one report document. Dates are the
      -- event's days (YYYY-MM-DD) in its IANA time zone.
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        starts_on TEXT NOT NULL,
        ends_on TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        report_deadline_hours INTEGER NOT NULL DEFAULT 24,
        public INTEGER NOT NULL DEFAULT 0,
        created_by TEXT REFERENCES users (id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      -- A track's messages document (the consolidation of its sessions), once made.
      CREATE TABLE event_tracks (
        event_id TEXT NOT NULL REFERENCES events (id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        messages_document_id TEXT REFERENCES documents (id),
        PRIMARY KEY (event_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX event_tracks_messages ON event_tracks (messages_document_id) WHERE messages_document_id IS NOT NULL;

      -- Organisers own every report of their event (policy.ts organiserRole).
      CREATE TABLE event_organisers (
        event_id TEXT NOT NULL REFERENCES events (id),
        user_id TEXT NOT NULL REFERENCES users (id),
        added_by TEXT REFERENCES users (id),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (event_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX event_organisers_user ON event_organisers (user_id);

      -- Sessions are matched by code on re-import and never deleted.
      -- organisers and speakers are JSON arrays; prefill_seq is the log
      -- record that wrote the pre-filled template (nothing after it: the
      -- report is "missing"); rule_deadline the deadline the event's rule
      -- gave, so a re-import moves only a deadline nobody extended.
      CREATE TABLE event_sessions (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events (id),
        code TEXT NOT NULL,
        title TEXT NOT NULL,
        type TEXT NOT NULL,
        track_id TEXT NOT NULL,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        organisers TEXT NOT NULL,
        speakers TEXT NOT NULL,
        document_id TEXT NOT NULL UNIQUE REFERENCES documents (id),
        prefill_seq INTEGER NOT NULL,
        rule_deadline INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (event_id, code),
        FOREIGN KEY (event_id, track_id) REFERENCES event_tracks (event_id, id)
      );

      -- A session's rapporteurs by e-mail address. user_id is the account
      -- that holds the role: the account with that address at import, or
      -- whoever accepted the invitation (invite_id) made for an address with
      -- no account; never someone who signs up with the address later.
      CREATE TABLE session_rapporteurs (
        session_id TEXT NOT NULL REFERENCES event_sessions (id),
        email TEXT NOT NULL COLLATE NOCASE,
        position INTEGER NOT NULL,
        user_id TEXT REFERENCES users (id),
        invite_id TEXT REFERENCES invites (id),
        PRIMARY KEY (session_id, email)
      ) WITHOUT ROWID;
      CREATE INDEX session_rapporteurs_user ON session_rapporteurs (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX session_rapporteurs_invite ON session_rapporteurs (invite_id) WHERE invite_id IS NOT NULL;

      -- Reminders sent to a rapporteur about one deadline of one session
      -- (kind: due-soon, overdue): each at most once per deadline.
      CREATE TABLE session_reminders (
        session_id TEXT NOT NULL REFERENCES event_sessions (id),
        user_id TEXT NOT NULL REFERENCES users (id),
        kind TEXT NOT NULL,
        deadline INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        emailed INTEGER NOT NULL DEFAULT 0,
        read_at INTEGER,
        PRIMARY KEY (session_id, user_id, kind, deadline)
      ) WITHOUT ROWID;
      CREATE INDEX session_reminders_user ON session_reminders (user_id, created_at DESC);

      -- The text of a cited passage as it was served to whoever cited it,
      -- by its hash: "source changed" shows the difference from it.
      CREATE TABLE citation_sources (
        document_id TEXT NOT NULL REFERENCES documents (id),
        block_id TEXT NOT NULL,
        hash TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, block_id, hash)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 15,
    sql: `
      -- Linked translations (issue 12, SPEC LT1–LT8). translation_of is the
      -- source a translation was made from (NULL for an original); at most
      -- one translation per language is enforced in the creating transaction.
      ALTER TABLE documents ADD COLUMN translation_of TEXT REFERENCES documents (id);
      CREATE INDEX documents_translation_of ON documents (translation_of) WHERE translation_of IS NOT NULL;

      -- The status of each paragraph of a translation (aligned with its source
      -- by block id) and what it was set against: the hashes of the source's
      -- and the translation's paragraph when the status was last set, so
      -- "source changed" and "edited since" are computed from the live texts.
      -- source_hash is NULL when the source had no such paragraph then.
      CREATE TABLE translation_segments (
        document_id TEXT NOT NULL REFERENCES documents (id),
        block_id TEXT NOT NULL,
        status TEXT NOT NULL,
        source_hash TEXT,
        target_hash TEXT NOT NULL,
        set_by TEXT REFERENCES users (id),
        set_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, block_id)
      ) WITHOUT ROWID;
    `,
  },
];
