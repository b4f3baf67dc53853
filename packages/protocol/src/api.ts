import * as z from 'zod';
import { DeadlineInput, type DeadlineView, DueFilter } from './deadlines';
import { Gender, Locale, Region, Role, StakeholderGroup, Visibility } from './domain';
import { DocumentStatus, DocumentType } from './outcome';
import { PASSWORD_MAX_LENGTH } from './passwordProblem';
import type { DocumentTemplateRef } from './templates';
import { TemplateId } from './templates';
import { lineText } from './text';

/** HTTP API shapes shared by the server (validation) and the client (types). */

export const DocumentTitle = lineText({ min: 1, max: 200 });

/**
 * `POST /api/documents`. The body is filled from a template: `templateId`
 * picks one (its current version), `type` alone picks that type's standard
 * template (the one whose id is the type), neither gives a blank document.
 */
export const CreateDocumentRequest = z.strictObject({
  title: DocumentTitle.optional(),
  type: DocumentType.optional(),
  templateId: TemplateId.optional(),
  /** The document's language (default: the creator's interface language). */
  language: Locale.optional(),
});
export type CreateDocumentRequest = z.infer<typeof CreateDocumentRequest>;

/**
 * `POST /api/documents/import` (multipart/form-data): the form fields beside
 * the `file` part. `title` defaults to the file's name, `language` to the
 * importer's interface language.
 */
export const ImportDocumentFields = z.strictObject({
  title: DocumentTitle.optional(),
  language: Locale.optional(),
});
export type ImportDocumentFields = z.infer<typeof ImportDocumentFields>;

export const RenameDocumentRequest = z.strictObject({
  title: DocumentTitle,
});
export type RenameDocumentRequest = z.infer<typeof RenameDocumentRequest>;

/**
 * `PATCH /api/documents/:id`: rename (editors), change visibility (owners),
 * move through the workflow (SPEC WF1–WF5) and set or clear the deadline
 * (owners, WF6). `closesAt` goes only with a move to `public-comment`: when
 * the comment period it opens closes (default: 14 days after the move).
 */
export const UpdateDocumentRequest = z
  .strictObject({
    title: DocumentTitle.optional(),
    visibility: Visibility.optional(),
    status: DocumentStatus.optional(),
    closesAt: z.iso.datetime({ offset: true }).optional(),
    deadline: DeadlineInput.nullable().optional(),
    /** The language the document is written in (editors; SPEC L8). */
    language: Locale.optional(),
  })
  .refine((v) => v.title !== undefined || v.visibility !== undefined || v.status !== undefined || v.deadline !== undefined || v.language !== undefined, {
    message: 'Nothing to change',
  })
  .refine((v) => v.closesAt === undefined || v.status === 'public-comment', {
    message: 'closesAt goes only with a move to public-comment',
    path: ['closesAt'],
  });
export type UpdateDocumentRequest = z.input<typeof UpdateDocumentRequest>;

/** `GET /api/documents?type=&status=&due=`: filters of the document list (SPEC WF7, WF8). */
export const ListDocumentsQuery = z.object({
  type: DocumentType.optional(),
  status: DocumentStatus.optional(),
  due: DueFilter.optional(),
});
export type ListDocumentsQuery = z.infer<typeof ListDocumentsQuery>;

export const Email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
/**
 * A new password as the wire carries it. The policy (`passwordShapeProblem`,
 * and the server's list of common passwords) is applied by the server with a
 * `weak_password` error that says why, not here: this only bounds the size.
 */
export const Password = z.string().max(4 * PASSWORD_MAX_LENGTH);
const PersonName = lineText({ min: 1, max: 120 });
const OptionalText = lineText({ max: 200 }).nullable().optional();

export const SignUpRequest = z.strictObject({
  email: Email,
  password: Password,
  name: PersonName,
  stakeholderGroup: StakeholderGroup,
  region: Region,
  organisation: OptionalText,
  country: OptionalText,
  /** Required when registration is invite-only: the code of an invite link. */
  inviteCode: z.string().max(200).optional(),
  /** The interface language chosen (SPEC L3); without it, each request's Accept-Language is followed. */
  locale: Locale.optional(),
});
export type SignUpRequest = z.infer<typeof SignUpRequest>;

