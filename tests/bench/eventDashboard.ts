/**
 * `pnpm bench:dashboard`: the dashboard of a 300-session event (issue 11,
 * SPEC EV6). Starts a server in this process over a fresh SQLite file,
 * imports 300 sessions in 6 tracks (each with its pre-filled report), puts
 * them in every report status (a third written in, some in review, final,
 * published), then times `GET /api/events/:id/dashboard` as JSON and as CSV
 * for an organiser and for a rapporteur. Goal: well under a second. Not part
 * of the test suite.
 *
 *   SESSIONS=n   sessions (default 300)
 *   ROUNDS=n     timed requests of each kind (default 50)
 *   QUICK=1      SESSIONS=60, ROUNDS=10, RESULTS.md left alone unless WRITE_RESULTS=1
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DashboardView, ImportResult } from '@rapporteur/protocol';
import { signUp } from '../support/accounts';
import { repoRoot, startServer, tempDataDir } from '../support/server';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const SESSIONS = Number(env.SESSIONS ?? (QUICK ? 60 : 300));
const ROUNDS = Number(env.ROUNDS ?? (QUICK ? 10 : 50));
const WRITE = !QUICK || env.WRITE_RESULTS === '1';
const TRACKS = ['Access', 'AI', 'Human rights', 'Security', 'Sustainability', 'Governance'];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function main(): Promise<void> {
  const dataDir = tempDataDir('rapporteur-bench-');
  const server = await startServer(dataDir, { logLevel: 'warn' } as never);
  try {
    const admin = await signUp(server.url, { name: 'Admin' });
    await server.accountStore.setAdmin(admin.user.id, true, Date.now());
    const organiser = await signUp(server.url, { name: 'Organiser' });
    const rapporteurs = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(server.url, { name: `Rapporteur ${i}` })));
    const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
    const created = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { ...auth(admin.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Bench IGF', startsAt: '2030-06-23', endsAt: '2030-06-27', timeZone: 'Europe/Oslo', tracks: TRACKS }),
    });
    const { event } = (await created.json()) as { event: { id: string } };
    await fetch(`${server.url}/api/events/${event.id}/organisers`, {
      method: 'PUT',
      headers: { ...auth(admin.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ emails: [organiser.email] }),
    });
    const lines = ['code,title,type,track,start,end,organisers,speakers,rapporteur'];
    for (let i = 0; i < SESSIONS; i++) {
      const day = 23 + (i % 5);
      const hour = String(9 + (i % 8)).padStart(2, '0');
      lines.push(
        `WS ${i},Session ${i} on the future of the Internet,workshop,${TRACKS[i % TRACKS.length]},2030-06-${day}T${hour}:00,2030-06-${day}T${hour}:45,Org A|Org B,"Speaker A (civil-society, african)|Speaker B (government, asia-pacific)",${rapporteurs[i % rapporteurs.length]!.email}`,
      );
    }
    const importStart = performance.now();
    const imported = await fetch(`${server.url}/api/events/${event.id}/sessions/import?dryRun=false`, {
      method: 'POST',
      headers: { ...auth(organiser.token), 'Content-Type': 'text/csv' },
      body: lines.join('\n'),
    });
    const result = (await imported.json()) as ImportResult;
    const importMs = performance.now() - importStart;
    if (result.created.length !== SESSIONS) throw new Error(`import created ${result.created.length}: ${JSON.stringify(result.errors.slice(0, 3))}`);
    // Every status: a third written in, a sixth in review, a sixth final, a twelfth published.
    const first = (await (await fetch(`${server.url}/api/events/${event.id}/dashboard`, { headers: auth(organiser.token) })).json()) as DashboardView;
    for (const [i, s] of first.sessions.entries()) {
      const id = s.documentId as never;
      if (i % 3 === 0) {
        const room = await server.rooms.open(id);
        await room.editAs(organiser.user.id, (doc) => doc.getText('bench').insert(0, 'written'));
        server.rooms.released(room);
      }
      const to = i % 12 === 1 ? 'published' : i % 6 === 2 ? 'final' : i % 6 === 4 ? 'review' : null;
      if (to) await server.store.changeWorkflow(id, { status: { from: 'drafting', to } }, [], Date.now());
    }
    const time = async (token: string, format: 'json' | 'csv'): Promise<{ p50: number; p95: number; bytes: number; count: number }> => {
      const ms: number[] = [];
      let bytes = 0;
      let count = 0;
      for (let r = 0; r < ROUNDS + 3; r++) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/events/${event.id}/dashboard?format=${format}`, { headers: { ...auth(token), 'Accept-Encoding': 'identity' } });
        const body = await res.text();
        const elapsed = performance.now() - t0;
        if (res.status !== 200) throw new Error(`dashboard answered ${res.status}`);
        if (r >= 3) ms.push(elapsed); // the first three warm the statements and the JIT
        bytes = body.length;
        count = format === 'json' ? (JSON.parse(body) as DashboardView).sessions.length : body.split('\r\n').length - 2;
      }
      ms.sort((a, b) => a - b);
      return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), bytes, count };
    };
    const rows = [
      ['organiser, JSON', await time(organiser.token, 'json')],
      ['organiser, CSV', await time(organiser.token, 'csv')],
      ['rapporteur (own sessions), JSON', await time(rapporteurs[0]!.token, 'json')],
    ] as const;
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const table = [
      '| request | sessions in answer | bytes | p50 | p95 |',
      '|---|---|---|---|---|',
      ...rows.map(([name, r]) => `| ${name} | ${r.count} | ${r.bytes.toLocaleString('en')} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms |`),
    ].join('\n');
    const report = `## Scenario: the dashboard of a ${SESSIONS}-session event (issue 11, SPEC EV6)

\`pnpm bench:dashboard\` (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, Node ${process.version}, loaded machine shared with other work): a server in-process over a fresh SQLite file, ${SESSIONS} sessions in ${TRACKS.length} tracks imported from one CSV (with their pre-filled reports: ${(importMs / 1000).toFixed(1)} s), reports spread over every status, then ${ROUNDS} timed requests of each kind after 3 warm-up ones. Goal: well under a second.

${table}

One query joins the sessions with their documents' status, deadline and highest log seq; rapporteurs' accounts are read by id. Most of the time is JSON and HTTP, not SQL.`;
    console.log(report);
    if (WRITE) writeSection(path.join(repoRoot, 'tests/bench/RESULTS.md'), 'dashboard', report);
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
