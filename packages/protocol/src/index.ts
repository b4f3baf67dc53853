export { type Brand, type DocumentId, DOCUMENT_ID_PATTERN, parseDocumentId } from './ids';
export { CloseCode, isPermanentCloseCode } from './closeCodes';
export {
  AuthKind,
  type ClientMessage,
  type DecodeResult,
  decodeClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeQueryAwareness,
  encodeSaved,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  Feature,
  FEATURES,
  MessageType,
  parseFeatures,
  PROTOCOL_VERSION,
  readSavedPayload,
  SyncStep,
} from './messages';
export {
  type ApiErrorBody,
  CreateDocumentRequest,
  DocumentTitle,
  type DocumentSummary,
  ErrorCode,
  ExportFormat,
  ExportQuery,
  RenameDocumentRequest,
} from './api';
