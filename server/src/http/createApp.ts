import type { Store } from 'express-rate-limit';
import path from 'node:path';
import { type ApiErrorBody, ErrorCode } from '@rapporteur/protocol';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import { AppError, httpStatus, retryAfterOf, StorageUnavailableError, translate } from '../errors';
import { isStorageReason, type ReadinessReport } from '../lib/readiness';
import type { AccessEvents } from '../auth/AccessEvents';
import type { Accounts } from '../auth/Accounts';
import type { Invites } from '../auth/Invites';
import type { ResetLinks } from '../auth/ResetLinks';
import type { CommentHub } from '../comments/CommentHub';
import type { Comments, EditDocument } from '../comments/Comments';
import type { History } from '../history/History';
import type { Exporter } from '../export/Exporter';
import type { Publisher } from '../publications/Publisher';
import type { PublicationStore } from '../storage/PublicationStore';
import { publicationPageRoutes, publicationRoutes } from './routes/publications';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { RoomManager } from '../rooms/RoomManager';
import type { AccountStore } from '../storage/AccountStore';
import type { CommentStore } from '../storage/CommentStore';
import type { NotificationStore } from '../storage/NotificationStore';
import type { DocumentStore } from '../storage/DocumentStore';
import type { TemplateStore } from '../storage/TemplateStore';
import { authenticate, requireJsonBody, requireSameOrigin } from './authMiddleware';
import { requestLanguage } from './language';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { commentRoutes } from './routes/comments';
import type { ImporterOptions } from '../imports/Importer';
import { importRoutes } from './routes/imports';
import { notificationRoutes } from './routes/notifications';
import { documentRoutes } from './routes/documents';
import { historyRoutes } from './routes/history';
import { readerRoutes } from './routes/reader';
import { templateAdminRoutes, templateRoutes } from './routes/templates';
import { markerRoutes } from './routes/markers';
import { translationRoutes } from './routes/translations';
import { eventRoutes } from './routes/events';
import type { EventStore } from '../storage/EventStore';
import type { SessionImport } from '../events/SessionImport';
import type { CitationResolver } from '../events/citationAccess';
import { citationRoutes } from './routes/citations';
import { eventPageRoutes } from './routes/eventPage';

/** Where the session CSV is posted (relative to /api). */
const SESSION_IMPORT_PATH = /^\/events\/[^/]+\/sessions\/import$/;
const DOCUMENT_IMPORT_PATH = /^\/documents\/import$/;
import { compressResponses, hasBuiltEditor, staticAssets } from './staticAssets';

export interface AppDeps {
  readonly store: DocumentStore;
  readonly accountStore: AccountStore;
  readonly accounts: Accounts;
  readonly invites: Invites;
  readonly resetLinks: ResetLinks;
  readonly events: AccessEvents;
  readonly commentStore: CommentStore;
  readonly comments: Comments;
  readonly hub: CommentHub;
  readonly notifications: NotificationStore;
  /** Templates, versioned (TPL5). */
  readonly templates: TemplateStore;
  readonly sessionTtlMs: number;
  readonly authRateLimit: number;
  /** Where rate limiters count; default: memory (one instance). */
  readonly rateLimitStore?: ((limiter: string) => Store) | undefined;
  readonly defaultRegistration: 'open' | 'invite-only';
  readonly rooms: RoomManager;
  /** Point-in-time states rebuilt from the log (SPEC V3). */
  readonly history: History;
  /** An edit of a document's body on behalf of an account, through its room (restore, accepting a suggestion). */
  readonly editDocument: EditDocument;
  /** Renders documents in every export format (SPEC X1–X6). */
  readonly exporter: Exporter;
  /** The importer's engine and limits (SPEC IM7); it loads with the first import. */
  readonly importOptions: ImporterOptions;
  /** Publications and their stored files (SPEC PUB1–PUB6). */
  readonly publications: PublicationStore;
  readonly publisher: Publisher;
  /** Events, tracks, organisers and sessions (issue 11). */
  readonly eventStore: EventStore;
  readonly sessionImport: SessionImport;
  /** Citations written out for a reader (SPEC EV10). */
  readonly resolveCitations: CitationResolver;
  readonly clock: Clock;
  readonly log: Logger;
  readonly staticDir: string | null;
  /** Which proxies to believe (X-Forwarded-For, -Host, -Proto): `compileTrustProxy` of the config. */
  readonly trustProxy: (address: string, hop: number) => boolean;
  /** HSTS max-age for HTTPS requests; 0 sends none. */
  readonly hstsMaxAgeSeconds: number;
  /** False until the server can serve (storage open); /healthz answers 503 meanwhile. */
  readonly isReady: () => boolean;
  /** Whether the server should get traffic now: /readyz, and writes are refused while storage fails (O3). */
  readonly readiness: () => Promise<ReadinessReport>;
  /** Whether an unexpected error is the storage failing (answered 503 `storage_unavailable`, not 500). */
  readonly isStorageFailure: (error: unknown) => boolean;
}

