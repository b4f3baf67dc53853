import type {
  CitationView,
  CreateEventRequest,
  CreateSessionRequest,
  DashboardView,
  EventView,
  ImportResult,
  InvitationView,
  ImportProblem,
  SessionView,
  UpdateEventRequest,
  CreatedCitation,
  DocumentEventView,
  TakeawayView,
  PublicationView,
  PublishRequest,
  ApiErrorBody,
  AuditEventView,
  DiffView,
  HistoryAuthor,
  HistoryEntry,
  MarkerView,
  SegmentStatus,
  SegmentView,
  TranslationStatusView,
  TranslationsView,
  VersionView,
  InviteView,
  MemberView,
  PersonView,
  UserView,
  CommentAnchor,
  CommentEvent,
  CommentView,
  DeadlineInput,
  Disposition,
  DocumentStatus,
  DocumentSummary,
  DocumentType,
  DueFilter,
  ExportFormat,
  Gender,
  Locale,
  NotificationView,
  ReminderView,
  Region,
  RegistrationMode,
  ResetLinkInfo,
  ResetLinkView,
  Role,
  StakeholderGroup,
  TemplateSummary,
  TemplateView,
  Visibility,
} from '@rapporteur/protocol';

/** `POST /api/documents`: `templateId` picks a template, `type` alone the type's standard one, neither a blank document. */
export interface NewDocumentInput {
  readonly title?: string;
  readonly type?: DocumentType;
  readonly templateId?: string;
}

/** Template JSON as an administrator imports or edits it (validated by the server, which names each bad field). */
export type TemplateInput = Record<string, unknown>;

/** One problem with one field of a request, as the API reports it in a 400's `details`. */
export interface FieldIssue {
  /** The field's path, e.g. `['email']` or `'email'`. */
  readonly path: string | readonly (string | number)[];
  readonly message: string;
}

/** An error answered by the API, with the stable code and the message the UI can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The body's `error.details`, when the server sent any (a 400's field issues). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A document as the API returns it, with the caller's role and its visibility. */
export type DocumentView = DocumentSummary;

/** A signed-in person's account and profile (the API's `UserView`). */
export type User = UserView;

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly stakeholderGroup: StakeholderGroup;
  readonly region: Region;
  readonly organisation?: string;
  readonly country?: string;
  /** An invite link's code; needed when registration is invite-only. */
  readonly inviteCode?: string;
  /** The interface language chosen (one of the six); without it the server follows Accept-Language. */
  readonly locale?: Locale;
}

export interface ProfileUpdate {
  readonly name?: string;
  readonly organisation?: string | null;
  readonly country?: string | null;
  readonly stakeholderGroup?: StakeholderGroup;
  readonly region?: Region;
  readonly gender?: Gender | null;
  readonly youth?: boolean | null;
  readonly firstTime?: boolean | null;
  readonly showDemographics?: boolean;
  /** The interface language; null follows the browser (SPEC L3). */
  readonly locale?: Locale | null;
}

