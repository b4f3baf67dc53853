import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import {
  COLORS,
  e2eSuite,
  explain,
  indexedDbSettled,
  openDocument,
  typeAtEnd,
  UI_TIMEOUT_MS,
  waitForSaveState,
} from './support';

// Signing out on a shared computer leaves nothing of private documents in the
// browser: the offline copies (IndexedDB) and pending counts are deleted.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

/** What the app keeps in this browser: its IndexedDB databases and localStorage keys. */
function storedCopies(page: Page): Promise<{ databases: string[]; keys: string[] }> {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('rapporteur:')),
    keys: Object.keys(localStorage).filter((k) => k.startsWith('rapporteur:')),
  }));
}

describe('sign-out', () => {
  it("deletes the browser's offline copies of documents and keeps the chosen name and colour", async () => {
    const first = await server.createDocument('Session report');
    const second = await server.createDocument('Background paper');
    const amina = await people.open('Amina', COLORS.crimson);
    await openDocument(amina.page, first);
    await typeAtEnd(amina.page, 'Private draft text.');
    await waitForSaveState(amina.page, 'saved');
    await indexedDbSettled(amina.page, first);
    await openDocument(amina.page, second);
    await indexedDbSettled(amina.page, second);

    const before = await storedCopies(amina.page);
    expect(before.databases.sort()).toEqual([`rapporteur:${first}`, `rapporteur:${second}`].sort());
    expect(before.keys).toContain(`rapporteur:pending:${first}`);

    // Signing out from the open document: its database is still open, and is deleted once the page closes it.
    expect(await amina.page.getByTestId('signout').getAttribute('title')).toContain('offline copies');
    await amina.page.getByTestId('signout').click();
    await amina.page.waitForURL(/\/signin/, { timeout: UI_TIMEOUT_MS });
    await explain(
      amina.page,
      'the offline copies were not deleted',
      amina.page.waitForFunction(
        async () => (await indexedDB.databases()).every((d) => !d.name?.startsWith('rapporteur:')),
        null,
        { timeout: UI_TIMEOUT_MS, polling: 100 },
      ),
    );
    const after = await storedCopies(amina.page);
    expect(after).toEqual({ databases: [], keys: ['rapporteur:identity'] });
  });

  it('deletes them from the names the app noted where the browser cannot list its databases', async () => {
    const id = await server.createDocument('Messages');
    const bruno = await people.open('Bruno', COLORS.blue);
    await openDocument(bruno.page, id);
    await indexedDbSettled(bruno.page, id);
    expect(await bruno.page.evaluate(() => localStorage.getItem('rapporteur:offline-copies'))).toBe(JSON.stringify([`rapporteur:${id}`]));
    // As in browsers without indexedDB.databases(): the app only has the names it noted.
    await bruno.page.evaluate(() => {
      (IDBFactory.prototype as { databases?: unknown }).databases = undefined;
    });
    await bruno.page.getByTestId('signout').click();
    await bruno.page.waitForURL(/\/signin/, { timeout: UI_TIMEOUT_MS });
    await explain(
      bruno.page,
      'the noted offline copy was not deleted',
      bruno.page.waitForFunction(
        async (name) => {
          // Queued behind the app's deletion; a database that no longer exists opens new, without stores.
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
          });
          const empty = db.objectStoreNames.length === 0;
          db.close();
          return empty;
        },
        `rapporteur:${id}`,
        { timeout: UI_TIMEOUT_MS, polling: 200 },
      ),
    );
    expect(await bruno.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('rapporteur:')))).toEqual(['rapporteur:identity']);
  });
});
