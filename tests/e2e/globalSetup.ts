import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs once before the e2e files: makes sure a production build of the
 * editor exists and is newer than its sources, and that Chromium is there.
 * Nothing is skipped silently: a missing browser is an error.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Newest mtime (ms) of a file, or of any file below a directory; 0 if absent. */
function newestMtime(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function sourcePaths(): string[] {
  const packagesDir = path.join(repoRoot, 'packages');
  const packageSources = fs.existsSync(packagesDir)
    ? // Sources, and the message catalog's locale files (packages/i18n/locales).
      fs.readdirSync(packagesDir).flatMap((name) => [path.join(packagesDir, name, 'src'), path.join(packagesDir, name, 'locales')])
    : [];
  return [path.join(repoRoot, 'editor/src'), path.join(repoRoot, 'editor/index.html'), ...packageSources];
}

function buildIsStale(): string | null {
  const built = path.join(repoRoot, 'editor/dist/index.html');
  if (!fs.existsSync(built)) return 'editor/dist/index.html is missing';
  const builtAt = fs.statSync(built).mtimeMs;
  for (const source of sourcePaths()) {
    if (newestMtime(source) > builtAt) return `${path.relative(repoRoot, source)} changed since the last build`;
  }
  return null;
}

function buildEditor(reason: string): void {
  const editorDir = path.join(repoRoot, 'editor');
  const vite = path.join(editorDir, 'node_modules/.bin/vite');
  console.log(`[e2e] building the editor (${reason})…`);
  const started = Date.now();
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], {
    cwd: editorDir,
    // Vitest sets NODE_ENV=test; without this React's development build ends up in the bundle.
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (result.error) throw new Error(`[e2e] could not run ${vite}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`[e2e] vite build failed with exit code ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  // As `pnpm build` does: the Brotli and gzip copies the server sends (SPEC W2).
  const pre = spawnSync(process.execPath, ['scripts/precompress.mjs', 'dist'], { cwd: editorDir, encoding: 'utf8' });
  if (pre.status !== 0) throw new Error(`[e2e] precompressing the build failed\n${pre.stdout}\n${pre.stderr}`);
  console.log(`[e2e] editor built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export default function setup(): void {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `[e2e] Chromium not found at ${CHROMIUM_PATH}. The end-to-end tests need Debian's chromium package ` +
        '(apt-get install chromium); they are not skipped without it.',
    );
  }
  const stale = buildIsStale();
  if (stale) buildEditor(stale);
  if (!fs.existsSync(path.join(repoRoot, 'editor/dist/index.html'))) {
    throw new Error('[e2e] the editor build did not produce editor/dist/index.html');
  }
}
