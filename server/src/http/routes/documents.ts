import crypto from 'node:crypto';
import {
  CommentPeriodRequest,
  CreateDocumentRequest,
  CreateInviteRequest,
  type DocumentId,
  ErrorCode,
  isDue,
  ListDocumentsQuery,
  MemberRoleRequest,
  type Locale,
  type MemberView,
  type Role,
  SetMemberRequest,
  UpdateDocumentRequest,
} from '@rapporteur/protocol';
import { LANGUAGE_NAMES } from '@rapporteur/i18n';
import { BODY_FIELD, docToJSON, readinessProblems, requiredFieldsOf, templateBody } from '@rapporteur/schema';
import { Router } from 'express';
import type { AccessEvents } from '../../auth/AccessEvents';
import type { Principal } from '../../auth/Accounts';
import { decideMoveFor } from '../../auth/documentRole';
import type { Invites } from '../../auth/Invites';
import { type DocumentAction, isPeriodOpen, roleAllows } from '../../auth/policy';
import type { EditDocument } from '../../comments/Comments';
import { AppError, BadRequestError, type MessageRef, NotFoundError } from '../../errors';
import { replaceBody } from '../../history/replaceBody';
import type { Clock } from '../../lib/clock';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AccountStore, UserRecord } from '../../storage/AccountStore';
import type { DocumentQuery, DocumentRecord, DocumentStore, NewAuditEvent, WorkflowChange } from '../../storage/DocumentStore';
import { LastOwnerConflict } from '../../storage/DocumentStore';
import type { TemplateRecord, TemplateStore } from '../../storage/TemplateStore';
import { requirePrincipal } from '../authMiddleware';
import { type AuthorizedDocument, documentAuthorizer, refusalError, statusName } from '../authorizeDocument';
import { presentDocument, presentInvite, presentMember } from '../presenters';
import { requestLanguage } from '../language';
import { parse } from '../validate';

export interface DocumentRoutesDeps {
  readonly store: DocumentStore;
  readonly accountStore: AccountStore;
  readonly rooms: RoomManager;
  readonly invites: Invites;
  readonly events: AccessEvents;
  readonly clock: Clock;
  readonly templates: TemplateStore;
  /** Writes a new document's first body as an ordinary edit by its creator (as a restore does, TPL7). */
  readonly editDocument: EditDocument;
}

