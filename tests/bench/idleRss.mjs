#!/usr/bin/env node
// `pnpm bench:idle-rss`: resident memory of the built server at idle (SPEC O5),
// as `pnpm start` runs it and, for comparison, with --enable-source-maps.
// Builds server/dist first; each run starts the server on an empty
// temporary DATA_DIR, waits until it listens, and reads VmRSS 3 s later and
// again at rest, 30 s later: V8's memory reducer runs some seconds after the
// allocation of start-up has stopped and gives back the young generation's
// reserve and what start-up left for the collector. One variant then signs
// up an account (the first password set loads the common-password list) and
// reads VmRSS at rest again, 30 s after the sign-up.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverEnv } from '@rapporteur/server/serverEnv';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const built = spawnSync(process.execPath, ['build.mjs'], { cwd: path.join(root, 'server'), stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const bundle = path.join(root, 'server/dist/main.js');

async function idleRss(flags, extraEnv = {}, signUp = false) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-rss-'));
  const child = spawn(process.execPath, [...flags, bundle], {
    env: serverEnv({ ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', ...extraEnv }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.includes('Rapporteur is listening'));
        if (line) resolve(JSON.parse(line).url);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const early = rss();
    await new Promise((resolve) => setTimeout(resolve, 27_000));
    const atRest = rss();
    if (!signUp) return `${early.toFixed(0)} → ${atRest.toFixed(0)}`;
    const res = await fetch(`${url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: url },
      body: JSON.stringify({ email: 'rss@example.org', password: 'correct horse battery staple', name: 'RSS', stakeholderGroup: 'civil-society', region: 'african' }),
    });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    return `${early.toFixed(0)} → ${atRest.toFixed(0)} → ${rss().toFixed(0)}`;
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const variants = [
  ['as `pnpm start` runs it (lazy stack mapping)', []],
  ['with `--enable-source-maps`', ['--enable-source-maps']],
  ['without the malloc tunable (`GLIBC_TUNABLES=`)', [], { GLIBC_TUNABLES: '' }],
  ['as `pnpm start` runs it, then one sign-up (→ at rest 30 s after it)', [], {}, true],
];
console.log('| server | RSS 3 s after start → at rest (30 s), 3 runs (MiB) |\n|---|---|');
for (const [name, flags, extraEnv, signUp] of variants) {
  if (process.env.ONLY && !name.includes(process.env.ONLY)) continue;
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await idleRss(flags, extraEnv, signUp));
  console.log(`| ${name} | ${runs.join(', ')} |`);
}
