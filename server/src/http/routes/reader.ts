import fs from 'node:fs';
import path from 'node:path';
import { CreateCommentRequest, parseDocumentId } from '@rapporteur/protocol';
import { docToJSON } from '@rapporteur/schema';
import type { CitationResolver } from '../../events/citationAccess';
import express, { type Request, type Response, Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import * as z from 'zod';
import type { Accounts } from '../../auth/Accounts';
import { decideFor } from '../../auth/documentRole';
import type { Comments } from '../../comments/Comments';
import { ErrorCode } from '@rapporteur/protocol';
import { AppError } from '../../errors';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { RoomManager } from '../../rooms/RoomManager';
import type { CommentStore } from '../../storage/CommentStore';
import type { DocumentRecord, DocumentStore } from '../../storage/DocumentStore';
import { blockText, type ReaderText, readerPageHtml, readerText, signInPageHtml, withRootContent } from '../../pages/readerPage';
import { ReaderTextCache } from '../../pages/readerTextCache';
import { authenticate, principalOf, requireSameOrigin, setSessionCookie } from '../authMiddleware';
import { labelsIn, requestLanguage } from '../language';
import { presentComment } from '../presenters';
import { withEditorPreloads } from '../staticAssets';

export interface ReaderDeps {
  readonly store: DocumentStore;
  readonly accounts: Accounts;
  readonly commentStore: CommentStore;
  readonly comments: Comments;
  readonly rooms: RoomManager;
  readonly clock: Clock;
  readonly log: Logger;
  /** Citations written out for the reader (SPEC EV10). */
  readonly resolveCitations: CitationResolver;
  readonly sessionTtlMs: number;
  readonly authRateLimit: number;
  /** Where the limiters count (shared by every instance with Redis); default: this process's memory. */
  readonly rateLimitStore?: ((limiter: string) => Store) | undefined;
  /** The built editor (its index.html is the shell the page goes into). */
  readonly staticDir: string;
}

const CommentForm = z.object({ blockId: z.string().min(1).max(100), body: z.string() });
const SignInForm = z.object({ email: z.string().max(254), password: z.string().max(4096) });

/**
 * Pages that work without JavaScript (issue 13, SPEC N1–N3), in the editor's
 * own shell: `GET /d/:id` carries the text and comments for anyone who may
 * read; `POST /d/:id/comments` and `POST /signin` are plain HTML forms
 * posting to the same commands as the API, under the same policy and the same
 * same-origin rule for cookie-authenticated writes.
 */
export function readerRoutes(deps: ReaderDeps): Router {
  const router = Router();
  const shell = (): string => fs.readFileSync(path.join(deps.staticDir, 'index.html'), 'utf8');
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 10 });
  const limiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: deps.authRateLimit,
    // With Redis down, attempts are let through (and logged by the store's errors) rather than nobody signing in.
    ...(deps.rateLimitStore ? { store: deps.rateLimitStore('reader'), passOnStoreError: true } : {}),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
  });

  const load = async (res: Response, rawId: string): Promise<{ record: DocumentRecord; mayComment: boolean } | null> => {
    const id = parseDocumentId(rawId);
    const record = id ? await deps.store.getDocument(id) : null;
    if (!record) return null;
    const user = principalOf(res)?.user ?? null;
    const now = deps.clock.now();
    const read = await decideFor(deps.store, user, record, 'read', now);
    if (!read.allowed) return null;
    const comment = user ? await decideFor(deps.store, user, record, 'comment', now) : { allowed: false };
    return { record, mayComment: comment.allowed };
  };

  // The rendered text of each document's last state read here (SPEC N4).
  const texts = new ReaderTextCache();
  /** The document's text as `reader` reads it: kept per seq, unless its citations depend on who reads (EV10). */
  const textOf = async (record: DocumentRecord, reader: Parameters<CitationResolver>[1]): Promise<ReaderText> => {
    const read = await deps.rooms.read(record.id, (doc, seq) => {
      const cached = texts.get(record.id, record.language, seq);
      return cached ? { seq, cached, body: null } : { seq, cached: null, body: docToJSON(doc) };
    });
    if (read.cached) return read.cached;
    const resolved = await deps.resolveCitations(read.body, reader, deps.clock.now(), record.language);
    const text = readerText(resolved, record.language);
    // Nothing to resolve (the same body back): the same text for everyone who may read it.
    if (resolved === read.body) texts.set(record.id, record.language, read.seq, text);
    return text;
  };

  /** The page around the document in the reader's language (SPEC L7). */
  const render = async (req: Request, res: Response, status: number, problem: string | null): Promise<void> => {
    res.setHeader('Cache-Control', 'no-cache');
    const language = requestLanguage(req, res);
    const t = labelsIn(language);
    res.setHeader('Content-Language', language);
    const loaded = await load(res, String(req.params.id));
    // Not signed in and nothing readable: a sign-in form (saying nothing of whether the document exists).
    // Signed in without access, or no such document: the editor's shell alone, which says so with JavaScript.
    if (!loaded) {
      const content = principalOf(res) === null ? signInPageHtml(String(req.params.id), req.query['failed'] === '1', t) : '';
      res.status(status).type('html').send(withRootContent(shell(), content, language));
      return;
    }
    const { record, mayComment } = loaded;
    const text = await textOf(record, principalOf(res)?.user ?? null);
    const list = await deps.commentStore.list(record.id);
    const moderator = false;
    const html = readerPageHtml({
      title: record.title,
      text,
      comments: list.map((c) => presentComment(c, moderator)),
      can: { comment: mayComment, signIn: principalOf(res) === null },
      documentId: record.id,
      problem: problem === null ? null : t(problem),
      posted: req.query['posted'] === '1',
    }, t);
    // The editor page follows for anyone with JavaScript: its chunks are named in the head (issue 14).
    res.status(status).type('html').send(withRootContent(withEditorPreloads(deps.staticDir, shell()), html, language));
  };

  router.get('/d/:id', authenticate(deps.accounts), async (req, res) => {
    await render(req, res, 200, null);
  });

  router.post('/d/:id/comments', form, authenticate(deps.accounts), requireSameOrigin(), async (req, res) => {
    const loaded = await load(res, String(req.params.id));
    const user = principalOf(res)?.user;
    if (!loaded || !user || !loaded.mayComment) {
      await render(req, res, user ? 403 : 401, user ? 'server.reader.mayNotComment' : 'server.reader.signInToCommentProblem');
      return;
    }
    const fields = CommentForm.safeParse(req.body);
    const body = fields.success ? await deps.rooms.read(loaded.record.id, (doc) => docToJSON(doc)) : null;
    const quote = fields.success && body ? blockText(body, fields.data.blockId) : null;
    const input = fields.success && quote !== null ? CreateCommentRequest.safeParse({ anchor: { type: 'block', blockId: fields.data.blockId, quote: quote.slice(0, 5000) }, body: fields.data.body }) : null;
    if (!input?.success) {
      await render(req, res, 400, quote === null && fields.success ? 'server.reader.paragraphGone' : 'server.reader.writeComment');
      return;
    }
    // The same command as POST /api/documents/:id/comments: attribution stamped from the account.
    const { comment } = await deps.comments.create(loaded.record, user, input.data);
    res.redirect(303, `/d/${loaded.record.id}?posted=1#comment-${comment.id}`);
  });

  router.post('/signin', limiter, form, authenticate(deps.accounts), requireSameOrigin(), async (req, res) => {
    const next = typeof req.query['next'] === 'string' && /^\/d\/[A-Za-z0-9_-]{1,64}$/.test(req.query['next']) ? req.query['next'] : '/';
    const fields = SignInForm.safeParse(req.body);
    const user = fields.success ? await deps.accounts.checkPassword(fields.data.email.trim().toLowerCase(), fields.data.password) : null;
    if (!user) {
      // Back to the page the form was on, saying it failed.
      res.redirect(303, next === '/' ? '/signin' : `${next}?failed=1`);
      return;
    }
    const { secret } = await deps.accounts.startSession(user.id);
    setSessionCookie(res, secret, deps.sessionTtlMs, req.secure);
    res.redirect(303, next);
  });

  // A refused cross-site form gets a page, not JSON.
  router.use((error: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (error instanceof AppError && error.code === ErrorCode.csrf) {
      res.status(403).type('text/plain').send(labelsIn(requestLanguage(_req, res))('server.reader.crossSite'));
      return;
    }
    next(error);
  });

  return router;
}
