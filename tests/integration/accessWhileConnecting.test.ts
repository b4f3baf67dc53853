import fs from 'node:fs';
import { CloseCode, encodeSyncUpdate, MessageType } from '@rapporteur/protocol';
import type { DocumentStore, RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, rawSocket } from '../support/clients';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// SPEC A5: an access change made while a socket is still being accepted —
// after the server read who it is and what role it has, before it joined the
// document's room — reaches that socket too. The store below holds the
// accept's membership read, once its answer is in hand, until the test has
// made the change: the socket then joins on what it read before the change.
describe('access changed while a socket is being accepted (SPEC A5)', () => {
  let dataDir: string;
  let server: RunningServer;
  let owner: TestUser;
  let armed = false;
  let reached: () => void = () => {};
  let release: () => void = () => {};

  beforeAll(async () => {
    dataDir = tempDataDir();
    server = await startServer(dataDir, {}, {
      wrapDocumentStore: (store) =>
        new Proxy(store, {
          get(target, key, receiver) {
            if (key === 'getMember') {
              return async (...args: Parameters<DocumentStore['getMember']>) => {
                const member = await target.getMember(...args);
                if (armed) {
                  armed = false;
                  const held = new Promise<void>((resolve) => (release = resolve));
                  reached();
                  await held;
                }
                return member;
              };
            }
            return Reflect.get(target, key, receiver) as unknown;
          },
        }),
    });
    owner = await signUp(server.url, { name: 'owner' });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  /** Opens a socket for `token` whose accept stops after reading its membership; resolves once it has. */
  async function openHeld(documentId: string, token: string, query = '') {
    const hit = new Promise<void>((resolve) => (reached = resolve));
    armed = true;
    const socket = rawSocket(`${server.collabUrl}/${documentId}?token=${token}${query ? `&${query}` : ''}`);
    await hit;
    return socket;
  }

  /** A new document, a new person sharing it as an editor, and their socket held after its membership read. */
  async function heldEditor(title: string, query = '') {
    const docId = await createDocument(server.url, owner, title);
    const person = await signUp(server.url);
    expect((await call('PUT', `/api/documents/${docId}/members`, owner.token, { email: person.email, role: 'editor' })).status).toBe(200);
    return { docId, person, socket: await openHeld(docId, person.token, query) };
  }

  /** The socket's close, failing the test if it stays open. */
  async function closeOf(socket: ReturnType<typeof rawSocket>) {
    return (await Promise.race([socket.closed, waitFor(() => false, { what: 'the socket closed', timeoutMs: 5_000 })]))!;
  }

  it('a member removed meanwhile is closed with 4403', async () => {
    const { docId, person, socket } = await heldEditor('Removed while connecting');
    expect((await call('DELETE', `/api/documents/${docId}/members/${person.user.id}`, owner.token)).status).toBe(204);
    release();
    expect((await closeOf(socket)).code).toBe(CloseCode.forbidden);
  });

  it('a token revoked meanwhile closes the socket it opened with 4401', async () => {
    const { person, socket } = await heldEditor('Revoked while connecting');
    const tokens = (await (await call('GET', '/api/tokens', person.token)).json()) as { tokens: Array<{ id: string }> };
    expect((await call('DELETE', `/api/tokens/${tokens.tokens[0]!.id}`, person.token)).status).toBe(204);
    release();
    expect((await closeOf(socket)).code).toBe(CloseCode.unauthenticated);
  });

  it('a role lowered meanwhile holds from the first frame: the socket joins read-only', async () => {
    const { docId, person, socket } = await heldEditor('Lowered while connecting', 'features=saved');
    expect((await call('PUT', `/api/documents/${docId}/members`, owner.token, { email: person.email, role: 'viewer' })).status).toBe(200);
    release();
    await socket.opened();
    // With `saved`, every update is answered by one frame: `saved` if it was
    // written, permission denied if not. The first one sent must be refused.
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'an editor no longer');
    socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
    const replies = () => socket.types().filter((t) => t === MessageType.saved || t === MessageType.auth);
    await waitFor(() => replies().length > 0, { what: 'the reply to the update' });
    expect(replies()[0]).toBe(MessageType.auth);
    socket.ws.close();
  });
});
