import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDocument, stockClient } from '../support/clients';
import { signUp } from '../support/accounts';
import { type ChildServer, spawnServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// SPEC R4 + S1: an update reaches other clients only after it is stored, so
// killing the process with SIGKILL can lose nothing another client received.
describe('kill -9', () => {
  let dataDir: string;
  let server: ChildServer | null = null;
  const clients: Array<{ destroy(): void }> = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every update that another client had received', async () => {
    dataDir = tempDataDir();
    server = await spawnServer(dataDir);
    const owner = await signUp(server.url);
    const id = await createDocument(server.url, owner);
    const writer = stockClient(server.collabUrl, id, owner);
    const reader = stockClient(server.collabUrl, id, owner);
    clients.push(writer, reader);
    await Promise.all([writer.synced(), reader.synced()]);

    // Keep typing while the server is killed: whatever the reader holds at
    // the moment of the kill must be on disk.
    let i = 0;
    const typing = setInterval(() => writer.text.insert(writer.text.length, `${i++},`), 1);
    await waitFor(() => reader.text.length > 200, { what: 'reader received edits' });
    clearInterval(typing);
    writer.text.insert(writer.text.length, 'LAST');
    await waitFor(() => reader.text.toString().endsWith('LAST'), { what: 'reader has the last edit' });
    const seen = reader.text.toString();
    await server.kill('SIGKILL');
    writer.provider.disconnect();
    reader.provider.disconnect();

    server = await spawnServer(dataDir);
    const fresh = stockClient(server.collabUrl, id, owner);
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.text.toString()).toBe(seen);
  });
});
