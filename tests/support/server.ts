import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { type Config, createServer, loadConfig, openPostgresDatabase, type RunningServer, type ServerDeps } from '@rapporteur/server';
import { POSTGRES_SCHEMA_PREFIX, TEST_POSTGRES_URL } from './postgres';
import { TEST_REDIS_URL } from './redis';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fresh temporary DATA_DIR, removed by the returned cleanup. */
export function tempDataDir(prefix = 'rapporteur-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Test configuration: port 0, a temp DATA_DIR, quiet logs. */
export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      // Cheap password hashing and no sign-in rate limit, except where a test sets them.
      PASSWORD_SCRYPT_N: '1024',
      AUTH_RATE_LIMIT: '100000',
    },
    overrides,
  );
}

/**
 * Starts a whole server in this process over an SQLite file in `dataDir` —
 * or, when TEST_STORAGE=postgres (the `integration-postgres` project), over
 * PostgreSQL in a schema named after `dataDir` (so a server restarted on the
 * same DATA_DIR finds its data again, as on SQLite) with Redis fan-out.
 */
export async function startServer(dataDir: string, overrides: Partial<Config> = {}, deps: ServerDeps = {}): Promise<RunningServer> {
  const config = testConfig(dataDir, overrides);
  if (process.env.TEST_STORAGE === 'postgres' && !deps.database && !config.databaseUrl) {
    // With Redis too, as a deployment of several instances runs: rooms publish, claim client ids
    // and take leases as they would beside other instances (issue 15).
    const database = await openPostgresDatabase({ url: TEST_POSTGRES_URL, schema: postgresSchemaFor(dataDir), maxConnections: 6 });
    return createServer({ ...config, redisUrl: TEST_REDIS_URL }, { ...deps, database });
  }
  return createServer(config, deps);
}

/**
 * The environment a command (`pnpm admin …`) needs to reach the storage of a
 * test server on `dataDir`: DATA_DIR, and with TEST_STORAGE=postgres the
 * DATABASE_URL of its schema.
 */
export function storageEnv(dataDir: string): Record<string, string> {
  if (process.env.TEST_STORAGE !== 'postgres') return { DATA_DIR: dataDir };
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${postgresSchemaFor(dataDir)}`);
  return { DATA_DIR: dataDir, DATABASE_URL: url.toString() };
}

/**
 * storageEnv for a spawned server (`spawnServer`), which, unlike `startServer`,
 * does not make its schema: with TEST_STORAGE=postgres the schema is created
 * and migrated here first.
 */
export async function spawnStorageEnv(dataDir: string): Promise<Record<string, string>> {
  if (process.env.TEST_STORAGE === 'postgres') {
    await (await openPostgresDatabase({ url: TEST_POSTGRES_URL, schema: postgresSchemaFor(dataDir), maxConnections: 1 })).close();
  }
  return storageEnv(dataDir);
}

/** The PostgreSQL schema a test server on `dataDir` stores in (TEST_STORAGE=postgres); dropped by the project's teardown. */
export function postgresSchemaFor(dataDir: string): string {
  return `${POSTGRES_SCHEMA_PREFIX}${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 20)}`;
}

export interface ChildServer {
  readonly url: string;
  readonly collabUrl: string;
  readonly process: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  /** Run in a process group of its own, so a test can signal the group (`process.kill(-pid)`). */
  readonly detached?: boolean;
  /** Modules (absolute paths) imported before the server, with tsx, e.g. `slowDisk`. */
  readonly preload?: readonly string[];
  /** More options for Node itself, e.g. `--cpu-prof` (benchmarks). */
  readonly nodeArgs?: readonly string[];
}

/**
 * Starts the real entry point (`server/src/main.ts`) as a child process on
 * port 0, so a test can `kill -9` it. Resolves once it is listening.
 */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}, options: SpawnOptions = {}): Promise<ChildServer> {
  // Node itself runs the server (tsx only as a loader), so the child's pid is
  // the server's: a signal reaches it, not a wrapper process.
  const imports = ['tsx', ...(options.preload ?? [])].flatMap((m) => ['--import', m]);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...imports, path.join(repoRoot, 'server/src/main.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      PASSWORD_SCRYPT_N: '1024',
      AUTH_RATE_LIMIT: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  let output = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    output += d.toString();
  });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in time\n${stderr}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (const line of buffer.split('\n')) {
        if (!line.includes('Rapporteur is listening')) continue;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
        return;
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url,
    collabUrl: url.replace(/^http/, 'ws') + '/collab',
    process: child,
    exited,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Preload for spawnServer: appends wait SLOW_DISK_MS before they are written. */
export const slowDisk = path.join(repoRoot, 'tests/support/slowDisk.ts');
