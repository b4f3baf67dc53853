import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningServer } from '@rapporteur/server';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';
import { ARABIC, ARABIC_HEADING, ARABIC_WORD, fillReport } from '../support/report';

// Issue 10: every export format, read back with real readers — pandoc for
// DOCX and ODT, pdftotext for PDF (SPEC X1–X6).

const clock = new ManualClock();
let dataDir: string;
let server: RunningServer;
let alice: TestUser;
let docId: string;
let client: StockClient;
let work: string;

beforeAll(async () => {
  clock.advance(Date.parse('2026-03-12T10:00:00Z') - clock.now());
  dataDir = tempDataDir();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-readback-'));
  server = await startServer(dataDir, {}, { clock });
  alice = await signUp(server.url, { name: 'Amina Diallo' });
  docId = await createDocument(server.url, alice, 'IGF 2026 session report');
  client = stockClient(server.collabUrl, docId, alice);
  await client.synced();
  client.doc.transact(() => fillReport(client.doc.getXmlFragment('default')));
  await waitFor(async () => (await server.store.lastSeq(docId as never)) > 0, { what: 'report stored' });
  await server.rooms.whenIdle();
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

async function download(format: string, query = ''): Promise<Response> {
  return fetch(`${server.url}/api/documents/${docId}/export?format=${format}${query}`, { headers: { Authorization: `Bearer ${alice.token}` } });
}

async function saved(format: string): Promise<string> {
  const res = await download(format);
  expect(res.status, await peekError(res)).toBe(200);
  const file = path.join(work, `report.${format}`);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

async function peekError(res: Response): Promise<string> {
  return res.status === 200 ? '' : await res.clone().text();
}

/** pandoc's reading of a file, as Markdown (headings as #, tables as grids, right-to-left blocks as fenced divs). */
function pandocRead(file: string, from: 'docx' | 'odt'): string {
  return execFileSync('pandoc', [`--from=${from}`, '--to=markdown-smart', '--standalone', '--wrap=none', file], { encoding: 'utf8' });
}

const WORDING = 'Views diverged on this passage: no single position had strong support.';

function expectCommonText(raw: string): void {
  const text = raw.replace(/\s+/g, ' ');
  expect(text).toContain('IGF 2026 session report');
  expect(text).toContain('12 March 2026');
  expect(text).toContain('Liability of platforms for amplified content');
  expect(text).toContain('Divergence');
  expect(text).toContain(WORDING);
  expect(text).toContain("Basis: chair's designation — discussion in session, 12 March");
  expect(text).toContain('Liability would chill lawful speech.');
  expect(text).toContain('Held by: Private sector and Technical community');
  expect(text).toContain('Stakeholder group');
  expect(text).toContain('Civil society');
  expect(text).toContain('Bullet about access');
  expect(text).toContain('Second numbered step');
  expect(text).not.toContain('GUIDANCE-NEVER-EXPORTED');
}

describe('exports read back (SPEC X1–X6)', () => {
  it('X1, X2: HTML is a styled standalone page with title, date and version in its header, table header cells and the Arabic paragraph right to left', async () => {
    const res = await download('html');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<header class="page-header">\s*<h1>IGF 2026 session report<\/h1>/);
    expect(html).toContain('<time datetime="2026-03-12T10:00:00.000Z">12 March 2026</time>');
    expect(html).toContain('Current text (not a frozen version)');
    expect(html).toMatch(/<th[^>]*>.*Stakeholder group/);
    expect(html).toContain(`<p dir="rtl">${ARABIC}</p>`);
    expect(html).toContain('href="https://www.intgovforum.org/"');
    expect(html).toContain(WORDING);
    expect(html).not.toContain('GUIDANCE-NEVER-EXPORTED');
    // Logical properties only: the page lays out right to left as well as left to right.
    expect(html).not.toMatch(/(margin|padding|border)-(left|right)\b|text-align:\s*(left|right)/);
  });

  it('X2: Markdown starts with the header as front matter, then the text with its marker', async () => {
    const md = await (await download('md')).text();
    expect(md.startsWith('---\ntitle: "IGF 2026 session report"\ndate: "2026-03-12"\nversion: "Current text (not a frozen version)"\n---\n\n## Key takeaways')).toBe(true);
    expect(md).toContain('[IGF website](https://www.intgovforum.org/)');
    expect(md).toContain(`> **Divergence.** ${WORDING}`);
    expect(md).not.toContain('GUIDANCE-NEVER-EXPORTED');
  });

  it('X3: DOCX read back by pandoc has Word headings, lists, the table with its header row, the link, the marker wording and the Arabic paragraph bidi', async () => {
    const res = await download('docx');
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="igf-2026-session-report.docx"');
    const file = path.join(work, 'report.docx');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const md = pandocRead(file, 'docx');
    expectCommonText(md);
    expect(md).toMatch(/^## Key takeaways$/m);
    expect(md).toMatch(/^### Participation$/m);
    expect(md).toMatch(/^-\s+Bullet about access$/m);
    expect(md).toMatch(/^1\.\s+First numbered step$/m);
    expect(md).toContain('[IGF website](https://www.intgovforum.org/)');
    // The header row is a header: pandoc puts it above the table's rule.
    expect(md).toMatch(/\*\*Stakeholder group\*\*\s+\*\*Participants\*\*\s*\n\s*-{3,}/);
    // pandoc reads the right-to-left runs as such; Word lays the paragraph out right to left by its w:bidi.
    expect(md).toContain(`[${ARABIC}]{dir="rtl"}`);
    const xml = strFromU8(unzipSync(new Uint8Array(fs.readFileSync(file)))['word/document.xml']!);
    const arabicParagraph = xml.split('<w:p>').find((p) => p.includes(ARABIC));
    expect(arabicParagraph).toMatch(/<w:pPr>.*<w:bidi\/>/);
  });

  it('X4: ODT made by pandoc, read back by pandoc, with the Arabic paragraph in a right-to-left style', async () => {
    const file = await saved('odt');
    const md = pandocRead(file, 'odt');
    const zip = unzipSync(new Uint8Array(fs.readFileSync(file)));
    const content = strFromU8(zip['content.xml']!);
    // pandoc's ODT reader skips tables' header rows: read those from the file's XML.
    const headerRows = /<table:table-header-rows>([\s\S]*?)<\/table:table-header-rows>/.exec(content)?.[1] ?? '';
    expect(headerRows).toContain('Stakeholder group');
    expectCommonText(`${md} ${headerRows.replace(/<[^>]+>/g, ' ')}`);
    expect(md).toMatch(/^## (\[\]\{#anchor\})?Key takeaways$/m);
    expect(md).toContain('[IGF website](https://www.intgovforum.org/)');
    expect(Object.keys(zip)[0]).toBe('mimetype');
    const styles = strFromU8(zip['styles.xml']!);
    const arabic = new RegExp(`<text:p text:style-name="([^"]+)">${ARABIC}`).exec(content);
    expect(arabic, 'the Arabic paragraph in content.xml').not.toBeNull();
    const styleName = arabic![1]!;
    expect(styles).toMatch(new RegExp(`<style:style style:name="${styleName}"[^>]*>\\s*<style:paragraph-properties[^>]*style:writing-mode="rl-tb"`));
    // An Arabic heading (its direction auto) keeps its heading level and reads right to left.
    const heading = new RegExp(`<text:h text:style-name="([^"]+)" text:outline-level="3">(?:<[^>]+>)*${ARABIC_HEADING}`).exec(content);
    expect(heading, 'the Arabic heading in content.xml').not.toBeNull();
    expect(styles).toMatch(new RegExp(`<style:style style:name="${heading![1]}"[^>]*>\\s*<style:paragraph-properties[^>]*style:writing-mode="rl-tb"`));
  });

  it('X5: PDF is the page printed: pdftotext finds the text, headings larger than body text, the table cells and the Arabic paragraph set from the right', async () => {
    const file = await saved('pdf');
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expectCommonText(text);
    expect(text).toContain('Key takeaways');
    expect(text).toContain('42');
    // Word boxes: a heading's words are taller than the body's; the Arabic line ends at the right margin.
    const bbox = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      xMin: Number(m[1]),
      height: Number(m[4]) - Number(m[2]),
      xMax: Number(m[3]),
      text: m[5]!,
    }));
    const page = /<page width="([\d.]+)"/.exec(bbox);
    const width = Number(page![1]);
    const heading = words.find((w) => w.text === 'takeaways')!;
    const body = words.find((w) => w.text === 'Bullet')!;
    expect(heading.height).toBeGreaterThan(body.height * 1.2);
    const arabic = words.filter((w) => /[\u0600-\u06FF\uFE70-\uFEFF]/.test(w.text));
    expect(arabic.length, 'Arabic words in the PDF').toBeGreaterThan(3);
    const english = words.find((w) => w.text === 'Liability')!;
    const arabicEnd = Math.max(...arabic.map((w) => w.xMax));
    // Right to left: the Arabic paragraph ends where English lines start, mirrored (same margins).
    expect(Math.abs(width - arabicEnd - english.xMin)).toBeLessThan(12);
    expect(text.replace(/\s+/g, ' ')).toMatch(new RegExp(ARABIC_WORD.split('').join('\\s*')));
  });

  it('X1: a version exports through ?version= and through the version route, with the version named in the header', async () => {
    const version = await alice.api.nameVersion(docId, 'Circulated to the MAG');
    for (const url of [`/api/documents/${docId}/export?format=md&version=${version.id}`, `/api/documents/${docId}/versions/${version.id}/export?format=md`]) {
      const md = await (await fetch(`${server.url}${url}`, { headers: { Authorization: `Bearer ${alice.token}` } })).text();
      expect(md, url).toContain('version: "Version “Circulated to the MAG”"');
      expect(md, url).toContain('## Key takeaways');
    }
  });
});

describe('export engines (SPEC X6)', () => {
  it('X6: a format whose engine is missing answers 501 export_engine_missing naming what to install; the other formats still work', async () => {
    const dir = tempDataDir();
    const other = await startServer(dir, {
      export: { pandocPath: '/nonexistent/pandoc', chromiumPath: 'no-such-chromium', limits: { timeoutMs: 30_000, maxBytes: 1 << 26, concurrency: 1 } },
    });
    try {
      const owner = await signUp(other.url);
      const id = await createDocument(other.url, owner, 'No engines here');
      const get = (format: string) => fetch(`${other.url}/api/documents/${id}/export?format=${format}`, { headers: { Authorization: `Bearer ${owner.token}` } });
      for (const [format, needs] of [
        ['odt', /pandoc.*PANDOC_PATH/],
        ['pdf', /Chromium.*CHROMIUM_PATH/],
      ] as const) {
        const res = await get(format);
        expect(res.status, format).toBe(501);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('export_engine_missing');
        expect(body.error.message).toMatch(needs);
      }
      expect((await get('docx')).status).toBe(200);
      expect((await get('html')).status).toBe(200);
    } finally {
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('X1: an unknown format is a 400 and nothing is rendered', async () => {
    const res = await download('rtf');
    expect(res.status).toBe(400);
  });
});
