import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite from 'better-sqlite3';
import type { DocumentId } from '@rapporteur/protocol';
import { openSqliteDatabase, SqlDocumentStore } from '@rapporteur/server';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../support/server';

// SPEC S10: on a database file the update log commits without syncing on the
// event loop and is made durable by an fdatasync of the write-ahead log on
// libuv's pool; an append resolves (is acknowledged, broadcast) only after
// that sync, one sync serves every append waiting, and a failed sync fails
// the appends it covered.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Held {
  readonly fd: number;
  release: () => void;
  fail: (e: Error) => void;
}

async function storeWithHeldSync() {
  const dir = tempDataDir();
  dirs.push(dir);
  const file = path.join(dir, 'rapporteur.sqlite');
  const database = await openSqliteDatabase({ file });
  const held: Held[] = [];
  const store = new SqlDocumentStore(database, {
    syncFile: (fd) =>
      new Promise<void>((resolve, reject) => {
        held.push({ fd, release: resolve, fail: reject });
      }),
  });
  const id = 'doc-wal-sync' as DocumentId;
  await store.createDocument({ id, title: 'WAL', now: 1 });
  /** What another connection (a restarted server) reads of the log. */
  const committed = (): number => {
    const reader = new BetterSqlite(file, { readonly: true });
    try {
      return (reader.prepare('SELECT COUNT(*) AS n FROM updates WHERE doc_key = (SELECT log_key FROM documents WHERE id = ?)').get(id) as { n: number }).n;
    } finally {
      reader.close();
    }
  };
  const update = (n: number) => ({ data: new Uint8Array([n]), author: null, clientIds: [] });
  return { store, id, held, committed, update, file, sqlite: database.sqlite!, close: async () => {
      await store.close();
      await database.close();
    },
  };
}

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

describe('the update log is synced off the event loop (SPEC S10)', () => {
  it('an append resolves only after a WAL sync started after its commit; one sync covers the appends of a turn; acknowledgements keep the commit order', async () => {
    const t = await storeWithHeldSync();
    const a = t.store.appendUpdates(t.id, [t.update(1)], 2);
    const b = t.store.appendUpdates(t.id, [t.update(2)], 2);
    expect(await settled(a)).toBe(false);
    // Committed (a restart would find them) but not acknowledged: one sync asked for both.
    expect(t.committed()).toBe(2);
    expect(t.held).toHaveLength(1);
    expect(t.held[0]!.fd).toBeGreaterThan(2);
    expect(fs.fstatSync(t.held[0]!.fd).ino).toBe(fs.statSync(`${t.file}-wal`).ino);

    // An append committed while that sync runs gets a sync of its own, started at once, and is
    // resolved after the earlier ones even when its sync finishes first.
    const c = t.store.appendUpdates(t.id, [t.update(3)], 3);
    expect(await settled(c)).toBe(false);
    expect(t.held).toHaveLength(2);
    t.held[1]!.release();
    expect(await settled(c)).toBe(false);
    expect(await settled(a)).toBe(false);
    t.held[0]!.release();
    expect(await a).toEqual({ lastSeq: 1 });
    expect(await b).toEqual({ lastSeq: 2 });
    expect(await c).toEqual({ lastSeq: 3 });
    await t.close();
  });

  it('a failed sync fails the appends it covered, and the next appends are synced again', async () => {
    const t = await storeWithHeldSync();
    const a = t.store.appendUpdates(t.id, [t.update(1)], 2);
    await settled(a);
    t.held[0]!.fail(new Error('EIO: the disk refused'));
    await expect(a).rejects.toThrow('EIO');
    const b = t.store.appendUpdates(t.id, [t.update(2)], 3);
    await settled(b);
    expect(t.held).toHaveLength(2);
    t.held[1]!.release();
    expect(await b).toEqual({ lastSeq: 2 });
    await t.close();
  });

  it('closing waits for the sync under way', async () => {
    const t = await storeWithHeldSync();
    const a = t.store.appendUpdates(t.id, [t.update(1)], 2);
    await settled(a);
    const closing = t.close();
    expect(await settled(closing)).toBe(false);
    t.held[0]!.release();
    await closing;
    expect(await a).toEqual({ lastSeq: 1 });
  });
});

describe('one document failing to save does not fail the others (SPEC S11)', () => {
  it('appends of the same turn: the failing document’s are refused, the others are stored and resolved', async () => {
    const t = await storeWithHeldSync();
    const bad = 'doc-refused' as DocumentId;
    await t.store.createDocument({ id: bad, title: 'Refused', now: 1 });
    // A real SQLite failure for one document only, as a full or failing table would give.
    t.sqlite.exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON updates WHEN NEW.doc_key = (SELECT log_key FROM documents WHERE id = '${bad}') BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const good1 = t.store.appendUpdates(t.id, [t.update(1)], 2);
    const refused = t.store.appendUpdates(bad, [t.update(2)], 2);
    const good2 = t.store.appendUpdates(t.id, [t.update(3)], 2);
    await expect(refused).rejects.toThrow('disk says no');
    await settled(good1);
    expect(t.held).toHaveLength(1);
    t.held[0]!.release();
    expect(await good1).toEqual({ lastSeq: 1 });
    expect(await good2).toEqual({ lastSeq: 2 });
    expect(t.committed()).toBe(2);
    // Once the cause is gone the refused document saves again.
    t.sqlite.exec('DROP TRIGGER refuse_one');
    const again = t.store.appendUpdates(bad, [t.update(4)], 3);
    await settled(again);
    t.held[1]!.release();
    expect(await again).toEqual({ lastSeq: 1 });
    await t.close();
  });
});
