import type { DocumentId } from '@rapporteur/protocol';

/**
 * Tells open event streams of a document that its comment log grew. In one
 * process; with several instances, Redis carries the same signal (later).
 */
export class CommentHub {
  private readonly listeners = new Map<DocumentId, Set<(seq: number) => void>>();

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
    for (const l of this.listeners.get(documentId) ?? []) l(seq);
  }

  /** Open streams (for tests and metrics). */
  get streamCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
