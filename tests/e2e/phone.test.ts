import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COLORS, e2eSuite, openDocument, selectText, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState, waitForText } from './support';

const suite = e2eSuite();

/** Whether the element is wholly inside the window, without scrolling. */
async function onScreen(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + box.height <= viewport.height && box.x >= 0 && box.x + box.width <= viewport.width;
}

describe('on a phone, 390 CSS pixels wide (issue 14)', () => {
  it('a commenter reads, comments on a passage and follows the thread without hunting for the panel', async () => {
    const id = await suite.server.createDocument('Session report: youth participation');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    await openDocument(owner.page, id);
    const filler = 'Young people asked for a seat at the table in national initiatives. '.repeat(30).trim();
    await typeAtEnd(owner.page, filler);
    await typeAtEnd(owner.page, 'Participants agreed to mentor newcomers.', { newParagraph: true });
    await waitForSaveState(owner.page, 'saved');

    const amina = await suite.people.open('Amina Diallo', COLORS.blue);
    await suite.server.owner.api.setMember(id, amina.account!.email, 'commenter');
    const page = amina.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await openDocument(page, id);
    await waitForText(page, 'mentor newcomers');
    // Readers get no toolbar; the title is whole.
    expect(await page.getByRole('toolbar').count()).toBe(0);
    const heading = page.getByTestId('document-title');
    if ((await heading.count()) > 0) expect(await heading.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1), "the title is cut off").toBe(true);

    // The last passage, far down: select it, and Comment is right there.
    await page.locator('.ProseMirror p', { hasText: 'mentor newcomers' }).scrollIntoViewIfNeeded();
    await selectText(page, 'mentor newcomers');
    const comment = page.getByTestId('comment-button');
    expect(await onScreen(page, comment), 'the Comment button is off screen').toBe(true);
    await comment.click();
    await page.getByTestId('comment-input').fill('Who will organise the mentoring?');
    expect(await onScreen(page, page.getByTestId('comment-submit'))).toBe(true);
    await page.getByTestId('comment-submit').click();
    const thread = page.getByTestId('comment-thread').first();
    await thread.waitFor({ timeout: UI_TIMEOUT_MS });
    await thread.scrollIntoViewIfNeeded();
    expect(await onScreen(page, thread.getByTestId('comment-quote'))).toBe(true);

    // The sheet folds away to read, and comes back.
    await page.getByTestId('side-sheet-toggle').click();
    await expect.poll(() => comment.isVisible(), { timeout: UI_TIMEOUT_MS }).toBe(false);
    await page.getByTestId('side-sheet-toggle').click();
    await expect.poll(() => thread.isVisible(), { timeout: UI_TIMEOUT_MS }).toBe(true);
  });
});
