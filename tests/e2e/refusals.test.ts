import { beforeAll, describe, expect, it } from 'vitest';
import type { E2EServer, People } from './support';
import { COLORS, e2eSuite, editorText, explain, openDocument, UI_TIMEOUT_MS, waitForSaveState } from './support';

// A refused sync socket says why (editor/src/document/refusal.ts): here, the
// owner removes someone while they have the document open (close code 4403).
const suite = e2eSuite();
let server: E2EServer;
let people: People;
beforeAll(() => {
  ({ server, people } = suite);
});

describe('refused connections', () => {
  it('tells someone whose access was removed while the document was open, and turns editing off', async () => {
    const id = await server.createDocument('Chair’s summary');
    const bruno = await people.open('Bruno', COLORS.blue);
    await openDocument(bruno.page, id);
    expect(await bruno.page.getByTestId('role-notice').getAttribute('data-role')).toBe('editor');

    const member = (await server.owner.api.listMembers(id)).find((m) => m.user.name === 'Bruno');
    expect(member).toBeDefined();
    await server.owner.api.removeMember(id, member!.user.id);

    const notice = bruno.page.getByTestId('read-only');
    await explain(bruno.page, 'no notice of the removed access', notice.waitFor({ timeout: UI_TIMEOUT_MS }));
    expect(await notice.getAttribute('data-refusal')).toBe('accessRemoved');
    expect(await notice.textContent()).toContain('You no longer have access to this document');
    await waitForSaveState(bruno.page, 'refused');
    expect(await editorText(bruno.page).getAttribute('contenteditable')).toBe('false');
    expect(await bruno.page.getByTestId('role-notice').count()).toBe(0);
  });
});
