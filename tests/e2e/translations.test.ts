import AxeBuilder from '@axe-core/playwright';
import { CATALOG } from '@rapporteur/i18n';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type StockClient, stockClient } from '../support/clients';
import { waitFor } from '../support/wait';
import { COLORS, e2eSuite, editorText, explain, openDocument, selectionSettled, UI_TIMEOUT_MS, waitForSaveState } from './support';

// Issue 12, linked translations (SPEC LT1–LT6): an editor of a report makes
// a French translation from its header, translates beside the original
// (the two scroll together), marks a paragraph reviewed, and sees "source
// changed" once the original is edited.
const suite = e2eSuite();
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const say = (language: keyof typeof CATALOG, path: string): string =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], CATALOG[language]) as string;
const en = (path: string): string => say('en', path);

const clients: StockClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

const PARAGRAPHS = 40;
const words = (i: number): string =>
  `Paragraph ${i}: participants discussed how meaningful access, affordability and skills shape whether people can take part in the digital economy, and what governments, the private sector and civil society should each do next.`;

/** The original, written by the secretariat with a stock Yjs client: a heading and 40 long paragraphs with known block ids. */
async function writeOriginal(id: string): Promise<StockClient> {
  const c = stockClient(suite.server.collabUrl, id, suite.server.owner);
  clients.push(c);
  await c.synced();
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('blockId', 'h');
  heading.setAttribute('level', 2 as never);
  heading.insert(0, [new Y.XmlText('Key takeaways')]);
  const paragraphs = Array.from({ length: PARAGRAPHS }, (_, i) => {
    const p = new Y.XmlElement('paragraph');
    p.setAttribute('blockId', `p${i + 1}`);
    p.insert(0, [new Y.XmlText(words(i + 1))]);
    return p;
  });
  c.doc.getXmlFragment('default').insert(0, [heading, ...paragraphs]);
  await waitFor(async () => (await stored(id)).includes(`Paragraph ${PARAGRAPHS}:`), { what: 'the original stored' });
  return c;
}

async function stored(id: string): Promise<string> {
  return (await fetch(`${suite.server.url}/api/documents/${id}/export?format=md`, { headers: suite.server.authHeaders })).text();
}

async function segment(id: string, blockId: string): Promise<{ status: string; sourceChanged: boolean }> {
  const res = await fetch(`${suite.server.url}/api/documents/${id}/translation`, { headers: suite.server.authHeaders });
  const view = (await res.json()) as { segments: Array<{ blockId: string; status: string; sourceChanged: boolean }> };
  return view.segments.find((s) => s.blockId === blockId)!;
}

/** Puts the caret at the end of the translation's paragraph `blockId`, by clicking it as a person would. */
async function caretIn(page: Page, blockId: string): Promise<void> {
  const block = editorText(page).locator(`[data-block-id="${blockId}"]`);
  await block.scrollIntoViewIfNeeded();
  await block.click();
  await page.keyboard.press('End');
  await selectionSettled(page);
}

/**
 * The paragraph of the translation that the line just below the pinned
 * toolbar crosses, and how far into it that line falls — in the
 * translation and in the original's pane: level columns give equal
 * fractions for the same paragraph.
 */
async function alignment(page: Page): Promise<{ blockId: string; translation: number; source: number }> {
  return page.evaluate(() => {
    const line = (document.querySelector('.side-by-side__target .editor__chrome')?.getBoundingClientRect().bottom ?? 0) + 8;
    const blocks = Array.from(document.querySelectorAll<HTMLElement>('#document-content p[data-block-id]'));
    const crossing = blocks.find((b) => b.getBoundingClientRect().bottom > line);
    const id = crossing?.dataset['blockId'] ?? '';
    const fraction = (el: Element | null) => {
      if (!el) return NaN;
      const r = el.getBoundingClientRect();
      return (line - r.top) / r.height;
    };
    return { blockId: id, translation: fraction(crossing ?? null), source: fraction(document.querySelector(`[data-testid="source-scroll"] [data-block-id="${id}"]`)) };
  });
}

