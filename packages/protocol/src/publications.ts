import * as z from 'zod';
import { lineText, multilineText } from './text';

/** Publications (issue 10, SPEC PUB1–PUB6): request shapes and answers. */

/**
 * `POST /api/documents/:id/publications`. `public` defaults to the document
 * being public; `corrects` makes it an erratum of that publication. Who
 * published and when come from the session and the server's clock.
 */
export const PublishRequest = z.strictObject({
  note: multilineText({ max: 2000 }).optional(),
  public: z.boolean().optional(),
  includeDispositions: z.boolean().optional(),
  corrects: z.number().int().min(1).max(1_000_000).optional(),
});
export type PublishRequest = z.infer<typeof PublishRequest>;

/** `POST /api/documents/:id/publications/:number/withdraw`. */
export const WithdrawPublicationRequest = z.strictObject({ reason: lineText({ min: 1, max: 500 }) });
export type WithdrawPublicationRequest = z.infer<typeof WithdrawPublicationRequest>;

/** `?format=` of a publication's address: its stored files. */
export const PublicationFormatQuery = z.object({ format: z.enum(['html', 'md', 'docx', 'odt', 'pdf']).optional() });

export interface PublicationView {
  readonly number: number;
  readonly versionId: string;
  /** The permanent address, `/p/<documentId>/<number>` (absolute when the server knows its PUBLIC_URL). */
  readonly url: string;
  readonly title: string;
  readonly note: string | null;
  readonly publishedAt: string;
  readonly public: boolean;
  readonly includeDispositions: boolean;
  readonly corrects: number | null;
  /** Publications that correct this one (errata), oldest first. */
  readonly correctedBy: readonly number[];
  readonly withdrawn: { readonly at: string; readonly reason: string } | null;
}
