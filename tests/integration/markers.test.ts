import fs from 'node:fs';
import { type ConsensusMarker, encodeSyncStep1, encodeSyncUpdate, type MarkerView, MessageType } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, rawSocket, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// Issue 9: consensus markers live in the document as a block attribute; who
// set them and when comes from the server's records (SPEC K1–K3).
type Who = 'alice' | 'bob' | 'carol' | 'stranger';

const clock = new ManualClock();
let dataDir: string;
let server: RunningServer;
const people = {} as Record<Who, TestUser>;
let docId: string;
let alice: StockClient;
let bob: StockClient;

const divergence: ConsensusMarker = {
  level: 'divergence',
  basis: 'chair-designation',
  basisNote: 'discussion in session, 12 March',
  views: [
    { text: 'Platforms should carry liability for amplified content.', groups: ['government', 'civil-society'] },
    { text: 'Liability would chill lawful speech.', groups: ['private-sector', 'technical-community'] },
  ],
};

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, {}, { clock });
  people.alice = await signUp(server.url, { name: 'Amina Diallo', stakeholderGroup: 'civil-society', region: 'african' });
  people.bob = await signUp(server.url, { name: 'Bo Lindqvist', stakeholderGroup: 'government', region: 'western-european-others' });
  people.carol = await signUp(server.url, { name: 'Carol Commenter', stakeholderGroup: 'academia', region: 'asia-pacific' });
  people.stranger = await signUp(server.url, { name: 'Stranger', stakeholderGroup: 'private-sector', region: 'other' });
  docId = await createDocument(server.url, people.alice, 'Chair’s summary');
  await people.alice.api.setMember(docId, people.bob.email, 'editor');
  await people.alice.api.setMember(docId, people.carol.email, 'commenter');
  alice = stockClient(server.collabUrl, docId, people.alice);
  bob = stockClient(server.collabUrl, docId, people.bob);
  await Promise.all([alice.synced(), bob.synced()]);
  await edit(alice, (body) =>
    body.insert(0, [paragraph('intro', 'Opening remarks'), paragraph('liability', 'Liability of platforms'), paragraph('standards', 'Open standards')]),
  );
  await waitFor(() => bob.doc.getXmlFragment('default').length === 3, { what: 'the paragraphs at bob' });
});

