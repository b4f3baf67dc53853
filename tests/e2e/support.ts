import fs from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import path from 'node:path';
import type { RunningServer } from '@rapporteur/server';
import { type Browser, type BrowserContext, chromium, type Locator, type Page, type Route } from 'playwright-core';
import type * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument } from '../support/clients';
import { repoRoot, startServer, tempDataDir } from '../support/server';

export { repoRoot };

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const STATIC_DIR = path.join(repoRoot, 'editor/dist');
const ARTIFACTS_DIR = path.join(repoRoot, 'tests/.artifacts');

/** How long a UI condition may take to become true (sync over localhost is far quicker). */
export const UI_TIMEOUT_MS = 15_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A real server in this process serving the built editor, over a temporary
 * DATA_DIR. `restart()` stops it and starts it again on the same port and
 * DATA_DIR, as after a deployment.
 */
export class E2EServer {
  /** Documents created through `createDocument`, shared with every person the test opens. */
  private readonly documents: string[] = [];
  private readonly emails: string[] = [];

  private constructor(
    readonly dataDir: string,
    private running: RunningServer | null,
    readonly port: number,
    /** An administrator: creates the tests' documents and may read every document. */
    readonly owner: TestUser,
  ) {}

  static async start(): Promise<E2EServer> {
    const dataDir = tempDataDir('rapporteur-e2e-');
    const running = await startServer(dataDir, { staticDir: STATIC_DIR });
    const owner = await signUp(running.url, { name: 'Secretariat' });
    await running.accountStore.setAdmin(owner.user.id, true, Date.now());
    return new E2EServer(dataDir, running, running.port, owner);
  }

  /** Creates a document owned by the administrator and shares it (as editor) with every person opened so far or later. */
  async createDocument(title: string): Promise<string> {
    const id = await createDocument(this.url, this.owner, title);
    this.documents.push(id);
    for (const email of this.emails) await this.owner.api.setMember(id, email, 'editor');
    return id;
  }

  /** Signs up a person and gives them the session cookie for `context`; shares the test's documents with them. */
  async signIn(context: BrowserContext, name: string): Promise<TestUser> {
    const person = await signUp(this.url, { name });
    const [cookieName, value] = person.cookie.split('=') as [string, string];
    await context.addCookies([{ name: cookieName, value, url: this.url }]);
    this.emails.push(person.email);
    for (const id of this.documents) await this.owner.api.setMember(id, person.email, 'editor');
    return person;
  }

  /** Gives `context` the session cookie of an existing account (e.g. `owner`, the administrator), as signing in would. */
  async useSession(context: BrowserContext, person: TestUser): Promise<void> {
    const [cookieName, value] = person.cookie.split('=') as [string, string];
    await context.addCookies([{ name: cookieName, value, url: this.url }]);
  }

  /** Edits a document as `userId` through its room, as a keystroke would reach the store (for seeding what a test reads). */
  async editAs(documentId: string, userId: string, change: (doc: Y.Doc) => void): Promise<void> {
    const running = this.running;
    if (!running) throw new Error('the e2e server is stopped');
    const room = await running.rooms.open(documentId as never);
    try {
      await room.editAs(userId, change);
    } finally {
      running.rooms.released(room);
    }
  }

