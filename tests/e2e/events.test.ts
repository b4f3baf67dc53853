import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { E2EServer, People } from './support';
import { COLORS, e2eSuite, explain, UI_TIMEOUT_MS } from './support';

// Issue 11 in Chromium, the secretariat's pages: an administrator creates an
// event with two tracks and names an organiser; the organiser imports the
// programme — a file with a bad line is refused line by line and writes
// nothing, the corrected one is previewed, confirmed, and gives an invitation
// link for the rapporteur without an account; the dashboard shows the
// reports (the overdue one first) and leads to a report; a rapporteur sees
// only the session they report on, files the report and sends it to review;
// the organiser takes it to final (the dashboard says submitted), publishes
// it and makes the event public, and its page without JavaScript links the
// published report. The messages citing two sessions are
// tests/e2e/consolidation.test.ts; the rules are tested on the server
// (tests/integration/events.test.ts).
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

const DAY = 24 * 60 * 60 * 1000;

function elements(node: Y.XmlFragment | Y.XmlElement): Y.XmlElement[] {
  return node.toArray().flatMap((c) => (c instanceof Y.XmlElement ? [c, ...elements(c)] : []));
}

/** Writes `text` into the template field `field` of a report (a paragraph, or a list's first item). */
function fill(doc: Y.Doc, field: string, text: string): void {
  const at = elements(doc.getXmlFragment('default')).find((e) => e.getAttribute('field') === field)!;
  const paragraph = at.nodeName === 'paragraph' ? at : elements(at).find((e) => e.nodeName === 'paragraph')!;
  paragraph.delete(0, paragraph.length);
  paragraph.insert(0, [new Y.XmlText(text)]);
}