// Any stored password may sign in, including ones set before the policy changed.
export const LogInRequest = z.strictObject({ email: Email, password: z.string().min(1).max(4 * PASSWORD_MAX_LENGTH) });
export type LogInRequest = z.infer<typeof LogInRequest>;

export const UpdateProfileRequest = z.strictObject({
  name: PersonName.optional(),
  organisation: OptionalText,
  country: OptionalText,
  stakeholderGroup: StakeholderGroup.optional(),
  region: Region.optional(),
  gender: Gender.nullable().optional(),
  youth: z.boolean().nullable().optional(),
  firstTime: z.boolean().nullable().optional(),
  showDemographics: z.boolean().optional(),
  /** The interface language (SPEC L3); null follows the browser again. */
  locale: Locale.nullable().optional(),
});
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

export const CreateTokenRequest = z.strictObject({ name: lineText({ min: 1, max: 100 }) });

export const SetMemberRequest = z.strictObject({ email: Email, role: Role });
export type SetMemberRequest = z.infer<typeof SetMemberRequest>;

export const MemberRoleRequest = z.strictObject({ role: Role });
export type MemberRoleRequest = z.infer<typeof MemberRoleRequest>;

export const CreateInviteRequest = z.strictObject({
  role: Role.exclude(['owner']),
  expiresInDays: z.number().int().min(1).max(90).default(14),
});
export type CreateInviteRequest = z.infer<typeof CreateInviteRequest>;

export const CommentPeriodRequest = z
  .strictObject({ opensAt: z.iso.datetime({ offset: true }), closesAt: z.iso.datetime({ offset: true }) })
  .refine((p) => Date.parse(p.closesAt) > Date.parse(p.opensAt), { message: 'closesAt must be after opensAt', path: ['closesAt'] });
export type CommentPeriodRequest = z.infer<typeof CommentPeriodRequest>;

export const RegistrationMode = z.enum(['open', 'invite-only']);
export type RegistrationMode = z.infer<typeof RegistrationMode>;
/** `POST /api/auth/password-reset`: send a reset link to this address, if an account uses it. */
export const PasswordResetRequest = z.strictObject({ email: Email });
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

/** `POST /api/auth/password-reset/:code`: the new password. */
export const SetPasswordRequest = z.strictObject({ password: Password });
export type SetPasswordRequest = z.infer<typeof SetPasswordRequest>;

/** A reset link an administrator issued (`POST /api/admin/users/:id/reset-link`). */
export interface ResetLinkView {
  readonly code: string;
  /** Absolute when the server knows its PUBLIC_URL; otherwise null, and the link is `<origin>/reset/<code>`. */
  readonly url: string | null;
  readonly expiresAt: string;
}

/** What a live reset link is for (`GET /api/auth/password-reset/:code`). */
export interface ResetLinkInfo {
  readonly email: string;
  readonly expiresAt: string;
}

export const UpdateSettingsRequest = z.strictObject({ registration: RegistrationMode });

export const AdminUpdateUserRequest = z.strictObject({ isAdmin: z.boolean().optional(), disabled: z.boolean().optional() });

/** An account as the API shows it to the person themself (and to admins). */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly organisation: string | null;
  readonly country: string | null;
  readonly stakeholderGroup: StakeholderGroup;
  readonly region: Region;
  readonly gender: Gender | null;
  readonly youth: boolean | null;
  readonly firstTime: boolean | null;
  readonly showDemographics: boolean;
  readonly isAdmin: boolean;
  readonly createdAt: string;
  /** The chosen interface language; null when the browser's is used (SPEC L3). */
  readonly locale: Locale | null;
}

/**
 * Another person as members of a shared document see them. `email` is shown
 * only to those who may share the document (owners, admins) and to the
 * person themselves; everyone else gets null (THREAT_MODEL.md).
 */
export interface PersonView {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly organisation: string | null;
  readonly stakeholderGroup: StakeholderGroup;
  readonly region: Region;
}

export interface MemberView {
  readonly user: PersonView;
  readonly role: Role;
  readonly addedAt: string;
}

export interface InviteView {
  readonly id: string;
  readonly role: Role;
  readonly expiresAt: string;
  readonly createdAt: string;
}

