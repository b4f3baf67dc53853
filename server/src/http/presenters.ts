import type { CommentView, DocumentSummary, InviteView, MemberView, PersonView, Role, UserView } from '@rapporteur/protocol';
import type { UserRecord } from '../storage/AccountStore';
import type { CommentRecord } from '../storage/CommentStore';
import type { DocumentRecord, InviteRecord, MemberRecord } from '../storage/DocumentStore';
import { movesFor } from '../auth/policy';

const iso = (ms: number): string => new Date(ms).toISOString();

export function presentDocument(record: DocumentRecord, role: Role): DocumentSummary {
  return {
    id: record.id,
    title: record.title,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    role,
    visibility: record.visibility,
    commentPeriod: record.commentPeriod
      ? { opensAt: iso(record.commentPeriod.opensAt), closesAt: iso(record.commentPeriod.closesAt) }
      : null,
    type: record.type,
    template: record.template,
    status: record.status,
    statusChangedAt: record.statusChangedAt === null ? null : iso(record.statusChangedAt),
    deadline: record.deadline ? { at: iso(record.deadline.at), timeZone: record.deadline.timeZone } : null,
    moves: movesFor(role, record.status),
    language: record.language,
    translationOf: record.translationOf,
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
    locale: user.locale,
  };
}

/**
 * Another person, as co-members see them: no demographics, and the e-mail
 * only when `showEmail` (the reader may share the document, or is this
 * person): a public or open-for-comment document must not hand out its
 * members' addresses.
 */
export function presentPerson(user: UserRecord, showEmail: boolean): PersonView {
  return {
    id: user.id,
    name: user.name,
    email: showEmail ? user.email : null,
    organisation: user.organisation,
    stakeholderGroup: user.stakeholderGroup,
    region: user.region,
  };
}

export function presentMember(member: MemberRecord, user: UserRecord, showEmail: boolean): MemberView {
  return { user: presentPerson(user, showEmail), role: member.role, addedAt: iso(member.createdAt) };
}

export function presentInvite(invite: InviteRecord): InviteView {
  return { id: invite.id, role: invite.role, expiresAt: iso(invite.expiresAt), createdAt: iso(invite.createdAt) };
}

/**
 * A comment for a reader. Hidden comments keep their place in the thread but
 * lose their text, unless the reader may moderate (C6).
 */
export function presentComment(c: CommentRecord, canSeeHidden: boolean): CommentView {
  const concealed = c.hidden !== null && !canSeeHidden;
  return {
    id: c.id,
    documentId: c.documentId,
    parentId: c.parentId,
    author: c.author,
    anchor: concealed && c.anchor ? { ...c.anchor, quote: '' } : c.anchor,
    body: concealed ? '' : c.body,
    suggestion: concealed ? null : c.suggestion,
    status: c.status,
    response: c.response,
    disposedBy: c.disposedBy,
    disposedAt: c.disposedAt === null ? null : iso(c.disposedAt),
    hidden: c.hidden ? { reason: c.hidden.reason, at: iso(c.hidden.at) } : null,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    editedAt: c.editedAt === null ? null : iso(c.editedAt),
  };
}
