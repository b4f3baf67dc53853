import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { stockClient } from '../support/clients';
import { waitFor } from '../support/wait';
import { COLORS, e2eSuite, explain, openDocument, selectText, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState, waitForText } from './support';

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

  it('commenting on a passage far down a long document keeps that passage on screen, with the panel beside it', async () => {
    const id = await suite.server.createDocument('Background paper: 50 pages');
    // 300 paragraphs written by a stock client, as an import or a co-author would have.
    const writer = stockClient(suite.server.collabUrl, id, suite.server.owner);
    await writer.synced();
    writer.doc.transact(() => {
      const body = writer.doc.getXmlFragment('default');
      body.insert(
        0,
        Array.from({ length: 300 }, (_, i) => {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.setAttribute('blockId', `p${i}`);
          paragraph.insert(0, [new Y.XmlText(`Paragraph ${i}: participants discussed meaningful access and the role of each stakeholder group.`)]);
          return paragraph;
        }),
      );
    });
    await waitFor(() => writer.provider.synced, { what: 'written' });
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const page = owner.page;
    await openDocument(page, id);
    await waitForText(page, 'Paragraph 299:');
    writer.destroy();

    const passage = page.locator('.ProseMirror p', { hasText: 'Paragraph 250:' });
    await passage.scrollIntoViewIfNeeded();
    const inView = (): Promise<boolean> =>
      passage.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight;
      });
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(2000);
    await selectText(page, 'Paragraph 250');
    await page.getByTestId('comment-button').click();
    await page.getByTestId('comment-input').fill('Which stakeholder groups?');
    expect(await inView(), 'the composer took the page away from the passage').toBe(true);
    expect(await page.getByTestId('comment-input').isVisible()).toBe(true);
    await page.getByTestId('comment-submit').click();
    await page.getByTestId('comment-thread').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await inView(), 'posting took the page away from the passage').toBe(true);
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - scrolled)).toBeLessThan(400);
  });

  it('a reload opens a long document where the person was reading', async () => {
    const id = await suite.server.createDocument('Background paper: where was I');
    const writer = stockClient(suite.server.collabUrl, id, suite.server.owner);
    await writer.synced();
    writer.doc.transact(() => {
      writer.doc.getXmlFragment('default').insert(
        0,
        Array.from({ length: 200 }, (_, i) => {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.setAttribute('blockId', `p${i}`);
          paragraph.insert(0, [new Y.XmlText(`Paragraph ${i} of the background paper on digital inclusion and meaningful access.`)]);
          return paragraph;
        }),
      );
    });
    await waitFor(() => writer.provider.synced, { what: 'written' });
    writer.destroy();
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const page = owner.page;
    await openDocument(page, id);
    await waitForText(page, 'Paragraph 199 ');
    // 200 blocks is a long document: blocks far from the screen are skipped (content-visibility), at the
    // size they were measured at first, so the page keeps the height it has fully laid out.
    const editor = page.locator('.editor');
    await expect.poll(() => editor.getAttribute('data-long'), { timeout: UI_TIMEOUT_MS }).toBe('skipping');
    const skipped = await page.evaluate(() => {
      const last = document.querySelector('.ProseMirror > [data-block-id="p199"]')!;
      return { visibility: getComputedStyle(last).contentVisibility, height: document.documentElement.scrollHeight };
    });
    expect(skipped.visibility).toBe('auto');
    await editor.evaluate((el) => el.removeAttribute('data-long'));
    const fullHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(Math.abs(fullHeight - skipped.height)).toBeLessThanOrEqual(2);
    await editor.evaluate((el) => el.setAttribute('data-long', 'skipping'));
    const top = (): Promise<string | null> =>
      page.evaluate(() => {
        for (const el of Array.from(document.querySelectorAll('.ProseMirror > [data-block-id]'))) if (el.getBoundingClientRect().bottom > 4) return el.getAttribute('data-block-id');
        return null;
      });
    await page.locator('[data-block-id="p150"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expect.poll(top, { timeout: UI_TIMEOUT_MS }).toBe('p150');
    await page.waitForTimeout(800); // the position is kept once scrolling pauses
    await page.reload();
    await waitForText(page, 'Paragraph 199 ');
    // Within a paragraph of where it was: late layout above the text (the header's controls) may shift it by a line.
    await expect.poll(async () => Math.abs(Number((await top())?.slice(1)) - 150), { timeout: UI_TIMEOUT_MS }).toBeLessThanOrEqual(1);
  });
});

