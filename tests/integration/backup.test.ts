import fs from 'node:fs';
import path from 'node:path';
import { connect, type Connection } from '@rapporteur/client';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts';
import { runCli } from '../support/cli';
import { createDocument, stockClient, WebSocket } from '../support/clients';
import { type ChildServer, spawnServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// SPEC O1, O2: `pnpm admin backup` copies a running server's database
// consistently; `pnpm admin restore` checks the backup, refuses while a
// server runs and keeps the replaced database aside.
describe('backup and restore', () => {
  let dataDir: string;
  let elsewhere: string;
  const servers: ChildServer[] = [];
  const connections: Connection[] = [];
  const cleanups: Array<() => void> = [];

  afterEach(async () => {
    for (const c of connections.splice(0)) c.destroy();
    for (const f of cleanups.splice(0)) f();
    for (const s of servers.splice(0)) await s.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
  });

  it('restores every update acknowledged before a backup taken under write load (SPEC O1, O2)', async () => {
    dataDir = tempDataDir();
    elsewhere = tempDataDir('rapporteur-backups-');
    const server = await spawnServer(dataDir);
    servers.push(server);
    const owner = await signUp(server.url);
    const id = await createDocument(server.url, owner);

    for (let n = 0; n < 3; n++) {
      const c = connect(id, { url: server.collabUrl, WebSocketPolyfill: WebSocket as never, token: owner.token });
      connections.push(c);
      await c.whenSynced();
    }

    // Early on, everything is still in the WAL: a copy of the file alone
    // would have no tables. The backup has the acknowledged edit.
    connections[0]!.doc.getText('early').insert(0, 'acknowledged');
    await connections[0]!.whenSaved();
    const early = path.join(elsewhere, 'early.sqlite');
    expect((await runCli(['backup', '--to', early], { DATA_DIR: dataDir })).code).toBe(0);
    const earlyDb = new Database(early, { readonly: true });
    try {
      expect(earlyDb.prepare('SELECT count(*) AS n FROM updates WHERE doc_key = (SELECT log_key FROM documents WHERE id = ?)').get(id)).toEqual({ n: 1 });
    } finally {
      earlyDb.close();
    }

    // Three writers type without pause while the next backup is taken.
    const typed = [0, 0, 0];
    for (let n = 0; n < 3; n++) {
      const text = connections[n]!.doc.getText('t');
      const timer = setInterval(() => text.insert(text.length, `c${n}:${typed[n]!++},`), 1);
      cleanups.push(() => clearInterval(timer));
    }
    await waitFor(() => connections.every((c, n) => typed[n]! - c.status.pendingChanges > 100), { what: 'writers saving' });

    // Acknowledged before the backup starts: these must be in it.
    const acknowledged = connections.map((c, n) => typed[n]! - c.status.pendingChanges);
    const backup = path.join(elsewhere, 'rapporteur-backup.sqlite');
    const made = await runCli(['backup', '--to', backup], { DATA_DIR: dataDir });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(backup);
    // Writing went on during the backup.
    const after = connections.map((c, n) => typed[n]! - c.status.pendingChanges);
    expect(after.every((a, n) => a > acknowledged[n]!)).toBe(true);
    for (const f of cleanups.splice(0)) f();
    await Promise.all(connections.map((c) => c.whenSaved()));

    // The backup is one self-contained file (a copy of the live file would
    // have no tables: they are still in the WAL).
    expect(fs.existsSync(`${backup}-wal`)).toBe(false);

    // Restoring refuses while the server holds DATA_DIR (O2).
    const refused = await runCli(['restore', '--from', backup], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('a Rapporteur server is running');
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('replaced'))).toEqual([]);

    for (const c of connections.splice(0)) c.destroy();
    await server.kill('SIGTERM');
    const restored = await runCli(['restore', '--from', backup], { DATA_DIR: dataDir });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('rapporteur.sqlite.replaced-') && f.endsWith('Z'));
    expect(aside.length).toBe(1);
    expect(restored.stdout).toContain(aside[0]);

    // A server on the restored file has every acknowledged update, and for
    // each writer a gap-free prefix of what it typed (a consistent snapshot).
    const again = await spawnServer(dataDir);
    servers.push(again);
    const reader = stockClient(again.collabUrl, id, owner);
    cleanups.push(() => reader.destroy());
    await reader.synced();
    const text = reader.text.toString();
    for (let n = 0; n < 3; n++) {
      const tokens = [...text.matchAll(new RegExp(`c${n}:(\\d+),`, 'g'))].map((m) => Number(m[1]));
      expect(tokens.length).toBeGreaterThanOrEqual(acknowledged[n]!);
      expect(tokens).toEqual(tokens.map((_, i) => i));
    }

    // A backup also restores onto a new machine's empty DATA_DIR.
    const fresh = path.join(elsewhere, 'new-machine', 'data');
    const onto = await runCli(['restore', '--from', backup], { DATA_DIR: fresh });
    expect(onto.stderr).toBe('');
    expect(onto.code).toBe(0);
    expect(fs.existsSync(path.join(fresh, 'rapporteur.sqlite'))).toBe(true);

    // The replaced database is intact: it holds everything typed.
    const old = new Database(path.join(dataDir, aside[0]!), { readonly: true });
    try {
      const { n } = old.prepare('SELECT count(*) AS n FROM updates WHERE doc_key = (SELECT log_key FROM documents WHERE id = ?)').get(id) as { n: number };
      expect(n).toBeGreaterThan(0);
    } finally {
      old.close();
    }
  });

  it('refuses to restore a file that is not a Rapporteur database, leaving the database as it was (SPEC O2)', async () => {
    dataDir = tempDataDir();
    elsewhere = tempDataDir('rapporteur-backups-');
    const server = await spawnServer(dataDir);
    servers.push(server);
    const owner = await signUp(server.url);
    await createDocument(server.url, owner);
    await server.kill('SIGTERM');
    const before = fs.readdirSync(dataDir).sort();

    const text = path.join(elsewhere, 'notes.txt');
    fs.writeFileSync(text, 'not a database at all, but long enough to have a header '.repeat(20));
    const other = path.join(elsewhere, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)');
    db.close();

    for (const [file, why] of [
      [text, 'not a Rapporteur database'],
      [other, 'not a Rapporteur database (no "schema_migrations", "documents"'],
      [path.join(elsewhere, 'missing.sqlite'), 'does not exist'],
    ] as const) {
      const result = await runCli(['restore', '--from', file], { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(file);
      expect(result.stderr).toContain(why);
    }
    expect(fs.readdirSync(dataDir).sort()).toEqual(before);

    // A backup never overwrites a file.
    const taken = await runCli(['backup', '--to', other], { DATA_DIR: dataDir });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`${other} already exists`);

    // And the server still starts on the database it had.
    servers.push(await spawnServer(dataDir));
  });

  it('refuses to start a second server on the same DATA_DIR (SPEC O2)', async () => {
    dataDir = tempDataDir();
    elsewhere = tempDataDir('rapporteur-backups-');
    servers.push(await spawnServer(dataDir));
    await expect(spawnServer(dataDir)).rejects.toThrow(/in use by another Rapporteur process/);
  });
});
