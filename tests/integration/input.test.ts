import fs from 'node:fs';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument } from '../support/clients';
import { startServer, tempDataDir } from '../support/server';
import { openSse } from '../support/sse';

// Bad input gets a clear error and changes nothing (issue 7, "Input
// hygiene"): bodies must be JSON, text must be text, stream cursors must be
// event ids.
let dataDir: string;
let server: RunningServer;
let owner: TestUser;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir);
  owner = await signUp(server.url, { name: 'Owner' });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const auth = () => ({ Authorization: `Bearer ${owner.token}` });
const titles = async () => (await owner.api.listDocuments()).map((d) => d.title);

describe('request bodies are JSON', () => {
  it.each([
    ['text/plain', 'title=Hello'],
    ['application/xml', '<doc><title>Hello</title></doc>'],
    ['application/x-www-form-urlencoded', 'title=Hello'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nHello\r\n--x--\r\n'],
  ])('refuses %s with 415 and creates nothing', async (type, body) => {
    const before = await titles();
    const res = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: { ...auth(), 'Content-Type': type }, body });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type', message: expect.stringMatching(/JSON/) } });
    expect(await titles()).toEqual(before);
  });

  it('refuses a body with no Content-Type', async () => {
    const res = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: auth(), body: new Uint8Array([123, 125]) });
    expect(res.status).toBe(415);
  });

  it('accepts JSON (with a charset) and body-less commands', async () => {
    const res = await fetch(`${server.url}/api/documents`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ title: 'JSON' }),
    });
    expect(res.status).toBe(201);
    // No body at all: the title defaults.
    expect((await fetch(`${server.url}/api/documents`, { method: 'POST', headers: auth() })).status).toBe(201);
    const id = await createDocument(server.url, owner);
    expect((await fetch(`${server.url}/api/documents/${id}/comment-period`, { method: 'DELETE', headers: auth() })).status).toBe(200);
  });
});

describe('text is text', () => {
  const post = (body: unknown) =>
    fetch(`${server.url}/api/documents`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it.each([
    ['a NUL byte', 'Report\u0000hidden'],
    ['a line break', 'Report\nsecond line'],
    ['an escape character', 'Report\u001b[31m'],
    ['a lone high surrogate', 'Report \ud83d'],
    ['a lone low surrogate', '\ude00 Report'],
  ])('refuses a title with %s and stores nothing', async (_what, title) => {
    const before = await titles();
    const res = await post({ title });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringMatching(/^title: /) } });
    expect(await titles()).toEqual(before);
  });

  it('stores titles and names in NFC', async () => {
    const decomposed = 'Re\u0301sume\u0301 de se\u0301ance';
    const res = await post({ title: decomposed });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { title: string }).title).toBe('Résumé de séance');
    const profile = await fetch(`${server.url}/api/me`, {
      method: 'PATCH',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Ame\u0301lie', organisation: 'Soci\u00e9te\u0301' }),
    });
    expect(await profile.json()).toMatchObject({ user: { name: 'Amélie', organisation: 'Société' } });
    // Emoji (paired surrogates) are text.
    expect((await post({ title: 'Outcome 🌍' })).status).toBe(201);
  });

  it('refuses names with a NUL byte and comments with one, but keeps line breaks in comments', async () => {
    const name = await fetch(`${server.url}/api/me`, {
      method: 'PATCH',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Eve\u0000Admin' }),
    });
    expect(name.status).toBe(400);
    const id = await createDocument(server.url, owner);
    const anchor = blockAnchor();
    await expect(owner.api.createComment(id, { anchor, body: 'nul\u0000' })).rejects.toMatchObject({ status: 400 });
    const ok = await owner.api.createComment(id, { anchor, body: 'first line\nsecond line' });
    expect(ok.body).toBe('first line\nsecond line');
  });
});

describe('event stream cursors', () => {
  it.each([
    ['Last-Event-ID', 'abc'],
    ['Last-Event-ID', '-1'],
    ['Last-Event-ID', '1.5'],
    ['Last-Event-ID', '99999999999999999999'],
    ['after', 'abc'],
    ['after', ''],
  ])('answers 400 to a malformed %s (%j)', async (where, value) => {
    const id = await createDocument(server.url, owner);
    const url = `${server.url}/api/documents/${id}/comments/events${where === 'after' ? `?after=${encodeURIComponent(value)}` : ''}`;
    const stream = await openSse(url, { ...auth(), ...(where === 'after' ? {} : { 'Last-Event-ID': value }) });
    stream.close();
    expect(stream.status).toBe(400);
  });

  it('refuses a repeated ?after= and resumes from a good one', async () => {
    const id = await createDocument(server.url, owner);
    await owner.api.createComment(id, { anchor: blockAnchor(), body: 'one' });
    await owner.api.createComment(id, { anchor: blockAnchor(), body: 'two' });
    const twice = await openSse(`${server.url}/api/documents/${id}/comments/events?after=0&after=1`, auth());
    twice.close();
    expect(twice.status).toBe(400);
    const good = await openSse(`${server.url}/api/documents/${id}/comments/events?after=1`, auth());
    try {
      await expect.poll(() => good.events.length).toBe(1);
      expect(JSON.parse(good.events[0]!.data)).toMatchObject({ seq: 2, comment: { body: 'two' } });
    } finally {
      good.close();
    }
  });
});

function blockAnchor() {
  return { type: 'block' as const, blockId: 'b1', quote: 'the passage' };
}