/** `/api/documents` and `/api/invites`: authenticate → validate → authorize (policy.ts) → command → present. */
export function documentRoutes(deps: DocumentRoutesDeps): Router {
  const { store, accountStore, rooms, invites, events, clock, templates, editDocument } = deps;
  const router = Router();

  const authorize = documentAuthorizer(store, clock);

  router.get('/documents', async (req, res) => {
    const principal = requirePrincipal(res);
    const filters = parse(ListDocumentsQuery, req.query);
    const now = clock.now();
    const query: DocumentQuery = {
      order: 'deadline',
      ...(filters.type !== undefined ? { type: filters.type } : {}),
      ...(filters.status !== undefined ? { status: filters.status } : {}),
      // The store narrows to deadlines that can be due; the zone decides the rest (WF8).
      ...(filters.due !== undefined ? { deadlineUpTo: now + DUE_HORIZON_MS[filters.due] } : {}),
    };
    let docs: Array<{ record: DocumentRecord; role: Role }> = principal.user.isAdmin
      ? (await store.listDocuments(query)).map((d) => ({ record: d, role: 'owner' }))
      : (await store.listDocumentsOf(principal.user.id, query)).map((d) => ({ record: d, role: d.role }));
    if (filters.due !== undefined) docs = docs.filter(({ record }) => record.deadline !== null && isDue(filters.due!, record.deadline, now));
    res.json({ documents: docs.map(({ record, role }) => presentDocument(record, role)) });
  });

  /**
   * Creates a document, its body filled from a template (TPL7): `templateId`
   * picks that template's current version, `type` alone the type's standard
   * template, neither a blank document. The template's body is built (with
   * server-made block ids) before anything is stored, then written through
   * the document's room as one ordinary update by the creator, exactly as a
   * restore is; the document records the template version, and its audit
   * trail says which.
   */
  router.post('/documents', async (req, res) => {
    const principal = requirePrincipal(res);
    const body = parse(CreateDocumentRequest, req.body ?? {});
    const template = await templateFor(body);
    const source = template && template.content.length > 0 ? templateBody(template.content, () => crypto.randomUUID()) : null;
    try {
      const record = await store.createDocument({
        id: newDocumentId(),
        title: body.title ?? 'Untitled document',
        now: clock.now(),
        ownerId: principal.user.id,
        type: template?.type ?? body.type ?? 'blank',
        template: template ? { id: template.id, version: template.version, name: template.name } : null,
        // Written in the language asked for, else the creator's interface language (SPEC L8).
        language: body.language ?? requestLanguage(req, res),
      });
      if (source) {
        await editDocument(record.id, principal.user.id, (doc) => replaceBody(doc.getXmlFragment(BODY_FIELD), source.getXmlFragment(BODY_FIELD)));
      }
      if (template) {
        await audit(record.id, principal, 'document.created_from_template', { templateId: template.id, version: template.version, name: template.name });
      }
      res.status(201).location(`/api/documents/${record.id}`).json(presentDocument(record, 'owner'));
    } finally {
      source?.destroy();
    }
  });

  /** The template a new document starts from; a field naming none is a 400 naming that field. */
  async function templateFor(body: CreateDocumentRequest): Promise<TemplateRecord | null> {
    if (body.templateId !== undefined) {
      const template = await templates.get(body.templateId);
      if (!template) {
        const message = { key: 'server.documents.noSuchTemplate' };
        throw new BadRequestError({ key: 'server.request.problem', values: { path: 'templateId', message } }, [{ path: 'templateId', message }]);
      }
      if (body.type !== undefined && body.type !== template.type) {
        const message = { key: 'server.documents.templateForOtherType', values: { template: template.id, templateType: typeName(template.type), type: typeName(body.type) } };
        throw new BadRequestError({ key: 'server.request.problem', values: { path: 'type', message } }, [{ path: 'type', message }]);
      }
      return template;
    }
    // A type's standard template has the type as its id.
    return body.type === undefined ? null : templates.get(body.type);
  }

  router.get('/documents/:id', async (req, res) => {
    const { record, role } = await authorize(res, req.params.id, 'read');
    res.json(presentDocument(record, role));
  });

  /**
   * Rename (editors), visibility (owners), a workflow move (WF2–WF5) and the
   * deadline (owners, WF6). Everything is authorized and checked before
   * anything changes; the move, the deadline and their audit events are one
   * transaction, made first, so a refused move changes nothing else.
   */
  router.patch('/documents/:id', async (req, res) => {
    const body = parse(UpdateDocumentRequest, req.body);
    const actions: DocumentAction[] = [];
    if (body.title !== undefined || body.language !== undefined) actions.push('rename');
    if (body.visibility !== undefined) actions.push('share');
    if (body.status !== undefined) actions.push('workflow');
    if (body.deadline !== undefined) actions.push('setDeadline');
    let authorized: AuthorizedDocument | undefined;
    for (const action of actions) authorized = await authorize(res, req.params.id, action);
    const { record, role, principal } = authorized!;
    const actorId = principal?.user.id ?? null;
    const now = clock.now();

    if (body.language !== undefined && body.language !== record.language) await assertLanguageFree(record, body.language);

    const change: { -readonly [K in keyof WorkflowChange]: WorkflowChange[K] } = {};
    const auditEvents: NewAuditEvent[] = [];
    if (body.status !== undefined && body.status !== record.status) {
      const from = record.status;
      const to = body.status;
      const decision = await decideMoveFor(store, principal?.user ?? null, record, to, now);
      if (!decision.allowed) throw refusalError(decision.refusal, principal !== null, 'workflow');
      if (to === 'final') {
        // The template's required fields count too when their blocks were deleted (TPL4).
        const template = record.template ? await templates.get(record.template.id, record.template.version) : null;
        const requiredFields = template ? requiredFieldsOf(template.content) : [];
        const problems = await rooms.read(record.id, (doc) => readinessProblems(docToJSON(doc), { requiredFields }));
        if (problems.length > 0) {
          // The first three passages, each quoted as the language quotes.
          const passages = problems.slice(0, 3).map((p) => ({ key: 'server.workflow.quoted', values: { text: p.passage } }));
          throw new AppError(
            ErrorCode.notReady,
            { key: 'server.workflow.notReady', values: { count: problems.length, passages } },
            { problems: problems.map((p) => ({ code: p.code, blockId: p.blockId, passage: p.passage })) },
          );
        }
      }
      const details: Record<string, unknown> = { from, to };
      if (to === 'public-comment') {
        // Moving to public comment opens the comment period (C8, WF3).
        const closesAt = body.closesAt !== undefined ? Date.parse(body.closesAt) : now + DEFAULT_COMMENT_PERIOD_MS;
        if (closesAt <= now) {
          const message = { key: 'server.workflow.closesInPast' };
          throw new BadRequestError({ key: 'server.request.problem', values: { path: 'closesAt', message } }, [{ path: 'closesAt', message }]);
        }
        change.commentPeriod = { opensAt: now, closesAt };
        details.commentPeriod = { opensAt: new Date(now).toISOString(), closesAt: new Date(closesAt).toISOString() };
      } else if (from === 'public-comment' && record.commentPeriod && isPeriodOpen(record.commentPeriod, now)) {
        // Leaving it closes a period that is still open, keeping when it opened.
        change.commentPeriod = { opensAt: record.commentPeriod.opensAt, closesAt: now };
        details.commentPeriodClosedAt = new Date(now).toISOString();
      }
      change.status = { from, to };
      auditEvents.push({ actorId, action: 'status.changed', details });
    }
    if (body.deadline !== undefined) {
      const next = body.deadline === null ? null : { at: Date.parse(body.deadline.at), timeZone: body.deadline.timeZone };
      const previous = record.deadline;
      if (next?.at !== previous?.at || next?.timeZone !== previous?.timeZone) {
        change.deadline = next;
        const shown = (d: typeof next) => (d ? { at: new Date(d.at).toISOString(), timeZone: d.timeZone } : null);
        auditEvents.push(
          next
            ? { actorId, action: 'deadline.set', details: { ...shown(next), previous: shown(previous) } }
            : { actorId, action: 'deadline.cleared', details: { previous: shown(previous) } },
        );
      }
    }

    let updated = record;
    if (auditEvents.length > 0) {
      const result = await store.changeWorkflow(record.id, change, auditEvents, now);
      if (!result) throw new NotFoundError('Document');
      if (!result.applied) {
        throw new AppError(ErrorCode.invalidTransition, { key: 'server.workflow.movedMeanwhile', values: { status: statusName(result.record.status) } }, {
          from: result.record.status,
          to: body.status,
        });
      }
      updated = result.record;
    }
    if (body.title !== undefined) {
      updated = (await store.renameDocument(record.id, body.title, clock.now())) ?? updated;
    }
    if (body.language !== undefined && body.language !== record.language) {
      updated = (await store.setLanguage(record.id, body.language, clock.now())) ?? updated;
      await audit(record.id, principal, 'language.changed', { from: record.language, to: body.language });
    }
    if (body.visibility !== undefined && body.visibility !== record.visibility) {
      updated = (await store.setVisibility(record.id, body.visibility, clock.now())) ?? updated;
      await audit(record.id, principal, 'visibility.changed', { from: record.visibility, to: body.visibility });
    }
    // Open sockets are re-checked and open editors told (WF9).
    if (updated !== record) events.emit({ kind: 'document', documentId: record.id });
    res.json(presentDocument(updated, role));
  });

  router.put('/documents/:id/comment-period', async (req, res) => {
    const body = parse(CommentPeriodRequest, req.body);
    const { record, role, principal } = await authorize(res, req.params.id, 'share');
    const updated = await store.setCommentPeriod(record.id, { opensAt: Date.parse(body.opensAt), closesAt: Date.parse(body.closesAt) }, clock.now());
    await audit(record.id, principal, 'comment_period.set', { opensAt: body.opensAt, closesAt: body.closesAt });
    events.emit({ kind: 'document', documentId: record.id });
    res.json(presentDocument(updated ?? record, role));
  });

  router.delete('/documents/:id/comment-period', async (req, res) => {
    const { record, role, principal } = await authorize(res, req.params.id, 'share');
    const updated = await store.setCommentPeriod(record.id, null, clock.now());
    await audit(record.id, principal, 'comment_period.cleared', {});
    events.emit({ kind: 'document', documentId: record.id });
    res.json(presentDocument(updated ?? record, role));
  });

  router.get('/documents/:id/members', async (req, res) => {
    const { record, role, principal } = await authorize(res, req.params.id, 'read');
    const members = await store.listMembers(record.id);
    const seeEmails = roleAllows(role, 'seeMemberEmails');
    const views = [];
    for (const m of members) {
      const user = await accountStore.getUser(m.userId);
      if (user) views.push(presentMember(m, user, seeEmails || user.id === principal?.user.id));
    }
    res.json({ members: views });
  });

  /** Adds someone by e-mail, or changes their role. Owners only. */
  router.put('/documents/:id/members', async (req, res) => {
    const body = parse(SetMemberRequest, req.body);
    const { record, principal } = await authorize(res, req.params.id, 'share');
    const user = await accountStore.findUserByEmail(body.email);
    if (!user) throw new AppError(ErrorCode.userNotFound, { key: 'server.errors.user_not_found' });
    res.json({ member: await setRole(record.id, user, body.role, principal?.user.id ?? null) });
  });

  /** Changes a member's role by their id (the share dialog), so changing a role never needs their e-mail. */
  router.patch('/documents/:id/members/:userId', async (req, res) => {
    const body = parse(MemberRoleRequest, req.body);
    const { record, principal } = await authorize(res, req.params.id, 'share');
    const user = (await store.getMember(record.id, req.params.userId)) ? await accountStore.getUser(req.params.userId) : null;
    if (!user) throw new NotFoundError('Member');
    res.json({ member: await setRole(record.id, user, body.role, principal?.user.id ?? null) });
  });

  async function setRole(id: DocumentId, user: UserRecord, role: Role, addedBy: string | null): Promise<MemberView> {
    const current = await store.getMember(id, user.id);
    // Checked again in the write itself: two owners demoting each other at once cannot both win (409).
    await lastOwnerRefused(() => store.setMember(id, { userId: user.id, role, addedBy }, clock.now(), { keepAnOwner: true }));
    if (current?.role !== role) {
      await store.appendAudit(
        id,
        current
          ? { actorId: addedBy, action: 'member.role_changed', details: { userId: user.id, from: current.role, to: role } }
          : { actorId: addedBy, action: 'member.added', details: { userId: user.id, role } },
        clock.now(),
      );
    }
    events.emit({ kind: 'document', documentId: id });
    const member = await store.getMember(id, user.id);
    // Only those who may share get here: they see e-mails.
    return presentMember(member!, user, true);
  }

  router.delete('/documents/:id/members/:userId', async (req, res) => {
    const principal = requirePrincipal(res);
    // Anyone may leave a document; removing others needs the right to share.
    const leaving = req.params.userId === principal.user.id;
    const { record } = await authorize(res, req.params.id, leaving ? 'read' : 'share');
    const current = await store.getMember(record.id, req.params.userId);
    if (!current) throw new NotFoundError('Member');
    await lastOwnerRefused(() => store.removeMember(record.id, req.params.userId, { keepAnOwner: true }));
    await audit(record.id, principal, leaving ? 'member.left' : 'member.removed', { userId: req.params.userId, role: current.role });
    events.emit({ kind: 'document', documentId: record.id });
    res.status(204).end();
  });

  router.post('/documents/:id/invites', async (req, res) => {
    const body = parse(CreateInviteRequest, req.body ?? {});
    const { record, principal } = await authorize(res, req.params.id, 'share');
    const { invite, code } = await invites.create(record.id, body.role, body.expiresInDays, principal!.user.id);
    await audit(record.id, principal, 'invite.created', { inviteId: invite.id, role: invite.role, expiresAt: new Date(invite.expiresAt).toISOString() });
    res.status(201).json({ invite: { ...presentInvite(invite), code } });
  });

  router.get('/documents/:id/invites', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'share');
    res.json({ invites: (await store.listInvites(record.id, clock.now())).map(presentInvite) });
  });

  router.delete('/documents/:id/invites/:inviteId', async (req, res) => {
    const { record, principal } = await authorize(res, req.params.id, 'share');
    if (!(await store.revokeInvite(record.id, req.params.inviteId, clock.now()))) throw new NotFoundError('Invite');
    await audit(record.id, principal, 'invite.revoked', { inviteId: req.params.inviteId });
    res.status(204).end();
  });

  router.post('/invites/:code/accept', async (req, res) => {
    const principal = requirePrincipal(res);
    const invite = await invites.find(req.params.code);
    if (!invite) throw new NotFoundError('Invite');
    if (!invites.isLive(invite)) throw new AppError(ErrorCode.inviteExpired, { key: 'server.errors.invite_expired' });
    const role = await invites.accept(invite, principal.user.id);
    res.json({ documentId: invite.documentId, role });
  });

  /** Records an access change in the document's audit trail (V6), after the change itself. */
  async function audit(id: DocumentId, principal: Principal | null, action: string, details: Record<string, unknown>): Promise<void> {
    await store.appendAudit(id, { actorId: principal?.user.id ?? null, action, details }, clock.now());
  }

  /** A family (an original and its translations) has one document per language (SPEC LT1). */
  async function assertLanguageFree(record: DocumentRecord, language: Locale): Promise<void> {
    const rootId = record.translationOf ?? record.id;
    const root = await store.getDocument(rootId);
    const family = [...(root ? [root] : []), ...(await store.listTranslations(rootId))];
    const taken = family.find((d) => d.id !== record.id && d.language === language);
    if (taken) {
      throw new AppError(ErrorCode.translationExists, { key: 'server.translations.exists', values: { language: LANGUAGE_NAMES[language] } }, { documentId: taken.id });
    }
  }

  /** The store refuses to leave a document without an owner member: 409 last_owner. */
  async function lastOwnerRefused<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof LastOwnerConflict) throw new AppError(ErrorCode.lastOwner, { key: 'server.errors.last_owner' });
      throw error;
    }
  }

  return router;
}

/** How long the comment period a move to public-comment opens lasts, unless the move says (WF3): 14 days. */
export const DEFAULT_COMMENT_PERIOD_MS = 14 * 86_400_000;

/** No deadline further than this from now can be in a due window, whatever its zone (WF8). */
const DUE_HORIZON_MS: Record<'overdue' | 'today' | 'week', number> = { overdue: 0, today: 3 * 86_400_000, week: 9 * 86_400_000 };

/** A document type as the catalog names it. */
function typeName(type: string): MessageRef {
  return { key: `templates.type.${type}.name` };
}

/** 96 random bits, URL-safe (16 characters). */
export function newDocumentId(): DocumentId {
  return crypto.randomBytes(12).toString('base64url') as DocumentId;
}
