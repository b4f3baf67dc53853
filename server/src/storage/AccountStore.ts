import type { Gender, Locale, Region, StakeholderGroup } from '@rapporteur/protocol';

/** An account, as stored. The password hash never leaves the server. */
export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly organisation: string | null;
  readonly country: string | null;
  readonly stakeholderGroup: StakeholderGroup;
  readonly region: Region;
  readonly gender: Gender | null;
  readonly youth: boolean | null;
  readonly firstTime: boolean | null;
  /** The person agreed to show gender/youth/first-time next to their name. */
  readonly showDemographics: boolean;
  /** The chosen interface language; null follows the browser's Accept-Language (SPEC L3). */
  readonly locale: Locale | null;
  readonly isAdmin: boolean;
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly name: string;
  readonly organisation?: string | null;
  readonly country?: string | null;
  readonly stakeholderGroup: StakeholderGroup;
  readonly region: Region;
  readonly isAdmin?: boolean;
  readonly locale?: Locale | null;
  readonly now: number;
}

export type ProfilePatch = Partial<
  Pick<
    UserRecord,
    'name' | 'organisation' | 'country' | 'stakeholderGroup' | 'region' | 'gender' | 'youth' | 'firstTime' | 'showDemographics' | 'locale'
  >
>;

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface TokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** How a reset link was issued: by an administrator (admin page or CLI) or asked for by e-mail. */
export type PasswordResetVia = 'admin' | 'email';

export interface PasswordResetRecord {
  readonly id: string;
  readonly userId: string;
  readonly via: PasswordResetVia;
  /** The administrator who issued it; null from the command line or by e-mail. */
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

/**
 * Accounts, sessions and personal access tokens. Sessions and tokens are
 * looked up by the SHA-256 of their secret; the secrets are never stored.
 */
export interface AccountStore {
  /** Rejects with `EmailTakenError` when the email is in use (case-insensitive). */
  createUser(user: NewUser): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | null>;
  findUserByEmail(email: string): Promise<(UserRecord & { readonly passwordHash: string }) | null>;
  listUsers(): Promise<UserRecord[]>;
  countUsers(): Promise<number>;
  updateProfile(id: string, patch: ProfilePatch, now: number): Promise<UserRecord | null>;
  setAdmin(id: string, isAdmin: boolean, now: number): Promise<void>;
  setDisabled(id: string, disabled: boolean, now: number): Promise<void>;

  createSession(input: { id: string; secretHash: string; userId: string; now: number; expiresAt: number }): Promise<SessionRecord>;
  /** The live (not revoked, not expired at `now`) session with this secret hash. */
  findSession(secretHash: string, now: number): Promise<SessionRecord | null>;
  revokeSession(id: string, now: number): Promise<void>;
  isSessionLive(id: string, now: number): Promise<boolean>;
  revokeUserSessions(userId: string, now: number): Promise<void>;

  createToken(input: { id: string; secretHash: string; userId: string; name: string; now: number }): Promise<TokenRecord>;
  findToken(secretHash: string): Promise<TokenRecord | null>;
  listTokens(userId: string): Promise<TokenRecord[]>;
  /** Returns false when the user has no such live token. */
  revokeToken(userId: string, id: string, now: number): Promise<boolean>;
  touchToken(id: string, now: number): Promise<void>;

  createPasswordReset(input: {
    id: string;
    secretHash: string;
    userId: string;
    via: PasswordResetVia;
    createdBy: string | null;
    now: number;
    expiresAt: number;
  }): Promise<PasswordResetRecord>;
  /** How many resets of this kind were issued for the account at or after `since` (used or not). */
  countPasswordResets(userId: string, via: PasswordResetVia, since: number): Promise<number>;
  /** The reset with this secret hash if it is unused and not expired at `now`. */
  findPasswordReset(secretHash: string, now: number): Promise<PasswordResetRecord | null>;
  /**
   * In one transaction: marks the reset used if it is still unused and not
   * expired (`UPDATE … WHERE used_at IS NULL`), sets the account's password
   * hash, revokes every session of the account and voids its other unused
   * resets. Returns the account's id, or null (and changes nothing) when the
   * reset was unknown, used or expired.
   */
  usePasswordReset(secretHash: string, passwordHash: string, now: number): Promise<string | null>;

  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
}

export class EmailTakenError extends Error {
  constructor() {
    super('An account with this email already exists');
    this.name = 'EmailTakenError';
  }
}