  /** Headers that let Node's fetch read any document (the administrator's token). */
  get authHeaders(): Record<string, string> {
    return { Authorization: `Bearer ${this.owner.token}` };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get collabUrl(): string {
    return `ws://127.0.0.1:${this.port}/collab`;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.close();
  }

  async resume(): Promise<void> {
    if (this.running) return;
    this.running = await startServer(this.dataDir, { staticDir: STATIC_DIR, port: this.port });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.resume();
  }

  /** Stops the server and removes its DATA_DIR. */
  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export interface Person {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The account behind the page (its e-mail, id, token), when the test signed one in. */
  readonly account?: TestUser;
}

/**
 * Keeps track of the browser contexts a test opens, so afterEach can take
 * screenshots when the test failed and close them all.
 */
export class People {
  private readonly contexts: BrowserContext[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly server: () => E2EServer,
  ) {}

  private baseURL(): string {
    return this.server().url;
  }

  /**
   * A separate browser context (own cookies, localStorage, IndexedDB) with a
   * display name and colour stored the way the app stores them.
   */
  async open(name: string, color: string): Promise<Person> {
    const context = await this.browser.newContext({ baseURL: this.baseURL(), viewport: { width: 1200, height: 800 } });
    this.contexts.push(context);
    const account = await this.server().signIn(context, name);
    await this.rememberIdentity(context, name, color);
    const page = await context.newPage();
    return { name, context, page, account };
  }

  /** A browser context signed in as an existing account (e.g. `server.owner`, the administrator who owns the test documents). */
  async openAs(account: TestUser, color: string): Promise<Person> {
    const context = await this.browser.newContext({ baseURL: this.baseURL(), viewport: { width: 1200, height: 800 } });
    this.contexts.push(context);
    await this.server().useSession(context, account);
    await this.rememberIdentity(context, account.user.name, color);
    return { name: account.user.name, context, page: await context.newPage(), account };
  }

  private async rememberIdentity(context: BrowserContext, name: string, color: string): Promise<void> {
    await context.addInitScript(
      ([key, value]) => {
        try {
          window.localStorage.setItem(key, value);
        } catch {
          // about:blank and other opaque origins have no storage
        }
      },
      ['rapporteur:identity', JSON.stringify({ name, color })] as const,
    );
  }

  /** A separate browser context with nobody signed in (for sign-up and sign-in through the UI). */
  async openSignedOut(name: string): Promise<Person> {
    const context = await this.browser.newContext({ baseURL: this.baseURL(), viewport: { width: 1200, height: 800 } });
    this.contexts.push(context);
    return { name, context, page: await context.newPage() };
  }

  /** Screenshots of every open page, named after the test, under tests/.artifacts/. */
  async screenshot(testName: string): Promise<string[]> {
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const slug = testName.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80);
    const saved: string[] = [];
    let n = 0;
    for (const context of this.contexts) {
      for (const page of context.pages()) {
        const file = path.join(ARTIFACTS_DIR, `${slug}-${++n}.png`);
        try {
          await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
          saved.push(file);
        } catch {
          // a crashed or closing page: nothing to save
        }
      }
    }
    return saved;
  }

  async closeAll(): Promise<void> {
    const contexts = this.contexts.splice(0);
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  }
}

/** Palette colours (editor/src/identity/identity.ts). */
export const COLORS = { crimson: '#b3261e', blue: '#1a5fb4', forest: '#1e6b3a', purple: '#6b3fa0' } as const;

export const editorText = (page: Page): Locator => page.locator('.ProseMirror');
export const saveStatus = (page: Page): Locator => page.getByTestId('save-status');

/** Where the page is, its save status and its text: appended to timeouts to make failures readable. */
export async function describePage(page: Page): Promise<string> {
  try {
    return await page.evaluate(() => {
      const status = document.querySelector('[data-testid="save-status"]');
      const text = document.querySelector('.ProseMirror')?.textContent ?? '(no editor)'; // carets' names included
      return [
        `url: ${location.href}`,
        `save status: ${status ? `${status.getAttribute('data-state')} "${status.textContent}"` : '(none)'}`,
        `text: ${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text)}`,
      ].join('\n    ');
    });
  } catch (error) {
    return `(page state unavailable: ${String(error)})`;
  }
}

/** Awaits `waiting`; on failure rethrows with `what` and the page's state. */
export async function explain<T>(page: Page, what: string, waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`${what}: ${reason}\n    ${await describePage(page)}`, { cause: error });
  }
}

/** Opens a document and waits until its text is shown and the socket synced. */
export async function openDocument(page: Page, id: string): Promise<void> {
  await page.goto(`/d/${encodeURIComponent(id)}`);
  await explain(page, 'the editor did not appear', editorText(page).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }));
  await waitForSaveState(page, 'saved');
}

/**
 * "New document" on the list page: opens the type choice, picks `type`
 * (default blank), optionally types a title, and creates; resolves once the
 * editor of the new document is open. Returns its id.
 */
