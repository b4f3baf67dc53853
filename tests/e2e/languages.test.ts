import AxeBuilder from '@axe-core/playwright';
import { CATALOG } from '@rapporteur/i18n';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { COLORS, e2eSuite, editorText, openDocument, typeAtEnd, UI_TIMEOUT_MS, waitForSaveState } from './support';

// Issue 12 (SPEC L1–L3): the interface in the browser's language, right to
// left in Arabic, switchable from every page and kept in the profile.
const suite = e2eSuite();
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

const say = (language: keyof typeof CATALOG, path: string): string =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], CATALOG[language]) as string;

const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function browserIn(locale: string): Promise<Page> {
  const context = await suite.browser.newContext({ baseURL: suite.server.url, viewport: { width: 1200, height: 800 }, locale });
  contexts.push(context);
  return context.newPage();
}

const htmlLangDir = (page: Page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('languages (issue 12)', () => {
  it('an Arabic browser signs up and sees the interface right to left in Arabic, switches to French, and the profile keeps it', async () => {
    const page = await browserIn('ar-EG');
    await page.goto('/signup');
    await expect.poll(() => htmlLangDir(page), { timeout: UI_TIMEOUT_MS }).toEqual(['ar', 'rtl']);
    const menu = page.getByRole('combobox', { name: say('ar', 'language.label'), exact: true });
    await expect.poll(() => menu.inputValue(), { timeout: UI_TIMEOUT_MS }).toBe('ar');
    // The header starts at the right-hand edge: the app's name is to the right of the language menu.
    const nameBox = await page.locator('.app-name').boundingBox();
    const menuBox = await menu.boundingBox();
    expect(nameBox!.x).toBeGreaterThan(menuBox!.x);
    await expect.poll(() => page.locator('main h1').first().textContent(), { timeout: UI_TIMEOUT_MS }).toBe(say('ar', 'signup.title'));

    // axe: nothing in the Arabic page breaks WCAG 2.2 A/AA.
    expect(await violations(page)).toEqual([]);

    await page.getByTestId('signup-email').fill('layla@example.org');
    await page.getByTestId('signup-password').fill('a long enough password');
    await page.getByTestId('signup-name').fill('ليلى');
    await page.getByTestId('signup-stakeholder-group').selectOption('academia');
    await page.getByTestId('signup-region').selectOption('african');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('current-user').waitFor({ timeout: UI_TIMEOUT_MS });
    const me = await page.evaluate(async () => (await (await fetch('/api/me')).json()) as { user: { locale: string | null } });
    expect(me.user.locale).toBe('ar');
    expect(await htmlLangDir(page)).toEqual(['ar', 'rtl']);
    expect(await violations(page)).toEqual([]);

    // The editor, right to left in Arabic: axe finds nothing there either.
    const created = await page.evaluate(async () => {
      const res = await fetch('/api/documents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'تقرير' }) });
      return ((await res.json()) as { id: string }).id;
    });
    await page.goto(`/d/${created}`);
    await page.locator('.ProseMirror').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.waitForLoadState('networkidle');
    expect(await htmlLangDir(page)).toEqual(['ar', 'rtl']);
    expect(await violations(page)).toEqual([]);

    // Switching with the keyboard: focus the menu, choose Français.
    await menu.focus();
    await menu.selectOption('fr');
    await expect.poll(() => htmlLangDir(page), { timeout: UI_TIMEOUT_MS }).toEqual(['fr', 'ltr']);
    const french = page.getByRole('combobox', { name: say('fr', 'language.label'), exact: true });
    await expect.poll(() => french.inputValue(), { timeout: UI_TIMEOUT_MS }).toBe('fr');
    await expect
      .poll(async () => ((await page.evaluate(async () => (await (await fetch('/api/me')).json()) as { user: { locale: string } })).user.locale), { timeout: UI_TIMEOUT_MS })
      .toBe('fr');

    // The profile's language wins over the Arabic browser after a reload.
    await page.reload();
    await page.getByTestId('current-user').waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(() => htmlLangDir(page), { timeout: UI_TIMEOUT_MS }).toEqual(['fr', 'ltr']);
  });

  it('every language is offered by its own name, each option saying its language', async () => {
    const page = await browserIn('zh-CN');
    await page.goto('/signin');
    await expect.poll(() => htmlLangDir(page), { timeout: UI_TIMEOUT_MS }).toEqual(['zh', 'ltr']);
    const options = await page.locator('.language-menu__select option').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('lang'), n.textContent]));
    expect(options).toEqual([
      ['ar', 'العربية'],
      ['zh', '中文'],
      ['en', 'English'],
      ['fr', 'Français'],
      ['ru', 'Русский'],
      ['es', 'Español'],
    ]);
  });

  it('a mixed Arabic and English document keeps each block’s direction through Enter, reload and export, in the language chosen for it', async () => {
    const id = await suite.server.createDocument('تقرير الجلسة');
    const { page } = await suite.people.open('Layla', COLORS.forest);
    await openDocument(page, id);

    // The document's own language, chosen under its title: the text says it.
    await page.getByTestId('document-language').selectOption('ar');
    await expect.poll(() => editorText(page).getAttribute('lang'), { timeout: UI_TIMEOUT_MS }).toBe('ar');

    await typeAtEnd(page, 'قال المشاركون إن الوصول يجب أن يكون ميسور التكلفة.');
    await page.getByTestId('tool-dir-rtl').click();
    await typeAtEnd(page, 'Participants agreed on access.', { newParagraph: true });
    await waitForSaveState(page, 'saved');
    const directions = () => editorText(page).locator('p').evaluateAll((ps) => ps.map((p) => p.getAttribute('dir')));
    // The block after a right-to-left one starts on auto, not rtl.
    expect(await directions()).toEqual(['rtl', 'auto']);

    await page.reload();
    await editorText(page).waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(directions, { timeout: UI_TIMEOUT_MS }).toEqual(['rtl', 'auto']);
    await expect.poll(() => editorText(page).getAttribute('lang'), { timeout: UI_TIMEOUT_MS }).toBe('ar');

    const html = await (await fetch(`${suite.server.url}/api/documents/${id}/export?format=html`, { headers: suite.server.authHeaders })).text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toMatch(/<p [^>]*dir="rtl">قال المشاركون/);
    expect(html).toMatch(/<p [^>]*dir="ltr">Participants agreed/);
  });
});
