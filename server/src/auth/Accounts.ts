import crypto from 'node:crypto';
import type { Locale, Region, StakeholderGroup } from '@rapporteur/protocol';
import type { Clock } from '../lib/clock';
import type { AccountStore, SessionRecord, TokenRecord, UserRecord } from '../storage/AccountStore';
import type { AccessEvents } from './AccessEvents';
import { assertAcceptablePassword } from './passwordPolicy';
import { HashLimiter, type HashLimits } from './HashLimiter';
import { type PasswordHasher, type ScryptCost, scryptHasher } from './passwords';
import { hashSecret, newId, newSecret } from './secrets';

/** How a request or socket proved who it is. */
export type Credential =
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'token'; readonly tokenId: string };

/** A signed-in account and the credential it used. */
export interface Principal {
  readonly user: UserRecord;
  readonly credential: Credential;
}

export interface AccountsOptions {
  readonly sessionTtlMs: number;
  readonly scryptCost: ScryptCost;
  /** Replaces scrypt at `scryptCost` (tests hold hashes with it). */
  readonly hasher?: PasswordHasher;
  /** Bound on concurrent and queued hashes (SPEC A9); DEFAULT_HASH_LIMITS when unset. */
  readonly hashLimits?: HashLimits;
}

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly stakeholderGroup: StakeholderGroup;
  readonly region: Region;
  readonly organisation?: string | null;
  readonly country?: string | null;
  readonly isAdmin?: boolean;
  readonly locale?: Locale | null;
}

/** Access-token secrets carry a prefix so that leaked ones are easy to recognise and scan for. */
export const TOKEN_PREFIX = 'rpt_';

/**
 * Accounts, sessions and tokens: the commands behind /api/auth, /api/me and
 * /api/tokens, and `authenticate()` used by HTTP and sockets alike.
 */
export class Accounts {
  private dummy: Promise<string> | null = null;
  private readonly hasher: PasswordHasher;
  private readonly limiter: HashLimiter;

  constructor(
    private readonly store: AccountStore,
    private readonly clock: Clock,
    private readonly events: AccessEvents,
    private readonly options: AccountsOptions,
  ) {
    this.hasher = options.hasher ?? scryptHasher(options.scryptCost);
    this.limiter = new HashLimiter(options.hashLimits);
  }

  /** Password hashes running and waiting now (SPEC A9). */
  get hashing(): { readonly running: number; readonly waiting: number } {
    return this.limiter.load;
  }

  /** Hashes through the limiter: rejects with BusyError (503) when too many already wait. */
  private hash(password: string): Promise<string> {
    return this.limiter.run(() => this.hasher.hash(password));
  }

  private verify(password: string, stored: string): Promise<boolean> {
    return this.limiter.run(() => this.hasher.verify(password, stored));
  }

  /** A hash to verify against when the account does not exist, so timing does not reveal which emails exist. */
  private dummyHash(): Promise<string> {
    this.dummy ??= this.hash(crypto.randomBytes(12).toString('base64url')).catch((error: unknown) => {
      this.dummy = null;
      throw error;
    });
    return this.dummy;
  }

  /** Creates an account; rejects with AppError `weak_password` (the policy) or EmailTakenError. */
  async createUser(input: SignUpInput): Promise<UserRecord> {
    const passwordHash = await this.hashNewPassword(input.password);
    return this.store.createUser({
      id: newId(),
      email: input.email.trim(),
      passwordHash,
      name: input.name.trim(),
      organisation: input.organisation?.trim() || null,
      country: input.country?.trim() || null,
      stakeholderGroup: input.stakeholderGroup,
      region: input.region,
      isAdmin: input.isAdmin ?? false,
      locale: input.locale ?? null,
      now: this.clock.now(),
    });
  }

  /**
   * Checks a new password against the policy (SPEC A8) and hashes it, through
   * the hashing bound (A9). Rejects with `weak_password` or BusyError.
   */
  async hashNewPassword(password: string): Promise<string> {
    await assertAcceptablePassword(password);
    return this.hash(password);
  }

  /** The user when the password matches an enabled account; null otherwise (same time either way). */
  async checkPassword(email: string, password: string): Promise<UserRecord | null> {
    const found = await this.store.findUserByEmail(email.trim());
    if (!found) {
      await this.verify(password, await this.dummyHash());
      return null;
    }
    const ok = await this.verify(password, found.passwordHash);
    if (!ok || found.disabled) return null;
    const { passwordHash: _hash, ...user } = found;
    return user;
  }

  /** Starts a session; returns the secret for the cookie (stored only hashed). */
  async startSession(userId: string): Promise<{ secret: string; session: SessionRecord }> {
    const secret = newSecret();
    const now = this.clock.now();
    const session = await this.store.createSession({
      id: newId(),
      secretHash: hashSecret(secret),
      userId,
      now,
      expiresAt: now + this.options.sessionTtlMs,
    });
    return { secret, session };
  }

  async endSession(sessionId: string, userId: string): Promise<void> {
    await this.store.revokeSession(sessionId, this.clock.now());
    this.events.emit({ kind: 'user', userId });
  }

  async createToken(userId: string, name: string): Promise<{ secret: string; token: TokenRecord }> {
    const secret = newSecret(TOKEN_PREFIX);
    const token = await this.store.createToken({ id: newId(), secretHash: hashSecret(secret), userId, name, now: this.clock.now() });
    return { secret, token };
  }

  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    const revoked = await this.store.revokeToken(userId, tokenId, this.clock.now());
    if (revoked) this.events.emit({ kind: 'user', userId });
    return revoked;
  }

  /**
   * Resolves a session secret (cookie) or token secret (Bearer, `?token=`)
   * to its account. Null for unknown, expired or revoked credentials and for
   * disabled accounts.
   */
  async authenticate(secrets: { session?: string | null; token?: string | null }): Promise<Principal | null> {
    const now = this.clock.now();
    if (secrets.token) {
      const token = await this.store.findToken(hashSecret(secrets.token));
      if (token) {
        const user = await this.store.getUser(token.userId);
        if (user && !user.disabled) {
          if (token.lastUsedAt === null || now - token.lastUsedAt > 60_000) await this.store.touchToken(token.id, now);
          return { user, credential: { kind: 'token', tokenId: token.id } };
        }
      }
      return null;
    }
    if (secrets.session) {
      const session = await this.store.findSession(hashSecret(secrets.session), now);
      if (!session) return null;
      const user = await this.store.getUser(session.userId);
      return user && !user.disabled ? { user, credential: { kind: 'session', sessionId: session.id } } : null;
    }
    return null;
  }

  /** Is the credential still valid, and for which account? Used to re-check open sockets. */
  async recheck(principal: Principal): Promise<UserRecord | null> {
    const user = await this.store.getUser(principal.user.id);
    if (!user || user.disabled) return null;
    if (principal.credential.kind === 'token') {
      const live = await this.store.listTokens(user.id);
      return live.some((t) => t.id === (principal.credential as { tokenId: string }).tokenId) ? user : null;
    }
    return (await this.store.isSessionLive(principal.credential.sessionId, this.clock.now())) ? user : null;
  }
}
