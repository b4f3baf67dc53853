import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts';
import type { E2EServer, People } from './support';
import { COLORS, e2eSuite, explain, UI_TIMEOUT_MS } from './support';

// The secretariat's administration page (/admin): an administrator disables
// an account (its API calls answer 401 at once) and closes registration (the
// sign-up page says so), then opens it again. Non-administrators are told
// the page is for administrators only.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

/** `GET /api/me` with a session cookie: 200 while the session works. */
async function meStatus(cookie: string): Promise<number> {
  return (await fetch(`${server.url}/api/me`, { headers: { Cookie: cookie } })).status;
}

async function openAdminPage(page: Page): Promise<void> {
  await page.goto('/');
  await explain(page, 'no Administration link in the header', page.getByTestId('admin-link').waitFor({ timeout: UI_TIMEOUT_MS }));
  // Administrators are listed every document; the heading says so.
  expect(await page.getByTestId('documents-heading').getAttribute('data-scope')).toBe('all');
  await page.getByTestId('admin-link').click();
  await page.waitForURL(/\/admin$/, { timeout: UI_TIMEOUT_MS });
  await explain(page, 'the accounts table did not appear', page.getByTestId('admin-users').waitFor({ timeout: UI_TIMEOUT_MS }));
}

describe('administration', () => {
  it('disables an account: its token and session answer 401 at once', async () => {
    const delphine = await signUp(server.url, { name: 'Delphine' });
    expect(await delphine.api.listDocuments()).toEqual([]);
    expect(await meStatus(delphine.cookie)).toBe(200);

    const secretariat = await people.openSignedOut('Secretariat');
    await server.useSession(secretariat.context, server.owner);
    const { page } = secretariat;
    await openAdminPage(page);

    // Your own row offers neither switch.
    const own = page.locator(`[data-testid="admin-user"][data-user-id="${server.owner.user.id}"]`);
    expect(await own.getByRole('switch').count()).toBe(0);

    const row = page.locator(`[data-testid="admin-user"][data-user-id="${delphine.user.id}"]`);
    expect(await row.getAttribute('data-disabled')).toBe('false');
    const disable = row.getByRole('switch', { name: 'The account of Delphine is disabled' });
    expect(await disable.isChecked()).toBe(false);
    // Disabling asks first.
    const confirmed = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.accept();
      });
    });
    await disable.click();
    expect(await confirmed).toContain('Delphine');
    await expect.poll(() => row.getAttribute('data-disabled'), { timeout: UI_TIMEOUT_MS }).toBe('true');
    expect(await page.getByTestId('admin-status').textContent()).toContain('Delphine’s account is disabled');

    await expect(delphine.api.listDocuments()).rejects.toMatchObject({ status: 401 });
    expect(await meStatus(delphine.cookie)).toBe(401);

    // Enabled again, the token works (the sessions stay revoked).
    await row.getByRole('switch', { name: 'The account of Delphine is disabled' }).click();
    await expect.poll(() => row.getAttribute('data-disabled'), { timeout: UI_TIMEOUT_MS }).toBe('false');
    expect(await delphine.api.listDocuments()).toEqual([]);
    expect(await meStatus(delphine.cookie)).toBe(401);
  });

  it('switches registration to invite-only: sign-up through the page says registration is closed; then back to open', async () => {
    const secretariat = await people.openSignedOut('Secretariat');
    await server.useSession(secretariat.context, server.owner);
    const { page } = secretariat;
    await openAdminPage(page);

    expect(await page.getByTestId('admin-registration-open').isChecked()).toBe(true);
    await page.getByTestId('admin-registration-invite-only').check();
    await expect.poll(() => page.getByTestId('admin-registration-status').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Invite only');

    try {
      const newcomer = await people.openSignedOut('Newcomer');
      const signup = newcomer.page;
      await signup.goto('/signup');
      await signup.getByTestId('signup-email').fill('newcomer@example.org');
      await signup.getByTestId('signup-password').fill('a long enough password');
      await signup.getByTestId('signup-name').fill('Newcomer');
      await signup.getByTestId('signup-stakeholder-group').selectOption('academia');
      await signup.getByTestId('signup-region').selectOption('asia-pacific');
      await signup.getByTestId('signup-submit').click();
      const error = signup.getByTestId('signup-error');
      await explain(signup, 'no sign-up error', error.waitFor({ timeout: UI_TIMEOUT_MS }));
      expect(await error.getAttribute('data-code')).toBe('registration_closed');
      expect(await error.textContent()).toContain('by invitation only');
      expect(await signup.getByTestId('current-user').count()).toBe(0);
    } finally {
      await page.getByTestId('admin-registration-open').check();
      await expect.poll(() => page.getByTestId('admin-registration-status').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Open');
    }
    // Open again: anyone can sign up.
    await signUp(server.url, { name: 'Latecomer' });
  });

  it('tells someone who is not an administrator that the page is for administrators only', async () => {
    const bruno = await people.open('Bruno', COLORS.blue);
    await bruno.page.goto('/');
    await explain(bruno.page, 'not signed in', bruno.page.getByTestId('current-user').waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await bruno.page.getByTestId('admin-link').count()).toBe(0);
    expect(await bruno.page.getByTestId('documents-heading').getAttribute('data-scope')).toBe('mine');
    await bruno.page.goto('/admin');
    await explain(bruno.page, 'no "administrators only" page', bruno.page.getByTestId('admin-forbidden').waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await bruno.page.getByRole('heading', { level: 1 }).textContent()).toBe('Administrators only');
    // The server agrees.
    expect((await bruno.page.request.get('/api/admin/users')).status()).toBe(403);
  });
});
