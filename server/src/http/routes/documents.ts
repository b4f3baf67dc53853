import crypto from 'node:crypto';
import {
  CommentPeriodRequest,
  CreateDocumentRequest,
  CreateInviteRequest,
  type DocumentId,
  ErrorCode,
  ExportQuery,
  MemberRoleRequest,
  type MemberView,
  type Role,
  SetMemberRequest,
  UpdateDocumentRequest,
} from '@rapporteur/protocol';
import { BODY_FIELD, templateBody } from '@rapporteur/schema';
import { Router } from 'express';
import type { AccessEvents } from '../../auth/AccessEvents';
import type { Principal } from '../../auth/Accounts';
import type { Invites } from '../../auth/Invites';
import { roleAllows } from '../../auth/policy';
import type { EditDocument } from '../../comments/Comments';
import { AppError, BadRequestError, NotFoundError } from '../../errors';
import { replaceBody } from '../../history/replaceBody';
import type { Clock } from '../../lib/clock';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AccountStore, UserRecord } from '../../storage/AccountStore';
import type { DocumentStore } from '../../storage/DocumentStore';
import type { TemplateRecord, TemplateStore } from '../../storage/TemplateStore';
import { requirePrincipal } from '../authMiddleware';
import { documentAuthorizer } from '../authorizeDocument';
import { renderExport, sendExport } from '../documentExport';
import { presentDocument, presentInvite, presentMember } from '../presenters';
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

  router.get('/documents', async (_req, res) => {
    const principal = requirePrincipal(res);
    const docs = principal.user.isAdmin
      ? (await store.listDocuments()).map((d) => presentDocument(d, 'owner'))
      : (await store.listDocumentsOf(principal.user.id)).map((d) => presentDocument(d, d.role));
    res.json({ documents: docs });
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
      if (!template) throw new BadRequestError('templateId: no template has this id', [{ path: 'templateId', message: 'No template has this id' }]);
      if (body.type !== undefined && body.type !== template.type) {
        const message = `The template ${template.id} is for ${template.type}, not ${body.type}`;
        throw new BadRequestError(`type: ${message}`, [{ path: 'type', message }]);
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

  router.patch('/documents/:id', async (req, res) => {
    const body = parse(UpdateDocumentRequest, req.body);
    const { record, role, principal } = await authorize(res, req.params.id, body.visibility !== undefined ? 'share' : 'rename');
    let updated = record;
    if (body.title !== undefined) updated = (await store.renameDocument(record.id, body.title, clock.now())) ?? updated;
    if (body.visibility !== undefined && body.visibility !== record.visibility) {
      updated = (await store.setVisibility(record.id, body.visibility, clock.now())) ?? updated;
      await audit(record.id, principal, 'visibility.changed', { from: record.visibility, to: body.visibility });
      events.emit({ kind: 'document', documentId: record.id });
    }
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

  router.get('/documents/:id/export', async (req, res) => {
    const { format } = parse(ExportQuery, req.query);
    const { record } = await authorize(res, req.params.id, 'read');
    const body = await rooms.read(record.id, (doc) => renderExport(doc, record.title, format));
    sendExport(res, record.title, format, body);
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
    if (!user) throw new AppError(ErrorCode.userNotFound, 'No account uses this email; send an invite link instead');
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
    if (current?.role === 'owner' && role !== 'owner') await assertNotLastOwner(id);
    await store.setMember(id, { userId: user.id, role, addedBy }, clock.now());
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
    if (current.role === 'owner') await assertNotLastOwner(record.id);
    await store.removeMember(record.id, req.params.userId);
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
    if (!invites.isLive(invite)) throw new AppError(ErrorCode.inviteExpired, 'This invite link has expired or was revoked');
    const role = await invites.accept(invite, principal.user.id);
    res.json({ documentId: invite.documentId, role });
  });

  /** Records an access change in the document's audit trail (V6), after the change itself. */
  async function audit(id: DocumentId, principal: Principal | null, action: string, details: Record<string, unknown>): Promise<void> {
    await store.appendAudit(id, { actorId: principal?.user.id ?? null, action, details }, clock.now());
  }

  async function assertNotLastOwner(id: DocumentId): Promise<void> {
    const owners = (await store.listMembers(id)).filter((m) => m.role === 'owner');
    if (owners.length <= 1) throw new AppError(ErrorCode.lastOwner, 'A document needs at least one owner');
  }

  return router;
}

/** 96 random bits, URL-safe (16 characters). */
function newDocumentId(): DocumentId {
  return crypto.randomBytes(12).toString('base64url') as DocumentId;
}
