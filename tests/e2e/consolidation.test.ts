import AxeBuilder from '@axe-core/playwright';
import type { EventView, SessionView } from '@rapporteur/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { E2EServer, People } from './support';
import { COLORS, e2eSuite, editorText, explain, openDocument, UI_TIMEOUT_MS } from './support';

// Issue 11 (SPEC EV8–EV10) in Chromium: the writer of a track's messages
// opens the consolidation panel, finds two sessions' takeaways grouped as
// saying nearly the same thing, filters them, inserts them as one message
// citing both, edits the message's words (the citations stay), sees "source
// changed" with the difference once a rapporteur rewords a source and cites
// it again as it reads now, follows a citation to its passage; a reader of
// the messages who may not read the reports sees "source not public" and
// nothing of them. The rules themselves are tested on the server
// (tests/integration/consolidation.test.ts).
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

const json = { 'Content-Type': 'application/json' };

function elements(node: Y.XmlFragment | Y.XmlElement): Y.XmlElement[] {
  return node.toArray().flatMap((c) => (c instanceof Y.XmlElement ? [c, ...elements(c)] : []));
}

/** The first paragraph of the template list `field` of a report. */
function firstItem(doc: Y.Doc, field: string): Y.XmlElement {
  const list = elements(doc.getXmlFragment('default')).find((e) => e.getAttribute('field') === field)!;
  return elements(list).find((e) => e.nodeName === 'paragraph')!;
}

function setFirstItem(doc: Y.Doc, field: string, text: string): void {
  const paragraph = firstItem(doc, field);
  paragraph.delete(0, paragraph.length);
  paragraph.insert(0, [new Y.XmlText(text)]);
}

