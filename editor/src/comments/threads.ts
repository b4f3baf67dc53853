import type { Disposition, Region, StakeholderGroup } from '@rapporteur/protocol';
import type { ResolvedAnchor } from './anchors';
import type { Thread } from './store';

/** Where a thread's passage is now: in the text (with its position), deleted, or not known yet. */
export type Placement = { readonly kind: 'found'; readonly from: number; readonly to: number } | { readonly kind: 'deleted' } | { readonly kind: 'unknown' };

export interface PlacedThread extends Thread {
  readonly placement: Placement;
}

export interface Filters {
  readonly status: Disposition | 'all';
  readonly group: StakeholderGroup | '';
  readonly region: Region | '';
  /** An author's user id, or '' for everyone. */
  readonly author: string;
  /** Only threads that suggest wording. */
  readonly suggestion: boolean;
  /** Show threads that are no longer open (they are folded). */
  readonly showResolved: boolean;
}

export const DEFAULT_FILTERS: Filters = { status: 'all', group: '', region: '', author: '', suggestion: false, showResolved: false };

/** Resolved: anything but open (accepted, noted, declined, withdrawn, …). */
export function isResolved(thread: Thread): boolean {
  return thread.comment.status !== 'open';
}

/**
 * Threads in document order: by where their passage is now, then by time;
 * threads whose passage was deleted (or has not arrived yet) come last, by time.
 */
export function orderThreads(threads: readonly Thread[], positions: ReadonlyMap<string, ResolvedAnchor>): PlacedThread[] {
  const placed = threads.map((t): PlacedThread => {
    const p = positions.get(t.comment.id);
    return { ...t, placement: p ?? { kind: 'unknown' } };
  });
  const rank = (t: PlacedThread): number => (t.placement.kind === 'found' ? 0 : 1);
  return placed.sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    if (a.placement.kind === 'found' && b.placement.kind === 'found') {
      const d = a.placement.from - b.placement.from || a.placement.to - b.placement.to;
      if (d !== 0) return d;
    }
    return a.comment.createdAt < b.comment.createdAt ? -1 : a.comment.createdAt > b.comment.createdAt ? 1 : a.comment.id < b.comment.id ? -1 : 1;
  });
}

/** Whether any filter besides "show resolved" narrows the list. */
export function isFiltered(filters: Filters): boolean {
  return filters.status !== 'all' || filters.group !== '' || filters.region !== '' || filters.author !== '' || filters.suggestion;
}

/**
 * The threads the filters let through. Resolved threads stay out unless
 * "show resolved" is on or a status filter asks for them; `hiddenResolved`
 * counts those left out that way (so the panel can say they exist). The
 * selected thread stays, whatever happens to it meanwhile.
 */
export function filterThreads<T extends Thread>(threads: readonly T[], filters: Filters, selectedId: string | null = null): { visible: T[]; hiddenResolved: number } {
  const visible: T[] = [];
  let hiddenResolved = 0;
  for (const t of threads) {
    const c = t.comment;
    if (c.id === selectedId) {
      visible.push(t);
      continue;
    }
    if (filters.status !== 'all' && c.status !== filters.status) continue;
    if (filters.group && c.author.stakeholderGroup !== filters.group) continue;
    if (filters.region && c.author.region !== filters.region) continue;
    if (filters.author && c.author.id !== filters.author) continue;
    if (filters.suggestion && !c.suggestion) continue;
    if (filters.status === 'all' && !filters.showResolved && isResolved(t)) {
      hiddenResolved++;
      continue;
    }
    visible.push(t);
  }
  return { visible, hiddenResolved };
}

/** The people who started threads, each once, by name. */
export function threadAuthors(threads: readonly Thread[]): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const t of threads) if (!seen.has(t.comment.author.id)) seen.set(t.comment.author.id, t.comment.author.name);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The index `key` moves to in a list of `count` threads (j/k, arrows, Home/End); null for other keys. */
export function nextThreadIndex(current: number, count: number, key: string): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return Math.min(current + 1, count - 1);
    case 'k':
    case 'ArrowUp':
      return Math.max(current - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
