import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, type EventSourceLike, fieldIssues, subscribeComments } from './http';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(respond: (call: Call) => Response): { calls: Call[]; fetch: typeof fetch } {
  const calls: Call[] = [];
  const f = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { url: String(input), init };
    calls.push(call);
    return respond(call);
  }) as typeof fetch;
  return { calls, fetch: f };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const user = { id: 'u1', email: 'a@example.org', name: 'Amina', stakeholderGroup: 'civil-society', region: 'african' };

describe('createApiClient', () => {
  it('sends the session cookie with every request (same origin)', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { user }));
    await createApiClient({ fetch }).me();
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(calls[0]?.url).toBe('/api/me');
  });

  it('unwraps {user} for sign-in and sends the credentials as JSON', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { user }));
    expect(await createApiClient({ fetch }).logIn('a@example.org', 'secret-secret')).toEqual(user);
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.url).toBe('/api/auth/login');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ email: 'a@example.org', password: 'secret-secret' });
  });

  it('addresses members, invites and tokens with encoded ids', async () => {
    const { calls, fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    const api = createApiClient({ fetch, baseUrl: 'http://h/' });
    await api.removeMember('d 1', 'u/2');
    await api.revokeInvite('d1', 'i1');
    await api.revokeToken('t1');
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'DELETE http://h/api/documents/d%201/members/u%2F2',
      'DELETE http://h/api/documents/d1/invites/i1',
      'DELETE http://h/api/tokens/t1',
    ]);
  });

  it('lists and updates accounts as an administrator, unwrapping {users} and {user}', async () => {
    const admin = { ...user, isAdmin: false, disabled: false };
    const { calls, fetch } = fakeFetch((call) =>
      call.init.method === 'PATCH' ? json(200, { user: { ...admin, disabled: true } }) : json(200, { users: [admin] }),
    );
    const api = createApiClient({ fetch });
    expect(await api.adminListUsers()).toEqual([admin]);
    expect(await api.adminUpdateUser('u/1', { disabled: true })).toEqual({ ...admin, disabled: true });
    expect(calls.map((c) => `${c.init.method ?? 'GET'} ${c.url}`)).toEqual(['GET /api/admin/users', 'PATCH /api/admin/users/u%2F1']);
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({ disabled: true });
    expect(new Headers(calls[1]?.init.headers).get('Content-Type')).toBe('application/json');
  });

  it('reads and writes the registration setting', async () => {
    const { calls, fetch } = fakeFetch((call) =>
      json(200, call.init.method === 'PUT' ? JSON.parse(String(call.init.body)) : { registration: 'open' }),
    );
    const api = createApiClient({ fetch });
    expect(await api.getSettings()).toEqual({ registration: 'open' });
    expect(await api.updateSettings({ registration: 'invite-only' })).toEqual({ registration: 'invite-only' });
    expect(calls.map((c) => `${c.init.method ?? 'GET'} ${c.url}`)).toEqual(['GET /api/admin/settings', 'PUT /api/admin/settings']);
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({ registration: 'invite-only' });
  });

  it('rejects admin calls of a non-administrator with the 403', async () => {
    const { fetch } = fakeFetch(() => json(403, { error: { code: 'forbidden', message: 'Administrators only' } }));
    await expect(createApiClient({ fetch }).adminListUsers()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('rejects with ApiError carrying status, code and details', async () => {
    const details = [{ path: 'password', message: 'Too short' }];
    const { fetch } = fakeFetch(() => json(400, { error: { code: 'bad_request', message: 'password: Too short', details } }));
    const error = await createApiClient({ fetch })
      .signUp({ email: 'a@example.org', password: 'x', name: 'A', stakeholderGroup: 'media', region: 'other' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'bad_request', details });
    expect(fieldIssues(error)).toEqual({ password: 'Too short' });
  });

  it('keeps the status of a non-JSON error', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(createApiClient({ fetch }).listTokens()).rejects.toMatchObject({ status: 502, code: 'http_502' });
  });
});

describe('fieldIssues', () => {
  it('takes the first message per top-level field, from string or array paths', () => {
    const error = new ApiError(400, 'bad_request', 'x', [
      { path: ['email'], message: 'Invalid email' },
      { path: 'email', message: 'second' },
      { path: 'profile.name', message: 'Required' },
      { path: '', message: 'whole body' },
      'garbage',
    ]);
    expect(fieldIssues(error)).toEqual({ email: 'Invalid email', profile: 'Required' });
  });

  it('is null without usable details', () => {
    expect(fieldIssues(new ApiError(400, 'bad_request', 'x'))).toBeNull();
    expect(fieldIssues(new Error('x'))).toBeNull();
  });
});

