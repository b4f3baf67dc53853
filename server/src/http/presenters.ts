import type { DocumentSummary, InviteView, MemberView, PersonView, Role, UserView } from '@rapporteur/protocol';
import type { UserRecord } from '../storage/AccountStore';
import type { DocumentRecord, InviteRecord, MemberRecord } from '../storage/DocumentStore';

const iso = (ms: number): string => new Date(ms).toISOString();

export function presentDocument(record: DocumentRecord, role: Role): DocumentSummary {
  return {
    id: record.id,
    title: record.title,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    role,
    visibility: record.visibility,
  };
}

/** The account as its owner (or an admin) sees it. Never the password hash. */
export function presentUser(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organisation: user.organisation,
    country: user.country,
    stakeholderGroup: user.stakeholderGroup,
    region: user.region,
    gender: user.gender,
    youth: user.youth,
    firstTime: user.firstTime,
    showDemographics: user.showDemographics,
    isAdmin: user.isAdmin,
    createdAt: iso(user.createdAt),
  };
}

/** Another person, as co-members see them: no demographics. */
export function presentPerson(user: UserRecord): PersonView {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    organisation: user.organisation,
    stakeholderGroup: user.stakeholderGroup,
    region: user.region,
  };
}

export function presentMember(member: MemberRecord, user: UserRecord): MemberView {
  return { user: presentPerson(user), role: member.role, addedAt: iso(member.createdAt) };
}

export function presentInvite(invite: InviteRecord): InviteView {
  return { id: invite.id, role: invite.role, expiresAt: iso(invite.expiresAt), createdAt: iso(invite.createdAt) };
}
