import { DOCUMENT_STATUSES, type DocumentStatus, type Role, type Visibility } from '@rapporteur/protocol';

/**
 * The one authorization policy (issue 3): every HTTP route and every sync
 * socket asks `decide()` (or `can()`) and nothing else decides who may do
 * what. Time is an input (`now`, from the injected clock), never read here,
 * so a comment period opens and closes the same way for every caller.
 */

/** Who is asking. `null` is an anonymous visitor. */
export interface Actor {
  readonly userId: string;
  readonly isAdmin: boolean;
}

/** What the policy needs to know about a document. */
export interface DocumentAccess {
  readonly visibility: Visibility;
  /** The actor's membership role, if any. */
  readonly memberRole: Role | null;
  /** When set, commenting by non-editors is open from `opensAt` (inclusive) to `closesAt` (exclusive), in ms (C8). */
  readonly commentPeriod: CommentPeriod | null;
}

export interface CommentPeriod {
  readonly opensAt: number;
  readonly closesAt: number;
}

export const DocumentAction = {
  read: 'read',
  /** Write a comment or a reply, edit or withdraw one's own (C2, C8). */
  comment: 'comment',
  write: 'write',
  rename: 'rename',
  share: 'share',
  /** Set a comment's disposition and response. */
  dispose: 'dispose',
  /** Hide or unhide a comment; see hidden text. */
  moderate: 'moderate',
  /** See the e-mail addresses of the document's members (a member always sees their own). */
  seeMemberEmails: 'seeMemberEmails',
  /** See drafts' history: timeline, versions, diffs, authorship. Members only (V4). */
  readHistory: 'readHistory',
  nameVersion: 'nameVersion',
  restore: 'restore',
  /** See the document's audit trail (V6). */
  audit: 'audit',
  /** Move the document through the review workflow; which moves, `decideMove` says (WF2). */
  workflow: 'workflow',
  /** Set or clear the document's deadline (WF6). */
  setDeadline: 'setDeadline',
  /** Publish the document, or withdraw one of its publications (PUB1, PUB5). */
  publish: 'publish',
  /** Make a linked translation of the document (LT1): those who write it, whose team it becomes. */
  translate: 'translate',
} as const;
export type DocumentAction = (typeof DocumentAction)[keyof typeof DocumentAction];

const RANK: Record<Role, number> = { viewer: 1, commenter: 2, editor: 3, owner: 4 };

/** The least role each action needs. */
const NEEDS: Record<DocumentAction, Role> = {
  read: 'viewer',
  comment: 'commenter',
  write: 'editor',
  rename: 'editor',
  share: 'owner',
  dispose: 'editor',
  moderate: 'owner',
  seeMemberEmails: 'owner',
  readHistory: 'viewer',
  nameVersion: 'editor',
  restore: 'editor',
  audit: 'owner',
  workflow: 'editor',
  setDeadline: 'owner',
  publish: 'owner',
  translate: 'editor',
};

/**
 * Actions on drafts' history: a role granted by visibility (public, open for
 * comment, a comment period) does not count, only membership (or admin).
 * Public readers see publications, never earlier drafts or deleted text.
 */
const MEMBERS_ONLY: ReadonlySet<DocumentAction> = new Set(['readHistory', 'nameVersion', 'restore', 'audit', 'publish']);

/** Why an action was refused; the caller maps it to 401/403 or a close code. */
export type Refusal =
  /** The actor holds no role at all on the document. */
  | { readonly kind: 'no-access' }
  /** The actor reads the document through its visibility but is not a member (history is for members, V4). */
  | { readonly kind: 'not-member'; readonly role: Role }
  /** The actor's role is too low for the action. */
  | { readonly kind: 'role'; readonly role: Role }
  /** The workflow has no such move (WF2): 409, whoever asks. */
  | { readonly kind: 'invalid-transition'; readonly role: Role; readonly from: DocumentStatus; readonly to: DocumentStatus }
  /** A comment period is set and has not opened yet (C8). */
  | { readonly kind: 'comment-period-not-open'; readonly role: Role; readonly opensAt: number }
  /** A comment period is set and has closed (C8). */
  | { readonly kind: 'comment-period-closed'; readonly role: Role; readonly closesAt: number };

export type Decision = { readonly allowed: true; readonly role: Role } | { readonly allowed: false; readonly refusal: Refusal };

/** Open from `opensAt` (inclusive) to `closesAt` (exclusive). */
export function isPeriodOpen(period: CommentPeriod, now: number): boolean {
  return now >= period.opensAt && now < period.closesAt;
}

