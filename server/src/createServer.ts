import http from 'node:http';
import { sql } from 'kysely';
import type { AddressInfo } from 'node:net';
import { CloseCode } from '@rapporteur/protocol';
import { BODY_FIELD } from '@rapporteur/schema';
import { AccessEvents } from './auth/AccessEvents';
import { Accounts } from './auth/Accounts';
import { Invites } from './auth/Invites';
import { ResetLinks } from './auth/ResetLinks';
import { smtpMailer } from './lib/mailer';
import { passwordProblem, passwordProblemMessage } from './auth/passwordPolicy';
import type { PasswordHasher } from './auth/passwords';
import { CommentHub } from './comments/CommentHub';
import { Comments, type EditDocument } from './comments/Comments';
import { Notifier } from './comments/Notifier';
import { Reminders } from './events/Reminders';
import { compileTrustProxy, type Config, ConfigError } from './config';
import { SESSION_COOKIE } from './http/authMiddleware';
import { Compactor } from './history/compaction';
import { History } from './history/History';
import { Exporter } from './export/Exporter';
import { Publisher } from './publications/Publisher';
import { SqlPublicationStore } from './storage/sql/SqlPublicationStore';
import { createApp } from './http/createApp';
import { type Clock, systemClock } from './lib/clock';
import { createLogger, type Logger } from './lib/logger';
import { EventLoopLoad, type Load } from './rooms/LoopLoad';
import { RoomManager } from './rooms/RoomManager';
import { SaveHealth } from './rooms/SaveHealth';
import type { ReadinessReport } from './lib/readiness';
import { isStorageFailure } from './storage/isStorageFailure';
import type { AccountStore } from './storage/AccountStore';
import { EmailTakenError } from './storage/AccountStore';
import type { DocumentStore } from './storage/DocumentStore';
import { type DataDirLock, lockDataDir } from './storage/sqlite/lockDataDir';
import { prepareDataDir } from './storage/prepareDataDir';
import { describeCause, StartupError } from './lib/StartupError';
import type { Database } from './storage/sql/Database';
import { SqlAccountStore } from './storage/sql/SqlAccountStore';
import { openConfiguredDatabase, sqliteFile } from './storage/openConfiguredDatabase';
import type { CommentStore } from './storage/CommentStore';
import { SqlCommentStore } from './storage/sql/SqlCommentStore';
import { SqlNotificationStore } from './storage/sql/SqlNotificationStore';
import { SqlDocumentStore } from './storage/sql/SqlDocumentStore';
import { holdInstanceLock } from './storage/sql/instanceLock';
import { type FanOut, LocalFanOut } from './rooms/FanOut';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { SqlTemplateStore } from './storage/sql/SqlTemplateStore';
import { SqlEventStore } from './storage/sql/SqlEventStore';
import { SessionImport } from './events/SessionImport';
import { citationResolver } from './events/citationAccess';
import { seedBuiltinTemplates } from './templates/builtins';
import { acceptSync } from './sync/acceptSync';
import { CollabTransport, type ConnectionHandler } from './transport/CollabTransport';

/** Everything a test may replace. Unset fields get the production default. */
export interface ServerDeps {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * Wraps the document store every layer uses, e.g. so a test can hold or
   * fail its writes. Returns the store to use (default: the SQL store).
   */
  readonly wrapDocumentStore?: (store: DocumentStore) => DocumentStore;
  /**
   * The database to store in, already open and migrated, instead of the one
   * the configuration names (tests give each server a PostgreSQL schema of
   * its own). The server closes it when it closes.
   */
  readonly database?: Database;
  /** The fan-out to other instances instead of Redis at REDIS_URL (tests). */
  readonly fanOut?: FanOut;
  /** Replaces scrypt (tests hold a hash in flight to fill the hashing queue). */
  readonly passwordHasher?: PasswordHasher;
  /** Whether the server counts as saturated, for rooms' pacing (SPEC R16); default: the event loop's utilization. */
  readonly load?: Load;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** e.g. `ws://127.0.0.1:41234/collab` */
  readonly collabUrl: string;
  readonly port: number;
  readonly store: DocumentStore;
  readonly accountStore: AccountStore;
  readonly accounts: Accounts;
  readonly rooms: RoomManager;
  readonly hub: CommentHub;
  /** Comments and their store (tests reach a command with a stale record, as a lost race would). */
  readonly comments: Comments;
  readonly commentStore: CommentStore;
  /** Deadline reminders (SPEC EV12); tests sweep after moving their clock. */
  readonly reminders: Reminders;
  /** Compaction of the update log (SPEC S2); tests sweep after moving their clock. */
  readonly compactor: Compactor;
  /**
   * The sync layer's connection handler, as the transport calls it: a test
   * can connect a socket of its own (in memory, delivery in an order it
   * chooses) to everything below the transport.
   */
  readonly acceptSocket: ConnectionHandler;
  /**
   * Shuts down (SPEC R12): stops accepting connections and updates, stores
   * everything queued and acknowledges it, closes sockets (4503), writes
   * final checkpoints and closes the database. Calling it again returns the
   * same promise.
   */
  close(): Promise<void>;
}

