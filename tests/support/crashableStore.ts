import type { DocumentStore } from '@rapporteur/server';

/** A store whose process can "die": from then on no write reaches the disk or finishes. */
export interface CrashableStore {
  readonly store: DocumentStore;
  readonly dead: boolean;
  /**
   * The next append or checkpoint kills the process just before it reaches
   * the disk: `onDeath` runs inside the call, which never finishes.
   */
  dieAtNextWrite(onDeath: () => void): void;
  /** Dies now (runs the `onDeath` given to dieAtNextWrite, if any). */
  die(): void;
}

const never = new Promise<never>(() => {});

/** Wraps a real store (for `ServerDeps.wrapDocumentStore`); reads and everything before the death pass straight through. */
export function crashable(inner: DocumentStore): CrashableStore {
  let dead = false;
  let armed: (() => void) | null = null;
  const die = (): void => {
    if (dead) return;
    dead = true;
    const onDeath = armed;
    armed = null;
    onDeath?.();
  };
  const write =
    (method: 'appendUpdates' | 'writeCheckpoint') =>
    (...args: unknown[]): Promise<unknown> => {
      if (armed) die();
      if (dead) return never;
      return (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
    };
  const writes = { appendUpdates: write('appendUpdates'), writeCheckpoint: write('writeCheckpoint') };
  const store = new Proxy(inner, {
    get(target, key) {
      if (key === 'appendUpdates' || key === 'writeCheckpoint') return writes[key];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    store,
    get dead() {
      return dead;
    },
    dieAtNextWrite(onDeath) {
      armed = onDeath;
    },
    die,
  };
}
