/**
 * Everything at once. Browsers should import by subpath instead, so a page
 * loads only what it uses: `@rapporteur/client/http` (the typed API client;
 * no Yjs, no zod), `@rapporteur/client/connect` (the sync socket: Yjs,
 * y-websocket, y-indexeddb) and `@rapporteur/client/offline` (deleting the
 * browser's offline copies).
 */
export {
  type AccessToken,
  type AdminUser,
  type AdminUserUpdate,
  ApiError,
  type ApiClient,
  type ApiClientOptions,
  type CommentEdit,
  type CommentExportFormat,
  type CommentList,
  type CommentPeriod,
  type CommentStreamOptions,
  type CompendiumFormat,
  createApiClient,
  type CreatedInvite,
  type CreatedToken,
  type DocumentUpdate,
  type DispositionInput,
  type DocumentView,
  type EventSourceLike,
  type FieldIssue,
  fieldIssues,
  type Invite,
  type Member,
  type MemberUser,
  type NewComment,
  type NewReply,
  type NotificationList,
  type Participation,
  type ParticipationCount,
  type ProfileUpdate,
  type Settings,
  type SignUpInput,
  subscribeComments,
  type User,
} from './http';
export {
  connect,
  type Connection,
  type ConnectionState,
  type ConnectOptions,
  describeClose,
  describeSaveState,
  type SaveState,
  type SyncStatus,
} from './connect';
export {
  clearOfflineCopies,
  commentOutboxKey,
  documentsWithUnsavedChanges,
  OFFLINE_COPIES_KEY,
  offlineDatabaseName,
  pendingChangesKey,
  rememberOfflineCopy,
} from './offline';
export { SaveTracker } from './saveTracker';
