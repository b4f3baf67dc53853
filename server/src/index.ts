export { type Config, ConfigError, loadConfig } from './config';
export { createServer, type RunningServer, type ServerDeps, sqliteFile } from './createServer';
export { type Clock, systemClock, type TimerHandle } from './lib/clock';
export { createLogger, type Logger } from './lib/logger';
export type {
  DocumentRecord,
  DocumentStore,
  HistoryStats,
  LoadedDocument,
  NewUpdate,
  StoredUpdate,
} from './storage/DocumentStore';
export { SqliteDocumentStore } from './storage/sqlite/SqliteDocumentStore';
export { Room, type RoomMember, type RoomOptions } from './rooms/Room';
export { RoomManager, type RoomManagerOptions } from './rooms/RoomManager';
export { migrations } from './storage/sqlite/migrations';
export { hashPassword, type PasswordHasher, scryptHasher } from './auth/passwords';
export { CollabTransport, type CollabTransportOptions, type ConnectionHandler, type TransportSocket, type UpgradeRequest } from './transport/CollabTransport';
export type { AccountStore, PasswordResetRecord, PasswordResetVia, UserRecord } from './storage/AccountStore';
export { SqliteAccountStore } from './storage/sqlite/SqliteAccountStore';
export { openDatabase } from './storage/sqlite/openDatabase';
export { originalPositions } from './lib/lazySourceMaps';
export { AppError, closeCode, httpStatus } from './errors';
export { DEFAULT_HISTORY_OPTIONS, History, type HistoryOptions } from './history/History';
export { deletersOf, DeletionIndex, diffStates, type TextChange } from './history/diffStates';
export { type MarkerChange, markerChanges } from './rooms/markerChanges';
