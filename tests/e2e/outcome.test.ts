import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import {
  COLORS,
  createFromNewDocumentDialog,
  e2eSuite,
  editorText,
  explain,
  openDocument,
  selectionSettled,
  UI_TIMEOUT_MS,
  waitForSaveState,
  waitForText,
} from './support';

// Issue 9's whole story in Chromium ("Done means"): a rapporteur creates a
// session report from its template through "New document", fills it field by
// field, marks the areas of divergence "divergence" with two views through
// the Mark consensus dialog, and asks for final too early: the refusal names
// every unfinished passage (empty required fields, four key takeaways where
// the template allows three), each a link that puts the caret there. She
// completes it from those links, the owner moves it to final, and the list
// finds it by status and by deadline (set by the owner in the workflow bar).
// The parts are tested one by one in templates, markers and workflow; this
// is the rapporteur's afternoon end to end.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

const words = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();
const field = (page: Page, name: string): Locator => editorText(page).locator(`[data-field="${name}"]`);

/** Clicks into the first empty paragraph of a template field (its guidance placeholder) and types. */
async function fill(page: Page, name: string, text: string): Promise<void> {
  const target = field(page, name);
  await explain(page, `no field ${name}`, target.waitFor({ timeout: UI_TIMEOUT_MS }));
  const empty = target.locator('[data-guidance]').first();
  await ((await empty.count()) > 0 ? empty : target).click();
  await selectionSettled(page);
  await page.keyboard.type(text);
}

async function statusIs(page: Page, status: string): Promise<void> {
  await explain(
    page,
    `the status never became ${status}`,
    page.waitForFunction((s) => document.querySelector('[data-testid="workflow-bar"] [data-testid="status-badge"]')?.getAttribute('data-status') === s, status, {
      timeout: UI_TIMEOUT_MS,
    }),
  );
}

async function moveTo(page: Page, status: string): Promise<void> {
  await page.getByTestId('move-to').click();
  const option = page.locator(`[data-testid="move-option"][data-status="${status}"]`);
  await explain(page, `no move to ${status} offered`, option.waitFor({ timeout: UI_TIMEOUT_MS }));
  await option.click();
}

