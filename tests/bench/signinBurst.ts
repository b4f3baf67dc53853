/**
 * `pnpm bench:signin`: a burst of sign-ins at real scrypt cost (N=2^17) against
 * a server process, while a probe measures the latency of an operation bound
 * to libuv's thread pool in that same process (a static file: stat, open,
 * read, close). Runs the burst with the hash bound lifted, with the bound but
 * a queue long enough for everyone, and with the default bound and queue, and
 * reports each against a reference measured in the same run on the idle
 * server (SPEC A9). Not part of the test suite.
 *
 *   BURST=n    sign-ins fired at once (default 32)
 *   PROBES=n   probe requests for the idle reference (default 40)
 *   QUICK=1    BURST=8, and RESULTS.md is left alone unless WRITE_RESULTS=1
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signUp } from '../support/accounts';
import { type ChildServer, repoRoot, spawnServer, tempDataDir } from '../support/server';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const BURST = intEnv('BURST', QUICK ? 8 : 32);
const PROBES = intEnv('PROBES', 40);
const WRITE_RESULTS = !QUICK || env.WRITE_RESULTS === '1';
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const PROBE_BYTES = 64 * 1024;
/** The server's defaults (server/src/config.ts). */
const DEFAULT_CONCURRENCY = 2;
const DEFAULT_QUEUE = 16;

function intEnv(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

function commandLine(): string {
  const vars = ['BURST', 'PROBES', 'QUICK', 'WRITE_RESULTS'].filter((k) => env[k]).map((k) => `${k}=${env[k]}`);
  return [...vars, 'pnpm bench:signin'].join(' ');
}

interface Mode {
  readonly name: string;
  readonly concurrency: number;
  readonly queue: number;
}

const MODES: readonly Mode[] = [
  { name: 'no bound (every hash at once)', concurrency: BURST, queue: BURST },
  { name: `bound ${DEFAULT_CONCURRENCY}, queue ${BURST} (everyone waits their turn)`, concurrency: DEFAULT_CONCURRENCY, queue: BURST },
  { name: `defaults: bound ${DEFAULT_CONCURRENCY}, queue ${DEFAULT_QUEUE}`, concurrency: DEFAULT_CONCURRENCY, queue: DEFAULT_QUEUE },
];

interface Figures {
  readonly mode: Mode;
  readonly idle: Stats;
  readonly oneSignInMs: number;
  readonly probe: Stats;
  readonly burstMs: number;
  readonly ok: number;
  readonly busy: number;
  readonly other: number;
  readonly signIn: Stats;
}

interface Stats {
  readonly n: number;
  readonly mean: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, mean, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
}

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { ms: performance.now() - start, status: res.status };
}

async function probeOnce(server: ChildServer): Promise<number> {
  const { ms, status } = await timed(`${server.url}/probe.bin`);
  if (status !== 200) throw new Error(`probe answered ${status}`);
  return ms;
}