export { sqliteFile };

/**
 * Wires the layers together and listens on `config.host:config.port`
 * (port 0 picks a free one). Resolves once the server can serve.
 */
export async function createServer(config: Config, deps: ServerDeps = {}): Promise<RunningServer> {
  const log = deps.logger ?? createLogger(config.logLevel);
  const clock = deps.clock ?? systemClock;
  // One process per DATA_DIR: rooms live in memory, so a second server on the
  // same file would serve stale documents; `pnpm admin restore` checks it too.
  // On PostgreSQL (DATABASE_URL) there is no data directory to hold.
  let lock: DataDirLock = { file: '', release: () => {} };
  if (!config.databaseUrl) {
    prepareDataDir(config.dataDir);
    lock = lockDataDir(config.dataDir);
  }
  let database: Database;
  try {
    database = deps.database ?? (await openConfiguredDatabase(config));
  } catch (error) {
    lock.release();
    throw error;
  }
  let instanceLock: { release(): Promise<void> } | null = null;
  // Several instances may share a database only with Redis carrying what each stores to the others.
  if (database.dialect === 'postgres' && !config.redisUrl) {
    try {
      instanceLock = await holdInstanceLock(database.db, database.description);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  let fanOut: FanOut = new LocalFanOut();
  /** With Redis: rate-limit counters every instance shares (SPEC I6), per installation. */
  let rateLimitStores: ((deployment: string) => (limiter: string) => RateLimitStore) | null = null;
  if (config.redisUrl) {
    try {
      // Loaded only with REDIS_URL: one instance does not carry ioredis in memory (SPEC O5).
      const [{ RedisFanOut }, { redisRateLimitStores }] = await Promise.all([import('./fanout/RedisFanOut'), import('./fanout/redisRateLimit')]);
      const redis = deps.fanOut ?? (await RedisFanOut.connect(config.redisUrl, log));
      fanOut = redis;
      if (redis instanceof RedisFanOut) rateLimitStores = (deployment) => redisRateLimitStores(redis.commands, deployment);
    } catch (error) {
      await database.close();
      lock.release();
      throw error;
    }
  }
  const closeDatabase = async (): Promise<void> => {
    await fanOut.close();
    await instanceLock?.release();
    await database.close();
  };
  const sqlStore = new SqlDocumentStore(database);
  const store = deps.wrapDocumentStore?.(sqlStore) ?? sqlStore;
  const accountStore = new SqlAccountStore(database.db, database.dialect);
  const events = new AccessEvents();
  const accounts = new Accounts(accountStore, clock, events, {
    sessionTtlMs: config.auth.sessionTtlMs,
    scryptCost: { N: config.auth.scryptN, r: 8, p: 1 },
    hashLimits: config.passwordHashing,
    ...(deps.passwordHasher ? { hasher: deps.passwordHasher } : {}),
  });
  const invites = new Invites(store, clock, events);
  const saveHealth = new SaveHealth();
  const mailer = config.mail ? smtpMailer(config.mail.smtpUrl, config.mail.from) : null;
  const resetLinks = new ResetLinks(accountStore, accounts, clock, events, { publicUrl: config.publicUrl, mailer, log });
  const history = new History(store, clock, log);
  // The event loop's load, which crowded rooms pace their batches by (SPEC R16); injected in tests.
  const load = deps.load ?? new EventLoopLoad();
  const rooms = new RoomManager(store, clock, log, {
    load,
    onStored: (id, seq) => history.noteStored(id, seq),
    // An edit moved a final document back to revising (WF5): tell open editors (WF9).
    onStatusMoved: (id) => events.emit({ kind: 'document', documentId: id }),
    idleMs: config.roomIdleMs,
    checkpointEveryUpdates: config.checkpointEveryUpdates,
    checkpointEveryBytes: config.checkpointEveryBytes,
    maxDocumentBytes: config.limits.maxDocumentBytes,
    saveHealth,
    fanOut,
  });
  fanOut.onResync(() => rooms.resyncAll());
  // Which installation this is, for keys several instances share in Redis: the database and schema they store in.
  const deployment =
    database.dialect === 'postgres'
      ? ((await sql<{ id: string }>`SELECT current_database() || '/' || current_schema() AS id`.execute(database.db)).rows[0]?.id ?? database.description)
      : database.description;
  if (fanOut.shared) history.leaseHolder = rooms.instanceId;
  const compactor = new Compactor(store, history, clock, log, config.compaction);
  if (fanOut.shared) compactor.leaseHolder = rooms.instanceId;
  const commentStore = new SqlCommentStore(database.db, database.dialect);
  const hub = new CommentHub();
  if (fanOut.shared) {
    // What changes access or grows a comment log here is told to every instance, and theirs here (issue 15).
    let relaying = false;
    events.subscribe((change) => {
      if (!relaying) fanOut.signal({ kind: 'access', change });
    });
    hub.relay = (documentId, seq) => fanOut.signal({ kind: 'comments', documentId, seq });
    fanOut.onSignal((signal) => {
      if (signal.kind === 'comments') hub.publishFromElsewhere(signal.documentId, signal.seq);
      else if (signal.kind === 'access') {
        relaying = true;
        try {
          events.emit(signal.change);
        } finally {
          relaying = false;
        }
      }
    });
  }
  const notifications = new SqlNotificationStore(database.db);
  const notifier = new Notifier(notifications, store, accountStore, clock, log);
  const editDocument: EditDocument = async (documentId, author, edit) => {
    const room = await rooms.open(documentId);
    try {
      return await room.editAs(author, edit);
    } finally {
      rooms.released(room);
    }
  };
  const comments = new Comments(commentStore, hub, clock, editDocument, BODY_FIELD, notifier, (documentId, event) =>
    store.appendAudit(documentId, event, clock.now()),
  );
  const templates = new SqlTemplateStore(database.db);
  const exporter = new Exporter(config.export);
  const publications = new SqlPublicationStore(database.db);
  const resolveCitations = citationResolver(store, config.publicUrl);
  const publisher = new Publisher({ store, publications, commentStore, history, rooms, exporter, events, clock, resolveCitations });
  const eventStore = new SqlEventStore(database.db);
  // Whoever accepts a rapporteur's invitation is that session's rapporteur (SPEC EV5).
  // The link is for one person: once accepted it is revoked.
  invites.onAccepted(async (invite, userId) => {
    if (await eventStore.bindInvite(invite.id, userId)) await store.revokeInvite(invite.documentId, invite.id, clock.now());
  });
  const reminders = new Reminders({ eventStore, accountStore, clock, log, mailer, publicUrl: config.publicUrl }, config.reminders);
  const sessionImport = new SessionImport({
    eventStore,
    store,
    accountStore,
    templates,
    invites,
    events,
    editDocument,
    clock,
    log,
    mailer,
    publicUrl: config.publicUrl,
    // A session imported past or near its deadline is reminded of now, not at the next sweep.
    onWritten: () => void reminders.sweep(),
  });
  try {
    await ensureAdmin(config, accounts, accountStore, log);
    await seedBuiltinTemplates(templates, clock, log);
  } catch (error) {
    await store.close();
    await closeDatabase();
    lock.release();
    throw error;
  }
  let ready = false;
  let closing: Promise<void> | null = null;
  const readiness = async (): Promise<ReadinessReport> => {
    if (closing) return { ready: false, reason: 'shutting_down', message: 'the server is shutting down' };
    if (!ready) return { ready: false, reason: 'starting', message: 'the server is starting' };
    try {
      await store.ping();
    } catch (error) {
      return { ready: false, reason: 'database_unreachable', message: `the database does not answer: ${(error as Error).message}` };
    }
    const problem = saveHealth.problem;
    if (problem) {
      return {
        ready: false,
        reason: 'storage_failing',
        message: `saving has failed for ${problem.documents} document(s) since ${new Date(problem.since).toISOString()} (${problem.error}); retrying`,
      };
    }
    return { ready: true };
  };
  const app = createApp({
    store,
    accountStore,
    accounts,
    invites,
    resetLinks,
    events,
    commentStore,
    comments,
    hub,
    notifications,
    templates,
    rooms,
    history,
    editDocument,
    exporter,
    importOptions: { pandocPath: config.export.pandocPath, engineLimits: config.export.limits },
    publications,
    publisher,
    eventStore,
    sessionImport,
    resolveCitations,
    clock,
    log,
    sessionTtlMs: config.auth.sessionTtlMs,
    authRateLimit: config.auth.rateLimit,
    rateLimitStore: rateLimitStores?.(deployment) ?? undefined,
    defaultRegistration: config.auth.registration,
    staticDir: config.staticDir,
    trustProxy: compileTrustProxy(config.trustProxy),
    hstsMaxAgeSeconds: config.hstsMaxAgeSeconds,
    isReady: () => ready,
    readiness,
    isStorageFailure,
  });
  const server = http.createServer(app);
  const acceptSocket = acceptSync(
    { rooms, store, accounts, events, clock, log },
    { maxAwarenessBytes: config.limits.maxAwarenessBytes, maxEarlyFrames: 1000, sessionCookie: SESSION_COOKIE },
  );
  const transport = new CollabTransport(
    {
      path: '/collab',
      maxMessageBytes: config.limits.maxMessageBytes,
      pingIntervalMs: config.pingIntervalMs,
      maxMessagesPerSecond: config.socketRate.messagesPerSecond,
      maxBytesPerSecond: config.socketRate.bytesPerSecond,
      maxBufferedBytes: Math.max(16 * 1024 * 1024, config.limits.maxMessageBytes * 2),
      trustProxy: compileTrustProxy(config.trustProxy),
    },
    clock,
    log,
    acceptSocket,
  );
  transport.attach(server);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await store.close();
    await closeDatabase();
    lock.release();
    throw new StartupError(`Cannot listen on ${config.host}:${config.port}: ${describeCause(error)}`, { cause: error });
  }
  ready = true;
  reminders.start();
  compactor.start();
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  log.info({ url: `http://${host}:${port}`, dataDir: config.dataDir }, 'Rapporteur is listening');

  return {
    url: `http://${host}:${port}`,
    collabUrl: `ws://${host}:${port}/collab`,
    port,
    store,
    accountStore,
    accounts,
    rooms,
    hub,
    comments,
    commentStore,
    reminders,
    compactor,
    acceptSocket,
    close() {
      closing ??= (async () => {
        ready = false;
        // Order matters (R12): no new sockets, then every room stores its
        // queue and acknowledges it before closing its members; only then
        // are the remaining sockets (still authenticating) closed.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        transport.stopAccepting();
        await reminders.stop();
        await compactor.stop();
        await rooms.shutdown();
        if (load instanceof EventLoopLoad) load.stop();
        await history.close();
        await transport.close(CloseCode.serviceRestart, 'server restarting');
        server.closeAllConnections();
        await stopped;
        await store.close();
        mailer?.close();
        await closeDatabase();
        lock.release();
        log.info('Rapporteur stopped');
      })();
      return closing;
    },
  };
}

/** Creates the first administrator from ADMIN_EMAIL/ADMIN_PASSWORD when no account has that email. */
async function ensureAdmin(config: Config, accounts: Accounts, accountStore: AccountStore, log: Logger): Promise<void> {
  const admin = config.auth.admin;
  if (!admin) return;
  const existing = await accountStore.findUserByEmail(admin.email);
  if (existing) return;
  // Checked only when the password is about to be set: an administrator made
  // earlier keeps whatever password they have since chosen.
  const problem = await passwordProblem(admin.password);
  if (problem) throw new ConfigError(`Invalid configuration: ADMIN_PASSWORD: ${passwordProblemMessage(problem)}`);
  try {
    await accounts.createUser({
      email: admin.email,
      password: admin.password,
      name: 'Administrator',
      stakeholderGroup: 'other',
      region: 'other',
      isAdmin: true,
    });
    log.info({ email: admin.email }, 'created the first administrator from ADMIN_EMAIL');
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
  }
}