export const ExportFormat = z.enum(['html', 'md', 'docx', 'odt', 'pdf']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** `?format=` of an export; `&version=` (a version id or history entry) exports that point instead of the live text. */
export const ExportQuery = z.object({ format: ExportFormat, version: z.string().min(1).max(100).optional() });

/** A document as listed and returned by the API. Times are ISO 8601 strings. */
export interface DocumentSummary {
  readonly id: string;
  readonly title: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The caller's effective role. */
  readonly role: Role;
  readonly visibility: Visibility;
  /** When set, non-editors may comment only between these times (ISO 8601). */
  readonly commentPeriod?: { readonly opensAt: string; readonly closesAt: string } | null;
  /** The document's type (issue 9); `blank` for documents made before types existed. */
  readonly type: DocumentType;
  /** The template (and its version) the document started from; null when it started blank. */
  readonly template: DocumentTemplateRef | null;
  /** Where the document is in the review workflow (SPEC WF1). */
  readonly status: DocumentStatus;
  /** When it moved there (ISO 8601); null when it has been in `drafting` since it was created. */
  readonly statusChangedAt: string | null;
  readonly deadline: DeadlineView | null;
  /** The moves the caller may make now, in workflow order (SPEC WF2): what a "Move to…" control offers. */
  readonly moves: readonly DocumentStatus[];
  /** The language the document is written in (SPEC L8), apart from each reader's interface language. */
  readonly language: Locale;
  /** The document this one is a linked translation of (SPEC LT1); null for an original. */
  readonly translationOf: string | null;
}

/** One passage that keeps a document from "final", in a 409 `not_ready`'s `details.problems` (SPEC WF4). */
export interface ReadinessProblemView {
  readonly code: string;
  readonly blockId: string | null;
  readonly passage: string;
}

/** Stable error codes of the HTTP API. Every error body is `{ error: { code, message } }`. */
export const ErrorCode = {
  badRequest: 'bad_request',
  unauthenticated: 'unauthenticated',
  invalidCredentials: 'invalid_credentials',
  forbidden: 'forbidden',
  csrf: 'cross_site_request',
  registrationClosed: 'registration_closed',
  notFound: 'not_found',
  userNotFound: 'user_not_found',
  emailTaken: 'email_taken',
  weakPassword: 'weak_password',
  lastOwner: 'last_owner',
  /** `POST /api/admin/templates` with an id that is taken (409). */
  templateExists: 'template_exists',
  /** A workflow move that does not exist (drafting → final), or to `published` outside publishing (SPEC WF2). */
  invalidTransition: 'invalid_transition',
  /** A move to final while passages are incomplete; `details.problems` names them (SPEC WF4). */
  notReady: 'not_ready',
  commentClosed: 'comment_closed',
  /** The comment changed between reading it and writing (another person's command won the race): 409, read it again. */
  commentChanged: 'comment_changed',
  commentPeriodClosed: 'comment_period_closed',
  inviteExpired: 'invite_expired',
  resetLinkInvalid: 'reset_link_invalid',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  rateLimited: 'rate_limited',
  busy: 'busy',
  storageUnavailable: 'storage_unavailable',
  shuttingDown: 'shutting_down',
  /** An export format whose engine (pandoc, Chromium) this server lacks (501); the message names what to install. */
  exportEngineMissing: 'export_engine_missing',
  /** The export engine failed, ran out of time or made a file over the size limit (500). */
  exportFailed: 'export_failed',
  /** Withdrawing a publication already withdrawn (409). */
  publicationWithdrawn: 'publication_withdrawn',
  /** A translation into that language exists already (409); `details.documentId` names it (SPEC LT1). */
  translationExists: 'translation_exists',
  /** Translating a translation (409): translations are made from the original (SPEC LT1). */
  isTranslation: 'is_translation',
  /** A session with this code is already in the event (409, SPEC EV4): re-import the CSV to change it. */
  sessionExists: 'session_exists',
  /** `POST /api/documents/import`: a file whose name or type names no format that is read (415). */
  importUnsupportedFormat: 'import_unsupported_format',
  /** A file whose content is not the format it claims (a PNG named .docx): 415 (SPEC IM2). */
  importTypeMismatch: 'import_type_mismatch',
  /** An archive over the entry or inflated-size limits, or whose entries inflate to more than they declare (422, SPEC IM3). */
  importArchiveRefused: 'import_archive_refused',
  /** The converter could not read the file (damaged): 422. */
  importUnreadable: 'import_unreadable',
  /** Importing ODT needs pandoc, which this server lacks (501). */
  importEngineMissing: 'import_engine_missing',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ApiErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: unknown };
}
