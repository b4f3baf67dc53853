import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { ARABIC, fillReport } from '../support/report';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// Issue 10: numbered, frozen, citable publications (SPEC PUB1–PUB6).
type Who = 'alice' | 'bob' | 'carol' | 'stranger';

const clock = new ManualClock();
let dataDir: string;
let work: string;
let server: RunningServer;
const people = {} as Record<Who, TestUser>;
let docId: string;
let client: StockClient;

const FORMATS = ['html', 'md', 'docx', 'odt', 'pdf'] as const;
const WORDING = 'Views diverged on this passage: no single position had strong support.';

beforeAll(async () => {
  clock.advance(Date.parse('2026-06-26T09:00:00Z') - clock.now());
  dataDir = tempDataDir();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-publications-'));
  server = await startServer(dataDir, {}, { clock });
  people.alice = await signUp(server.url, { name: 'Amina Diallo' });
  people.bob = await signUp(server.url, { name: 'Bo Lindqvist' });
  people.carol = await signUp(server.url, { name: 'Carol Viewer' });
  people.stranger = await signUp(server.url, { name: 'Stranger' });
  docId = await createDocument(server.url, people.alice, 'IGF 2026 session report');
  await people.alice.api.setMember(docId, people.bob.email, 'editor');
  await people.alice.api.setMember(docId, people.carol.email, 'viewer');
  client = stockClient(server.collabUrl, docId, people.alice);
  await client.synced();
  await edit(() => fillReport(client.doc.getXmlFragment('default')));
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

async function edit(change: () => void): Promise<void> {
  const before = await server.store.lastSeq(docId as never);
  client.doc.transact(change);
  await waitFor(async () => (await server.store.lastSeq(docId as never)) > before, { what: 'edit stored' });
  await server.rooms.whenIdle();
}

/** GET a publication's address as `who` (null: no sign-in). */
function open(number: number, who: Who | null, format?: string): Promise<Response> {
  const url = `${server.url}/p/${docId}/${number}${format ? `?format=${format}` : ''}`;
  return fetch(url, who ? { headers: { Authorization: `Bearer ${people[who].token}` } } : {});
}

async function bytes(number: number, format: string, who: Who | null = null): Promise<Buffer> {
  const res = await open(number, who, format);
  expect(res.status, `${format} of ${number}`).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

function readBack(buffer: Buffer, format: 'docx' | 'odt' | 'pdf'): string {
  const file = path.join(work, `read.${format}`);
  fs.writeFileSync(file, buffer);
  const out =
    format === 'pdf'
      ? execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
      : execFileSync('pandoc', [`--from=${format}`, '--to=plain', '--wrap=none', '--standalone', file], { encoding: 'utf8' });
  return out.replace(/\s+/g, ' ');
}

const frozen: Record<string, Buffer> = {};
let firstPage = '';

describe('publications (SPEC PUB1–PUB6)', () => {
  it('PUB1: an owner publishes; publications are numbered per document, freeze a named version, are audited and make the document published', async () => {
    clock.advance(60_000);
    const first = await people.alice.api.publish(docId, { public: true, note: 'Adopted at the closing session.' });
    expect(first).toMatchObject({ number: 1, url: `/p/${docId}/1`, public: true, corrects: null, withdrawn: null, publishedAt: '2026-06-26T09:01:00.000Z' });
    const versions = await people.alice.api.listVersions(docId);
    expect(versions.find((v) => v.id === first.versionId)).toMatchObject({ name: 'Publication 1', kind: 'named' });
    const audit = await people.alice.api.audit(docId);
    expect(audit.find((e) => e.action === 'publication.published')).toMatchObject({ details: { number: 1, versionId: first.versionId, public: true } });
    expect(audit.find((e) => e.action === 'status.changed')).toMatchObject({ details: { to: 'published', publication: 1 } });
    expect((await people.alice.api.getDocument(docId)).status).toBe('published');
    // Editors and strangers may not publish; a stranger is not told the document exists.
    await expect(people.bob.api.publish(docId)).rejects.toMatchObject({ status: 403 });
    await expect(people.stranger.api.publish(docId)).rejects.toMatchObject({ status: 404 });
    const second = await people.alice.api.publish(docId, { public: false });
    expect(second.number).toBe(2);
  });

  it('PUB2: the page works without JavaScript: title, number and date, the text with its marker, downloads and the other publications; every stored format reads back', async () => {
    const res = await open(1, null);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    const html = await res.text();
    firstPage = html;
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<h1>IGF 2026 session report<\/h1>/);
    expect(html).toContain('Publication 1');
    expect(html).toContain('26 June 2026');
    expect(html).toContain(WORDING);
    expect(html).toContain('Note: Adopted at the closing session.');
    expect(html).toContain(`<p dir="rtl">${ARABIC}</p>`);
    expect(html).toContain(`href="/p/${docId}/1?format=pdf"`);
    // Publication 2 is for members only: the public's page does not list it.
    expect(html).not.toContain(`href="/p/${docId}/2"`);
    for (const format of FORMATS) frozen[format] = await bytes(1, format);
    expect(frozen.md!.toString()).toContain('version: "Publication 1"');
    for (const format of ['docx', 'odt', 'pdf'] as const) {
      const text = readBack(frozen[format]!, format);
      expect(text, format).toContain('IGF 2026 session report');
      expect(text, format).toContain('Publication 1');
      expect(text, format).toContain(WORDING);
      expect(text, format).toContain('Adopted at the closing session.');
    }
  });

  it('PUB4: a publication never changes: after edits and a new title its files are the same bytes and its page the same text', async () => {
    await edit(() => {
      const body = client.doc.getXmlFragment('default');
      const heading = body.get(0) as Y.XmlElement;
      (heading.get(0) as Y.XmlText).insert(0, 'REVISED ');
    });
    await people.alice.api.renameDocument(docId, 'Renamed after publishing');
    expect(await people.alice.api.exportDocument(docId, 'md')).toContain('REVISED Key takeaways');
    for (const format of FORMATS) expect((await bytes(1, format)).equals(frozen[format]!), format).toBe(true);
    const html = await (await open(1, null)).text();
    expect(html).not.toContain('REVISED');
    expect(html).toContain('<h1>IGF 2026 session report</h1>');
    const main = (page: string) => page.slice(page.indexOf('<main>'), page.indexOf('</main>'));
    expect(main(html)).toBe(main(firstPage));
    // The version it froze still says what was published.
    const published = (await people.alice.api.listPublications(docId))[0]!;
    expect(await people.alice.api.exportVersion(docId, published.versionId, 'md')).not.toContain('REVISED');
  });

  it('PUB3: a members-only publication is 404 to the public and to signed-in strangers, and readable by members', async () => {
    expect((await open(2, null)).status).toBe(404);
    expect((await open(2, null, 'pdf')).status).toBe(404);
    expect((await open(2, 'stranger')).status).toBe(404);
    expect((await open(2, 'stranger', 'docx')).status).toBe(404);
    expect((await open(2, 'carol')).status).toBe(200);
    expect((await open(2, 'carol', 'docx')).status).toBe(200);
    // Same answer as an address with no publication at all.
    expect((await open(99, null)).status).toBe(404);
    expect((await people.carol.api.listPublications(docId)).map((p) => p.number)).toEqual([1, 2]);
  });

  it('PUB5: an erratum names the publication it corrects, and the corrected page links to it', async () => {
    await expect(people.alice.api.publish(docId, { corrects: 42 })).rejects.toMatchObject({ status: 400, code: 'bad_request' });
    const erratum = await people.alice.api.publish(docId, { public: true, corrects: 1 });
    expect(erratum).toMatchObject({ number: 3, corrects: 1 });
    const firstNow = await (await open(1, null)).text();
    expect(firstNow).toContain(`This publication was corrected by <a href="/p/${docId}/3">Publication 3</a>.`);
    const third = await (await open(3, null)).text();
    expect(third).toContain('This publication is an erratum: it corrects publication 1.');
    expect(third).toContain(`<a href="/p/${docId}/1">Publication 1</a>`);
    expect(third).toContain('REVISED Key takeaways');
    expect((await people.alice.api.listPublications(docId)).find((p) => p.number === 1)?.correctedBy).toEqual([3]);
  });

  it('PUB5: an owner withdraws a publication with a reason; the page says so, its files stay, it cannot be withdrawn twice', async () => {
    await expect(people.bob.api.withdrawPublication(docId, 3, 'No')).rejects.toMatchObject({ status: 403 });
    clock.advance(24 * 60 * 60 * 1000);
    const withdrawn = await people.alice.api.withdrawPublication(docId, 3, 'Published by mistake');
    expect(withdrawn.withdrawn).toEqual({ at: '2026-06-27T09:01:00.000Z', reason: 'Published by mistake' });
    const page = await (await open(3, null)).text();
    expect(page).toContain('This publication was withdrawn on 27 June 2026.');
    expect(page).toContain('Reason: Published by mistake');
    expect((await open(3, null, 'pdf')).status).toBe(200);
    await expect(people.alice.api.withdrawPublication(docId, 3, 'Again')).rejects.toMatchObject({ status: 409, code: 'publication_withdrawn' });
    const audit = await people.alice.api.audit(docId);
    expect(audit.find((e) => e.action === 'publication.withdrawn')).toMatchObject({ actor: { id: people.alice.user.id }, details: { number: 3, reason: 'Published by mistake' } });
  });
});

describe('publications with the disposition of comments (SPEC PUB2, PUB4)', () => {
  it('PUB2: a publication can carry the disposition-of-comments table, in its page and its files', async () => {
    await people.alice.api.createComment(docId, { anchor: rangeAnchor(), body: 'Please name the platforms concerned.' });
    const p = await people.alice.api.publish(docId, { public: true, includeDispositions: true });
    expect(p.includeDispositions).toBe(true);
    const page = await (await open(p.number, null)).text();
    expect(page).toContain('<h2 id="appendix-title">Disposition of comments</h2>');
    expect(page).toMatch(/<th scope="col">Comment<\/th>/);
    expect(page).toContain('Please name the platforms concerned.');
    expect((await bytes(p.number, 'md')).toString()).toContain('| Please name the platforms concerned. |');
    expect(readBack(await bytes(p.number, 'docx'), 'docx')).toContain('Please name the platforms concerned.');
  });
});

function rangeAnchor() {
  const doc = new Y.Doc();
  const text = new Y.XmlText('the passage');
  doc.getXmlFragment('default').insert(0, [text]);
  const pos = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i))).toString('base64');
  return { type: 'range' as const, start: pos(0), end: pos(11), quote: 'the passage' };
}

describe('publishing without an engine (SPEC PUB6)', () => {
  it('PUB6: a server missing an export engine refuses to publish with 501 and stores nothing', async () => {
    const dir = tempDataDir();
    const other = await startServer(dir, { export: { pandocPath: '/nonexistent/pandoc', chromiumPath: 'chromium', limits: { timeoutMs: 30_000, maxBytes: 1 << 26, concurrency: 1 } } });
    try {
      const owner = await signUp(other.url);
      const id = await createDocument(other.url, owner, 'No pandoc here');
      await expect(owner.api.publish(id, { public: true })).rejects.toMatchObject({ status: 501, code: 'export_engine_missing' });
      expect(await owner.api.listPublications(id)).toEqual([]);
      expect(await owner.api.listVersions(id)).toEqual([]);
      expect((await fetch(`${other.url}/p/${id}/1`)).status).toBe(404);
    } finally {
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
