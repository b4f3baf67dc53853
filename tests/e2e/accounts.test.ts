import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import type { E2EServer, People } from './support';
import {
  createFromNewDocumentDialog,
  documentText,
  e2eSuite,
  editorText,
  explain,
  type Person,
  typeAtEnd,
  UI_TIMEOUT_MS,
  waitForSaveState,
  waitForText,
} from './support';

// Issue 3, end to end: two people sign up in the browser; one shares a
// document with the other as commenter; the commenter cannot type into it,
// the owner can; presence names carry the stakeholder group.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

async function signUpInBrowser(person: Person, email: string, group: string, region: string): Promise<void> {
  const { page } = person;
  await page.goto('/');
  // Signed out, the app sends people to the sign-in page, which links to sign-up.
  await page.waitForURL(/\/signin/, { timeout: UI_TIMEOUT_MS });
  await page.goto('/signup');
  await page.getByTestId('signup-email').fill(email);
  await page.getByTestId('signup-password').fill('a long enough password');
  await page.getByTestId('signup-name').fill(person.name);
  await page.getByTestId('signup-organisation').fill(`${person.name}'s organisation`);
  await page.getByTestId('signup-stakeholder-group').selectOption(group);
  await page.getByTestId('signup-region').selectOption(region);
  await page.getByTestId('signup-submit').click();
  await explain(page, 'sign-up did not sign in', page.getByTestId('current-user').waitFor({ timeout: UI_TIMEOUT_MS }));
  expect(await page.getByTestId('current-user').textContent()).toContain(person.name);
}

async function isReadOnly(page: Page): Promise<boolean> {
  return (await editorText(page).getAttribute('aria-readonly')) === 'true';
}

describe('accounts and sharing', () => {
  it('a commenter sees the document read-only and cannot change it; the owner edits', async () => {
    const amina = await people.openSignedOut('Amina');
    const bruno = await people.openSignedOut('Bruno');
    await signUpInBrowser(amina, 'amina@example.org', 'civil-society', 'african');
    await signUpInBrowser(bruno, 'bruno@example.org', 'government', 'latin-american-caribbean');

    // Amina creates a document and types into it.
    const id = await createFromNewDocumentDialog(amina.page, { type: 'blank' });
    await expect.poll(() => amina.page.getByTestId('role-notice').getAttribute('data-role'), { timeout: UI_TIMEOUT_MS }).toBe('owner');
    await typeAtEnd(amina.page, 'Text agreed in the session.');
    await waitForSaveState(amina.page, 'saved');

    // Before sharing, Bruno has no access.
    const before = await bruno.page.request.get(`/api/documents/${id}`);
    expect(before.status()).toBe(403);

    // Amina shares it with Bruno as commenter through the share dialog.
    await amina.page.getByTestId('share-button').click();
    const dialog = amina.page.getByTestId('share-dialog');
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    await amina.page.getByTestId('share-email').fill('bruno@example.org');
    await amina.page.getByTestId('share-role').selectOption('commenter');
    await amina.page.getByTestId('share-add').click();
    await expect.poll(() => amina.page.getByTestId('share-member').count(), { timeout: UI_TIMEOUT_MS }).toBe(2);
    await amina.page.getByTestId('share-close').click();

    // Bruno opens it: he reads it, and is told why he cannot type.
    await bruno.page.goto(`/d/${id}`);
    await waitForText(bruno.page, 'Text agreed in the session.');
    await expect.poll(() => bruno.page.getByTestId('role-notice').getAttribute('data-role'), { timeout: UI_TIMEOUT_MS }).toBe('commenter');
    expect(await isReadOnly(bruno.page)).toBe(true);
    // No toolbar of disabled buttons for a reader; the owner has hers.
    expect(await bruno.page.getByRole('toolbar').count()).toBe(0);
    expect(await amina.page.getByRole('toolbar').count()).toBe(1);
    await editorText(bruno.page).click();
    await bruno.page.keyboard.type('Bruno rewrites this');
    await bruno.page.keyboard.press('Backspace');
    await bruno.page.keyboard.press('Enter');
    expect(await documentText(bruno.page)).toBe('Text agreed in the session.');
    // The caret still moves, so a keyboard-only reader can select a passage to comment on.
    await bruno.page.keyboard.press('Control+Home');
    await bruno.page.keyboard.press('Shift+End');
    expect(await bruno.page.evaluate(() => document.getSelection()?.toString())).toBe('Text agreed in the session.');

    // Amina still edits, and Bruno sees it live; the server never got Bruno's text.
    await typeAtEnd(amina.page, ' Amendment by the owner.');
    await waitForText(bruno.page, 'Amendment by the owner.');
    const exported = await (await fetch(`${server.url}/api/documents/${id}/export?format=md`, { headers: server.authHeaders })).text();
    expect(exported).toContain('Amendment by the owner.');
    expect(exported).not.toContain('Bruno');

    // Presence shows each person's stakeholder group, stamped by the server.
    await waitFor(async () => (await amina.page.locator('[data-testid="presence"] [data-testid="stakeholder-badge"]').count()) >= 2, {
      what: 'two badges in the presence list',
    });
    const groups = await amina.page
      .locator('[data-testid="presence"] [data-testid="stakeholder-badge"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
    expect(groups.sort()).toEqual(['civil-society', 'government']);
  });
});
