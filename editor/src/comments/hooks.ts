import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ResolvedAnchor } from './anchors';
import type { CommentsController, ThreadSelection } from './controller';
import type { CommentsSnapshot } from './store';

export function useCommentsSnapshot(controller: CommentsController): CommentsSnapshot {
  return useSyncExternalStore(controller.store.subscribe, controller.store.getSnapshot);
}

export function useSelection(controller: CommentsController): ThreadSelection {
  return useSyncExternalStore(controller.subscribeSelection, controller.getSelection);
}

export function usePositions(controller: CommentsController): ReadonlyMap<string, ResolvedAnchor> {
  return useSyncExternalStore(controller.subscribePositions, controller.getPositions);
}

/** The current time, updated when `nextChange(now)` says something changes (a comment period opening or closing). */
export function useNow(nextChange: (now: number) => number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const ms = nextChange(now);
    if (ms === null) return;
    // Timers longer than ~24.8 days overflow: check again in a day at most.
    const timer = setTimeout(() => setNow(Date.now()), Math.min(ms + 50, 86_400_000));
    return () => clearTimeout(timer);
  }, [now, nextChange]);
  return now;
}
