// Citations of session reports in a track's messages (issue 11, SPEC EV9, EV10): the answers
// the editor reads. Types only: the editor's first load takes nothing from here.

/** A citation's state for the caller: the source passage as it is now, changed, deleted, or not theirs to read. */
export type CitationStatus = 'current' | 'changed' | 'gone' | 'not-public';

/** One run of a word-level difference between the passage as cited and as it reads now. */
export interface CitationDiffPart {
  readonly type: 'equal' | 'insert' | 'delete';
  readonly text: string;
}

/**
 * One citation of a document as `GET /api/documents/:id/citations` lists it,
 * in document order. `not-public` carries the label alone (EV10): no source
 * id, title or text.
 */
export interface CitationView {
  /** The block of this document holding the citation. */
  readonly inBlock: string | null;
  readonly label: string;
  readonly status: CitationStatus;
  readonly documentId: string | null;
  readonly blockId: string | null;
  /** The source document's title (not for `not-public`). */
  readonly title?: string;
  /** The passage as it reads now (`current`, `changed`). */
  readonly text?: string;
  /** The passage as it read when cited, when the server kept it. */
  readonly cited?: string | null;
  /** From `cited` to `text` (`changed`). */
  readonly diff?: readonly CitationDiffPart[];
}

/** What `POST /api/documents/:id/citations` answers: the node's attributes and the passage's text. */
export interface CreatedCitation {
  readonly citation: { readonly documentId: string; readonly blockId: string; readonly hash: string; readonly label: string };
  readonly text: string;
}

/** The event and track a messages document consolidates (`GET /api/documents/:id/event`). */
export interface DocumentEventView {
  readonly event: { readonly id: string; readonly name: string };
  readonly track: { readonly id: string; readonly name: string };
}
