import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CloseCode } from '@rapporteur/protocol';
import type { Config } from './config';
import { createApp } from './http/createApp';
import { type Clock, systemClock } from './lib/clock';
import { createLogger, type Logger } from './lib/logger';
import { RoomManager } from './rooms/RoomManager';
import type { DocumentStore } from './storage/DocumentStore';
import { SqliteDocumentStore } from './storage/sqlite/SqliteDocumentStore';
import { acceptSync } from './sync/acceptSync';
import { CollabTransport } from './transport/CollabTransport';

/** Everything a test may replace. Unset fields get the production default. */
export interface ServerDeps {
  readonly store?: DocumentStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** e.g. `ws://127.0.0.1:41234/collab` */
  readonly collabUrl: string;
  readonly port: number;
  readonly store: DocumentStore;
  readonly rooms: RoomManager;
  /** Stores everything, closes sockets (4503) and the store. */
  close(): Promise<void>;
}

/** Path of the SQLite file inside DATA_DIR. */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'rapporteur.sqlite');
}

/**
 * Wires the layers together and listens on `config.host:config.port`
 * (port 0 picks a free one). Resolves once the server can serve.
 */
export async function createServer(config: Config, deps: ServerDeps = {}): Promise<RunningServer> {
  const log = deps.logger ?? createLogger(config.logLevel);
  const clock = deps.clock ?? systemClock;
  const store = deps.store ?? new SqliteDocumentStore({ file: sqliteFile(config.dataDir) });
  const rooms = new RoomManager(store, clock, log, {
    idleMs: config.roomIdleMs,
    checkpointEveryUpdates: config.checkpointEveryUpdates,
    checkpointEveryBytes: config.checkpointEveryBytes,
    maxDocumentBytes: config.limits.maxDocumentBytes,
  });
  let ready = false;
  const app = createApp({
    store,
    rooms,
    clock,
    log,
    staticDir: config.staticDir,
    trustProxy: config.trustProxy,
    isReady: () => ready,
  });
  const server = http.createServer(app);
  const transport = new CollabTransport(
    {
      path: '/collab',
      maxMessageBytes: config.limits.maxMessageBytes,
      pingIntervalMs: config.pingIntervalMs,
      maxBufferedBytes: Math.max(16 * 1024 * 1024, config.limits.maxMessageBytes * 2),
    },
    clock,
    log,
    acceptSync(rooms, log, { maxAwarenessBytes: config.limits.maxAwarenessBytes, maxEarlyFrames: 1000 }),
  );
  transport.attach(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  ready = true;
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  log.info({ url: `http://${host}:${port}`, dataDir: config.dataDir }, 'Rapporteur is listening');

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    collabUrl: `ws://${host}:${port}/collab`,
    port,
    store,
    rooms,
    close() {
      closing ??= (async () => {
        ready = false;
        transport.close(CloseCode.serviceRestart, 'server restarting');
        await rooms.shutdown();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
        log.info('Rapporteur stopped');
      })();
      return closing;
    },
  };
}