const anchor = { type: 'range', start: 'AAE=', end: 'AAI=', quote: 'text' } as const;
const comment = { id: 'c1', documentId: 'd1', parentId: null, body: 'Hello', status: 'open' };

describe('comments', () => {
  it('lists comments with the last event id', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { comments: [comment], lastEventId: 7 }));
    expect(await createApiClient({ fetch }).listComments('d 1')).toEqual({ comments: [comment], lastEventId: 7 });
    expect(calls[0]?.url).toBe('/api/documents/d%201/comments');
  });

  it('addresses every comment action and unwraps {comment}', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { comment }));
    const api = createApiClient({ fetch });
    const results = [
      await api.createComment('d1', { anchor, body: 'Hello', suggestion: 'New text', clientKey: 'key-12345' }),
      await api.reply('d1', 'c/1', { body: 'Re', clientKey: 'key-67890' }),
      await api.editComment('d1', 'c1', { body: 'Edited', suggestion: null }),
      await api.withdrawComment('d1', 'c1'),
      await api.setDisposition('d1', 'c1', { status: 'noted', response: 'Thanks' }),
      await api.acceptSuggestion('d1', 'c1'),
      await api.acceptSuggestion('d1', 'c1', 'Applied'),
      await api.hideComment('d1', 'c1', 'Abusive'),
      await api.unhideComment('d1', 'c1'),
    ];
    expect(results.every((r) => r.id === 'c1')).toBe(true);
    expect(calls.map((c) => `${c.init.method} ${c.url} ${c.init.body ?? ''}`)).toEqual([
      `POST /api/documents/d1/comments ${JSON.stringify({ anchor, body: 'Hello', suggestion: 'New text', clientKey: 'key-12345' })}`,
      'POST /api/documents/d1/comments/c%2F1/replies {"body":"Re","clientKey":"key-67890"}',
      'PATCH /api/documents/d1/comments/c1 {"body":"Edited","suggestion":null}',
      'POST /api/documents/d1/comments/c1/withdraw ',
      'PUT /api/documents/d1/comments/c1/disposition {"status":"noted","response":"Thanks"}',
      'POST /api/documents/d1/comments/c1/accept {}',
      'POST /api/documents/d1/comments/c1/accept {"response":"Applied"}',
      'POST /api/documents/d1/comments/c1/hide {"reason":"Abusive"}',
      'POST /api/documents/d1/comments/c1/unhide ',
    ]);
  });

  it("rejects an accepted suggestion whose passage is gone with the server's message", async () => {
    const { fetch } = fakeFetch(() => json(409, { error: { code: 'comment_closed', message: 'The passage was deleted: apply it by hand' } }));
    await expect(createApiClient({ fetch }).acceptSuggestion('d1', 'c1')).rejects.toMatchObject({
      status: 409,
      code: 'comment_closed',
      message: 'The passage was deleted: apply it by hand',
    });
  });

  it('reports a failed connection as status 0, code network (the outbox keeps the comment)', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    await expect(createApiClient({ fetch }).createComment('d1', { anchor, body: 'x' })).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('sets and clears the comment period, and reads exports and participation', async () => {
    const { calls, fetch } = fakeFetch((call) =>
      call.url.includes('/export') || call.url.includes('/compendium') ? new Response('text', { status: 200 }) : json(200, { id: 'd1' }),
    );
    const api = createApiClient({ fetch });
    const period = { opensAt: '2025-06-01T08:00:00.000Z', closesAt: '2025-06-15T17:00:00.000Z' };
    await api.setCommentPeriod('d1', period);
    await api.clearCommentPeriod('d1');
    expect(await api.exportComments('d1', 'csv')).toBe('text');
    expect(await api.exportCompendium('d1', 'md')).toBe('text');
    await api.participation('d1');
    expect(calls.map((c) => `${c.init.method ?? 'GET'} ${c.url}`)).toEqual([
      'PUT /api/documents/d1/comment-period',
      'DELETE /api/documents/d1/comment-period',
      'GET /api/documents/d1/comments/export?format=csv',
      'GET /api/documents/d1/comments/compendium?format=md',
      'GET /api/documents/d1/participation',
    ]);
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual(period);
  });

  it('lists notifications and marks them read', async () => {
    const { calls, fetch } = fakeFetch((call) => (call.init.method === 'POST' ? new Response(null, { status: 204 }) : json(200, { notifications: [], unread: 0 })));
    const api = createApiClient({ fetch });
    expect(await api.listNotifications()).toEqual({ notifications: [], unread: 0 });
    await api.markNotificationRead('n/1');
    await api.markAllNotificationsRead();
    expect(calls.map((c) => `${c.init.method ?? 'GET'} ${c.url}`)).toEqual([
      'GET /api/notifications',
      'POST /api/notifications/n%2F1/read',
      'POST /api/notifications/read-all',
    ]);
  });
});

