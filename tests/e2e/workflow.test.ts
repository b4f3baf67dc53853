import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { stockClient } from '../support/clients';
import type { E2EServer, People } from './support';
import { COLORS, documentText, e2eSuite, explain, openDocument, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState, waitForText } from './support';

// Issue 9, the review workflow in Chromium (SPEC WF1–WF9): an editor moves a
// report from drafting to review; the owner moves it on through public
// comment and revising; final is refused while a divergence states no views,
// with the passage as a link to its block; once complete the owner moves it
// to final; the editor is warned that their next edit reopens it, is asked
// at the first keystroke, and the edit moves it to revising for everyone.
// The list filters by status and by deadline, overdue first.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const badge = (page: Page): Locator => page.getByTestId('workflow-bar').getByTestId('status-badge');

async function statusIs(page: Page, status: string): Promise<void> {
  await explain(
    page,
    `the status never became ${status}`,
    page.waitForFunction((s) => document.querySelector('[data-testid="workflow-bar"] [data-testid="status-badge"]')?.getAttribute('data-status') === s, status, {
      timeout: UI_TIMEOUT_MS,
    }),
  );
}

/** "Move to…", then the option for `status`; returns the options that were offered. */
async function moveTo(page: Page, status: string): Promise<string[]> {
  await page.getByTestId('move-to').click();
  const options = page.getByTestId('move-option');
  await explain(page, 'the Move to… list never opened', options.first().waitFor({ timeout: UI_TIMEOUT_MS }));
  const offered = await options.evaluateAll((els) => els.map((el) => el.getAttribute('data-status') ?? ''));
  await page.locator(`[data-testid="move-option"][data-status="${status}"]`).click();
  return offered;
}

