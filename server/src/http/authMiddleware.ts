import { ErrorCode } from '@rapporteur/protocol';
import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Accounts, Principal } from '../auth/Accounts';
import { isSameOrigin } from '../auth/sameOrigin';
import { AppError, UnauthenticatedError } from '../errors';

export const SESSION_COOKIE = 'rapporteur_session';

/** The principal authenticate() attached to the request, or null (anonymous). */
export function principalOf(res: Response): Principal | null {
  return (res.locals.principal as Principal | null | undefined) ?? null;
}

/** The principal, or a 401 for anonymous requests. */
export function requirePrincipal(res: Response): Principal {
  const p = principalOf(res);
  if (!p) throw new UnauthenticatedError();
  return p;
}

/**
 * Resolves the caller from `Authorization: Bearer <token>` or the session
 * cookie; an invalid Bearer token is a 401 (a script should know), an
 * invalid cookie is just anonymous (it may simply have expired).
 */
export function authenticate(accounts: Accounts): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const auth = req.get('authorization');
      if (auth) {
        const match = /^Bearer\s+(\S+)$/i.exec(auth);
        const principal = match ? await accounts.authenticate({ token: match[1] }) : null;
        if (!principal) throw new UnauthenticatedError({ key: 'server.request.invalidToken' });
        res.locals.principal = principal;
        res.locals.viaCookie = false;
      } else {
        const secret = parseCookie(req.get('cookie') ?? '')[SESSION_COOKIE];
        res.locals.principal = secret ? await accounts.authenticate({ session: secret }) : null;
        res.locals.viaCookie = Boolean(secret);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The API speaks JSON: a request that carries a body must say it is JSON
 * (`application/json`, any charset), else 415. Without this a form post,
 * `text/plain` or XML would reach the routes as an empty body and create an
 * "Untitled document" — and `text/plain` is what a cross-site form can send
 * without a preflight. Body-less commands (no body at all, or
 * `Content-Length: 0`) are accepted as they are, and so is `text/csv` posted
 * to one of `csvPaths` (relative to where the middleware is mounted).
 */
export function requireJsonBody(options: { readonly csvPaths?: readonly RegExp[]; readonly multipartPaths?: readonly RegExp[] } = {}): RequestHandler {
  return (req, _res, next) => {
    const length = req.get('content-length');
    const hasBody = req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
    if (!hasBody || req.is('application/json')) return next();
    // The session CSV (SPEC EV3): `text/csv` is not a type a cross-site form can send.
    if (req.method === 'POST' && req.is('text/csv') && options.csvPaths?.some((p) => p.test(req.path))) return next();
    // A file upload (SPEC IM7). A cross-site form can send multipart: requireSameOrigin refuses it for cookie sessions.
    if (req.method === 'POST' && req.is('multipart/form-data') && options.multipartPaths?.some((p) => p.test(req.path))) return next();
    next(new AppError(ErrorCode.unsupportedMediaType, { key: 'server.errors.unsupported_media_type' }));
  };
}

/**
 * CSRF protection for cookie-authenticated requests: a state-changing
 * request must come from a page of this origin. Browsers send `Origin` on
 * such requests (and `Sec-Fetch-Site`); SameSite=Lax cookies are the second
 * line. Bearer-token requests carry no ambient credential and are exempt.
 */
export function requireSameOrigin(): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || !res.locals.viaCookie) return next();
    if (isSameOrigin((name) => req.get(name), req.host)) return next();
    next(new AppError(ErrorCode.csrf, { key: 'server.errors.cross_site_request' }));
  };
}

export function setSessionCookie(res: Response, secret: string, maxAgeMs: number, secure: boolean): void {
  res.append(
    'Set-Cookie',
    serializeCookie(SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: Math.floor(maxAgeMs / 1000),
    }),
  );
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 }));
}
