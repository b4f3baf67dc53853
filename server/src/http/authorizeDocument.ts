import { type DocumentStatus, ErrorCode, parseDocumentId, type Role } from '@rapporteur/protocol';
import type { Response } from 'express';
import type { Principal } from '../auth/Accounts';
import { decideFor } from '../auth/documentRole';
import type { DocumentAction, Refusal } from '../auth/policy';
import { AppError, ForbiddenError, type MessageRef, NotFoundError, UnauthenticatedError } from '../errors';
import type { Clock } from '../lib/clock';
import type { DocumentRecord, DocumentStore } from '../storage/DocumentStore';
import { principalOf } from './authMiddleware';

export interface AuthorizedDocument {
  readonly record: DocumentRecord;
  readonly role: Role;
  readonly principal: Principal | null;
}

/**
 * Loads the document and asks the policy whether the caller may do `action`
 * now (by the injected clock): 404 when it does not exist, then 401 for
 * anonymous callers, 403 `comment_period_closed` outside a comment period,
 * or 403 for signed-in callers whose role does not allow it.
 */
export type AuthorizeDocument = (res: Response, rawId: string, action: DocumentAction) => Promise<AuthorizedDocument>;

export function documentAuthorizer(store: DocumentStore, clock: Clock): AuthorizeDocument {
  return async (res, rawId, action) => {
    const id = parseDocumentId(rawId);
    const record = id ? await store.getDocument(id) : null;
    if (!record) throw new NotFoundError('Document');
    const principal = principalOf(res);
    const decision = await decideFor(store, principal?.user ?? null, record, action, clock.now());
    if (!decision.allowed) throw refusalError(decision.refusal, principal !== null, action);
    return { record, role: decision.role, principal };
  };
}

/** Actions whose routes answer a signed-in stranger to a private document as if it did not exist (V4, WF2). */
const HIDDEN_FROM_STRANGERS: ReadonlySet<DocumentAction> = new Set(['readHistory', 'nameVersion', 'restore', 'audit', 'workflow', 'setDeadline', 'publish']);

/** A status as the catalog names it (in the language the message is worded in). */
export function statusName(status: DocumentStatus): MessageRef {
  return { key: `workflow.status.${status}` };
}

export function refusalError(refusal: Refusal, signedIn: boolean, action: DocumentAction): AppError {
  switch (refusal.kind) {
    case 'not-member':
      return signedIn ? new ForbiddenError({ key: 'server.request.historyMembersOnly' }) : new UnauthenticatedError();
    case 'comment-period-not-open':
      return new AppError(ErrorCode.commentPeriodClosed, { key: 'server.request.commentingOpens', values: { date: new Date(refusal.opensAt) } });
    case 'comment-period-closed':
      return new AppError(ErrorCode.commentPeriodClosed, { key: 'server.request.commentingClosed', values: { date: new Date(refusal.closesAt) } });
    case 'no-access':
      // History routes answer a stranger to a private document as if it did not exist (V4).
      if (signedIn && HIDDEN_FROM_STRANGERS.has(action)) return new NotFoundError('Document');
      return signedIn ? new ForbiddenError({ key: 'server.request.noAccess' }) : new UnauthenticatedError();
    case 'role':
      return signedIn ? new ForbiddenError({ key: 'server.request.roleRefused', values: { role: refusal.role } }) : new UnauthenticatedError();
    case 'invalid-transition':
      return new AppError(
        ErrorCode.invalidTransition,
        refusal.to === 'published'
          ? { key: 'server.workflow.publishedByPublishing' }
          : { key: 'server.workflow.noSuchMove', values: { from: statusName(refusal.from), to: statusName(refusal.to) } },
        { from: refusal.from, to: refusal.to },
      );
  }
}
