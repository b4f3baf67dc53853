import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCode } from '@rapporteur/protocol';
import { AppError, type MessageRef } from '../errors';

/**
 * The external programs some export formats need (pandoc for ODT, Chromium
 * for PDF), run without a shell (arguments as an array, never interpolated
 * into a command line), in a fresh temporary directory removed afterwards,
 * with a time limit, an output size limit and a cap on how many run at once.
 */

export interface EngineLimits {
  /** An engine still running after this long is killed and the export fails. */
  readonly timeoutMs: number;
  /** Largest file an engine may produce (and largest input it is given). */
  readonly maxBytes: number;
  /** Engines running at once; further exports wait their turn. */
  readonly concurrency: number;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = { timeoutMs: 60_000, maxBytes: 64 * 1024 * 1024, concurrency: 2 };

/** What each engine is and how a server gets it, for the 501 answer and the README. */
export const ENGINES = {
  pandoc: { name: 'pandoc', formats: 'ODT', debian: 'pandoc', variable: 'PANDOC_PATH' },
  chromium: { name: 'Chromium', formats: 'PDF', debian: 'chromium', variable: 'CHROMIUM_PATH' },
} as const;
export type EngineName = keyof typeof ENGINES;

export class EngineMissingError extends AppError {
  constructor(engine: EngineName, where: string) {
    const e = ENGINES[engine];
    super(
      ErrorCode.exportEngineMissing,
      { key: 'server.export.engineMissing', values: { format: e.formats, engine: e.name, where, package: e.debian, variable: e.variable } },
      { engine },
    );
  }
}

export class ExportFailedError extends AppError {
  /** What failed: the catalog's words, or (for an engine's own failure) English naming the engine, with the catalog's words for `export_failed` in other languages. */
  constructor(message: string | MessageRef) {
    super(ErrorCode.exportFailed, message);
  }
}

/**
 * The executable a configured engine path names: an absolute or relative
 * path is taken as is, a bare name is looked up on PATH. Null when there is
 * no executable file there.
 */
export function findExecutable(configured: string, envPath = process.env.PATH ?? ''): string | null {
  const candidates = configured.includes('/') ? [path.resolve(configured)] : envPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, configured));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      const stat = fs.statSync(candidate);
      // Ask for an execute bit as well: an administrator's X_OK is looser on some systems.
      if (stat.isFile() && (stat.mode & 0o111) !== 0) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** At most `limit` tasks at once; the rest wait in order. */
export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Runs `task` in a new private temporary directory, removed afterwards whatever happens. */
export async function inTempDir<T>(task: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'rapporteur-export-'));
  try {
    return await task(dir);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `file` with `args` (no shell) in `cwd` under the time limit. Its
 * output streams are kept (bounded) for the error message only. Rejects with
 * ExportFailedError when it times out or exits non-zero.
 */
export function runEngine(file: string, args: readonly string[], cwd: string, limits: EngineLimits, env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        cwd,
        timeout: limits.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 1024 * 1024,
        windowsHide: true,
        // A minimal environment: the engine learns nothing about the server's secrets.
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, LANG: 'C.UTF-8', ...env },
      },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const timedOut = (error as NodeJS.ErrnoException & { killed?: boolean }).killed === true;
        const detail = String(stderr).trim().split('\n').slice(-3).join(' ').slice(0, 300);
        reject(
          new ExportFailedError(
            timedOut ? `${path.basename(file)} did not finish within ${limits.timeoutMs} ms` : `${path.basename(file)} failed${detail ? `: ${detail}` : ''}`,
          ),
        );
      },
    );
  });
}

/** Reads an engine's output file, refusing one over the size limit or missing. */
export async function readOutput(file: string, limits: EngineLimits): Promise<Buffer> {
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch {
    throw new ExportFailedError(`The export engine wrote no ${path.extname(file)} file`);
  }
  if (size > limits.maxBytes) throw new ExportFailedError(`The exported file is larger than the limit of ${limits.maxBytes} bytes`);
  return fs.promises.readFile(file);
}
