import { describe, expect, it } from 'vitest';
import { EventLoopLoad, LoadGauge, RELIEVED_BELOW, SATURATED_AT } from './LoopLoad';

describe('LoadGauge (SPEC R16)', () => {
  it('is saturated from a sample at the threshold until one below the lower one', () => {
    const gauge = new LoadGauge();
    const states = [0.5, SATURATED_AT - 0.01, SATURATED_AT, 0.8, RELIEVED_BELOW, RELIEVED_BELOW - 0.01, 0.8, 0.95].map((u) => {
      gauge.sample(u);
      return gauge.saturated();
    });
    expect(states).toEqual([false, false, true, true, true, false, false, true]);
  });

  it('EventLoopLoad: a loop kept busy for a whole sample reads as saturated, then not once it idles', async () => {
    const load = new EventLoopLoad(50);
    try {
      const busyUntil = performance.now() + 160;
      while (performance.now() < busyUntil) {
        // Keep the loop busy through at least two samples (the timer fires once this turn ends).
        await new Promise<void>((resolve) => setImmediate(resolve));
        const spin = performance.now() + 5;
        while (performance.now() < spin);
      }
      expect(load.saturated()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 160));
      expect(load.saturated()).toBe(false);
    } finally {
      load.stop();
    }
  });
});
