/**
 * `pnpm bench:first-load`: what a remote participant on a slow link pays to
 * open a document (issue 13). A server process serves the production build
 * of the editor; a 20-page report is written into a document; headless
 * Chromium, signed in, opens `/d/<id>` with a cold cache under emulated
 * 400 kbit/s down and up and a 400 ms round trip, and we count requests,
 * bytes on the wire and the time until the report's last paragraph is on
 * screen. Then the same person opens it again (warm cache: hashed assets are
 * immutable, SPEC W2).
 *
 * Last, the same link with JavaScript off: the page the server renders with
 * the text in it (SPEC N1), which is also what a slow link shows before the
 * editor's scripts arrive.
 *
 * The reference, measured in the same run on the same server: the same cold
 * load with the browser asking for no compression (`Accept-Encoding:
 * identity`), i.e. what the wire would carry without W1/W2.
 *
 *   SKIP_BUILD=1   use editor/dist as it is (default: build it first)
 *   QUICK=1        no RESULTS.md unless WRITE_RESULTS=1
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BrowserContext, chromium } from 'playwright-core';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, stockClient } from '../support/clients';
import { repoRoot, spawnServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';
import { writeSection } from './resultsSection';

const env = process.env;
const QUICK = env.QUICK === '1';
const WRITE_RESULTS = !QUICK || env.WRITE_RESULTS === '1';
const RESULTS_FILE = path.join(repoRoot, 'tests/bench/RESULTS.md');
const STATIC_DIR = path.join(repoRoot, 'editor/dist');
const CHROMIUM_PATH = '/usr/bin/chromium';

/** The emulated link: 400 kbit/s each way, 400 ms round trip. */
const LINK = { latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
/** A page of a UN report: about 3,000 characters in 6 paragraphs, with a heading. */
const PAGES = 20;
const PARAGRAPHS_PER_PAGE = 6;

interface Load {
  readonly requests: number;
  /** Requests answered from the network (not from the browser's cache). */
  readonly fromNetwork: number;
  /** Bytes on the wire (headers and bodies, as sent). */
  readonly wireBytes: number;
  /** Bytes of the bodies once decoded. */
  readonly bodyBytes: number;
  /** From navigation to the last paragraph of the report on screen. */
  readonly timeToTextMs: number;
}

function build(): void {
  if (env.SKIP_BUILD === '1') return;
  const run = spawnSync('pnpm', ['--filter', '@rapporteur/editor', 'build'], { cwd: repoRoot, stdio: 'inherit', env: { ...env, NODE_ENV: 'production' } });
  if (run.status !== 0) throw new Error('editor build failed');
}

/** Writes a 20-page report through a stock client (as a rapporteur's editor would have), and returns its last paragraph. */
async function writeReport(collabUrl: string, id: string, owner: TestUser): Promise<string> {
  const client = stockClient(collabUrl, id, owner);
  await client.synced();
  const body = client.doc.getXmlFragment('default');
  let last = '';
  client.doc.transact(() => {
    const blocks: Y.XmlElement[] = [];
    for (let page = 1; page <= PAGES; page++) {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', 2 as never);
      heading.setAttribute('blockId', `h${page}`);
      heading.insert(0, [new Y.XmlText(`${page}. Issues raised in the session on digital inclusion`)]);
      blocks.push(heading);
      for (let p = 1; p <= PARAGRAPHS_PER_PAGE; p++) {
        last = `Paragraph ${page}.${p}: participants from governments, civil society, the private sector and the technical community discussed how meaningful access, affordable connectivity and digital skills could be advanced together, noting that local content, languages and trust in online services remain decisive for whether people benefit from being connected, and that the evidence gathered by national and regional initiatives should inform the next steps.`;
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.setAttribute('blockId', `p${page}-${p}`);
        paragraph.insert(0, [new Y.XmlText(last)]);
        blocks.push(paragraph);
      }
    }
    body.insert(0, blocks);
  });
  await waitFor(() => client.provider.synced && client.provider.wsconnected, { what: 'report written' });
  // The server acknowledges what it stored; give the socket time to flush.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  client.destroy();
  return last.slice(0, 40);
}

async function load(context: BrowserContext, url: string, lastText: string, encoding: 'default' | 'identity', where = '.ProseMirror'): Promise<Load> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...LINK });
  if (encoding === 'identity') await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  let requests = 0;
  let fromNetwork = 0;
  let wireBytes = 0;
  let bodyBytes = 0;
  cdp.on('Network.requestWillBeSent', () => requests++);
  cdp.on('Network.responseReceived', (e: { response: { fromDiskCache?: boolean; fromPrefetchCache?: boolean; fromServiceWorker?: boolean } }) => {
    if (!e.response.fromDiskCache && !e.response.fromPrefetchCache && !e.response.fromServiceWorker) fromNetwork++;
  });
  cdp.on('Network.dataReceived', (e: { dataLength: number }) => (bodyBytes += e.dataLength));
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (wireBytes += e.encodedDataLength));
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(([text, selector]) => document.querySelector(selector!)?.textContent?.includes(text!) ?? false, [lastText, where], {
    timeout: 300_000,
    // No JavaScript in the page: Playwright's own polling still runs.
    polling: 50,
  });
  const timeToTextMs = performance.now() - started;
  await page.close();
  return { requests, fromNetwork, wireBytes, bodyBytes, timeToTextMs };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  build();
  const server = await spawnServer(tempDataDir('rapporteur-bench-load-'), { STATIC_DIR });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const owner = await signUp(server.url, { name: 'Rapporteur' });
    const id = await createDocument(server.url, owner, 'Session report: digital inclusion');
    const lastText = await writeReport(server.collabUrl, id, owner);
    const [cookieName, cookieValue] = owner.cookie.split('=') as [string, string];
    const fresh = async (javaScriptEnabled = true): Promise<BrowserContext> => {
      const context = await browser.newContext({ javaScriptEnabled });
      await context.addCookies([{ name: cookieName, value: cookieValue, url: server.url }]);
      return context;
    };
    const url = `${server.url}/d/${id}`;

    const referenceContext = await fresh();
    const reference = await load(referenceContext, url, lastText, 'identity');
    await referenceContext.close();

    const context = await fresh();
    const cold = await load(context, url, lastText, 'default');
    const warm = await load(context, url, lastText, 'default');
    await context.close();

    // The same link with JavaScript off: the text comes in the HTML (SPEC N1).
    const noScriptContext = await fresh(false);
    const noScript = await load(noScriptContext, url, lastText, 'default', '[data-testid="reader-page"]');
    await noScriptContext.close();

    const rows: Array<[string, Load]> = [
      ['cold cache, uncompressed (reference)', reference],
      ['cold cache (W1, W2)', cold],
      ['warm cache (immutable assets, W2)', warm],
      ['JavaScript off: the page the server renders (N1)', noScript],
    ];
    const report = [
      '## Scenario: opening a 20-page report on a slow link (issue 13, SPEC W1–W2)',
      '',
      `Signed in, \`/d/<id>\` of a ${PAGES}-page report (${PAGES * PARAGRAPHS_PER_PAGE} paragraphs, ${PAGES} headings), production build, headless Chromium with`,
      'the network emulated at 400 kbit/s down and up and a 400 ms round trip. Time to text: from navigation to the',
      "report's last paragraph on screen (it arrives over the sync socket). Bytes on the wire: headers and bodies as sent.",
      '',
      '| load | requests (from network) | bytes on the wire | bodies decoded | time to text |',
      '|---|---|---|---|---|',
      ...rows.map(([name, l]) => `| ${name} | ${l.requests} (${l.fromNetwork}) | ${kb(l.wireBytes)} | ${kb(l.bodyBytes)} | ${s(l.timeToTextMs)} |`),
      '',
      `Ratios to the reference, same run: bytes on the wire **${(cold.wireBytes / reference.wireBytes).toFixed(2)}×**, time to text **${(cold.timeToTextMs / reference.timeToTextMs).toFixed(2)}×** (cold); warm reload ${(warm.timeToTextMs / reference.timeToTextMs).toFixed(2)}× the time with ${kb(warm.wireBytes)} on the wire.`,
      '',
      `Command: \`pnpm bench:first-load\` (${new Date().toISOString().slice(0, 10)}).`,
    ].join('\n');
    console.log(report);
    if (WRITE_RESULTS) writeSection(RESULTS_FILE, 'first-load', report);
  } finally {
    await browser.close();
    await server.kill('SIGTERM');
  }
}

await main();
