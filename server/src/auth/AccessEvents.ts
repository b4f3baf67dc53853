import type { DocumentId } from '@rapporteur/protocol';

/** Something that may change what someone is allowed to do. */
export type AccessChange =
  | { readonly kind: 'document'; readonly documentId: DocumentId }
  | { readonly kind: 'user'; readonly userId: string };

/**
 * Announces access changes (membership, visibility, revoked sessions and
 * tokens, disabled accounts) so that open sync sockets are re-checked at
 * once, not only at connect time.
 */
export class AccessEvents {
  private readonly listeners = new Set<(change: AccessChange) => void>();

  subscribe(listener: (change: AccessChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: AccessChange): void {
    for (const l of this.listeners) l(change);
  }
}
