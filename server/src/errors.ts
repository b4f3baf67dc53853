import { type Language, translatorFor } from '@rapporteur/i18n';
import { CloseCode, ErrorCode } from '@rapporteur/protocol';

/** A message of the catalog (packages/i18n, under `server`), with its values: what an error says, in any language. */
export interface MessageRef {
  readonly key: string;
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * The message in `language`. A value that is itself a MessageRef (a status's
 * name, a quoted passage) is worded in the same language first; an array's
 * items likewise (for `{{list, list}}`).
 */
export function translate(language: Language, ref: MessageRef): string {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ref.values ?? {})) values[name] = resolveValue(language, value);
  return translatorFor(language)(ref.key, values) as string;
}

function resolveValue(language: Language, value: unknown): unknown {
  if (isMessageRef(value)) return translate(language, value);
  if (Array.isArray(value)) return value.map((v) => resolveValue(language, v));
  return value;
}

export function isMessageRef(value: unknown): value is MessageRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { key?: unknown }).key === 'string';
}

/**
 * Boundary errors: one family with stable codes, mapped in one place to HTTP
 * statuses (`httpStatus`) and to sync-socket close codes (`closeCode`). The
 * message is a catalog key (SPEC L5): `message` holds it in English (logs),
 * `messageIn` in the language of the person asking.
 */
export class AppError extends Error {
  readonly messageRef: MessageRef | null;
  constructor(
    readonly code: ErrorCode,
    message: string | MessageRef,
    readonly details?: unknown,
  ) {
    super(typeof message === 'string' ? message : translate('en', message));
    this.messageRef = typeof message === 'string' ? null : message;
    this.name = 'AppError';
  }

  /**
   * The message in `language`. A message written without a catalog key is
   * English only: other languages get the catalog's words for its code.
   */
  messageIn(language: Language): string {
    if (this.messageRef) return translate(language, this.messageRef);
    return language === 'en' ? this.message : translate(language, { key: `server.errors.${this.code}`, values: this.defaultValues() });
  }

  /**
   * `details` in `language`: a list of problems keeps its paths, and a
   * problem's `message` given as a MessageRef is worded in the language
   * (English in `details` as stored).
   */
  detailsIn(language: Language): unknown {
    if (!Array.isArray(this.details)) return this.details;
    return this.details.map((d: unknown) => {
      if (typeof d !== 'object' || d === null || !isMessageRef((d as { message?: unknown }).message)) return d;
      return { ...d, message: translate(language, (d as { message: MessageRef }).message) };
    });
  }

  protected defaultValues(): Record<string, unknown> | undefined {
    return undefined;
  }
}

const NOT_FOUND_KEYS: Readonly<Record<string, string>> = {
  Document: 'document',
  Account: 'account',
  Template: 'template',
  'Template version': 'templateVersion',
  Member: 'member',
  Invite: 'invite',
  Notification: 'notification',
  Comment: 'comment',
  Token: 'token',
  'Version or history entry': 'version',
  Publication: 'publication',
  'Publication file': 'publicationFile',
  Translation: 'translation',
  Paragraph: 'paragraph',
  Event: 'event',
  Session: 'session',
  Track: 'track',
};

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    const key = NOT_FOUND_KEYS[what];
    super(ErrorCode.notFound, key ? { key: `server.notFound.${key}` } : { key: 'server.notFound.thing', values: { what } });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message: string | MessageRef = { key: 'server.errors.unauthenticated' }) {
    super(ErrorCode.unauthenticated, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string | MessageRef = { key: 'server.errors.forbidden' }) {
    super(ErrorCode.forbidden, message);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string | MessageRef, details?: unknown) {
    super(ErrorCode.badRequest, message, details);
  }
}

/** 503 `busy`: too much work of one kind is already waiting (password hashes); sent with `Retry-After`. */
export class BusyError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorCode.busy, { key: 'server.errors.busy', values: { seconds: retryAfterSeconds } });
  }
}

/**
 * 503 `storage_unavailable`: the database cannot take writes now (saves are
 * failing, or it does not answer); sent with `Retry-After` (SPEC O3).
 */