/** "Move to…", then the option for `status`, and waits for the bar to say it. */
async function moveTo(page: Page, status: string): Promise<void> {
  await page.getByTestId('move-to').click();
  const option = page.locator(`[data-testid="move-option"][data-status="${status}"]`);
  await explain(page, `no move to ${status} offered`, option.waitFor({ timeout: UI_TIMEOUT_MS }));
  await option.click();
  await explain(
    page,
    `the report never became ${status}`,
    page.waitForFunction((s) => document.querySelector('[data-testid="workflow-bar"] [data-testid="status-badge"]')?.getAttribute('data-status') === s, status, {
      timeout: UI_TIMEOUT_MS,
    }),
  );
}
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('events', () => {
  it('an administrator creates an event, an organiser imports its sessions after a refused file, a rapporteur files a report, the dashboard says submitted, the public page links it', async () => {
    const admin = await people.openAs(server.owner, COLORS.crimson);
    const organiser = await people.open('Organiser Dana', COLORS.blue);
    const rapporteur = await people.open('Rapporteur Eli', COLORS.forest);
    const now = Date.now();

    // The administrator: the empty list, then "New event" (a mistake named by its field first).
    const page = admin.page;
    await page.goto('/');
    await page.getByTestId('events-link').click();
    await explain(page, 'no events page', page.getByTestId('events-empty').waitFor({ timeout: UI_TIMEOUT_MS }));
    await page.getByTestId('new-event').click();
    await page.getByTestId('event-create').click();
    expect(await page.getByTestId('event-name-error').textContent()).toBe('Required.');
    await page.getByTestId('event-name').fill('IGF Village');
    await page.getByTestId('event-start').fill(day(now - 3 * DAY));
    await page.getByTestId('event-end').fill(day(now + 3 * DAY));
    await page.getByTestId('event-zone').selectOption('UTC');
    await page.getByTestId('event-tracks').fill('Access\nRights');
    await page.getByTestId('event-create').click();
    await explain(page, 'the new event did not open', page.getByTestId('event-page').waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('IGF Village');
    expect(await page.getByTestId('sessions-empty').textContent()).toContain('No sessions yet');
    await page.getByTestId('organisers-emails').fill(organiser.account!.email);
    await page.getByTestId('organisers-save').click();
    await expect.poll(() => page.getByTestId('organisers-said').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Organisers saved.');
    const eventId = new URL(page.url()).pathname.split('/').pop()!;

    // The organiser: a file with an unknown track on line 3 is refused, line by line, and writes nothing.
    const o = organiser.page;
    await o.goto('/events');
    await o.getByTestId('event-item').getByRole('link', { name: 'IGF Village' }).click();
    await o.getByTestId('import-sessions').waitFor({ timeout: UI_TIMEOUT_MS });
    const header = 'code,title,type,track,start,end,organisers,speakers,rapporteur';
    const ws1 = `WS 1,Rural broadband,workshop,Access,${day(now - 2 * DAY)}T09:00,${day(now - 2 * DAY)}T10:00,Village Network,"Ana (civil-society, african)",${rapporteur.account!.email}`;
    const bad = `OF 2,Privacy,open-forum,Security,${day(now + 2 * DAY)}T09:00,${day(now + 2 * DAY)}T10:00,,,new.person@example.org`;
    const file = (lines: string[]) => ({ name: 'programme.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...lines].join('\n')) });
    await o.getByTestId('import-file').setInputFiles(file([ws1, bad]));
    const errors = o.getByTestId('import-errors');
    await explain(o, 'no line-numbered errors', errors.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await errors.locator('tbody th').first().textContent()).toBe('3');
    expect(await errors.locator('tbody td').first().textContent()).toContain('Security');
    expect(await o.getByTestId('import-confirm').count()).toBe(0);
    const listed = async () =>
      ((await (await fetch(`${server.url}/api/events/${eventId}/sessions`, { headers: server.authHeaders })).json()) as { sessions: unknown[] }).sessions.length;
    expect(await listed()).toBe(0);

    // Corrected: previewed, confirmed, and the rapporteur without an account gets a link to copy.
    await o.getByTestId('import-file').setInputFiles(file([ws1, bad.replace('Security', 'Rights')]));
    await expect.poll(() => o.getByTestId('import-status').textContent(), { timeout: UI_TIMEOUT_MS }).toBe(
      'Ready: new 2, changed 0, unchanged 0. Nothing is written until you confirm.',
    );
    expect(await listed()).toBe(0);
    await o.getByTestId('import-confirm').click();
    await expect.poll(() => o.getByTestId('import-status').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Imported: new 2, changed 0.');
    expect(await o.getByTestId('invitations').locator('tbody tr').count()).toBe(1);
    expect(await o.getByTestId('invitations').textContent()).toContain('new.person@example.org');

    // The dashboard: both reports missing, WS 1 overdue and listed first, e-mail addresses for the organiser.
    await expect.poll(() => o.getByTestId('status-counts').locator('[data-status="missing"] .status-counts__number').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('2');
    expect(await o.getByTestId('status-counts').locator('[data-status="overdue"] .status-counts__number').textContent()).toBe('1');
    const overdueRows = o.getByTestId('overdue-table').getByTestId('session-row');
    expect(await overdueRows.count()).toBe(1);
    expect(await overdueRows.first().getAttribute('data-code')).toBe('WS 1');
    expect(await overdueRows.first().textContent()).toContain(rapporteur.account!.email);
    expect(await o.getByTestId('track-table').count()).toBe(2);
    expect(
      await new AxeBuilder({ page: o })
        .include('[data-testid="event-page"]')
        .analyze()
        .then((r) => r.violations.map((v) => v.id)),
    ).toEqual([]);
    await o.getByTestId('track-filter').selectOption({ label: 'Rights' });
    expect(await o.getByTestId('track-table').count()).toBe(1);
    expect(await o.getByTestId('overdue-table').count()).toBe(0);
    await o.getByTestId('track-filter').selectOption('all');
    await overdueRows.first().getByTestId('report-link').click();
    await o.waitForURL(/\/d\/[A-Za-z0-9_-]+$/, { timeout: UI_TIMEOUT_MS });
    await o.getByTestId('document-type').waitFor({ timeout: UI_TIMEOUT_MS });

    // The rapporteur sees only the session they report on, no import and no addresses.
    const r = rapporteur.page;
    await r.goto(`/events/${eventId}`);
    await r.getByTestId('event-page').waitFor({ timeout: UI_TIMEOUT_MS });
    // WS 1 is overdue: listed first among the overdue, and in its track's table.
    await expect.poll(() => r.getByTestId('track-table').getByTestId('session-row').count(), { timeout: UI_TIMEOUT_MS }).toBe(1);
    expect(await r.getByTestId('session-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-code')))).toEqual(['WS 1', 'WS 1']);
    expect(await r.getByTestId('import-sessions').count()).toBe(0);
    expect(await r.getByTestId('organisers').count()).toBe(0);
    expect(await r.getByTestId('event-page').textContent()).not.toContain('new.person@example.org');

    // The rapporteur files the report: writes it (through the room, as typing would) and sends it to review.
    await r.getByTestId('report-link').first().click();
    await r.waitForURL(/\/d\/[A-Za-z0-9_-]+$/, { timeout: UI_TIMEOUT_MS });
    const reportId = new URL(r.url()).pathname.split('/').pop()!;
    await server.editAs(reportId, rapporteur.account!.user.id, (doc) => {
      fill(doc, 'key-takeaways', 'Community networks connect the last mile where operators do not.');
      fill(doc, 'calls-to-action', 'Regulators should open spectrum to community networks.');
      for (const field of ['issues-raised', 'areas-of-agreement', 'areas-of-divergence', 'way-forward', 'gender-reflection']) fill(doc, field, `On ${field}: discussed.`);
    });
    await moveTo(r, 'review');
    // The organiser owns the event's reports: takes it on through revising to final, and the dashboard says submitted.
    await o.goto(`/d/${reportId}`);
    await moveTo(o, 'revising');
    await moveTo(o, 'final');
    await o.goto(`/events/${eventId}`);
    await expect
      .poll(() => o.getByTestId('track-table').locator('[data-code="WS 1"]').getAttribute('data-status'), { timeout: UI_TIMEOUT_MS })
      .toBe('submitted');
    expect(await o.getByTestId('overdue-table').count()).toBe(0);

    // Published and the event made public: its page without JavaScript links the report.
    const published = await fetch(`${server.url}/api/documents/${reportId}/publications`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${organiser.account!.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ public: true }),
    });
    expect(published.status).toBe(201);
    await o.reload();
    await o.getByTestId('toggle-public').click();
    await expect.poll(() => o.getByTestId('event-visibility').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Public page');
    expect(await o.getByTestId('track-table').locator('[data-code="WS 1"]').getAttribute('data-status')).toBe('published');
    const visitor = await people.openSignedOut('Visitor');
    await visitor.page.goto(`/e/${eventId}`);
    await visitor.page.getByRole('link', { name: /WS 1/ }).click();
    await expect.poll(() => visitor.page.locator('body').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Community networks connect the last mile');
  });
});
