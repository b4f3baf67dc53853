import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import {
  COLORS,
  documentText,
  e2eSuite,
  explain,
  openDocument,
  selectText,
  type Person,
  typeAtEnd,
  UI_TIMEOUT_MS,
  waitForSaveState,
  waitForText,
} from './support';

// Issue 4, end to end in Chromium: a commenter comments on a passage and
// suggests wording; the owner sees it live, accepts the suggestion and sets
// a disposition; the commenter sees the outcome live; the disposition table
// lists it. Comment text is inert everywhere. A comment written offline is
// sent when the connection returns.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

const PAYLOAD = 'Please soften this. <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const thread = (page: Page, id?: string): Locator =>
  id ? page.locator(`[data-testid="comment-thread"][data-comment-id="${id}"]`) : page.getByTestId('comment-thread');

/** Fails the test if the page ever opens a dialog (alert, confirm, prompt): an injected script would. */
function forbidDialogs(person: Person, dialogs: string[]): void {
  person.page.on('dialog', (dialog) => {
    dialogs.push(`${person.name}: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
}

async function waitForStatus(page: Page, id: string, status: string): Promise<void> {
  await explain(
    page,
    `comment ${id} never became ${status}`,
    thread(page, id).and(page.locator(`[data-status="${status}"]`)).waitFor({ timeout: UI_TIMEOUT_MS }),
  );
}

/** Opens the document as a commenter: the server owner makes the person a commenter (People.open shares as editor). */
async function openAsCommenter(person: Person, id: string): Promise<void> {
  await server.owner.api.setMember(id, person.account!.email, 'commenter');
  await openDocument(person.page, id);
  await expect.poll(() => person.page.getByTestId('role-notice').getAttribute('data-role'), { timeout: UI_TIMEOUT_MS }).toBe('commenter');
  await person.page.getByTestId('comments-panel').and(person.page.locator('[data-status="ready"]')).waitFor({ timeout: UI_TIMEOUT_MS });
}

describe('comments', () => {
  it('a commenter comments and suggests wording; the owner sees it live, accepts it and answers; the commenter sees the outcome; the table lists it', async () => {
    const started = Date.now();
    const id = await server.createDocument('Session report: meaningful access');
    const owner = await people.openAs(server.owner, COLORS.crimson);
    const commenter = await people.open('Bruno', COLORS.blue);
    const dialogs: string[] = [];
    forbidDialogs(owner, dialogs);
    forbidDialogs(commenter, dialogs);

    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Participants agreed that access must be affordable in every region.');
    await waitForSaveState(owner.page, 'saved');
    await owner.page.getByTestId('comments-empty').waitFor({ timeout: UI_TIMEOUT_MS });

    await openAsCommenter(commenter, id);
    await waitForText(commenter.page, 'must be affordable');

    // The commenter selects a passage and comments, with a suggestion.
    await selectText(commenter.page, 'must be affordable');
    await commenter.page.getByTestId('comment-button').click();
    await commenter.page.getByTestId('comment-input').fill(PAYLOAD);
    await commenter.page.getByTestId('comment-suggestion-input').fill('should be affordable and accessible');
    await commenter.page.getByTestId('comment-submit').click();
    await explain(commenter.page, "the commenter's thread did not appear", thread(commenter.page).waitFor({ timeout: UI_TIMEOUT_MS }));
    const commentId = (await thread(commenter.page).getAttribute('data-comment-id'))!;
    expect(await thread(commenter.page, commentId).getAttribute('data-status')).toBe('open');

    // The owner sees it appear without reloading, the markup shown as text.
    await explain(owner.page, 'the thread never appeared for the owner', thread(owner.page, commentId).waitFor({ timeout: UI_TIMEOUT_MS }));
    const shownBody = await thread(owner.page, commentId).getByTestId('comment-body').first().textContent();
    expect(shownBody).toBe(PAYLOAD);
    expect(await thread(owner.page, commentId).getByTestId('comment-author').textContent()).toBe('Bruno');
    expect(await thread(owner.page, commentId).getByTestId('stakeholder-badge').getAttribute('data-group')).toBe('civil-society');
    expect(await thread(owner.page, commentId).getByTestId('comment-quote').textContent()).toBe('must be affordable');
    expect(await thread(owner.page, commentId).getByTestId('comment-suggestion').textContent()).toContain('should be affordable and accessible');
    // The passage is highlighted in the owner's text.
    expect(await owner.page.locator(`.ProseMirror [data-comment-id="${commentId}"]`).textContent()).toBe('must be affordable');
    for (const p of [owner.page, commenter.page]) {
      expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await p.getByTestId('comments-panel').locator('img, script').count()).toBe(0);
    }

    // The commenter keeps the thread selected, to follow what becomes of it.
    await thread(commenter.page, commentId).click();

    // The owner accepts the suggestion: the text changes on both pages.
    await thread(owner.page, commentId).click();
    await owner.page.getByTestId('accept-suggestion').click();
    await waitForText(owner.page, 'access should be affordable and accessible in every region');
    await waitForText(commenter.page, 'access should be affordable and accessible in every region');
    expect(await documentText(commenter.page)).not.toContain('must be affordable');
    await waitForStatus(owner.page, commentId, 'accepted');

    // …and records a disposition with a response.
    await owner.page.getByTestId('disposition-select').selectOption('partially-accepted');
    await owner.page.getByTestId('disposition-response').fill('Applied; "every region" kept as agreed in the room.');
    await owner.page.getByTestId('disposition-save').click();
    await waitForStatus(owner.page, commentId, 'partially-accepted');

    // The commenter sees the outcome live.
    await waitForStatus(commenter.page, commentId, 'partially-accepted');
    await expect
      .poll(() => thread(commenter.page, commentId).getByTestId('comment-response').textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('"every region" kept as agreed in the room.');

    // The disposition table lists the comment, its author's stakeholder group and the outcome…
    const res = await fetch(`${server.url}/api/documents/${id}/comments/export?format=csv`, { headers: server.authHeaders });
    expect(res.status).toBe(200);
    const csv = await res.text();
    const row = csv.split('\n').find((line) => line.includes('Bruno'));
    expect(row).toBeDefined();
    expect(row).toContain('Civil society');
    expect(row).toContain('Partially accepted');
    expect(row).toContain('must be affordable');
    expect(row).toContain('<script>window.__pwned = 1</script>');

    // …and the panel's link downloads the same table.
    expect(await owner.page.getByTestId('export-comments-csv').getAttribute('href')).toBe(`/api/documents/${id}/comments/export?format=csv`);
    const [download] = await Promise.all([owner.page.waitForEvent('download', { timeout: UI_TIMEOUT_MS }), owner.page.getByTestId('export-comments-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/disposition of comments\.csv$/);
    const downloaded = await readFile((await download.path())!, 'utf8');
    expect(downloaded).toBe(csv);

    expect(dialogs).toEqual([]);
    console.log(`[e2e] comment → live → accept → disposition → export: ${Date.now() - started} ms`);
  });

  it('keeps a comment written offline and sends it when the connection returns; once its passage is deleted it shows the quote', async () => {
    const id = await server.createDocument('Chair summary');
    const owner = await people.openAs(server.owner, COLORS.crimson);
    const commenter = await people.open('Chen', COLORS.forest);
    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Speakers called for open standards.');
    await waitForSaveState(owner.page, 'saved');
    await openAsCommenter(commenter, id);
    await waitForText(commenter.page, 'open standards');

    await commenter.context.setOffline(true);
    await waitForSaveState(commenter.page, 'offline');
    await selectText(commenter.page, 'open standards');
    await commenter.page.getByTestId('comment-button').click();
    await commenter.page.getByTestId('comment-input').fill('Name the standards bodies, please.');
    await commenter.page.getByTestId('comment-submit').click();
    const pending = commenter.page.getByTestId('comment-pending');
    await explain(commenter.page, 'the comment was not kept as waiting', pending.and(commenter.page.locator('[data-state="waiting"]')).waitFor({ timeout: UI_TIMEOUT_MS }));
    // Kept in the browser, not on the server.
    expect(await commenter.page.evaluate((key) => localStorage.getItem(key), `rapporteur:comment-outbox:${id}`)).toContain('Name the standards bodies');
    const before = await fetch(`${server.url}/api/documents/${id}/comments`, { headers: server.authHeaders });
    expect(((await before.json()) as { comments: unknown[] }).comments).toHaveLength(0);

    await commenter.context.setOffline(false);
    await explain(commenter.page, 'the waiting comment was never sent', pending.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS }));
    await thread(commenter.page).waitFor({ timeout: UI_TIMEOUT_MS });
    await explain(owner.page, 'the comment never reached the owner', thread(owner.page).waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await thread(owner.page).getByTestId('comment-body').first().textContent()).toBe('Name the standards bodies, please.');
    expect(await commenter.page.evaluate((key) => localStorage.getItem(key), `rapporteur:comment-outbox:${id}`)).toBeNull();
    const after = await fetch(`${server.url}/api/documents/${id}/comments`, { headers: server.authHeaders });
    expect(((await after.json()) as { comments: unknown[] }).comments).toHaveLength(1);

    // The owner deletes the passage: the thread stays, with its quote and a note, on both pages.
    await selectText(owner.page, 'open standards');
    await owner.page.keyboard.press('Backspace');
    await waitForText(owner.page, 'Speakers called for .');
    for (const p of [owner.page, commenter.page]) {
      await explain(p, 'the thread never said its passage was deleted', thread(p).getByTestId('passage-deleted').waitFor({ timeout: UI_TIMEOUT_MS }));
      expect(await thread(p).getByTestId('comment-quote').textContent()).toBe('open standards');
    }
  });

  it('mentions a member, who follows the notification to the thread; the owner closes the comment period and the commenter is told', async () => {
    const id = await server.createDocument('Messages: digital inclusion');
    const owner = await people.openAs(server.owner, COLORS.crimson);
    const commenter = await people.open('Amina', COLORS.purple);
    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Connectivity remains unequal between regions.');
    await waitForSaveState(owner.page, 'saved');
    await openAsCommenter(commenter, id);

    // The commenter mentions the owner, picked from the listbox with the keyboard.
    await selectText(commenter.page, 'remains unequal');
    await commenter.page.getByTestId('comment-button').click();
    const input = commenter.page.getByTestId('comment-input');
    await input.pressSequentially('Could @Secr');
    await explain(commenter.page, 'no one was offered to mention', commenter.page.getByRole('option', { name: /Secretariat/ }).waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await input.getAttribute('aria-activedescendant')).toBeTruthy();
    await input.press('Enter');
    await expect.poll(() => input.inputValue(), { timeout: UI_TIMEOUT_MS }).toContain('(' + server.owner.user.id + ') ');
    await expect.poll(() => input.evaluate((el: HTMLTextAreaElement) => el.selectionStart === el.value.length)).toBe(true);
    await input.pressSequentially('check the figures?');
    expect(await input.inputValue()).toBe(`Could @[Secretariat](${server.owner.user.id}) check the figures?`);
    await commenter.page.getByTestId('comment-submit').click();
    await thread(commenter.page).waitFor({ timeout: UI_TIMEOUT_MS });
    const commentId = (await thread(commenter.page).getAttribute('data-comment-id'))!;
    expect(await thread(commenter.page).locator('.mention').textContent()).toBe('@Secretariat');

    // The owner opens the notifications and follows the mention to the thread.
    await owner.page.getByTestId('notifications-button').click();
    const notification = owner.page.getByTestId('notifications-list').getByTestId('notification').and(owner.page.locator('[data-kind="mention"]'));
    await explain(owner.page, 'the mention never showed in the notifications', notification.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await notification.getAttribute('data-unread')).toBe('true');
    expect(await notification.textContent()).toContain('Messages: digital inclusion');
    await notification.getByRole('link').click();
    await owner.page.waitForURL(new RegExp(`/d/${id}\\?comment=${commentId}$`), { timeout: UI_TIMEOUT_MS });
    await expect.poll(() => thread(owner.page, commentId).getAttribute('aria-current'), { timeout: UI_TIMEOUT_MS }).toBe('true');
    await expect.poll(() => owner.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: UI_TIMEOUT_MS }).toBe('comment-thread');
    // Escape goes back to the text.
    await owner.page.keyboard.press('Escape');
    await expect.poll(() => owner.page.evaluate(() => document.activeElement?.classList.contains('ProseMirror')), { timeout: UI_TIMEOUT_MS }).toBe(true);
    const list = (await server.owner.api.listNotifications()).notifications;
    expect(list.find((n) => n.comment.id === commentId)?.readAt).not.toBeNull();

    // Participation counts the commenter's group.
    await owner.page.getByTestId('participation').locator('summary').click();
    await explain(
      owner.page,
      'participation figures never showed',
      owner.page.getByTestId('participation-groups').locator('[data-group="civil-society"]').waitFor({ timeout: UI_TIMEOUT_MS }),
    );

    // The owner closes the comment period (it ended yesterday).
    await owner.page.getByTestId('share-button').click();
    const local = (ms: number) => {
      const d = new Date(Date.now() + ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    };
    await owner.page.getByTestId('comment-period-opens').fill(local(-3 * 86_400_000));
    await owner.page.getByTestId('comment-period-closes').fill(local(-86_400_000));
    await owner.page.getByTestId('comment-period-save').click();
    await expect.poll(() => owner.page.getByTestId('comment-period-saved').textContent(), { timeout: UI_TIMEOUT_MS }).not.toBe('');
    await owner.page.getByTestId('share-close').click();
    await expect
      .poll(() => owner.page.getByTestId('comments-panel').getByTestId('comment-period-status').getAttribute('data-state'), { timeout: UI_TIMEOUT_MS })
      .toBe('after');
    // The owner (an editor) may still comment.
    expect(await owner.page.getByTestId('comment-button').isDisabled()).toBe(false);

    // The commenter, on opening the document again, is told and cannot comment; the server refuses too.
    await openDocument(commenter.page, id);
    await expect
      .poll(() => commenter.page.getByTestId('comment-period-status').getAttribute('data-state'), { timeout: UI_TIMEOUT_MS })
      .toBe('after');
    expect(await commenter.page.getByTestId('comment-period-status').textContent()).toContain('Comment period closed on');
    expect(await commenter.page.getByTestId('comment-button').isDisabled()).toBe(true);
    expect(await commenter.page.getByTestId('comment-blocked').getAttribute('data-reason')).toBe('closed');
    const refused = await commenter.account!.api
      .createComment(id, { anchor: { type: 'block', blockId: 'any', quote: '' }, body: 'Too late' })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403, code: 'comment_period_closed' });
  });

  it('moves between threads with the keyboard, selects them from the text, folds resolved ones away and finds them again, and hides one', async () => {
    const id = await server.createDocument('Background paper');
    const owner = await people.openAs(server.owner, COLORS.crimson);
    const { page } = owner;
    await openDocument(page, id);
    await typeAtEnd(page, 'First finding on spectrum.');
    await typeAtEnd(page, 'Second finding on satellites.', { newParagraph: true });
    await waitForSaveState(page, 'saved');
    const comment = async (passage: string, body: string): Promise<string> => {
      const before = await thread(page).count();
      await selectText(page, passage);
      await page.getByTestId('comment-button').click();
      await page.getByTestId('comment-input').fill(body);
      await page.getByTestId('comment-input').press('Control+Enter');
      await expect.poll(() => thread(page).count(), { timeout: UI_TIMEOUT_MS }).toBe(before + 1);
      return (await page.locator(`[data-testid="comment-thread"]:has-text("${body}")`).getAttribute('data-comment-id'))!;
    };
    // Written in the reverse order of the text: the panel follows the text.
    const second = await comment('satellites', 'On satellites.');
    const first = await comment('spectrum', 'On spectrum.');
    expect(await thread(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-comment-id')))).toEqual([first, second]);

    // Clicking a passage selects its thread.
    await page.locator(`.ProseMirror [data-comment-id="${second}"]`).click();
    await expect.poll(() => thread(page, second).getAttribute('aria-current'), { timeout: UI_TIMEOUT_MS }).toBe('true');

    // j/k move between threads; Enter goes in; Escape comes back out, then to the text.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-comment-id') ?? document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.className);
    await thread(page, second).focus();
    await page.keyboard.press('k');
    expect(await focused()).toBe(first);
    expect(await thread(page, first).getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(second);
    await page.keyboard.press('j');
    expect(await focused()).toBe(second);
    await page.keyboard.press('Enter');
    await expect.poll(focused, { timeout: UI_TIMEOUT_MS }).toBe('reply-input');
    await page.keyboard.press('Escape');
    expect(await focused()).toBe(second);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('ProseMirror'))).toBe(true);

    // The first is noted: once another thread is selected it folds away, and "Show resolved" finds it.
    await thread(page, first).click();
    await page.getByTestId('disposition-select').selectOption('noted');
    await page.getByTestId('disposition-save').click();
    await waitForStatus(page, first, 'noted');
    await thread(page, second).click();
    await expect.poll(() => thread(page, first).count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    expect(await page.getByTestId('comment-filter-resolved').locator('..').textContent()).toContain('1 folded away');
    await page.getByTestId('comment-filter-resolved').check();
    await thread(page, first).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await thread(page, first).getAttribute('class')).toContain('thread--folded');
    await page.getByTestId('comment-filter-toggle').click();
    await page.getByTestId('comment-filter-status').selectOption('noted');
    await expect.poll(() => thread(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-comment-id')))).toEqual([first, second]);
    await page.getByTestId('comment-filter-reset').click();

    // The owner hides the second with a reason; the reason shows, the text stays for moderators.
    await thread(page, second).click();
    await page.getByTestId('comment-hide').click();
    await page.getByTestId('comment-hide-reason').fill('Off topic');
    await page.getByTestId('comment-hide-confirm').click();
    await expect.poll(() => thread(page, second).getByTestId('comment-hidden').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Off topic');
    expect(await thread(page, second).getByTestId('comment-body').textContent()).toBe('On satellites.');
    const listed = await fetch(`${server.url}/api/documents/${id}/comments`, { headers: server.authHeaders });
    expect(((await listed.json()) as { comments: Array<{ id: string; hidden: unknown }> }).comments.find((c) => c.id === second)?.hidden).toMatchObject({ reason: 'Off topic' });
  });
});
