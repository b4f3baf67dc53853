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
import { roleFor } from '../../auth/documentRole';
import { roleAllows } from '../../auth/policy';
import type { CommentHub } from '../../comments/CommentHub';
import type { Comments } from '../../comments/Comments';
import { NotFoundError } from '../../errors';
import type { Logger } from '../../lib/logger';
import type { CommentRecord, CommentStore } from '../../storage/CommentStore';
import type { DocumentRecord, DocumentStore } from '../../storage/DocumentStore';
import { principalOf, requirePrincipal } from '../authMiddleware';
import { authorizeDocument } from '../authorizeDocument';
import { presentComment } from '../presenters';
import { parse } from '../validate';

export interface CommentRoutesDeps {
  readonly store: DocumentStore;
  readonly commentStore: CommentStore;
  readonly comments: Comments;
  readonly hub: CommentHub;
  readonly log: Logger;
  /** Interval of the keep-alive line on event streams. */
  readonly keepAliveMs?: number;
}

/** `/api/documents/:id/comments…`: comments, replies, disposition, moderation, and the event stream. */
export function commentRoutes(deps: CommentRoutesDeps): Router {
  const { store, commentStore, comments, hub, log } = deps;
  const router = Router();

  async function findComment(record: DocumentRecord, commentId: string): Promise<CommentRecord> {
    const comment = await commentStore.get(commentId);
    if (!comment || comment.documentId !== record.id) throw new NotFoundError('Comment');
    return comment;
  }

  router.get('/documents/:id/comments', async (req, res) => {
    const { record, role } = await authorizeDocument(store, res, req.params.id, 'read');
    // The event id first: a stream opened with ?after= it misses nothing written after this list.
    const lastEventId = await commentStore.lastEventSeq(record.id);
    const list = await commentStore.list(record.id);
    const moderator = roleAllows(role, 'moderate');
    res.json({ comments: list.map((c) => presentComment(c, moderator)), lastEventId });
  });

  router.post('/documents/:id/comments', async (req, res) => {
    const input = parse(CreateCommentRequest, req.body);
    const { record, role } = await authorizeDocument(store, res, req.params.id, 'comment');
    const { comment, created } = await comments.create(record, requirePrincipal(res).user, input);
    res.status(created ? 201 : 200).json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.post('/documents/:id/comments/:commentId/replies', async (req, res) => {
    const input = parse(ReplyRequest, req.body);
    const { record, role } = await authorizeDocument(store, res, req.params.id, 'comment');
    const parent = await findComment(record, req.params.commentId);
    const { comment, created } = await comments.reply(record, parent, requirePrincipal(res).user, input);
    res.status(created ? 201 : 200).json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.patch('/documents/:id/comments/:commentId', async (req, res) => {
    const input = parse(EditCommentRequest, req.body);
    const { record, role } = await authorizeDocument(store, res, req.params.id, 'comment');
    const comment = await comments.edit(await findComment(record, req.params.commentId), requirePrincipal(res).user, input);
    res.json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.post('/documents/:id/comments/:commentId/withdraw', async (req, res) => {
    const { record, role } = await authorizeDocument(store, res, req.params.id, 'comment');
    const comment = await comments.withdraw(await findComment(record, req.params.commentId), requirePrincipal(res).user);
    res.json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.put('/documents/:id/comments/:commentId/disposition', async (req, res) => {
    const input = parse(DispositionRequest, req.body);
    const { record, role } = await authorizeDocument(store, res, req.params.id, 'dispose');
    const comment = await comments.dispose(await findComment(record, req.params.commentId), requirePrincipal(res).user, input);
    res.json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.post('/documents/:id/comments/:commentId/accept', async (req, res) => {
    const { response } = parse(AcceptSuggestionRequest, req.body ?? {});
    // Applying a suggestion edits the text: it needs the right to write, which also covers disposition.
    const { record, role } = await authorizeDocument(store, res, req.params.id, 'write');
    const comment = await comments.acceptSuggestion(await findComment(record, req.params.commentId), requirePrincipal(res).user, response);
    res.json({ comment: presentComment(comment, roleAllows(role, 'moderate')) });
  });

  router.post('/documents/:id/comments/:commentId/hide', async (req, res) => {
    const { reason } = parse(HideCommentRequest, req.body);
    const { record } = await authorizeDocument(store, res, req.params.id, 'moderate');
    const comment = await comments.hide(await findComment(record, req.params.commentId), requirePrincipal(res).user, reason);
    res.json({ comment: presentComment(comment, true) });
  });

  router.post('/documents/:id/comments/:commentId/unhide', async (req, res) => {
    const { record } = await authorizeDocument(store, res, req.params.id, 'moderate');
    const comment = await comments.unhide(await findComment(record, req.params.commentId), requirePrincipal(res).user);
    res.json({ comment: presentComment(comment, true) });
  });

  /**
   * Server-sent events: one `comment` event per change, with the comment as
   * it is now and `id` = the change's seq. A client resumes without gaps by
   * reconnecting with `Last-Event-ID` (EventSource does this itself) or
   * `?after=<lastEventId>` from the list (C3).
   */
  router.get('/documents/:id/comments/events', async (req, res) => {
    const { record } = await authorizeDocument(store, res, req.params.id, 'read');
    const principal = principalOf(res);
    const raw = req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined);
    let cursor = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : await commentStore.lastEventSeq(record.id);
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
            const role = current ? await roleFor(store, principal, current) : null;
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
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), deps.keepAliveMs ?? 25_000);
    keepAlive.unref();
    req.on('close', () => {
      closed = true;
      unsubscribe();
      clearInterval(keepAlive);
    });
    void pump();
  });

  return router;
}
