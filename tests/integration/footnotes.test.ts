import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningServer } from '@rapporteur/server';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// Issue 14: footnotes in every export, read back with real readers — pandoc
// for DOCX and ODT, pdftotext for PDF — on the reading page and in
// publications (SPEC FN1–FN3).

const clock = new ManualClock();
const SHELL = '<!doctype html><html lang="en"><head><title>Rapporteur</title></head><body><div id="root"></div></body></html>';
let dataDir: string;
let staticDir: string;
let work: string;
let server: RunningServer;
let alice: TestUser;
let docId: string;
let client: StockClient;

const FIRST = 'See the report of the Multistakeholder Advisory Group, 2025.';
const SECOND = 'Three governments asked for this to be recorded.';
const THIRD = 'Figures from the host country secretariat.';

const el = (type: string, children: Array<Y.XmlElement | Y.XmlText>, attrs: Record<string, unknown> = {}): Y.XmlElement => {
  const e = new Y.XmlElement(type);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v as never);
  e.insert(0, children);
  return e;
};
const text = (s: string, format?: Record<string, unknown>): Y.XmlText => {
  const t = new Y.XmlText();
  t.insert(0, s, format);
  return t;
};
const footnote = (s: string): Y.XmlElement => el('footnote', [text(s)]);

beforeAll(async () => {
  clock.advance(Date.parse('2026-11-20T10:00:00Z') - clock.now());
  dataDir = tempDataDir();
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-shell-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), SHELL);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-footnotes-'));
  server = await startServer(dataDir, { staticDir }, { clock });
  alice = await signUp(server.url, { name: 'Amina Diallo' });
  docId = await createDocument(server.url, alice, 'Chair’s summary');
  client = stockClient(server.collabUrl, docId, alice);
  await client.synced();
  await edit((body) =>
    body.insert(0, [
      el('heading', [text('Main messages')], { level: 2 }),
      el('paragraph', [text('Participants stressed meaningful access'), footnote(FIRST), text(' and affordable devices.')], { blockId: 'p1' }),
      el('paragraph', [text('Some called for binding rules'), footnote(SECOND), text('.')], { blockId: 'p2' }),
      el('table', [
        el('tableRow', [el('tableHeader', [el('paragraph', [text('Group')])]), el('tableHeader', [el('paragraph', [text('Participants')])])]),
        el('tableRow', [el('tableCell', [el('paragraph', [text('Civil society'), footnote(THIRD)])]), el('tableCell', [el('paragraph', [text('42')])])]),
      ]),
    ]),
  );
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  for (const dir of [dataDir, staticDir, work]) fs.rmSync(dir, { recursive: true, force: true });
});

async function edit(change: (body: Y.XmlFragment) => void): Promise<void> {
  const before = await server.store.lastSeq(docId as never);
  client.doc.transact(() => change(client.doc.getXmlFragment('default')));
  await waitFor(async () => (await server.store.lastSeq(docId as never)) > before, { what: 'edit stored' });
  await server.rooms.whenIdle();
}

async function download(format: string): Promise<Response> {
  const res = await fetch(`${server.url}/api/documents/${docId}/export?format=${format}`, { headers: { Authorization: `Bearer ${alice.token}` } });
  expect(res.status, res.status === 200 ? '' : await res.clone().text()).toBe(200);
  return res;
}

async function file(format: string): Promise<string> {
  const out = path.join(work, `summary.${format}`);
  fs.writeFileSync(out, Buffer.from(await (await download(format)).arrayBuffer()));
  return out;
}

/** pandoc's reading of a file as Markdown: a real footnote comes out as `[^n]` and `[^n]: text`. */
function pandocMarkdown(input: string, from: 'docx' | 'odt'): string {
  return execFileSync('pandoc', [`--from=${from}`, '--to=markdown-smart', '--wrap=none', input], { encoding: 'utf8' });
}

