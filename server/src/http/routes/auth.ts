import {
  CreateTokenRequest,
  ErrorCode,
  LogInRequest,
  PasswordResetRequest,
  RegistrationMode,
  type ResetLinkInfo,
  SetPasswordRequest,
  SignUpRequest,
  UpdateProfileRequest,
} from '@rapporteur/protocol';
import { Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { Accounts } from '../../auth/Accounts';
import type { Invites } from '../../auth/Invites';
import type { ResetLinks } from '../../auth/ResetLinks';
import { AppError, NotFoundError } from '../../errors';
import type { Clock } from '../../lib/clock';
import { type AccountStore, EmailTakenError } from '../../storage/AccountStore';
import { clearSessionCookie, principalOf, requirePrincipal, setSessionCookie } from '../authMiddleware';
import { presentUser } from '../presenters';
import { requestLanguage } from '../language';
import { parse } from '../validate';

export interface AuthRoutesDeps {
  readonly accounts: Accounts;
  readonly accountStore: AccountStore;
  readonly invites: Invites;
  readonly resetLinks: ResetLinks;
  readonly clock: Clock;
  readonly sessionTtlMs: number;
  /** Sign-in and sign-up attempts per client address per 15 minutes. */
  readonly authRateLimit: number;
  /** Where the limiters count (shared by every instance with Redis); default: this process's memory. */
  readonly rateLimitStore?: ((limiter: string) => Store) | undefined;
  readonly defaultRegistration: RegistrationMode;
}

export const REGISTRATION_SETTING = 'registration';

/** `/api/auth/*`, `/api/me`, `/api/tokens`. */
export function authRoutes(deps: AuthRoutesDeps): Router {
  const { accounts, accountStore, invites, clock } = deps;
  const router = Router();
  const limiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: deps.authRateLimit,
    // With Redis down, attempts are let through (and logged by the store's errors) rather than nobody signing in.
    ...(deps.rateLimitStore ? { store: deps.rateLimitStore('auth'), passOnStoreError: true } : {}),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError(ErrorCode.rateLimited, { key: 'server.errors.rate_limited' })),
  });

  router.post('/auth/signup', limiter, async (req, res) => {
    const body = parse(SignUpRequest, req.body);
    const mode = RegistrationMode.catch(deps.defaultRegistration).parse(
      (await accountStore.getSetting(REGISTRATION_SETTING)) ?? deps.defaultRegistration,
    );
    const invite = body.inviteCode ? await invites.findLive(body.inviteCode) : null;
    if (mode === 'invite-only' && !invite) {
      throw new AppError(ErrorCode.registrationClosed, { key: 'server.errors.registration_closed' });
    }
    let user;
    try {
      user = await accounts.createUser(body);
    } catch (error) {
      if (error instanceof EmailTakenError) throw new AppError(ErrorCode.emailTaken, { key: 'server.errors.email_taken' });
      throw error;
    }
    if (invite) await invites.accept(invite, user.id);
    const { secret } = await accounts.startSession(user.id);
    setSessionCookie(res, secret, deps.sessionTtlMs, req.secure);
    res.status(201).json({ user: presentUser(user) });
  });

  router.post('/auth/login', limiter, async (req, res) => {
    const body = parse(LogInRequest, req.body);
    const user = await accounts.checkPassword(body.email, body.password);
    if (!user) throw new AppError(ErrorCode.invalidCredentials, { key: 'server.errors.invalid_credentials' });
    const { secret } = await accounts.startSession(user.id);
    setSessionCookie(res, secret, deps.sessionTtlMs, req.secure);
    res.json({ user: presentUser(user) });
  });

  router.get('/auth/password-reset', (_req, res) => {
    res.json({ byEmail: deps.resetLinks.byEmail });
  });

  // The same answer whether or not an account uses the address (SPEC A10).
  router.post('/auth/password-reset', limiter, async (req, res) => {
    const { email } = parse(PasswordResetRequest, req.body);
    await deps.resetLinks.request(email, requestLanguage(req, res));
    res.status(202).json({});
  });

  router.get('/auth/password-reset/:code', async (req, res) => {
    const { user, expiresAt } = await deps.resetLinks.inspect(String(req.params.code));
    const info: ResetLinkInfo = { email: user.email, expiresAt: new Date(expiresAt).toISOString() };
    res.json(info);
  });

  router.post('/auth/password-reset/:code', limiter, async (req, res) => {
    const { password } = parse(SetPasswordRequest, req.body);
    const user = await deps.resetLinks.reset(String(req.params.code), password);
    const { secret } = await accounts.startSession(user.id);
    setSessionCookie(res, secret, deps.sessionTtlMs, req.secure);
    res.json({ user: presentUser(user) });
  });

  router.post('/auth/logout', async (req, res) => {
    const principal = principalOf(res);
    if (principal?.credential.kind === 'session') await accounts.endSession(principal.credential.sessionId, principal.user.id);
    clearSessionCookie(res, req.secure);
    res.status(204).end();
  });

  router.get('/me', (_req, res) => {
    res.json({ user: presentUser(requirePrincipal(res).user) });
  });

  router.patch('/me', async (req, res) => {
    const principal = requirePrincipal(res);
    const patch = parse(UpdateProfileRequest, req.body);
    const user = await accountStore.updateProfile(principal.user.id, patch, clock.now());
    if (!user) throw new NotFoundError('Account');
    res.json({ user: presentUser(user) });
  });

  router.post('/tokens', async (req, res) => {
    const principal = requirePrincipal(res);
    const { name } = parse(CreateTokenRequest, req.body);
    const { secret, token } = await accounts.createToken(principal.user.id, name);
    res.status(201).json({ token: secret, id: token.id, name: token.name, createdAt: new Date(token.createdAt).toISOString() });
  });

  router.get('/tokens', async (_req, res) => {
    const principal = requirePrincipal(res);
    const tokens = await accountStore.listTokens(principal.user.id);
    res.json({
      tokens: tokens.map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: new Date(t.createdAt).toISOString(),
        lastUsedAt: t.lastUsedAt === null ? null : new Date(t.lastUsedAt).toISOString(),
      })),
    });
  });

  router.delete('/tokens/:id', async (req, res) => {
    const principal = requirePrincipal(res);
    if (!(await accounts.revokeToken(principal.user.id, req.params.id))) throw new NotFoundError('Token');
    res.status(204).end();
  });

  return router;
}
