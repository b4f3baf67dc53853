import type { DocumentId } from '@rapporteur/protocol';

/**
 * Tells open event streams of a document that its comment log grew. With
 * several instances, `relay` (set by the server) carries the signal to the
 * others, which call `publishFromElsewhere` (issue 15).
 */
export class CommentHub {
  private readonly listeners = new Map<DocumentId, Set<(seq: number) => void>>();
  /** Told of every local publish, to tell the other instances; null: one instance. */
  relay: ((documentId: DocumentId, seq: number) => void) | null = null;

  subscribe(documentId: DocumentId, listener: (seq: number) => void): () => void {
    let set = this.listeners.get(documentId);
    if (!set) this.listeners.set(documentId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(documentId);
    };
  }

  publish(documentId: DocumentId, seq: number): void {
    this.publishFromElsewhere(documentId, seq);
    this.relay?.(documentId, seq);
  }

  /** Wakes this instance's streams of the document (the log grew on another instance); relays nothing. */
  publishFromElsewhere(documentId: DocumentId, seq: number): void {
    for (const l of this.listeners.get(documentId) ?? []) l(seq);
  }

  /** Open streams (for tests and metrics). */
  get streamCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
