import { type EventLoopUtilization, performance } from 'node:perf_hooks';

/** Whether the server is saturated, as rooms ask it before a batch (SPEC R16). */
export interface Load {
  saturated(): boolean;
}

/** Utilization at or above which the event loop counts as saturated (SPEC R16). */
export const SATURATED_AT = 0.9;
/** Utilization below which it counts as saturated no longer: between the two, it stays as it was. */
export const RELIEVED_BELOW = 0.7;

/**
 * Saturated from a sample at or above SATURATED_AT until one below
 * RELIEVED_BELOW: the gap keeps rooms from pacing and not pacing on
 * alternate samples when pacing brings the load just under the threshold.
 */
export class LoadGauge implements Load {
  private state = false;

  /** Takes the event loop's utilization (0–1) over the last sample. */
  sample(utilization: number): void {
    this.state = this.state ? utilization >= RELIEVED_BELOW : utilization >= SATURATED_AT;
  }

  saturated(): boolean {
    return this.state;
  }
}

/**
 * The event loop's utilization (the share of time it spent running code, not
 * waiting for input: `performance.eventLoopUtilization`) sampled every
 * `intervalMs` of real time into a LoadGauge. Real time, not the injected
 * clock: utilization is measured by the process itself; tests give rooms a
 * Load of their own. The timer does not keep the process alive.
 */
export class EventLoopLoad implements Load {
  private readonly gauge = new LoadGauge();
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.gauge.sample(performance.eventLoopUtilization(now, this.last).utilization);
      this.last = now;
    }, intervalMs);
    this.timer.unref();
  }

  saturated(): boolean {
    return this.gauge.saturated();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
