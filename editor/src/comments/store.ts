import { type ApiClient, ApiError, type CommentList } from '@rapporteur/client/http';
import type { CommentAnchor, CommentEvent, CommentView } from '@rapporteur/protocol';

/** A comment or reply written here that the server has not confirmed yet (kept in localStorage). */
export interface OutboxItem {
  /** Makes the resend idempotent (SPEC C4): 8–100 of [A-Za-z0-9_-]. */
  readonly clientKey: string;
  /** The account that wrote it: only that account's session sends it. */
  readonly userId: string;
  /** Null for a new thread; the thread's id for a reply. */
  readonly parentId: string | null;
  readonly anchor: CommentAnchor | null;
  readonly body: string;
  readonly suggestion: string | null;
  readonly createdAt: string;
}

/**
 * `sending`: on its way; `waiting`: offline or the server unreachable, sent
 * when the connection returns; `failed`: the server refused it (the reason in
 * `error`) — it stays until it is retried or discarded.
 */
export type OutboxState = 'sending' | 'waiting' | 'failed';

export interface OutboxEntry extends OutboxItem {
  readonly state: OutboxState;
  readonly error: string | null;
}

export interface Thread {
  readonly comment: CommentView;
  /** Oldest first. */
  readonly replies: readonly CommentView[];
}

export interface CommentsSnapshot {
  /** The first list: `loading` until it arrives, `error` when it could not be fetched (retried by itself). */
  readonly status: 'loading' | 'ready' | 'error';
  readonly error: string | null;
  /** Every comment and reply, oldest first. */
  readonly comments: readonly CommentView[];
  /** Threads (oldest first) with their replies. */
  readonly threads: readonly Thread[];
  readonly byId: ReadonlyMap<string, CommentView>;
  /** This account's unsent comments and replies, in the order they were written. */
  readonly outbox: readonly OutboxEntry[];
  /** The event stream is connected: others' comments appear as they are written. */
  readonly live: boolean;
  readonly online: boolean;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

export type SubscribeComments = (
  documentId: string,
  after: number,
  onEvent: (event: CommentEvent) => void,
  options: { onOpen: () => void; onError: () => void },
) => () => void;

export interface CommentsStoreOptions {
  readonly documentId: string;
  readonly api: Pick<ApiClient, 'listComments' | 'createComment' | 'reply'>;
  readonly subscribe: SubscribeComments;
  /** Where the outbox is kept (localStorage); null keeps it in memory only. */
  readonly storage: Storage | null;
  /** The localStorage key of this document's outbox. */
  readonly outboxKey: string;
  readonly online?: boolean;
  readonly randomKey?: () => string;
  readonly now?: () => Date;
  /** Timer for retries (tests pass a manual one). */
  readonly setTimer?: (run: () => void, ms: number) => () => void;
}

const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 60_000;
const CLIENT_KEY = /^[A-Za-z0-9_-]{8,100}$/;

/** A random client key: 16 random bytes as base64url (22 characters). */
export function randomClientKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Oldest first; ties by id, so every client orders the same way. */
export function compareComments(a: CommentView, b: CommentView): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * `incoming` merged into `comments` by id: it replaces what is there unless
 * that is newer (an answer that arrives after a later event must not undo
 * it). Returns the same map when nothing changed.
 */
export function mergeComment(comments: ReadonlyMap<string, CommentView>, incoming: CommentView): ReadonlyMap<string, CommentView> {
  const current = comments.get(incoming.id);
  if (current && (current.updatedAt > incoming.updatedAt || sameComment(current, incoming))) return comments;
  const next = new Map(comments);
  next.set(incoming.id, incoming);
  return next;
}

function sameComment(a: CommentView, b: CommentView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Threads with their replies, both oldest first; a reply whose thread is unknown is left out. */
export function buildThreads(comments: readonly CommentView[]): Thread[] {
  const replies = new Map<string, CommentView[]>();
  for (const c of comments) {
    if (c.parentId === null) continue;
    const list = replies.get(c.parentId) ?? [];
    list.push(c);
    replies.set(c.parentId, list);
  }
  return comments.filter((c) => c.parentId === null).map((comment) => ({ comment, replies: replies.get(comment.id) ?? [] }));
}

function isOutboxItem(value: unknown): value is OutboxItem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['clientKey'] === 'string' &&
    CLIENT_KEY.test(v['clientKey']) &&
    typeof v['userId'] === 'string' &&
    (v['parentId'] === null || typeof v['parentId'] === 'string') &&
    typeof v['body'] === 'string' &&
    (v['suggestion'] === null || typeof v['suggestion'] === 'string') &&
    typeof v['createdAt'] === 'string' &&
    (v['parentId'] !== null || (typeof v['anchor'] === 'object' && v['anchor'] !== null))
  );
}

