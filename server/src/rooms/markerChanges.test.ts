import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type MarkerChange, markerChanges } from './markerChanges';

// SPEC K1: which consensus markers one update set or removed, as the room reads them.
const consensus = { level: 'consensus', basis: 'in-room-check' } as const;
const divergence = { level: 'divergence', basis: 'chair-designation', views: [{ text: 'One view', groups: ['media'] }] } as const;

function paragraph(blockId: string, marker?: unknown): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  el.setAttribute('blockId', blockId);
  if (marker !== undefined) el.setAttribute('consensus', marker as never);
  el.insert(0, [new Y.XmlText(blockId)]);
  return el;
}

/** A server-side doc holding `setup`'s state; returns the changes applying `change` (made on a client copy) finds. */
function changesOf(setup: (body: Y.XmlFragment) => void, change: (body: Y.XmlFragment) => void): MarkerChange[] {
  const client = new Y.Doc();
  client.transact(() => setup(client.getXmlFragment('default')));
  const server = new Y.Doc();
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
  const updates: Uint8Array[] = [];
  client.on('update', (u: Uint8Array) => updates.push(u));
  client.transact(() => change(client.getXmlFragment('default')));
  let found: MarkerChange[] = [];
  server.transact((tr) => {
    for (const u of updates) Y.applyUpdate(server, u);
    found = markerChanges(tr);
  });
  return found;
}

const el = (body: Y.XmlFragment, i: number) => body.get(i) as Y.XmlElement;

describe('markerChanges (SPEC K1)', () => {
  it('finds a marker set, changed and removed on an existing block, with the value before', () => {
    expect(changesOf((b) => b.insert(0, [paragraph('a')]), (b) => el(b, 0).setAttribute('consensus', consensus as never))).toEqual([
      { blockId: 'a', marker: consensus, previous: null, cause: 'set' },
    ]);
    expect(changesOf((b) => b.insert(0, [paragraph('a', consensus)]), (b) => el(b, 0).setAttribute('consensus', divergence as never))).toEqual([
      { blockId: 'a', marker: divergence, previous: consensus, cause: 'set' },
    ]);
    expect(changesOf((b) => b.insert(0, [paragraph('a', consensus)]), (b) => el(b, 0).removeAttribute('consensus'))).toEqual([
      { blockId: 'a', marker: null, previous: consensus, cause: 'removed' },
    ]);
  });

  it('finds nothing in typing, in an equal rewrite, or in an invalid value replacing nothing', () => {
    expect(changesOf((b) => b.insert(0, [paragraph('a', consensus)]), (b) => (el(b, 0).get(0) as Y.XmlText).insert(0, 'typed '))).toEqual([]);
    expect(changesOf((b) => b.insert(0, [paragraph('a', consensus)]), (b) => el(b, 0).setAttribute('consensus', { ...consensus } as never))).toEqual([]);
    expect(changesOf((b) => b.insert(0, [paragraph('a')]), (b) => el(b, 0).setAttribute('consensus', { level: 'bogus' } as never))).toEqual([]);
  });

  it('finds a new block that arrives with a marker, and a marked block deleted', () => {
    expect(changesOf((b) => b.insert(0, [paragraph('a')]), (b) => b.insert(1, [paragraph('pasted', divergence)]))).toEqual([
      { blockId: 'pasted', marker: divergence, previous: null, cause: 'set' },
    ]);
    expect(changesOf((b) => b.insert(0, [paragraph('a', divergence), paragraph('b')]), (b) => b.delete(0, 1))).toEqual([
      { blockId: 'a', marker: null, previous: divergence, cause: 'block-deleted' },
    ]);
  });

  it('finds nothing when a block is rebuilt with the same id and marker (y-tiptap replacing a node)', () => {
    expect(
      changesOf(
        (b) => b.insert(0, [paragraph('a', divergence)]),
        (b) => {
          b.delete(0, 1);
          b.insert(0, [paragraph('a', divergence)]);
        },
      ),
    ).toEqual([]);
  });

  it('finds markers on list items nested in a new list', () => {
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.setAttribute('blockId', 'item');
    item.setAttribute('consensus', consensus as never);
    item.insert(0, [paragraph('inner')]);
    list.insert(0, [item]);
    expect(changesOf((b) => b.insert(0, [paragraph('a')]), (b) => b.insert(1, [list]))).toEqual([
      { blockId: 'item', marker: consensus, previous: null, cause: 'set' },
    ]);
  });
});