/** The note texts pandoc found, by number. */
function notesIn(markdown: string): string[] {
  return [...markdown.matchAll(/^\[\^(\d+)\]: ([\s\S]*?)(?=\n\[\^|\n*$)/gm)].map((m) => m[2]!.replace(/\s+/g, ' ').trim());
}

describe('footnotes in exports (SPEC FN3)', () => {
  it('HTML: numbered references linking to the notes, listed in document order after the text', async () => {
    const html = await (await download('html')).text();
    expect(html).toContain('meaningful access<sup class="footnote-ref"><a href="#fn-1" id="fnref-1" role="doc-noteref" aria-label="Note 1">1</a></sup> and affordable');
    expect(html).toContain('Civil society<sup class="footnote-ref"><a href="#fn-3"');
    const notes = html.slice(html.indexOf('<section class="footnotes"'));
    expect(notes).toContain('<h2 id="footnotes-title">Notes</h2>');
    expect(notes.indexOf(FIRST)).toBeLessThan(notes.indexOf(SECOND));
    expect(notes.indexOf(SECOND)).toBeLessThan(notes.indexOf(THIRD));
    expect(notes).toContain('<a href="#fnref-2" role="doc-backlink" aria-label="Back to note 2 in the text">↩</a>');
    // The notes are not part of the running text.
    expect(html.indexOf(FIRST)).toBeGreaterThan(html.indexOf('Civil society'));
  });

  it('Markdown: [^n] references and definitions', async () => {
    const md = await (await download('md')).text();
    expect(md).toContain('meaningful access[^1] and affordable devices.');
    expect(md).toContain(`[^1]: ${FIRST}\n[^2]: ${SECOND}\n[^3]: ${THIRD}`);
  });

  it('DOCX: Word footnotes, read back by pandoc as footnotes', async () => {
    const input = await file('docx');
    const xml = strFromU8(unzipSync(new Uint8Array(fs.readFileSync(input)))['word/footnotes.xml']!);
    expect(xml).toContain(FIRST);
    const md = pandocMarkdown(input, 'docx');
    expect(md).toContain('meaningful access[^1] and affordable devices.');
    expect(notesIn(md)).toEqual([FIRST, SECOND, THIRD]);
  });

  it('ODT: real footnotes (pandoc), read back by pandoc as footnotes', async () => {
    const input = await file('odt');
    const content = strFromU8(unzipSync(new Uint8Array(fs.readFileSync(input)))['content.xml']!);
    expect(content).toMatch(/<text:note [^>]*text:note-class="footnote"/);
    const md = pandocMarkdown(input, 'odt');
    expect(md).toContain('meaningful access[^1] and affordable devices.');
    expect(notesIn(md)).toEqual([FIRST, SECOND, THIRD]);
    expect(md).not.toContain('Notes');
  });

  it('PDF: the page printed, the notes at the end of the document after the text, in order', async () => {
    const text = execFileSync('pdftotext', [await file('pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toMatch(/meaningful access ?1 and affordable devices/);
    const notes = text.indexOf('Notes');
    expect(notes).toBeGreaterThan(text.indexOf('Civil society'));
    expect(text.indexOf(FIRST)).toBeGreaterThan(notes);
    expect(text.indexOf(SECOND)).toBeGreaterThan(text.indexOf(FIRST));
    expect(text.indexOf(THIRD)).toBeGreaterThan(text.indexOf(SECOND));
  });

  it('moving a paragraph renumbers every format: the numbers are not stored', async () => {
    // The second paragraph moves before the first (delete and insert, as a cut and paste does).
    await edit((body) => {
      const second = body.get(2) as Y.XmlElement;
      const copy = second.clone();
      body.delete(2, 1);
      body.insert(1, [copy]);
    });
    const html = await (await download('html')).text();
    expect(html).toContain('binding rules<sup class="footnote-ref"><a href="#fn-1"');
    expect(html).toContain('meaningful access<sup class="footnote-ref"><a href="#fn-2"');
    const md = pandocMarkdown(await file('docx'), 'docx');
    expect(notesIn(md)).toEqual([SECOND, FIRST, THIRD]);
    // And back, for the tests that follow.
    await edit((body) => {
      const moved = (body.get(1) as Y.XmlElement).clone();
      body.delete(1, 1);
      body.insert(2, [moved]);
    });
  });

  it('in the document language: the notes heading and links are worded in it', async () => {
    await alice.api.updateDocument(docId, { language: 'fr' });
    const html = await (await download('html')).text();
    expect(html).toContain('<h2 id="footnotes-title">Notes</h2>');
    expect(html).toContain('aria-label="Retour à l’appel de note 1 dans le texte"');
    await alice.api.updateDocument(docId, { language: 'en' });
  });
});

describe('footnotes on pages without JavaScript (SPEC FN3, N1, PUB2)', () => {
  it('the reading page shows the notes, and a paragraph’s quote leaves its note out', async () => {
    const html = await (await fetch(`${server.url}/d/${docId}`, { headers: { Cookie: alice.cookie } })).text();
    expect(html).toContain('data-testid="reader-page"');
    expect(html).toContain('<section class="footnotes"');
    expect(html).toContain(FIRST);
    expect(html).toContain('<option value="p1">Participants stressed meaningful access and affordable devices.</option>');
  });

  it('a publication shows the notes and every stored format keeps them', async () => {
    clock.advance(60_000);
    const published = await alice.api.publish(docId, { public: true });
    const page = await (await fetch(`${server.url}${published.url}`)).text();
    expect(page).toContain('<section class="footnotes"');
    expect(page).toContain(THIRD);
    const docx = path.join(work, 'published.docx');
    fs.writeFileSync(docx, Buffer.from(await (await fetch(`${server.url}${published.url}?format=docx`)).arrayBuffer()));
    expect(notesIn(pandocMarkdown(docx, 'docx'))).toEqual([FIRST, SECOND, THIRD]);
  });
});
