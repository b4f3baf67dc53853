import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COLORS, e2eSuite, openDocument, selectText, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState } from './support';

const suite = e2eSuite();

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: what issue 13 asks of every page. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** axe's violations on the page as it is now, one line each (rule, impact, the elements it found), for a readable failure. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

async function settle(page: Page, what: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  // No loading line left: the page is in its final state.
  await page.waitForFunction(() => !document.querySelector('[role="status"].notice'), null, { timeout: UI_TIMEOUT_MS }).catch(() => {
    throw new Error(`${what}: still loading`);
  });
}

describe('accessibility: axe finds no WCAG 2.2 A/AA violation on any page (issue 13)', () => {
  it('pages for people who are not signed in', async () => {
    const visitor = await suite.people.openSignedOut('Visitor');
    const found: Record<string, string[]> = {};
    for (const route of ['/signin', '/signup', '/forgot', '/reset/not-a-real-code', '/invite/not-a-real-code', '/no/such/page']) {
      await visitor.page.goto(route);
      await settle(visitor.page, route);
      found[route] = await violations(visitor.page);
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });

  it('pages for a signed-in owner and administrator: the list, the editor with each of its panels and dialogs, the profile, the admin page', async () => {
    const id = await suite.server.createDocument('Session report: digital inclusion');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const page = owner.page;
    const found: Record<string, string[]> = {};

    await page.goto('/');
    await settle(page, 'list');
    found.list = await violations(page);

    await openDocument(page, id);
    await typeAtEnd(page, 'Participants agreed that access must be affordable.');
    await waitForSaveState(page, 'saved');
    found.editor = await violations(page);
    await page.getByTestId('outline-toggle').click();
    await page.getByTestId('outline-panel').waitFor({ timeout: UI_TIMEOUT_MS });
    found.outline = await violations(page);
    await page.getByTestId('outline-close').click();
    await suite.server.owner.api.nameVersion(id, 'First draft');
    await typeAtEnd(page, ' Connectivity is a right.');
    await waitForSaveState(page, 'saved');

    // A comment with a suggestion, selected: the thread with its actions.
    await selectText(page, 'must be affordable');
    await page.getByTestId('comment-button').click();
    await page.getByTestId('comment-input').fill('Affordable for whom?');
    await page.getByTestId('comment-suggestion-input').fill('should be affordable for everyone');
    found.composer = await violations(page);
    await page.getByTestId('comment-submit').click();
    await page.locator('[data-comment-id]').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('comments-panel').locator('[data-comment-id]').first().click();
    found.comments = await violations(page);

    await page.getByTestId('share-button').click();
    await page.getByRole('dialog').waitFor({ timeout: UI_TIMEOUT_MS });
    found.share = await violations(page);
    // Closing it, by Escape or by its button, gives focus back to the Share button.
    const focused = (): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    await page.keyboard.press('Escape');
    await expect.poll(focused, { timeout: UI_TIMEOUT_MS }).toBe('share-button');
    await page.keyboard.press('Enter');
    await page.getByTestId('share-close').click();
    await expect.poll(focused, { timeout: UI_TIMEOUT_MS }).toBe('share-button');

    await page.getByTestId('history-toggle').click();
    await page.getByTestId('history-entry').first().waitFor({ timeout: UI_TIMEOUT_MS });
    found.history = await violations(page);
    await page.getByTestId('history-version').first().click();
    await page.getByTestId('history-compare').click();
    await page.getByTestId('history-diff').waitFor({ timeout: UI_TIMEOUT_MS });
    found.compare = await violations(page);

    for (const route of ['/profile', '/admin']) {
      await page.goto(route);
      await settle(page, route);
      found[route] = await violations(page);
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });

  it('a phone-sized screen (320 CSS pixels wide): the list and the editor', async () => {
    const id = await suite.server.createDocument('Chair’s summary');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    await owner.page.setViewportSize({ width: 320, height: 640 });
    const found: Record<string, string[]> = {};
    await owner.page.goto('/');
    await settle(owner.page, 'list');
    found.list = await violations(owner.page);
    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Views diverged on the role of governments.');
    await waitForSaveState(owner.page, 'saved');
    found.editor = await violations(owner.page);
    expect(found).toEqual({ list: [], editor: [] });
  });

  it("announces others' edits and new comments politely in a live region, gathered, by name (issue 13)", async () => {
    const id = await suite.server.createDocument('Background paper: meaningful access');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const amina = await suite.people.open('Amina Diallo', COLORS.blue);
    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Access must be affordable.');
    await waitForSaveState(owner.page, 'saved');
    await openDocument(amina.page, id);
    const region = owner.page.getByTestId('activity-announcer');
    expect(await region.getAttribute('aria-live')).toBe('polite');
    // What was there when the page opened is not news.
    await owner.page.waitForTimeout(3_500);
    expect(await region.textContent()).toBe('');

    await typeAtEnd(amina.page, ' Connectivity is a right.');
    await waitForSaveState(amina.page, 'saved');
    await expect.poll(() => region.textContent(), { timeout: 20_000 }).toBe('Amina Diallo edited the text.');

    await selectText(amina.page, 'Connectivity');
    await amina.page.getByTestId('comment-button').click();
    await amina.page.getByTestId('comment-input').fill('Is this agreed language?');
    await amina.page.getByTestId('comment-submit').click();
    await expect.poll(() => region.textContent(), { timeout: 20_000 }).toBe('A new comment from Amina Diallo.');
  });
});
