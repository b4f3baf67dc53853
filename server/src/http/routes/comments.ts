import {
  AcceptSuggestionRequest,
  CreateCommentRequest,
  type DocumentId,
  DispositionRequest,
  EditCommentRequest,
  HideCommentRequest,
  ReplyRequest,
} from '@rapporteur/protocol';
import { Router } from 'express';
import * as z from 'zod';
import type { AccessEvents } from '../../auth/AccessEvents';
import { roleFor } from '../../auth/documentRole';
import { roleAllows } from '../../auth/policy';
import type { CommentHub } from '../../comments/CommentHub';
import type { Comments } from '../../comments/Comments';
import {
  compendiumHtml,
  compendiumMarkdown,
  dispositionCsv,
  dispositionHtml,
  dispositionRows,
  participation,
} from '../../comments/exports';
import { BadRequestError, NotFoundError } from '../../errors';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { AccountStore, UserRecord } from '../../storage/AccountStore';
import type { CommentRecord, CommentStore } from '../../storage/CommentStore';
import type { DocumentRecord, DocumentStore } from '../../storage/DocumentStore';
import { principalOf, requirePrincipal } from '../authMiddleware';
import { documentAuthorizer } from '../authorizeDocument';
import { presentComment, presentDocument } from '../presenters';
import { labelsIn, requestLanguage } from '../language';
import { parse } from '../validate';

/** Exports are standalone pages: nothing in them may run scripts or load anything. */
const EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";
const CommentExportQuery = z.object({ format: z.enum(['csv', 'html']) });
const CompendiumQuery = z.object({ format: z.enum(['html', 'md']).default('html') });

export interface CommentRoutesDeps {
  readonly store: DocumentStore;
  readonly accountStore: AccountStore;
  readonly commentStore: CommentStore;
  readonly comments: Comments;
  readonly hub: CommentHub;
  /** Changes to documents (workflow, deadline, title, visibility, members): pushed as `document` events (WF9). */
  readonly events: AccessEvents;
  readonly clock: Clock;
  readonly log: Logger;
  /** Interval of the keep-alive line on event streams. */
  readonly keepAliveMs?: number;
}