export async function createFromNewDocumentDialog(page: Page, options: { type?: string; title?: string } = {}): Promise<string> {
  const type = options.type ?? 'blank';
  await page.getByTestId('new-document').click();
  const dialog = page.getByTestId('new-document-dialog');
  await explain(page, 'the New document dialog did not open', dialog.waitFor({ timeout: UI_TIMEOUT_MS }));
  await dialog.getByTestId(`new-document-type-${type}`).check();
  if (options.title !== undefined) await dialog.getByTestId('new-document-title').fill(options.title);
  await dialog.getByTestId('new-document-create').click();
  await explain(page, 'creating did not open the editor', page.waitForURL(/\/d\/[A-Za-z0-9_-]+$/, { timeout: UI_TIMEOUT_MS }));
  return decodeURIComponent(new URL(page.url()).pathname.slice('/d/'.length));
}

/**
 * Waits until ProseMirror has taken over the browser's selection. Chromium
 * reports a caret moved by a key (End, Shift+Home…) through an asynchronous
 * `selectionchange` event; Playwright presses the next key at once, before
 * ProseMirror has read it, and a key ProseMirror handles itself (Enter,
 * Ctrl+B) would then act on the previous selection. A person's keystrokes
 * are far enough apart for this never to matter.
 */
export async function selectionSettled(page: Page): Promise<void> {
  await explain(
    page,
    "the editor's selection never caught up with the browser's",
    page.waitForFunction(
      () => {
        const dom = document.querySelector('.ProseMirror') as
          | (Element & { editor?: { state: { selection: { anchor: number; head: number } }; view: { posAtDOM(node: Node, offset: number): number } } })
          | null;
        const editor = dom?.editor;
        const selection = window.getSelection();
        if (!dom || !editor || !selection?.anchorNode || !selection.focusNode || !dom.contains(selection.focusNode)) return false;
        try {
          const { anchor, head } = editor.state.selection;
          return (
            editor.view.posAtDOM(selection.anchorNode, selection.anchorOffset) === anchor &&
            editor.view.posAtDOM(selection.focusNode, selection.focusOffset) === head
          );
        } catch {
          return false;
        }
      },
      null,
      { timeout: UI_TIMEOUT_MS },
    ),
  );
}

/** Clicks into the text, moves to its very end and types there, as a person would. */
export async function typeAtEnd(page: Page, text: string, { newParagraph = false } = {}): Promise<void> {
  await editorText(page).click();
  await page.keyboard.press('Control+End');
  await selectionSettled(page);
  if (newParagraph) await page.keyboard.press('Enter');
  await page.keyboard.type(text);
}

/**
 * Waits until the status line says exactly `label`. Its words can lag the state: "Saved" shows a moment after typing
 * pauses (editor `holdSaved`), while `data-state` (waitForSaveState) is the state at once.
 */
export async function waitForSaveLabel(page: Page, label: string, timeout = UI_TIMEOUT_MS): Promise<void> {
  await explain(page, `the save status never said "${label}"`, saveStatus(page).filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).waitFor({ timeout }));
}

export async function waitForSaveState(page: Page, state: string, timeout = UI_TIMEOUT_MS): Promise<void> {
  await explain(
    page,
    `save status never became "${state}"`,
    page.waitForFunction(
      (expected) => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === expected,
      state,
      { timeout },
    ),
  );
}

/**
 * The document's text as the person reads it: one line per block, without
 * other people's carets (their name labels are DOM inside the text).
 */
export function documentText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const root = document.querySelector('.ProseMirror');
    if (!root) return '';
    const copy = root.cloneNode(true) as Element;
    copy.querySelectorAll('.ProseMirror-widget, .collaboration-carets__caret').forEach((widget) => widget.remove());
    return Array.from(copy.children, (block) => block.textContent ?? '').join('\n');
  });
}

/** Waits until the document's text (carets left out, as in `documentText`) contains `text`. */
export async function waitForText(page: Page, text: string, timeout = UI_TIMEOUT_MS): Promise<void> {
  await explain(
    page,
    `the text never contained ${JSON.stringify(text)}`,
    page.waitForFunction(
      (expected) => {
        const root = document.querySelector('.ProseMirror');
        if (!root) return false;
        const copy = root.cloneNode(true) as Element;
        copy.querySelectorAll('.ProseMirror-widget, .collaboration-carets__caret').forEach((widget) => widget.remove());
        return Array.from(copy.children, (block) => block.textContent ?? '').join('\n').includes(expected);
      },
      text,
      { timeout },
    ),
  );
}

