import type { Role } from '@rapporteur/protocol';
import type { DocumentRecord, DocumentStore } from '../storage/DocumentStore';
import type { Principal } from './Accounts';
import { effectiveRole } from './policy';

/** The caller's effective role on a document (policy.ts), or null for no access. */
export async function roleFor(
  store: DocumentStore,
  principal: Principal | null,
  record: DocumentRecord,
  now: number = Date.now(),
): Promise<Role | null> {
  const member = principal ? await store.getMember(record.id, principal.user.id) : null;
  return effectiveRole(principal ? { userId: principal.user.id, isAdmin: principal.user.isAdmin } : null, {
    visibility: record.visibility,
    memberRole: member?.role ?? null,
    commentPeriodOpen: record.commentPeriod ? isPeriodOpen(record.commentPeriod, now) : undefined,
  });
}

/** Open from `opensAt` (inclusive) to `closesAt` (exclusive). */
export function isPeriodOpen(period: { opensAt: number; closesAt: number }, now: number): boolean {
  return now >= period.opensAt && now < period.closesAt;
}