/** `/api/documents/:id/comments…`: comments, replies, disposition, moderation, and the event stream. */
export function commentRoutes(deps: CommentRoutesDeps): Router {
  const { store, accountStore, commentStore, comments, hub, clock, log } = deps;
  const router = Router();
  const authorize = documentAuthorizer(store, clock);

  async function findComment(record: DocumentRecord, commentId: string): Promise<CommentRecord> {
    const comment = await commentStore.get(commentId);
    if (!comment || comment.documentId !== record.id) throw new NotFoundError('Comment');
    return comment;
  }

  router.get('/documents/:id/comments', async (req, res) => {
    const { record, role } = await authorize(res, req.params.id, 'read');
    // The event id first: a stream opened with ?after= it misses nothing written after this list.
    const lastEventId = await commentStore.lastEventSeq(record.id);
    const list = await commentStore.list(record.id);
    const moderator = roleAllows(role, 'moderate');
    res.json({ comments: list.map((c) => presentComment(c, moderator)), lastEventId });
  });

  router.post('/documents/:id/comments', async (req, res) => {
    const input = parse(CreateCommentRequest, req.body);
    const { record, role } = await authorize(res, req.params.id, 'comment');
    const { comment, created } = await comments.create(record, requirePrincipal(res).user, input);
    res.status(created ? 201 : 200).json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.post('/documents/:id/comments/:commentId/replies', async (req, res) => {
    const input = parse(ReplyRequest, req.body);
    const { record, role } = await authorize(res, req.params.id, 'comment');
    const parent = await findComment(record, req.params.commentId);
    const { comment, created } = await comments.reply(record, parent, requirePrincipal(res).user, input);
    res.status(created ? 201 : 200).json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.patch('/documents/:id/comments/:commentId', async (req, res) => {
    const input = parse(EditCommentRequest, req.body);
    const { record, role } = await authorize(res, req.params.id, 'comment');
    const comment = await comments.edit(record, await findComment(record, req.params.commentId), requirePrincipal(res).user, input);
    res.json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.post('/documents/:id/comments/:commentId/withdraw', async (req, res) => {
    const { record, role } = await authorize(res, req.params.id, 'comment');
    const comment = await comments.withdraw(await findComment(record, req.params.commentId), requirePrincipal(res).user);
    res.json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.put('/documents/:id/comments/:commentId/disposition', async (req, res) => {
    const input = parse(DispositionRequest, req.body);
    const { record, role } = await authorize(res, req.params.id, 'dispose');
    const comment = await comments.dispose(await findComment(record, req.params.commentId), requirePrincipal(res).user, input);
    res.json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.post('/documents/:id/comments/:commentId/accept', async (req, res) => {
    const { response } = parse(AcceptSuggestionRequest, req.body ?? {});
    // Applying a suggestion edits the text: it needs the right to write, which also covers disposition.
    const { record, role } = await authorize(res, req.params.id, 'write');
    const comment = await comments.acceptSuggestion(await findComment(record, req.params.commentId), requirePrincipal(res).user, response);
    res.json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.post('/documents/:id/comments/:commentId/hide', async (req, res) => {
    const { reason } = parse(HideCommentRequest, req.body);
    const { record } = await authorize(res, req.params.id, 'moderate');
    const comment = await comments.hide(await findComment(record, req.params.commentId), requirePrincipal(res).user, reason);
    res.json({ comment: presentComment(comment, true) });
  });

  router.post('/documents/:id/comments/:commentId/unhide', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'moderate');
    const comment = await comments.unhide(await findComment(record, req.params.commentId), requirePrincipal(res).user);
    res.json({ comment: presentComment(comment, true) });
  });

  router.get('/documents/:id/comments/export', async (req, res) => {
    const { format } = parse(CommentExportQuery, req.query);
    const { record, role } = await authorize(res, req.params.id, 'read');
    // Labels in the reader's language (SPEC L7).
    const language = requestLanguage(req, res);
    const t = labelsIn(language);
    res.setHeader('Content-Language', language);
    const rows = dispositionRows(await commentStore.list(record.id), roleAllows(role, 'moderate'), t);
    const name = `disposition-of-comments-${record.id}.${format}`;
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${name}"`).send(dispositionCsv(rows, t));
    } else {
      res
        .type('text/html; charset=utf-8')
        .set('Content-Disposition', `inline; filename="${name}"`)
        .set('Content-Security-Policy', EXPORT_CSP)
        .send(dispositionHtml(record.title, rows, t, language));
    }
  });

  router.get('/documents/:id/comments/compendium', async (req, res) => {
    const { format } = parse(CompendiumQuery, req.query);
    const { record } = await authorize(res, req.params.id, 'read');
    const list = await commentStore.list(record.id);
    const language = requestLanguage(req, res);
    const t = labelsIn(language);
    res.setHeader('Content-Language', language);
    if (format === 'md') res.type('text/markdown; charset=utf-8').send(compendiumMarkdown(record.title, list, t));
    else res.type('text/html; charset=utf-8').set('Content-Security-Policy', EXPORT_CSP).send(compendiumHtml(record.title, list, t, language));
  });

  router.get('/documents/:id/participation', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'read');
    const list = await commentStore.list(record.id);
    const profiles = new Map<string, UserRecord>();
    for (const id of new Set(list.map((c) => c.author.id))) {
      const user = await accountStore.getUser(id);
      if (user) profiles.set(id, user);
    }
    res.json(participation(list, profiles));
  });

  /**
   * Server-sent events: one `comment` event per change, with the comment as
   * it is now and `id` = the change's seq. A client resumes without gaps by
   * reconnecting with `Last-Event-ID` (EventSource does this itself) or
   * `?after=<lastEventId>` from the list (C3). A `document` event (no id: it
   * is not part of the comment log) carries the document as the reader sees
   * it now whenever its status, deadline, title, visibility or members
   * change (WF9); a client that reconnects fetches the document again.
   */
  router.get('/documents/:id/comments/events', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'read');
    const principal = principalOf(res);
    const resumeFrom = eventCursor(req.get('last-event-id'), req.query.after);
    let cursor = resumeFrom ?? (await commentStore.lastEventSeq(record.id));
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Proxies (nginx) must not buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');

    let closed = false;
    let pumping = false;
    let again = false;
    const documentId: DocumentId = record.id;
    const pump = async (): Promise<void> => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          for (;;) {
            const events = await commentStore.eventsAfter(documentId, cursor, 200);
            if (events.length === 0 || closed) break;
            // Access is re-checked for every batch: a reader removed meanwhile gets nothing more.
            const current = await store.getDocument(documentId);
            const role = current ? await roleFor(store, principal?.user ?? null, current, clock.now()) : null;
            if (!roleAllows(role, 'read')) {
              res.end();
              return;
            }
            for (const event of events) {
              const comment = await commentStore.get(event.commentId);
              if (!comment) continue;
              const data = JSON.stringify({ seq: event.seq, type: event.type, comment: presentComment(comment, roleAllows(role, 'moderate')) });
              res.write(`id: ${event.seq}\nevent: comment\ndata: ${data}\n\n`);
              cursor = event.seq;
            }
          }
        } while (again && !closed);
      } catch (error) {
        log.error({ err: error, documentId }, 'comment event stream failed');
        res.end();
      } finally {
        pumping = false;
      }
    };
    const unsubscribe = hub.subscribe(documentId, () => void pump());
    const pushDocument = async (): Promise<void> => {
      const current = await store.getDocument(documentId);
      const role = current ? await roleFor(store, principal?.user ?? null, current, clock.now()) : null;
      if (closed) return;
      if (!current || !roleAllows(role, 'read')) {
        res.end();
        return;
      }
      res.write(`event: document\ndata: ${JSON.stringify({ document: presentDocument(current, role!) })}\n\n`);
    };
    const unsubscribeDocument = deps.events.subscribe((change) => {
      if (change.kind !== 'document' || change.documentId !== documentId) return;
      pushDocument().catch((error: unknown) => log.error({ err: error, documentId }, 'document event failed'));
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), deps.keepAliveMs ?? 25_000);
    keepAlive.unref();
    req.on('close', () => {
      closed = true;
      unsubscribe();
      unsubscribeDocument();
      clearInterval(keepAlive);
    });
    void pump();
  });

  return router;
}

/**
 * Where a stream resumes: after `Last-Event-ID` (EventSource's own resume)
 * or `?after=`, a non-negative integer; undefined when neither is given (the
 * stream then starts at the present). Anything else is a 400: silently
 * starting from the beginning or the end would hide a client's bug and
 * replay or skip events.
 */
function eventCursor(header: string | undefined, query: unknown): number | undefined {
  if (query !== undefined && typeof query !== 'string') {
    throw new BadRequestError({ key: 'server.request.problem', values: { path: 'after', message: { key: 'server.comments.oneEventId' } } });
  }
  const raw = header ?? query;
  if (raw === undefined) return undefined;
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new BadRequestError({
      key: 'server.request.problem',
      values: { path: header !== undefined ? 'Last-Event-ID' : 'after', message: { key: 'server.comments.badEventId' } },
    });
  }
  return n;
}