/** The outbox as stored; anything unreadable is dropped rather than blocking the rest. */
export function readOutbox(storage: Storage | null, key: string): OutboxItem[] {
  if (!storage) return [];
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isOutboxItem) : [];
  } catch {
    return [];
  }
}

function writeOutbox(storage: Storage | null, key: string, items: readonly OutboxItem[]): void {
  if (!storage) return;
  try {
    if (items.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(items));
  } catch {
    // Storage full or disabled: the outbox still lives in memory for this page.
  }
}

/** Whether a failed send should wait and be tried again (no connection, server trouble) rather than be shown as refused. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The comments of one open document, outside React (components read it with
 * `useSyncExternalStore`, so the editor never re-renders for a comment):
 * the first list, then live events merged by id; and an outbox of comments
 * written while offline (or whose sending failed for want of a connection),
 * kept in localStorage and sent in order, each with its client key, when
 * the connection returns.
 */
export class CommentsStore {
  private readonly listeners = new Set<() => void>();
  private snapshot: CommentsSnapshot;
  private comments: ReadonlyMap<string, CommentView> = new Map();
  /** Every account's unsent items as stored (this session sends only its own). */
  private stored: OutboxItem[];
  private states = new Map<string, { state: OutboxState; error: string | null }>();
  private userId: string | null = null;
  private online: boolean;
  private live = false;
  private status: CommentsSnapshot['status'] = 'loading';
  private error: string | null = null;
  private started = false;
  private unsubscribe: (() => void) | null = null;
  private cancelRetry: (() => void) | null = null;
  private retryMs = FIRST_RETRY_MS;
  private cancelReload: (() => void) | null = null;
  private reloadMs = FIRST_RETRY_MS;
  private flushing = false;
  private flushAgain = false;
  private generation = 0;

  constructor(private readonly options: CommentsStoreOptions) {
    this.online = options.online ?? true;
    this.stored = readOutbox(options.storage, options.outboxKey);
    this.snapshot = this.build();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): CommentsSnapshot => this.snapshot;

  /** Loads the list, then follows the event stream; sends what waits in the outbox. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.generation++;
    void this.load(this.generation);
    void this.flush();
  }

  stop(): void {
    this.started = false;
    this.generation++;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.cancelReload?.();
    this.cancelReload = null;
    this.live = false;
  }

  /** The signed-in account: only its own outbox items are shown and sent. */
  setUser(userId: string | null): void {
    if (this.userId === userId) return;
    this.userId = userId;
    this.emit();
    void this.flush();
  }

