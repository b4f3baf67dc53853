import type { Role } from '@rapporteur/protocol';
import type { DocumentRecord, DocumentStore } from '../storage/DocumentStore';
import { effectiveRole } from './policy';

/** The caller's effective role on a document (policy.ts), or null for no access. */
export async function roleFor(
  store: DocumentStore,
  user: { readonly id: string; readonly isAdmin: boolean } | null,
  record: DocumentRecord,
  now: number = Date.now(),
): Promise<Role | null> {
  const member = user ? await store.getMember(record.id, user.id) : null;
  return effectiveRole(user ? { userId: user.id, isAdmin: user.isAdmin } : null, {
    visibility: record.visibility,
    memberRole: member?.role ?? null,
    commentPeriodOpen: record.commentPeriod ? isPeriodOpen(record.commentPeriod, now) : undefined,
  });
}

/** Open from `opensAt` (inclusive) to `closesAt` (exclusive). */
export function isPeriodOpen(period: { opensAt: number; closesAt: number }, now: number): boolean {
  return now >= period.opensAt && now < period.closesAt;
}