export class StorageUnavailableError extends AppError {
  readonly retryAfterSeconds = 5;
  constructor(message: string | MessageRef = { key: 'server.errors.storage_unavailable' }) {
    super(ErrorCode.storageUnavailable, message);
  }
}

/**
 * 503 `shutting_down`: the server is stopping (SPEC R12), so a socket or
 * request that reaches the rooms now is turned away like the sockets being
 * closed — 4503 or 503 with `Retry-After` — and the client retries against
 * the server that comes back.
 */
export class ShuttingDownError extends AppError {
  readonly retryAfterSeconds = 5;
  constructor() {
    super(ErrorCode.shuttingDown, { key: 'server.errors.shutting_down' });
  }
}

/** Seconds a client should wait before retrying, for the errors that say so (`Retry-After`). */
export function retryAfterOf(error: AppError): number | null {
  return error instanceof BusyError || error instanceof StorageUnavailableError || error instanceof ShuttingDownError
    ? error.retryAfterSeconds
    : null;
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  cross_site_request: 403,
  registration_closed: 403,
  not_found: 404,
  user_not_found: 404,
  email_taken: 409,
  weak_password: 400,
  last_owner: 409,
  template_exists: 409,
  invalid_transition: 409,
  not_ready: 409,
  comment_closed: 409,
  comment_changed: 409,
  comment_period_closed: 403,
  invite_expired: 410,
  reset_link_invalid: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  busy: 503,
  storage_unavailable: 503,
  shutting_down: 503,
  export_engine_missing: 501,
  export_failed: 500,
  publication_withdrawn: 409,
  translation_exists: 409,
  is_translation: 409,
  session_exists: 409,
  import_unsupported_format: 415,
  import_type_mismatch: 415,
  import_archive_refused: 422,
  import_unreadable: 422,
  import_engine_missing: 501,
  internal: 500,
};

const CLOSE_CODE: Record<ErrorCode, number> = {
  bad_request: CloseCode.malformedMessage,
  unauthenticated: CloseCode.unauthenticated,
  invalid_credentials: CloseCode.unauthenticated,
  forbidden: CloseCode.forbidden,
  cross_site_request: CloseCode.forbidden,
  registration_closed: CloseCode.forbidden,
  not_found: CloseCode.documentNotFound,
  user_not_found: CloseCode.documentNotFound,
  email_taken: CloseCode.malformedMessage,
  weak_password: CloseCode.malformedMessage,
  last_owner: CloseCode.forbidden,
  template_exists: CloseCode.malformedMessage,
  invalid_transition: CloseCode.forbidden,
  not_ready: CloseCode.forbidden,
  comment_closed: CloseCode.forbidden,
  comment_changed: CloseCode.forbidden,
  comment_period_closed: CloseCode.forbidden,
  invite_expired: CloseCode.forbidden,
  reset_link_invalid: CloseCode.forbidden,
  payload_too_large: CloseCode.messageTooLarge,
  unsupported_media_type: CloseCode.malformedMessage,
  rate_limited: CloseCode.serviceRestart,
  busy: CloseCode.serviceRestart,
  storage_unavailable: CloseCode.serviceRestart,
  shutting_down: CloseCode.serviceRestart,
  export_engine_missing: CloseCode.internalError,
  export_failed: CloseCode.internalError,
  publication_withdrawn: CloseCode.malformedMessage,
  translation_exists: CloseCode.malformedMessage,
  is_translation: CloseCode.malformedMessage,
  session_exists: CloseCode.malformedMessage,
  import_unsupported_format: CloseCode.malformedMessage,
  import_type_mismatch: CloseCode.malformedMessage,
  import_archive_refused: CloseCode.malformedMessage,
  import_unreadable: CloseCode.malformedMessage,
  import_engine_missing: CloseCode.internalError,
  internal: CloseCode.internalError,
};

export function httpStatus(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

export function closeCode(error: unknown): number {
  return error instanceof AppError ? CLOSE_CODE[error.code] : CloseCode.internalError;
}
