/** A small seeded PRNG (mulberry32): the same seed replays the same run. */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  word(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz éالمنتدى论坛';
    return Array.from({ length: 1 + this.int(6) }, () => alphabet[this.int(alphabet.length)]).join('');
  }
}

/** Seeds for a randomized test: `SEED=n` replays one; otherwise `count` fresh ones (`FUZZ_RUNS=n` asks for more). */
export function seeds(count: number): number[] {
  if (process.env.SEED) return [Number(process.env.SEED)];
  if (process.env.FUZZ_RUNS) count = Number(process.env.FUZZ_RUNS);
  const base = Date.now() % 1_000_000;
  return Array.from({ length: count }, (_, i) => base + i * 7919);
}
