import { describe, expect, it } from 'vitest';
import { BusyError } from '../errors';
import { HashLimiter } from './HashLimiter';

/** A hash the test finishes by hand. */
function held(): { promise: Promise<string>; release: () => void; started: boolean; start: () => Promise<string> } {
  let release!: () => void;
  const promise = new Promise<string>((resolve) => (release = () => resolve('done')));
  const h = {
    promise,
    release,
    started: false,
    start: () => {
      h.started = true;
      return promise;
    },
  };
  return h;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('HashLimiter (SPEC A9)', () => {
  it('runs at most `concurrency` hashes, queues up to `maxQueue`, refuses the next with BusyError at once', async () => {
    const limiter = new HashLimiter({ concurrency: 2, maxQueue: 1 });
    const [a, b, c, d] = [held(), held(), held(), held()];
    const ra = limiter.run(a.start);
    const rb = limiter.run(b.start);
    const rc = limiter.run(c.start);
    await tick();
    expect([a.started, b.started, c.started]).toEqual([true, true, false]);
    expect(limiter.load).toEqual({ running: 2, waiting: 1 });

    const refused = await limiter.run(d.start).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BusyError);
    expect((refused as BusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(d.started).toBe(false);

    a.release();
    expect(await ra).toBe('done');
    await tick();
    expect(c.started).toBe(true);
    expect(limiter.load).toEqual({ running: 2, waiting: 0 });
    b.release();
    c.release();
    await Promise.all([rb, rc]);
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when a hash fails, and serves waiters in arrival order', async () => {
    const limiter = new HashLimiter({ concurrency: 1, maxQueue: 3 });
    const order: string[] = [];
    const first = limiter.run(() => Promise.reject(new Error('broken hash')));
    const rest = ['x', 'y', 'z'].map((name) => limiter.run(async () => void order.push(name)));
    await expect(first).rejects.toThrow('broken hash');
    await Promise.all(rest);
    expect(order).toEqual(['x', 'y', 'z']);
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });
});
