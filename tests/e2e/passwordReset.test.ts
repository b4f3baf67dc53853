import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts';
import type { E2EServer, People } from './support';
import { e2eSuite, explain, UI_TIMEOUT_MS } from './support';

// SPEC A10 through the pages: an administrator makes a reset link on the
// administration page, the person opens it in their own browser, is refused a
// common password with the server's reason, sets a good one and is signed in;
// their earlier session has ended. Without SMTP, "Forgot your password?"
// says to ask an administrator.
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

describe('password reset', () => {
  it('an administrator makes a link; the person sets a new password with it and is signed in', async () => {
    const farid = await signUp(server.url, { name: 'Farid' });

    const secretariat = await people.openSignedOut('Secretariat');
    await server.useSession(secretariat.context, server.owner);
    const admin = secretariat.page;
    await admin.goto('/admin');
    await explain(admin, 'the accounts table did not appear', admin.getByTestId('admin-users').waitFor({ timeout: UI_TIMEOUT_MS }));
    const row = admin.locator(`[data-testid="admin-user"][data-user-id="${farid.user.id}"]`);
    await row.getByRole('button', { name: 'Make a password reset link for Farid' }).click();
    const urlField = admin.getByTestId('admin-reset-link-url');
    await explain(admin, 'no reset link was shown', urlField.waitFor({ timeout: UI_TIMEOUT_MS }));
    const link = await urlField.inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/reset/[\\w-]+$`));
    expect(await admin.getByTestId('admin-reset-link-result').textContent()).toContain(farid.email);

    const person = await people.openSignedOut('Farid');
    const { page } = person;
    await page.goto(link);
    await explain(page, 'the reset page did not show the account', page.getByTestId('reset-for').waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await page.getByTestId('reset-for').textContent()).toContain(farid.email);

    // Too short: said in the browser; common: said by the server.
    await page.getByTestId('reset-password').fill('short one');
    await page.getByTestId('reset-submit').click();
    await expect.poll(() => page.getByTestId('reset-password').getAttribute('aria-invalid'), { timeout: UI_TIMEOUT_MS }).toBe('true');
    expect(await page.locator('.field__error').first().textContent()).toContain('at least 12 characters');
    await page.getByTestId('reset-password').fill('Password1234');
    await page.getByTestId('reset-submit').click();
    await expect
      .poll(async () => (await page.locator('.field__error').allTextContents()).join(' '), { timeout: UI_TIMEOUT_MS })
      .toContain('most commonly used passwords');

    await page.getByTestId('reset-password').fill('a harbour full of lanterns');
    await page.getByTestId('reset-submit').click();
    await page.waitForURL(`${server.url}/`, { timeout: UI_TIMEOUT_MS });
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(200);
    // The session from before the reset has ended; the new password works.
    expect((await fetch(`${server.url}/api/me`, { headers: { Cookie: farid.cookie } })).status).toBe(401);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: JSON.stringify({ email: farid.email, password: 'a harbour full of lanterns' }),
    });
    expect(login.status).toBe(200);

    // The link worked once.
    await page.goto(link);
    await explain(page, 'a used link was not refused', page.getByTestId('reset-invalid').waitFor({ timeout: UI_TIMEOUT_MS }));
  });

  it('without SMTP, "Forgot your password?" says to ask an administrator', async () => {
    const { page } = await people.openSignedOut('Someone');
    await page.goto('/signin');
    await page.getByTestId('signin-forgot').click();
    await page.waitForURL(/\/forgot$/, { timeout: UI_TIMEOUT_MS });
    await explain(page, 'the page did not say to ask an administrator', page.getByTestId('forgot-ask-admin').waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await page.getByTestId('forgot-ask-admin').textContent()).toContain('Ask an administrator');
  });
});