describe('consolidating a track’s messages', () => {
  it('inserts grouped takeaways as a message citing both sessions, shows a changed source, and hides sources from those who may not read them', async () => {
    const writer = await people.open('Messages writer Noor', COLORS.blue);
    const reader = await people.open('Reader Ivo', COLORS.purple);
    const admin = { ...server.authHeaders, ...json };
    const event = (
      (await (
        await fetch(`${server.url}/api/events`, {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ name: 'IGF consolidation', startsAt: '2023-11-15', endsAt: '2023-11-17', timeZone: 'UTC', tracks: ['Access', 'Rights'] }),
        })
      ).json()) as { event: EventView }
    ).event;
    const csv = [
      'code,title,type,track,start,end,speakers,rapporteur',
      `WS 1,Rural broadband,workshop,Access,2023-11-15T10:00,2023-11-15T11:00,"Ana (civil-society, african)",${server.owner.email}`,
      `OF 2,Community networks,open-forum,Access,2023-11-15T12:00,2023-11-15T13:00,"Bo (government, asia-pacific)",${server.owner.email}`,
    ].join('\n');
    const imported = await fetch(`${server.url}/api/events/${event.id}/sessions/import?dryRun=false`, {
      method: 'POST',
      headers: { ...server.authHeaders, 'Content-Type': 'text/csv' },
      body: csv,
    });
    expect(imported.status).toBe(200);
    const sessions = ((await (await fetch(`${server.url}/api/events/${event.id}/sessions`, { headers: server.authHeaders })).json()) as { sessions: SessionView[] })
      .sessions;
    const ws1 = sessions.find((s) => s.code === 'WS 1')!;
    const of2 = sessions.find((s) => s.code === 'OF 2')!;
    const ownerId = server.owner.user.id;
    let ws1Passage = '';
    await server.editAs(ws1.documentId, ownerId, (doc) => {
      setFirstItem(doc, 'key-takeaways', 'Governments should invest in affordable broadband for rural communities.');
      ws1Passage = String(firstItem(doc, 'key-takeaways').getAttribute('blockId'));
    });
    await server.editAs(of2.documentId, ownerId, (doc) => {
      setFirstItem(doc, 'key-takeaways', 'Affordable broadband in rural communities needs investment by governments.');
      setFirstItem(doc, 'calls-to-action', 'Regulators should open spectrum to community networks.');
    });
    const made = await fetch(`${server.url}/api/events/${event.id}/tracks/${event.tracks[0]!.id}/messages`, { method: 'POST', headers: server.authHeaders });
    const messagesId = ((await made.json()) as { documentId: string }).documentId;
    // The secretariat's drafter organises the event (so reads every report); the reader only reads the messages.
    const organisers = await fetch(`${server.url}/api/events/${event.id}/organisers`, { method: 'PUT', headers: admin, body: JSON.stringify({ emails: [writer.account!.email] }) });
    expect(organisers.status).toBe(200);
    await server.owner.api.setMember(messagesId, reader.account!.email, 'viewer');

    // The writer opens the panel beside the messages: two groups, the first drawn from two sessions.
    const page = writer.page;
    await openDocument(page, messagesId);
    await page.getByTestId('consolidation-toggle').click();
    const panel = page.getByTestId('consolidation-panel');
    await explain(page, 'no takeaways in the panel', panel.getByTestId('takeaway').first().waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await panel.getByTestId('takeaway').count()).toBe(3);
    const groups = panel.getByTestId('takeaway-group');
    expect(await groups.count()).toBe(2);
    expect(await groups.first().textContent()).toContain('Sessions saying nearly the same: 2');
    // Filters: the speakers' stakeholder group, then the kind.
    await panel.getByTestId('filter-stakeholder-group').selectOption('government');
    expect(await panel.getByTestId('takeaway').count()).toBe(2);
    await panel.getByTestId('filter-kind').selectOption('call-to-action');
    expect(await panel.getByTestId('takeaway').count()).toBe(1);
    await panel.getByTestId('filter-kind').selectOption('all');
    await panel.getByTestId('filter-stakeholder-group').selectOption('all');
    expect(
      await new AxeBuilder({ page })
        .include('[data-testid="consolidation-panel"]')
        .analyze()
        .then((r) => r.violations.map((v) => v.id)),
    ).toEqual([]);

    // The caret in the template's empty message bullet; the group goes in as one message citing both.
    await editorText(page).locator('ul[data-field="messages"] p, [data-field="messages"] p').first().click();
    await panel.getByTestId('insert-group').click();
    const citations = editorText(page).getByTestId('citation');
    await expect.poll(() => citations.count(), { timeout: UI_TIMEOUT_MS }).toBe(2);
    await expect.poll(() => panel.getByTestId('consolidation-status').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Inserted, citing WS 1, OF 2.');
    const message = editorText(page).locator('li', { has: page.getByTestId('citation') }).first();
    expect(await message.textContent()).toBe('Governments should invest in affordable broadband for rural communities. [WS 1] [OF 2]');
    await expect.poll(() => citations.first().getAttribute('data-status'), { timeout: UI_TIMEOUT_MS }).toBe('current');
    expect(await citations.first().locator('a').getAttribute('href')).toBe(`/d/${ws1.documentId}?block=${ws1Passage}`);
    expect(await panel.getByTestId('takeaway-cited').count()).toBe(2);

    // The writer rewords the message: the citations stay, and are saved.
    await message.locator('p').click({ position: { x: 2, y: 5 } });
    await page.keyboard.press('Home');
    await page.keyboard.type('Message one: ');
    await expect.poll(() => message.textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Message one: Governments should invest in affordable broadband for rural communities. [WS 1] [OF 2]');
    const stored = async () =>
      ((await (await fetch(`${server.url}/api/documents/${messagesId}/citations`, { headers: server.authHeaders })).json()) as { citations: { label: string; status: string }[] })
        .citations;
    await expect.poll(async () => (await stored()).map((c) => `${c.label}:${c.status}`), { timeout: UI_TIMEOUT_MS }).toEqual(['WS 1:current', 'OF 2:current']);

    // The rapporteur rewords WS 1's takeaway: the citation says so, and shows the difference.
    await server.editAs(ws1.documentId, ownerId, (doc) => setFirstItem(doc, 'key-takeaways', 'Governments should fund affordable broadband for rural communities.'));
    await panel.getByRole('button', { name: 'Check the sources' }).click();
    const changed = editorText(page).getByTestId('citation-changed');
    await explain(page, 'no "source changed" on the citation', changed.waitFor({ timeout: UI_TIMEOUT_MS }));
    await changed.click();
    const details = panel.getByTestId('citation-details');
    await details.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await details.getByTestId('citation-diff').locator('del').textContent()).toBe('deleted: invest in ');
    expect(await details.getByTestId('citation-diff').locator('ins').textContent()).toBe('inserted: fund ');
    await details.getByTestId('citation-update').click();
    await expect.poll(() => citations.first().getAttribute('data-status'), { timeout: UI_TIMEOUT_MS }).toBe('current');
    await expect.poll(async () => (await stored()).map((c) => `${c.label}:${c.status}`), { timeout: UI_TIMEOUT_MS }).toEqual(['WS 1:current', 'OF 2:current']);

    // A citation's link opens its session's report with the caret in the cited passage.
    const href = (await citations.nth(1).locator('a').getAttribute('href'))!;
    const source = await writer.context.newPage();
    await source.goto(href);
    await expect
      .poll(() => source.evaluate(() => window.getSelection()?.anchorNode?.parentElement?.closest('[data-block-id]')?.textContent ?? null), { timeout: UI_TIMEOUT_MS })
      .toBe('Affordable broadband in rural communities needs investment by governments.');

    // A reader of the messages who may not read the reports: the message and "source not public", nothing of the sources.
    await openDocument(reader.page, messagesId);
    const seen = editorText(reader.page).getByTestId('citation');
    await expect.poll(() => seen.first().getAttribute('data-status'), { timeout: UI_TIMEOUT_MS }).toBe('not-public');
    expect(await seen.first().textContent()).toBe('[WS 1] source not public');
    expect(await seen.locator('a').count()).toBe(0);
    await reader.page.getByTestId('consolidation-toggle').click();
    await reader.page.getByTestId('consolidation-panel').getByTestId('citations-summary').waitFor({ timeout: UI_TIMEOUT_MS });
    const body = (await reader.page.locator('body').textContent()) ?? '';
    expect(body).not.toContain('Rural broadband');
    expect(body).not.toContain('Community networks');
    expect(await reader.page.getByTestId('insert-takeaway').count()).toBe(0);
  });
});