class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: EventSourceLike['onopen'] = null;
  onerror: EventSourceLike['onerror'] = null;
  closed = false;
  private readonly listeners: Array<{ type: string; listener: (event: MessageEvent<string>) => void }> = [];
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: 'comment' | 'document', listener: (event: MessageEvent<string>) => void): void {
    this.listeners.push({ type, listener });
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.call(this, new Event('open'));
  }
  emit(data: unknown, type = 'comment'): void {
    for (const l of this.listeners) {
      if (l.type === type) l.listener({ data: typeof data === 'string' ? data : JSON.stringify(data) } as MessageEvent<string>);
    }
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    this.onerror?.call(this, new Event('error'));
  }
}

describe('subscribeComments', () => {
  it('WF9: hands document events to onDocument, apart from the comment cursor', () => {
    FakeEventSource.instances = [];
    const seen: number[] = [];
    const documents: string[] = [];
    const stop = subscribeComments('d1', 0, (e) => seen.push(e.seq), {
      EventSource: FakeEventSource,
      onDocument: (d) => documents.push(d.status),
    });
    const source = FakeEventSource.instances[0]!;
    source.emit({ document: { id: 'd1', status: 'review' } }, 'document');
    source.emit('not json', 'document');
    source.emit({ nothing: true }, 'document');
    source.emit({ seq: 1, type: 'comment.created', comment }, 'comment');
    expect(documents).toEqual(['review']);
    expect(seen).toEqual([1]);
    stop();
  });

  it('passes filters of the document list as a query (WF7, WF8)', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { documents: [] }));
    const api = createApiClient({ fetch });
    await api.listDocuments();
    await api.listDocuments({ type: 'session-report', status: 'review', due: 'week' });
    expect(calls.map((c) => c.url)).toEqual(['/api/documents', '/api/documents?type=session-report&status=review&due=week']);
  });

  it('follows the events after the list, skips repeats and garbage, and reopens after the last one when the browser gives up', async () => {
    FakeEventSource.instances = [];
    const seen: number[] = [];
    let opened = 0;
    let errors = 0;
    const stop = subscribeComments('d 1', 4, (e) => seen.push(e.seq), {
      EventSource: FakeEventSource,
      retryMs: 1,
      onOpen: () => opened++,
      onError: () => errors++,
    });
    const first = FakeEventSource.instances[0]!;
    expect(first.url).toBe('/api/documents/d%201/comments/events?after=4');
    first.open();
    first.emit({ seq: 5, type: 'comment.created', comment });
    first.emit({ seq: 5, type: 'comment.created', comment });
    first.emit({ seq: 3, type: 'comment.created', comment });
    first.emit('not json');
    first.emit({ seq: 6, type: 'comment.disposed', comment });
    expect(seen).toEqual([5, 6]);
    expect(opened).toBe(1);

    // The browser reconnects by itself (CONNECTING): nothing to do.
    first.fail(0);
    expect(FakeEventSource.instances).toHaveLength(1);
    // It gave up (CLOSED): a new stream resumes after the last event.
    first.fail(2);
    expect(errors).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    const second = FakeEventSource.instances[1]!;
    expect(second.url).toBe('/api/documents/d%201/comments/events?after=6');
    second.open();
    second.emit({ seq: 7, type: 'comment.edited', comment });
    expect(seen).toEqual([5, 6, 7]);
    stop();
    expect(second.closed).toBe(true);
    second.emit({ seq: 8, type: 'comment.edited', comment });
    expect(seen).toEqual([5, 6, 7]);
  });
});
