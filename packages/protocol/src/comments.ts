import * as z from 'zod';
import type { Region, StakeholderGroup } from './domain';
import { lineText, multilineText } from './text';
import { DISPOSITIONS } from './vocabulary';

export const Disposition = z.enum(DISPOSITIONS);
export type Disposition = z.infer<typeof Disposition>;

const Quote = multilineText({ max: 5000, trim: false });

/**
 * Where a comment points. `range`: two Yjs relative positions into the body
 * (`Y.encodeRelativePosition`, base64), so the anchor follows the text as
 * others edit it; `block`: a whole block by its stable id. `quote` is the
 * passage as it read when the comment was written, shown if it is deleted.
 */
export const CommentAnchor = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('range'), start: z.base64().max(2000), end: z.base64().max(2000), quote: Quote }),
  z.strictObject({ type: z.literal('block'), blockId: lineText({ min: 1, max: 100 }), quote: Quote }),
]);
export type CommentAnchor = z.infer<typeof CommentAnchor>;

/**
 * A mention in a comment body: `@[Display name](userId)`. The editor inserts
 * it when someone picks a member; everything else in a body is plain text.
 */
export const MENTION_PATTERN = /@\[([^\]\n]{1,120})\]\(([A-Za-z0-9_-]{1,64})\)/g;

/** The user ids a body mentions, each once, in order. */
export function mentionedUserIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION_PATTERN)].map((m) => m[2]!))];
}

export const NOTIFICATION_KINDS = ['mention', 'reply', 'disposition'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationView {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly document: { readonly id: string; readonly title: string };
  readonly comment: { readonly id: string; readonly parentId: string | null; readonly excerpt: string; readonly status: Disposition };
  readonly actor: { readonly id: string; readonly name: string } | null;
  readonly createdAt: string;
  readonly readAt: string | null;
}

/** Plain text with @mentions and links; rendered as text everywhere. */
export const CommentBody = multilineText({ min: 1, minMessage: 'Write something', max: 10_000 });
/** Replacement wording for a passage, kept exactly as written (spaces included). */
const Suggestion = multilineText({ max: 10_000, trim: false });
const Response = multilineText({ max: 10_000 });
/** Makes retries safe: the same key from the same author creates one comment (offline outboxes resend). */
export const ClientKey = z.string().min(8).max(100).regex(/^[A-Za-z0-9_-]+$/);

/**
 * Unknown fields are dropped, not refused: a client that sends `author` or
 * `stakeholderGroup` gets them ignored, since attribution is the server's.
 */
export const CreateCommentRequest = z.object({
  anchor: CommentAnchor,
  body: CommentBody,
  /** Replacement text for the anchored passage: makes the comment a suggestion. */
  suggestion: Suggestion.optional(),
  clientKey: ClientKey.optional(),
});
export type CreateCommentRequest = z.infer<typeof CreateCommentRequest>;

export const ReplyRequest = z.object({ body: CommentBody, clientKey: ClientKey.optional() });
export type ReplyRequest = z.infer<typeof ReplyRequest>;

export const EditCommentRequest = z
  .strictObject({ body: CommentBody.optional(), suggestion: Suggestion.nullable().optional() })
  .refine((v) => v.body !== undefined || v.suggestion !== undefined, { message: 'Nothing to change' });
export type EditCommentRequest = z.infer<typeof EditCommentRequest>;

export const DispositionRequest = z.strictObject({
  status: Disposition.exclude(['withdrawn']),
  response: Response.optional(),
});
export type DispositionRequest = z.infer<typeof DispositionRequest>;

export const AcceptSuggestionRequest = z.strictObject({ response: Response.optional() });

export const HideCommentRequest = z.strictObject({ reason: multilineText({ min: 1, max: 1000 }) });

/** The author as the server recorded them when the comment was written. */
export interface CommentAuthorView {
  readonly id: string;
  readonly name: string;
  readonly organisation: string | null;
  readonly stakeholderGroup: StakeholderGroup;
  readonly region: Region;
}

export interface CommentView {
  readonly id: string;
  readonly documentId: string;
  /** The thread's first comment, for replies; null for a thread. */
  readonly parentId: string | null;
  readonly author: CommentAuthorView;
  /** Null for replies (they belong to their thread's passage). */
  readonly anchor: CommentAnchor | null;
  /** Empty when the comment is hidden and the reader may not see hidden text. */
  readonly body: string;
  readonly suggestion: string | null;
  readonly status: Disposition;
  readonly response: string | null;
  readonly disposedBy: { readonly id: string; readonly name: string } | null;
  readonly disposedAt: string | null;
  readonly hidden: { readonly reason: string; readonly at: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly editedAt: string | null;
}

export const COMMENT_EVENT_TYPES = [
  'comment.created',
  'comment.edited',
  'comment.disposed',
  'comment.withdrawn',
  'comment.hidden',
  'comment.unhidden',
] as const;
export type CommentEventType = (typeof COMMENT_EVENT_TYPES)[number];

/** One event on a document's comment channel; `seq` orders them and is the SSE id. */
export interface CommentEvent {
  readonly seq: number;
  readonly type: CommentEventType;
  readonly comment: CommentView;
}
