import path from 'node:path';
import proxyAddr from 'proxy-addr';
import * as z from 'zod';

const MiB = 1024 * 1024;

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const EnvSchema = z.object({
  PORT: int(8080).pipe(z.number().max(65535)),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .refine((v) => v === undefined || isPostgresUrl(v), {
      message: 'must be a PostgreSQL URL, postgres://user:password@host:5432/database (unset: SQLite in DATA_DIR)',
    }),
  REDIS_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .refine((v) => v === undefined || /^rediss?:\/\/[^/\s]+/.test(v), {
      message: 'must be a Redis URL, redis://host:6379 (unset: one instance, no fan-out)',
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_MESSAGE_BYTES: int(8 * MiB, 1024),
  MAX_DOCUMENT_BYTES: int(64 * MiB, 1024),
  MAX_AWARENESS_BYTES: int(64 * 1024, 256),
  ROOM_IDLE_MS: int(30_000),
  CHECKPOINT_EVERY_UPDATES: int(1000, 1),
  CHECKPOINT_EVERY_BYTES: int(4 * MiB, 1024),
  PING_INTERVAL_MS: int(30_000, 100),
  SOCKET_MESSAGES_PER_SECOND: int(500, 1),
  SOCKET_BYTES_PER_SECOND: int(4 * MiB, 1024),
  STATIC_DIR: z.string().optional(),
  SESSION_TTL_DAYS: int(14, 1),
  AUTH_RATE_LIMIT: int(20, 1),
  PASSWORD_SCRYPT_N: int(2 ** 17, 1024).refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
  PASSWORD_HASH_CONCURRENCY: int(2, 1),
  PASSWORD_HASH_QUEUE: int(16, 0),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  REGISTRATION: z.enum(['open', 'invite-only']).default('open'),
  ADMIN_EMAIL: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  TRUST_PROXY: z.string().default('false').transform(parseTrustProxy),
  HSTS_MAX_AGE: int(365 * 24 * 60 * 60),
  PANDOC_PATH: z.string().min(1).default('pandoc'),
  CHROMIUM_PATH: z.string().min(1).default('chromium'),
  EXPORT_TIMEOUT_MS: int(60_000, 1000),
  EXPORT_MAX_BYTES: int(64 * MiB, 1024),
  EXPORT_CONCURRENCY: int(2, 1),
  REMINDER_LEAD_HOURS: int(6, 0).pipe(z.number().max(24 * 14)),
  REMINDER_SWEEP_SECONDS: int(300, 10),
  HISTORY_COMPACT_AFTER_MINUTES: int(60, 0),
  HISTORY_COMPACT_WINDOW_MINUTES: int(5, 1),
});

/** The server's configuration, parsed once at start from the environment and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Directory holding the SQLite file (`rapporteur.sqlite`), unless databaseUrl is set. */
  readonly dataDir: string;
  /** PostgreSQL to store in (DATABASE_URL); null: SQLite under dataDir. */
  readonly databaseUrl: string | null;
  /**
   * Redis that carries document updates, presence, comment and access
   * signals between instances (REDIS_URL, issue 15); null: one instance.
   * Needs DATABASE_URL (instances share PostgreSQL, not a DATA_DIR).
   */
  readonly redisUrl: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly limits: {
    /** Largest WebSocket frame accepted on the sync socket. */
    readonly maxMessageBytes: number;
    /** Largest stored size (checkpoint + updates since) a document may reach. */
    readonly maxDocumentBytes: number;
    /** Largest awareness (presence) update accepted. */
    readonly maxAwarenessBytes: number;
  };
  /** A document with no socket open is unloaded after this long (once stored). */
  readonly roomIdleMs: number;
  readonly checkpointEveryUpdates: number;
  readonly checkpointEveryBytes: number;
  readonly pingIntervalMs: number;
  /** What one sync socket may send on average (SPEC T6): frames and bytes per second, with two seconds' burst. */
  readonly socketRate: { readonly messagesPerSecond: number; readonly bytesPerSecond: number };
  /** Built editor to serve; null serves none. */
  readonly staticDir: string | null;
  /** Which reverse proxies to believe about the client's address, host and scheme (X-Forwarded-*). */
  readonly trustProxy: TrustProxy;
  /** `Strict-Transport-Security` max-age sent on HTTPS requests; 0 sends none (the proxy does). */
  readonly hstsMaxAgeSeconds: number;
  readonly auth: {
    readonly sessionTtlMs: number;
    /** Sign-in and sign-up attempts per client address per 15 minutes. */
    readonly rateLimit: number;
    /** scrypt cost N (2^17 by default); tests lower it to run fast. */
    readonly scryptN: number;
    /** Registration mode until an admin changes it: open (default) or invite-only. */
    readonly registration: 'open' | 'invite-only';
    /** First administrator, created at start when no account has this email. */
    readonly admin: { readonly email: string; readonly password: string } | null;
  };
  /** The address people use to reach this server (e.g. `https://rapporteur.example.org`), for links sent out; null if unset. */
  readonly publicUrl: string | null;
  /** Rapporteurs' deadline reminders (SPEC EV12): how long before a deadline, and how often deadlines are looked at. */
  readonly reminders: { readonly leadMs: number; readonly sweepMs: number };
  /** Compaction of the update log (SPEC S2): records older than `afterMs` (0: never) merged per author and `windowMs`. */
  readonly compaction: { readonly afterMs: number; readonly windowMs: number; readonly sweepMs: number };
  /** Outgoing e-mail (password reset requests); null: no e-mail is sent. */
  readonly mail: { readonly smtpUrl: string; readonly from: string } | null;
  /** Password hashes at once, and waiting, before sign-ins get 503 `busy` (SPEC A9). */
  readonly passwordHashing: { readonly concurrency: number; readonly maxQueue: number };
  /**
   * Export engines (SPEC X5): pandoc for ODT and Chromium for PDF, each a path
   * or a name looked up on PATH; a format whose engine is missing answers 501.
   */
  readonly export: {
    readonly pandocPath: string;
    readonly chromiumPath: string;
    readonly limits: { readonly timeoutMs: number; readonly maxBytes: number; readonly concurrency: number };
  };
}

/**
 * Which proxies are believed. `false`: none (the server faces clients
 * directly). `{ hops: n }`: the n nearest, however addressed. `{ addresses }`:
 * proxies at these addresses or CIDR ranges (or proxy-addr's names
 * `loopback`, `linklocal`, `uniquelocal`). Never "every proxy": with that,
 * any client sets its own address in `X-Forwarded-For` and gets a fresh
 * sign-in rate limit per request.
 */
export type TrustProxy = false | { readonly hops: number } | { readonly addresses: readonly string[] };

const TRUST_PROXY_FORMS =
  'TRUST_PROXY takes false (default), the number of proxies in front of the server (e.g. 1), ' +
  'or their addresses or ranges, comma-separated (e.g. 10.0.0.0/8 or 127.0.0.1,::1 or loopback)';

function parseTrustProxy(raw: string, ctx: z.RefinementCtx): TrustProxy {
  const value = raw.trim();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') {
    ctx.addIssue({
      code: 'custom',
      message: `"true" would believe any client about its own address (so sign-in limits could be bypassed); ${TRUST_PROXY_FORMS}`,
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(value)) return { hops: Number(value) };
  const addresses = value.split(',').map((a) => a.trim()).filter(Boolean);
  try {
    proxyAddr.compile(addresses);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `${(error as Error).message}; ${TRUST_PROXY_FORMS}` });
    return z.NEVER;
  }
  return { addresses };
}

