import { type Language, translatorFor } from '@rapporteur/i18n';
import { ErrorCode } from '@rapporteur/protocol';
import { AppError } from '../errors';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../lib/mailer';
import type { AccountStore, PasswordResetVia, UserRecord } from '../storage/AccountStore';
import type { AccessEvents } from './AccessEvents';
import type { Accounts } from './Accounts';
import { hashSecret, newId, newSecret } from './secrets';

const HOUR = 3_600_000;

/**
 * How long a reset link works (SPEC A10). By e-mail: 1 hour — the person asked
 * for it a moment ago and is waiting for it, while a mailbox keeps it (and may
 * be read by others, forwarded, synced) long after. From an administrator:
 * 24 hours — a person relays it (chat, phone, in the room) to someone who may
 * be in another time zone, and the administrator chose to issue it.
 */
export const RESET_LINK_TTL_MS: Readonly<Record<PasswordResetVia, number>> = { email: HOUR, admin: 24 * HOUR };

/**
 * At most this many links are e-mailed to one account per hour, whoever
 * asks: the per-address limit on the request cannot stop many addresses from
 * filling one mailbox. Further requests get the same 202 and send nothing.
 */
export const EMAIL_RESETS_PER_HOUR = 3;

/** The path of a reset link in the editor. */
export const resetPath = (code: string): string => `/reset/${code}`;

export interface IssuedResetLink {
  readonly code: string;
  /** `PUBLIC_URL` + the path; null when PUBLIC_URL is not set (the caller adds its own origin). */
  readonly url: string | null;
  readonly expiresAt: number;
}

export interface ResetLinksOptions {
  readonly publicUrl: string | null;
  /** Null: no SMTP, so people cannot ask for a link by e-mail. */
  readonly mailer: Mailer | null;
  readonly log: Logger;
}

function linkInvalid(): AppError {
  return new AppError(ErrorCode.resetLinkInvalid, { key: 'server.errors.reset_link_invalid' });
}

/**
 * One-time password reset links (SPEC A10): issued by an administrator or
 * asked for by e-mail, stored only as the SHA-256 of their secret, used once;
 * setting the new password revokes every session of the account.
 */
export class ResetLinks {
  constructor(
    private readonly store: AccountStore,
    private readonly accounts: Accounts,
    private readonly clock: Clock,
    private readonly events: AccessEvents,
    private readonly options: ResetLinksOptions,
  ) {}

  /** Whether people can ask for a link by e-mail (SMTP is configured). */
  get byEmail(): boolean {
    return this.options.mailer !== null;
  }

  /** A new link for `userId`; the secret is returned once and stored only hashed. */
  async issue(userId: string, via: PasswordResetVia, createdBy: string | null): Promise<IssuedResetLink> {
    const code = newSecret();
    const now = this.clock.now();
    const expiresAt = now + RESET_LINK_TTL_MS[via];
    await this.store.createPasswordReset({ id: newId(), secretHash: hashSecret(code), userId, via, createdBy, now, expiresAt });
    return { code, url: this.options.publicUrl ? this.options.publicUrl + resetPath(code) : null, expiresAt };
  }

  /**
   * Sends a link to `email` if an enabled account uses it. Resolves the same
   * way, at once, whether or not it does: the e-mail is sent in the background,
   * so neither the answer nor its timing tells which addresses have accounts.
   */
  async request(email: string, language: Language = 'en'): Promise<void> {
    const mailer = this.options.mailer;
    if (!mailer) throw new AppError(ErrorCode.notFound, { key: 'server.request.resetByEmailOff' });
    void this.sendLink(mailer, email, language).catch((error: unknown) => this.options.log.error({ err: error }, 'could not send a password reset e-mail'));
  }

  /** In the account's interface language, else the one the request asked in (SPEC L6). */
  private async sendLink(mailer: Mailer, email: string, requested: Language): Promise<void> {
    const user = await this.store.findUserByEmail(email);
    if (!user || user.disabled) return;
    const recent = await this.store.countPasswordResets(user.id, 'email', this.clock.now() - HOUR + 1);
    if (recent >= EMAIL_RESETS_PER_HOUR) {
      this.options.log.warn({ userId: user.id }, 'password reset e-mail not sent: too many for this account in the last hour');
      return;
    }
    const link = await this.issue(user.id, 'email', null);
    const minutes = Math.round(RESET_LINK_TTL_MS.email / 60_000);
    const t = translatorFor(user.locale ?? requested);
    await mailer.send({
      to: user.email,
      subject: t('server.email.passwordReset.subject'),
      text: [
        t('server.email.passwordReset.greeting', { name: user.name }),
        '',
        t('server.email.passwordReset.asked'),
        t('server.email.passwordReset.open', { count: minutes }),
        '',
        link.url ?? resetPath(link.code),
        '',
        t('server.email.passwordReset.signsOut'),
        t('server.email.passwordReset.ignore'),
      ].join('\n'),
    });
    this.options.log.info({ userId: user.id }, 'sent a password reset link by e-mail');
  }

  /** The account a live link is for; 410 `reset_link_invalid` for an unknown, used or expired one. */
  async inspect(code: string): Promise<{ user: UserRecord; expiresAt: number }> {
    const reset = await this.store.findPasswordReset(hashSecret(code), this.clock.now());
    const user = reset ? await this.store.getUser(reset.userId) : null;
    if (!reset || !user || user.disabled) throw linkInvalid();
    return { user, expiresAt: reset.expiresAt };
  }

  /**
   * Sets a new password through a link: checks the policy (400
   * `weak_password`, the link stays usable), hashes, then uses the link
   * atomically — of two uses, one wins, the other gets 410 — and revokes every
   * session of the account, announcing it so open sockets are re-checked.
   */
  async reset(code: string, password: string): Promise<UserRecord> {
    await this.inspect(code);
    const passwordHash = await this.accounts.hashNewPassword(password);
    const userId = await this.store.usePasswordReset(hashSecret(code), passwordHash, this.clock.now());
    if (!userId) throw linkInvalid();
    this.events.emit({ kind: 'user', userId });
    const user = await this.store.getUser(userId);
    if (!user) throw linkInvalid();
    return user;
  }
}
