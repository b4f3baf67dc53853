import type { ApiClient, MemberUser, User } from '@rapporteur/client/http';
import type { CommentView } from '@rapporteur/protocol';
import type { CommentAbilities } from '../document/role';
import type { CommentsController } from './controller';

/** What every part of the comments panel needs to know about the page. */
export interface PanelContext {
  readonly controller: CommentsController;
  readonly api: ApiClient;
  readonly documentId: string;
  readonly user: User | null;
  readonly can: CommentAbilities;
  /** May write the text (accepting a suggestion edits it). */
  readonly canEdit: boolean;
  /** Why the person cannot comment or reply now (null: they can). */
  readonly block: 'notAllowed' | 'notYetOpen' | 'closed' | null;
  readonly loadMembers: () => Promise<readonly MemberUser[]>;
  /** An action's answer: merged into the list at once (the event follows). */
  readonly onChanged: (comment: CommentView) => void;
  /** Announces a change politely (status region). */
  readonly announce: (message: string) => void;
}

/** The author may edit or withdraw their comment while it is open and not hidden (SPEC C2). */
export function mayChangeOwn(comment: CommentView, user: User | null): boolean {
  return user !== null && comment.author.id === user.id && comment.status === 'open' && comment.hidden === null;
}
