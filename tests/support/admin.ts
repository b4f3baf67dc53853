import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './server';

export interface AdminResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `pnpm admin <args>` (server/src/cli.ts) on `dataDir` as a child
 * process; fails if it has not exited within `timeoutMs`.
 */
export function runAdmin(dataDir: string, args: readonly string[], timeoutMs = 30_000): Promise<AdminResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/cli.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pnpm admin ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
