import type { Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { COLORS, e2eSuite, openDocument, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState, waitForText } from './support';

const suite = e2eSuite();

/** The table as text, row by row, header cells marked with `#`. */
function tableText(page: Page): Promise<string[][]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.ProseMirror table tr')).map((tr) =>
      Array.from(tr.children).map((cell) => {
        // Others' carets (with their names) are not part of the text.
        const copy = cell.cloneNode(true) as Element;
        copy.querySelectorAll('[class*="caret"]').forEach((c) => c.remove());
        return `${cell.tagName === 'TH' ? '#' : ''}${copy.textContent ?? ''}`;
      }),
    ),
  );
}

describe('tables as in a word processor (issue 14)', () => {
  it('inserts a table, moves between cells with Tab, adds and removes rows and columns, toggles the header row, merges cells; others see it and the export keeps header cells', async () => {
    const id = await suite.server.createDocument('Participation figures');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const amina = await suite.people.open('Amina Diallo', COLORS.blue);
    const page = owner.page;
    await openDocument(page, id);
    await typeAtEnd(page, 'Participation');
    await page.getByTestId('tool-table').click();
    await page.getByTestId('table-tools').waitFor({ timeout: UI_TIMEOUT_MS });

    // 3 × 3 with a header row; Tab goes cell to cell.
    for (const text of ['Group', 'On site', 'Online', 'Government', '12', '30', 'Civil society', '25', '41']) {
      await page.keyboard.type(text);
      await page.keyboard.press('Tab');
    }
    // Tab in the last cell added a row: fill it.
    for (const text of ['Private sector', '8', '19']) {
      await page.keyboard.type(text);
      if (text !== '19') await page.keyboard.press('Tab');
    }
    await expect.poll(() => tableText(page), { timeout: UI_TIMEOUT_MS }).toEqual([
      ['#Group', '#On site', '#Online'],
      ['Government', '12', '30'],
      ['Civil society', '25', '41'],
      ['Private sector', '8', '19'],
    ]);

    // A column after the last, a row above the current one, then remove them again.
    await page.getByTestId('tool-column-after').click();
    await expect.poll(async () => (await tableText(page)).map((r) => r.length), { timeout: UI_TIMEOUT_MS }).toEqual([4, 4, 4, 4]);
    await page.locator('.ProseMirror tr').nth(1).locator('td').last().click();
    await page.keyboard.type('Total');
    await expect.poll(async () => (await tableText(page))[1], { timeout: UI_TIMEOUT_MS }).toEqual(['Government', '12', '30', 'Total']);
    await page.getByTestId('tool-delete-column').click();
    await page.getByTestId('tool-row-above').click();
    // An empty row, above the caret's row.
    await expect.poll(async () => (await tableText(page)).filter((r) => r.every((c) => c === '')).length, { timeout: UI_TIMEOUT_MS }).toBe(1);
    const empty = (await tableText(page)).findIndex((r) => r.every((c) => c === ''));
    expect(empty).toBeGreaterThan(0);
    await page.locator('.ProseMirror tr').nth(empty).locator('td').first().click();
    await page.getByTestId('tool-delete-row').click();
    await expect.poll(() => tableText(page), { timeout: UI_TIMEOUT_MS }).toEqual([
      ['#Group', '#On site', '#Online'],
      ['Government', '12', '30'],
      ['Civil society', '25', '41'],
      ['Private sector', '8', '19'],
    ]);

    // Header row off and on again; its state is announced with aria-pressed.
    expect(await page.getByTestId('tool-header-row').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('tool-header-row').click();
    await expect.poll(async () => (await tableText(page))[0]![0], { timeout: UI_TIMEOUT_MS }).toBe('Group');
    await page.getByTestId('tool-header-row').click();
    await expect.poll(async () => (await tableText(page))[0]![0], { timeout: UI_TIMEOUT_MS }).toBe('#Group');

    // Merge two cells selected with Shift+arrow, then split them again.
    await page.locator('.ProseMirror td', { hasText: 'Private sector' }).click();
    expect(await page.getByTestId('tool-merge-cells').getAttribute('aria-disabled')).toBe('true');
    // From the end of the cell's text, Shift+→ extends the selection into the next cell (a cell selection).
    await page.keyboard.press('End');
    for (let i = 0; i < 4 && (await page.getByTestId('tool-merge-cells').getAttribute('aria-disabled')) === 'true'; i++) {
      await page.keyboard.press('Shift+ArrowRight');
      await page.waitForTimeout(100);
    }
    expect(await page.getByTestId('tool-merge-cells').getAttribute('aria-disabled')).toBe(null);
    await page.getByTestId('tool-merge-cells').click();
    await expect.poll(async () => (await tableText(page))[3]!.length, { timeout: UI_TIMEOUT_MS }).toBeLessThan(3);
    await page.locator('.ProseMirror td', { hasText: 'Private sector' }).click();
    await expect.poll(() => page.getByTestId('tool-split-cell').getAttribute('aria-disabled'), { timeout: UI_TIMEOUT_MS }).toBe(null);
    await page.getByTestId('tool-split-cell').click();
    await expect.poll(async () => (await tableText(page))[3]!.length, { timeout: UI_TIMEOUT_MS }).toBe(3);
    await waitForSaveState(page, 'saved');

    // A co-editor sees the same table; the export keeps the header cells (accessible tables).
    await openDocument(amina.page, id);
    await waitForText(amina.page, 'Civil society');
    expect(await tableText(amina.page)).toEqual(await tableText(page));
    const html = await (await fetch(`${suite.server.url}/api/documents/${id}/export?format=html`, { headers: suite.server.authHeaders })).text();
    expect(html).toMatch(/<th[^>]*>.*Group/s);
    expect(html).toContain('Civil society');

    // The table tools leave with the caret; deleting the table removes it.
    await page.locator('.ProseMirror p', { hasText: 'Participation' }).click();
    await expect.poll(() => page.getByTestId('table-tools').count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    await page.locator('.ProseMirror td', { hasText: 'Government' }).click();
    await page.getByTestId('tool-delete-table').click();
    await expect.poll(() => page.locator('.ProseMirror table').count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
  });

  it('sets a column width from the keyboard (Wider, Narrower, Equal), as dragging its border does; others see it and Word gets the grid', async () => {
    const id = await suite.server.createDocument('Speakers by stakeholder group');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    const amina = await suite.people.open('Amina Diallo', COLORS.blue);
    const page = owner.page;
    await openDocument(page, id);
    await typeAtEnd(page, 'Speakers');
    await page.getByTestId('tool-table').click();
    await page.getByTestId('table-tools').waitFor({ timeout: UI_TIMEOUT_MS });
    for (const text of ['Speaker', 'Organisation', 'Stakeholder group']) {
      await page.keyboard.type(text);
      await page.keyboard.press('Tab');
    }
    // With column resizing on, the table's own attributes (its block id; a template field's name) are still on it.
    expect(await page.locator('.ProseMirror table').getAttribute('data-block-id')).toBeTruthy();
    // The caret in the first column; its width as drawn, then Wider twice by keyboard (Tab to the toolbar is the
    // keyboard tests' job; here the buttons are pressed with Enter after focusing them).
    await page.locator('.ProseMirror th', { hasText: 'Speaker' }).click();
    const drawn = () => page.locator('.ProseMirror th', { hasText: 'Speaker' }).evaluate((el) => el.getBoundingClientRect().width);
    const before = await drawn();
    await page.getByTestId('tool-wider-column').focus();
    await page.keyboard.press('Enter');
    await page.locator('.ProseMirror th', { hasText: 'Speaker' }).click();
    await page.getByTestId('tool-wider-column').click();
    await expect.poll(drawn, { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(before * 1.4);
    const colwidth = () => page.locator('.ProseMirror th', { hasText: 'Speaker' }).getAttribute('colwidth');
    const set = Number(await colwidth());
    expect(set).toBeGreaterThan(before * 1.4);
    // Narrower takes one step back.
    await page.locator('.ProseMirror th', { hasText: 'Speaker' }).click();
    await page.getByTestId('tool-narrower-column').click();
    await expect.poll(async () => Number(await colwidth()), { timeout: UI_TIMEOUT_MS }).toBeLessThan(set);
    const width = Number(await colwidth());
    await waitForSaveState(page, 'saved');

    // The co-editor's table has the same width.
    await openDocument(amina.page, id);
    await waitForText(amina.page, 'Stakeholder group');
    expect(Number(await amina.page.locator('.ProseMirror th', { hasText: 'Speaker' }).getAttribute('colwidth'))).toBe(width);

    // Word: the first grid column is that width (15 twips a pixel), the others share the text width.
    const docx = await fetch(`${suite.server.url}/api/documents/${id}/export?format=docx`, { headers: suite.server.authHeaders });
    const xml = strFromU8(unzipSync(new Uint8Array(await docx.arrayBuffer()))['word/document.xml']!);
    const grid = [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(grid).toHaveLength(3);
    expect(grid[0]).toBe(width * 15);
    expect(grid[1]).toBe(grid[2]);
    // HTML (and the PDF printed from it): the column's width.
    const html = await (await fetch(`${suite.server.url}/api/documents/${id}/export?format=html`, { headers: suite.server.authHeaders })).text();
    expect(html).toContain(`<col style="width: ${width}px"`);

    // Equal widths clears them.
    await page.locator('.ProseMirror th', { hasText: 'Organisation' }).click();
    await page.getByTestId('tool-equal-columns').click();
    await expect.poll(colwidth, { timeout: UI_TIMEOUT_MS }).toBe(null);
  });
});

