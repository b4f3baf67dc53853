import AxeBuilder from '@axe-core/playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import { COLORS, e2eSuite, explain, openDocument, UI_TIMEOUT_MS } from './support';

// Issue 13: the share and publish dialogs are not part of the editor's first
// load; their code comes when the button is first pressed. On a link that
// drops just then, the person is told so and can try again, and nothing else
// on the page breaks; focus goes back to the button when the dialog closes.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

describe('parts loaded on first use', () => {
  it('the share dialog is fetched when first opened; a failed fetch is said, with Try again', async () => {
    const id = await server.createDocument('Background paper: community networks');
    const owner = await people.openAs(server.owner, COLORS.crimson);
    const page = owner.page;
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (/\/assets\/(ShareDialog|PublishDialog)-/.test(request.url())) fetched.push(new URL(request.url()).pathname);
    });
    // The first attempt fails as on a dropped link.
    let failing = true;
    await page.route(/\/assets\/ShareDialog-[^/]+\.js$/, (route) => (failing ? route.abort('internetdisconnected') : route.fallback()));
    await openDocument(page, id);
    expect(fetched).toEqual([]);

    await page.getByTestId('share-button').click();
    const failed = page.getByTestId('part-load-failed');
    await explain(page, 'the failure was never said', failed.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await failed.getAttribute('role')).toBe('alert');
    expect(await failed.textContent()).toContain('This part could not be loaded. Check your connection, then try again.');
    expect(await new AxeBuilder({ page }).include('[data-testid="part-load-failed"]').analyze().then((r) => r.violations.map((v) => v.id))).toEqual([]);
    // The editor itself is untouched.
    expect(await page.locator('.ProseMirror').count()).toBe(1);

    failing = false;
    await failed.getByRole('button', { name: 'Try again' }).click();
    const dialog = page.getByTestId('share-dialog');
    await explain(page, 'the dialog never opened after Try again', dialog.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await page.getByTestId('part-load-failed').count()).toBe(0);
    expect(fetched.filter((p) => p.includes('ShareDialog')).length).toBeGreaterThanOrEqual(2);
    expect(fetched.some((p) => p.includes('PublishDialog'))).toBe(false);

    // Closed, focus is back on the button.
    await page.getByTestId('share-close').click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('share-button');

    // Publish: fetched on first press only.
    await page.getByTestId('publish-button').click();
    await explain(page, 'the publish dialog never opened', page.getByTestId('publish-dialog').waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(fetched.some((p) => p.includes('PublishDialog'))).toBe(true);
  });
});
