import { spawn } from 'node:child_process';
import { repoRoot } from './server';

/** Runs `pnpm admin …` (server/src/cli.ts) as a child process. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${repoRoot}/server/src/cli.ts`, ...args], {
    cwd: repoRoot,
    env: { ...process.env, PASSWORD_SCRYPT_N: '1024', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
