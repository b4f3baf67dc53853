import AxeBuilder from '@axe-core/playwright';
import type { DocumentSummary } from '@rapporteur/protocol';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import { COLORS, createFromNewDocumentDialog, e2eSuite, editorText, explain, selectionSettled, UI_TIMEOUT_MS, waitForSaveState } from './support';

// Issue 9, templates in Chromium: a rapporteur starts a session report from
// the "New document" type choice and sees its headings and guidance; typing
// into a field removes its placeholder. An administrator edits the template
// (an invalid edit is refused with its field path) and the next document
// starts from version 2 (SPEC TPL2, TPL5–TPL7).
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

const TAKEAWAYS_GUIDANCE = 'Up to three key takeaways';

/** axe's WCAG 2.2 A/AA violations in the part of the page this feature draws (`within`), one line each; whole pages are accessibility.test.ts's. */
async function violations(page: Page, within: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(within).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function documentSummary(id: string): Promise<DocumentSummary> {
  const res = await fetch(`${server.url}/api/documents/${encodeURIComponent(id)}`, { headers: server.authHeaders });
  return (await res.json()) as DocumentSummary;
}

describe('templates', () => {
  it('creates a session report from the type choice: headings, guidance placeholders that go when typing, the type in the header', async () => {
    const { page } = await people.open('Amina', COLORS.crimson);
    await page.goto('/');
    await page.getByTestId('new-document').waitFor({ timeout: UI_TIMEOUT_MS });

    // The dialog offers every type by name and description; keyboard: the chosen type has the focus.
    await page.getByTestId('new-document').click();
    const dialog = page.getByTestId('new-document-dialog');
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await dialog.getByRole('radio').count()).toBe(8);
    expect(await dialog.getByRole('radio', { name: /Dynamic coalition output/ }).getAttribute('aria-describedby')).toBeTruthy();
    expect(await violations(page, '[data-testid="new-document-dialog"]')).toEqual([]);
    await page.keyboard.press('ArrowDown');
    expect(await dialog.getByTestId('new-document-type-igf-messages').isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });

    const id = await createFromNewDocumentDialog(page, { type: 'session-report', title: 'WS #42 report' });
    await explain(page, 'the editor did not appear', editorText(page).waitFor({ timeout: UI_TIMEOUT_MS }));
    await waitForSaveState(page, 'saved');
    expect((await documentSummary(id)).template).toMatchObject({ id: 'session-report', version: 1 });

    // The header says what it is.
    const type = page.getByTestId('document-type');
    await type.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await type.textContent()).toContain('Session report');
    expect(await type.getAttribute('data-template-version')).toBe('1');

    // Its headings, and guidance shown in the empty fields.
    const headings = await editorText(page).locator('h2, h3').allTextContents();
    expect(headings).toEqual(expect.arrayContaining(['Session title', 'Key takeaways', 'Calls to action', 'Areas of divergence', 'Participation', 'Gender reflection']));
    const placeholder = editorText(page).locator(`[data-guidance^="${TAKEAWAYS_GUIDANCE}"]`);
    await explain(page, 'no guidance placeholder in Key takeaways', placeholder.waitFor({ timeout: UI_TIMEOUT_MS }));
    const shown = await placeholder.evaluate((el) => getComputedStyle(el, '::before').content);
    expect(shown).toContain(TAKEAWAYS_GUIDANCE);
    // Empty participation figures read "not stated".
    expect(await editorText(page).locator('td [data-guidance="not stated"]').count()).toBeGreaterThan(0);
    // The guidance is never document text.
    expect(await editorText(page).textContent()).not.toContain(TAKEAWAYS_GUIDANCE);
    expect(await violations(page, '.editor')).toEqual([]);
    expect(await violations(page, '[data-testid="document-type"]')).toEqual([]);

    // Into the field: the hint names it and reads its guidance; typing removes the placeholder.
    await placeholder.click();
    await selectionSettled(page);
    const hint = page.getByTestId('field-hint');
    await expect.poll(() => hint.getAttribute('data-field'), { timeout: UI_TIMEOUT_MS }).toBe('key-takeaways');
    expect(await hint.textContent()).toContain('Key takeaways:');
    expect(await hint.textContent()).toContain(TAKEAWAYS_GUIDANCE);
    expect(await editorText(page).getAttribute('aria-describedby')).toBe(await hint.getAttribute('id'));
    await page.keyboard.type('Meaningful access needs affordable devices.');
    await expect.poll(() => editorText(page).locator(`[data-guidance^="${TAKEAWAYS_GUIDANCE}"]`).count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    expect(await editorText(page).locator('ol li').first().textContent()).toBe('Meaningful access needs affordable devices.');
    await waitForSaveState(page, 'saved');

    // The list shows the type too.
    await page.goto('/');
    const item = page.locator(`[data-testid="document-link"][href="/d/${encodeURIComponent(id)}"]`);
    await item.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('.document-list__item', { has: item }).textContent()).toContain('Session report');
  });

  it('an administrator edits a template (an invalid edit is named by path) and the next document starts from version 2', async () => {
    const admin = await people.openAs(server.owner, COLORS.blue);
    const page = admin.page;
    await page.goto('/admin');
    const section = page.getByTestId('admin-templates');
    await explain(page, 'no Templates section', section.getByTestId('admin-templates-table').waitFor({ timeout: UI_TIMEOUT_MS }));
    const row = section.locator('[data-testid="admin-template-row"][data-template-id="session-report"]');
    expect(await row.getAttribute('data-version')).toBe('1');
    await row.getByTestId('admin-template-edit').click();
    const json = section.getByTestId('admin-template-json');
    await json.waitFor({ timeout: UI_TIMEOUT_MS });
    const original = await json.inputValue();
    expect(JSON.parse(original)).toMatchObject({ id: 'session-report', name: 'Session report' });

    // An invalid level: refused, the problem named by its path, nothing saved.
    await json.fill(original.replace('"level": 2', '"level": 9'));
    await section.getByTestId('admin-template-save').click();
    const problems = section.getByTestId('admin-template-problems');
    await explain(page, 'no problems listed', problems.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await problems.locator('li').first().getAttribute('data-path')).toBe('content[0].attrs.level');
    expect(await problems.textContent()).toContain('content[0].attrs.level');
    expect(await json.getAttribute('aria-invalid')).toBe('true');
    expect(await violations(page, '[data-testid="admin-templates"]')).toEqual([]);
    expect(await row.getAttribute('data-version')).toBe('1');

    // A good edit: version 2.
    await json.fill(original.replace('"name": "Session report"', '"name": "Session report (2027)"'));
    await section.getByTestId('admin-template-save').click();
    await expect.poll(() => section.getByTestId('admin-template-status').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('version 2');
    await expect.poll(() => row.getAttribute('data-version'), { timeout: UI_TIMEOUT_MS }).toBe('2');

    // Importing a file with a new id makes a new template (checked before anything is saved).
    const imported = {
      id: 'ws-short',
      type: 'session-report',
      name: 'Short session report',
      description: 'Key takeaways only',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Key takeaways' }] },
        { type: 'bulletList', attrs: { field: 'key-takeaways', guidance: 'At most three.', required: true, maxItems: 3 }, content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
      ],
    };
    await section.getByTestId('admin-template-import').setInputFiles({ name: 'ws-short.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(imported)) });
    await expect.poll(async () => JSON.parse(await json.inputValue()).id, { timeout: UI_TIMEOUT_MS }).toBe('ws-short');
    await section.getByTestId('admin-template-save').click();
    const importedRow = section.locator('[data-testid="admin-template-row"][data-template-id="ws-short"]');
    await explain(page, 'the imported template is not listed', importedRow.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await importedRow.getAttribute('data-version')).toBe('1');

    // A new document of the type starts from version 2.
    await page.goto('/');
    const id = await createFromNewDocumentDialog(page, { type: 'session-report', title: 'WS #43 report' });
    const type = page.getByTestId('document-type');
    await type.waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(() => type.getAttribute('data-template-version'), { timeout: UI_TIMEOUT_MS }).toBe('2');
    expect(await type.textContent()).toContain('Session report (2027)');
    expect((await documentSummary(id)).template).toEqual({ id: 'session-report', version: 2, name: 'Session report (2027)' });
  });
});
