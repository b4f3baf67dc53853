import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, tempDataDir } from '../support/server';

/**
 * Starts the real entry on `dataDir` and returns what it printed when it
 * exited. spawnServer rejects with the exit code and stderr when the process
 * exits before listening, and fails on its own after 30 s, so a start-up
 * that hangs fails the test instead of passing it.
 */
async function failedStart(dataDir: string): Promise<string> {
  const error = await spawnServer(dataDir).then(
    () => new Error('the server started'),
    (e: unknown) => e as Error,
  );
  return error.message;
}

// SPEC O4: a DATA_DIR or database the server cannot use stops it at once
// with exit code 1 and a message naming the path and the cause.
describe('start-up errors', () => {
  const cleanups: Array<() => void> = [];

  afterEach(() => {
    for (const f of cleanups.splice(0).reverse()) f();
  });

  const temp = (): string => {
    const dir = tempDataDir();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('names a DATA_DIR that cannot be created, without hanging (/proc) (SPEC O4)', async () => {
    const dir = `/proc/rapporteur-test-${process.pid}`;
    const message = await failedStart(dir);
    expect(message).toContain('server exited with 1 before listening');
    expect(message).toContain(`Rapporteur cannot start: DATA_DIR ${dir} cannot be created`);
    expect(message).toContain('ENOENT');
  });

  it('names a DATA_DIR that is a file, or lies under one (SPEC O4)', async () => {
    const file = path.join(temp(), 'a-file');
    fs.writeFileSync(file, 'not a directory');
    expect(await failedStart(file)).toContain(`Rapporteur cannot start: DATA_DIR ${file} is not a directory.`);
    const under = path.join(file, 'data');
    const message = await failedStart(under);
    expect(message).toContain('server exited with 1 before listening');
    expect(message).toContain(`DATA_DIR ${under} cannot be used`);
    expect(message).toContain('ENOTDIR');
  });

  it('names a database file that is not a database, and says what to do (SPEC O4)', async () => {
    const dir = temp();
    const file = path.join(dir, 'rapporteur.sqlite');
    fs.writeFileSync(file, 'this is not an SQLite file; it was damaged or replaced by mistake\n'.repeat(50));
    const message = await failedStart(dir);
    expect(message).toContain('server exited with 1 before listening');
    expect(message).toContain(`The database ${file} cannot be opened: file is not a database (SQLITE_NOTADB)`);
    expect(message).toContain('pnpm admin restore');
    // Nothing was changed.
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^this is not an SQLite file/);
  });

  it('names a database path that is a directory (SPEC O4)', async () => {
    const dir = temp();
    fs.mkdirSync(path.join(dir, 'rapporteur.sqlite'));
    expect(await failedStart(dir)).toContain(`The database ${path.join(dir, 'rapporteur.sqlite')} is not a regular file.`);
  });

  it('names a DATA_DIR on a read-only file system (SPEC O4)', async () => {
    const dir = temp();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
    cleanups.push(() => execFileSync('umount', ['-l', dir]));
    const message = await failedStart(dir);
    expect(message).toContain('server exited with 1 before listening');
    expect(message).toContain(`DATA_DIR ${dir} is not writable`);
    expect(message).toContain('EROFS');
  });
});
