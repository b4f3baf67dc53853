import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import { COLORS, documentText, e2eSuite, explain, openDocument, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState, waitForText } from './support';

// Issue 9, end to end in Chromium: an editor marks a paragraph "divergence"
// with two views; the label shows beside the paragraph in words, in their
// browser and in a second one; the Consensus panel lists the passage with who
// set it (from the server's records) and moves the caret to it.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

const badge = (page: Page): Locator => page.locator('.ProseMirror [data-testid="consensus-badge"]');
const dialog = (page: Page): Locator => page.getByTestId('consensus-dialog');
const panel = (page: Page): Locator => page.getByTestId('consensus-panel');
const words = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();

async function openPanel(page: Page): Promise<void> {
  await page.getByTestId('consensus-toggle').click();
  await explain(page, 'the consensus panel never appeared', panel(page).waitFor({ timeout: UI_TIMEOUT_MS }));
}

describe('consensus markers', () => {
  it('marks a paragraph "divergence" with two views: labelled in words for everyone, listed with who set it', async () => {
    const id = await server.createDocument('Chair’s summary: platform liability');
    const owner = await people.openAs(server.owner, COLORS.crimson);
    const amina = await people.open('Amina Diallo', COLORS.blue);

    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Platforms and liability for amplified content.');
    await typeAtEnd(owner.page, 'Next steps.', { newParagraph: true });
    await waitForSaveState(owner.page, 'saved');
    await openDocument(amina.page, id);
    await waitForText(amina.page, 'Next steps.');

    // Nothing marked yet: the panel says so.
    await openPanel(amina.page);
    await expect.poll(() => panel(amina.page).textContent(), { timeout: UI_TIMEOUT_MS }).toContain('No passage is marked yet');

    // The caret in the first paragraph, then "Mark consensus" from the toolbar.
    await owner.page.locator('.ProseMirror p', { hasText: 'Platforms and liability' }).click();
    await owner.page.getByTestId('tool-mark-consensus').click();
    await explain(owner.page, 'the dialog never opened', dialog(owner.page).waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(words(await dialog(owner.page).textContent())).toContain('On the passage “Platforms and liability for amplified content.”');
    // Each level is offered with its standard wording.
    await dialog(owner.page).getByRole('radio', { name: /^Divergence/ }).check();
    expect(await dialog(owner.page).getByRole('radio', { name: /^Divergence/ }).getAttribute('aria-describedby')).toBeTruthy();
    await dialog(owner.page).getByLabel('Basis', { exact: true }).selectOption('chair-designation');
    await dialog(owner.page).getByLabel('Note on the basis (optional)').fill('discussion in session, 12 March');
    await dialog(owner.page).getByTestId('consensus-view-add').click();
    await dialog(owner.page).getByTestId('consensus-view-add').click();
    await dialog(owner.page).getByLabel('Text of view 1').fill('Platforms should carry liability for what they amplify.');
    const heldBy1 = dialog(owner.page).getByRole('group', { name: 'View 1 is held by' });
    await heldBy1.getByLabel('Government', { exact: true }).check();
    await heldBy1.getByLabel('Civil society', { exact: true }).check();
    await dialog(owner.page).getByLabel('Text of view 2').fill('Liability would chill lawful speech.');
    await dialog(owner.page).getByRole('group', { name: 'View 2 is held by' }).getByLabel('Private sector', { exact: true }).check();
    // The dialog passes axe (labels, names, contrast).
    const axe = await new AxeBuilder({ page: owner.page }).include('[data-testid="consensus-dialog"]').withTags(WCAG_AA).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await dialog(owner.page).getByTestId('consensus-apply').click();
    await explain(owner.page, 'the dialog never closed', dialog(owner.page).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS }));
    await waitForSaveState(owner.page, 'saved');

    // The label beside the paragraph, in words, in both browsers.
    for (const page of [owner.page, amina.page]) {
      await explain(page, 'the label never appeared', badge(page).first().waitFor({ timeout: UI_TIMEOUT_MS }));
      expect(await badge(page).count()).toBe(1);
      expect(words(await badge(page).textContent())).toBe("Divergence Basis: chair's designation — discussion in session, 12 March");
      expect(await badge(page).getAttribute('aria-label')).toBe("Consensus marker: Divergence. Basis: chair's designation — discussion in session, 12 March");
    }
    // A click on the label offers to change the marker.
    await badge(owner.page).click();
    await explain(owner.page, 'a click on the label never opened the dialog', dialog(owner.page).waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await dialog(owner.page).getByRole('heading').textContent()).toBe('Change the consensus marker');
    await dialog(owner.page).getByRole('button', { name: 'Cancel' }).click();
    await explain(owner.page, 'Cancel never closed the dialog', dialog(owner.page).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS }));

    // The text is unchanged: the label is beside it, not part of it.
    expect(await documentText(amina.page)).toBe('Platforms and liability for amplified content.\nNext steps.');

    // Amina's open panel follows the text: the passage, its level, views, and who set it (the server's record).
    const item = panel(amina.page).getByTestId('consensus-item');
    await explain(amina.page, 'the marked passage never reached the panel', item.first().waitFor({ timeout: UI_TIMEOUT_MS }));
    const text = words(await item.textContent());
    expect(text).toContain('Divergence');
    expect(text).toContain('Platforms and liability for amplified content.');
    expect(text).toContain('Platforms should carry liability for what they amplify. (Government, Civil society)');
    expect(text).toContain('Liability would chill lawful speech. (Private sector)');
    expect(words(await item.getByTestId('consensus-item-who').textContent())).toMatch(/^Set by Secretariat · Civil society, .+/);

    // "Go to the passage" puts Amina's caret in it; the shortcut then offers to change that marker.
    await item.getByTestId('consensus-item-go').click();
    await amina.page.keyboard.press('Control+Alt+K');
    await explain(amina.page, 'the shortcut never opened the dialog', dialog(amina.page).waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await dialog(amina.page).getByRole('heading').textContent()).toBe('Change the consensus marker');
    expect(await dialog(amina.page).getByRole('radio', { name: /^Divergence/ }).isChecked()).toBe(true);
    expect(await dialog(amina.page).getByLabel('Text of view 2').inputValue()).toBe('Liability would chill lawful speech.');
    await amina.page.keyboard.press('Escape');
    await explain(amina.page, 'Escape never closed the dialog', dialog(amina.page).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS }));

    // The export carries the marker's words.
    const html = await server.owner.api.exportDocument(id, 'html');
    expect(html).toContain('<p><strong>Divergence.</strong> Views diverged on this passage: no single position had strong support.</p>');
  });
});
