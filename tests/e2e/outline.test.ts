import { describe, expect, it } from 'vitest';
import { COLORS, e2eSuite, explain, openDocument, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState } from './support';

const suite = e2eSuite();

describe('the outline of a long document (issue 14)', () => {
  it('lists the headings, marks the section holding the caret, jumps to a heading, and counts words', async () => {
    const id = await suite.server.createDocument('Background paper: digital inclusion');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const page = owner.page;
    await openDocument(page, id);

    await page.getByTestId('outline-toggle').click();
    const panel = page.getByTestId('outline-panel');
    await explain(page, 'the outline has no empty state', panel.getByTestId('outline-empty').waitFor({ timeout: UI_TIMEOUT_MS }));

    // Two sections, each a heading and a long paragraph, written as a person would (Ctrl+Alt+1 makes a heading).
    const filler = 'Participants discussed affordable access, local content and skills. '.repeat(12).trim();
    await typeAtEnd(page, 'Issues raised');
    await page.keyboard.press('Control+Alt+1');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(filler);
    await page.keyboard.press('Enter');
    await page.keyboard.type('Way forward');
    await page.keyboard.press('Control+Alt+2');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Next steps follow.');
    await waitForSaveState(page, 'saved');

    const entries = panel.getByTestId('outline-entry');
    await expect.poll(() => entries.allTextContents(), { timeout: UI_TIMEOUT_MS }).toEqual(['Issues raised', 'Way forward']);
    expect(await entries.nth(1).getAttribute('data-level')).toBe('2');
    // The caret is in the last section.
    await expect.poll(() => entries.nth(1).getAttribute('aria-current'), { timeout: UI_TIMEOUT_MS }).toBe('location');

    // Choosing the first heading moves the caret there (and the text follows, so typing goes there).
    await entries.nth(0).click();
    await expect.poll(() => entries.nth(0).getAttribute('aria-current'), { timeout: UI_TIMEOUT_MS }).toBe('location');
    await page.keyboard.type('Key ');
    await expect.poll(() => entries.allTextContents(), { timeout: UI_TIMEOUT_MS }).toEqual(['Key Issues raised', 'Way forward']);

    // 2 + 12×8 + 2 + 3 words, plus the "Key" just typed.
    await expect.poll(() => panel.getByTestId('outline-counts').textContent(), { timeout: UI_TIMEOUT_MS }).toMatch(/^104 words · [\d,]+ characters$/);

    // Escape closes it and gives focus back to its button.
    await entries.nth(0).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: UI_TIMEOUT_MS }).toBe('outline-toggle');
  });
});
