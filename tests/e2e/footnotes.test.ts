import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COLORS, e2eSuite, explain, openDocument, selectText, selectionSettled, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState, waitForText } from './support';

// Issue 14, end to end in Chromium: footnotes inserted from the keyboard and
// the toolbar, their text typed in the note's own box, numbered in document
// order for everyone, renumbered when text moves, and in the exports (SPEC FN1–FN5).
const suite = e2eSuite();

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Each reference's number in the text, with its note's text, in document order. */
function footnotes(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.ProseMirror .footnote'), (f) => {
      const number = f.querySelector('.footnote__ref [aria-hidden="true"]')?.textContent ?? '?';
      return `${number}:${f.querySelector('.footnote__text')?.textContent ?? ''}`;
    }),
  );
}

const hint = (page: Page) => page.getByTestId('footnote-hint');

/** The text box's text as seen (a closed note shows only its number; the number's name for screen readers is not seen). */
function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const seen = (block: Element): string => {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let text = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement!;
        if (parent.closest('.visually-hidden') || parent.getClientRects().length === 0) continue;
        text += node.textContent ?? '';
      }
      return text;
    };
    return Array.from(document.querySelector('.ProseMirror')!.children, seen).join(' / ');
  });
}

describe('footnotes', () => {
  it('inserts footnotes (shortcut and toolbar), types their text, numbers them for everyone, renumbers after moving text, and exports them', async () => {
    const id = await suite.server.createDocument('Chair’s summary with notes');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const amina = await suite.people.open('Amina Diallo', COLORS.blue);
    const page = owner.page;
    await openDocument(page, id);

    // Ctrl+Alt+F: a footnote after "matters", its box open with the caret in it.
    await typeAtEnd(page, 'Access matters');
    await page.keyboard.press('Control+Alt+F');
    await expect.poll(() => hint(page).textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Footnote 1: you are in its text. Enter or Escape returns to the main text.');
    await page.keyboard.type('Note on access.');
    await page.keyboard.press('Escape');
    await expect.poll(() => hint(page).textContent(), { timeout: UI_TIMEOUT_MS }).toBe('');
    await selectionSettled(page);
    await page.keyboard.type('.');
    // The second paragraph's footnote from the toolbar button.
    await page.keyboard.press('Enter');
    await page.keyboard.type('Rights matter');
    await page.getByTestId('tool-footnote').click();
    await page.keyboard.type('Note on rights.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('.');
    await expect.poll(() => footnotes(page), { timeout: UI_TIMEOUT_MS }).toEqual(['1:Note on access.', '2:Note on rights.']);
    // Closed, a note shows only its number: the text reads as the text.
    expect(await visibleText(page)).toBe('Access matters1. / Rights matter2.');
    await waitForSaveState(page, 'saved');

    // Others see the same numbers.
    await openDocument(amina.page, id);
    await waitForText(amina.page, 'Rights matter');
    await expect.poll(() => footnotes(amina.page), { timeout: UI_TIMEOUT_MS }).toEqual(['1:Note on access.', '2:Note on rights.']);

    // The keyboard around a reference: ← from after it selects it, Enter opens it, Escape goes back after it.
    await page.locator('.ProseMirror p', { hasText: 'Rights matter' }).click();
    await page.keyboard.press('End');
    await selectionSettled(page);
    await page.keyboard.press('ArrowLeft');
    await selectionSettled(page);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => hint(page).textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Footnote 2 selected: Enter opens its text.');
    await page.keyboard.press('Enter');
    await expect.poll(() => hint(page).textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Footnote 2: you are in its text.');
    // The open note passes axe (its number named for screen readers, the hint a live region).
    const axe = await new AxeBuilder({ page }).include('.editor').withTags(WCAG_AA).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.keyboard.type(' See A/HRC/47/L.22.');
    await page.keyboard.press('Escape');
    // Selected, typing goes after the reference instead of replacing it.
    await selectionSettled(page);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => hint(page).textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Footnote 2 selected');
    await page.keyboard.type('!');
    await expect.poll(() => footnotes(page), { timeout: UI_TIMEOUT_MS }).toEqual(['1:Note on access.', '2:Note on rights. See A/HRC/47/L.22.']);
    expect(await visibleText(page)).toBe('Access matters1. / Rights matter2!.');

    // Move the second paragraph above the first (cut and paste): the numbers follow the order.
    await page.locator('.ProseMirror p', { hasText: 'Rights matter' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await selectionSettled(page);
    await page.keyboard.press('Control+X');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+Home');
    await selectionSettled(page);
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await selectionSettled(page);
    await page.keyboard.press('Control+V');
    await expect.poll(() => footnotes(page), { timeout: UI_TIMEOUT_MS }).toEqual(['1:Note on rights. See A/HRC/47/L.22.', '2:Note on access.']);
    expect(await visibleText(page)).toBe('Rights matter1!. / Access matters2.');
    await waitForSaveState(page, 'saved');
    await expect.poll(() => footnotes(amina.page), { timeout: UI_TIMEOUT_MS }).toEqual(['1:Note on rights. See A/HRC/47/L.22.', '2:Note on access.']);

    // Clicking a number opens its note; for a reader as well (reading only).
    await amina.page.locator('.ProseMirror .footnote__ref').nth(1).click();
    await expect.poll(() => hint(amina.page).textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Footnote 2: you are in its text.');
    expect(await amina.page.locator('.ProseMirror .footnote--open .footnote__text').isVisible()).toBe(true);

    // The exports number them in the new order: HTML notes, Word footnotes.
    const auth = { headers: suite.server.authHeaders };
    const html = await (await fetch(`${suite.server.url}/api/documents/${id}/export?format=html`, auth)).text();
    expect(html).toContain('Rights matter<sup class="footnote-ref"><a href="#fn-1"');
    expect(html).toMatch(/<li id="fn-1"><p>Note on rights\. See A\/HRC\/47\/L\.22\. <a href="#fnref-1"/);
    expect(html).toMatch(/<li id="fn-2"><p>Note on access\. /);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-footnotes-e2e-'));
    try {
      const docx = path.join(dir, 'summary.docx');
      fs.writeFileSync(docx, Buffer.from(await (await fetch(`${suite.server.url}/api/documents/${id}/export?format=docx`, auth)).arrayBuffer()));
      const md = execFileSync('pandoc', ['--from=docx', '--to=markdown-smart', '--wrap=none', docx], { encoding: 'utf8' });
      expect(md).toContain('Rights matter[^1]!.');
      expect(md).toMatch(/\[\^1\]: Note on rights\. See A\/HRC\/47\/L\.22\.\s+\[\^2\]: Note on access\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Backspace next to a reference selects it first, then deletes it; Backspace in an empty note removes it', async () => {
    const id = await suite.server.createDocument('Notes to delete');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const page = owner.page;
    await openDocument(page, id);
    await typeAtEnd(page, 'One');
    await page.keyboard.press('Control+Alt+F');
    await page.keyboard.type('first');
    await page.keyboard.press('Escape');
    await selectionSettled(page);
    await page.keyboard.type(' two');
    await page.keyboard.press('Control+Alt+F');
    await expect.poll(() => footnotes(page), { timeout: UI_TIMEOUT_MS }).toEqual(['1:first', '2:']);
    // An empty note: Backspace takes it away again.
    await page.keyboard.press('Backspace');
    await expect.poll(() => footnotes(page), { timeout: UI_TIMEOUT_MS }).toEqual(['1:first']);
    await explain(page, 'the hint stayed', expect.poll(() => hint(page).textContent(), { timeout: UI_TIMEOUT_MS }).toBe(''));
    // After " two": Backspace deletes letters; next to the reference it selects it, then deletes it.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
    await expect.poll(() => visibleText(page), { timeout: UI_TIMEOUT_MS }).toBe('One1');
    await page.keyboard.press('Backspace');
    await expect.poll(() => hint(page).textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Footnote 1 selected: Enter opens its text.');
    await page.keyboard.press('Backspace');
    await expect.poll(() => footnotes(page), { timeout: UI_TIMEOUT_MS }).toEqual([]);
    expect(await visibleText(page)).toBe('One');
  });

  it('a commenter comments on a footnote’s text with suggested wording; the owner sees the note’s number highlighted and accepts it into the note', async () => {
    const id = await suite.server.createDocument('Background paper with sources');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const commenter = await suite.people.open('Bruno', COLORS.blue);
    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Connectivity grew');
    await owner.page.keyboard.press('Control+Alt+F');
    await owner.page.keyboard.type('ITU figures for 2023.');
    await owner.page.keyboard.press('Escape');
    await waitForSaveState(owner.page, 'saved');

    await suite.server.owner.api.setMember(id, commenter.account!.email, 'commenter');
    await openDocument(commenter.page, id);
    await commenter.page.getByTestId('comments-panel').and(commenter.page.locator('[data-status="ready"]')).waitFor({ timeout: UI_TIMEOUT_MS });
    // A reader opens the note by its number and selects words in it.
    await commenter.page.locator('.ProseMirror .footnote__ref').click();
    await expect.poll(() => hint(commenter.page).textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Footnote 1: you are in its text.');
    await selectText(commenter.page, 'for 2023');
    await commenter.page.getByTestId('comment-button').click();
    await commenter.page.getByTestId('comment-input').fill('Cite the edition.');
    await commenter.page.getByTestId('comment-suggestion-input').fill('for 2023 (Facts and Figures, 2024 edition)');
    await commenter.page.getByTestId('comment-submit').click();
    const thread = (page: Page) => page.getByTestId('comment-thread');
    await explain(owner.page, 'the thread never reached the owner', thread(owner.page).waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await thread(owner.page).getByTestId('comment-quote').textContent()).toBe('for 2023');
    // In the owner's text the note is closed: its number carries the highlight.
    await expect
      .poll(() => owner.page.locator('.ProseMirror .footnote:has(.comment-highlight) > .footnote__ref').evaluate((el) => getComputedStyle(el).backgroundColor), { timeout: UI_TIMEOUT_MS })
      .not.toBe('rgba(0, 0, 0, 0)');
    // Accepting the suggestion changes the note's text, for both.
    await thread(owner.page).click();
    await owner.page.getByTestId('accept-suggestion').click();
    for (const page of [owner.page, commenter.page]) {
      await expect.poll(() => footnotes(page), { timeout: UI_TIMEOUT_MS }).toEqual(['1:ITU figures for 2023 (Facts and Figures, 2024 edition).']);
    }
  });
});
