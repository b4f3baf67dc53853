#!/usr/bin/env node
// `pnpm bench:idle-rss`: resident memory of the built server at idle (SPEC O5),
// as `pnpm start` runs it and, for comparison, with --enable-source-maps.
// Builds server/dist/main.js first; each run starts the server on an empty
// temporary DATA_DIR, waits until it listens plus 3 s, and reads VmRSS.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const built = spawnSync(process.execPath, ['build.mjs'], { cwd: path.join(root, 'server'), stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const bundle = path.join(root, 'server/dist/main.js');

async function idleRss(flags) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-rss-'));
  const child = spawn(process.execPath, [...flags, bundle], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('Rapporteur is listening')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const variants = [
  ['as `pnpm start` runs it (lazy stack mapping)', []],
  ['with `--enable-source-maps`', ['--enable-source-maps']],
];
console.log('| server | idle RSS, 3 runs (MiB) |\n|---|---|');
for (const [name, flags] of variants) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await idleRss(flags));
  console.log(`| ${name} | ${runs.map((r) => r.toFixed(0)).join(', ')} |`);
}
