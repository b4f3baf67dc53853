import { type Gender, Locale, type Region, type StakeholderGroup } from '@rapporteur/protocol';
import {
  type AccountStore,
  EmailTakenError,
  type NewUser,
  type PasswordResetRecord,
  type PasswordResetVia,
  type ProfilePatch,
  type SessionRecord,
  type TokenRecord,
  type UserRecord,
} from '../AccountStore';
import type { SqliteDatabase } from './openDatabase';

interface UserRow {
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

const PROFILE_COLUMNS: Record<keyof ProfilePatch, string> = {
  name: 'name',
  organisation: 'organisation',
  country: 'country',
  stakeholderGroup: 'stakeholder_group',
  region: 'region',
  gender: 'gender',
  youth: 'youth',
  firstTime: 'first_time',
  showDemographics: 'show_demographics',
  locale: 'locale',
};

/** SQLite implementation of AccountStore, sharing the database of the document store. */
export class SqliteAccountStore implements AccountStore {
  private readonly stmts;

  constructor(private readonly db: SqliteDatabase) {
    this.stmts = {
      insertUser: db.prepare(
        `INSERT INTO users (id, email, password_hash, name, organisation, country, stakeholder_group, region, is_admin, locale, created_at, updated_at)
         VALUES (@id, @email, @passwordHash, @name, @organisation, @country, @stakeholderGroup, @region, @isAdmin, @locale, @now, @now)`,
      ),
      userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
      userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
      listUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, id'),
      countUsers: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users'),
      setAdmin: db.prepare('UPDATE users SET is_admin = ?, updated_at = ? WHERE id = ?'),
      setDisabled: db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?'),
      insertSession: db.prepare(
        'INSERT INTO sessions (id, secret_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ),
      findSession: db.prepare<[string, number], { id: string; user_id: string; created_at: number; expires_at: number }>(
        'SELECT id, user_id, created_at, expires_at FROM sessions WHERE secret_hash = ? AND revoked_at IS NULL AND expires_at > ?',
      ),
      revokeSession: db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      sessionLive: db.prepare<[string, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM sessions WHERE id = ? AND revoked_at IS NULL AND expires_at > ?',
      ),
      revokeUserSessions: db.prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
      insertToken: db.prepare(
        'INSERT INTO access_tokens (id, secret_hash, user_id, name, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      findToken: db.prepare<[string], TokenRow>(
        'SELECT id, user_id, name, created_at, last_used_at FROM access_tokens WHERE secret_hash = ? AND revoked_at IS NULL',
      ),
      listTokens: db.prepare<[string], TokenRow>(
        'SELECT id, user_id, name, created_at, last_used_at FROM access_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at',
      ),
      revokeToken: db.prepare('UPDATE access_tokens SET revoked_at = ? WHERE user_id = ? AND id = ? AND revoked_at IS NULL'),
      touchToken: db.prepare('UPDATE access_tokens SET last_used_at = ? WHERE id = ?'),
      insertReset: db.prepare(
        `INSERT INTO password_resets (id, secret_hash, user_id, via, created_by, created_at, expires_at)
         VALUES (@id, @secretHash, @userId, @via, @createdBy, @now, @expiresAt)`,
      ),
      countResets: db.prepare<[string, string, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM password_resets WHERE user_id = ? AND via = ? AND created_at >= ?',
      ),
      findReset: db.prepare<[string, number], ResetRow>(
        'SELECT * FROM password_resets WHERE secret_hash = ? AND used_at IS NULL AND expires_at > ?',
      ),
      useReset: db.prepare<[number, string, number], { user_id: string }>(
        'UPDATE password_resets SET used_at = ? WHERE secret_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id',
      ),
      voidResets: db.prepare('UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL'),
      setPasswordHash: db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?'),
      getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      setSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    try {
      this.stmts.insertUser.run({
        id: user.id,
        email: user.email,
        passwordHash: user.passwordHash,
        name: user.name,
        organisation: user.organisation ?? null,
        country: user.country ?? null,
        stakeholderGroup: user.stakeholderGroup,
        region: user.region,
        isAdmin: user.isAdmin ? 1 : 0,
        locale: user.locale ?? null,
        now: user.now,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new EmailTakenError();
      throw error;
    }
    return toUser(this.stmts.userById.get(user.id)!);
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const row = this.stmts.userById.get(id);
    return row ? toUser(row) : null;
  }

  async findUserByEmail(email: string): Promise<(UserRecord & { passwordHash: string }) | null> {
    const row = this.stmts.userByEmail.get(email);
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.stmts.listUsers.all().map(toUser);
  }

  async countUsers(): Promise<number> {
    return this.stmts.countUsers.get()?.n ?? 0;
  }

  async updateProfile(id: string, patch: ProfilePatch, now: number): Promise<UserRecord | null> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as Array<[keyof ProfilePatch, unknown]>;
    if (entries.length > 0) {
      const sets = entries.map(([k]) => `${PROFILE_COLUMNS[k]} = ?`).join(', ');
      const values = entries.map(([, v]) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
      this.db.prepare(`UPDATE users SET ${sets}, updated_at = ? WHERE id = ?`).run(...values, now, id);
    }
    return this.getUser(id);
  }

  async setAdmin(id: string, isAdmin: boolean, now: number): Promise<void> {
    this.stmts.setAdmin.run(isAdmin ? 1 : 0, now, id);
  }

  async setDisabled(id: string, disabled: boolean, now: number): Promise<void> {
    this.stmts.setDisabled.run(disabled ? 1 : 0, now, id);
  }

  async createSession(input: { id: string; secretHash: string; userId: string; now: number; expiresAt: number }): Promise<SessionRecord> {
    this.stmts.insertSession.run(input.id, input.secretHash, input.userId, input.now, input.expiresAt);
    return { id: input.id, userId: input.userId, createdAt: input.now, expiresAt: input.expiresAt };
  }

  async findSession(secretHash: string, now: number): Promise<SessionRecord | null> {
    const row = this.stmts.findSession.get(secretHash, now);
    return row ? { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  async revokeSession(id: string, now: number): Promise<void> {
    this.stmts.revokeSession.run(now, id);
  }

  async isSessionLive(id: string, now: number): Promise<boolean> {
    return (this.stmts.sessionLive.get(id, now)?.n ?? 0) > 0;
  }

  async revokeUserSessions(userId: string, now: number): Promise<void> {
    this.stmts.revokeUserSessions.run(now, userId);
  }

  async createToken(input: { id: string; secretHash: string; userId: string; name: string; now: number }): Promise<TokenRecord> {
    this.stmts.insertToken.run(input.id, input.secretHash, input.userId, input.name, input.now);
    return { id: input.id, userId: input.userId, name: input.name, createdAt: input.now, lastUsedAt: null };
  }

  async findToken(secretHash: string): Promise<TokenRecord | null> {
    const row = this.stmts.findToken.get(secretHash);
    return row ? toToken(row) : null;
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    return this.stmts.listTokens.all(userId).map(toToken);
  }

  async revokeToken(userId: string, id: string, now: number): Promise<boolean> {
    return this.stmts.revokeToken.run(now, userId, id).changes > 0;
  }

  async touchToken(id: string, now: number): Promise<void> {
    this.stmts.touchToken.run(now, id);
  }

  async createPasswordReset(input: {
    id: string;
    secretHash: string;
    userId: string;
    via: PasswordResetVia;
    createdBy: string | null;
    now: number;
    expiresAt: number;
  }): Promise<PasswordResetRecord> {
    this.stmts.insertReset.run(input);
    return {
      id: input.id,
      userId: input.userId,
      via: input.via,
      createdBy: input.createdBy,
      createdAt: input.now,
      expiresAt: input.expiresAt,
      usedAt: null,
    };
  }

  async countPasswordResets(userId: string, via: PasswordResetVia, since: number): Promise<number> {
    return this.stmts.countResets.get(userId, via, since)?.n ?? 0;
  }

  async findPasswordReset(secretHash: string, now: number): Promise<PasswordResetRecord | null> {
    const row = this.stmts.findReset.get(secretHash, now);
    return row ? toReset(row) : null;
  }

  async usePasswordReset(secretHash: string, passwordHash: string, now: number): Promise<string | null> {
    return this.db.transaction(() => {
      const used = this.stmts.useReset.get(now, secretHash, now);
      if (!used) return null;
      this.stmts.setPasswordHash.run(passwordHash, now, used.user_id);
      this.stmts.revokeUserSessions.run(now, used.user_id);
      this.stmts.voidResets.run(now, used.user_id);
      return used.user_id;
    })();
  }

  async getSetting(key: string): Promise<string | null> {
    return this.stmts.getSetting.get(key)?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.stmts.setSetting.run(key, value);
  }
}

interface ResetRow {
  id: string;
  user_id: string;
  via: string;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

function toReset(row: ResetRow): PasswordResetRecord {
  return {
    id: row.id,
    userId: row.user_id,
    via: row.via as PasswordResetVia,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

function toToken(row: TokenRow): TokenRecord {
  return { id: row.id, userId: row.user_id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

const bool = (v: number | null): boolean | null => (v === null ? null : v !== 0);

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    organisation: row.organisation,
    country: row.country,
    stakeholderGroup: row.stakeholder_group as StakeholderGroup,
    region: row.region as Region,
    gender: row.gender as Gender | null,
    youth: bool(row.youth),
    firstTime: bool(row.first_time),
    showDemographics: row.show_demographics !== 0,
    // A value no longer among the languages follows the browser again.
    locale: Locale.safeParse(row.locale).data ?? null,
    isAdmin: row.is_admin !== 0,
    disabled: row.disabled !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
