import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningServer } from '@rapporteur/server';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { startServer, tempDataDir } from '../support/server';

// Issue 14, SPEC IM7: POST /api/documents/import on a real server over a real
// SQLite file, with DOCX and ODT files written by pandoc in the test.

let dataDir: string;
let server: RunningServer;
let person: TestUser;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-import-'));

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir);
  person = await signUp(server.url, { name: 'Importer' });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

interface Imported {
  id: string;
  title: string;
  notices: { code: string }[];
  error?: { code: string; message: string };
}

async function importFile(name: string, bytes: Uint8Array | string, type: string, token: string | null = person.token): Promise<{ status: number; body: Imported }> {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${server.url}/api/documents/import`, { method: 'POST', body: form, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as Imported };
}

async function markdownOf(id: string): Promise<string> {
  const res = await fetch(`${server.url}/api/documents/${id}/export?format=md`, { headers: { Authorization: `Bearer ${person.token}` } });
  expect(res.status).toBe(200);
  return res.text();
}

async function documentCount(): Promise<number> {
  return (await server.store.listDocuments()).length;
}

/** A file pandoc writes from Markdown (DOCX, ODT). */
function pandoc(markdown: string, to: 'docx' | 'odt'): Uint8Array {
  const input = path.join(work, 'in.md');
  const output = path.join(work, `out.${to}`);
  fs.writeFileSync(input, markdown);
  const run = spawnSync('pandoc', [input, '-o', output], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return new Uint8Array(fs.readFileSync(output));
}

const PAPER = [
  '# Meaningful access',
  '',
  '## Findings',
  '',
  'Participants called for **affordable** devices and *local* content[^1].',
  '',
  '- community networks',
  '- spectrum',
  '',
  '| Region | Share |',
  '|---|---|',
  '| Africa | 37% |',
  '',
  'See [the IGF](https://www.intgovforum.org/).',
  '',
  '[^1]: As the 2023 report noted.',
  '',
].join('\n');

describe('importing a file as a new document (SPEC IM7)', () => {
  it('DOCX: headings, marks, lists, tables, links and footnotes become the new document, owned by the caller, titled by its first heading', async () => {
    const res = await importFile('paper.docx', pandoc(PAPER, 'docx'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.status).toBe(201);
    expect(res.body.title).toBe('Meaningful access');
    const md = await markdownOf(res.body.id);
    expect(md).toContain('# Meaningful access');
    expect(md).toContain('## Findings');
    expect(md).toContain('**affordable**');
    expect(md).toMatch(/- community networks/);
    expect(md).toContain('Africa');
    expect(md).toContain('https://www.intgovforum.org/');
    expect(md).toContain('As the 2023 report noted.');
    const doc = await server.store.getDocument(res.body.id as never);
    expect(doc?.ownerId).toBe(person.user.id);
  });

  it('ODT, Markdown and HTML; an image is listed in the notices with its description', async () => {
    const odt = await importFile('paper.odt', pandoc(PAPER, 'odt'), 'application/vnd.oasis.opendocument.text');
    expect(odt.status).toBe(201);
    expect(await markdownOf(odt.body.id)).toContain('## Findings');

    const md = await importFile('notes.md', '# Session notes\n\nOne *point*.\n', 'text/markdown');
    expect(md.status).toBe(201);
    expect(md.body.title).toBe('Session notes');

    const html = await importFile('page.html', '<html><body><p>Text before.</p><p><img src="x.png" alt="A map of IXPs"></p></body></html>', 'text/html');
    expect(html.status).toBe(201);
    expect(html.body.title).toBe('page');
    expect(html.body.notices.map((n) => n.code)).toContain('images');
    expect(JSON.stringify(html.body.notices)).toContain('A map of IXPs');
  });

  it('refuses what it cannot or must not read, creating nothing', async () => {
    const before = await documentCount();
    // Named DOCX, but text inside.
    const renamed = await importFile('paper.docx', 'just some text', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect([renamed.status, renamed.body.error?.code]).toEqual([415, 'import_type_mismatch']);
    // A kind of file no one imports.
    const pdf = await importFile('paper.pdf', '%PDF-1.7', 'application/pdf');
    expect([pdf.status, pdf.body.error?.code]).toEqual([415, 'import_unsupported_format']);
    // An archive of thousands of parts (a zip bomb's shape) is refused before anything inflates it.
    const parts: Record<string, Uint8Array> = { '[Content_Types].xml': new TextEncoder().encode('<Types/>') };
    for (let i = 0; i < 3000; i++) parts[`word/part${i}.xml`] = new Uint8Array(1);
    const bomb = await importFile('bomb.docx', zipSync(parts), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect([bomb.status, bomb.body.error?.code]).toEqual([422, 'import_archive_refused']);
    // Larger than the limit: refused while reading.
    const big = await importFile('big.md', new Uint8Array(21 * 1024 * 1024).fill(0x61), 'text/markdown');
    expect([big.status, big.body.error?.code]).toEqual([413, 'payload_too_large']);
    // No file field; no session.
    const form = new FormData();
    form.append('other', 'x');
    const none = await fetch(`${server.url}/api/documents/import`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${person.token}` } });
    expect(none.status).toBe(400);
    expect((await importFile('notes.md', '# x', 'text/markdown', null)).status).toBe(401);
    expect(await documentCount()).toBe(before);
  });
});