describe('review workflow', () => {
  it('editor drafting → review, owner on to final (refused first, naming the passage), an edit after final asks, then moves it to revising', async () => {
    const id = await server.createDocument('Session report: data governance');
    const owner = await people.openAs(server.owner, COLORS.crimson);
    const amina = await people.open('Amina Diallo', COLORS.blue);

    await openDocument(amina.page, id);
    await typeAtEnd(amina.page, 'Participants discussed cross-border data flows.');
    await waitForSaveState(amina.page, 'saved');
    await openDocument(owner.page, id);
    await statusIs(amina.page, 'drafting');
    expect(await badge(amina.page).textContent()).toBe('Status: Drafting');

    // The editor is offered exactly their move, and makes it; the owner's open page follows live.
    expect(await moveTo(amina.page, 'review')).toEqual(['review']);
    await statusIs(amina.page, 'review');
    await statusIs(owner.page, 'review');
    await expect.poll(() => amina.page.getByTestId('workflow-status').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('The document is now in Review');
    // From review an editor may only go back.
    await amina.page.getByTestId('move-to').click();
    expect(await amina.page.getByTestId('move-option').evaluateAll((els) => els.map((el) => el.textContent))).toEqual(['Back to Drafting']);
    await amina.page.keyboard.press('Escape');
    expect(await amina.page.getByTestId('move-option').count()).toBe(0);

    // The owner, by keyboard: public comment (opens the comment period), then revising.
    await owner.page.getByTestId('move-to').focus();
    await owner.page.keyboard.press('Enter');
    const focused = () => owner.page.evaluate(() => document.activeElement?.getAttribute('data-status'));
    await expect.poll(focused, { timeout: UI_TIMEOUT_MS }).toBe('drafting');
    expect(await owner.page.getByTestId('move-option').evaluateAll((els) => els.map((el) => el.getAttribute('data-status')))).toEqual([
      'drafting',
      'public-comment',
      'revising',
    ]);
    await owner.page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('public-comment');
    await owner.page.keyboard.press('Enter');
    // Until when comments are open: 14 days ahead unless the owner chooses; Enter accepts.
    const closes = owner.page.getByTestId('public-comment-closes');
    await explain(owner.page, 'the public comment form never showed', closes.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await owner.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('public-comment-closes');
    expect(await new AxeBuilder({ page: owner.page }).include('[data-testid="workflow-bar"]').withTags(WCAG_AA).analyze().then((r) => r.violations)).toEqual([]);
    await owner.page.keyboard.press('Enter');
    await statusIs(owner.page, 'public-comment');
    const period = (await server.owner.api.getDocument(id)).commentPeriod!;
    expect(Math.abs(Date.parse(period.closesAt) - Date.now() - 14 * 86_400_000)).toBeLessThan(5 * 60_000);
    await moveTo(owner.page, 'revising');
    await statusIs(amina.page, 'revising');

    // A divergence without its views, written by another client: final is refused, naming it.
    const writer = stockClient(server.url.replace(/^http/, 'ws') + '/collab', id, server.owner);
    await writer.synced();
    writer.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute('blockId', 'liability-views');
      p.setAttribute('consensus', { level: 'divergence', basis: 'in-room-check' } as never);
      p.insert(0, [new Y.XmlText('Liability of platforms for amplified content.')]);
      writer.doc.getXmlFragment('default').push([p]);
    });
    await waitForText(owner.page, 'Liability of platforms');
    await moveTo(owner.page, 'final');
    const refusal = owner.page.getByTestId('not-ready');
    await explain(owner.page, 'the refusal never showed', refusal.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect((await refusal.textContent())?.replace(/\s+/g, ' ')).toContain(
      'Not ready for final yet Complete these passages first:Liability of platforms for amplified content. — a divergence or minority view without its views',
    );
    await statusIs(owner.page, 'revising');
    // The passage is a link to its block: the caret goes there.
    await refusal.getByTestId('not-ready-passage').click();
    await expect
      .poll(() => owner.page.evaluate(() => window.getSelection()?.anchorNode?.parentElement?.closest('[data-block-id]')?.getAttribute('data-block-id')))
      .toBe('liability-views');
    expect(await new AxeBuilder({ page: owner.page }).include('[data-testid="workflow-bar"]').withTags(WCAG_AA).analyze().then((r) => r.violations)).toEqual([]);

    // Completed (two views), the owner moves it to final.
    writer.doc.transact(() => {
      const p = writer.doc.getXmlFragment('default').toArray().find((el) => el instanceof Y.XmlElement && el.getAttribute('blockId') === 'liability-views') as Y.XmlElement;
      p.setAttribute('consensus', {
        level: 'divergence',
        basis: 'in-room-check',
        views: [
          { text: 'Platforms should carry liability.', groups: ['government'] },
          { text: 'Liability would chill lawful speech.', groups: ['private-sector'] },
        ],
      } as never);
    });
    await expect.poll(async () => (await server.owner.api.markers(id))[0]?.views.length, { timeout: UI_TIMEOUT_MS }).toBe(2);
    writer.destroy();
    await moveTo(owner.page, 'final');
    await statusIs(owner.page, 'final');
    await statusIs(amina.page, 'final');

    // Before editing, the editor is told what an edit will do.
    const notice = amina.page.getByTestId('final-notice');
    await explain(amina.page, 'the final notice never showed', notice.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await notice.textContent()).toBe('This document is final. Your next edit will move it back to revising.');
    const before = await documentText(amina.page);

    // The first keystroke asks; "Keep it Final" changes nothing.
    await typeAtEnd(amina.page, 'X');
    const dialog = amina.page.getByTestId('reopen-dialog');
    await explain(amina.page, 'the question never came', dialog.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await amina.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('reopen-cancel');
    expect(await new AxeBuilder({ page: amina.page }).include('[data-testid="reopen-dialog"]').withTags(WCAG_AA).analyze().then((r) => r.violations)).toEqual([]);
    await amina.page.getByTestId('reopen-cancel').click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    expect(await documentText(amina.page)).toBe(before);
    expect((await server.owner.api.getDocument(id)).status).toBe('final');

    // Asked again, confirmed: the edit goes through and moves the document to revising, for everyone.
    await typeAtEnd(amina.page, 'X');
    await explain(amina.page, 'the question never came back', dialog.waitFor({ timeout: UI_TIMEOUT_MS }));
    await amina.page.getByTestId('reopen-confirm').click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await typeAtEnd(amina.page, ' A late correction.');
    await waitForSaveState(amina.page, 'saved');
    await statusIs(amina.page, 'revising');
    await statusIs(owner.page, 'revising');
    expect(await amina.page.getByTestId('final-notice').count()).toBe(0);
    const moved = (await server.owner.api.audit(id)).find((e) => e.action === 'status.changed');
    expect(moved).toMatchObject({ actor: { name: 'Amina Diallo' }, details: { from: 'final', to: 'revising', cause: 'edit' } });
  });

  it('the list filters by status and deadline, overdue first, with badges in words and an empty state', async () => {
    const rapporteur = await people.open('Rapporteur', COLORS.forest);
    const api = rapporteur.account!.api;
    const HOUR = 3_600_000;
    const inZone = (ms: number) => ({ at: new Date(Date.now() + ms).toISOString(), timeZone: 'UTC' });
    const late = await api.createDocument({ title: 'WS 12 report (late)' });
    await api.updateDocument(late.id, { status: 'review', deadline: inZone(-2 * HOUR) });
    const soon = await api.createDocument({ title: 'WS 31 report (due in 3 days)' });
    await api.updateDocument(soon.id, { deadline: inZone(3 * 24 * HOUR) });
    const done = await api.createDocument({ title: 'Main session summary (final)' });
    for (const status of ['review', 'revising', 'final'] as const) await api.updateDocument(done.id, { status });

    const page = rapporteur.page;
    await page.goto('/');
    const items = page.getByTestId('document-item');
    await explain(page, 'the list never showed', items.first().waitFor({ timeout: UI_TIMEOUT_MS }));
    // Only this test's documents (the person is also an editor of the other tests' ones).
    const ours = new Set(['WS 12 report (late)', 'WS 31 report (due in 3 days)', 'Main session summary (final)']);
    const titles = async () =>
      (await page.getByTestId('document-link').evaluateAll((els) => els.map((el) => el.textContent ?? ''))).filter((t) => ours.has(t));
    // Overdue first, then by deadline.
    await expect.poll(titles, { timeout: UI_TIMEOUT_MS }).toEqual(expect.arrayContaining(['WS 12 report (late)', 'WS 31 report (due in 3 days)']));
    const all = await titles();
    expect(all.indexOf('WS 12 report (late)')).toBe(0);
    expect(all.indexOf('WS 12 report (late)')).toBeLessThan(all.indexOf('WS 31 report (due in 3 days)'));
    const lateItem = items.filter({ hasText: 'WS 12 report (late)' });
    expect(await lateItem.getByTestId('status-badge').textContent()).toBe('Review');
    expect(await lateItem.getByTestId('due-label').getAttribute('data-due')).toBe('overdue');
    expect(await lateItem.getByTestId('due-label').textContent()).toContain('Overdue (due 2 hours ago)');
    expect(await items.filter({ hasText: 'WS 31 report' }).getByTestId('due-label').textContent()).toContain('Due in 3 days');

    // By status (the address says so, so the filtered list can be shared).
    await page.getByLabel('Status').selectOption('review');
    await expect.poll(titles, { timeout: UI_TIMEOUT_MS }).toEqual(['WS 12 report (late)']);
    expect(page.url()).toContain('status=review');
    await page.getByLabel('Status').selectOption('final');
    await expect.poll(titles, { timeout: UI_TIMEOUT_MS }).toEqual(['Main session summary (final)']);

    // By deadline.
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Deadline').selectOption('overdue');
    await expect.poll(titles, { timeout: UI_TIMEOUT_MS }).toEqual(['WS 12 report (late)']);
    await page.getByLabel('Deadline').selectOption('week');
    await expect.poll(titles, { timeout: UI_TIMEOUT_MS }).toEqual(['WS 31 report (due in 3 days)']);

    // Nothing matches: said, with a way back.
    await page.getByLabel('Status').selectOption('published');
    const empty = page.getByTestId('empty-filtered');
    await explain(page, 'the empty state never showed', empty.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await page.getByTestId('documents-count').textContent()).toBe('0 documents');
    expect(await new AxeBuilder({ page }).withTags(WCAG_AA).analyze().then((r) => r.violations)).toEqual([]);
    await empty.getByRole('button', { name: 'Show all documents' }).click();
    await expect.poll(titles, { timeout: UI_TIMEOUT_MS }).toEqual(expect.arrayContaining(['Main session summary (final)', 'WS 12 report (late)']));
  });
});
