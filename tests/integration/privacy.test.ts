import fs from 'node:fs';
import type { MemberView } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument } from '../support/clients';
import { startServer, tempDataDir } from '../support/server';

// Who sees members' e-mail addresses (THREAT_MODEL.md, SPEC A1): those who
// may share the document (owners, admins) and each member their own; not
// co-members, not signed-in strangers on an open-for-comment document, not
// anonymous readers of a public one.
let dataDir: string;
let server: RunningServer;
let owner: TestUser;
let editor: TestUser;
let stranger: TestUser;
let docId: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir);
  owner = await signUp(server.url, { name: 'Owner' });
  editor = await signUp(server.url, { name: 'Editor' });
  stranger = await signUp(server.url, { name: 'Stranger' });
  docId = await createDocument(server.url, owner, 'Members');
  await owner.api.setMember(docId, editor.email, 'editor');
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function members(token: string | null): Promise<MemberView[]> {
  const res = await fetch(`${server.url}/api/documents/${docId}/members`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  return ((await res.json()) as { members: MemberView[] }).members;
}

const emailsOf = (list: MemberView[]) => Object.fromEntries(list.map((m) => [m.user.name, m.user.email]));

describe('member e-mails', () => {
  it('are shown to owners', async () => {
    expect(emailsOf(await members(owner.token))).toEqual({ Owner: owner.email, Editor: editor.email });
  });

  it('are hidden from co-members, except their own', async () => {
    expect(emailsOf(await members(editor.token))).toEqual({ Owner: null, Editor: editor.email });
  });

  it('are hidden from anyone on an open-for-comment or public document', async () => {
    await owner.api.setVisibility(docId, 'comment');
    expect(emailsOf(await members(stranger.token))).toEqual({ Owner: null, Editor: null });
    await owner.api.setVisibility(docId, 'public');
    expect(emailsOf(await members(null))).toEqual({ Owner: null, Editor: null });
    const raw = await (await fetch(`${server.url}/api/documents/${docId}/members`)).text();
    expect(raw).not.toContain(owner.email);
    expect(raw).not.toContain(editor.email);
    await owner.api.setVisibility(docId, 'private');
  });

  it('let an owner change a role by member id, without knowing the e-mail', async () => {
    const member = await owner.api.setMemberRole(docId, editor.user.id, 'commenter');
    expect(member.role).toBe('commenter');
    const res = await fetch(`${server.url}/api/documents/${docId}/members/${editor.user.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${editor.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'owner' }),
    });
    expect(res.status).toBe(403);
    await expect(owner.api.setMemberRole(docId, stranger.user.id, 'editor')).rejects.toMatchObject({ status: 404 });
    await expect(owner.api.setMemberRole(docId, owner.user.id, 'editor')).rejects.toMatchObject({ status: 409 });
  });
});
