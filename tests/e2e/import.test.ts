import AxeBuilder from '@axe-core/playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import { COLORS, e2eSuite, explain, UI_TIMEOUT_MS, waitForText } from './support';

// Issue 14 (SPEC IM7) in Chromium: "Import a file" from the documents list.
// A refused file is said in the dialog, which stays open with the file to
// change; an HTML file with an image becomes a new document that opens with
// the notice of what was not kept (the image and its description).
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

describe('importing a file', () => {
  it('refuses a renamed file in the dialog, then imports an HTML page and opens it with its notices', async () => {
    const { page } = await people.open('Importer Ines', COLORS.purple);
    await page.goto('/');
    await page.getByTestId('import-document').click();
    const dialog = page.getByTestId('import-dialog');
    await explain(page, 'the import dialog never opened', dialog.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await new AxeBuilder({ page }).include('[data-testid="import-dialog"]').analyze().then((r) => r.violations.map((v) => v.id))).toEqual([]);

    // Text named .docx: refused with the server's reason; the dialog stays.
    await page.getByTestId('import-file').setInputFiles({ name: 'paper.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.from('just text') });
    await page.getByTestId('import-submit').click();
    const error = page.getByTestId('import-error');
    await explain(page, 'no error for a renamed file', error.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await error.textContent()).toContain('its content is not DOCX');
    expect(await dialog.isVisible()).toBe(true);

    const html = '<html><body><h1>Community networks</h1><p>Spectrum for <b>local</b> operators.</p><p><img src="map.png" alt="A map of community networks"></p></body></html>';
    await page.getByTestId('import-file').setInputFiles({ name: 'networks.html', mimeType: 'text/html', buffer: Buffer.from(html) });
    await page.getByTestId('import-submit').click();
    await page.waitForURL(/\/d\/[A-Za-z0-9_-]+$/, { timeout: UI_TIMEOUT_MS });
    await waitForText(page, 'Spectrum for local operators.');
    const notice = page.getByTestId('import-notice');
    await explain(page, 'no notice of what the import could not keep', notice.waitFor({ timeout: UI_TIMEOUT_MS }));
    const said = (await notice.textContent()) ?? '';
    expect(said).toContain('Imported from “networks.html”');
    expect(said).toContain('1 image was not kept.');
    expect(said).toContain('A map of community networks');
    expect(await page.getByTestId('import-notice-region').getAttribute('role')).toBe('status');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect((await server.owner.api.getDocument(id)).title).toBe('Community networks');
  });
});