/**
 * The role the actor effectively holds on the document at `now`, or null for
 * no access. Admins (the secretariat) hold `owner` everywhere; members hold
 * their role; visibility adds `commenter` for any signed-in user (`comment`)
 * or `viewer` for anyone (`public`), and an open comment period adds
 * `commenter` for any signed-in user — whichever is more.
 */
export function effectiveRole(actor: Actor | null, doc: DocumentAccess, now: number): Role | null {
  if (actor?.isAdmin) return 'owner';
  let role: Role | null = actor ? doc.memberRole : null;
  // `public` lets anyone read; it does not open commenting (that is what
  // `comment` is for), so publishing a final text does not reopen it.
  const periodOpen = doc.commentPeriod !== null && isPeriodOpen(doc.commentPeriod, now);
  const granted: Role | null =
    actor && (doc.visibility === 'comment' || periodOpen) ? 'commenter' : doc.visibility === 'public' ? 'viewer' : null;
  if (granted && (!role || RANK[granted] > RANK[role])) role = granted;
  return role;
}

/** True when a holder of `role` may do `action` (period rules aside: use `decide` for actions on a document). */
export function roleAllows(role: Role | null, action: DocumentAction): boolean {
  return role !== null && RANK[role] >= RANK[NEEDS[action]];
}

/**
 * The policy: may `actor` do `action` to a document with this access at
 * `now`? Commenting (writing, replying, editing or withdrawing one's own
 * comment) by someone below editor is also bound by the comment period when
 * one is set: before it opens and after it closes they are refused with the
 * period's dates, whatever their membership (C8).
 */
export function decide(actor: Actor | null, action: DocumentAction, doc: DocumentAccess, now: number): Decision {
  const role = effectiveRole(actor, doc, now);
  if (role === null) return { allowed: false, refusal: { kind: 'no-access' } };
  if (MEMBERS_ONLY.has(action) && !actor?.isAdmin) {
    const member = actor ? doc.memberRole : null;
    if (member === null) return { allowed: false, refusal: { kind: 'not-member', role } };
    if (!roleAllows(member, action)) return { allowed: false, refusal: { kind: 'role', role: member } };
    return { allowed: true, role: member };
  }
  if (action === DocumentAction.comment && doc.commentPeriod && actor && RANK[role] < RANK.editor && !isPeriodOpen(doc.commentPeriod, now)) {
    return now < doc.commentPeriod.opensAt
      ? { allowed: false, refusal: { kind: 'comment-period-not-open', role, opensAt: doc.commentPeriod.opensAt } }
      : { allowed: false, refusal: { kind: 'comment-period-closed', role, closesAt: doc.commentPeriod.closesAt } };
  }
  if (!roleAllows(role, action)) return { allowed: false, refusal: { kind: 'role', role } };
  return { allowed: true, role };
}

/**
 * May `actor` read a publication (PUB3)? A public one: anyone, signed in or
 * not, whatever the document's visibility. A members-only one: a signed-in
 * account that may read the document now. Callers answer 404 otherwise, so a
 * members-only publication is not even known to exist.
 */
export function mayReadPublication(actor: Actor | null, publication: { readonly public: boolean }, doc: DocumentAccess, now: number): boolean {
  if (publication.public) return true;
  return actor !== null && can(actor, DocumentAction.read, doc, now);
}

/** `decide(…).allowed`. */
export function can(actor: Actor | null, action: DocumentAction, doc: DocumentAccess, now: number): boolean {
  return decide(actor, action, doc, now).allowed;
}

/**
 * The review workflow (SPEC WF2): every move that exists, and the least role
 * that may make it. Forward, one step at a time: drafting → review →
 * public-comment → revising → final; owners may skip the public comment
 * (review → revising: a session report filed within hours has none). Back to
 * an earlier working state: review → drafting, public-comment → review (the
 * period is withdrawn), revising → review, revising → public-comment (a second
 * round), final → revising, published → revising. Editors move drafting ↔
 * review and revising → final; owners make every move. `published` is reached
 * only by publishing, never by a move; an edit after final or published moves
 * the document to revising by itself (WF5).
 */
export const WORKFLOW_MOVES: Readonly<Record<DocumentStatus, Readonly<Partial<Record<DocumentStatus, Role>>>>> = {
  drafting: { review: 'editor' },
  review: { drafting: 'editor', 'public-comment': 'owner', revising: 'owner' },
  'public-comment': { review: 'owner', revising: 'owner' },
  revising: { review: 'owner', 'public-comment': 'owner', final: 'editor' },
  final: { revising: 'owner' },
  published: { revising: 'owner' },
};

