import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COLORS, e2eSuite, explain, openDocument, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState } from './support';

// Issue 13, WCAG 2.2 SC 1.4.10 (Reflow) and 1.4.4 (Resize text): a
// 1,280 × 1,024 window zoomed to 400 % is a 320 × 256 CSS-pixel viewport, and
// every page must read there without scrolling sideways and without losing
// any control off the edge. Chromium's zoom is not scriptable from
// Playwright; the viewport it produces is, and it is what WCAG's criterion
// is defined on. Tables inside the document may scroll on their own (the
// criterion's exception for two-dimensional content).
const suite = e2eSuite();

/** What sticks out sideways: the page's overflow, and each visible control whose box leaves the viewport. */
async function lost(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width + 1) found.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width} px)`);
    const describe = (el: Element): string =>
      el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? `${el.tagName.toLowerCase()} “${(el.textContent ?? '').trim().slice(0, 30)}”`;
    for (const el of Array.from(document.querySelectorAll('button, a[href], input, select, textarea, [role="button"], h1, h2'))) {
      if (el.closest('.ProseMirror table, .table-scroll, [data-scrolls-sideways]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || el.closest('[hidden], .visually-hidden')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < -1 || box.right > width + 1) found.push(`${describe(el)} leaves the screen (${Math.round(box.left)}–${Math.round(box.right)} px)`);
    }
    return found;
  });
}

const ZOOMED = { width: 320, height: 256 };

describe('zoomed to 400 % (320 × 256 CSS pixels): nothing scrolls sideways or is cut off', () => {
  it('signed out: sign in, sign up', async () => {
    const visitor = await suite.people.openSignedOut('Visitor');
    await visitor.page.setViewportSize(ZOOMED);
    const found: Record<string, string[]> = {};
    for (const route of ['/signin', '/signup', '/forgot']) {
      await visitor.page.goto(route);
      await visitor.page.waitForLoadState('networkidle');
      found[route] = await lost(visitor.page);
    }
    expect(found).toEqual({ '/signin': [], '/signup': [], '/forgot': [] });
  });

  it('signed in: the list, the new-document dialog, the editor with its bars and panels, the profile and admin pages', async () => {
    const id = await suite.server.createDocument('Chair’s summary: financing community networks in the last billion');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const page = owner.page;
    await page.setViewportSize(ZOOMED);
    const found: Record<string, string[]> = {};

    await page.goto('/');
    await explain(page, 'the list never showed', page.getByTestId('new-document').waitFor({ timeout: UI_TIMEOUT_MS }));
    await page.waitForLoadState('networkidle');
    found.list = await lost(page);
    await page.getByTestId('new-document').click();
    await page.getByTestId('new-document-dialog').waitFor({ timeout: UI_TIMEOUT_MS });
    found.newDocument = await lost(page);
    await page.keyboard.press('Escape');

    await openDocument(page, id);
    await typeAtEnd(page, 'Participants agreed that community networks need licence-exempt spectrum, and that a supercalifragilistic word must wrap.');
    await waitForSaveState(page, 'saved');
    found.editor = await lost(page);
    for (const [toggle, panel] of [
      ['outline-toggle', 'outline-panel'],
      ['consensus-toggle', 'consensus-panel'],
    ] as const) {
      await page.getByTestId(toggle).click();
      await page.getByTestId(panel).waitFor({ timeout: UI_TIMEOUT_MS });
      found[panel] = await lost(page);
      await page.getByTestId(toggle).click();
    }
    await page.getByTestId('deadline-toggle').click();
    await page.getByTestId('deadline-form').waitFor({ timeout: UI_TIMEOUT_MS });
    found.deadline = await lost(page);
    await page.keyboard.press('Escape');
    await page.getByTestId('share-button').click();
    await page.getByTestId('share-dialog').waitFor({ timeout: UI_TIMEOUT_MS });
    found.share = await lost(page);
    await page.getByTestId('share-close').click();

    for (const route of ['/profile', '/admin']) {
      await page.goto(route);
      await page.waitForLoadState('networkidle');
      found[route] = await lost(page);
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });
});
