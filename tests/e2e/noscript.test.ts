import { describe, expect, it } from 'vitest';
import { COLORS, e2eSuite, openDocument, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState } from './support';

const suite = e2eSuite();

describe('with JavaScript off (issue 13, SPEC N1–N3)', () => {
  it('a reader signs in with a form, reads the document, and posts a comment that appears, attributed, in another person’s editor', async () => {
    const id = await suite.server.createDocument('Session report: community networks');
    const owner = await suite.people.openAs(suite.server.owner, COLORS.crimson);
    await openDocument(owner.page, id);
    await typeAtEnd(owner.page, 'Community networks connect the unconnected.');
    await typeAtEnd(owner.page, 'Spectrum policy <b>matters</b>.', { newParagraph: true });
    await waitForSaveState(owner.page, 'saved');

    // A commenter on a slow link with JavaScript turned off.
    const bruno = await suite.people.open('Bruno', COLORS.blue);
    await suite.server.owner.api.setMember(id, bruno.account!.email, 'commenter');
    const context = await suite.browser.newContext({ baseURL: suite.server.url, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`/d/${id}`);
      // Not signed in: a private document shows nothing of itself, only a sign-in form.
      expect(await page.locator('body').textContent()).not.toContain('Community networks');
      await page.locator('#reader-email').fill(bruno.account!.email);
      await page.locator('#reader-password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Email or password is not correct.').waitFor({ timeout: UI_TIMEOUT_MS });
      await page.locator('#reader-email').fill(bruno.account!.email);
      await page.locator('#reader-password').fill(bruno.account!.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const reader = page.getByTestId('reader-page');
      await reader.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await reader.locator('h1').textContent()).toBe('Session report: community networks');
      expect(await reader.locator('main').textContent()).toContain('Community networks connect the unconnected.');
      // Markup typed as text stays text.
      expect(await reader.locator('main b').count()).toBe(0);
      expect(await reader.locator('main').textContent()).toContain('Spectrum policy <b>matters</b>.');

      // Comment on the second paragraph with the form.
      await page.locator('#reader-block').selectOption({ label: 'Spectrum policy <b>matters</b>.' });
      await page.locator('#reader-body').fill('Which bands, and who decides?');
      await page.getByRole('button', { name: 'Post comment' }).click();
      await page.getByText('Your comment was posted.').waitFor({ timeout: UI_TIMEOUT_MS });
      const posted = page.locator('.reader-comment').first();
      expect(await posted.textContent()).toContain('Bruno · Civil society');
      expect(await posted.textContent()).toContain('Which bands, and who decides?');
    } finally {
      await context.close();
    }

    // The owner, in the full editor, sees it arrive, attributed by the server.
    const thread = owner.page.getByTestId('comment-thread').first();
    await thread.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await thread.getByTestId('comment-author').textContent()).toBe('Bruno');
    expect(await thread.getByTestId('comment-quote').textContent()).toBe('Spectrum policy <b>matters</b>.');
  });
});
