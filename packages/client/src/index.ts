export { ApiError, type ApiClient, type ApiClientOptions, createApiClient } from './http';
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
export { SaveTracker } from './saveTracker';
