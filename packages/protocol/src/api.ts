import { z } from 'zod';

/** HTTP API shapes shared by the server (validation) and the client (types). */

export const DocumentTitle = z.string().trim().min(1).max(200);

export const CreateDocumentRequest = z.strictObject({
  title: DocumentTitle.optional(),
});
export type CreateDocumentRequest = z.infer<typeof CreateDocumentRequest>;

export const RenameDocumentRequest = z.strictObject({
  title: DocumentTitle,
});
export type RenameDocumentRequest = z.infer<typeof RenameDocumentRequest>;

export const ExportFormat = z.enum(['html', 'md']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportQuery = z.object({ format: ExportFormat });

/** A document as listed and returned by the API. Times are ISO 8601 strings. */
export interface DocumentSummary {
  readonly id: string;
  readonly title: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Stable error codes of the HTTP API. Every error body is `{ error: { code, message } }`. */
export const ErrorCode = {
  badRequest: 'bad_request',
  notFound: 'not_found',
  payloadTooLarge: 'payload_too_large',
  rateLimited: 'rate_limited',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ApiErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: unknown };
}
