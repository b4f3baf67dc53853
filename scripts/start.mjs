#!/usr/bin/env node
// `pnpm start`: builds the editor and the server if their sources changed
// since the last build, then serves both (and the sync socket) from one
// process. Configuration comes from the environment (see README).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { mtime, newestMtime, root } from './lib.mjs';
// The launcher runs the server package's files by path (dist/main.js too).
// eslint-disable-next-line import-x/no-relative-packages
import { serverEnv } from '../server/serverEnv.mjs';

const sources = ['editor/src', 'editor/index.html', 'editor/vite.config.ts', 'packages', 'server/src', 'pnpm-lock.yaml'];
const built = Math.min(mtime('editor/dist/index.html'), mtime('server/dist/main.js'));
if (built === 0 || newestMtime(sources) > built) {
  console.log('Building Rapporteur (editor and server)…');
  const result = spawnSync('pnpm', ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// No --enable-source-maps: it would parse the bundle's whole map at start
// (180 MiB resident instead of 85); the server maps stack traces itself,
// lazily (server/src/lib/lazySourceMaps.ts).
const child = spawn(process.execPath, [path.join(root, 'server/dist/main.js')], {
  cwd: process.cwd(),
  stdio: 'inherit',
  env: serverEnv({ ...process.env, STATIC_DIR: process.env.STATIC_DIR ?? path.join(root, 'editor/dist') }),
});
// Forward stop signals, but not the echo of one we just forwarded: Ctrl-C
// and systemd signal the whole process group, and pnpm may forward the same
// signal to us again, so the server often gets it directly as well. The
// server ignores a second signal and exits at once on a third (SPEC R12), so
// a burst of copies of one request must not reach it as three.
let lastForwarded = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    const now = Date.now();
    if (now - lastForwarded < 1000) return;
    lastForwarded = now;
    child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
