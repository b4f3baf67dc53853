import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportFailedError, findExecutable, Gate, inTempDir, readOutput, runEngine } from './engines';

const limits = { timeoutMs: 1_000, maxBytes: 1024, concurrency: 1 };

describe('export engines (SPEC X5, X6)', () => {
  it('X5: arguments never reach a shell', async () => {
    await inTempDir(async (dir) => {
      await runEngine('/bin/echo', ['$(touch pwned)', '; touch pwned2', '`touch pwned3`'], dir, limits);
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });

  it('X5: an engine still running at the time limit is killed and the export fails', async () => {
    await inTempDir(async (dir) => {
      const started = Date.now();
      await expect(runEngine('/bin/sleep', ['30'], dir, limits)).rejects.toThrow(/did not finish within 1000 ms/);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  it('X5: an output over the size limit, or missing, is refused; the temporary directory is removed', async () => {
    let kept = '';
    await inTempDir(async (dir) => {
      kept = dir;
      fs.writeFileSync(path.join(dir, 'big.pdf'), Buffer.alloc(2048));
      await expect(readOutput(path.join(dir, 'big.pdf'), limits)).rejects.toBeInstanceOf(ExportFailedError);
      await expect(readOutput(path.join(dir, 'none.pdf'), limits)).rejects.toThrow(/wrote no \.pdf file/);
    });
    expect(fs.existsSync(kept)).toBe(false);
  });

  it('X6: engines are found by path or on PATH; a missing one, or a file that is not executable, is null', async () => {
    expect(findExecutable('/bin/sh')).toBe('/bin/sh');
    expect(findExecutable('sh', '/nonexistent:/bin')).toBe('/bin/sh');
    expect(findExecutable('no-such-engine')).toBeNull();
    await inTempDir(async (dir) => {
      const plain = path.join(dir, 'pandoc');
      fs.writeFileSync(plain, 'not a program', { mode: 0o644 });
      expect(findExecutable(plain)).toBeNull();
      expect(findExecutable(dir)).toBeNull();
    });
  });

  it('runs at most `concurrency` tasks at once', async () => {
    const gate = new Gate(2);
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const tasks = Array.from({ length: 5 }, () =>
      gate.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      }),
    );
    while (releases.length < 5) {
      await new Promise((r) => setImmediate(r));
      releases.splice(0).forEach((release) => release());
      if (releases.length === 0 && running === 0) break;
    }
    await Promise.all(tasks);
    expect(most).toBe(2);
  });
});
