import type { Role, Visibility } from '@rapporteur/protocol';

/**
 * The one authorization policy (issue 3): every HTTP route and every sync
 * socket asks `can()` and nothing else decides who may do what.
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
  /** Whether a comment period is set and open now (undefined: no period set). */
  readonly commentPeriodOpen?: boolean;
}

export const DocumentAction = {
  read: 'read',
  comment: 'comment',
  write: 'write',
  rename: 'rename',
  share: 'share',
  /** Set a comment's disposition and response. */
  dispose: 'dispose',
  /** Hide or unhide a comment; see hidden text. */
  moderate: 'moderate',
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
};

/**
 * The role the actor effectively holds on the document, or null for no
 * access. Admins (the secretariat) hold `owner` everywhere; members hold
 * their role; visibility adds `commenter` for any signed-in user
 * (`comment`) or `viewer` for anyone (`public`), whichever is more.
 */
export function effectiveRole(actor: Actor | null, doc: DocumentAccess): Role | null {
  if (actor?.isAdmin) return 'owner';
  let role: Role | null = actor ? doc.memberRole : null;
  // `public` lets anyone read; it does not open commenting (that is what
  // `comment` is for), so publishing a final text does not reopen it.
  // An open comment period lets any signed-in user comment (C8).
  const granted: Role | null =
    actor && (doc.visibility === 'comment' || doc.commentPeriodOpen === true)
      ? 'commenter'
      : doc.visibility === 'public'
        ? 'viewer'
        : null;
  if (granted && (!role || RANK[granted] > RANK[role])) role = granted;
  return role;
}

/** True when a holder of `role` may do `action`. */
export function roleAllows(role: Role | null, action: DocumentAction): boolean {
  return role !== null && RANK[role] >= RANK[NEEDS[action]];
}

/** The policy: may `actor` do `action` to a document with this access? */
export function can(actor: Actor | null, action: DocumentAction, doc: DocumentAccess): boolean {
  return roleAllows(effectiveRole(actor, doc), action);
}