describe('linked translations (issue 12)', () => {
  it('an editor creates a French translation from the header, translates beside the original, marks a paragraph reviewed and sees “source changed”', async () => {
    const sourceId = await suite.server.createDocument('Session report on meaningful access');
    await writeOriginal(sourceId);
    const { page, context } = await suite.people.open('Amina', COLORS.forest);
    await openDocument(page, sourceId);

    // The original's header: no translation yet; make one in French.
    const bar = page.getByTestId('translations-bar');
    await explain(page, 'the translations bar did not appear', bar.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await bar.textContent()).toContain(en('translations.none'));
    await page.getByTestId('translate-language').selectOption('fr');
    await page.getByTestId('translate-create').click();
    await explain(page, 'creating did not open the translation', page.waitForURL((url) => !url.pathname.endsWith(sourceId), { timeout: UI_TIMEOUT_MS }));
    const translationId = decodeURIComponent(new URL(page.url()).pathname.slice('/d/'.length));
    await editorText(page).waitFor({ timeout: UI_TIMEOUT_MS });
    await waitForSaveState(page, 'saved');

    // Side by side: the original on one side, in English, read only; the translation's paragraphs empty, with the same ids.
    const source = page.getByTestId('source-content');
    await expect.poll(() => source.textContent(), { timeout: UI_TIMEOUT_MS }).toContain(`Paragraph ${PARAGRAPHS}:`);
    expect(await page.getByTestId('source-scroll').getAttribute('lang')).toBe('en');
    expect(await source.getAttribute('contenteditable')).toBeNull();
    expect(await page.locator('.ProseMirror').count()).toBe(1);
    expect(await editorText(page).getAttribute('lang')).toBe('fr');
    const ids = await editorText(page).locator('[data-block-id]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-block-id'), e.textContent]));
    expect(ids.slice(0, 3)).toEqual([
      ['h', ''],
      ['p1', ''],
      ['p2', ''],
    ]);
    expect(await page.getByTestId('translation-source-link').textContent()).toBe('Session report on meaningful access');
    await expect.poll(() => page.getByTestId('segment-counts').textContent(), { timeout: UI_TIMEOUT_MS }).toContain(`To translate: ${PARAGRAPHS + 1}`);

    // Translate the first paragraph: it becomes a draft.
    await caretIn(page, 'p1');
    await expect.poll(() => page.getByTestId('segment-position').textContent(), { timeout: UI_TIMEOUT_MS }).toBe(`2 of ${PARAGRAPHS + 1}`);
    expect(await page.getByRole('radio', { name: en('translations.status.to-translate') }).isChecked()).toBe(true);
    // The original's paragraph being translated is marked beside it.
    expect(await source.locator('[data-block-id="p1"]').getAttribute('aria-current')).toBe('location');
    await page.keyboard.type('Les participants ont examiné l’accès effectif, le coût et les compétences.');
    await waitForSaveState(page, 'saved');
    await expect.poll(() => page.getByRole('radio', { name: en('translations.status.draft') }).isChecked(), { timeout: UI_TIMEOUT_MS }).toBe(true);
    await expect.poll(() => editorText(page).locator('[data-block-id="p1"]').getAttribute('data-segment'), { timeout: UI_TIMEOUT_MS }).toBe('draft');

    // Marked reviewed from the keyboard: the status radios are a group the arrow keys move through.
    await page.getByRole('radio', { name: en('translations.status.draft') }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await segment(translationId, 'p1')).status, { timeout: UI_TIMEOUT_MS }).toBe('reviewed');
    await expect.poll(() => editorText(page).locator('[data-block-id="p1"]').getAttribute('data-segment'), { timeout: UI_TIMEOUT_MS }).toBe('reviewed');
    expect(await page.getByTestId('source-changed').count()).toBe(0);

    // Amina edits the original's paragraph in another tab: the translation says its source changed.
    const originalTab = await context.newPage();
    await openDocument(originalTab, sourceId);
    await editorText(originalTab).locator('[data-block-id="p1"]').click();
    await originalTab.keyboard.press('Home');
    await selectionSettled(originalTab);
    await originalTab.keyboard.type('As agreed, ');
    await waitForSaveState(originalTab, 'saved');
    await originalTab.close();
    await page.bringToFront();
    await caretIn(page, 'p1');
    await expect.poll(() => source.locator('[data-block-id="p1"]').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('As agreed, ');
    await explain(page, '“source changed” did not appear', page.getByTestId('source-changed').waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await page.getByTestId('source-changed').textContent()).toBe(en('translations.sourceChanged'));
    expect(await editorText(page).locator('[data-block-id="p1"]').getAttribute('data-source-changed')).toBe('true');
    expect(await segment(translationId, 'p1')).toMatchObject({ status: 'reviewed', sourceChanged: true });
    expect(await page.getByTestId('segment-counts').textContent()).toContain('Original changed: 1');

    // Checked again and marked reviewed again: the warning goes.
    await page.getByRole('radio', { name: en('translations.status.draft') }).check();
    await page.getByRole('radio', { name: en('translations.status.reviewed') }).check();
    await expect.poll(() => page.getByTestId('source-changed').count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    expect(await segment(translationId, 'p1')).toMatchObject({ status: 'reviewed', sourceChanged: false });

    // "Next paragraph to do" takes the caret to the heading's neighbour still to translate; "Copy the original text" fills an empty one.
    await page.getByTestId('next-to-do').click();
    await expect.poll(() => page.getByTestId('segment-position').textContent(), { timeout: UI_TIMEOUT_MS }).toBe(`3 of ${PARAGRAPHS + 1}`);
    await page.getByTestId('copy-source').click();
    await expect.poll(() => editorText(page).locator('[data-block-id="p2"]').textContent(), { timeout: UI_TIMEOUT_MS }).toBe(words(2));

    // A paragraph written into the original afterwards: counted as new, then added to the translation where the original has it.
    const again = await context.newPage();
    await openDocument(again, sourceId);
    await editorText(again).click();
    await again.keyboard.press('Control+End');
    await selectionSettled(again);
    await again.keyboard.press('Enter');
    await again.keyboard.type('A closing paragraph written later.');
    await waitForSaveState(again, 'saved');
    const newId = await editorText(again).locator('p').last().getAttribute('data-block-id');
    expect(newId).toBeTruthy();
    await again.close();
    await page.bringToFront();
    await expect.poll(() => page.getByTestId('segment-counts').textContent(), { timeout: UI_TIMEOUT_MS }).toContain('New in the original: 1');
    await page.getByTestId('add-new-paragraphs').click();
    await expect.poll(() => editorText(page).locator('p').last().getAttribute('data-block-id'), { timeout: UI_TIMEOUT_MS }).toBe(newId);
    await expect.poll(async () => (await segment(translationId, newId!))?.status, { timeout: UI_TIMEOUT_MS }).toBe('to-translate');
    await expect.poll(() => page.getByTestId('segment-counts').textContent(), { timeout: UI_TIMEOUT_MS }).not.toContain('New in the original');

    // axe: nothing on the side-by-side page breaks WCAG 2.2 A/AA.
    const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // The original's header lists the translation, in French.
    await openDocument(page, sourceId);
    const link = page.getByTestId('translation-link');
    await explain(page, 'the original did not list its translation', link.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect([await link.textContent(), await link.getAttribute('lang')]).toEqual(['Français', 'fr']);
  });

  it('the original and the translation scroll together, from the page and from the original’s own scroll box', async () => {
    const sourceId = await suite.server.createDocument('Long report');
    await writeOriginal(sourceId);
    const { page } = await suite.people.open('Diego', COLORS.blue);
    // Made after Diego joined the original: its members (Diego, an editor) are the translation's.
    const created = await suite.server.owner.api.createTranslation(sourceId, 'es');
    // Translated already (by the secretariat's stock client): both columns are long.
    const translator = stockClient(suite.server.collabUrl, created.id, suite.server.owner);
    clients.push(translator);
    await translator.synced();
    translator.doc.transact(() => {
      translator.doc
        .getXmlFragment('default')
        .toArray()
        .forEach((block, i) => {
          if (i > 0) (block as Y.XmlElement).insert(0, [new Y.XmlText(`Párrafo ${i}: los participantes examinaron cómo el acceso efectivo, la asequibilidad y las competencias determinan quién participa en la economía digital.`)]);
        });
    });
    await waitFor(async () => (await stored(created.id)).includes(`Párrafo ${PARAGRAPHS}:`), { what: 'the translation stored' });

    await openDocument(page, created.id);
    const source = page.getByTestId('source-content');
    await expect.poll(() => source.textContent(), { timeout: UI_TIMEOUT_MS }).toContain(`Paragraph ${PARAGRAPHS}:`);

    // Scrolling the page (the translation) to paragraph 25 brings the original's paragraph 25 level with it.
    await page.evaluate(() => document.querySelector('#document-content [data-block-id="p25"]')!.scrollIntoView({ block: 'center' }));
    await expect.poll(async () => {
      const a = await alignment(page);
      return Math.abs(a.translation - a.source) < 0.1 && Number(a.blockId.slice(1)) >= 15;
    }, { timeout: UI_TIMEOUT_MS }).toBe(true);
    expect(await page.getByTestId('source-scroll').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

    // Scrolling the original's box from the keyboard (it takes the focus) moves the page with it.
    const scroll = page.getByTestId('source-scroll');
    await scroll.focus();
    const before = await page.evaluate(() => window.scrollY);
    const atBefore = (await alignment(page)).blockId;
    for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
    await expect.poll(() => page.evaluate(() => window.scrollY), { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(before + 100);
    await expect.poll(async () => {
      const a = await alignment(page);
      return Math.abs(a.translation - a.source) < 0.1 && a.blockId !== atBefore;
    }, { timeout: UI_TIMEOUT_MS }).toBe(true);

    // Turned off, the original goes and the translation has the page to itself; the choice is kept.
    await page.getByTestId('side-by-side-toggle').click();
    expect(await page.getByTestId('side-by-side-toggle').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('source-pane').count()).toBe(0);
    await page.reload();
    await editorText(page).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('side-by-side-toggle').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('source-pane').count()).toBe(0);
    await page.getByTestId('side-by-side-toggle').click();
    await page.getByTestId('source-pane').waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it('in an Arabic interface, the original sits at the inline start (the right), the translation reads right to left, and axe finds nothing', async () => {
    const sourceId = await suite.server.createDocument('Chair’s summary');
    await writeOriginal(sourceId);
    const { page, account } = await suite.people.open('Layla', COLORS.purple);
    // Her interface language, kept in her profile (SPEC L3).
    await account!.api.updateMe({ locale: 'ar' });
    const created = await suite.server.owner.api.createTranslation(sourceId, 'ar');
    await openDocument(page, created.id);
    await expect.poll(() => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), { timeout: UI_TIMEOUT_MS }).toEqual(['ar', 'rtl']);
    const pane = page.getByTestId('source-pane');
    await pane.waitFor({ timeout: UI_TIMEOUT_MS });
    const [paneBox, textBox] = [await pane.boundingBox(), await editorText(page).boundingBox()];
    expect(paneBox!.x).toBeGreaterThan(textBox!.x);
    expect(await page.getByTestId('source-scroll').getAttribute('dir')).toBe('ltr');

    await caretIn(page, 'p1');
    await page.keyboard.type('ناقش المشاركون الوصول المجدي والقدرة على تحمل التكاليف.');
    await waitForSaveState(page, 'saved');
    await expect.poll(() => editorText(page).locator('[data-block-id="p1"]').evaluate((p) => getComputedStyle(p).direction), { timeout: UI_TIMEOUT_MS }).toBe('rtl');
    await expect.poll(() => page.getByRole('radio', { name: say('ar', 'translations.status.draft') }).isChecked(), { timeout: UI_TIMEOUT_MS }).toBe(true);
    // Counts in Western Arabic digits (SPEC L10).
    expect(await page.getByTestId('segment-counts').textContent()).toMatch(/[0-9]/);
    expect(await page.getByTestId('segment-counts').textContent()).not.toMatch(/[\u0660-\u0669]/);

    const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
