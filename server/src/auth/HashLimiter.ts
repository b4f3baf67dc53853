import { BusyError } from '../errors';

/** How many password hashes may run at once, and how many may wait for a turn. */
export interface HashLimits {
  /** At most this many hashes at once. libuv's pool has 4 threads; the rest stay free for file I/O and compression. */
  readonly concurrency: number;
  /** A hash that would find this many already waiting is refused (503 `busy`) instead of queued. */
  readonly maxQueue: number;
}

export const DEFAULT_HASH_LIMITS: HashLimits = { concurrency: 2, maxQueue: 16 };

/**
 * A small semaphore for password hashing (SPEC A9). Each scrypt hash holds one
 * of libuv's four pool threads for about 0.6 s, so an unbounded burst of
 * sign-ins would make every file read, compression and DNS lookup wait behind
 * it. A queue that is already long answers at once with BusyError and a
 * Retry-After estimate, instead of growing without bound.
 */
export class HashLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Moving average of how long one hash took (ms), for Retry-After. Starts at scrypt's usual cost here. */
  private averageMs = 600;

  constructor(private readonly limits: HashLimits = DEFAULT_HASH_LIMITS) {
    if (limits.concurrency < 1 || limits.maxQueue < 0) throw new RangeError('HashLimiter: concurrency >= 1, maxQueue >= 0');
  }

  /** Runs `hash` when a slot is free; rejects with BusyError, without running it, when the queue is full. */
  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.maxQueue) throw new BusyError(this.retryAfterSeconds());
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    const started = performance.now();
    try {
      return await hash();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
      // Hand the slot straight to the next in line, so a newcomer cannot overtake the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Hashes running and waiting now. */
  get load(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private retryAfterSeconds(): number {
    const rounds = (this.running + this.waiting.length) / this.limits.concurrency;
    return Math.max(1, Math.ceil((rounds * this.averageMs) / 1000));
  }
}
