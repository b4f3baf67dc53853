import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, stockClient } from '../support/clients';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

const SHELL = '<!doctype html><html lang="en"><head><title>Rapporteur</title><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>';
const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-shell-'));
let server: RunningServer;
let owner: TestUser;
let commenter: TestUser;
let viewer: TestUser;
let stranger: TestUser;
let docId: string;

async function write(id: string, paragraphs: string[]): Promise<void> {
  const c = stockClient(server.collabUrl, id, owner);
  await c.synced();
  const before = await server.store.lastSeq(id as never);
  c.doc.transact(() => {
    c.doc.getXmlFragment('default').insert(
      0,
      paragraphs.map((text, i) => {
        const p = new Y.XmlElement('paragraph');
        p.setAttribute('blockId', `b${i}`);
        p.insert(0, [new Y.XmlText(text)]);
        return p;
      }),
    );
  });
  await waitFor(async () => (await server.store.lastSeq(id as never)) > before, { what: 'stored' });
  await server.rooms.whenIdle();
  c.destroy();
}

const page = (who: TestUser | null, id = docId): Promise<Response> => fetch(`${server.url}/d/${id}`, { headers: who ? { Cookie: who.cookie } : {} });

function postComment(who: TestUser | null, fields: Record<string, string>, origin: string | null = server.url): Promise<Response> {
  return fetch(`${server.url}/d/${docId}/comments`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(who ? { Cookie: who.cookie } : {}), ...(origin ? { Origin: origin } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

beforeAll(async () => {
  fs.writeFileSync(path.join(staticDir, 'index.html'), SHELL);
  server = await startServer(tempDataDir(), { staticDir });
  owner = await signUp(server.url, { name: 'Owner' });
  commenter = await signUp(server.url, { name: 'Carla <i>', stakeholderGroup: 'academia' });
  viewer = await signUp(server.url, { name: 'Victor' });
  stranger = await signUp(server.url, { name: 'Stranger' });
  docId = await createDocument(server.url, owner, 'Report <script>alert(1)</script>');
  await owner.api.setMember(docId, commenter.email, 'commenter');
  await owner.api.setMember(docId, viewer.email, 'viewer');
  await write(docId, ['Access must be affordable.', 'Markup <img src=x onerror=alert(1)> stays text.']);
});

afterAll(async () => {
  await server.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

describe('the document page without JavaScript (SPEC N1–N3)', () => {
  it('N1: a member gets the text and the comments inside the editor shell, escaped; the shell still loads the editor', async () => {
    const res = await page(viewer);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/assets/app.js"></script>');
    const root = html.slice(html.indexOf('<div id="root">'));
    expect(root).toContain('Access must be affordable.');
    expect(root).toContain('Report &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(root).toContain('Markup &lt;img src=x onerror=alert(1)&gt; stays text.');
    expect(root).not.toMatch(/<script|<img/);
    // A viewer may not comment: no comment form.
    expect(root).not.toContain('name="body"');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('the page names the editor page\'s chunks the shell does not (Vite\'s manifest), so they load while it is read; the manifest is not served', async () => {
    const manifest = {
      'index.html': { file: 'assets/app.js', isEntry: true, imports: ['_shared.js'], dynamicImports: ['src/pages/EditorPage.tsx'] },
      '_shared.js': { file: 'assets/shared.js' },
      '_editor-only.js': { file: 'assets/editor-only.js', css: ['assets/editor-only.css'] },
      'src/pages/EditorPage.tsx': { file: 'assets/EditorPage-1a2b.js', isDynamicEntry: true, imports: ['_shared.js', '_editor-only.js', 'index.html'] },
    };
    fs.mkdirSync(path.join(staticDir, '.vite'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, '.vite/manifest.json'), JSON.stringify(manifest));
    try {
      const html = await (await page(viewer)).text();
      const head = html.slice(0, html.indexOf('</head>'));
      expect(head).toContain('<link rel="modulepreload" crossorigin href="/assets/EditorPage-1a2b.js">');
      expect(head).toContain('<link rel="modulepreload" crossorigin href="/assets/shared.js">');
      expect(head).toContain('<link rel="modulepreload" crossorigin href="/assets/editor-only.js">');
      expect(head).toContain('<link rel="stylesheet" crossorigin href="/assets/editor-only.css">');
      // The shell's own entry is not named twice.
      expect(head.match(/\/assets\/app\.js/g)).toHaveLength(1);
      // Someone who may not read gets no hint of the editor's files beyond the shell's.
      expect(await (await page(null)).text()).not.toContain('EditorPage');
      // (What answers is the app shell, as for any path the server does not know.)
      expect(await (await fetch(`${server.url}/.vite/manifest.json`)).text()).not.toContain('isDynamicEntry');
    } finally {
      fs.rmSync(path.join(staticDir, '.vite'), { recursive: true, force: true });
    }
    // Without a manifest (a build without one), the page is the shell as it was.
    expect(await (await page(viewer)).text()).not.toContain('modulepreload');
  });

  it('N1: someone not signed in gets only a sign-in form; a signed-in stranger only the shell — nothing of the document either way', async () => {
    for (const who of [null, stranger]) {
      const html = await (await page(who)).text();
      expect(html).not.toContain('affordable');
      expect(html).not.toContain('Report &lt;script');
      expect(html.includes('name="password"')).toBe(who === null);
    }
    // The same answer for a document that does not exist.
    const missing = await (await page(null, 'AAAAAAAAAAAAAAAAAAAAAA')).text();
    expect(missing).toContain('name="password"');
  });

  it('N2: a commenter posts a comment with the form: the same command as the API, attributed by the server, whatever the form says', async () => {
    const res = await postComment(commenter, { blockId: 'b0', body: 'Affordable for whom?', author: owner.user.id, stakeholderGroup: 'government' } as Record<string, string>);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^/d/${docId}\\?posted=1#comment-`));
    const { comments } = (await (await fetch(`${server.url}/api/documents/${docId}/comments`, { headers: { Authorization: `Bearer ${owner.token}` } })).json()) as {
      comments: Array<{ body: string; author: { id: string; stakeholderGroup: string }; anchor: { type: string; blockId: string; quote: string } }>;
    };
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({
      body: 'Affordable for whom?',
      author: { id: commenter.user.id, stakeholderGroup: 'academia' },
      anchor: { type: 'block', blockId: 'b0', quote: 'Access must be affordable.' },
    });
    // It shows on the page, the author's name escaped.
    const html = await (await page(viewer)).text();
    expect(html).toContain('Carla &lt;i&gt; · Academia');
    expect(html).toContain('Affordable for whom?');
  });

  it('N2: a cross-site form, a viewer, someone signed out, an unknown paragraph and an empty comment are refused, and nothing is written', async () => {
    const count = async (): Promise<number> =>
      ((await (await fetch(`${server.url}/api/documents/${docId}/comments`, { headers: { Authorization: `Bearer ${owner.token}` } })).json()) as { comments: unknown[] }).comments.length;
    const before = await count();
    expect((await postComment(commenter, { blockId: 'b0', body: 'From elsewhere' }, 'https://evil.example')).status).toBe(403);
    expect((await postComment(viewer, { blockId: 'b0', body: 'A viewer' })).status).toBe(403);
    expect((await postComment(null, { blockId: 'b0', body: 'Nobody' })).status).toBe(401);
    expect((await postComment(commenter, { blockId: 'nope', body: 'Where?' })).status).toBe(400);
    expect((await postComment(commenter, { blockId: 'b0', body: '   ' })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('N4: the text is rendered once per state of the document: every reader of that state gets it, an edit shows on the next read', async () => {
    const id = await createDocument(server.url, owner, 'Session report');
    await owner.api.setMember(id, viewer.email, 'viewer');
    await write(id, ['First draft of the key messages.']);
    const root = async (who: TestUser): Promise<string> => {
      const html = await (await page(who, id)).text();
      return html.slice(html.indexOf('<div id="root">'));
    };
    expect(await root(owner)).toContain('First draft of the key messages.');
    // Another reader of the same state: the same text (and the owner's form is not part of what is kept).
    const asViewer = await root(viewer);
    expect(asViewer).toContain('First draft of the key messages.');
    expect(asViewer).not.toContain('name="body"');
    // The owner may comment: the form lists the paragraphs, from the same render.
    expect(await root(owner)).toContain('<option value="b0">First draft of the key messages.</option>');
    // An edit moves the seq: the next read renders again.
    const c = stockClient(server.collabUrl, id, owner);
    await c.synced();
    const before = await server.store.lastSeq(id as never);
    const text = (c.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, 'Agreed: ');
    await waitFor(async () => (await server.store.lastSeq(id as never)) > before, { what: 'edit stored' });
    await server.rooms.whenIdle();
    c.destroy();
    for (const who of [viewer, owner]) {
      const html = await root(who);
      expect(html).toContain('Agreed: First draft of the key messages.');
    }
    expect(await root(owner)).toContain('<option value="b0">Agreed: First draft of the key messages.</option>');
  });

  it('N3: the page of a 20-page report weighs at most 30 KB compressed', async () => {
    const id = await createDocument(server.url, owner, 'Background paper');
    const paragraphs = Array.from(
      { length: 120 },
      (_, i) =>
        `Paragraph ${i}: participants from governments, civil society, the private sector and the technical community discussed how meaningful access, affordable connectivity and digital skills could be advanced together, noting that local content, languages and trust in online services remain decisive for whether people benefit from being connected.`,
    );
    await write(id, paragraphs);
    const res = await fetch(`${server.url}/d/${id}`, { headers: { Cookie: owner.cookie } });
    const html = await res.text();
    expect(html.length).toBeGreaterThan(40_000);
    const brotli = zlib.brotliCompressSync(Buffer.from(html)).length;
    expect(brotli).toBeLessThanOrEqual(30 * 1024);
  });
});
