import { CloseCode, ErrorCode } from '@rapporteur/protocol';

/**
 * Boundary errors: one family with stable codes, mapped in one place to HTTP
 * statuses (`httpStatus`) and to sync-socket close codes (`closeCode`).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super(ErrorCode.notFound, `${what} not found`);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super(ErrorCode.badRequest, message, details);
  }
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

const CLOSE_CODE: Record<ErrorCode, number> = {
  bad_request: CloseCode.malformedMessage,
  not_found: CloseCode.documentNotFound,
  payload_too_large: CloseCode.messageTooLarge,
  rate_limited: CloseCode.serviceRestart,
  internal: CloseCode.internalError,
};

export function httpStatus(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

export function closeCode(error: unknown): number {
  return error instanceof AppError ? CLOSE_CODE[error.code] : CloseCode.internalError;
}
