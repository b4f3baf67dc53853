import type { Role } from '@rapporteur/protocol';

/** What the person may do with an open document. `role` is undefined on servers without accounts: everyone edits. */
export interface Abilities {
  /** Type into the text. */
  readonly edit: boolean;
  readonly rename: boolean;
  /** Open the share dialog (people, visibility, invite links). */
  readonly share: boolean;
}

export function abilities(role: Role | undefined): Abilities {
  switch (role) {
    case undefined:
      return { edit: true, rename: true, share: false };
    case 'owner':
      return { edit: true, rename: true, share: true };
    case 'editor':
      return { edit: true, rename: true, share: false };
    case 'commenter':
    case 'viewer':
      return { edit: false, rename: false, share: false };
  }
}

/** The i18n key of the sentence telling the person what their role lets them do. */
export function roleNoticeKey(role: Role): 'role.canEdit' | 'role.canComment' | 'role.canRead' {
  switch (role) {
    case 'owner':
    case 'editor':
      return 'role.canEdit';
    case 'commenter':
      return 'role.canComment';
    case 'viewer':
      return 'role.canRead';
  }
}

/** What the person may do with comments. `role` undefined: a server without accounts has no comments. */
export interface CommentAbilities {
  /** Comment and reply (commenters and up; outside a comment period only editors and owners). */
  readonly comment: boolean;
  /** Set a disposition and accept suggestions (editors and owners). */
  readonly dispose: boolean;
  /** Hide and unhide comments (owners; administrators hold owner everywhere). */
  readonly moderate: boolean;
}

export function commentAbilities(role: Role | undefined): CommentAbilities {
  switch (role) {
    case 'owner':
      return { comment: true, dispose: true, moderate: true };
    case 'editor':
      return { comment: true, dispose: true, moderate: false };
    case 'commenter':
      return { comment: true, dispose: false, moderate: false };
    case 'viewer':
    case undefined:
      return { comment: false, dispose: false, moderate: false };
  }
}