afterAll(async () => {
  alice?.destroy();
  bob?.destroy();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function paragraph(blockId: string, text: string): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  el.setAttribute('blockId', blockId);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

/** Runs `change` on a stock client's doc and waits until the server stored it. */
async function edit(c: StockClient, change: (body: Y.XmlFragment) => void): Promise<void> {
  const before = await server.store.lastSeq(docId as never);
  c.doc.transact(() => change(c.doc.getXmlFragment('default')));
  await waitFor(async () => (await server.store.lastSeq(docId as never)) > before, { what: 'edit stored' });
  await server.rooms.whenIdle();
}

function block(c: StockClient, blockId: string): Y.XmlElement {
  const found = c.doc
    .getXmlFragment('default')
    .toArray()
    .find((el) => el instanceof Y.XmlElement && el.getAttribute('blockId') === blockId);
  if (!(found instanceof Y.XmlElement)) throw new Error(`no block ${blockId}`);
  return found;
}

function setMarker(el: Y.XmlElement, marker: unknown): void {
  el.setAttribute('consensus', marker as never);
}

async function markers(who: Who = 'alice'): Promise<MarkerView[]> {
  return people[who].api.markers(docId);
}

const person = (who: Who) => ({ id: people[who].user.id, name: people[who].user.name, stakeholderGroup: people[who].user.stakeholderGroup });

describe('consensus markers (SPEC K1–K3)', () => {
  it('K1, K2: a marker an editor sets with a stock client is listed with its words, setBy that account and the time from the clock', async () => {
    clock.advance(60_000);
    const setAt = clock.now();
    await edit(alice, () => setMarker(block(alice, 'liability'), divergence));
    const list = await markers('bob');
    expect(list).toEqual([
      {
        blockId: 'liability',
        scope: 'passage',
        level: 'divergence',
        label: 'Divergence',
        wording: 'Views diverged on this passage: no single position had strong support.',
        basis: 'chair-designation',
        basisNote: 'discussion in session, 12 March',
        basisText: "Basis: chair's designation — discussion in session, 12 March",
        views: divergence.views,
        passage: 'Liability of platforms',
        setBy: person('alice'),
        setAt: new Date(setAt).toISOString(),
      },
    ]);
    const audit = await people.alice.api.audit(docId);
    expect(audit.find((e) => e.action === 'marker.set')).toMatchObject({
      actor: person('alice'),
      details: { blockId: 'liability', level: 'divergence', previousLevel: null },
    });
  });

  it('K1: who set a marker is never read from the attribute: a forged setBy or author is dropped', async () => {
    clock.advance(60_000);
    await edit(bob, () =>
      setMarker(block(bob, 'standards'), {
        level: 'full-consensus',
        basis: 'in-room-check',
        setBy: { id: people.alice.user.id, name: 'Amina Diallo', stakeholderGroup: 'civil-society' },
        author: people.alice.user.id,
        setAt: '2020-01-01T00:00:00.000Z',
      }),
    );
    const marker = (await markers()).find((m) => m.blockId === 'standards');
    expect(marker).toMatchObject({ level: 'full-consensus', setBy: person('bob'), setAt: new Date(clock.now()).toISOString() });
    expect(marker).not.toHaveProperty('author');
  });

  it('K1: rewriting a marker with an equal value records nothing, so the setter stays who they were', async () => {
    await waitFor(() => block(bob, 'liability').getAttribute('consensus') !== undefined, { what: "alice's marker at bob" });
    const before = (await markers()).find((m) => m.blockId === 'liability');
    clock.advance(60_000);
    await edit(bob, (body) => {
      setMarker(block(bob, 'liability'), JSON.parse(JSON.stringify(divergence)));
      (body.get(0) as Y.XmlElement).insert(1, [new Y.XmlText(' (so that the log grows)')]);
    });
    expect((await markers()).find((m) => m.blockId === 'liability')).toEqual(before);
  });

  it('K3: a commenter cannot set a marker: the socket refuses the update and nothing changes', async () => {
    const s = rawSocket(`${server.collabUrl}/${docId}?token=${people.carol.token}`);
    await s.opened();
    s.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => s.types().filter((t) => t === MessageType.sync).length >= 2, { what: 'sync' });
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(alice.doc));
    const updates: Uint8Array[] = [];
    forged.on('update', (u: Uint8Array) => updates.push(u));
    const intro = forged.getXmlFragment('default').get(0) as Y.XmlElement;
    setMarker(intro, { level: 'full-consensus', basis: 'chair-designation' });
    s.send(encodeSyncUpdate(updates[0]!));
    await waitFor(() => s.types().includes(MessageType.auth), { what: 'permission denied' });
    s.ws.close();
    await server.rooms.whenIdle();
    expect((await markers()).map((m) => m.blockId)).toEqual(['liability', 'standards']);
    expect((await server.store.latestMarkerEvents(docId as never)).map((e) => e.blockId).sort()).toEqual(['liability', 'standards']);
  });

  it('K2: anyone who may read the document may list its markers; others may not', async () => {
    expect((await markers('carol')).length).toBe(2);
    const res = await fetch(`${server.url}/api/documents/${docId}/markers`, { headers: { Authorization: `Bearer ${people.stranger.token}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await fetch(`${server.url}/api/documents/${docId}/markers`)).status).toBe(401);
  });

  it('the HTML and Markdown exports carry each marker with its wording, and the summary', async () => {
    const html = await people.bob.api.exportDocument(docId, 'html');
    expect(html).toContain('<p><strong>Divergence.</strong> Views diverged on this passage: no single position had strong support.</p>');
    expect(html).toContain('Held by: Government and Civil society');
    expect(html).toContain('<h2 id="consensus-summary-title">Consensus summary</h2>');
    const md = await people.bob.api.exportDocument(docId, 'md');
    expect(md).toContain('> **Full consensus.** There was full consensus on this passage');
    expect(md).toContain('> 2. Liability would chill lawful speech.\\');
  });

  it('a marker stays on its block through concurrent edits around and inside it', async () => {
    bob.provider.disconnect();
    bob.doc.transact(() => {
      const body = bob.doc.getXmlFragment('default');
      body.insert(1, [paragraph('inserted', 'A paragraph bob added offline')]);
      (block(bob, 'liability').get(0) as Y.XmlText).insert(0, 'On the ');
    });
    await edit(alice, (body) => {
      body.insert(0, [paragraph('first', 'A new first paragraph')]);
      (block(alice, 'liability').get(0) as Y.XmlText).insert((block(alice, 'liability').get(0) as Y.XmlText).length, ' online');
    });
    bob.provider.connect();
    await waitFor(() => alice.doc.getXmlFragment('default').length === 5 && bob.doc.getXmlFragment('default').length === 5, {
      what: 'both converged',
    });
    await server.rooms.whenIdle();
    for (const c of [alice, bob]) expect(block(c, 'liability').getAttribute('consensus')).toEqual(divergence);
    const list = await markers();
    expect(list.map((m) => [m.blockId, m.passage])).toEqual([
      ['liability', 'On the Liability of platforms online'],
      ['standards', 'Open standards'],
    ]);
    expect(list[0]?.setBy).toEqual(person('alice'));
  });

  it('K1: removing a marker is recorded; a deleted block takes its marker with it', async () => {
    await waitFor(() => block(alice, 'standards').getAttribute('consensus') !== undefined, { what: "bob's marker at alice" });
    await edit(alice, () => block(alice, 'standards').removeAttribute('consensus'));
    expect((await markers()).map((m) => m.blockId)).toEqual(['liability']);
    await edit(bob, (body) => {
      const index = body.toArray().indexOf(block(bob, 'liability'));
      body.delete(index, 1);
    });
    expect(await markers()).toEqual([]);
    const audit = (await people.alice.api.audit(docId)).filter((e) => e.action === 'marker.removed');
    expect(audit.map((e) => [e.actor?.id, e.details])).toEqual([
      [people.bob.user.id, expect.objectContaining({ blockId: 'liability', level: null, previousLevel: 'divergence', blockDeleted: true })],
      [people.alice.user.id, expect.objectContaining({ blockId: 'standards', level: null, previousLevel: 'full-consensus' })],
    ]);
  });

  it('a restore from history brings a marker back as it was, recorded as set by the restorer', async () => {
    await edit(alice, (body) => body.insert(body.length, [paragraph('access', 'Meaningful access')]));
    await edit(alice, () => setMarker(block(alice, 'access'), divergence));
    const version = await people.alice.api.nameVersion(docId, 'Circulated');
    // Same block, same text: only the marker's level changes, then the restore must bring it back.
    await edit(alice, () => setMarker(block(alice, 'access'), { level: 'consensus', basis: 'comment-period' }));
    expect((await markers()).find((m) => m.blockId === 'access')?.level).toBe('consensus');
    clock.advance(60_000);
    await people.bob.api.restoreVersion(docId, version.id);
    await server.rooms.whenIdle();
    const restored = (await markers()).find((m) => m.blockId === 'access');
    expect(restored).toMatchObject({ level: 'divergence', views: divergence.views, setBy: person('bob'), setAt: new Date(clock.now()).toISOString() });
    await waitFor(() => (block(alice, 'access').getAttribute('consensus') as unknown as ConsensusMarker | undefined)?.level === 'divergence', {
      what: 'restored marker at the stock client',
    });
  });

  it('K2: a heading marker covers its section and a list item marker its item, listed in document order', async () => {
    await edit(alice, (body) => {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', 2 as never);
      heading.setAttribute('blockId', 'agreement');
      heading.insert(0, [new Y.XmlText('Areas of agreement')]);
      const list = new Y.XmlElement('bulletList');
      const item = new Y.XmlElement('listItem');
      item.setAttribute('blockId', 'item1');
      item.insert(0, [paragraph('item1p', 'Universal access by 2030')]);
      list.insert(0, [item]);
      body.insert(0, [heading, list]);
    });
    await waitFor(() => bob.doc.getXmlFragment('default').toArray().some((el) => el instanceof Y.XmlElement && el.getAttribute('blockId') === 'agreement'), {
      what: 'the heading at bob',
    });
    await edit(bob, () => {
      const body = bob.doc.getXmlFragment('default');
      setMarker(body.get(0) as Y.XmlElement, { level: 'consensus', basis: 'in-room-check' });
      setMarker((body.get(1) as Y.XmlElement).get(0) as Y.XmlElement, { level: 'minority-view', basis: 'source-reports', views: [{ text: 'Only by 2040.', groups: ['private-sector'] }] });
    });
    const list = await markers();
    expect(list.slice(0, 2).map((m) => [m.blockId, m.scope, m.level, m.passage, m.wording, m.setBy?.name])).toEqual([
      ['agreement', 'section', 'consensus', 'Areas of agreement', 'There was broad agreement on this section, though a small number of participants may have disagreed.', 'Bo Lindqvist'],
      ['item1', 'passage', 'minority-view', 'Universal access by 2030', 'This passage sets out a position that only a small number of participants supported.', 'Bo Lindqvist'],
    ]);
  });
});
