import { type Gender, Locale, type Region, type StakeholderGroup } from '@rapporteur/protocol';
import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
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
import type { Dialect } from './dialect';
import type { AccessTokensTable, PasswordResetsTable, Tables, UsersTable } from './tables';
import { prepare } from './prepared';
import { isUniqueViolation } from './uniqueViolation';

const PROFILE_COLUMNS = {
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
} as const satisfies Record<keyof ProfilePatch, keyof UsersTable>;

const TOKEN_COLUMNS = ['id', 'user_id', 'name', 'created_at', 'last_used_at'] as const;

/** AccountStore on SQLite or PostgreSQL (users, sessions, access_tokens, password_resets, settings). */
export class SqlAccountStore implements AccountStore {
  // The reads of every request and socket (sign-in state), prepared once.
  private readonly userById;
  private readonly sessionByHash;
  private readonly liveSession;
  private readonly tokenByHash;

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: Dialect,
  ) {
    this.userById = prepare(db, 1, (id: string) => db.selectFrom('users').selectAll().where('id', '=', id));
    this.sessionByHash = prepare(db, 2, (secretHash: string, now: number) =>
      db
        .selectFrom('sessions')
        .select(['id', 'user_id', 'created_at', 'expires_at'])
        .where('secret_hash', '=', secretHash)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now),
    );
    this.liveSession = prepare(db, 2, (id: string, now: number) =>
      db.selectFrom('sessions').select('id').where('id', '=', id).where('revoked_at', 'is', null).where('expires_at', '>', now),
    );
    this.tokenByHash = prepare(db, 1, (secretHash: string) =>
      db.selectFrom('access_tokens').select(TOKEN_COLUMNS).where('secret_hash', '=', secretHash).where('revoked_at', 'is', null),
    );
  }

  /**
   * Addresses compare without case: SQLite's column has the NOCASE collation
   * (and its unique index uses it); PostgreSQL compares lower(email), which
   * its unique index users_email_lower covers.
   */
  private byEmail(email: string) {
    const query = this.db.selectFrom('users').selectAll();
    return this.dialect === 'postgres' ? query.where(sql`lower(email)`, '=', email.toLowerCase()) : query.where('email', '=', email);
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    try {
      await this.db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email,
          password_hash: user.passwordHash,
          name: user.name,
          organisation: user.organisation ?? null,
          country: user.country ?? null,
          stakeholder_group: user.stakeholderGroup,
          region: user.region,
          is_admin: user.isAdmin ? 1 : 0,
          gender: null,
          youth: null,
          first_time: null,
          show_demographics: 0,
          locale: user.locale ?? null,
          disabled: 0,
          created_at: user.now,
          updated_at: user.now,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
    return (await this.getUser(user.id))!;
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const [row] = await this.userById(id);
    return row ? toUser(row) : null;
  }

  async findUserByEmail(email: string): Promise<(UserRecord & { passwordHash: string }) | null> {
    const row = await this.byEmail(email).executeTakeFirst();
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute()).map(toUser);
  }

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async updateProfile(id: string, patch: ProfilePatch, now: number): Promise<UserRecord | null> {
    const set: Updateable<UsersTable> = {};
    for (const [key, value] of Object.entries(patch) as Array<[keyof ProfilePatch, unknown]>) {
      if (value === undefined) continue;
      (set as Record<string, unknown>)[PROFILE_COLUMNS[key]] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    }
    if (Object.keys(set).length > 0) await this.db.updateTable('users').set({ ...set, updated_at: now }).where('id', '=', id).execute();
    return this.getUser(id);
  }

  async setAdmin(id: string, isAdmin: boolean, now: number): Promise<void> {
    await this.db.updateTable('users').set({ is_admin: isAdmin ? 1 : 0, updated_at: now }).where('id', '=', id).execute();
  }

  async setDisabled(id: string, disabled: boolean, now: number): Promise<void> {
    await this.db.updateTable('users').set({ disabled: disabled ? 1 : 0, updated_at: now }).where('id', '=', id).execute();
  }

  async createSession(input: { id: string; secretHash: string; userId: string; now: number; expiresAt: number }): Promise<SessionRecord> {
    await this.db
      .insertInto('sessions')
      .values({ id: input.id, secret_hash: input.secretHash, user_id: input.userId, created_at: input.now, expires_at: input.expiresAt, revoked_at: null })
      .execute();
    return { id: input.id, userId: input.userId, createdAt: input.now, expiresAt: input.expiresAt };
  }

  async findSession(secretHash: string, now: number): Promise<SessionRecord | null> {
    const [row] = await this.sessionByHash(secretHash, now);
    return row ? { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  async revokeSession(id: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async isSessionLive(id: string, now: number): Promise<boolean> {
    return (await this.liveSession(id, now)).length > 0;
  }

  async revokeUserSessions(userId: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }

  async createToken(input: { id: string; secretHash: string; userId: string; name: string; now: number }): Promise<TokenRecord> {
    await this.db
      .insertInto('access_tokens')
      .values({
        id: input.id,
        secret_hash: input.secretHash,
        user_id: input.userId,
        name: input.name,
        created_at: input.now,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return { id: input.id, userId: input.userId, name: input.name, createdAt: input.now, lastUsedAt: null };
  }

  async findToken(secretHash: string): Promise<TokenRecord | null> {
    const [row] = await this.tokenByHash(secretHash);
    return row ? toToken(row) : null;
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    const rows = await this.db
      .selectFrom('access_tokens')
      .select(TOKEN_COLUMNS)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map(toToken);
  }

  async revokeToken(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('access_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touchToken(id: string, now: number): Promise<void> {
    await this.db.updateTable('access_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
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
    await this.db
      .insertInto('password_resets')
      .values({
        id: input.id,
        secret_hash: input.secretHash,
        user_id: input.userId,
        via: input.via,
        created_by: input.createdBy,
        created_at: input.now,
        expires_at: input.expiresAt,
        used_at: null,
      })
      .execute();
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
    const row = await this.db
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('via', '=', via)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async findPasswordReset(secretHash: string, now: number): Promise<PasswordResetRecord | null> {
    const row = await this.db
      .selectFrom('password_resets')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row ? toReset(row) : null;
  }

  async usePasswordReset(secretHash: string, passwordHash: string, now: number): Promise<string | null> {
    return this.db.transaction().execute(async (trx) => {
      // The claim comes first and is conditional: of two uses racing, one
      // updates the row, the other finds it used (PostgreSQL waits on its lock).
      const used = await trx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('secret_hash', '=', secretHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('user_id')
        .executeTakeFirst();
      if (!used) return null;
      await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', used.user_id).execute();
      await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', used.user_id).where('revoked_at', 'is', null).execute();
      await trx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', used.user_id).where('used_at', 'is', null).execute();
      return used.user_id;
    });
  }

  async getSetting(key: string): Promise<string | null> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }
}

function toReset(row: Selectable<PasswordResetsTable>): PasswordResetRecord {
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

function toToken(row: Pick<AccessTokensTable, (typeof TOKEN_COLUMNS)[number]>): TokenRecord {
  return { id: row.id, userId: row.user_id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

const bool = (v: number | null): boolean | null => (v === null ? null : v !== 0);

function toUser(row: Selectable<UsersTable>): UserRecord {
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
