export { type Config, ConfigError, loadConfig } from './config';
export { createServer, type RunningServer, type ServerDeps, sqliteFile } from './createServer';
export { openConfiguredDatabase } from './storage/openConfiguredDatabase';
export { type Clock, systemClock, type TimerHandle } from './lib/clock';
export { createLogger, type Logger } from './lib/logger';
export { LastOwnerConflict, LeaseLostError } from './storage/DocumentStore';
export type {
  DocumentRecord,
  DocumentStore,
  HistoryStats,
  LoadedDocument,
  LogRecord,
  NewUpdate,
  StoredUpdate,
} from './storage/DocumentStore';
export { SqlDocumentStore, type SqlDocumentStoreOptions } from './storage/sql/SqlDocumentStore';
export { SqlCommentStore } from './storage/sql/SqlCommentStore';
export type { CommentStore, CommentRecord } from './storage/CommentStore';
export { Room, type RoomMember, type RoomOptions } from './rooms/Room';
export { type DocumentMessage, type FanOut, LocalFanOut } from './rooms/FanOut';
export { RoomManager, type RoomManagerOptions } from './rooms/RoomManager';
export { EventLoopLoad, type Load, LoadGauge } from './rooms/LoopLoad';
export { legacySqliteMigrations, LEGACY_SQLITE_VERSION } from './storage/sql/migrations/legacySqliteMigrations';
export { allMigrations, MIGRATION_NAMES, NEWEST_MIGRATION } from './storage/sql/migrations';
export { hashPassword, type PasswordHasher, scryptHasher } from './auth/passwords';
export { CollabTransport, type CollabTransportOptions, type ConnectionHandler, type TransportSocket, type UpgradeRequest } from './transport/CollabTransport';
export type { AccountStore, PasswordResetRecord, PasswordResetVia, UserRecord } from './storage/AccountStore';
export type { Database } from './storage/sql/Database';
export type { Dialect } from './storage/sql/dialect';
export { openSqliteDatabase, type SqliteDatabase } from './storage/sqlite/openDatabase';
export { openPostgresDatabase, type PostgresOptions } from './storage/sql/openPostgresDatabase';
export { SqlAccountStore } from './storage/sql/SqlAccountStore';
export { SqlNotificationStore } from './storage/sql/SqlNotificationStore';
export { SqlTemplateStore } from './storage/sql/SqlTemplateStore';
export { SqlPublicationStore } from './storage/sql/SqlPublicationStore';
export type { NotificationRecord, NotificationStore } from './storage/NotificationStore';
export { type NewTemplate, TemplateExistsError, type TemplateRecord, type TemplateStore } from './storage/TemplateStore';
export { type NewPublication, type PublicationFile, PublicationNumberTakenError, type PublicationRecord, type PublicationStore } from './storage/PublicationStore';
export { EmailTakenError } from './storage/AccountStore';
export { postgresBackupAdvice } from './runBackupCommand';
export { originalPositions } from './lib/lazySourceMaps';
export { AppError, closeCode, httpStatus } from './errors';
export { DEFAULT_HISTORY_OPTIONS, History, type HistoryOptions } from './history/History';
export { type CompactionOptions, type CompactionResult, Compactor, DEFAULT_COMPACTION_OPTIONS, mergeRecords } from './history/compaction';
export { deletersOf, DeletionIndex, diffStates, type TextChange } from './history/diffStates';
export { timeline, type TimelineEntry } from './history/timeline';
export { type MarkerChange, markerChanges } from './rooms/markerChanges';
export { SqlEventStore } from './storage/sql/SqlEventStore';
export type { EventStore, NewEvent, SessionRecord as EventSessionRecord, ReminderRecord } from './storage/EventStore';
export { CopyRefusedError, copySqliteToPostgres } from './storage/copyToPostgres';
export { isStorageFailure } from './storage/isStorageFailure';
