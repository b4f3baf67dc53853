import type { DocumentStatus, Role } from '@rapporteur/protocol';
import type { DocumentRecord, DocumentStore } from '../storage/DocumentStore';
import {
  type Actor,
  type Decision,
  type DocumentAccess,
  type DocumentAction,
  decide,
  decideMove,
  effectiveRole,
  mayReadPublication,
  membershipRole,
} from './policy';

type User = { readonly id: string; readonly isAdmin: boolean };

/** What the policy needs to know about `record` for `user`, read from the store. */
async function accessOf(store: DocumentStore, user: User | null, record: DocumentRecord): Promise<{ actor: Actor | null; doc: DocumentAccess }> {
  const member = user ? await store.getMember(record.id, user.id) : null;
  // Event organisers own the event's reports and messages (SPEC EV2).
  const organiser = user !== null && !user.isAdmin && (member === null || member.role !== 'owner') && (await store.organisesEventOf(record.id, user.id));
  return {
    actor: user ? { userId: user.id, isAdmin: user.isAdmin } : null,
    doc: { visibility: record.visibility, memberRole: membershipRole(member?.role ?? null, organiser), commentPeriod: record.commentPeriod },
  };
}

/** The caller's effective role on a document at `now` (policy.ts), or null for no access. */
export async function roleFor(store: DocumentStore, user: User | null, record: DocumentRecord, now: number): Promise<Role | null> {
  const { actor, doc } = await accessOf(store, user, record);
  return effectiveRole(actor, doc, now);
}

/** The policy's decision on `action` for the caller at `now`. */
export async function decideFor(
  store: DocumentStore,
  user: User | null,
  record: DocumentRecord,
  action: DocumentAction,
  now: number,
): Promise<Decision> {
  const { actor, doc } = await accessOf(store, user, record);
  return decide(actor, action, doc, now);
}

/** The policy's decision on moving the document from its status to `to` for the caller at `now` (WF2). */
export async function decideMoveFor(
  store: DocumentStore,
  user: User | null,
  record: DocumentRecord,
  to: DocumentStatus,
  now: number,
): Promise<Decision> {
  const { actor, doc } = await accessOf(store, user, record);
  return decideMove(actor, doc, record.status, to, now);
}

/** The policy's answer to whether the caller may read this publication now (PUB3). */
export async function mayReadPublicationFor(
  store: DocumentStore,
  user: User | null,
  record: DocumentRecord,
  publication: { readonly public: boolean },
  now: number,
): Promise<boolean> {
  if (publication.public) return true;
  const { actor, doc } = await accessOf(store, user, record);
  return mayReadPublication(actor, publication, doc, now);
}
