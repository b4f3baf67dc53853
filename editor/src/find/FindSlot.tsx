import { lazy, Suspense, useSyncExternalStore } from 'react';
import type { FindController } from './FindController';

// The bar is loaded the first time someone looks for something.
const FindBar = lazy(async () => ({ default: (await import('./FindBar')).FindBar }));

/** Where the find bar appears above the text, once opened (Ctrl+F, Ctrl+H or the Find button). */
export function FindSlot({ controller, canReplace }: { controller: FindController; canReplace: boolean }) {
  const open = useSyncExternalStore(controller.subscribe, () => controller.getSnapshot().open);
  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <FindBar controller={controller} canReplace={canReplace} />
    </Suspense>
  );
}