async function run(mode: Mode, staticDir: string): Promise<Figures> {
  const dataDir = tempDataDir('rapporteur-bench-signin-');
  const server = await spawnServer(dataDir, {
    PASSWORD_SCRYPT_N: String(2 ** 17),
    PASSWORD_HASH_CONCURRENCY: String(mode.concurrency),
    PASSWORD_HASH_QUEUE: String(mode.queue),
    STATIC_DIR: staticDir,
  });
  try {
    const person = await signUp(server.url);
    const login = () =>
      timed(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.url },
        body: JSON.stringify({ email: person.email, password: person.password }),
      });
    for (let i = 0; i < 5; i++) await probeOnce(server); // warm up
    const idle: number[] = [];
    for (let i = 0; i < PROBES; i++) idle.push(await probeOnce(server));
    const one = await login();

    const start = performance.now();
    let done = false;
    const burst = Promise.all(Array.from({ length: BURST }, () => login())).finally(() => (done = true));
    const during: number[] = [];
    while (!done) during.push(await probeOnce(server));
    const results = await burst;
    const burstMs = performance.now() - start;
    return {
      mode,
      idle: stats(idle),
      oneSignInMs: one.ms,
      probe: stats(during),
      burstMs,
      ok: results.filter((r) => r.status === 200).length,
      busy: results.filter((r) => r.status === 503).length,
      other: results.filter((r) => r.status !== 200 && r.status !== 503).length,
      signIn: stats(results.filter((r) => r.status === 200).map((r) => r.ms)),
    };
  } finally {
    await server.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;

function report(figures: readonly Figures[], loadStart: string, totalMs: number): string {
  const rows = figures.map((f) => {
    const idleRate = f.idle.n / (f.idle.mean * f.idle.n / 1000);
    const burstRate = f.probe.n / (f.burstMs / 1000);
    return (
      `| ${f.mode.name} | ${ms(f.idle.mean)} | ${ms(f.probe.mean)} (${ratio(f.probe.mean, f.idle.mean)}) | ${ms(f.probe.p95)} (${ratio(f.probe.p95, f.idle.p95)}) ` +
      `| **${ms(f.probe.max)}** (${ratio(f.probe.max, f.idle.max)}) | ${burstRate.toFixed(0)}/s (${(burstRate / idleRate).toFixed(2)} of idle) ` +
      `| ${f.ok} / ${f.busy} / ${f.other} | ${ms(f.signIn.median)} / ${ms(f.signIn.max)} | ${ms(f.oneSignInMs)} | ${ms(f.burstMs)} |`
    );
  });
  return `## Scenario: a burst of sign-ins and the thread pool (SPEC A9)

- Date: ${new Date().toISOString()}
- Machine: ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}; load average at start ${loadStart}, at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}
- Command: \`${commandLine()}\` (from the repository root); whole run ${ms(totalMs)}
- Each mode starts a fresh server (\`server/src/main.ts\`, scrypt N=2^17, libuv's default 4 pool threads), signs one person up, then times ${PROBES} sequential requests for a ${PROBE_BYTES / 1024} KiB static file on the idle server (the reference: stat, open, read and close each need a pool thread), then fires ${BURST} sign-ins at once and repeats the probe, one request after another, until every sign-in has answered.

| mode | probe, idle (mean) | probe during the burst: mean (÷ idle) | p95 (÷ idle) | longest (÷ idle) | probes served (share of the idle rate) | sign-ins 200 / 503 / other | sign-in time of the 200s: median / max | one sign-in alone | burst took |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Without a bound all four pool threads hash, so a file read waits until one is
free: the longest probe is the figure to read (a static file, an export or a
compression stalled for seconds), and how few probes were served at all.
With the bound, ${DEFAULT_CONCURRENCY} of the 4 threads stay free; on this
2-core machine the hashes still take both cores, so what remains of the
slowdown under the bound is CPU time, not a wait for a thread. The burst as a
whole is bound by the CPU either way (see "burst took"), and with the default
queue the sign-ins beyond ${DEFAULT_CONCURRENCY} running and
${DEFAULT_QUEUE} waiting get 503 \`busy\` with \`Retry-After\` at once instead
of waiting. Other engineers' test runs share this machine (see the load
average), so compare the ratios within one run.`;
}

async function main(): Promise<number> {
  const started = performance.now();
  const loadStart = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-bench-static-'));
  try {
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>bench</title>');
    fs.writeFileSync(path.join(staticDir, 'probe.bin'), Buffer.alloc(PROBE_BYTES, 7));
    const figures: Figures[] = [];
    for (const mode of MODES) {
      console.log(`${mode.name}…`);
      const f = await run(mode, staticDir);
      console.log(
        `  probe idle ${ms(f.idle.median)}, during burst mean ${ms(f.probe.mean)} median ${ms(f.probe.median)} p95 ${ms(f.probe.p95)} max ${ms(f.probe.max)}; ` +
          `sign-ins ${f.ok} ok, ${f.busy} busy, ${f.other} other; burst ${ms(f.burstMs)}`,
      );
      figures.push(f);
    }
    const text = report(figures, loadStart, performance.now() - started);
    console.log(`\n${text}\n`);
    if (WRITE_RESULTS) {
      writeSection(RESULTS_FILE, 'signin-burst', text);
      console.log(`wrote ${path.relative(repoRoot, RESULTS_FILE)}`);
    }
    return 0;
  } finally {
    fs.rmSync(staticDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
