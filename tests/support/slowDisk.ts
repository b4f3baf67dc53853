// Loaded into a spawned server (`spawnServer(dir, env, { preload: [slowDisk] })`)
// to play a slow disk: every append of updates waits SLOW_DISK_MS before it
// is written. A server that keeps its promise (SPEC R4) tells nobody about an
// update during that wait; one that broadcasts first leaves a wide window in
// which a `kill -9` loses what clients already hold.
import { SqlDocumentStore } from '@rapporteur/server';

const ms = Number(process.env.SLOW_DISK_MS ?? 0);
if (ms > 0) {
  const append = SqlDocumentStore.prototype.appendUpdates;
  SqlDocumentStore.prototype.appendUpdates = async function (this: SqlDocumentStore, ...args: Parameters<SqlDocumentStore['appendUpdates']>) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return append.apply(this, args);
  };
}
