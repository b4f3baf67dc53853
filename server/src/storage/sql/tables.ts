/**
 * Kysely's view of the tables the ported stores use (storage/sql/*), as the
 * baseline migration creates them. Times are ms since the epoch; booleans are
 * integers 0/1 in both dialects; PostgreSQL's bigints come back as numbers
 * (openPostgresDatabase's type parser).
 */
export interface Tables {
  users: UsersTable;
  sessions: SessionsTable;
  access_tokens: AccessTokensTable;
  password_resets: PasswordResetsTable;
  settings: { key: string; value: string };
  notifications: NotificationsTable;
  templates: TemplatesTable;
  publications: PublicationsTable;
  publication_files: PublicationFilesTable;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  organisation: string | null;
  country: string | null;
  stakeholder_group: string;
  region: string;
  gender: string | null;
  youth: number | null;
  first_time: number | null;
  show_demographics: number;
  locale: string | null;
  is_admin: number;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  secret_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface AccessTokensTable {
  id: string;
  secret_hash: string;
  user_id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface PasswordResetsTable {
  id: string;
  secret_hash: string;
  user_id: string;
  via: string;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  document_id: string;
  comment_id: string;
  actor_id: string | null;
  created_at: number;
  read_at: number | null;
}

export interface TemplatesTable {
  id: string;
  version: number;
  type: string;
  name: string;
  description: string;
  content: string;
  created_at: number;
  created_by: string | null;
}

export interface PublicationsTable {
  document_id: string;
  number: number;
  version_id: string;
  title: string;
  note: string | null;
  public: number;
  include_dispositions: number;
  corrects: number | null;
  published_at: number;
  published_by: string | null;
  withdrawn_at: number | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
}

export interface PublicationFilesTable {
  document_id: string;
  number: number;
  format: string;
  content_type: string;
  body: Uint8Array;
}