/** The trust function of `trustProxy`, as Express and proxy-addr use it: is the hop at `address`, `i` hops away, believed? */
export function compileTrustProxy(trust: TrustProxy): (address: string, i: number) => boolean {
  if (trust === false) return () => false;
  if ('hops' in trust) return (_address, i) => i < trust.hops;
  return proxyAddr.compile([...trust.addresses]);
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses `env` (default `process.env`) into a frozen Config; throws ConfigError
 * naming every invalid variable. `overrides` win over the environment (tests).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.SMTP_URL && !e.MAIL_FROM) throw new ConfigError('Invalid configuration: MAIL_FROM: required with SMTP_URL (e.g. "Rapporteur <rapporteur@example.org>")');
  // Links in e-mail are built from PUBLIC_URL, never from a request's Host header, which a caller chooses.
  if (e.SMTP_URL && !e.PUBLIC_URL) throw new ConfigError('Invalid configuration: PUBLIC_URL: required with SMTP_URL, to build the links in e-mails');
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: REDIS_URL: needs DATABASE_URL (several instances share one PostgreSQL database, not a DATA_DIR)');
  }
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    logLevel: e.LOG_LEVEL,
    limits: {
      maxMessageBytes: e.MAX_MESSAGE_BYTES,
      maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
      maxAwarenessBytes: e.MAX_AWARENESS_BYTES,
    },
    roomIdleMs: e.ROOM_IDLE_MS,
    checkpointEveryUpdates: e.CHECKPOINT_EVERY_UPDATES,
    checkpointEveryBytes: e.CHECKPOINT_EVERY_BYTES,
    pingIntervalMs: e.PING_INTERVAL_MS,
    socketRate: { messagesPerSecond: e.SOCKET_MESSAGES_PER_SECOND, bytesPerSecond: e.SOCKET_BYTES_PER_SECOND },
    staticDir: e.STATIC_DIR === undefined ? null : path.resolve(e.STATIC_DIR),
    trustProxy: e.TRUST_PROXY,
    hstsMaxAgeSeconds: e.HSTS_MAX_AGE,
    auth: {
      sessionTtlMs: e.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000,
      rateLimit: e.AUTH_RATE_LIMIT,
      scryptN: e.PASSWORD_SCRYPT_N,
      registration: e.REGISTRATION,
      admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : null,
    },
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    mail: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } : null,
    reminders: { leadMs: e.REMINDER_LEAD_HOURS * 60 * 60 * 1000, sweepMs: e.REMINDER_SWEEP_SECONDS * 1000 },
    compaction: {
      afterMs: e.HISTORY_COMPACT_AFTER_MINUTES * 60_000,
      windowMs: e.HISTORY_COMPACT_WINDOW_MINUTES * 60_000,
      sweepMs: Math.min(5 * 60_000, Math.max(60_000, (e.HISTORY_COMPACT_AFTER_MINUTES * 60_000) / 4)),
    },
    passwordHashing: { concurrency: e.PASSWORD_HASH_CONCURRENCY, maxQueue: e.PASSWORD_HASH_QUEUE },
    export: {
      pandocPath: e.PANDOC_PATH,
      chromiumPath: e.CHROMIUM_PATH,
      limits: { timeoutMs: e.EXPORT_TIMEOUT_MS, maxBytes: e.EXPORT_MAX_BYTES, concurrency: e.EXPORT_CONCURRENCY },
    },
    ...overrides,
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(value);
}