describe('outcome drafting, the whole story', () => {
  it('a rapporteur files a session report from its template, marks a divergence, is told what is missing, completes it; the owner makes it final; the list finds it', async () => {
    const amina = await people.open('Amina Diallo', COLORS.blue);
    const chair = await people.openAs(server.owner, COLORS.crimson);
    const page = amina.page;

    // New document → Session report.
    await page.goto('/');
    await page.getByTestId('new-document').waitFor({ timeout: UI_TIMEOUT_MS });
    const id = await createFromNewDocumentDialog(page, { type: 'session-report', title: 'WS #77 Community networks report' });
    await explain(page, 'the editor did not appear', editorText(page).waitFor({ timeout: UI_TIMEOUT_MS }));
    await waitForSaveState(page, 'saved');
    expect(await page.getByTestId('document-type').textContent()).toContain('Session report');

    // The secretariat's chair becomes an owner, the rapporteur an editor (as when the secretariat assigns reports).
    await amina.account!.api.setMember(id, server.owner.email, 'owner');
    await server.owner.api.setMember(id, amina.account!.email, 'editor');
    await expect.poll(async () => (await amina.account!.api.getDocument(id)).role, { timeout: UI_TIMEOUT_MS }).toBe('editor');

    // She fills the session's fields, leaving calls to action, way forward and gender reflection for later.
    await fill(page, 'session-title', 'WS #77 Community networks and the last billion');
    await fill(page, 'session-type', 'Workshop');
    await fill(page, 'organisers', 'Rhizomatica, civil society');
    await fill(page, 'speakers', 'Nneka Obi (moderator)');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Internet Society');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Technical community');
    await page.keyboard.press('Tab');
    await page.keyboard.type('African Group');
    // Four key takeaways: one more than the template allows.
    await fill(page, 'key-takeaways', 'Community networks connect places operators will not.');
    for (const takeaway of ['Spectrum rules block them in many countries.', 'Funding is short-term.', 'Local skills matter most.']) {
      await page.keyboard.press('Enter');
      await page.keyboard.type(takeaway);
    }
    await fill(page, 'issues-raised', 'Licensing costs, backhaul prices and the sustainability of volunteer-run networks.');
    await fill(page, 'areas-of-agreement', 'Community networks complement, not replace, commercial operators.');
    await fill(page, 'areas-of-divergence', 'Whether unlicensed spectrum should be opened to community networks.');
    await waitForSaveState(page, 'saved');
    expect(await editorText(page).textContent()).not.toContain('Up to three key takeaways');

    // The caret still in that paragraph: Mark consensus → Divergence, with two views and who holds them.
    await page.getByTestId('tool-mark-consensus').click();
    const dialog = page.getByTestId('consensus-dialog');
    await explain(page, 'the Mark consensus dialog never opened', dialog.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(words(await dialog.textContent())).toContain('On the passage “Whether unlicensed spectrum');
    await dialog.getByTestId('consensus-level-divergence').check();
    await dialog.getByLabel('Basis', { exact: true }).selectOption('in-room-check');
    await dialog.getByTestId('consensus-view-add').click();
    await dialog.getByTestId('consensus-view-add').click();
    await dialog.getByLabel('Text of view 1').fill('Open unlicensed spectrum to community networks now.');
    await dialog.getByRole('group', { name: 'View 1 is held by' }).getByLabel('Civil society', { exact: true }).check();
    await dialog.getByRole('group', { name: 'View 1 is held by' }).getByLabel('Technical community', { exact: true }).check();
    await dialog.getByLabel('Text of view 2').fill('Spectrum policy should stay with national regulators.');
    await dialog.getByRole('group', { name: 'View 2 is held by' }).getByLabel('Government', { exact: true }).check();
    await dialog.getByTestId('consensus-apply').click();
    await explain(page, 'the dialog never closed', dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS }));
    await waitForSaveState(page, 'saved');
    const label = editorText(page).locator('[data-field="areas-of-divergence"] [data-testid="consensus-badge"], [data-testid="consensus-badge"]').first();
    await explain(page, 'the marker label never showed', label.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(words(await label.textContent())).toContain('Divergence');
    await expect
      .poll(async () => (await server.owner.api.markers(id)).map((m) => [m.level, m.views.map((v) => v.groups)]), { timeout: UI_TIMEOUT_MS })
      .toEqual([['divergence', [['civil-society', 'technical-community'], ['government']]]]);

    // To review (her move); the owner takes it on to revising and sets the deadline, in three days.
    await moveTo(page, 'review');
    await statusIs(page, 'review');
    await openDocument(chair.page, id);
    await statusIs(chair.page, 'review');
    await moveTo(chair.page, 'revising');
    await statusIs(page, 'revising');
    await chair.page.getByTestId('deadline-toggle').click();
    await chair.page.getByTestId('deadline-zone').selectOption('UTC');
    const due = new Date(Date.now() + 3 * 86_400_000);
    await chair.page.getByTestId('deadline-at').fill(due.toISOString().slice(0, 16));
    await chair.page.getByTestId('deadline-save').click();
    await expect.poll(async () => (await server.owner.api.getDocument(id)).deadline?.timeZone, { timeout: UI_TIMEOUT_MS }).toBe('UTC');

    // Final, too early: refused, and told why, passage by passage.
    await moveTo(page, 'final');
    const refusal = page.getByTestId('not-ready');
    await explain(page, 'the refusal never showed', refusal.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await refusal.getAttribute('role')).toBe('alert');
    const named = await refusal.getByTestId('not-ready-passage').allTextContents();
    expect(named).toEqual(
      expect.arrayContaining([
        'Calls to action — a required field is empty',
        'Way forward — a required field is empty',
        'Gender reflection — a required field is empty',
        'Key takeaways — more items than the template allows',
      ]),
    );
    expect(named.join('\n')).not.toContain('Areas of divergence');
    expect(named).toHaveLength(4);
    await statusIs(page, 'revising');
    expect((await server.owner.api.getDocument(id)).status).toBe('revising');

    // She completes it from the list: each link puts the caret in the passage.
    const passage = (name: string): Locator => refusal.getByTestId('not-ready-passage').filter({ hasText: name });
    await passage('Calls to action').click();
    await selectionSettled(page);
    await page.keyboard.type('Regulators should reserve spectrum for community networks.');
    await passage('Way forward').click();
    await selectionSettled(page);
    await page.keyboard.type('A follow-up survey of community networks before the next IGF.');
    await passage('Gender reflection').click();
    await selectionSettled(page);
    await page.keyboard.type('Four of the six speakers were women.');
    // The fourth takeaway goes: the caret to its end, then select the item's text and delete it, then the empty item.
    const fourth = field(page, 'key-takeaways').locator('li').nth(3);
    await fourth.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await selectionSettled(page);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await expect.poll(() => field(page, 'key-takeaways').locator('li').count(), { timeout: UI_TIMEOUT_MS }).toBe(3);
    await waitForSaveState(page, 'saved');
    await waitForText(chair.page, 'Four of the six speakers were women.');

    // The owner moves it to final, and the rapporteur's page follows.
    await moveTo(chair.page, 'final');
    await statusIs(chair.page, 'final');
    await statusIs(page, 'final');
    expect(await chair.page.getByTestId('not-ready').count()).toBe(0);
    const moves = (await server.owner.api.audit(id)).filter((e) => e.action === 'status.changed').map((e) => [e.actor?.name, e.details?.to]);
    expect(moves).toEqual(
      expect.arrayContaining([
        ['Amina Diallo', 'review'],
        [server.owner.user.name, 'revising'],
        [server.owner.user.name, 'final'],
      ]),
    );

    // The list: filtered by status it is there; by deadline it is not (a final document's deadline is met).
    const list = amina.page;
    const ours = (): Promise<string[]> =>
      list.getByTestId('document-link').evaluateAll((els, want) => els.map((el) => el.textContent ?? '').filter((t) => t === want), 'WS #77 Community networks report');
    await list.goto('/?status=final');
    await explain(list, 'the filtered list never showed', list.getByTestId('document-item').first().waitFor({ timeout: UI_TIMEOUT_MS }));
    await expect.poll(ours, { timeout: UI_TIMEOUT_MS }).toEqual(['WS #77 Community networks report']);
    const item = list.getByTestId('document-item').filter({ hasText: 'WS #77 Community networks report' });
    expect(await item.getByTestId('status-badge').textContent()).toBe('Final');
    expect(await item.textContent()).toContain('Session report');
    await list.getByLabel('Status').selectOption('review');
    await expect.poll(ours, { timeout: UI_TIMEOUT_MS }).toEqual([]);
    await list.getByLabel('Status').selectOption('');
    await list.getByLabel('Deadline').selectOption('week');
    await expect.poll(() => list.url(), { timeout: UI_TIMEOUT_MS }).toContain('due=week');
    await expect.poll(ours, { timeout: UI_TIMEOUT_MS }).toEqual([]);

    // Reopened by the owner, it is due this week again and found by the deadline filter.
    await server.owner.api.updateDocument(id, { status: 'revising' });
    await list.reload();
    await expect.poll(ours, { timeout: UI_TIMEOUT_MS }).toEqual(['WS #77 Community networks report']);
    expect(await item.getByTestId('due-label').textContent()).toContain('Due in 3 days');
    await list.getByLabel('Deadline').selectOption('overdue');
    await expect.poll(ours, { timeout: UI_TIMEOUT_MS }).toEqual([]);
  });
});
