import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import {
  COLORS,
  documentText,
  e2eSuite,
  editorText,
  explain,
  indexedDbSettled,
  openDocument,
  saveStatus,
  serveAppFromDisk,
  typeAtEnd,
  UI_TIMEOUT_MS,
  waitForSaveLabel,
  waitForSaveState,
  waitForText,
} from './support';

const suite = e2eSuite({ resumeServerAfterEach: true });
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

async function exportedHtml(id: string): Promise<string> {
  const response = await fetch(`${server.url}/api/documents/${encodeURIComponent(id)}/export?format=html`, { headers: server.authHeaders });
  expect(response.status).toBe(200);
  return response.text();
}

describe('server restart', () => {
  it('keeps the text: the open page reconnects, a reload shows it, and so does a fresh browser', async () => {
    const id = await server.createDocument('Survives restarts');
    const alice = await people.open('Alice', COLORS.blue);
    await openDocument(alice.page, id);
    await typeAtEnd(alice.page, 'Written before the restart.');
    await waitForSaveState(alice.page, 'saved');

    await server.restart(); // same port, same DATA_DIR

    // The open page notices, reconnects by itself and is saved again.
    await waitForSaveState(alice.page, 'saved');
    await alice.page.reload();
    await editorText(alice.page).waitFor({ timeout: UI_TIMEOUT_MS });
    await waitForText(alice.page, 'Written before the restart.');
    await waitForSaveState(alice.page, 'saved');

    // A fresh context has no IndexedDB copy: the text can only come from the server.
    const carol = await people.open('Carol', COLORS.purple);
    await carol.page.goto('/');
    expect(await carol.page.evaluate(() => indexedDB.databases().then((dbs) => dbs.map((db) => db.name)))).toEqual([]);
    await openDocument(carol.page, id);
    await waitForText(carol.page, 'Written before the restart.');
    expect(await documentText(carol.page)).toBe('Written before the restart.');
  });
});

describe('offline', () => {
  it('keeps edits made offline out of sight of others until the connection returns, then delivers them', async () => {
    const id = await server.createDocument('Offline edits');
    const alice = await people.open('Alice', COLORS.blue);
    const bob = await people.open('Bob', COLORS.forest);
    await openDocument(alice.page, id);
    await openDocument(bob.page, id);
    await typeAtEnd(alice.page, 'Shared while online.');
    await waitForText(bob.page, 'Shared while online.');
    await waitForSaveState(alice.page, 'saved');

    await alice.context.setOffline(true);
    await waitForSaveState(alice.page, 'offline');
    await typeAtEnd(alice.page, ' Typed while offline.');
    await waitForText(alice.page, 'Typed while offline.');

    // The status says offline and how many changes wait.
    await waitForSaveState(alice.page, 'offline');
    const label = (await saveStatus(alice.page).textContent())?.trim() ?? '';
    const waiting = /(\d+) changes? waiting/.exec(label);
    expect(waiting, `status "${label}" should give the number of waiting changes`).not.toBeNull();
    expect(Number(waiting?.[1])).toBeGreaterThan(0);

    // Bob, online, writes too and waits until the server has stored it: anything
    // Alice had managed to send would have reached the server before that.
    await typeAtEnd(bob.page, 'Bob keeps writing.', { newParagraph: true });
    await waitForSaveState(bob.page, 'saved');
    const stored = await exportedHtml(id);
    expect(stored).toContain('Bob keeps writing.');
    expect(stored).not.toContain('Typed while offline.');
    expect(await documentText(bob.page)).not.toContain('Typed while offline.');
    // And Alice, offline, does not get Bob's text either.
    expect(await documentText(alice.page)).not.toContain('Bob keeps writing.');

    await alice.context.setOffline(false);
    await waitForText(bob.page, 'Typed while offline.');
    await waitForText(alice.page, 'Bob keeps writing.');
    await waitForSaveState(alice.page, 'saved');
    await waitForSaveLabel(alice.page, 'Saved');
    expect(await documentText(alice.page)).toBe(await documentText(bob.page));
    expect(await exportedHtml(id)).toContain('Typed while offline.');
  });

  it('keeps edits made offline in IndexedDB when the page is opened again while still offline, and sends them once online', async () => {
    const id = await server.createDocument('Offline reload');
    const alice = await people.open('Alice', COLORS.blue);
    await openDocument(alice.page, id);
    await typeAtEnd(alice.page, 'Online first.');
    await waitForSaveState(alice.page, 'saved');

    await alice.context.setOffline(true);
    await waitForSaveState(alice.page, 'offline');
    await typeAtEnd(alice.page, ' Kept in this browser.');
    await waitForSaveState(alice.page, 'offline');
    // IndexedDB writes are asynchronous; closing the page in the same
    // millisecond as the last keystroke (only a script is that fast) could
    // cut the last ones off.
    await indexedDbSettled(alice.page, id);

    // The app has no service worker, so offline it could not even load its
    // own index.html: serve editor/dist from disk, as a cache would. The API
    // and the sync socket stay unreachable.
    const stopServing = await serveAppFromDisk(alice.context);
    // Close the tab and open the document again in a new one (same browser
    // profile, so same IndexedDB), rather than page.reload(): during a reload
    // Chromium lifts DevTools' offline emulation for the outgoing page, which
    // receives an "online" event, reconnects and sometimes sends the edits
    // before it is gone, which a real network that is down would never allow.
    await alice.page.close();
    const reopened = await alice.context.newPage();
    await reopened.goto(`/d/${encodeURIComponent(id)}`);
    await explain(reopened, 'the editor did not open offline', editorText(reopened).waitFor({ timeout: UI_TIMEOUT_MS }));
    await waitForText(reopened, 'Online first. Kept in this browser.');
    // Not connected, and not claiming to be saved. (The number of waiting
    // changes is not checked here: it is kept in localStorage, which in
    // Chromium under DevTools' offline emulation sometimes comes back stale
    // in the new page.)
    await explain(
      reopened,
      'the page opened offline should not report a connection',
      reopened.waitForFunction(
        () => ['offline', 'connecting'].includes(document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') ?? ''),
        null,
        { timeout: UI_TIMEOUT_MS },
      ),
    );
    expect(await exportedHtml(id)).not.toContain('Kept in this browser.');

    // Back online. A page served from disk counts as a public address for
    // Chromium's local-network checks and may not open a socket to
    // 127.0.0.1: load it from the server again.
    await stopServing();
    await alice.context.setOffline(false);
    await reopened.reload();
    await editorText(reopened).waitFor({ timeout: UI_TIMEOUT_MS });
    await waitForSaveState(reopened, 'saved');
    await waitForText(reopened, 'Online first. Kept in this browser.');

    // The edits made offline reached the server: a fresh browser gets them.
    const bob = await people.open('Bob', COLORS.forest);
    await openDocument(bob.page, id);
    await waitForText(bob.page, 'Online first. Kept in this browser.');
    expect(await exportedHtml(id)).toContain('Kept in this browser.');
  });
});
