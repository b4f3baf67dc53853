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
