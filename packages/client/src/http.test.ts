import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, fieldIssues } from './http';

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
