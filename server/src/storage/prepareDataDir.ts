import fs from 'node:fs';
import path from 'node:path';
import { describeCause, StartupError } from '../lib/StartupError';

/**
 * Makes sure DATA_DIR exists (creating it and its missing parents) and is a
 * writable directory, or throws a StartupError naming the path and the cause
 * (SPEC O4).
 *
 * Why not `fs.mkdirSync(dir, { recursive: true })`: on Node 20 it never
 * returns for a path under /proc (mkdir fails with ENOENT although the parent
 * exists, and Node retries forever). Creating one level at a time turns that
 * into an error.
 */
export function prepareDataDir(dataDir: string): void {
  const dir = path.resolve(dataDir);
  const missing: string[] = [];
  let existing = dir;
  for (;;) {
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(existing);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StartupError(`DATA_DIR ${dir} cannot be used: ${existing} is not accessible: ${describeCause(error)}`, { cause: error });
      }
    }
    if (stat) {
      if (!stat.isDirectory()) {
        throw new StartupError(
          existing === dir ? `DATA_DIR ${dir} is not a directory.` : `DATA_DIR ${dir} cannot be created: ${existing} is not a directory.`,
        );
      }
      break;
    }
    missing.unshift(existing);
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new StartupError(`DATA_DIR ${dir} cannot be created: mkdir ${d} failed: ${describeCause(error)}`, { cause: error });
    }
  }
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw new StartupError(`DATA_DIR ${dir} is not writable: ${describeCause(error)}`, { cause: error });
  }
}
