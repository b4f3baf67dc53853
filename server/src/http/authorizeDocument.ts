import { parseDocumentId, type Role } from '@rapporteur/protocol';
import type { Response } from 'express';
import type { Principal } from '../auth/Accounts';
import { roleFor } from '../auth/documentRole';
import { type DocumentAction, roleAllows } from '../auth/policy';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors';
import type { DocumentRecord, DocumentStore } from '../storage/DocumentStore';
import { principalOf } from './authMiddleware';

/**
 * Loads the document and checks with the policy that the caller may do
 * `action`: 404 when it does not exist, then 401 for anonymous callers or
 * 403 for signed-in ones.
 */
export async function authorizeDocument(
  store: DocumentStore,
  res: Response,
  rawId: string,
  action: DocumentAction,
): Promise<{ record: DocumentRecord; role: Role; principal: Principal | null }> {
  const id = parseDocumentId(rawId);
  const record = id ? await store.getDocument(id) : null;
  if (!record) throw new NotFoundError('Document');
  const principal = principalOf(res);
  const role = await roleFor(store, principal?.user ?? null, record);
  if (!roleAllows(role, action)) {
    if (!principal) throw new UnauthenticatedError();
    throw new ForbiddenError(role ? `Your role (${role}) does not allow this` : 'You do not have access to this document');
  }
  return { record, role: role!, principal };
}
