// Loaded into a spawned server (`spawnServer(dir, env, { preload: [slowDisk] })`)
// to play a slow disk: every append of updates waits SLOW_DISK_MS before it
// is written. A server that keeps its promise (SPEC R4) tells nobody about an
// update during that wait; one that broadcasts first leaves a wide window in
// which a `kill -9` loses what clients already hold.
import { SqliteDocumentStore } from '@rapporteur/server';

const ms = Number(process.env.SLOW_DISK_MS ?? 0);
if (ms > 0) {
  const append = SqliteDocumentStore.prototype.appendUpdates;
  SqliteDocumentStore.prototype.appendUpdates = async function (this: SqliteDocumentStore, ...args) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return append.apply(this, args);
  };
}
