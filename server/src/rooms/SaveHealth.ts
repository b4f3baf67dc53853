/**
 * Which documents cannot be stored right now (SPEC R6, O3): a room reports
 * each failed append and the next one that succeeds. Readiness reads it.
 */
export class SaveHealth {
  private readonly failing = new Map<string, { readonly since: number; readonly error: string }>();

  /** An append for `documentId` failed at `now`; it will be retried. */
  failed(documentId: string, error: unknown, now: number): void {
    if (this.failing.has(documentId)) return;
    this.failing.set(documentId, { since: now, error: error instanceof Error ? error.message : String(error) });
  }

  /** An append for `documentId` succeeded. */
  succeeded(documentId: string): void {
    this.failing.delete(documentId);
  }

  /** How many documents have updates waiting because their saves fail, since when, and the first error. */
  get problem(): { readonly documents: number; readonly since: number; readonly error: string } | null {
    let first: { since: number; error: string } | null = null;
    for (const f of this.failing.values()) if (!first || f.since < first.since) first = f;
    return first ? { documents: this.failing.size, since: first.since, error: first.error } : null;
  }
}