/** The HTTP side: API routes, health check, the built editor, and one error mapper. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The editor talks to this origin over HTTP and WebSocket only.
          'connect-src': ["'self'", 'ws:', 'wss:'],
          // Carets and a few editor widgets set colours inline.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // Helmet's default would force https on a plain-HTTP local install.
          'upgrade-insecure-requests': null,
        },
      },
      // Sent below, and only on HTTPS requests: a plain-HTTP LAN install has none to give.
      strictTransportSecurity: false,
    }),
  );
  if (deps.hstsMaxAgeSeconds > 0) {
    // Behind a TLS proxy, `req.secure` comes from its X-Forwarded-Proto, which
    // counts only from a trusted proxy (TRUST_PROXY). includeSubDomains is
    // left off: other services may live on sibling subdomains.
    const hsts = helmet.strictTransportSecurity({ maxAge: deps.hstsMaxAgeSeconds, includeSubDomains: false });
    app.use((req, res, next) => (req.secure ? hsts(req, res, next) : next()));
  }

  app.use(compressResponses());

  // Liveness: the process serves HTTP. Whether it should get traffic is /readyz.
  app.get('/healthz', (_req, res) => {
    if (deps.isReady()) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'starting' });
  });

  app.get('/readyz', async (_req, res) => {
    const report = await deps.readiness();
    res.setHeader('Cache-Control', 'no-store');
    if (report.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not_ready', reason: report.reason, message: report.message });
  });

  // While saves fail or the database does not answer, a write could only
  // hang (an accepted suggestion waits for its room) or fail half-way: refuse
  // it at once with a reason the client can show (O3).
  app.use('/api', async (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const report = await deps.readiness();
    if (!report.ready && isStorageReason(report.reason)) next(new StorageUnavailableError(`Storage is unavailable: ${report.message}`));
    else next();
  });

  app.use('/api', requireJsonBody({ csvPaths: [SESSION_IMPORT_PATH], multipartPaths: [DOCUMENT_IMPORT_PATH] }), express.json({ limit: '256kb' }), authenticate(deps.accounts), requireSameOrigin());
  app.use('/api', authRoutes({ ...deps, accountStore: deps.accountStore }));
  app.use('/api', importRoutes(deps));
  app.use('/api', documentRoutes(deps));
  app.use('/api', commentRoutes(deps));
  app.use('/api', historyRoutes(deps));
  app.use('/api', markerRoutes(deps));
  app.use('/api', translationRoutes(deps));
  app.use('/api', eventRoutes(deps));
  app.use('/api', citationRoutes(deps));
  app.use('/api', publicationRoutes(deps));
  app.use('/api', notificationRoutes(deps));
  app.use('/api', templateRoutes(deps));
  app.use('/api/admin', templateAdminRoutes(deps));
  app.use('/api/admin', adminRoutes(deps));
  app.use('/api', (_req, _res, next) => next(new AppError(ErrorCode.notFound, { key: 'server.request.noRoute' })));

  // Publications' permanent addresses: server-rendered pages, no JavaScript needed (SPEC PUB2).
  app.use(publicationPageRoutes(deps));
  // Events' public pages (SPEC EV11).
  app.use(eventPageRoutes(deps));

  if (hasBuiltEditor(deps.staticDir)) {
    const dir = deps.staticDir;
    app.use(staticAssets(dir));
    // The document's own link and its forms, readable without JavaScript (SPEC N1–N3).
    app.use(readerRoutes({ ...deps, staticDir: dir }));
    // Client-side routes (/d/:id …) all load the app shell.
    app.get('/{*splat}', (_req, res) => res.sendFile(path.join(dir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }));
  } else {
    app.get('/', (_req, res) =>
      res
        .type('text/plain')
        .send('Rapporteur server is running, but the editor is not built. Run `pnpm build` (or `pnpm start`).'),
    );
  }

  app.use(errorHandler(deps.log, deps.isStorageFailure));
  return app;
}

function errorHandler(log: Logger, isStorageFailure: (error: unknown) => boolean): ErrorRequestHandler {
  return (thrown: unknown, req, res, _next) => {
    let status: number;
    let body: ApiErrorBody;
    let error = thrown;
    // Messages in the person's language; the code stays as it is (SPEC L5).
    const language = requestLanguage(req, res);
    res.setHeader('Content-Language', language);
    if (!(error instanceof AppError) && isStorageFailure(error)) {
      log.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed: storage unavailable');
      error = new StorageUnavailableError();
    }
    if (error instanceof AppError) {
      status = httpStatus(error.code);
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== null) res.setHeader('Retry-After', String(retryAfter));
      const details = error.detailsIn(language);
      body = { error: { code: error.code, message: error.messageIn(language), ...(details ? { details } : {}) } };
    } else if (isHttpError(error) && error.status < 500) {
      // Errors raised by express.json(): bad JSON (400), body too large (413).
      status = error.status;
      const code = status === 413 ? ErrorCode.payloadTooLarge : ErrorCode.badRequest;
      body = { error: { code, message: translate(language, { key: status === 413 ? 'server.errors.payload_too_large' : 'server.request.malformed' }) } };
    } else {
      log.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
      status = 500;
      body = { error: { code: ErrorCode.internal, message: translate(language, { key: 'server.errors.internal' }) } };
    }
    res.status(status).json(body);
  };
}

function isHttpError(e: unknown): e is { status: number } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number';
}
