import fs from 'node:fs';
import { CloseCode, encodeAwareness, encodeSyncStep1, encodeSyncUpdate, MessageType, SyncStep } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createDocument, rawSocket, stockClient } from '../support/clients';
import { signUp, type TestUser } from '../support/accounts';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// SPEC T2, T3, P2, P3, P4, P6: bad frames close that one socket with a documented
// code and never touch the document or disturb anyone else.
describe('malformed, hostile and oversized input', () => {
  let dataDir: string;
  let server: RunningServer;
  let id: string;
  let owner: TestUser;
  let bystander: ReturnType<typeof stockClient>;
  const MAX = 64 * 1024;

  beforeAll(async () => {
    dataDir = tempDataDir();
    server = await startServer(dataDir, { limits: { maxMessageBytes: MAX, maxDocumentBytes: 1024 * 1024, maxAwarenessBytes: 4096 } });
    owner = await signUp(server.url);
    id = await createDocument(server.url, owner);
    bystander = stockClient(server.collabUrl, id, owner);
    await bystander.synced();
    bystander.text.insert(0, 'intact');
    await waitFor(async () => (await server.store.historyStats(id as never)).updates === 1, { what: 'stored' });
  });

  afterAll(async () => {
    bystander.destroy();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function expectClosedWith(frame: Uint8Array | string, code: number): Promise<void> {
    const s = rawSocket(`${server.collabUrl}/${id}?token=${owner.token}`);
    await s.opened();
    s.send(frame);
    expect((await s.closed).code).toBe(code);
  }

  async function expectIntact(): Promise<void> {
    // The bystander is still connected and can still edit; the stored log is unchanged apart from its edits.
    expect(bystander.provider.wsconnected).toBe(true);
    const probe = stockClient(server.collabUrl, id, owner);
    await probe.synced();
    expect(probe.text.toString()).toBe(bystander.text.toString());
    expect(probe.text.toString().startsWith('intact')).toBe(true);
    probe.destroy();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  }

  it('unknown message type → 4400', async () => {
    await expectClosedWith(new Uint8Array([42, 1, 2, 3]), CloseCode.malformedMessage);
    await expectIntact();
  });

  it('truncated sync message → 4400', async () => {
    await expectClosedWith(new Uint8Array([0, 2, 200]), CloseCode.malformedMessage);
    await expectIntact();
  });

  it('trailing bytes → 4400', async () => {
    const good = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));
    await expectClosedWith(new Uint8Array([...good, 9, 9]), CloseCode.malformedMessage);
  });

  it('text frame → 4400', async () => {
    await expectClosedWith('{"type":"sync"}', CloseCode.malformedMessage);
    await expectIntact();
  });

  it('a well-framed update with garbage inside → 4422, document untouched', async () => {
    const garbage = new Uint8Array(64).map((_, i) => (i * 37 + 11) & 255);
    await expectClosedWith(encodeSyncUpdate(garbage), CloseCode.invalidUpdate);
    await expectIntact();
  });

  it('a truncated real update → 4422', async () => {
    const d = new Y.Doc();
    d.getText('t').insert(0, 'some text that makes a real update');
    const u = Y.encodeStateAsUpdate(d);
    await expectClosedWith(encodeSyncUpdate(u.subarray(0, u.length - 5)), CloseCode.invalidUpdate);
    await expectIntact();
  });

  it('server-only message types from a client → 4400', async () => {
    await expectClosedWith(new Uint8Array([2, 0, 1, 65]), CloseCode.malformedMessage);
    await expectClosedWith(new Uint8Array([100, 1]), CloseCode.malformedMessage);
  });

  it('malformed awareness → 4400', async () => {
    await expectClosedWith(new Uint8Array([1, 3, 1, 2, 3]), CloseCode.malformedMessage);
    await expectIntact();
  });

  it('P4: an awareness update over MAX_AWARENESS_BYTES → 4413', async () => {
    const holder = new awarenessProtocol.Awareness(new Y.Doc());
    holder.setLocalState({ user: { name: 'x'.repeat(5000) } });
    const update = awarenessProtocol.encodeAwarenessUpdate(holder, [holder.clientID]);
    holder.destroy();
    expect(update.byteLength).toBeGreaterThan(4096);
    expect(update.byteLength + 8).toBeLessThan(MAX);
    await expectClosedWith(encodeAwareness(update), CloseCode.messageTooLarge);
    await expectIntact();
  });

  it('P6: a protocol version other than 1 (?rv=) → 4406 before anything is sent', async () => {
    const s = rawSocket(`${server.collabUrl}/${id}?rv=2&token=${owner.token}`);
    expect((await s.closed).code).toBe(CloseCode.unsupportedProtocolVersion);
    expect(s.frames).toEqual([]);
    const current = rawSocket(`${server.collabUrl}/${id}?rv=1&token=${owner.token}`);
    await waitFor(() => current.types().includes(MessageType.sync), { what: 'rv=1 is served' });
    current.ws.close();
  });

  it('a frame over the size limit → 4413', async () => {
    await expectClosedWith(new Uint8Array(MAX + 10), CloseCode.messageTooLarge);
    await expectIntact();
  });

  it('a frame far over the limit is cut off by the transport (1009)', async () => {
    await expectClosedWith(new Uint8Array(MAX * 3), 1009);
    await expectIntact();
  });

  it('random bytes from a seeded generator never harm the document', async () => {
    const seed = Number(process.env.SEED ?? 1234);
    let state = seed;
    const rand = (): number => ((state = (state * 1103515245 + 12345) & 0x7fffffff), state / 0x7fffffff);
    for (let round = 0; round < 40; round++) {
      const s = rawSocket(`${server.collabUrl}/${id}?token=${owner.token}`);
      await s.opened();
      const len = 1 + Math.floor(rand() * 200);
      const bytes = new Uint8Array(len).map(() => Math.floor(rand() * 256));
      // Half the time, make it look like a sync/awareness message to get past the first byte.
      if (rand() < 0.5) bytes[0] = Math.floor(rand() * 2);
      s.send(bytes);
      s.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      // Frames are handled in order: the answer to the step 1 (a step 2)
      // proves the random frame was handled, unless it closed the socket.
      let closed = false;
      void s.closed.then(() => (closed = true));
      await waitFor(() => closed || s.frames.some((f) => f[0] === MessageType.sync && f[1] === SyncStep.step2), { what: `round ${round} handled` });
      if (!closed) s.ws.close();
    }
    await expectIntact();
  }, 30_000);
});