/**
 * Resolves once every IndexedDB write the app started on the document's
 * offline copy has committed: a read-only transaction over the same store
 * cannot start before earlier read-write ones have finished.
 */
export async function indexedDbSettled(page: Page, documentId: string): Promise<void> {
  await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('updates', 'readonly');
        tx.objectStore('updates').count();
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
      });
    } finally {
      db.close();
    }
  }, `rapporteur:${documentId}`);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Matches the app's own pages and files, but not its API (which stays unreachable offline). */
export const APP_FILES = /^http:\/\/127\.0\.0\.1:\d+\/(?!api\/|collab\/|healthz)/;

/**
 * Serves editor/dist from disk to `context`, as an HTTP cache or a service
 * worker would: the app has neither, so an offline reload could not even
 * fetch index.html. Returns the function that stops it.
 */
export async function serveAppFromDisk(context: BrowserContext): Promise<() => Promise<void>> {
  const handler = async (route: Route): Promise<void> => {
    const { pathname } = new URL(route.request().url());
    let file = path.join(STATIC_DIR, path.normalize(decodeURIComponent(pathname)));
    if (!file.startsWith(STATIC_DIR) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(STATIC_DIR, 'index.html');
    }
    await route.fulfill({ status: 200, body: fs.readFileSync(file), contentType: MIME[path.extname(file)] ?? 'application/octet-stream' });
  };
  await context.route(APP_FILES, handler);
  return () => context.unroute(APP_FILES, handler);
}

/**
 * Selects the first occurrence of `text` in the document as a person would
 * by dragging over it (it must lie in one text node), and waits until the
 * editor has taken the selection over. Works in read-only text too. The
 * selection is made again if a redraw of the paragraph (another person's
 * caret coming or going) dropped it before the editor read it.
 */
export async function selectText(page: Page, text: string): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const found = await page.evaluate((wanted) => {
      const root = document.querySelector('.ProseMirror');
      if (!root) return false;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(wanted) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        const selection = window.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return true;
      }
      return false;
    }, text);
    if (!found) throw new Error(`selectText: ${JSON.stringify(text)} is not in one text node of the document\n    ${await describePage(page)}`);
    const selected = await page
      .waitForFunction(
        (wanted) => {
          const dom = document.querySelector('.ProseMirror') as
            | (Element & { editor?: { state: { selection: { from: number; to: number }; doc: { textBetween(a: number, b: number): string } } } })
            | null;
          const state = dom?.editor?.state;
          return !!state && state.doc.textBetween(state.selection.from, state.selection.to) === wanted;
        },
        text,
        { timeout: 1000 },
      )
      .then(
        () => true,
        () => false,
      );
    if (selected) return;
    if (Date.now() > deadline) throw new Error(`the editor never selected ${JSON.stringify(text)}\n    ${await describePage(page)}`);
  }
}

export interface E2ESuite {
  readonly server: E2EServer;
  readonly browser: Browser;
  readonly people: People;
}

/**
 * One server and one browser for a test file, fresh browser contexts for
 * each test: registers the hooks that start them, screenshot every page of a
 * failed test under tests/.artifacts/, close the contexts after each test,
 * and stop everything at the end. Read the parts inside hooks and tests.
 */
export function e2eSuite(options: { resumeServerAfterEach?: boolean } = {}): E2ESuite {
  let server: E2EServer | undefined;
  let browser: Browser | undefined;
  let people: People | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([E2EServer.start(), launchBrowser()]);
    people = new People(browser, () => server!);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && people) {
      const files = await people.screenshot(task.name);
      if (files.length) console.error(`[e2e] screenshots of "${task.name}":\n  ${files.join('\n  ')}`);
    }
    await people?.closeAll();
    // A failed test may leave the server stopped; the next one needs it.
    if (options.resumeServerAfterEach) await server?.resume();
  });
  afterAll(async () => {
    await people?.closeAll();
    await browser?.close();
    await server?.dispose();
  });
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e ${what} is not started yet: use it inside hooks and tests`);
    return value;
  };
  return {
    get server() {
      return need(server, 'server');
    },
    get browser() {
      return need(browser, 'browser');
    },
    get people() {
      return need(people, 'people');
    },
  };
}
