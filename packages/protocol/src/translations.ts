import * as z from 'zod';
import { Locale } from './domain';
import type { DocumentStatus } from './outcome';
import { SEGMENT_STATUSES } from './vocabulary';

/** Linked translations (issue 12, SPEC LT1–LT8): request shapes and answers. */

export const SegmentStatus = z.enum(SEGMENT_STATUSES);
export type SegmentStatus = z.infer<typeof SegmentStatus>;

/** `POST /api/documents/:id/translations`: a linked translation of the document into `language`. */
export const CreateTranslationRequest = z.strictObject({ language: Locale });
export type CreateTranslationRequest = z.infer<typeof CreateTranslationRequest>;

/** `PUT /api/documents/:id/translation/segments/:blockId`: the status of one paragraph of a translation. */
export const SegmentStatusRequest = z.strictObject({ status: SegmentStatus });
export type SegmentStatusRequest = z.infer<typeof SegmentStatusRequest>;

/** A document of a translation family, as its header lists it. */
export interface TranslationRef {
  readonly id: string;
  readonly title: string;
  readonly language: Locale;
  readonly status: DocumentStatus;
}

/**
 * `GET /api/documents/:id/translations`: the document's family as the reader
 * may see it. For an original: `source` null and its translations; for a
 * translation: its source (null when the reader may not read it,
 * `sourceHidden` true) and the source's other translations.
 */
export interface TranslationsView {
  readonly source: TranslationRef | null;
  readonly sourceHidden: boolean;
  readonly translations: readonly TranslationRef[];
}

/** One paragraph of a translation, aligned with its source paragraph by block id (SPEC LT3–LT5). */
export interface SegmentView {
  readonly blockId: string;
  /** As last set, except that a paragraph whose text changed since then reads `draft` (LT4). */
  readonly status: SegmentStatus;
  /** The source paragraph's text differs from what it was when the status was last set (LT5). */
  readonly sourceChanged: boolean;
  /** False when the source no longer has this paragraph. */
  readonly inSource: boolean;
  /** Who set the status, and when; null while nobody has (the status the translation started with). */
  readonly setBy: { readonly id: string; readonly name: string } | null;
  readonly setAt: string | null;
}

/** `GET /api/documents/:id/translation`: every aligned paragraph of a translation, in the translation's order. */
export interface TranslationStatusView {
  readonly sourceId: string;
  readonly sourceLanguage: Locale;
  readonly segments: readonly SegmentView[];
  /** Paragraphs of the source that the translation lacks (added to the source after it was made), in source order. */
  readonly newInSource: readonly string[];
  readonly counts: {
    readonly toTranslate: number;
    readonly draft: number;
    readonly reviewed: number;
    readonly sourceChanged: number;
  };
}
