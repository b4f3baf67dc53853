import AxeBuilder from '@axe-core/playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import { COLORS, documentText, e2eSuite, editorText, explain, openDocument, selectText, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState, waitForText } from './support';

// Issue 14 (SPEC FR1–FR4) in Chromium: an editor finds with Ctrl+F (the
// selected words as the query), steps through the matches, narrows them with
// "Match case", replaces all but the one under an open suggestion (the bar
// says so), undoes it in one step; a commenter finds but is not offered
// Replace. The matching and replacement rules are unit-tested
// (editor/src/find/find.test.ts).
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

describe('find and replace', () => {
  it('finds, steps, replaces all but what an open suggestion depends on, undoes in one step; a commenter only finds', async () => {
    const id = await server.createDocument('Chair’s summary');
    const owner = await people.openAs(server.owner, COLORS.crimson);
    const commenter = await people.open('Commenter Lin', COLORS.blue);
    const page = owner.page;
    await openDocument(page, id);
    await typeAtEnd(page, 'The forum met twice. The Forum agreed.');
    await typeAtEnd(page, 'Forum members asked the forum to publish.', { newParagraph: true });
    await waitForSaveState(page, 'saved');

    // An open suggestion on "asked the forum".
    await selectText(page, 'asked the forum');
    await page.getByTestId('comment-button').click();
    await page.getByTestId('comment-input').fill('Clearer.');
    await page.getByTestId('comment-suggestion-input').fill('asked the IGF');
    await page.getByTestId('comment-submit').click();
    await explain(page, 'the suggestion did not appear', page.locator('[data-comment-id][data-status="open"]').first().waitFor({ timeout: UI_TIMEOUT_MS }));

    // Ctrl+F with a word selected: that word is the query, the first match at the selection is current.
    await selectText(page, 'forum');
    await page.keyboard.press('Control+f');
    const bar = page.getByTestId('find-bar');
    await explain(page, 'no find bar after Ctrl+F', bar.waitFor({ timeout: UI_TIMEOUT_MS }));
    const query = bar.getByTestId('find-query');
    await expect.poll(() => query.evaluate((el) => el === document.activeElement), { timeout: UI_TIMEOUT_MS }).toBe(true);
    expect(await query.inputValue()).toBe('forum');
    const count = bar.getByTestId('find-count');
    await expect.poll(() => count.textContent(), { timeout: UI_TIMEOUT_MS }).toBe('1 of 4');
    expect(await editorText(page).locator('.find-match').count()).toBe(4);
    expect(await editorText(page).locator('.find-match--current').textContent()).toBe('forum');
    await query.press('Enter');
    await expect.poll(() => count.textContent()).toBe('2 of 4');
    expect(await editorText(page).locator('.find-match--current').textContent()).toBe('Forum');
    await query.press('Shift+Enter');
    await query.press('Shift+Enter');
    await expect.poll(() => count.textContent()).toBe('4 of 4');
    await bar.getByTestId('find-case').check();
    // The current match stays where the reader is: the last "forum" is the second of two.
    await expect.poll(() => count.textContent()).toBe('2 of 2');
    await bar.getByTestId('find-case').uncheck();
    expect(
      await new AxeBuilder({ page })
        .include('[data-testid="find-bar"]')
        .analyze()
        .then((r) => r.violations.map((v) => v.id)),
    ).toEqual([]);

    // Replace all: the match under the open suggestion is left, and the bar says so.
    await bar.getByTestId('find-show-replace').click();
    await bar.getByTestId('find-replacement').fill('IGF');
    await bar.getByTestId('find-replace-all').click();
    await expect.poll(() => bar.getByTestId('find-said').textContent(), { timeout: UI_TIMEOUT_MS }).toBe(
      'Replaced: 3. Left as they are, because an open comment or suggestion depends on them: 1.',
    );
    await expect.poll(() => documentText(page)).toBe('The IGF met twice. The IGF agreed.\nIGF members asked the forum to publish.');
    await expect.poll(() => count.textContent()).toBe('1 of 1');

    // Escape returns to the text; one undo brings every replacement back.
    await query.press('Escape');
    await expect.poll(() => bar.count()).toBe(0);
    expect(await editorText(page).locator('.find-match').count()).toBe(0);
    // Tiptap hands focus back on the next frame: the undo key goes to the text once it is there.
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false)).toBe(true);
    await page.keyboard.press('Control+z');
    await expect.poll(() => documentText(page)).toBe('The forum met twice. The Forum agreed.\nForum members asked the forum to publish.');
    await waitForSaveState(page, 'saved');

    // A commenter finds (the Find button) but has no Replace.
    await server.owner.api.setMember(id, commenter.account!.email, 'commenter');
    await openDocument(commenter.page, id);
    await waitForText(commenter.page, 'publish');
    await commenter.page.getByTestId('find-toggle').click();
    const theirs = commenter.page.getByTestId('find-bar');
    await theirs.getByTestId('find-query').fill('FORUM');
    await expect.poll(() => theirs.getByTestId('find-count').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('1 of 4');
    expect(await theirs.getByTestId('find-show-replace').count()).toBe(0);
    expect(await theirs.getByTestId('find-replacement').count()).toBe(0);
  });
});
