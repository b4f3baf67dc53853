import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockClient } from '../support/clients';
import { ARABIC, fillReport } from '../support/report';
import { waitFor } from '../support/wait';
import type { E2EServer, People } from './support';
import { COLORS, e2eSuite, explain, openDocument, UI_TIMEOUT_MS, waitForText } from './support';

// Issue 10, end to end in Chromium: the owner publishes a session report with
// a divergence marker; a fresh browser with JavaScript disabled reads the
// publication and downloads its DOCX and PDF; the owner publishes an erratum
// that the first page then links to (SPEC PUB1–PUB5, X1).
const suite = e2eSuite();
let server: E2EServer;
let people: People;
let work: string;
beforeAll(() => {
  ({ server, people } = suite);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-e2e-publication-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const WORDING = 'Views diverged on this passage: no single position had strong support.';
const words = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();

async function publishFromDialog(page: Page, options: { corrects?: string; note?: string }): Promise<string> {
  await page.getByTestId('publish-button').click();
  const dialog = page.getByTestId('publish-dialog');
  await explain(page, 'the publish dialog never opened', dialog.waitFor({ timeout: UI_TIMEOUT_MS }));
  await dialog.getByTestId('publish-public').check();
  if (options.note) await dialog.getByTestId('publish-note').fill(options.note);
  if (options.corrects) {
    await expect.poll(() => dialog.getByTestId('publish-corrects').locator('option').count(), { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(1);
    await dialog.getByTestId('publish-corrects').selectOption(options.corrects);
  }
  await dialog.getByTestId('publish-submit').click();
  await expect.poll(() => dialog.getByTestId('publish-status').textContent(), { timeout: 60_000 }).toMatch(/^Published as publication \d+\.$/);
  const href = await dialog.getByTestId('publish-link').getAttribute('href');
  await dialog.getByTestId('publish-close').click();
  return href!;
}

async function download(page: Page, linkName: string, file: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('link', { name: linkName }).click()]);
  const target = path.join(work, file);
  await dl.saveAs(target);
  return target;
}

describe('publication', () => {
  it('publishes a report with a divergence marker; a browser without JavaScript reads it, downloads DOCX and PDF, and finds the erratum', async () => {
    const id = await server.createDocument('IGF 2026 session report: platform liability');
    const client = stockClient(server.collabUrl, id, server.owner);
    await client.synced();
    client.doc.transact(() => fillReport(client.doc.getXmlFragment('default')));
    await waitFor(async () => (await server.owner.api.exportDocument(id, 'md')).includes('Divergence'), { what: 'the report stored' });
    client.destroy();

    const owner = await people.openAs(server.owner, COLORS.crimson);
    await openDocument(owner.page, id);
    await waitForText(owner.page, 'Liability of platforms');

    // The export menu offers every format and shows progress while the server prints the PDF.
    const exports = owner.page.getByRole('navigation', { name: 'Export' });
    for (const name of ['Export as PDF', 'Export as Word (DOCX)', 'Export as ODT (OpenDocument text)', 'Export as HTML', 'Export as Markdown']) {
      await expect.poll(() => exports.getByRole('link', { name }).count()).toBe(1);
    }
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await owner.page.route('**/export?format=pdf', async (route) => {
      await held;
      await route.continue();
    });
    const pdfDownload = owner.page.waitForEvent('download', { timeout: 60_000 });
    await exports.getByRole('link', { name: 'Export as PDF' }).click();
    await expect.poll(() => exports.getByRole('status').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Preparing PDF…');
    expect(await exports.getByRole('link', { name: 'Export as PDF' }).getAttribute('aria-busy')).toBe('true');
    release();
    const exported = path.join(work, 'live.pdf');
    await (await pdfDownload).saveAs(exported);
    await expect.poll(() => exports.getByRole('status').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('PDF downloaded.');
    expect(words(execFileSync('pdftotext', [exported, '-'], { encoding: 'utf8' }))).toContain(WORDING);

    // Publish.
    const first = await publishFromDialog(owner.page, { note: 'Adopted at the closing session.' });
    expect(first).toBe(`/p/${id}/1`);

    // A fresh browser, nobody signed in, JavaScript off.
    const context = await suite.browser.newContext({ baseURL: server.url, javaScriptEnabled: false, acceptDownloads: true });
    try {
      const reader = await context.newPage();
      await reader.goto(first);
      expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe('IGF 2026 session report: platform liability');
      const text = words(await reader.locator('body').textContent());
      expect(text).toContain('Publication 1');
      expect(text).toContain(`Divergence. ${WORDING}`);
      expect(text).toContain('Note: Adopted at the closing session.');
      expect(await reader.locator('p', { hasText: ARABIC }).getAttribute('dir')).toBe('rtl');
      expect(await reader.locator('script').count()).toBe(0);

      const docx = await download(reader, 'Word (DOCX)', 'publication-1.docx');
      expect(words(execFileSync('pandoc', ['--from=docx', '--to=plain', '--wrap=none', docx], { encoding: 'utf8' }))).toContain(WORDING);
      const pdf = await download(reader, 'PDF', 'publication-1.pdf');
      const pdfText = words(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }));
      expect(pdfText).toContain('Publication 1');
      expect(pdfText).toContain(WORDING);

      // The owner publishes an erratum; the first page links to it.
      const erratum = await publishFromDialog(owner.page, { corrects: '1' });
      expect(erratum).toBe(`/p/${id}/2`);
      await reader.goto(first);
      const link = reader.getByRole('link', { name: 'Publication 2' }).first();
      expect(words(await reader.locator('.corrected-by').textContent())).toBe('This publication was corrected by Publication 2.');
      await link.click();
      await reader.waitForURL(`**${erratum}`);
      expect(words(await reader.locator('body').textContent())).toContain('This publication is an erratum: it corrects publication 1.');
    } finally {
      await context.close();
    }

    // The page meets WCAG 2.2 AA (axe needs script in the checking browser; the page itself has none).
    const checker = await people.openSignedOut('Checker');
    await checker.page.goto(first);
    const results = await new AxeBuilder({ page: checker.page }).withTags(WCAG_AA).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