describe('typing into a long document (issue 14)', () => {
  it('lays out the paragraph being typed into on its own, at the size of its lines, as lines come and go', async () => {
    const id = await suite.server.createDocument('Background paper: typing on page 30');
    const writer = stockClient(suite.server.collabUrl, id, suite.server.owner);
    await writer.synced();
    writer.doc.transact(() => {
      writer.doc.getXmlFragment('default').insert(
        0,
        Array.from({ length: 200 }, (_, i) => {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.setAttribute('blockId', `p${i}`);
          paragraph.insert(0, [new Y.XmlText(`Paragraph ${i} on meaningful access, ${i === 100 ? 'the end of paragraph one hundred.' : 'and the role of each group.'}`)]);
          return paragraph;
        }),
      );
    });
    await waitFor(() => writer.provider.synced, { what: 'written' });
    writer.destroy();
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const page = owner.page;
    await openDocument(page, id);
    await waitForText(page, 'Paragraph 199 ');
    await expect.poll(() => page.locator('.editor').getAttribute('data-long'), { timeout: UI_TIMEOUT_MS }).toBe('skipping');

    // The paragraph's box against its lines: contained or not, it must hold exactly its lines, and the text
    // after it must follow at the same distance as it follows the text before.
    const geometry = () =>
      page.evaluate(() => {
        const p = document.querySelector('.ProseMirror > [data-block-id="p100"]')!;
        const range = document.createRange();
        range.selectNodeContents(p);
        const text = range.getBoundingClientRect();
        const box = p.getBoundingClientRect();
        const lineHeight = parseFloat(getComputedStyle(p).lineHeight);
        return {
          contained: getComputedStyle(p).contain === 'size layout',
          height: box.height,
          lines: new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size,
          fits: text.top - box.top < lineHeight / 2 + 1 && box.bottom - text.bottom < lineHeight / 2 + 1 && text.top >= box.top - 1 && text.bottom <= box.bottom + 1,
          follows: Math.abs(p.nextElementSibling!.getBoundingClientRect().top - box.bottom - (box.top - p.previousElementSibling!.getBoundingClientRect().bottom)) < 1,
        };
      });
    const settled = async (contained: boolean) => {
      await expect.poll(async () => {
        const g = await geometry();
        return g.contained === contained && g.fits && g.follows;
      }, { timeout: UI_TIMEOUT_MS }).toBe(true);
      return geometry();
    };

    await selectText(page, 'paragraph one hundred.');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type(' More');
    const start = await settled(true);

    // Words typed until the paragraph takes another line: the box grows with it, the text below moves down.
    let now = start;
    for (let i = 0; i < 40 && now.lines === start.lines; i++) {
      await page.keyboard.type(' stakeholders');
      now = await settled(true);
    }
    expect(now.lines, 'the paragraph never took another line').toBe(start.lines + 1);
    expect(now.height).toBeGreaterThan(start.height);
    // Deleted until the line goes again: the box shrinks back.
    for (let i = 0; i < 40 && now.lines > start.lines; i++) {
      for (let k = 0; k < 13; k++) await page.keyboard.press('Backspace');
      now = await settled(true);
    }
    expect(now.lines).toBe(start.lines);
    expect(Math.abs(now.height - start.height)).toBeLessThan(1);

    // A narrower window moves its lines without any edit: measured again.
    await page.setViewportSize({ width: 560, height: 800 });
    now = await settled(true);
    expect(now.lines).toBeGreaterThan(start.lines);

    // Printed, it is laid out as any other paragraph (the page's width, and so its lines, change).
    const laidOut = () => page.locator('.ProseMirror > [data-block-id="p100"]').evaluate((p) => getComputedStyle(p).contain);
    expect(await laidOut()).toBe('size layout');
    await page.emulateMedia({ media: 'print' });
    expect(await laidOut()).toBe('none');
    await page.emulateMedia({ media: 'screen' });

    // The caret moves on: the paragraph takes its natural size, the one it was contained at.
    const contained = now;
    await selectText(page, 'Paragraph 101 on');
    now = await settled(false);
    expect(Math.abs(now.height - contained.height)).toBeLessThan(1);
    await expect.poll(() => page.locator('.ProseMirror > [data-block-id="p101"]').evaluate((p) => getComputedStyle(p).contain), { timeout: UI_TIMEOUT_MS }).toBe('size layout');
    // The text loses focus: nothing is contained (or measured) while nobody types.
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await expect.poll(() => page.locator('.ProseMirror > [data-block-id="p101"]').evaluate((p) => getComputedStyle(p).contain), { timeout: UI_TIMEOUT_MS }).toBe('none');
  });
});
