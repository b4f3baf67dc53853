import type { DocumentId } from '@rapporteur/protocol';

/** One publication of a document (SPEC PUB1): a numbered, frozen text at a permanent address. */
export interface PublicationRecord {
  readonly documentId: DocumentId;
  /** 1, 2, 3 … per document. */
  readonly number: number;
  /** The named version it froze. */
  readonly versionId: string;
  /** The document's title when it was published. */
  readonly title: string;
  readonly note: string | null;
  /** Public (anyone) or members only (sign-in and access to the document). */
  readonly public: boolean;
  readonly includeDispositions: boolean;
  /** The publication this one corrects (an erratum), or null. */
  readonly corrects: number | null;
  readonly publishedAt: number;
  readonly publishedBy: string | null;
  readonly withdrawn: { readonly at: number; readonly by: string | null; readonly reason: string } | null;
}

/** A stored file of a publication: a format, its content type and its bytes, as rendered when it was published. */
export interface PublicationFile {
  readonly format: string;
  readonly contentType: string;
  readonly body: Buffer;
}

export type NewPublication = Omit<PublicationRecord, 'withdrawn'>;

/** Thrown when a publication number is already taken (another publish won). */
export class PublicationNumberTakenError extends Error {
  override name = 'PublicationNumberTakenError';
}

/** Publications and their stored files. Rows are never updated except to record a withdrawal, and never deleted. */
export interface PublicationStore {
  /** The next number for the document (1 when it has none). */
  nextNumber(documentId: DocumentId): Promise<number>;
  /** Stores a publication and all its files in one transaction; rejects with PublicationNumberTakenError when the number is taken. */
  create(publication: NewPublication, files: readonly PublicationFile[]): Promise<PublicationRecord>;
  get(documentId: DocumentId, number: number): Promise<PublicationRecord | null>;
  /** Publications of a document, oldest first. */
  list(documentId: DocumentId): Promise<PublicationRecord[]>;
  file(documentId: DocumentId, number: number, format: string): Promise<PublicationFile | null>;
  /** Records the withdrawal; false when it was already withdrawn (nothing changes). */
  withdraw(documentId: DocumentId, number: number, withdrawn: { at: number; by: string; reason: string }): Promise<boolean>;
}
