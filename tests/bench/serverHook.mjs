// Loaded into the server process by `pnpm bench` (NODE_OPTIONS=--import) to
// record how long its event loop stalls: once a second, the longest delay
// seen since the previous line, appended to $BENCH_LOOP_FILE. Does nothing in
// a process without BENCH_LOOP_FILE.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_FILE;
const isTsxWrapper = process.argv.some((a) => a.endsWith('tsx/dist/cli.mjs'));
if (file && !isTsxWrapper) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  setInterval(() => {
    fs.appendFileSync(file, `${JSON.stringify({ pid: process.pid, t: Date.now(), maxMs: histogram.max / 1e6 })}\n`);
    histogram.reset();
  }, 1000).unref();
}
