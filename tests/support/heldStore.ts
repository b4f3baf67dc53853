import type { DocumentStore } from '@rapporteur/server';

type Method = 'appendUpdates' | 'loadDocument';

/** A document store whose chosen methods can be held until the test releases them. */
export interface HeldStore {
  readonly store: DocumentStore;
  /** Calls of `method` from now on wait (after being counted) until `release`. */
  hold(method: Method): void;
  /** Lets every waiting and later call of `method` through, in the order they were made. */
  release(method: Method): void;
  /** How many times `method` was called, held or not. */
  calls(method: Method): number;
}

/** Wraps a real store (for `ServerDeps.wrapDocumentStore`); everything else passes straight through. */
export function holdable(inner: DocumentStore): HeldStore {
  const counts: Record<Method, number> = { appendUpdates: 0, loadDocument: 0 };
  const gates = new Map<Method, { promise: Promise<void>; open: () => void }>();
  const gated =
    (method: Method) =>
    async (...args: unknown[]): Promise<unknown> => {
      counts[method]++;
      const gate = gates.get(method);
      if (gate) await gate.promise;
      return (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
    };
  const wrappers: Record<Method, (...args: unknown[]) => Promise<unknown>> = {
    appendUpdates: gated('appendUpdates'),
    loadDocument: gated('loadDocument'),
  };
  const store = new Proxy(inner, {
    get(target, key) {
      if (key === 'appendUpdates' || key === 'loadDocument') return wrappers[key];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    store,
    hold(method) {
      if (gates.has(method)) return;
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gates.set(method, { promise, open });
    },
    release(method) {
      gates.get(method)?.open();
      gates.delete(method);
    },
    calls: (method) => counts[method],
  };
}
