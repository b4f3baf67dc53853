import { ApiError, type CommentList, type NewComment, type NewReply } from '@rapporteur/client/http';
import type { CommentEvent, CommentView } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { buildThreads, CommentsStore, mergeComment, randomClientKey, readOutbox, type SubscribeComments } from './store';

const anchor = { type: 'range', start: 'AAE=', end: 'AAI=', quote: 'passage' } as const;

function view(id: string, patch: Partial<CommentView> = {}): CommentView {
  return {
    id,
    documentId: 'd1',
    parentId: null,
    author: { id: 'u1', name: 'Amina', organisation: null, stakeholderGroup: 'civil-society', region: 'african' },
    anchor,
    body: `body of ${id}`,
    suggestion: null,
    status: 'open',
    response: null,
    disposedBy: null,
    disposedAt: null,
    hidden: null,
    createdAt: '2025-06-01T10:00:00.000Z',
    updatedAt: '2025-06-01T10:00:00.000Z',
    editedAt: null,
    ...patch,
  };
}

function memoryStorage() {
  const map = new Map<string, string>();
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

interface Sent {
  kind: 'comment' | 'reply';
  parentId?: string;
  input: NewComment | NewReply;
}

/** A fake API and event stream; `answer` decides what each POST does. */
function harness(
  options: {
    answer?: (sent: Sent, n: number) => CommentView | Error;
    list?: CommentView[];
    listComments?: () => Promise<CommentList>;
    online?: boolean;
    storage?: ReturnType<typeof memoryStorage>;
  } = {},
) {
  const sent: Sent[] = [];
  const streams: Array<{ after: number; onEvent: (e: CommentEvent) => void; onOpen: () => void; onError: () => void; closed: boolean }> = [];
  const timers: Array<{ run: () => void; ms: number }> = [];
  let keys = 0;
  let created = 0;
  const answer = options.answer ?? ((s: Sent) => view(`c${++created}`, { body: s.input.body, parentId: s.parentId ?? null }));
  const respond = async (s: Sent) => {
    sent.push(s);
    const result = answer(s, sent.length);
    if (result instanceof Error) throw result;
    return result;
  };
  const subscribe: SubscribeComments = (_id, after, onEvent, { onOpen, onError }) => {
    const stream = { after, onEvent, onOpen, onError, closed: false };
    streams.push(stream);
    return () => (stream.closed = true);
  };
  const storage = options.storage ?? memoryStorage();
  const store = new CommentsStore({
    documentId: 'd1',
    api: {
      listComments: options.listComments ?? (async () => ({ comments: options.list ?? [], lastEventId: 3 })),
      createComment: (_d, input) => respond({ kind: 'comment', input }),
      reply: (_d, parentId, input) => respond({ kind: 'reply', parentId, input }),
    },
    subscribe,
    storage,
    outboxKey: 'outbox:d1',
    online: options.online ?? true,
    randomKey: () => `client-key-${++keys}`,
    now: () => new Date('2025-06-01T12:00:00.000Z'),
    setTimer: (run, ms) => {
      const t = { run, ms };
      timers.push(t);
      return () => timers.splice(timers.indexOf(t), 1);
    },
  });
  return { store, sent, streams, timers, storage };
}

describe('merging comments', () => {
  it('replaces a comment by id unless what is there is newer', () => {
    let map = mergeComment(new Map(), view('a', { status: 'open' }));
    map = mergeComment(map, view('a', { status: 'noted', updatedAt: '2025-06-01T11:00:00.000Z' }));
    expect(map.get('a')?.status).toBe('noted');
    // A slower answer carrying the older state does not undo it.
    const same = mergeComment(map, view('a', { status: 'open' }));
    expect(same).toBe(map);
    expect(mergeComment(map, view('a', { status: 'noted', updatedAt: '2025-06-01T11:00:00.000Z' }))).toBe(map);
  });

  it('groups replies under their thread, both oldest first, and leaves out orphans', () => {
    const threads = buildThreads([
      view('t1'),
      view('t2', { createdAt: '2025-06-01T10:01:00.000Z' }),
      view('r1', { parentId: 't1', anchor: null }),
      view('r2', { parentId: 't1', anchor: null }),
      view('r3', { parentId: 'gone', anchor: null }),
    ]);
    expect(threads.map((t) => [t.comment.id, t.replies.map((r) => r.id)])).toEqual([
      ['t1', ['r1', 'r2']],
      ['t2', []],
    ]);
  });

  it('makes client keys the API accepts', () => {
    const keys = new Set(Array.from({ length: 50 }, randomClientKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{8,100}$/);
  });
});

describe('CommentsStore', () => {
  it('loads the list, follows events after it, and orders by time', async () => {
    const { store, streams } = harness({ list: [view('b', { createdAt: '2025-06-01T10:05:00.000Z' })] });
    store.setUser('u1');
    expect(store.getSnapshot().status).toBe('loading');
    store.start();
    await tick();
    expect(store.getSnapshot().status).toBe('ready');
    expect(streams[0]?.after).toBe(3);
    streams[0]!.onOpen();
    expect(store.getSnapshot().live).toBe(true);
    streams[0]!.onEvent({ seq: 4, type: 'comment.created', comment: view('a') });
    streams[0]!.onEvent({ seq: 5, type: 'comment.disposed', comment: view('b', { createdAt: '2025-06-01T10:05:00.000Z', status: 'accepted', updatedAt: '2025-06-01T11:00:00.000Z' }) });
    const snapshot = store.getSnapshot();
    expect(snapshot.comments.map((c) => `${c.id}:${c.status}`)).toEqual(['a:open', 'b:accepted']);
    expect(snapshot.byId.get('b')?.status).toBe('accepted');
    store.stop();
    expect(streams[0]?.closed).toBe(true);
  });

  it('notifies subscribers with a new snapshot only when something changed', async () => {
    const { store, streams } = harness();
    store.setUser('u1');
    store.start();
    await tick();
    let calls = 0;
    store.subscribe(() => calls++);
    const before = store.getSnapshot();
    streams[0]!.onEvent({ seq: 4, type: 'comment.created', comment: view('a') });
    expect(calls).toBe(1);
    expect(store.getSnapshot()).not.toBe(before);
    store.upsert(view('a'));
    expect(calls).toBe(1);
  });

  it('keeps comments written offline in storage, shows them as waiting, and sends them in order with their keys when back online', async () => {
    const { store, sent, storage } = harness({ online: false });
    store.setUser('u1');
    store.start();
    const first = store.addComment({ anchor, body: 'First, offline', suggestion: 'New words' });
    const second = store.addComment({ anchor, body: 'Second, offline' });
    await tick();
    expect(sent).toHaveLength(0);
    expect(store.getSnapshot().outbox.map((e) => [e.clientKey, e.state])).toEqual([
      [first, 'waiting'],
      [second, 'waiting'],
    ]);
    expect(readOutbox(storage, 'outbox:d1').map((i) => i.body)).toEqual(['First, offline', 'Second, offline']);

    store.setOnline(true);
    await tick();
    await tick();
    expect(sent.map((s) => [s.input.body, s.input.clientKey])).toEqual([
      ['First, offline', first],
      ['Second, offline', second],
    ]);
    expect((sent[0]!.input as NewComment).suggestion).toBe('New words');
    expect(store.getSnapshot().outbox).toEqual([]);
    expect(storage.map.has('outbox:d1')).toBe(false);
    expect(store.getSnapshot().comments.map((c) => c.body)).toEqual(['First, offline', 'Second, offline']);
  });

  it('queues a comment whose sending failed for want of a connection, and resends it with the same key', async () => {
    const { store, sent, timers } = harness({
      answer: (s, n) => (n === 1 ? new ApiError(0, 'network', 'Failed to fetch') : view('c1', { body: s.input.body })),
    });
    store.setUser('u1');
    store.start();
    await tick();
    const key = store.addComment({ anchor, body: 'Lost on the way' });
    await tick();
    expect(store.getSnapshot().outbox.map((e) => e.state)).toEqual(['waiting']);
    expect(timers).toHaveLength(1);
    timers[0]!.run();
    await tick();
    expect(sent.map((s) => s.input.clientKey)).toEqual([key, key]);
    expect(store.getSnapshot().outbox).toEqual([]);
    expect(store.getSnapshot().comments).toHaveLength(1);
  });

  it('sends what waits as soon as the event stream reconnects', async () => {
    const { store, sent, streams } = harness({
      answer: (s, n) => (n === 1 ? new ApiError(503, 'http_503', 'Unavailable') : view('c1', { body: s.input.body })),
    });
    store.setUser('u1');
    store.start();
    await tick();
    store.addComment({ anchor, body: 'x' });
    await tick();
    expect(store.getSnapshot().outbox[0]?.state).toBe('waiting');
    streams[0]!.onOpen();
    await tick();
    expect(sent).toHaveLength(2);
    expect(store.getSnapshot().outbox).toEqual([]);
  });

  it('shows a refused comment with the reason, goes on with the next, and can retry or discard it', async () => {
    let refuse = true;
    const { store, sent, storage } = harness({
      answer: (s) =>
        refuse && s.input.body === 'Late'
          ? new ApiError(403, 'comment_period_closed', 'The comment period closed on Sun, 15 Jun 2025 17:00:00 GMT')
          : view(`c-${s.input.body}`, { body: s.input.body, parentId: s.parentId ?? null }),
    });
    store.setUser('u1');
    store.start();
    await tick();
    const late = store.addComment({ anchor, body: 'Late' });
    store.addReply('t1', 'Reply after it');
    await tick();
    await tick();
    const outbox = store.getSnapshot().outbox;
    expect(outbox.map((e) => [e.body, e.state, e.error])).toEqual([['Late', 'failed', 'The comment period closed on Sun, 15 Jun 2025 17:00:00 GMT']]);
    expect(sent.map((s) => s.kind)).toEqual(['comment', 'reply']);
    expect(sent[1]?.parentId).toBe('t1');

    refuse = false;
    store.retry(late);
    await tick();
    expect(store.getSnapshot().outbox).toEqual([]);

    refuse = true;
    const again = store.addComment({ anchor, body: 'Late' });
    await tick();
    store.discard(again);
    expect(store.getSnapshot().outbox).toEqual([]);
    expect(readOutbox(storage, 'outbox:d1')).toEqual([]);
  });

  it("survives a reload, and sends only the signed-in account's own items", async () => {
    const storage = memoryStorage();
    const before = harness({ online: false, storage });
    before.store.setUser('u1');
    before.store.addComment({ anchor, body: 'Written by u1' });
    before.store.setUser('u2');
    before.store.addComment({ anchor, body: 'Written by u2' });

    const after = harness({ storage });
    after.store.setUser('u2');
    after.store.start();
    await tick();
    await tick();
    expect(after.sent.map((s) => s.input.body)).toEqual(['Written by u2']);
    expect(after.store.getSnapshot().outbox).toEqual([]);
    expect(readOutbox(storage, 'outbox:d1').map((i) => i.body)).toEqual(['Written by u1']);
  });

  it('drops unreadable outbox entries instead of failing', () => {
    const storage = memoryStorage();
    storage.setItem('k', JSON.stringify([{ clientKey: 'short' }, 'junk', { clientKey: 'good-key-1', userId: 'u', parentId: 't', anchor: null, body: 'b', suggestion: null, createdAt: 'x' }]));
    expect(readOutbox(storage, 'k').map((i) => i.clientKey)).toEqual(['good-key-1']);
    storage.setItem('k', '{not json');
    expect(readOutbox(storage, 'k')).toEqual([]);
  });

  it('retries the first list when it fails, and at once when the browser is back online', async () => {
    let fail = true;
    const { store, timers } = harness({
      listComments: async () => {
        if (fail) throw new ApiError(0, 'network', 'Failed to fetch');
        return { comments: [view('a')], lastEventId: 1 };
      },
    });
    store.setUser('u1');
    store.start();
    await tick();
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: 'Failed to fetch' });
    expect(timers.map((t) => t.ms)).toEqual([2000]);
    store.setOnline(false);
    fail = false;
    store.setOnline(true);
    timers.at(-1)!.run();
    await tick();
    expect(store.getSnapshot().status).toBe('ready');
    expect(store.getSnapshot().comments.map((c) => c.id)).toEqual(['a']);
  });
});
