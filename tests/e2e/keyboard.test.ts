import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COLORS, documentText, e2eSuite, explain, openDocument, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState, waitForText } from './support';

const suite = e2eSuite();

/** What has focus, in words a failure message can show. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return 'nothing';
    const id = el.getAttribute('data-testid');
    if (id) return id;
    if (el.classList.contains('ProseMirror')) return 'editor';
    return `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}`;
  });
}

/** Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: string, { back = false, max = 60 } = {}): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    const now = await focused(page);
    if (now === target) return;
    seen.push(now);
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}; focus went through: ${seen.join(' → ')}`);
}

describe('the comment-and-review flow by keyboard alone (issue 13)', () => {
  it('a commenter selects a passage, comments and suggests; the owner finds the thread, accepts the suggestion, sets a disposition and replies — no mouse', async () => {
    const id = await suite.server.createDocument('Session report: meaningful access');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const bruno = await suite.people.open('Bruno', COLORS.blue);
    await suite.server.owner.api.setMember(id, bruno.account!.email, 'commenter');

    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Participants agreed that access must be affordable.');
    await waitForSaveState(owner.page, 'saved');

    // The commenter reaches the text with Tab, selects "affordable" with the keyboard, and comments (Ctrl+Alt+M).
    const page = bruno.page;
    await openDocument(page, id);
    await waitForText(page, 'must be affordable');
    await page.locator('body').focus();
    await tabTo(page, 'editor');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowLeft'); // before the full stop
    await page.keyboard.press('Control+Shift+ArrowLeft');
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe('affordable');
    await page.keyboard.press('Control+Alt+m');
    await expect.poll(() => focused(page), { timeout: UI_TIMEOUT_MS }).toBe('comment-input');
    await page.keyboard.type('Affordable for whom? Say it.');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('comment-suggestion-input');
    await page.keyboard.type('affordable for everyone');
    await page.keyboard.press('Control+Enter');
    const thread = page.getByTestId('comment-thread').first();
    await explain(page, 'the comment was not posted from the keyboard', thread.waitFor({ timeout: UI_TIMEOUT_MS }));

    // The owner tabs to the comments, moves to the thread, accepts the suggestion, answers and replies.
    const o = owner.page;
    const ownerThread = o.getByTestId('comment-thread').first();
    await ownerThread.waitFor({ timeout: UI_TIMEOUT_MS });
    await o.locator('body').focus();
    await tabTo(o, 'comment-thread');
    await o.keyboard.press('Enter');
    expect(await ownerThread.getAttribute('aria-current')).toBe('true');
    await tabTo(o, 'accept-suggestion');
    await o.keyboard.press('Enter');
    await waitForText(o, 'access must be affordable for everyone');
    await waitForText(page, 'access must be affordable for everyone');

    await tabTo(o, 'disposition-select', { back: true });
    await o.keyboard.press('Home');
    await o.keyboard.type('part');
    await tabTo(o, 'disposition-response');
    await o.keyboard.type('Accepted in part: the wording now names everyone.');
    await tabTo(o, 'disposition-save');
    await o.keyboard.press('Enter');
    await expect.poll(() => ownerThread.getAttribute('data-status'), { timeout: UI_TIMEOUT_MS }).toBe('partially-accepted');
    await tabTo(o, 'reply-input');
    await o.keyboard.type('Thank you, Bruno.');
    await o.keyboard.press('Control+Enter');
    await explain(o, 'the reply was not posted', ownerThread.getByTestId('comment-reply').first().waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await ownerThread.getByTestId('comment-response').textContent()).toContain('Accepted in part');
    expect(await documentText(page)).toContain('affordable for everyone');
  });
});