/** Statuses in which the text is done: an edit moves the document back to revising (WF5), and its deadline is met (WF8). */
export const DONE_STATUSES: ReadonlySet<DocumentStatus> = new Set(['final', 'published']);

/** Where an edit made in a done status moves the document (WF5). */
export const STATUS_AFTER_EDIT: DocumentStatus = 'revising';

/**
 * May `actor` move a document in status `from` to `to` at `now` (WF2)?
 * Someone who may not move it at all (commenters, viewers) is refused for
 * their role; a move that does not exist is `invalid-transition` for anyone
 * who may move; an existing move above the actor's role is refused for the
 * role. Staying where it is is allowed (a no-op). Readiness for final (WF4) is
 * checked by the caller, after this.
 */
export function decideMove(actor: Actor | null, doc: DocumentAccess, from: DocumentStatus, to: DocumentStatus, now: number): Decision {
  const decision = decide(actor, DocumentAction.workflow, doc, now);
  if (!decision.allowed || from === to) return decision;
  const needs = WORKFLOW_MOVES[from][to];
  if (needs === undefined) return { allowed: false, refusal: { kind: 'invalid-transition', role: decision.role, from, to } };
  if (RANK[decision.role] < RANK[needs]) return { allowed: false, refusal: { kind: 'role', role: decision.role } };
  return decision;
}

/** The moves a holder of `role` may make from `from`, in workflow order: what the editor offers (WF2). */
export function movesFor(role: Role | null, from: DocumentStatus): DocumentStatus[] {
  if (!roleAllows(role, DocumentAction.workflow)) return [];
  return DOCUMENT_STATUSES.filter((to) => {
    const needs = WORKFLOW_MOVES[from][to];
    return needs !== undefined && RANK[role!] >= RANK[needs];
  });
}

/**
 * An event's organisers own every report of the event and its tracks'
 * messages (issue 11, SPEC EV2): membership as an owner, derived from the
 * event, so naming or removing an organiser changes it for every report at
 * once. The stronger of that and the person's own membership.
 */
export function membershipRole(memberRole: Role | null, organisesEvent: boolean): Role | null {
  if (!organisesEvent) return memberRole;
  return 'owner';
}

/** What the policy needs to know about an event for the actor (issue 11). */
export interface EventAccess {
  readonly public: boolean;
  /** The actor is one of its organisers. */
  readonly organiser: boolean;
  /** The actor reports on at least one of its sessions. */
  readonly rapporteur: boolean;
}

export const EventAction = {
  /** Create an event (admins). */
  create: 'create',
  /** Name the organisers (admins). */
  setOrganisers: 'setOrganisers',
  /** See the event (name, days, tracks) and its sessions as `eventScope` says. */
  read: 'read',
  /** Add and import sessions, change the event, make invitation links and messages documents; the whole dashboard with e-mail addresses. */
  manage: 'manage',
} as const;
export type EventAction = (typeof EventAction)[keyof typeof EventAction];

/**
 * May `actor` do `action` to this event (SPEC EV2, EV7)? Admins may do
 * everything; organisers manage it; anyone may read a public event, and a
 * rapporteur may read a non-public one (seeing only their own sessions,
 * `eventScope`); everyone else is refused (answered as if it did not exist).
 */
export function decideEvent(actor: Actor | null, action: EventAction, event: EventAccess): boolean {
  if (actor?.isAdmin) return true;
  switch (action) {
    case 'create':
    case 'setOrganisers':
      return false;
    case 'manage':
      return actor !== null && event.organiser;
    case 'read':
      return event.public || (actor !== null && (event.organiser || event.rapporteur));
  }
}

/**
 * Which of an event's sessions the actor sees on its dashboard, its session
 * list and its takeaways (SPEC EV7): `all` for admins, organisers and
 * anyone on a public event; `own` — the sessions they report on — for a
 * rapporteur of a non-public event; null for no access.
 */
export function eventScope(actor: Actor | null, event: EventAccess): 'all' | 'own' | null {
  if (decideEvent(actor, EventAction.manage, event) || event.public) return 'all';
  return decideEvent(actor, EventAction.read, event) ? 'own' : null;
}

/** Whether the actor sees the e-mail addresses of an event's organisers and rapporteurs (SPEC EV7): those who manage it. */
export function seesEventEmails(actor: Actor | null, event: EventAccess): boolean {
  return decideEvent(actor, EventAction.manage, event);
}
