import AxeBuilder from '@axe-core/playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import { COLORS, e2eSuite, explain, UI_TIMEOUT_MS } from './support';

// Issue 11 (SPEC EV12) in Chromium: a rapporteur whose session's report is
// already past its deadline when the organisers import the programme finds
// an overdue reminder in the header's notifications, names the session and
// the deadline on the event's clock, and follows it to the report; it is
// then read. The timing rules are tested on the server with an injected
// clock (tests/integration/reminders.test.ts).
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

const DAY = 24 * 60 * 60 * 1000;
const localDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('deadline reminders', () => {
  it('an overdue report shows in the notifications and leads to the report', async () => {
    const rapporteur = await people.open('Rapporteur Amal', COLORS.forest);
    const headers = { ...server.authHeaders, 'Content-Type': 'application/json' };
    // A session that ended three days ago, on UTC: its report was due two days ago.
    const ended = Date.now() - 3 * DAY;
    const created = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Reminder forum', startsAt: localDay(ended - DAY), endsAt: localDay(Date.now()), timeZone: 'UTC', tracks: ['Access'] }),
    });
    expect(created.status).toBe(201);
    const eventId = ((await created.json()) as { event: { id: string } }).event.id;
    const csv = [
      'code,title,type,track,start,end,organisers,speakers,rapporteur',
      `WS 7,Community networks,workshop,Access,${localDay(ended)}T09:00,${localDay(ended)}T10:00,,,${rapporteur.account!.email}`,
    ].join('\n');
    const imported = await fetch(`${server.url}/api/events/${eventId}/sessions/import?dryRun=false`, {
      method: 'POST',
      headers: { ...server.authHeaders, 'Content-Type': 'text/csv' },
      body: csv,
    });
    expect(imported.status).toBe(200);
    const sessions = (await (await fetch(`${server.url}/api/events/${eventId}/sessions`, { headers: server.authHeaders })).json()) as {
      sessions: { documentId: string }[];
    };
    const reportId = sessions.sessions[0]!.documentId;

    const page = rapporteur.page;
    await page.goto('/');
    const button = page.getByTestId('notifications-button');
    await expect.poll(() => button.getAttribute('data-unread'), { timeout: UI_TIMEOUT_MS }).toBe('1');
    expect(await button.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    await button.click();
    const reminder = page.getByTestId('reminders-list').getByTestId('reminder');
    await explain(page, 'no reminder in the notifications', reminder.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await reminder.getAttribute('data-kind')).toBe('overdue');
    expect(await reminder.getAttribute('data-unread')).toBe('true');
    const text = (await reminder.textContent()) ?? '';
    expect(text).toContain('The report of session WS 7 is overdue: it was due');
    expect(text).toContain('10:00 UTC');
    expect(text).toContain('Reminder forum');
    expect(await page.getByRole('list', { name: 'Deadlines' }).count()).toBe(1);
    expect(
      await new AxeBuilder({ page })
        .include('[data-testid="notifications-list"]')
        .analyze()
        .then((r) => r.violations.map((v) => v.id)),
    ).toEqual([]);

    await reminder.getByRole('link').click();
    await page.waitForURL(new RegExp(`/d/${reportId}$`), { timeout: UI_TIMEOUT_MS });
    const inbox = async () =>
      (await (await fetch(`${server.url}/api/notifications`, { headers: { Authorization: `Bearer ${rapporteur.account!.token}` } })).json()) as {
        reminders: { readAt: string | null }[];
        unread: number;
      };
    await expect.poll(async () => (await inbox()).unread, { timeout: UI_TIMEOUT_MS }).toBe(0);
    expect((await inbox()).reminders[0]!.readAt).not.toBeNull();
  });
});