  /** The browser's idea of being online (`navigator.onLine`, `online`/`offline` events). */
  setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    if (online) {
      this.retryMs = FIRST_RETRY_MS;
      this.reloadMs = FIRST_RETRY_MS;
      if (this.status === 'error' && this.started) this.retryLoad(0);
      void this.flush();
    }
    this.emit();
  }

  /** Queues a new thread and sends it (now if possible). Returns its client key. */
  addComment(input: { anchor: CommentAnchor; body: string; suggestion?: string | null }): string {
    return this.enqueue({ parentId: null, anchor: input.anchor, body: input.body, suggestion: input.suggestion || null });
  }

  /** Queues a reply to a thread and sends it. Returns its client key. */
  addReply(threadId: string, body: string): string {
    return this.enqueue({ parentId: threadId, anchor: null, body, suggestion: null });
  }

  /** A comment as an action's answer returned it (disposition, edit, …). */
  upsert(comment: CommentView): void {
    const next = mergeComment(this.comments, comment);
    if (next === this.comments) return;
    this.comments = next;
    this.emit();
  }

  /** Tries a refused item again. */
  retry(clientKey: string): void {
    if (!this.stored.some((i) => i.clientKey === clientKey)) return;
    this.states.set(clientKey, { state: 'waiting', error: null });
    this.emit();
    void this.flush();
  }

  /** Drops an unsent item. */
  discard(clientKey: string): void {
    this.stored = this.stored.filter((i) => i.clientKey !== clientKey);
    this.states.delete(clientKey);
    writeOutbox(this.options.storage, this.options.outboxKey, this.stored);
    this.emit();
  }

  /** Sends the waiting items in order; stops at the first that cannot reach the server. */
  async flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.flushAgain = false;
        await this.sendAll();
      } while (this.flushAgain);
    } finally {
      this.flushing = false;
    }
  }

  private async sendAll(): Promise<void> {
    const userId = this.userId;
    if (!userId) return;
    for (const item of [...this.stored]) {
      if (item.userId !== userId || this.states.get(item.clientKey)?.state === 'failed') continue;
      if (!this.stored.includes(item)) continue; // discarded meanwhile
      if (!this.online) {
        this.setItemState(item.clientKey, 'waiting', null);
        return;
      }
      this.setItemState(item.clientKey, 'sending', null);
      try {
        const { documentId, api } = this.options;
        const comment =
          item.parentId === null
            ? await api.createComment(documentId, {
                anchor: item.anchor!,
                body: item.body,
                ...(item.suggestion ? { suggestion: item.suggestion } : {}),
                clientKey: item.clientKey,
              })
            : await api.reply(documentId, item.parentId, { body: item.body, clientKey: item.clientKey });
        this.stored = this.stored.filter((i) => i.clientKey !== item.clientKey);
        this.states.delete(item.clientKey);
        writeOutbox(this.options.storage, this.options.outboxKey, this.stored);
        this.comments = mergeComment(this.comments, comment);
        this.retryMs = FIRST_RETRY_MS;
        this.emit();
      } catch (error) {
        if (isRetryable(error)) {
          this.setItemState(item.clientKey, 'waiting', null);
          this.scheduleRetry();
          return;
        }
        this.setItemState(item.clientKey, 'failed', errorText(error));
      }
    }
  }

  private enqueue(fields: Pick<OutboxItem, 'parentId' | 'anchor' | 'body' | 'suggestion'>): string {
    if (!this.userId) throw new Error('Sign in to comment');
    const clientKey = (this.options.randomKey ?? randomClientKey)();
    const item: OutboxItem = { clientKey, userId: this.userId, createdAt: (this.options.now?.() ?? new Date()).toISOString(), ...fields };
    this.stored = [...this.stored, item];
    this.states.set(clientKey, { state: this.online ? 'sending' : 'waiting', error: null });
    writeOutbox(this.options.storage, this.options.outboxKey, this.stored);
    this.emit();
    void this.flush();
    return clientKey;
  }

  private setItemState(clientKey: string, state: OutboxState, error: string | null): void {
    const current = this.states.get(clientKey);
    if (current?.state === state && current.error === error) return;
    this.states.set(clientKey, { state, error });
    this.emit();
  }

  private timer(run: () => void, ms: number): () => void {
    if (this.options.setTimer) return this.options.setTimer(run, ms);
    const id = setTimeout(run, ms);
    return () => clearTimeout(id);
  }

  private scheduleRetry(): void {
    if (this.cancelRetry || !this.started) return;
    const ms = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.cancelRetry = this.timer(() => {
      this.cancelRetry = null;
      void this.flush();
    }, ms);
  }

  private retryLoad(ms: number): void {
    this.cancelReload?.();
    const generation = this.generation;
    this.cancelReload = this.timer(() => {
      this.cancelReload = null;
      if (generation === this.generation) void this.load(generation);
    }, ms);
  }

  private async load(generation: number): Promise<void> {
    let list: CommentList;
    try {
      list = await this.options.api.listComments(this.options.documentId);
    } catch (error) {
      if (generation !== this.generation) return;
      this.status = this.status === 'ready' ? 'ready' : 'error';
      this.error = errorText(error);
      this.emit();
      if (isRetryable(error)) {
        const ms = this.reloadMs;
        this.reloadMs = Math.min(this.reloadMs * 2, MAX_RETRY_MS);
        this.retryLoad(ms);
      }
      return;
    }
    if (generation !== this.generation) return;
    let comments = this.comments;
    for (const c of list.comments) comments = mergeComment(comments, c);
    this.comments = comments;
    this.status = 'ready';
    this.error = null;
    this.reloadMs = FIRST_RETRY_MS;
    this.emit();
    this.unsubscribe?.();
    this.unsubscribe = this.options.subscribe(this.options.documentId, list.lastEventId, (event) => this.upsert(event.comment), {
      onOpen: () => {
        this.live = true;
        this.emit();
        // The server answers again: whatever waited can go.
        void this.flush();
      },
      onError: () => {
        if (!this.live) return;
        this.live = false;
        this.emit();
      },
    });
  }

  /** Reloads the list after a failure (the Retry button). */
  reload(): void {
    if (!this.started) return;
    this.reloadMs = FIRST_RETRY_MS;
    this.status = this.status === 'ready' ? 'ready' : 'loading';
    this.emit();
    this.retryLoad(0);
  }

  private build(): CommentsSnapshot {
    const comments = [...this.comments.values()].sort(compareComments);
    const outbox = this.stored
      .filter((i) => i.userId === this.userId)
      .map((i): OutboxEntry => ({ ...i, ...(this.states.get(i.clientKey) ?? { state: 'waiting', error: null }) }));
    return {
      status: this.status,
      error: this.error,
      comments,
      threads: buildThreads(comments),
      byId: this.comments,
      outbox,
      live: this.live,
      online: this.online,
    };
  }

  private emit(): void {
    this.snapshot = this.build();
    for (const l of this.listeners) l();
  }
}