export interface AccessToken {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** A new token: `token` is shown this once and never again. */
export interface CreatedToken {
  readonly token: string;
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** A document's member as co-members see them (the API's `PersonView`). */
export type MemberUser = PersonView;
export type Member = MemberView;
export type Invite = InviteView;
export type { ResetLinkInfo, ResetLinkView };

/** A new invite link: `code` is shown this once (the link is `${origin}/invite/${code}`). */
export interface CreatedInvite {
  readonly id: string;
  readonly role: Role;
  readonly expiresAt: string;
  readonly code: string;
}

export interface DocumentUpdate {
  readonly title?: string;
  readonly visibility?: Visibility;
  /** A workflow move (SPEC WF2); refused with 403 (role), 409 `invalid_transition` or 409 `not_ready` (details.problems). */
  readonly status?: DocumentStatus;
  /** With a move to public-comment: when the comment period it opens closes (ISO 8601). */
  readonly closesAt?: string;
  /** Set (`{at, timeZone}`) or clear (null) the deadline; owners (WF6). */
  readonly deadline?: DeadlineInput | null;
  /** The language the document is written in (SPEC L8); editors. */
  readonly language?: Locale;
}

/** Filters of the document list (SPEC WF7, WF8). */
export interface DocumentFilters {
  readonly type?: DocumentType;
  readonly status?: DocumentStatus;
  readonly due?: DueFilter;
}

/** An account as administrators see it: with whether it is disabled. */
export type AdminUser = User & {
  /** A disabled account cannot sign in; its sessions and tokens no longer work. */
  readonly disabled: boolean;
};

/** What an administrator may change about an account. */
export interface AdminUserUpdate {
  readonly isAdmin?: boolean;
  readonly disabled?: boolean;
}

/** Server-wide settings administrators manage. */
export interface Settings {
  /** `open`: anyone may sign up; `invite-only`: only with an invite link's code. */
  readonly registration: RegistrationMode;
}

/** A document's comments (threads and replies, oldest first) and the id of the last event they include. */
export interface CommentList {
  readonly comments: CommentView[];
  /** Open the event stream `after` this, and nothing written after the list is missed. */
  readonly lastEventId: number;
}

export interface NewComment {
  readonly anchor: CommentAnchor;
  /** Plain text with `@[Name](userId)` mentions. */
  readonly body: string;
  /** Replacement text for the anchored passage: makes the comment a suggestion. */
  readonly suggestion?: string;
  /** 8–100 characters of [A-Za-z0-9_-]: a resend with the same key returns the first comment. */
  readonly clientKey?: string;
}

export interface NewReply {
  readonly body: string;
  readonly clientKey?: string;
}

export interface CommentEdit {
  readonly body?: string;
  /** null removes the suggestion. */
  readonly suggestion?: string | null;
}

export interface DispositionInput {
  readonly status: Exclude<Disposition, 'withdrawn'>;
  readonly response?: string;
}

export interface CommentPeriod {
  /** ISO 8601 with an offset (`toISOString()`). */
  readonly opensAt: string;
  readonly closesAt: string;
}

/**
 * A self-declared figure: exact, or `"suppressed"` — withheld because it (or
 * another cell of its table) counts 1 or 2 people, so that nobody is singled
 * out and no withheld cell can be worked out from the others (SPEC C9).
 */
export type ParticipationCount = number | 'suppressed';

/** Who took part in a document's comments (SPEC C9). */
export interface Participation {
  /** People who wrote at least one comment or reply that is not withdrawn. */
  readonly commenters: number;
  readonly comments: number;
  readonly commentsByStakeholderGroup: Record<StakeholderGroup, number>;
  readonly commentsByRegion: Record<Region, number>;
  readonly commentersByStakeholderGroup: Record<StakeholderGroup, number>;
  /** Per person, by self-declared gender (`undeclared` when not given); every answer is listed. */
  readonly gender: Record<Gender | 'undeclared', ParticipationCount>;
  readonly youth: { readonly yes: ParticipationCount; readonly no: ParticipationCount; readonly undeclared: ParticipationCount };
  readonly firstTime: { readonly yes: ParticipationCount; readonly no: ParticipationCount; readonly undeclared: ParticipationCount };
}

export interface NotificationList {
  /** Newest first. */
  readonly notifications: NotificationView[];
  /** Deadline reminders that still stand (SPEC EV12), newest first. */
  readonly reminders: ReminderView[];
  /** Unread notifications and reminders. */
  readonly unread: number;
}

export type CommentExportFormat = 'csv' | 'html';
export type CompendiumFormat = 'html' | 'md';

export interface ApiClientOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:8080`; '' means the page's own origin. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /** A personal access token (scripts, tests): sent as `Authorization: Bearer`. */
  readonly token?: string;
}

/** Typed client for the HTTP API. Every method rejects with `ApiError` on a non-2xx answer. */
export interface ApiClient {
  /** Overdue first, then by deadline, then the most recently updated (WF7). */
  listDocuments(filters?: DocumentFilters): Promise<DocumentView[]>;
  createDocument(input?: NewDocumentInput): Promise<DocumentView>;
  getDocument(id: string): Promise<DocumentView>;
  renameDocument(id: string, title: string): Promise<DocumentView>;
  /** Title (editors and owners) and visibility (owners). */
  updateDocument(id: string, update: DocumentUpdate): Promise<DocumentView>;
  setVisibility(id: string, visibility: Visibility): Promise<DocumentView>;
  exportDocument(id: string, format: ExportFormat): Promise<string>;
  /** Any export as a file (DOCX, ODT and PDF are binary); `version` exports that version instead of the live text. */
  exportFile(id: string, format: ExportFormat, version?: string): Promise<Blob>;
  health(): Promise<boolean>;

  signUp(input: SignUpInput): Promise<User>;
  logIn(email: string, password: string): Promise<User>;
  logOut(): Promise<void>;
  /** The signed-in person; rejects with status 401 when signed out (404 from a server without accounts). */
  me(): Promise<User>;
  updateMe(update: ProfileUpdate): Promise<User>;

  createToken(name: string): Promise<CreatedToken>;
  listTokens(): Promise<AccessToken[]>;
  revokeToken(id: string): Promise<void>;

  listMembers(documentId: string): Promise<Member[]>;
  setMember(documentId: string, email: string, role: Role): Promise<Member>;
  /** Changes an existing member's role (owners). */
  setMemberRole(documentId: string, userId: string, role: Role): Promise<Member>;
  removeMember(documentId: string, userId: string): Promise<void>;

  createInvite(documentId: string, input: { role: Role; expiresInDays: number }): Promise<CreatedInvite>;
  listInvites(documentId: string): Promise<Invite[]>;
  revokeInvite(documentId: string, inviteId: string): Promise<void>;
  acceptInvite(code: string): Promise<{ documentId: string; role: Role }>;

  listComments(documentId: string): Promise<CommentList>;
  /** 201 the first time; a resend with the same `clientKey` answers the same comment (200). */
  createComment(documentId: string, input: NewComment): Promise<CommentView>;
  reply(documentId: string, commentId: string, input: NewReply): Promise<CommentView>;
  /** The author, while the comment is open. */
  editComment(documentId: string, commentId: string, edit: CommentEdit): Promise<CommentView>;
  withdrawComment(documentId: string, commentId: string): Promise<CommentView>;
  /** Editors and owners, on threads. */
  setDisposition(documentId: string, commentId: string, input: DispositionInput): Promise<CommentView>;
  /** Editors and owners: the suggestion replaces the passage; 409 `comment_closed` when the passage is gone. */
  acceptSuggestion(documentId: string, commentId: string, response?: string): Promise<CommentView>;
  /** Owners and admins. */
  hideComment(documentId: string, commentId: string, reason: string): Promise<CommentView>;
  unhideComment(documentId: string, commentId: string): Promise<CommentView>;
  /** Owners: any signed-in person may comment between the two times. */
  setCommentPeriod(documentId: string, period: CommentPeriod): Promise<DocumentView>;
  clearCommentPeriod(documentId: string): Promise<DocumentView>;
  /** The disposition-of-comments table. */
  exportComments(documentId: string, format: CommentExportFormat): Promise<string>;
  /** The views expressed, grouped by stakeholder group. */
  exportCompendium(documentId: string, format: CompendiumFormat): Promise<string>;
  participation(documentId: string): Promise<Participation>;

  /** Members (any role): named versions and restore points, newest first. */
  listVersions(documentId: string): Promise<VersionView[]>;
  /** Editors and owners: names the state as stored now. */
  nameVersion(documentId: string, name: string): Promise<VersionView>;
  /** Publishes the document (owners): a numbered, frozen publication (SPEC PUB1). */
  publish(documentId: string, request?: PublishRequest): Promise<PublicationView>;
  /** The document's publications the caller may read, oldest first. */
  listPublications(documentId: string): Promise<PublicationView[]>;
  /** Withdraws a publication with a reason (owners); its page then says so. */
  withdrawPublication(documentId: string, number: number, reason: string): Promise<PublicationView>;
  /** A version or history entry's text, like `exportDocument`. */
  exportVersion(documentId: string, versionId: string, format: ExportFormat): Promise<string>;
  /** Inserted and deleted runs between two points (version id, history entry id, or `current`). */
  /** The changes between two points (earlier first) and the headings they come under. */
  diff(documentId: string, from: string, to?: string): Promise<DiffView>;
  /** Editors and owners: the document gets that point's text as one new edit; returns the restore point. */
  restoreVersion(documentId: string, versionId: string): Promise<VersionView>;
  /** Yjs client id → who owns it ("who wrote this"). */
  authors(documentId: string): Promise<Record<string, HistoryAuthor>>;
  /** Edit sessions, newest first; pass `next` as `before` for the page after. */
  history(documentId: string, options?: { before?: string; limit?: number }): Promise<{ entries: HistoryEntry[]; next: string | null }>;
  /** Owners and admins. */
  audit(documentId: string, options?: { before?: number; limit?: number }): Promise<AuditEventView[]>;
  /** Every consensus marker in document order, with who set it and when (anyone who may read the document). */
  markers(documentId: string): Promise<MarkerView[]>;
  /** The event and track a messages document consolidates; 404 for any other document (SPEC EV8). */
  documentEvent(documentId: string): Promise<DocumentEventView>;
  /** The takeaways and calls to action of a track's session reports the caller may read (SPEC EV8). */
  takeaways(eventId: string, trackId: string): Promise<TakeawayView[]>;
  /** What to insert to cite a passage of another document (SPEC EV9). */
  cite(documentId: string, source: { documentId: string; blockId: string }): Promise<CreatedCitation>;
  /** The document's citations in order, each as the caller may see its source (SPEC EV9, EV10). */
  citations(documentId: string): Promise<CitationView[]>;
  /** Events the caller may see (SPEC EV7). */
  listEvents(): Promise<EventView[]>;
  /** A new event (admins, SPEC EV1). */
  createEvent(input: CreateEventRequest): Promise<EventView>;
  getEvent(id: string): Promise<EventView>;
  updateEvent(id: string, update: UpdateEventRequest): Promise<EventView>;
  /** The whole list of organisers, by e-mail (admins). */
  setOrganisers(id: string, emails: readonly string[]): Promise<EventView>;
  listSessions(eventId: string): Promise<SessionView[]>;
  dashboard(eventId: string, track?: string): Promise<DashboardView>;
  /** The session CSV, previewed (`dryRun`) or written (SPEC EV3–EV5). */
  importSessions(eventId: string, csv: Blob | string, dryRun: boolean): Promise<ImportResult>;
  /** One session added by hand. */
  addSession(
    eventId: string,
    session: CreateSessionRequest,
  ): Promise<{ session: { id: string; code: string; documentId: string }; invitations: InvitationView[]; warnings: ImportProblem[] }>;
  /** The track's messages document, made the first time (those who manage the event). */
  trackMessages(eventId: string, trackId: string): Promise<{ documentId: string }>;
  /** Editors of an original: a linked translation of it into `language` (201, the new document; SPEC LT1). */
  createTranslation(documentId: string, language: Locale): Promise<DocumentView>;
  /** The document's translation family as the reader may see it (LT6). */
  translations(documentId: string): Promise<TranslationsView>;
  /** A translation's aligned paragraphs: status, "source changed" (LT3–LT5). */
  translationStatus(documentId: string): Promise<TranslationStatusView>;
  /** Editors of a translation: adds the original's blocks it lacks, as empty copies where the original has them (LT7). */
  addSourceParagraphs(documentId: string): Promise<TranslationStatusView>;
  /** Editors of a translation: one paragraph's status (LT3). */
  setSegmentStatus(documentId: string, blockId: string, status: SegmentStatus): Promise<SegmentView>;

  listNotifications(): Promise<NotificationList>;
  markNotificationRead(id: string): Promise<void>;
  markAllNotificationsRead(): Promise<void>;

  /** The current version of every template (any signed-in person). */
  listTemplates(): Promise<TemplateSummary[]>;
  /** A template with its content: its current version, or `version`. */
  getTemplate(id: string, version?: number): Promise<TemplateView>;
  /** Administrators only: a new template (version 1); 400 naming the field of invalid JSON, 409 when the id is taken. */
  createTemplate(template: TemplateInput): Promise<TemplateView>;
  /** Administrators only: the template's next version; documents made earlier keep the version they started from. */
  updateTemplate(id: string, template: TemplateInput): Promise<TemplateView>;

  /** Administrators only (others get 403): every account, disabled ones included. */
  adminListUsers(): Promise<AdminUser[]>;
  /** Makes or unmakes an administrator, disables (revoking every session) or re-enables an account. */
  adminUpdateUser(id: string, update: AdminUserUpdate): Promise<AdminUser>;
  getSettings(): Promise<Settings>;
  updateSettings(settings: Settings): Promise<Settings>;
  /** Administrators only: a one-time password reset link for the account, valid 24 hours. */
  adminResetLink(userId: string): Promise<ResetLinkView>;

  /** Whether this server can e-mail reset links (SMTP configured). */
  passwordResetOptions(): Promise<{ byEmail: boolean }>;
  /** Sends a reset link if an account uses `email`; answers the same either way. 404 without SMTP. */
  requestPasswordReset(email: string): Promise<void>;
  /** What a live reset link is for; 410 `reset_link_invalid` when unknown, used or expired. */
  resetLinkInfo(code: string): Promise<ResetLinkInfo>;
  /** Sets the new password through a link and signs in (a session cookie); 400 `weak_password`, 410. */
  resetPassword(code: string, password: string): Promise<User>;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const base = (options.baseUrl ?? '').replace(/\/$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await doFetch(base + path, {
        // The session cookie goes with every request to our own origin.
        credentials: 'same-origin',
        ...init,
        headers: {
          Accept: 'application/json',
          ...(init.body ? { 'Content-Type': 'application/json' } : {}),
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
          ...init.headers,
        },
      });
    } catch (cause) {
      throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'Network error');
    }
    if (!res.ok) {
      let code = 'http_' + res.status;
      let message = res.statusText || 'Request failed';
      let details: unknown;
      try {
        const body = (await res.json()) as Partial<ApiErrorBody>;
        if (body.error) ({ code, message, details } = body.error);
      } catch {
        // Not JSON (a proxy's error page, say): keep the status text.
      }
      throw new ApiError(res.status, code, message, details);
    }
    return res;
  }
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await request(path, init)).json() as Promise<T>;
  const send = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    json<T>(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const noContent = async (method: string, path: string, body?: unknown): Promise<void> => {
    await request(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  };
  const enc = encodeURIComponent;
  const doc = (id: string): string => `/api/documents/${enc(id)}`;
  const comment = (documentId: string, commentId: string): string => `${doc(documentId)}/comments/${enc(commentId)}`;

  return {
    listDocuments: async (filters = {}) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) if (value !== undefined) query.set(key, String(value));
      return (await json<{ documents: DocumentView[] }>(`/api/documents${query.size > 0 ? `?${query.toString()}` : ''}`)).documents;
    },
    createDocument: (input = {}) => send('POST', '/api/documents', input),
    getDocument: (id) => json(doc(id)),
    renameDocument: (id, title) => send('PATCH', doc(id), { title }),
    updateDocument: (id, update) => send('PATCH', doc(id), update),
    setVisibility: (id, visibility) => send('PATCH', doc(id), { visibility }),
    exportDocument: async (id, format) => (await request(`${doc(id)}/export?format=${format}`)).text(),
    exportFile: async (id, format, version) =>
      (await request(`${doc(id)}/export?format=${format}${version === undefined ? '' : `&version=${enc(version)}`}`)).blob(),
    health: async () => {
      try {
        return (await doFetch(base + '/healthz')).ok;
      } catch {
        return false;
      }
    },

    signUp: async (input) => (await send<{ user: User }>('POST', '/api/auth/signup', input)).user,
    logIn: async (email, password) => (await send<{ user: User }>('POST', '/api/auth/login', { email, password })).user,
    logOut: () => noContent('POST', '/api/auth/logout'),
    me: async () => (await json<{ user: User }>('/api/me')).user,
    updateMe: async (update) => (await send<{ user: User }>('PATCH', '/api/me', update)).user,

    createToken: (name) => send('POST', '/api/tokens', { name }),
    listTokens: async () => (await json<{ tokens: AccessToken[] }>('/api/tokens')).tokens,
    revokeToken: (id) => noContent('DELETE', `/api/tokens/${enc(id)}`),

    listMembers: async (documentId) => (await json<{ members: Member[] }>(`${doc(documentId)}/members`)).members,
    setMember: async (documentId, email, role) => (await send<{ member: Member }>('PUT', `${doc(documentId)}/members`, { email, role })).member,
    setMemberRole: async (documentId, userId, role) =>
      (await send<{ member: Member }>('PATCH', `${doc(documentId)}/members/${enc(userId)}`, { role })).member,
    removeMember: (documentId, userId) => noContent('DELETE', `${doc(documentId)}/members/${enc(userId)}`),

    createInvite: async (documentId, input) => (await send<{ invite: CreatedInvite }>('POST', `${doc(documentId)}/invites`, input)).invite,
    listInvites: async (documentId) => (await json<{ invites: Invite[] }>(`${doc(documentId)}/invites`)).invites,
    revokeInvite: (documentId, inviteId) => noContent('DELETE', `${doc(documentId)}/invites/${enc(inviteId)}`),
    acceptInvite: (code) => send('POST', `/api/invites/${enc(code)}/accept`),

    listComments: (documentId) => json(`${doc(documentId)}/comments`),
    createComment: async (documentId, input) => (await send<{ comment: CommentView }>('POST', `${doc(documentId)}/comments`, input)).comment,
    reply: async (documentId, commentId, input) =>
      (await send<{ comment: CommentView }>('POST', `${comment(documentId, commentId)}/replies`, input)).comment,
    editComment: async (documentId, commentId, edit) => (await send<{ comment: CommentView }>('PATCH', comment(documentId, commentId), edit)).comment,
    withdrawComment: async (documentId, commentId) =>
      (await send<{ comment: CommentView }>('POST', `${comment(documentId, commentId)}/withdraw`)).comment,
    setDisposition: async (documentId, commentId, input) =>
      (await send<{ comment: CommentView }>('PUT', `${comment(documentId, commentId)}/disposition`, input)).comment,
    acceptSuggestion: async (documentId, commentId, response) =>
      (await send<{ comment: CommentView }>('POST', `${comment(documentId, commentId)}/accept`, response === undefined ? {} : { response })).comment,
    hideComment: async (documentId, commentId, reason) =>
      (await send<{ comment: CommentView }>('POST', `${comment(documentId, commentId)}/hide`, { reason })).comment,
    unhideComment: async (documentId, commentId) => (await send<{ comment: CommentView }>('POST', `${comment(documentId, commentId)}/unhide`)).comment,
    setCommentPeriod: (documentId, period) => send('PUT', `${doc(documentId)}/comment-period`, period),
    clearCommentPeriod: (documentId) => send('DELETE', `${doc(documentId)}/comment-period`),
    exportComments: async (documentId, format) => (await request(`${doc(documentId)}/comments/export?format=${format}`)).text(),
    exportCompendium: async (documentId, format) => (await request(`${doc(documentId)}/comments/compendium?format=${format}`)).text(),
    participation: (documentId) => json(`${doc(documentId)}/participation`),

    listVersions: async (documentId) => (await json<{ versions: VersionView[] }>(`${doc(documentId)}/versions`)).versions,
    nameVersion: async (documentId, name) => (await send<{ version: VersionView }>('POST', `${doc(documentId)}/versions`, { name })).version,
    publish: async (documentId, request = {}) => (await send<{ publication: PublicationView }>('POST', `${doc(documentId)}/publications`, request)).publication,
    listPublications: async (documentId) => (await json<{ publications: PublicationView[] }>(`${doc(documentId)}/publications`)).publications,
    withdrawPublication: async (documentId, number, reason) =>
      (await send<{ publication: PublicationView }>('POST', `${doc(documentId)}/publications/${number}/withdraw`, { reason })).publication,
    exportVersion: async (documentId, versionId, format) =>
      (await request(`${doc(documentId)}/versions/${enc(versionId)}/export?format=${format}`)).text(),
    diff: async (documentId, from, to = 'current') =>
      json<DiffView>(`${doc(documentId)}/diff?${new URLSearchParams({ from, to }).toString()}`),
    restoreVersion: async (documentId, versionId) =>
      (await send<{ version: VersionView }>('POST', `${doc(documentId)}/versions/${enc(versionId)}/restore`)).version,
    authors: async (documentId) => (await json<{ clients: Record<string, HistoryAuthor> }>(`${doc(documentId)}/authors`)).clients,
    history: (documentId, options = {}) => {
      const query = new URLSearchParams();
      if (options.before !== undefined) query.set('before', options.before);
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      return json(`${doc(documentId)}/history${query.size > 0 ? `?${query.toString()}` : ''}`);
    },
    audit: async (documentId, options = {}) => {
      const query = new URLSearchParams();
      if (options.before !== undefined) query.set('before', String(options.before));
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      return (await json<{ events: AuditEventView[] }>(`${doc(documentId)}/audit${query.size > 0 ? `?${query.toString()}` : ''}`)).events;
    },
    markers: async (documentId) => (await json<{ markers: MarkerView[] }>(`${doc(documentId)}/markers`)).markers,
    documentEvent: (documentId) => json(`${doc(documentId)}/event`),
    takeaways: async (eventId, trackId) =>
      (await json<{ takeaways: TakeawayView[] }>(`/api/events/${enc(eventId)}/takeaways?track=${enc(trackId)}`)).takeaways,
    cite: (documentId, source) => send('POST', `${doc(documentId)}/citations`, source),
    citations: async (documentId) => (await json<{ citations: CitationView[] }>(`${doc(documentId)}/citations`)).citations,
    listEvents: async () => (await json<{ events: EventView[] }>('/api/events')).events,
    createEvent: async (input) => (await send<{ event: EventView }>('POST', '/api/events', input)).event,
    getEvent: async (id) => (await json<{ event: EventView }>(`/api/events/${enc(id)}`)).event,
    updateEvent: async (id, update) => (await send<{ event: EventView }>('PATCH', `/api/events/${enc(id)}`, update)).event,
    setOrganisers: async (id, emails) => (await send<{ event: EventView }>('PUT', `/api/events/${enc(id)}/organisers`, { emails })).event,
    listSessions: async (eventId) => (await json<{ sessions: SessionView[] }>(`/api/events/${enc(eventId)}/sessions`)).sessions,
    dashboard: (eventId, track) => json(`/api/events/${enc(eventId)}/dashboard${track === undefined ? '' : `?track=${enc(track)}`}`),
    importSessions: (eventId, csv, dryRun) =>
      json(`/api/events/${enc(eventId)}/sessions/import?dryRun=${dryRun ? 'true' : 'false'}`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv }),
    addSession: (eventId, session) => send('POST', `/api/events/${enc(eventId)}/sessions`, session),
    trackMessages: (eventId, trackId) => send('POST', `/api/events/${enc(eventId)}/tracks/${enc(trackId)}/messages`),
    createTranslation: (documentId, language) => send('POST', `${doc(documentId)}/translations`, { language }),
    translations: (documentId) => json(`${doc(documentId)}/translations`),
    translationStatus: (documentId) => json(`${doc(documentId)}/translation`),
    addSourceParagraphs: (documentId) => send('POST', `${doc(documentId)}/translation/paragraphs`),
    setSegmentStatus: (documentId, blockId, status) => send('PUT', `${doc(documentId)}/translation/segments/${enc(blockId)}`, { status }),

    listNotifications: () => json('/api/notifications'),
    markNotificationRead: (id) => noContent('POST', `/api/notifications/${enc(id)}/read`),
    markAllNotificationsRead: () => noContent('POST', '/api/notifications/read-all'),

    listTemplates: async () => (await json<{ templates: TemplateSummary[] }>('/api/templates')).templates,
    getTemplate: async (id, version) =>
      (await json<{ template: TemplateView }>(`/api/templates/${enc(id)}${version === undefined ? '' : `?version=${version}`}`)).template,
    createTemplate: async (template) => (await send<{ template: TemplateView }>('POST', '/api/admin/templates', template)).template,
    updateTemplate: async (id, template) => (await send<{ template: TemplateView }>('PUT', `/api/admin/templates/${enc(id)}`, template)).template,
    adminListUsers: async () => (await json<{ users: AdminUser[] }>('/api/admin/users')).users,
    adminUpdateUser: async (id, update) => (await send<{ user: AdminUser }>('PATCH', `/api/admin/users/${enc(id)}`, update)).user,
    getSettings: () => json('/api/admin/settings'),
    updateSettings: (settings) => send('PUT', '/api/admin/settings', settings),
    adminResetLink: (userId) => send('POST', `/api/admin/users/${enc(userId)}/reset-link`),

    passwordResetOptions: () => json('/api/auth/password-reset'),
    requestPasswordReset: async (email) => {
      await send('POST', '/api/auth/password-reset', { email });
    },
    resetLinkInfo: (code) => json(`/api/auth/password-reset/${enc(code)}`),
    resetPassword: async (code, password) => (await send<{ user: User }>('POST', `/api/auth/password-reset/${enc(code)}`, { password })).user,
  };
}

/**
 * The 400 `details` of a validation error as one message per top-level field
 * (the first issue of each), or null when there are none in that form.
 */
export function fieldIssues(error: unknown): Record<string, string> | null {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return null;
  const out: Record<string, string> = {};
  for (const item of error.details as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, message } = item as Record<string, unknown>;
    const first = Array.isArray(path) ? path[0] : path;
    const field = typeof first === 'string' ? first.split('.')[0] : typeof first === 'number' ? String(first) : undefined;
    if (!field || typeof message !== 'string' || field in out) continue;
    out[field] = message;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The part of `EventSource` the comment stream uses (the browser's, or a test's stand-in). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null;
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null;
  addEventListener(type: 'comment' | 'document', listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface CommentStreamOptions {
  /** Origin of the server; '' (default) is the page's own. */
  readonly baseUrl?: string;
  /** Defaults to the browser's `EventSource`. */
  readonly EventSource?: new (url: string) => EventSourceLike;
  /** The stream is connected (first time and after every reconnect). */
  readonly onOpen?: () => void;
  /** The stream dropped; it reconnects by itself and resumes after the last event received. */
  readonly onError?: () => void;
  /** The document changed (status, deadline, title, visibility, members): as the reader sees it now (WF9). */
  readonly onDocument?: (document: DocumentView) => void;
  /** First delay before reopening a stream the browser gave up on (doubles up to 30 s). Default 1 s. */
  readonly retryMs?: number;
}

/** `EventSource.CLOSED`: the browser will not reconnect by itself (an HTTP error, a wrong content type). */
const EVENT_SOURCE_CLOSED = 2;
const MAX_RETRY_MS = 30_000;

/**
 * Follows a document's comment events (server-sent events, SPEC C3) from
 * `after` (the list's `lastEventId`), calling `onEvent` once per event in
 * order. While the connection drops and returns, the browser resends
 * `Last-Event-ID`, so nothing is missed; when it gives up (the server
 * answered an error), the stream is reopened with `?after=` the last event
 * received, with a growing delay. Events already seen are skipped.
 * Returns the function that stops it.
 */
export function subscribeComments(
  documentId: string,
  after: number,
  onEvent: (event: CommentEvent) => void,
  options: CommentStreamOptions = {},
): () => void {
  const Source = options.EventSource ?? (globalThis as { EventSource?: new (url: string) => EventSourceLike }).EventSource;
  if (!Source) throw new Error('subscribeComments needs EventSource (pass options.EventSource outside browsers)');
  const base = (options.baseUrl ?? '').replace(/\/$/, '');
  const firstDelay = options.retryMs ?? 1000;
  let cursor = after;
  let delay = firstDelay;
  let source: EventSourceLike | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const open = (): void => {
    timer = null;
    if (stopped) return;
    const es = new Source(`${base}/api/documents/${encodeURIComponent(documentId)}/comments/events?after=${cursor}`);
    source = es;
    es.addEventListener('comment', (message) => {
      if (stopped || source !== es) return;
      let event: CommentEvent;
      try {
        event = JSON.parse(message.data) as CommentEvent;
      } catch {
        return;
      }
      if (typeof event?.seq !== 'number' || event.seq <= cursor || !event.comment) return;
      cursor = event.seq;
      onEvent(event);
    });
    es.addEventListener('document', (message) => {
      if (stopped || source !== es) return;
      try {
        const { document } = JSON.parse(message.data) as { document?: DocumentView };
        if (document && typeof document.id === 'string') options.onDocument?.(document);
      } catch {
        // Not ours to understand: ignore.
      }
    });
    es.onopen = () => {
      delay = firstDelay;
      options.onOpen?.();
    };
    es.onerror = () => {
      if (stopped || source !== es) return;
      options.onError?.();
      if (es.readyState === EVENT_SOURCE_CLOSED) {
        es.close();
        source = null;
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    source?.close();
    source = null;
  };
}
